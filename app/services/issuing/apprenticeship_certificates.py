"""The apprenticeship certificate: on a pass at end-point assessment, the provider issues an
Open Badges 3.0 credential of achievementType `ApprenticeshipCertificate` through the same
engine, signing keys and status lists as every other badge. It carries the programme's SCQF
level and credits and aligns to each of its KSBs.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Apprenticeship, Programme
from app.models.badges import IssuedCredential
from app.openbadges import issuing as engine
from app.services import audit, links
from app.services.issuing import awards


def achievement_url(programme: Programme) -> str:
    return links.public_url(
        f"/programmes/{programme.organisation.slug}/{programme.code}/v{programme.version}/achievement.json"
    )


def achievement_spec(programme: Programme, grade: str | None = None) -> engine.AchievementSpec:
    """The programme version as the engine's AchievementSpec, KSBs as alignments."""
    page = achievement_url(programme)
    return engine.AchievementSpec(
        id=page,
        name=programme.title,
        description=programme.summary,
        criteria=(
            "Completed the apprenticeship and passed the independent end-point assessment"
            + (f" with {grade}." if grade and grade != "pass" else ".")
        ),
        achievement_type="ApprenticeshipCertificate",
        credits_available=float(programme.scqf_credits) if programme.scqf_credits else None,
        level=engine.Level("SCQF", str(programme.scqf_level), url=links.public_url("/glossary#scqf-level"))
        if programme.scqf_level
        else None,
        skills=[
            engine.Skill(
                name=f"{o.code}: {o.description}"[:300],
                url=f"{page}#{o.code}",
                framework=f"{programme.title} KSBs",
                code=o.code,
                description=o.description,
            )
            for o in programme.outcomes
        ],
        human_code=programme.code,
    )


def achievement_document(programme: Programme) -> dict:
    return engine.achievement_document(achievement_spec(programme))


def certificate_of(apprenticeship: Apprenticeship) -> IssuedCredential | None:
    return db.session.scalar(
        select(IssuedCredential)
        .where(IssuedCredential.apprenticeship_id == apprenticeship.id, IssuedCredential.revoked_at.is_(None))
        .order_by(IssuedCredential.issued_at.desc())
    )


def issue(actor, apprenticeship: Apprenticeship, grade: str) -> IssuedCredential:
    """Issue the apprentice's certificate (once: an existing valid one is returned)."""
    existing = certificate_of(apprenticeship)
    if existing is not None:
        return existing
    programme, person = apprenticeship.programme, apprenticeship.apprentice.user
    issued = awards.sign(
        actor,
        apprenticeship.provider,
        achievement_spec(programme, grade),
        awards.Learner(person.name, person.email),
        valid_until=None,
        evidence_url=None,
        programme_id=programme.id,
        apprenticeship_id=apprenticeship.id,
    )
    issued.user_id = person.id
    db.session.flush()
    for org_id in (apprenticeship.employer_id, apprenticeship.provider_id):
        audit.record(
            actor,
            "credential.issue",
            issued,
            f"Issued the apprenticeship certificate for {programme.title} to {person.name}",
            organisation=org_id,
            public_id=issued.public_id,
            grade=grade,
        )
    return issued
