"""What an evidence upload may be, read from its content: the right file under any name is kept;
anything else under any name is refused with a clear message, and nothing is stored."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import EvidenceFile
from app.services.evidence import UploadRefused, portfolio, uploads
from tests.factories.evidence import PDF, docx, entry, png, started_setting

MB = 1_000_000


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.png", png(), "image/png"),
        ("statement.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("misnamed.txt", PDF, "application/pdf"),  # the name does not decide the type
    ],
)
def test_allowed_files_are_kept_with_their_real_type(name, content, kind):
    checked = uploads.check(name, content, max_bytes=MB, room_left=10 * MB)
    assert checked.content_type == kind


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>", "not a file type evidence can hold"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a file type"),
        ("script.png", b"#!/bin/sh\nrm -rf /\n", "not a file type"),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 40, "not a file type"),
        ("empty.pdf", b"", "is empty"),
        ("cut.pdf", PDF[:-10] + b"x" * 3000, "looks damaged"),
        ("cut.png", png()[:30], "looks damaged"),
    ],
)
def test_wrong_empty_or_damaged_files_are_refused(name, content, words):
    with pytest.raises(UploadRefused) as refused:
        uploads.check(name, content, max_bytes=MB, room_left=10 * MB)
    assert words in refused.value.message and refused.value.field == "file"


def test_a_polyglot_that_starts_as_html_is_refused_even_if_it_ends_like_a_pdf():
    polyglot = b"<html><body><script>alert(document.cookie)</script>" + PDF
    with pytest.raises(UploadRefused):
        uploads.check("cv.pdf", polyglot, max_bytes=MB, room_left=10 * MB)


def test_sizes_per_file_and_per_apprentice():
    with pytest.raises(UploadRefused, match="larger than the 1 MB"):
        uploads.check("big.pdf", PDF + b" " * MB, max_bytes=MB, room_left=10 * MB)
    with pytest.raises(UploadRefused, match="file allowance"):
        uploads.check("report.pdf", PDF, max_bytes=MB, room_left=10)


@pytest.mark.parametrize(
    "given, kept",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ('quote"s<and>.pdf', "quote_s_and_.pdf"),
        ("...", "evidence"),
        ("", "evidence"),
    ],
)
def test_names_never_carry_a_path_or_quoting(given, kept):
    assert uploads.safe_name(given) == kept


def test_a_refused_upload_leaves_nothing_behind(app):
    s = started_setting()
    made = entry(s, submit=False)
    with pytest.raises(UploadRefused):
        portfolio.attach(s.apprentice.user, s.apprenticeship, made, "x.pdf", b"<html></html>")
    assert db.session.query(EvidenceFile).count() == 0


def test_the_allowance_counts_what_the_apprentice_already_has(app):
    s = started_setting()
    made = entry(s, submit=False)
    portfolio.attach(s.apprentice.user, s.apprenticeship, made, "one.pdf", PDF)
    app.config["EVIDENCE_MAX_APPRENTICE_BYTES"] = len(PDF) + 10
    try:
        with pytest.raises(UploadRefused, match="file allowance"):
            portfolio.attach(s.apprentice.user, s.apprenticeship, made, "two.pdf", PDF)
    finally:
        app.config["EVIDENCE_MAX_APPRENTICE_BYTES"] = 500_000_000
