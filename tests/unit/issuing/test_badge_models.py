"""An issued credential's status in words and colour (decided in Python, shown by status_tag)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models.badges import REISSUED_REASON, IssuedCredential, IssuerProfile
from app.models.base import utcnow


@pytest.mark.parametrize(
    "revoked, expires_in, label, colour, valid",
    [
        (False, None, "Valid", "green", True),
        (False, timedelta(days=1), "Valid", "green", True),
        (False, timedelta(days=-1), "Expired", "grey", False),
        (True, timedelta(days=-1), "Revoked", "red", False),  # revocation is the issuer's latest word
    ],
)
def test_status_label_and_colour(revoked, expires_in, label, colour, valid):
    issued = IssuedCredential(
        revoked_at=utcnow() if revoked else None, valid_until=utcnow() + expires_in if expires_in else None
    )
    assert (issued.status_label, issued.status_colour, issued.is_valid) == (label, colour, valid)
    assert issued.is_expired == (label == "Expired")


def test_replaced_on_reissue_only_when_revoked_as_reissued():
    assert IssuedCredential(revoked_at=utcnow(), revocation_reason=REISSUED_REASON).replaced_on_reissue
    assert not IssuedCredential(revoked_at=utcnow(), revocation_reason="Awarded in error").replaced_on_reissue
    assert not IssuedCredential(revocation_reason=REISSUED_REASON).replaced_on_reissue


def test_issuer_profile_says_whether_keys_are_fetched_from_this_site():
    assert IssuerProfile(did_method="web").uses_did_web
    assert not IssuerProfile(did_method="key").uses_did_web
