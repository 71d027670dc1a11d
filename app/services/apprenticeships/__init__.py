"""Apprenticeships: programmes (versioned) and cohorts at a provider, apprentices enrolled from
partner employers, the training plan the three parties accept, breaks in learning, prior
learning, the off-the-job log, tripartite progress reviews and each apprentice's progress
status.

Modules: `programmes`, `cohorts` (and enrolment, CSV import), `lifecycle` (the TRANSITIONS
table), `plans` (acceptance, changes, prior learning, module results), `off_the_job`,
`reviews`, `progress` (status with reasons for a list at once), `queries` (caseloads, to-dos,
cohort counts), `radar` (the review chart), `pdf`, `calendar` (.ics feeds), `api` (the JSON
for partners' HR systems), `history` (every change recorded). Other layers use them through
this package: `apprenticeships.lifecycle.change(...)`.
"""

from app.services.apprenticeships import (
    api,
    calendar,
    cohorts,
    history,
    lifecycle,
    off_the_job,
    pdf,
    plans,
    programmes,
    progress,
    queries,
    radar,
    reviews,
)
from app.services.apprenticeships.errors import ApprenticeshipError

__all__ = [
    "ApprenticeshipError",
    "api",
    "calendar",
    "cohorts",
    "history",
    "lifecycle",
    "off_the_job",
    "pdf",
    "plans",
    "programmes",
    "progress",
    "queries",
    "radar",
    "reviews",
]
