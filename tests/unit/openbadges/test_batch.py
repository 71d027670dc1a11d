"""Batch verification over worker processes gives the same results as one by one."""

from __future__ import annotations

import json

from app.openbadges import issuing
from app.openbadges.batch import VerifyJob, verify_batch
from app.openbadges.keys import generate_key_pair
from app.openbadges.result import CheckStatus, Verdict
from tests.support.openbadges import TableFetcher


def _credentials(count: int) -> list[str]:
    pair = generate_key_pair()
    did = "did:key:" + pair.public_multibase
    issuer = issuing.IssuerProfile(did, "Caledonian College")
    achievement = issuing.AchievementSpec("https://hub.example/mc/1", "Data Analysis", "Data.", "Project.")
    from datetime import UTC, datetime

    out = []
    for n in range(count):
        award = issuing.Award(f"learner{n}@example.org", valid_from=datetime(2026, 1, 1, tzinfo=UTC))
        out.append(
            json.dumps(
                issuing.issue(issuer, achievement, award, pair, verification_method=f"{did}#{pair.public_multibase}")
            )
        )
    return out


def test_batch_in_worker_processes_keeps_order_and_recipients():
    creds = _credentials(20)
    creds[3] = creds[3].replace("Data Analysis", "Data Forgery")
    jobs = [VerifyJob(c, f"learner{n}@example.org") for n, c in enumerate(creds)]
    jobs[5].recipient_email = "someone@example.org"
    lookups = []

    def lookup(issuer_id):
        lookups.append(issuer_id)
        return {"known": True, "quality_assured": False, "name": "Caledonian College"}

    results = verify_batch(jobs, fetcher_factory=TableFetcher, workers=2, issuer_lookup=lookup)
    verdicts = [r.verdict for r in results]
    assert verdicts[3] is Verdict.INVALID and verdicts[5] is Verdict.INVALID
    assert verdicts.count(Verdict.VALID) == 18
    assert results[5].recipient_match is False and results[0].recipient_match is True
    assert all(r.check("issuer_known").status is CheckStatus.PASS for r in results)
    assert len(lookups) == 20  # the directory is consulted in this process


def test_small_batch_runs_in_process():
    [result] = verify_batch([VerifyJob(_credentials(1)[0])], fetcher_factory=TableFetcher)
    assert result.verdict is Verdict.VALID
