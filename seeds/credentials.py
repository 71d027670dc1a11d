"""Demo badges: a handful of Open Badges issued by the demo providers to demo learners through
the real issuing service (signed, with status list entries), one of them revoked.

Idempotent: an award is identified by (provider, micro-credential code, learner email).
Run after seeds.organisations and seeds.catalogue. No emails are sent.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import MicroCredential, Organisation, User, utcnow
from app.models.badges import IssuedCredential
from app.services import issuing
from app.services.catalogue import (
    lifecycle as catalogue,  # (provider slug, code, learner name, learner email, years valid or None, revocation reason or None)
)

AWARDS = [
    ("forthside-college", "FC-ENG301", "Callum Reid", "callum.reid@kelvinmarine.example", None, None),
    ("forthside-college", "FC-DIG104", "Priya Shah", "priya.shah@kelvinmarine.example", None, None),
    ("university-of-caledonia", "UC-DATA701", "Priya Shah", "priya.shah@kelvinmarine.example", 3, None),
    ("university-of-caledonia", "UC-HI801", "Amy Wilson", "amy.wilson@tayvalleyhealth.example", None, None),
    ("forthside-college", "FC-CARE501", "Amy Wilson", "amy.wilson@tayvalleyhealth.example", 2, None),
    (
        "forthside-college",
        "FC-QHS401",
        "Callum Reid",
        "callum.reid@kelvinmarine.example",
        None,
        "Awarded in error: the assessment had not been marked",
    ),
]
COORDINATORS = {
    "forthside-college": "lorna.mcintyre@forthside.example",
    "university-of-caledonia": "eilidh.ross@caledonia.example",
}


def _existing(provider: Organisation, code: str, email: str) -> IssuedCredential | None:
    return db.session.scalar(
        select(IssuedCredential)
        .join(MicroCredential)
        .where(
            IssuedCredential.organisation_id == provider.id,
            MicroCredential.code == code,
            IssuedCredential.recipient_email == email,
        )
    )


def load(log=print) -> None:
    providers = {o.slug: o for o in db.session.scalars(select(Organisation).where(Organisation.slug.in_(COORDINATORS)))}
    added = 0
    for slug, code, name, email, years, revoked_because in AWARDS:
        provider = providers.get(slug)
        if provider is None:
            raise RuntimeError(f"Provider {slug} is missing: load seeds.organisations first")
        if _existing(provider, code, email) is not None:
            continue
        record = catalogue.current_version(provider.id, code)
        if record is None or not record.is_published:
            raise RuntimeError(f"{code} is not published: load seeds.catalogue first")
        actor = db.session.scalar(select(User).where(User.email == COORDINATORS[slug]))
        valid_until = utcnow() + timedelta(days=365 * years) if years else None
        issued = issuing.issue(
            actor, provider, record, issuing.Learner(name, email), valid_until=valid_until, notify=False
        )
        if revoked_because:
            issuing.revoke(actor, issued, revoked_because)
        added += 1
    db.session.flush()
    log(f"Issued badges: {added} added ({len(AWARDS)} in the demo set, one revoked)")
