"""Demo quality reviews: two hub records approved by the demo platform reviewer, and one
waiting in the reviewer's queue, all through the real review service.

Idempotent: a record that already has a review is left alone. Run after seeds.catalogue.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Membership, Organisation, QualityReview, User
from app.services.catalogue import lifecycle, quality

REVIEWER = "alasdair.grant@credwork.example"
COORDINATORS = {
    "forthside-college": "lorna.mcintyre@forthside.example",
    "university-of-caledonia": "eilidh.ross@caledonia.example",
}
# (provider slug, code, approve now?): the others wait in the queue.
REVIEWS = [
    ("forthside-college", "FC-ENG301", True),
    ("university-of-caledonia", "UC-DATA701", True),
    ("forthside-college", "FC-DIG104", False),
]
NOTES = {
    "learning_outcomes": "Outcomes are stated and assessable.",
    "notional_hours": "",
    "assessed": "Assessed by the provider.",
    "credit_rated": "",
    "provider_qa": "The provider's own quality assurance is named.",
}


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise RuntimeError(f"{email} is missing: load seeds.organisations first")
    return user


def load(log=print) -> None:
    reviewer = _user(REVIEWER)
    membership = db.session.scalar(
        select(Membership).join(Organisation).where(Membership.user_id == reviewer.id, Organisation.kind == "platform")
    )
    providers = {o.slug: o for o in db.session.scalars(select(Organisation).where(Organisation.slug.in_(COORDINATORS)))}
    added = 0
    for slug, code, approve in REVIEWS:
        record = lifecycle.current_version(providers[slug].id, code)
        if record is None or not record.is_published:
            raise RuntimeError(f"{code} is not published: load seeds.catalogue first")
        if db.session.scalar(select(QualityReview.id).where(QualityReview.micro_credential_id == record.id)):
            continue
        review = quality.submit(_user(COORDINATORS[slug]), record, "Please review this version for the hub.")
        if approve:
            findings = {key: quality.Finding("met", note) for key, note in NOTES.items()}
            quality.decide(reviewer, membership, review, findings, approve=True, comments="Meets every criterion.")
        added += 1
    db.session.flush()
    log(f"Quality reviews: {added} added (two approved, one waiting for the reviewer)")
