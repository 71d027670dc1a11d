"""Rules with no pages: which DID method a deployment gets, and how a bulk CSV is read."""

from __future__ import annotations

import pytest

from app.services.issuing import issuers
from app.services.issuing.bulk import BulkAwardError, parse


@pytest.mark.parametrize(
    "base, method, did",
    [
        ("https://badges.example.ac.uk", "web", "did:web:badges.example.ac.uk"),
        ("https://badges.example.ac.uk:8443/", "web", "did:web:badges.example.ac.uk%3A8443"),
        ("https://example.org/credwork", "web", "did:web:example.org:credwork"),
        ("http://badges.example.ac.uk", "key", None),
        ("http://127.0.0.1:5000", "key", None),
        ("https://localhost", "key", None),
        ("https://10.0.0.5", "key", None),
    ],
)
def test_did_web_only_on_an_https_domain(app, monkeypatch, base, method, did):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", base)
    monkeypatch.setitem(app.config, "ISSUER_DID_METHOD", None)
    assert issuers.did_method() == method
    if did:
        assert issuers.platform_did() == did
        assert issuers.issuer_web_did("forthside-college") == did + ":issuers:forthside-college"


def test_configured_did_method_wins(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://badges.example.ac.uk")
    monkeypatch.setitem(app.config, "ISSUER_DID_METHOD", "key")
    assert issuers.did_method() == "key"


def test_csv_with_or_without_header_and_byte_order_mark(app):
    learners = parse("\ufeffName,Email\nAda One, Ada@Example.org \n\nBen Two,ben@example.org\n".encode())
    assert [(one.name, one.email) for one in learners] == [
        ("Ada One", "ada@example.org"),
        ("Ben Two", "ben@example.org"),
    ]
    assert len(parse(b"Ada One,ada@example.org\n")) == 1


@pytest.mark.parametrize(
    "content, problems",
    [
        (b"name,email\n", [2]),
        (b"name,email\nAda,ada@example.org\nAda B,ADA@example.org\n", [3]),
        (b"Ada,ada@example.org\nno-email-here\n,x@example.org\n", [2, 3]),
        (b"\xff\xfe\x00n", [1]),
    ],
)
def test_csv_problems_name_their_rows(app, content, problems):
    with pytest.raises(BulkAwardError) as caught:
        parse(content)
    assert [row for row, _ in caught.value.problems] == problems
