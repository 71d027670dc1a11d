"""Batch verification: CSV of (email, URL) rows or a zip of files, progress polled by htmx
(or refreshed without JavaScript), results as a table and CSV; hostile zips refused."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from app.extensions import db
from app.models.verifications import VerificationBatch
from app.services.verification.batches import create_batch, process_next
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.verification import BadgeServer, baked_png, issued_badge, issued_jwt


@pytest.fixture
def org():
    return OrganisationFactory(name="Forth Engineering")


@pytest.fixture
def recruiter(org, login):
    person = member(org, "recruiter")
    login(person)
    return person


def _upload(client, content: bytes, name: str, **fields):
    return client.post(
        "/verifications/batches",
        data={"batch_file": (io.BytesIO(content), name), **fields},
        content_type="multipart/form-data",
    )


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_csv_batch_runs_through_htmx_polls_and_gives_a_csv(client, app, recruiter, private_networks):
    app.config["VERIFY_BATCH_CHUNK"] = 2
    with BadgeServer(
        {
            "/a.json": json.dumps(issued_badge("ann@example.org")).encode(),
            "/b.json": json.dumps(issued_badge("bob@example.org")).encode(),
            "/c.json": json.dumps(issued_badge("cat@example.org")).encode(),
        }
    ) as server:
        rows = (
            "candidate email,badge url\n"
            f"ann@example.org,{server.url('/a.json')}\n"
            f"someone@example.org,{server.url('/b.json')}\n"
            f"cat@example.org,{server.url('/c.json')}\n"
            "not-an-email,https://example.org/x\n"
        )
        response = _upload(client, rows.encode(), "candidates.csv")
        assert response.status_code == 303
        location = response.headers["Location"]
        try:
            first = client.get(location)  # the full page verifies the first chunk
            html = first.get_data(as_text=True)
            assert "<html" in html.lower() and 'hx-trigger="every 1s"' in html and "Check progress" in html
            assert "Checked 3 of 4" in html  # two verified plus the bad row
            partial = client.get(location, headers={"HX-Request": "true"})
            text = partial.get_data(as_text=True)
            assert "<html" not in text.lower() and "Finished" in text and "hx-trigger" not in text
        finally:
            app.config.pop("VERIFY_BATCH_CHUNK")
    assert "is not an email address" in text
    results = list(csv.reader(io.StringIO(client.get(location + ".csv").get_data(as_text=True))))
    assert results[0][:4] == ["Row", "Input", "Candidate email", "Verdict"]
    verdicts = {row[2]: row[3] for row in results[1:]}
    assert verdicts == {
        "ann@example.org": "Valid",
        "someone@example.org": "Not valid",
        "cat@example.org": "Valid",
        "not-an-email": "Error",
    }
    # Each verified row is in the organisation's history under its candidate.
    history = client.get("/verifications?candidate=cat@example.org").get_data(as_text=True)
    assert "Data Analysis with Python" in history


def test_zip_batch_without_javascript_progresses_on_refresh(client, recruiter):
    content = _zip(
        {
            "ann/badge.png": baked_png(),
            "ann/badge.jwt": issued_jwt().encode(),
            "notes.txt": b"hello",
            "__MACOSX/._badge.png": b"junk",
        }
    )
    response = _upload(client, content, "badges.zip", candidate_email="ann.learner@example.org")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Finished" in html and "Download the results (CSV)" in html
    assert html.count("Valid") >= 2 and "Not valid" in html  # notes.txt is not a credential
    assert "__MACOSX" not in html


@pytest.mark.parametrize(
    "files, message",
    [
        ({"../evil.json": b"{}"}, "unsafe file path"),
        ({"/etc/passwd": b"{}"}, "unsafe file path"),
        ({"bomb.json": b"0" * (6 * 1024 * 1024)}, "zip bomb"),
        ({f"f{n}.json": b"{}" for n in range(201)}, "too many files"),
    ],
)
def test_hostile_zips_are_refused(client, recruiter, files, message):
    response = _upload(client, _zip(files), "bad.zip")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(VerificationBatch).count() == 0


def test_highly_compressed_member_is_refused_even_under_the_size_limit(client, recruiter):
    response = _upload(client, _zip({"x.json": b"{" + b" " * (3 * 1024 * 1024) + b"}"}), "ratio.zip")
    assert response.status_code == 422 and "zip bomb" in response.get_data(as_text=True)


def test_damaged_or_binary_uploads_are_refused(client, recruiter):
    response = _upload(client, b"PK\x03\x04garbage", "broken.zip")
    assert response.status_code == 422 and "damaged" in response.get_data(as_text=True)
    response = _upload(client, b"\x89PNG\r\n\x1a\n\x00\x00", "image.png")
    assert response.status_code == 422


def test_another_organisations_batch_is_not_found(client, recruiter):
    other = OrganisationFactory()
    theirs = create_batch(member(other, "recruiter"), other, "x.csv", b"a@example.org,https://example.org/b\n")
    assert client.get(f"/verifications/batches/{theirs.id}").status_code == 404
    assert client.get(f"/verifications/batches/{theirs.id}.csv").status_code == 404


def test_each_poll_stops_at_its_time_budget_but_always_moves_on(recruiter):
    org = OrganisationFactory()
    content = _zip({f"b{n}.json": json.dumps(issued_badge()).encode() for n in range(3)})
    batch = create_batch(recruiter, org, "three.zip", content)
    assert process_next(recruiter, org, batch, count=3, time_budget=0) == 1
    assert batch.processed == 1 and not batch.complete
    assert process_next(recruiter, org, batch, count=3) == 2 and batch.complete
