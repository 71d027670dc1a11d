"""Candidates' applications: made on the public application page without an account, with badges
verified on arrival, more badges added until the closing date, and withdrawn at any time.

What a refused input leaves behind: nothing. Input that cannot be read (empty, too large, not a
badge, a bad address) never reaches this module (the verifier's `input_from_*` refuse it first);
a badge that is read but fails its checks (changed, not the candidate's) is kept with its verdict,
because the recruiter needs to see it, and its skills do not count.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import Verification, utcnow
from app.models.recruitment import Candidate, CandidateBadge, Vacancy
from app.security import tokens
from app.services import audit, jobs, links, mail
from app.services.recruitment import fit
from app.services.recruitment.vacancies import RecruitmentError
from app.services.skills import badge_claims
from app.services.verification.verifier import VerificationInput, run_verification

MAX_BADGES = 20  # per candidate
MAX_PER_SUBMISSION = 5
MAX_INTERACTIVE_CHECKS = 25  # a re-check in one request; beyond it the recruiter checks per candidate


def consent_text(vacancy: Vacancy) -> str:
    """The consent a candidate gives, exactly as shown to them and as recorded."""
    return (
        f"I agree that {vacancy.organisation.name} may keep and use my name, email address and the badges "
        f"I share to consider my application for {vacancy.title}, and may check those badges with their "
        f"issuers. My data will be deleted {vacancy.retention_months} months after the closing date, "
        "or at once if I withdraw."
    )


def _document(given: VerificationInput) -> bytes:
    if isinstance(given.data, bytes):
        return given.data
    return (given.data if isinstance(given.data, str) else json.dumps(given.data)).encode()


def data_of(badge: CandidateBadge) -> bytes | str:
    return badge.document if badge.document_kind == "upload" else badge.document.decode()


def _check(candidate: Candidate, vacancy: Vacancy, badge: CandidateBadge, data, source: str, actor=None) -> None:
    """Verify ``data`` for ``badge`` and record the result; the previous check is replaced."""
    old = badge.verification_id
    found = run_verification(
        data,
        recipient_email=candidate.email,
        source=source,
        organisation=vacancy.organisation,
        actor=actor,
        candidate_email=candidate.email,
        input_label=badge.label,
    )
    result = found.result
    badge.verification_id = found.id
    badge.verdict = found.verdict
    badge.reason = found.reason
    badge.achievement_name = found.achievement_name
    badge.issuer_name = found.issuer_name
    badge.checked_at = utcnow()
    badge.proves_skills = found.verdict == "valid" and found.recipient_match is not False
    badge.claims_proven = found.claims_proven
    badge.claimed_skills = badge_claims.claims_of(found.parsed_credential, (result.get("issuer") or {}).get("id"))
    db.session.flush()
    if old and old != found.id:
        db.session.execute(delete(Verification).where(Verification.id == old))


def _add_badge(candidate: Candidate, vacancy: Vacancy, given: VerificationInput) -> CandidateBadge:
    badge = CandidateBadge(
        candidate_id=candidate.id,
        document=_document(given),
        document_kind=given.source,
        label=(given.label or "")[:500] or None,
        verdict="unverifiable",
        checked_at=utcnow(),
        claimed_skills=[],
    )
    db.session.add(badge)
    db.session.flush()
    _check(candidate, vacancy, badge, given.data, given.source)
    return badge


def _refresh_all(candidates: list[Candidate]) -> None:
    """Every candidate's fit counts again (one vacancy's), in two queries."""
    if not candidates:
        return
    requirements = fit.requirements_of(candidates[0].vacancy)
    by_candidate: dict[int, list[CandidateBadge]] = {c.id: [] for c in candidates}
    for badge in badges_of(candidates):
        by_candidate[badge.candidate_id].append(badge)
    for candidate in candidates:
        fit.refresh(candidate, requirements, by_candidate[candidate.id])
    db.session.flush()


def _email(candidate: Candidate, vacancy: Vacancy, token: str, first: bool) -> None:
    link = links.public_url(f"/apply/{vacancy.token}/me/{token}")
    mail.send(
        candidate.email,
        f"Your application for {vacancy.title}" if first else f"Your link for {vacancy.title}",
        f"Dear {candidate.name},\n\n"
        + (
            f"Thank you for applying for {vacancy.title} at {vacancy.organisation.name}.\n\n"
            if first
            else "Here is a new link to your application (the old one no longer works).\n\n"
        )
        + "Your private link, to see how your badges were checked, add more badges until "
        f"{vacancy.closes_on:%d %B %Y}, download your data or withdraw:\n{link}\n\n"
        "Do not share this link.\n",
    )


def apply(
    vacancy: Vacancy,
    *,
    name: str,
    email: str,
    consent: bool,
    carry_badges: bool,
    inputs: list[VerificationInput],
    today: date,
) -> tuple[Candidate | None, str | None]:
    """Make an application. Returns (candidate, private token); (None, None) when this email has
    applied already, in which case a new private link is emailed to that address (the page says the
    same either way, so it tells no one who has applied)."""
    if not vacancy.is_open(today):
        raise RecruitmentError("This vacancy has closed and no longer takes applications")
    name, email = (name or "").strip(), (email or "").strip().lower()
    if not name:
        raise RecruitmentError("Enter your full name", field="name")
    if not consent:
        raise RecruitmentError("Agree to how your data is used, or you cannot apply", field="consent")
    if len(inputs) > MAX_PER_SUBMISSION:
        raise RecruitmentError(f"Share at most {MAX_PER_SUBMISSION} badges at a time", field="badges")
    existing = db.session.scalar(select(Candidate).where(Candidate.vacancy_id == vacancy.id, Candidate.email == email))
    token, digest = tokens.new_token()
    if existing is not None:
        existing.token_hash = digest
        db.session.flush()
        audit.record(
            None,
            "candidate.link_resent",
            existing,
            "Sent a candidate a new link to their application",
            organisation=vacancy.organisation_id,
        )
        _email(existing, vacancy, token, first=False)
        return None, None
    candidate = Candidate(
        vacancy_id=vacancy.id,
        name=name[:200],
        email=email,
        consent_text=consent_text(vacancy),
        consented_at=utcnow(),
        carry_badges=bool(carry_badges),
        token_hash=digest,
    )
    db.session.add(candidate)
    db.session.flush()
    for given in inputs:
        _add_badge(candidate, vacancy, given)
    _refresh_all([candidate])
    audit.record(
        None,
        "candidate.applied",
        candidate,
        f"A candidate applied for {vacancy.title}",
        organisation=vacancy.organisation_id,
        badges=len(inputs),
    )
    _email(candidate, vacancy, token, first=True)
    return candidate, token


def by_token(vacancy: Vacancy, token: str) -> Candidate | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Candidate).where(Candidate.vacancy_id == vacancy.id, Candidate.token_hash == tokens.digest(token))
    )


def badge_count(candidate: Candidate) -> int:
    return db.session.scalar(select(func.count()).where(CandidateBadge.candidate_id == candidate.id)) or 0


def add_badges(candidate: Candidate, inputs: list[VerificationInput], today: date) -> list[CandidateBadge]:
    """The candidate shares more badges (until the closing date, up to MAX_BADGES in all)."""
    vacancy = candidate.vacancy
    if not vacancy.is_open(today):
        raise RecruitmentError("This vacancy has closed: you can no longer add badges")
    if not inputs:
        raise RecruitmentError("Upload a badge file, paste the badge, or give its web address", field="badges")
    if len(inputs) > MAX_PER_SUBMISSION:
        raise RecruitmentError(f"Share at most {MAX_PER_SUBMISSION} badges at a time", field="badges")
    if badge_count(candidate) + len(inputs) > MAX_BADGES:
        raise RecruitmentError(f"An application can have at most {MAX_BADGES} badges", field="badges")
    added = [_add_badge(candidate, vacancy, given) for given in inputs]
    _refresh_all([candidate])
    audit.record(
        None,
        "candidate.badges_added",
        candidate,
        f"A candidate added {len(added)} badge(s) for {vacancy.title}",
        organisation=vacancy.organisation_id,
    )
    return added


RECHECK_JOB = "candidate_recheck"


def badges_of(candidates: list[Candidate]) -> list[CandidateBadge]:
    return list(
        db.session.scalars(
            select(CandidateBadge)
            .where(CandidateBadge.candidate_id.in_([c.id for c in candidates]))
            .order_by(CandidateBadge.id)
        )
    )


def start_recheck_job(actor, vacancy: Vacancy, candidates: list[Candidate]):
    """Check many candidates' badges again in the background (each may be fetched from its issuer)."""
    total = len(badges_of(candidates))
    return jobs.submit(
        actor,
        vacancy.organisation,
        RECHECK_JOB,
        f"Check again the {total} badges of {len(candidates)} candidates for {vacancy.title}",
        {"vacancy_id": vacancy.id, "candidate_ids": [c.id for c in candidates]},
        total=total,
    )


@jobs.runner(RECHECK_JOB)
def _run_recheck_job(job, progress) -> None:
    candidates = list(
        db.session.scalars(
            select(Candidate).where(
                Candidate.id.in_(job.params["candidate_ids"]), Candidate.vacancy_id == job.params["vacancy_id"]
            )
        )
    )
    by_id = {c.id: c for c in candidates}
    done = set((job.result or {}).get("checked") or [])
    for row, badge in enumerate(badges_of(candidates), start=1):
        if badge.id in done:
            continue
        candidate = by_id[badge.candidate_id]
        try:
            with db.session.begin_nested():
                _check(candidate, candidate.vacancy, badge, data_of(badge), badge.document_kind)
        except Exception as exc:  # noqa: BLE001 (reported by row; the others go ahead)
            progress.failed(row, badge.shown_name, f"Could not be checked ({type(exc).__name__}); try again")
            continue
        done.add(badge.id)
        job.result = {**(job.result or {}), "checked": sorted(done)}
        progress.succeeded()
    _refresh_all(candidates)
    if candidates:
        audit.record(
            None,
            "candidate.rechecked",
            candidates[0].vacancy,
            f"Checked {len(done)} badge(s) of {len(candidates)} candidate(s) again (job {job.id})",
            candidates=[c.id for c in candidates][:50],
        )


def recheck(actor, candidates: list[Candidate]) -> int:
    """Check every badge of these candidates again (an issuer may have revoked one since).
    Refuses more than MAX_INTERACTIVE_CHECKS badges in one go. Returns how many were checked."""
    ids = [c.id for c in candidates]
    badges = badges_of(candidates)
    if len(badges) > MAX_INTERACTIVE_CHECKS:
        raise RecruitmentError(
            f"That is {len(badges)} badges; at most {MAX_INTERACTIVE_CHECKS} are checked while you wait "
            "(more are checked in the background)."
        )
    by_id = {c.id: c for c in candidates}
    for badge in badges:
        candidate = by_id[badge.candidate_id]
        _check(candidate, candidate.vacancy, badge, data_of(badge), badge.document_kind, actor=actor)
    _refresh_all(candidates)
    if candidates:
        audit.record(
            actor,
            "candidate.rechecked",
            candidates[0].vacancy,
            f"Checked {len(badges)} badge(s) of {len(candidates)} candidate(s) again",
            candidates=ids[:50],
        )
    return len(badges)


def erase(candidate: Candidate) -> None:
    """Delete the candidate, their badges and the verifications of those badges."""
    ids = list(
        db.session.scalars(
            select(CandidateBadge.verification_id).where(
                CandidateBadge.candidate_id == candidate.id, CandidateBadge.verification_id.is_not(None)
            )
        )
    )
    db.session.execute(delete(CandidateBadge).where(CandidateBadge.candidate_id == candidate.id))
    if ids:
        db.session.execute(delete(Verification).where(Verification.id.in_(ids)))
    db.session.delete(candidate)
    db.session.flush()


def withdraw(candidate: Candidate) -> None:
    """The candidate withdraws: their data goes at once; the audit keeps no personal data."""
    vacancy = candidate.vacancy
    audit.record(
        None,
        "candidate.withdrew",
        candidate,
        f"A candidate withdrew from {vacancy.title}; their data was deleted",
        organisation=vacancy.organisation_id,
    )
    erase(candidate)


def erase_on_request(actor, candidate: Candidate) -> None:
    """A recruiter deletes a candidate's data at the candidate's request."""
    vacancy = candidate.vacancy
    audit.record(
        actor,
        "candidate.erased",
        candidate,
        f"Deleted a candidate's data for {vacancy.title} at their request",
        organisation=vacancy.organisation_id,
    )
    erase(candidate)


def subject_access_export(candidate: Candidate) -> bytes:
    """Everything kept about the candidate (UK GDPR subject access): a zip with data.json and
    every file they shared, as they shared it."""
    vacancy = candidate.vacancy
    badges = list(
        db.session.scalars(
            select(CandidateBadge).where(CandidateBadge.candidate_id == candidate.id).order_by(CandidateBadge.id)
        )
    )
    verifications = {
        v.id: v
        for v in db.session.scalars(
            select(Verification).where(Verification.id.in_([b.verification_id for b in badges if b.verification_id]))
        )
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        files = []
        for n, badge in enumerate(badges, start=1):
            name = None
            if badge.document_kind == "upload":
                safe = "".join(c for c in (badge.label or "badge") if c.isalnum() or c in "._-")[:80] or "badge"
                name = f"files/{n}-{safe}"
                archive.writestr(name, badge.document)
            found = verifications.get(badge.verification_id or 0)
            files.append(
                {
                    "shared_as": badge.document_kind,
                    "file": name,
                    "text_or_address": None if badge.document_kind == "upload" else badge.document.decode(),
                    "shared_at": badge.created_at.isoformat(),
                    "verdict": badge.verdict,
                    "reason": badge.reason,
                    "achievement": badge.achievement_name,
                    "issuer": badge.issuer_name,
                    "checked_at": badge.checked_at.isoformat(),
                    "check": found.result if found else None,
                }
            )
        data = {
            "vacancy": {
                "title": vacancy.title,
                "employer": vacancy.organisation.name,
                "closes_on": vacancy.closes_on.isoformat(),
            },
            "name": candidate.name,
            "email": candidate.email,
            "applied_at": candidate.created_at.isoformat(),
            "consent": {"text": candidate.consent_text, "given_at": candidate.consented_at.isoformat()},
            "badges_to_wallet_if_hired": candidate.carry_badges,
            "status": candidate.status_label,
            "badges": files,
        }
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
    return out.getvalue()
