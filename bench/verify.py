"""Verification speed: median and p95 per credential for each proof format, and batch
throughput for 1,000 credentials across all cores.

    python bench/verify.py [--count 1000] [--workers N]

Each timing is a full :func:`app.openbadges.verify.verify` call (parse, proof, issuer
binding, validity window, schema, recipient) on a credential issued by our own engine
with a did:key issuer, so no network is involved. Contexts are warmed first, as they
are in a running server. Figures are printed as measured, whatever they are.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.openbadges import issuing  # noqa: E402
from app.openbadges.batch import VerifyJob, verify_batch  # noqa: E402
from app.openbadges.fetching import FetchError, FetchResponse  # noqa: E402
from app.openbadges.keys import generate_key_pair  # noqa: E402
from app.openbadges.proofs import JCS, RDFC  # noqa: E402
from app.openbadges.result import Verdict  # noqa: E402
from app.openbadges.verify import verify  # noqa: E402

GOALS_MS = {"eddsa-jcs-2022": 1.0, "vc-jwt": 1.0, "eddsa-rdfc-2022": 5.0}


class NoNetwork:
    """The benchmark never needs the network; any fetch would be a bug."""

    def get(self, url: str, *, accept: str | None = None) -> FetchResponse:
        raise FetchError(f"benchmark made an unexpected fetch: {url}")


def make_samples(count: int) -> dict[str, list[str]]:
    """``count`` distinct credentials per format, serialised as a verifier receives them."""
    key_pair = generate_key_pair()
    did = "did:key:" + key_pair.public_multibase
    vm = f"{did}#{key_pair.public_multibase}"
    issuer = issuing.IssuerProfile(did, "Benchmark College", url="https://college.example")
    achievement = issuing.AchievementSpec(
        id="https://hub.example/micro-credentials/1",
        name="Data Analysis",
        description="Working with data.",
        criteria="Passed the project.",
        credits_available=10,
        level=issuing.Level("SCQF", "7"),
        skills=[issuing.Skill("use databases", "http://data.europa.eu/esco/skill/x")],
    )
    samples: dict[str, list[str]] = {name: [] for name in GOALS_MS}
    for n in range(count):
        award = issuing.Award(f"learner{n}@example.org", valid_from=datetime(2026, 1, 1, tzinfo=UTC))
        unsigned = issuing.build_credential(issuer, achievement, award)
        samples["eddsa-rdfc-2022"].append(
            json.dumps(issuing.sign_credential(unsigned, key_pair, verification_method=vm, suite=RDFC))
        )
        samples["eddsa-jcs-2022"].append(
            json.dumps(issuing.sign_credential(unsigned, key_pair, verification_method=vm, suite=JCS))
        )
        samples["vc-jwt"].append(issuing.issue_jwt(unsigned, key_pair, verification_method=vm))
    return samples


def verify_one(data: str) -> bool:
    return verify(data, fetcher=NoNetwork()).verdict is Verdict.VALID


def _check_valid(data: str) -> None:
    result = verify(data, fetcher=NoNetwork())
    if result.verdict is not Verdict.VALID:
        raise SystemExit(f"benchmark credential did not verify: {result.to_json()['checks']}")


def per_credential(samples: list[str]) -> tuple[float, float, float, float]:
    """(median wall ms, p95 wall ms, median CPU ms, credentials/s) verifying each sample
    once, one after another. CPU time is shown because other load on the machine
    inflates wall time."""
    times, cpu = [], []
    for data in samples:
        start, start_cpu = time.perf_counter(), time.process_time()
        verify_one(data)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    total = sum(times)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, statistics.median(cpu), len(times) * 1000 / total


def throughput(samples: list[str], workers: int) -> float:
    """Credentials per second through :func:`verify_batch` with ``workers`` processes
    (worker start-up included, as a batch request would pay it)."""
    start = time.perf_counter()
    results = verify_batch([VerifyJob(data) for data in samples], fetcher_factory=NoNetwork, workers=workers)
    elapsed = time.perf_counter() - start
    if any(r.verdict is not Verdict.VALID for r in results):
        raise SystemExit("a benchmark credential failed in the batch")
    return len(results) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    samples = make_samples(args.count)
    for items in samples.values():
        _check_valid(items[0])  # also warms context caches
    print(
        f"{args.count} credentials per format; {args.workers} worker processes for batches; "
        f"load average before the run {os.getloadavg()[0]:.2f} (other work on the machine skews figures)"
    )
    print(f"{'format':<18}{'median ms':>10}{'p95 ms':>10}{'cpu ms':>8}{'goal ms':>9}{'1 core/s':>10}{'pool/s':>9}")
    for name, items in samples.items():
        median, p95, cpu, serial = per_credential(items)
        rate = throughput(items, args.workers)
        verdict = "meets goal" if median < GOALS_MS[name] else "misses goal"
        print(
            f"{name:<18}{median:>10.2f}{p95:>10.2f}{cpu:>8.2f}{GOALS_MS[name]:>9.1f}{serial:>10.0f}{rate:>9.0f}"
            f"   {verdict} (median wall time)"
        )


if __name__ == "__main__":
    main()
