"""Verifying many credentials at once across all CPU cores.

RDF canonicalisation is CPU-bound pure Python, so a batch is spread over worker
processes. Each worker builds its own fetcher with ``fetcher_factory`` (a picklable,
module-level callable: fetchers hold connections and cannot cross processes). The
hub's issuer directory usually needs the database, so ``issuer_lookup`` runs in the
calling process after the workers finish.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .fetching import Fetcher
from .result import VerificationResult
from .verify import IssuerLookup, issuer_known_check, verify

_worker_fetcher: Fetcher | None = None


@dataclass
class VerifyJob:
    """One item of a batch: what was handed in, and the candidate's email if known."""

    data: bytes | str | dict[str, Any]
    recipient_email: str | None = None


def _init_worker(fetcher_factory: Callable[[], Fetcher]) -> None:
    global _worker_fetcher  # one fetcher per worker process, reused for its share of the batch
    _worker_fetcher = fetcher_factory()


def _run(args: tuple[VerifyJob, datetime | None, dict[str, Any] | None]) -> VerificationResult:
    job, now, key_overrides = args
    assert _worker_fetcher is not None
    return verify(
        job.data, fetcher=_worker_fetcher, recipient_email=job.recipient_email, now=now, key_overrides=key_overrides
    )


def _with_issuer_lookup(result: VerificationResult, lookup: IssuerLookup | None) -> VerificationResult:
    if lookup is None or result.issuer.id is None:
        return result
    check, name = issuer_known_check(result.issuer.id, lookup)
    result.checks = [check if c.name == "issuer_known" else c for c in result.checks]
    if not any(c.name == "issuer_known" for c in result.checks):
        result.checks.append(check)
    if not result.issuer.name and name:
        result.issuer.name = name
    # issuer_known is never a failure, so the verdict the worker reached still stands.
    return result


def verify_batch(
    jobs: Sequence[VerifyJob],
    *,
    fetcher_factory: Callable[[], Fetcher],
    workers: int | None = None,
    now: datetime | None = None,
    issuer_lookup: IssuerLookup | None = None,
    key_overrides: dict[str, Any] | None = None,
) -> list[VerificationResult]:
    """Verify every job, in order; ``workers`` defaults to the number of CPU cores.

    Small batches (or ``workers=1``) run in this process: starting workers costs more
    than it saves below a few dozen credentials.
    """
    workers = workers or os.cpu_count() or 1
    args = [(job, now, key_overrides) for job in jobs]
    if workers == 1 or len(jobs) < 16:
        _init_worker(fetcher_factory)
        results = [_run(a) for a in args]
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(fetcher_factory,)) as pool:
            results = list(pool.map(_run, args, chunksize=max(1, len(args) // (workers * 4))))
    return [_with_issuer_lookup(r, issuer_lookup) for r in results]
