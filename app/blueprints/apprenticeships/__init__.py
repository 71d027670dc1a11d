"""Apprenticeships: programmes and cohorts (providers), each apprentice's record, training
plan, off-the-job log and progress reviews, and everyone's caseload.

Routes are split by subject: `caseload.py`, `programmes.py`, `cohorts.py`, `records.py`,
`off_the_job.py`, `reviews.py`; `loading.py` loads a record the person may see, or refuses.
"""

from flask import Blueprint

bp = Blueprint("apprenticeships", __name__)
