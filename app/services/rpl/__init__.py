"""Recognition of prior learning: a learner's request with badges from their wallet, the
provider's coordinator's decision on each module, and the credit granted on the learner's record
(and, for an apprentice on that programme who has not started, as prior learning in their plan)."""

from app.services.rpl.requests import (
    PAGE_SIZE,
    BadgeCheck,
    ModuleDecision,
    RplError,
    attachable_badges,
    decide,
    granted_credit,
    open_programmes,
    own_request,
    recheck_badges,
    requests_of_learner,
    requests_page,
    submit,
    waiting_count,
)

__all__ = [
    "PAGE_SIZE",
    "BadgeCheck",
    "ModuleDecision",
    "RplError",
    "attachable_badges",
    "decide",
    "granted_credit",
    "open_programmes",
    "own_request",
    "recheck_badges",
    "requests_of_learner",
    "requests_page",
    "submit",
    "waiting_count",
]
