"""The RPL workflow: submit (learner), re-verify the badges and decide per module (coordinator)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.domain import DomainError
from app.extensions import db
from app.models import (
    Apprenticeship,
    IssuedCredential,
    Membership,
    Organisation,
    Programme,
    ProgrammeStatus,
    RplDecision,
    RplRequest,
    RplStatus,
    User,
    WalletCredential,
    utcnow,
)
from app.models.verifications import VERDICT_COLOURS, VERDICT_LABELS, reason_of
from app.services import audit, links, mail
from app.services.apprenticeships import plans
from app.services.verification.verifier import result_payload, verify_data
from app.services.wallet import entries as wallet_entries
from app.services.wallet import imports as wallet_imports

PAGE_SIZE = 25
MAX_BADGES = 20


class RplError(DomainError):
    """The request or decision cannot be made as asked (message is for the person)."""


@dataclass
class BadgeCheck:
    """One attached badge as the coordinator sees it: checked again just now."""

    title: str
    issuer: str | None
    status_label: str
    status_colour: str
    note: str


@dataclass
class ModuleDecision:
    module_id: int
    granted: bool
    reason: str


def open_programmes(limit: int = 200) -> list[Programme]:
    """Published programmes a learner may ask credit towards, by provider and title."""
    return list(
        db.session.scalars(
            select(Programme)
            .join(Organisation, Programme.organisation_id == Organisation.id)
            .where(Programme.status == ProgrammeStatus.PUBLISHED)
            .order_by(Organisation.name, Programme.title)
            .limit(limit)
        ).unique()
    )


def attachable_badges(user) -> list[dict]:
    """The learner's verified digital badges, as {"key", "kind", "id", "title"} to choose from."""
    found = []
    for e in wallet_entries.entries_of(user):
        if e.status_label != "Valid":
            continue
        if e.issued is not None:
            found.append({"key": f"issued-{e.issued.id}", "kind": "issued", "id": e.issued.id, "title": e.title})
        elif e.imported is not None:
            found.append(
                {"key": f"imported-{e.imported.id}", "kind": "imported", "id": e.imported.id, "title": e.title}
            )
    return found


def submit(learner, programme_id: int, badge_keys: list[str], message: str) -> RplRequest:
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.status != ProgrammeStatus.PUBLISHED:
        raise RplError("Choose a programme", field="programme_id")
    choices = {b["key"]: b for b in attachable_badges(learner)}
    chosen = [choices[k] for k in dict.fromkeys(badge_keys) if k in choices]
    if not chosen:
        raise RplError("Choose at least one verified badge to attach", field="badges")
    if len(chosen) > MAX_BADGES:
        raise RplError(f"Attach at most {MAX_BADGES} badges", field="badges")
    request = RplRequest(
        organisation_id=programme.organisation_id,
        learner_id=learner.id,
        programme_id=programme.id,
        message=(message or "").strip()[:4000] or None,
        badges=[{"kind": b["kind"], "id": b["id"], "title": b["title"][:300]} for b in chosen],
        status=RplStatus.SUBMITTED,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        learner,
        "rpl.submit",
        request,
        f"{learner.name} asked for recognition of prior learning towards {programme.title} with "
        f"{len(chosen)} badge{'s' if len(chosen) != 1 else ''}",
        organisation=programme.organisation_id,
    )
    return request


def recheck_badges(request: RplRequest) -> list[BadgeCheck]:
    """Each attached badge checked again now: imports through the verifier (the result is shown,
    not stored: looking changes nothing), Credwork's own awards against its register. A badge the
    learner removed since says so."""
    learner = db.session.get(User, request.learner_id)
    checks = []
    for ref in request.badges:
        if ref["kind"] == "imported":
            entry = db.session.get(WalletCredential, ref["id"])
            if entry is None or entry.user_id != request.learner_id:
                checks.append(
                    BadgeCheck(ref["title"], None, "No longer in the wallet", "grey", "Removed by the learner")
                )
                continue
            payload = result_payload(verify_data(wallet_imports.data_of(entry), learner.email if learner else None))
            verdict = payload["verdict"]
            checks.append(
                BadgeCheck(
                    ref["title"],
                    entry.issuer_name,
                    VERDICT_LABELS.get(verdict, verdict),
                    VERDICT_COLOURS.get(verdict, "grey"),
                    reason_of(payload) or "Checked just now",
                )
            )
        else:
            issued = db.session.get(IssuedCredential, ref["id"])
            if issued is None or issued.user_id != request.learner_id:
                checks.append(
                    BadgeCheck(ref["title"], None, "Not found", "grey", "This badge is no longer the learner's")
                )
                continue
            if issued.revoked_at:
                label, colour, note = "Revoked", "red", issued.revocation_reason or "Revoked by its issuer"
            elif issued.valid_until and issued.valid_until < utcnow():
                label, colour, note = "Expired", "grey", "Past its expiry date"
            else:
                label, colour, note = "Valid", "green", "Checked just now against Credwork's register"
            checks.append(BadgeCheck(ref["title"], issued.issuer.name, label, colour, note))
    return checks


def decide(actor, request: RplRequest, decisions: list[ModuleDecision]) -> None:
    """Grant or refuse credit for each module, each with a reason; the learner is told. An
    apprentice on this programme who has not started gets the granted modules as prior learning."""
    if request.status != RplStatus.SUBMITTED:
        raise RplError("This request has already been decided")
    modules = {m.id: m for m in request.programme.modules}
    chosen = [d for d in decisions if d.module_id in modules]
    if not chosen:
        raise RplError("Decide at least one module")
    for d in chosen:
        if not d.reason.strip():
            raise RplError(
                f"Give the reason for {modules[d.module_id].micro_credential.title}", field=f"reason-{d.module_id}"
            )
    for d in chosen:
        request.decisions.append(RplDecision(module_id=d.module_id, granted=d.granted, reason=d.reason.strip()[:2000]))
    request.status = RplStatus.DECIDED
    request.decided_at, request.decided_by_id = utcnow(), actor.id
    db.session.flush()
    granted = [d for d in chosen if d.granted]
    _into_apprenticeship(actor, request, granted)
    learner = request.learner
    lines = "\n".join(
        f"- {modules[d.module_id].micro_credential.title}: {'credit granted' if d.granted else 'not granted'} ({d.reason.strip()})"
        for d in chosen
    )
    mail.send(
        learner.email,
        f"Your request for recognition of prior learning: {request.programme.title}",
        f"Dear {learner.name},\n\n{request.organisation.name} has decided your request towards "
        f"{request.programme.title}:\n\n{lines}\n\nSee it in your wallet: {links.public_url('/wallet/')}\n",
    )
    audit.record(
        actor,
        "rpl.decide",
        request,
        f"Decided {learner.name}'s request: {len(granted)} of {len(chosen)} modules granted",
        granted=[d.module_id for d in granted],
        refused=[d.module_id for d in chosen if not d.granted],
    )


def _into_apprenticeship(actor, request: RplRequest, granted: list[ModuleDecision]) -> None:
    apprenticeship = db.session.scalar(
        select(Apprenticeship)
        .join(Membership, Apprenticeship.apprentice_id == Membership.id)
        .where(
            Membership.user_id == request.learner_id,
            Apprenticeship.programme_id == request.programme_id,
            Apprenticeship.status == "planned",
        )
    )
    if apprenticeship is None:
        return
    for d in granted:
        if not any(p.module_id == d.module_id for p in apprenticeship.prior_learning):
            plans.recognise_prior_learning(
                actor,
                apprenticeship,
                outcome_id=None,
                module_id=d.module_id,
                reason=f"Recognition of prior learning (request {request.id}): {d.reason.strip()}",
            )


def granted_credit(user) -> list[tuple[RplRequest, RplDecision]]:
    """Credit granted to ``user`` through RPL, newest decision first."""
    rows = db.session.execute(
        select(RplRequest, RplDecision)
        .join(RplDecision, RplDecision.request_id == RplRequest.id)
        .where(RplRequest.learner_id == user.id, RplDecision.granted.is_(True))
        .order_by(RplRequest.decided_at.desc(), RplDecision.id)
        .limit(200)
    ).all()
    return [(r, d) for r, d in rows]


def requests_of_learner(user) -> list[RplRequest]:
    return list(
        db.session.scalars(
            select(RplRequest).where(RplRequest.learner_id == user.id).order_by(RplRequest.created_at.desc()).limit(50)
        ).unique()
    )


def requests_page(org, page: int = 1, show: str = "waiting") -> tuple[list[RplRequest], int, int]:
    """The provider's requests (waiting first by default), one page: (rows, page, pages)."""
    stmt = select(RplRequest).where(RplRequest.visible_to(org))
    if show == "waiting":
        stmt = stmt.where(RplRequest.status == RplStatus.SUBMITTED)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = max(1, min(page, pages))
    rows = db.session.scalars(
        stmt.order_by(RplRequest.created_at, RplRequest.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).unique()
    return list(rows), page, pages


def waiting_count(org_id: int) -> int:
    """Requests to this provider waiting for a decision (one COUNT query)."""
    return (
        db.session.scalar(
            select(func.count(RplRequest.id)).where(
                RplRequest.organisation_id == org_id, RplRequest.status == RplStatus.SUBMITTED
            )
        )
        or 0
    )


def own_request(user, request_id: int) -> RplRequest | None:
    """One of ``user``'s own requests (None for anyone else's: never revealed)."""
    found = db.session.get(RplRequest, request_id)
    return found if found is not None and found.learner_id == user.id else None
