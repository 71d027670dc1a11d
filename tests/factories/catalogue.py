"""Builders for hub tests: skills, providers and micro-credentials made through the real
services (so versions, audit and the search index behave as in production)."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, Skill
from app.services.catalogue import lifecycle
from tests.factories.accounts import OrganisationFactory, member

_codes = itertools.count(1)


def skill(label: str, uri: str | None = None) -> Skill:
    found = db.session.scalar(select(Skill).where(Skill.label == label))
    if found:
        return found
    made = Skill(uri=uri or f"http://data.europa.eu/esco/skill/test-{label.replace(' ', '-')}", label=label)
    db.session.add(made)
    db.session.flush()
    return made


def values(**overrides) -> dict:
    """A valid record's service values (credit-bearing, SCQF 7, online)."""
    base = {
        "title": "Test Micro-credential",
        "summary": "A short test course.",
        "learning_outcomes": ["Do a thing well"],
        "scqf_level": 7,
        "scqf_credits": 8,
        "notional_hours": 80,
        "eqf_level": 5,
        "mode": "online",
        "duration_weeks": 6,
        "price_pence": 25000,
        "funding": ["employer"],
        "start_dates": ["2027-03-01"],
        "entry_requirements": "None",
        "assessment_type": "Project",
        "supervision": "supervised-no-id",
        "qa_type": "credit-rated",
        "qa_body": "Test College",
        "stackable_into": [],
        "language": "en",
        "country": "GB-SCT",
    }
    base.update(overrides)
    if base.get("scqf_credits"):
        base["notional_hours"] = base["scqf_credits"] * 10
    return base


def micro_credential(
    provider: Organisation,
    *,
    code: str | None = None,
    publish: bool = True,
    skills: list[Skill] | None = None,
    actor=None,
    **overrides,
):
    record = lifecycle.create_draft(actor, provider, code or f"T-{next(_codes):05d}", values(**overrides), skills or [])
    if publish:
        lifecycle.publish(actor, record)
    return record


def demo_catalogue():
    """The demo providers and the 65-record demo catalogue, loaded by the real seed loaders."""
    import seeds.catalogue
    import seeds.skills

    for slug, name in [
        ("forthside-college", "Forthside College"),
        ("university-of-caledonia", "University of Caledonia"),
    ]:
        if db.session.scalar(select(Organisation).where(Organisation.slug == slug)) is None:
            OrganisationFactory(slug=slug, name=name, kind="provider")
    seeds.skills.load(log=lambda *_: None)
    seeds.catalogue.load(log=lambda *_: None)
    db.session.flush()


def platform_reviewer(name: str = "Rhona Reviewer"):
    """A platform reviewer (and their membership) in a platform organisation of their own."""
    from app.models import Membership

    org = OrganisationFactory(platform=True, name="Credwork Platform")
    user = member(org, "platform_reviewer", name=name)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    return user, membership


def criteria_all(outcome: str = "met", **overrides):
    """Findings for every criterion (`overrides` by key), as the review form gives them."""
    from app.models.catalogue import QA_CRITERIA
    from app.services.catalogue.quality import Finding

    return {key: Finding(overrides.get(key, outcome), f"Checked {key}") for key, _ in QA_CRITERIA}


def approved(record, reviewer=None, submitter=None):
    """`record` submitted and approved through the real services; returns the review."""
    from app.services.catalogue import quality

    user, membership = reviewer or platform_reviewer()
    review = quality.submit(submitter, record)
    return quality.decide(user, membership, review, criteria_all(), approve=True, comments="All criteria met.")


def _review_for_isolation(t):
    from app.services.catalogue import quality

    def make():
        record = micro_credential(t.provider, title=f"{t.made.get('label', '')}Reviewed Course")
        return quality.submit(t.provider_person, record, note=f"{t.made.get('label', '')}note")

    return t.once("quality_review", make).id


ISOLATION_PARAMS = {"quality_review_id": _review_for_isolation}
