"""Recruitment: vacancies from job roles, candidates who apply with badges verified on arrival,
their fit against the role, the shortlist, hiring, and deleting candidates' data on time."""

from app.services.accounts.organisations import invitation_accepted
from app.services.recruitment import applications, exports, fit, queries, retention, statuses, vacancies
from app.services.recruitment.vacancies import RecruitmentError


@invitation_accepted.connect
def _carry_hired_badges(invitation, user, **_):
    statuses.on_invitation_accepted(invitation, user)


__all__ = ["RecruitmentError", "applications", "exports", "fit", "queries", "retention", "statuses", "vacancies"]
