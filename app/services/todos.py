"""What is waiting for a person, as counts for their dashboard: one cheap query per count.

Each count names the endpoint where the person acts on it (services never build URLs; the
dashboard does). Apprentices at risk or off track are counted from each apprenticeship's kept
progress status (app.services.apprenticeships.progress). Apprenticeship to-dos (plans to accept, reviews to sign, entries to confirm) and
the platform reviewers' queue keep their own panels on the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.models import Apprenticeship, EvidenceEntry, EvidenceStatus, Membership
from app.security.permissions import Permission
from app.security.policy import assessor_condition, permissions_of
from app.services import jobs, recruitment, rpl
from app.services.apprenticeships import queries as apprenticeship_queries
from app.services.cpd import queries as cpd_queries
from app.services.issuing import awards


@dataclass(frozen=True)
class Todo:
    count: int
    label: str  # "CPD request to endorse or decide", pluralised by `text`
    plural: str
    endpoint: str
    args: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{self.count:,} {self.label if self.count == 1 else self.plural}"


def counts_for(user, membership: Membership | None) -> list[Todo]:
    """Everything waiting for ``user`` (in ``membership``'s organisation where it belongs to one),
    leaving out what is not waiting."""
    todos: list[Todo] = []
    finished = jobs.finished_unseen_count(user)
    if finished:
        latest = jobs.latest_unseen(user)
        todos.append(
            Todo(finished, "job finished", "jobs finished", "jobs.show", {"job_id": latest.id} if latest else {})
        )
    badges = awards.unclaimed_count(user)
    if badges:
        todos.append(Todo(badges, "badge to accept", "badges to accept", "wallet.index"))
    if membership is not None:
        granted = permissions_of(membership)
        if Permission.CPD_REQUEST in granted:
            agreements = cpd_queries.agreements_to_accept_count(user, membership.organisation_id)
            if agreements:
                todos.append(
                    Todo(agreements, "learning agreement to accept", "learning agreements to accept", "cpd.mine")
                )
        if Permission.CPD_ENDORSE in granted or Permission.CPD_APPROVE in granted:
            waiting = cpd_queries.waiting_count(user, membership)
            if waiting:
                where = "cpd.dashboard" if Permission.CPD_APPROVE in granted else "cpd.mine"
                todos.append(
                    Todo(waiting, "CPD request to endorse or decide", "CPD requests to endorse or decide", where)
                )
        if Permission.COHORTS_MANAGE in granted:
            waiting_rpl = rpl.waiting_count(membership.organisation_id)
            if waiting_rpl:
                todos.append(
                    Todo(
                        waiting_rpl,
                        "request for recognition of prior learning to decide",
                        "requests for recognition of prior learning to decide",
                        "rpl.requests",
                    )
                )
        if Permission.EVIDENCE_SIGN_OFF in granted:
            evidence = evidence_to_sign_off(membership)
            if evidence:
                todos.append(
                    Todo(
                        evidence, "evidence entry to sign off", "evidence entries to sign off", "apprenticeships.index"
                    )
                )
        attention = apprenticeship_queries.needing_attention(membership)
        for status, one, many in (
            ("off_track", "apprentice off track", "apprentices off track"),
            ("at_risk", "apprentice at risk", "apprentices at risk"),
        ):
            if attention.get(status):
                todos.append(Todo(attention[status], one, many, "apprenticeships.index", {"progress": status}))
        if membership.organisation.kind == "employer":
            manages = Permission.RECRUITMENT_MANAGE in granted
            applications = recruitment.vacancies.new_applications(membership.organisation, membership, manages)
            if applications:
                todos.append(
                    Todo(applications, "new application to look at", "new applications to look at", "recruitment.index")
                )
    return todos


def evidence_to_sign_off(membership: Membership) -> int:
    """Submitted evidence in this assessor's caseload that someone else recorded (one query; the
    same rule as `evidence_sign_off_refusal`)."""
    return (
        db.session.scalar(
            select(func.count(EvidenceEntry.id))
            .join(Apprenticeship, EvidenceEntry.apprenticeship_id == Apprenticeship.id)
            .where(
                assessor_condition(membership),
                EvidenceEntry.status.in_([EvidenceStatus.SUBMITTED, EvidenceStatus.RESUBMITTED]),
                EvidenceEntry.recorded_by_id != membership.user_id,
            )
        )
        or 0
    )
