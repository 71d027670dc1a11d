"""Verdicts, checks, batch items and API keys in words and colour (decided in Python, shown by
status_tag), and the reason given for a verdict."""

from __future__ import annotations

import pytest

from app.models.base import utcnow
from app.models.verifications import ApiKey, Verification, VerificationBatch, VerificationBatchItem


@pytest.mark.parametrize(
    "verdict, label, colour",
    [
        ("valid", "Valid", "green"),
        ("invalid", "Not valid", "red"),
        ("revoked", "Revoked", "red"),
        ("expired", "Expired", "grey"),
        ("unverifiable", "Could not verify", "yellow"),
    ],
)
def test_verdict_label_colour_and_sentence(verdict, label, colour):
    v = Verification(verdict=verdict, result={"checks": []})
    assert (v.status_label, v.status_colour, v.is_valid) == (label, colour, verdict == "valid")
    assert v.verdict_sentence


def test_checks_are_labelled_and_the_deciding_failure_is_the_reason():
    v = Verification(
        verdict="invalid",
        result={
            "verdict": "invalid",
            "checks": [
                {"name": "validity_window", "status": "fail", "detail": "expired"},
                {"name": "proof", "status": "fail", "detail": "the signature does not match"},
                {"name": "schema", "status": "skip", "detail": "no schema"},
            ],
        },
    )
    assert [(c.label, c.status_label, c.status_colour) for c in v.checks] == [
        ("Dates", "Failed", "red"),
        ("Signature or hosted copy", "Failed", "red"),
        ("Structure (JSON Schema)", "Not checked", "grey"),
    ]
    assert v.reason == "the signature does not match"
    assert Verification(verdict="valid", result={"checks": []}).reason is None


def test_recipient_words():
    assert Verification(recipient_match=None).recipient_words is None
    assert Verification(recipient_match=True).recipient_words == "the email address given"
    assert "does not match" in Verification(recipient_match=False).recipient_words


def test_batch_item_status_follows_its_verification_or_its_error():
    assert (VerificationBatchItem().status_label, VerificationBatchItem().status_colour) == ("Waiting", "grey")
    failed = VerificationBatchItem(error="not a URL")
    assert (failed.status_label, failed.status_colour) == ("Error", "red")
    done = VerificationBatchItem(verification=Verification(verdict="revoked", result={}))
    assert (done.status_label, done.status_colour) == ("Revoked", "red")


def test_batch_progress_label():
    assert VerificationBatch(total=4, processed=1).progress_label == "1 of 4 checked"
    assert VerificationBatch(total=4, processed=4, finished_at=utcnow()).progress_label == "Finished"


def test_api_key_status():
    assert (ApiKey().status_label, ApiKey().status_colour) == ("Active", "green")
    assert (ApiKey(revoked_at=utcnow()).status_label, ApiKey(revoked_at=utcnow()).status_colour) == ("Revoked", "grey")
