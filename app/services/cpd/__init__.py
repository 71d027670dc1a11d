"""CPD sponsorship: staff ask (or are nominated) for funded learning, line managers endorse, HR
managers approve against department budgets and funding sources, and the outcome is recorded.

Modules: `workflow` (the TRANSITIONS table and `act`, the one way a request changes state),
`requests` (creating and changing requests), `budgets` (financial years, budgets, funding
sources and the money ledger), `queries` (lists, dashboards, records, CSV), `bulk` (bulk
approval), `notify` (emails after each transition), `pdf` (reports), `people` (who is who in a
request). Other layers use them through this package: `cpd.workflow.act(...)`.
"""

from app.services.cpd import budgets, bulk, notify, pdf, people, queries, requests, workflow
from app.services.cpd.budgets import CpdError, NotEnoughBudget
from app.services.cpd.requests import CourseDetails

__all__ = [
    "CourseDetails",
    "CpdError",
    "NotEnoughBudget",
    "budgets",
    "bulk",
    "notify",
    "pdf",
    "people",
    "queries",
    "requests",
    "workflow",
]
