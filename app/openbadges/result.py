"""Result types shared by every verification path (OB 3.0 / VC, VC-JWT, OB 2.0)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    UNVERIFIABLE = "unverifiable"


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"
    NOT_APPLICABLE = "not_applicable"  # means nothing without a valid proof (see set_aside_claims)
    NOT_CONFIGURED = "not_configured"  # this verifier lacks what the check needs (its operator's to fix)


# Checks that read what the credential claims (its dates, status entry, recipient, issuer):
# without a proof that the issuer made those claims, a "pass" on them would only confirm a
# forger's own words.
CLAIM_CHECKS = ("issuer_binding", "validity_window", "status", "recipient", "issuer_known")
NOT_PROVEN = "not applicable: the proof did not verify, so this is only what the credential claims"


@dataclass
class Check:
    """One check reported on its own: name is a stable machine name
    (proof, issuer_binding, validity_window, status, recipient, schema, issuer_known, ...)."""

    name: str
    status: CheckStatus
    detail: str = ""


@dataclass
class Achievement:
    name: str | None = None
    description: str | None = None
    image: str | None = None
    level: str | None = None
    credits: str | None = None
    skills: list[str] = field(default_factory=list)
    criteria: str | None = None


@dataclass
class Issuer:
    id: str | None = None
    name: str | None = None
    url: str | None = None


@dataclass
class VerificationResult:
    """What a verifier concludes about one credential.

    ``format`` is one of: ob3-di (VC with embedded Data Integrity / Ed25519Signature2020 proof),
    vc-jwt, ob2-hosted, ob2-signed, ob1 (older OB versions upgraded), unknown.
    """

    verdict: Verdict
    format: str = "unknown"
    issuer: Issuer = field(default_factory=Issuer)
    achievement: Achievement = field(default_factory=Achievement)
    recipient_match: bool | None = None
    issued_on: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    credential_id: str | None = None
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None  # the parsed credential / assertion, when there is one

    def to_json(self) -> dict[str, Any]:
        """The result as plain JSON, without the credential itself (never deep-copied)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "credential"}
        data["issuer"] = asdict(self.issuer)
        data["achievement"] = asdict(self.achievement)
        data["verdict"] = str(self.verdict)
        data["checks"] = [{"name": c.name, "status": str(c.status), "detail": c.detail} for c in self.checks]
        return data

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    @property
    def claims_proven(self) -> bool:
        return proof_passed(self.checks)


def proof_passed(checks: list[Check]) -> bool:
    """Whether a proof (signature, or the issuer's hosted copy) was checked and holds."""
    return any(c.name == "proof" and c.status is CheckStatus.PASS for c in checks)


def set_aside_claims(checks: list[Check]) -> list[Check]:
    """When a proof was checked and did not hold, the checks that read the credential's claims
    become "not applicable" rather than passes or failures of a forger's words."""
    proof = next((c for c in checks if c.name == "proof"), None)
    if proof is None or proof.status is CheckStatus.PASS:
        return checks
    return [not_proven(c.name) if c.name in CLAIM_CHECKS else c for c in checks]


def not_proven(name: str) -> Check:
    return Check(name, CheckStatus.NOT_APPLICABLE, NOT_PROVEN)


def verdict_from_checks(checks: list[Check], *, expired: bool, revoked: bool) -> Verdict:
    """One rule for every format: a failed proof/binding/recipient/schema makes it invalid;
    otherwise revoked beats expired; a check that could not run (warn on proof or binding)
    makes it unverifiable, and so do a status that could not be checked and the absence of a
    passing proof check."""
    essential = {"proof", "issuer_binding", "parse"}
    if any(c.status is CheckStatus.FAIL and c.name not in {"validity_window", "status"} for c in checks):
        return Verdict.INVALID
    if revoked:
        return Verdict.REVOKED
    if expired:
        return Verdict.EXPIRED
    if any(c.status is not CheckStatus.PASS and c.name in essential for c in checks):
        return Verdict.UNVERIFIABLE
    # "Could not check revocation" must never read as "not revoked": without a status answer
    # nobody can say the credential is valid today.
    if any(c.name == "status" and c.status is CheckStatus.WARN for c in checks):
        return Verdict.UNVERIFIABLE
    # Nothing is valid unless a proof (signature, or the issuer's hosted copy) was checked.
    if not any(c.name == "proof" and c.status is CheckStatus.PASS for c in checks):
        return Verdict.UNVERIFIABLE
    if any(c.status is CheckStatus.FAIL for c in checks):
        return Verdict.INVALID
    return Verdict.VALID
