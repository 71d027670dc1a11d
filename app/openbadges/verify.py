"""One entry point for verifying anything a candidate brings: :func:`verify`.

Each check is reported on its own (parse, proof, issuer_binding, validity_window,
status, recipient, schema, issuer_known) and the verdict follows from them by the
shared rule in :func:`app.openbadges.result.verdict_from_checks`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from . import claims, detect
from .documents import CREDENTIALS_V1, CREDENTIALS_V2
from .fetching import Fetcher, FetchError
from .ob2 import verify_ob2
from .proofs import ProofOutcome, verify_proofs
from .result import (
    Check,
    CheckStatus,
    Verdict,
    VerificationResult,
    not_proven,
    proof_passed,
    verdict_from_checks,
)
from .schema import check_schema
from .status import check_status
from .vc_jwt import JwtOutcome, verify_jwt

logger = logging.getLogger(__name__)
IssuerLookup = Callable[[str], "dict[str, Any] | None"]
_FORMAT_DI = "ob3-di"
_FORMAT_JWT = "vc-jwt"


def _unverifiable(detail: str, *, fmt: str = "unknown", status: CheckStatus = CheckStatus.FAIL) -> VerificationResult:
    verdict = Verdict.INVALID if status is CheckStatus.FAIL else Verdict.UNVERIFIABLE
    return VerificationResult(verdict=verdict, format=fmt, checks=[Check("parse", status, detail)])


def _proof_checks(outcomes: list[ProofOutcome | JwtOutcome], issuer: str | None) -> list[Check]:
    if not outcomes:
        return [
            Check("proof", CheckStatus.FAIL, "the credential carries no proof"),
            Check("issuer_binding", CheckStatus.SKIP, "no proof to bind to the issuer"),
        ]
    if any(not o.verified and not o.unverifiable for o in outcomes):
        failed = next(o for o in outcomes if not o.verified and not o.unverifiable)
        proof = Check("proof", CheckStatus.FAIL, failed.detail)
    elif any(o.unverifiable for o in outcomes):
        proof = Check("proof", CheckStatus.WARN, next(o.detail for o in outcomes if o.unverifiable))
    else:
        proof = Check("proof", CheckStatus.PASS, "; ".join(o.detail for o in outcomes))
    controllers = [o.method.controller for o in outcomes if o.verified and o.method]
    if proof.status is not CheckStatus.PASS:
        binding = not_proven("issuer_binding")
    elif not issuer:
        binding = Check("issuer_binding", CheckStatus.FAIL, "the credential names no issuer")
    elif issuer and issuer in controllers:
        binding = Check("issuer_binding", CheckStatus.PASS, f"the signing key belongs to the issuer {issuer}")
    elif controllers and all(not c for c in controllers):
        binding = Check(
            "issuer_binding", CheckStatus.WARN, "the token carries its own key, which nothing ties to the issuer"
        )
    else:
        binding = Check(
            "issuer_binding",
            CheckStatus.FAIL,
            f"the signing key belongs to {', '.join(sorted(set(controllers)))}, not the issuer {issuer}",
        )
    return [proof, binding]


def _status_check(
    credential: dict[str, Any], fetcher: Fetcher, now: datetime, key_overrides: dict[str, Any] | None
) -> tuple[Check, bool | None]:
    if "credentialStatus" not in credential:
        return Check("status", CheckStatus.SKIP, "the credential has no status information"), None

    def list_is_trusted(status_list: dict[str, Any]) -> bool:
        # The list must be signed by a key that belongs to whoever issued the list.
        outcomes = verify_proofs(status_list, fetcher=fetcher, key_overrides=key_overrides)
        owner = claims.issuer_id(status_list)
        return (
            bool(outcomes)
            and all(o.verified for o in outcomes)
            and any(o.method and o.method.controller == owner for o in outcomes)
        )

    return check_status(credential, fetcher=fetcher, verify_list=list_is_trusted, now=now)


def _schema_check(credential: dict[str, Any], schema_dir: Any = None) -> Check:
    if "credentialSchema" not in credential:
        return Check("schema", CheckStatus.SKIP, "the credential names no JSON Schema")
    return check_schema(credential, schema_dir=schema_dir)


def issuer_known_check(issuer_id: str | None, lookup: IssuerLookup | None) -> tuple[Check, str | None]:
    """The "issuer_known" check (never a failure) and the hub's name for the issuer."""
    if lookup is None or not issuer_id:
        return Check("issuer_known", CheckStatus.SKIP, "no issuer directory consulted"), None
    found = lookup(issuer_id)
    if not found or not found.get("known"):
        return Check("issuer_known", CheckStatus.WARN, "the hub does not know this issuer"), None
    name = found.get("name")
    if found.get("quality_assured"):
        return Check(
            "issuer_known", CheckStatus.PASS, f"{name or 'the issuer'} is known to the hub and quality-assured"
        ), name
    return Check(
        "issuer_known", CheckStatus.PASS, f"{name or 'the issuer'} is known to the hub (not quality-assured)"
    ), name


def verify_credential(
    credential: dict[str, Any],
    *,
    fetcher: Fetcher,
    fmt: str = _FORMAT_DI,
    jwt_outcome: JwtOutcome | None = None,
    recipient_email: str | None = None,
    now: datetime | None = None,
    issuer_lookup: IssuerLookup | None = None,
    key_overrides: dict[str, Any] | None = None,
    schema_dir: Any = None,
) -> VerificationResult:
    """Run every check on a parsed VC (embedded proofs, or the JWT outcome for a VC-JWT).
    ``schema_dir`` holds the 1EdTech JSON Schemas (see schema.check_schema)."""
    now = _aware(now)
    if detect.too_deeply_nested(credential):  # a VC-JWT's payload arrives here unchecked
        return _unverifiable(
            f"the credential is too deeply nested to check (more than {detect.MAX_DEPTH} levels)", fmt=fmt
        )
    contexts = credential.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first not in (CREDENTIALS_V1, CREDENTIALS_V2):
        return _unverifiable(
            "not a Verifiable Credential: its first @context must be the VC 1.1 or 2.0 context", fmt=fmt
        )
    issuer = claims.issuer_id(credential)
    outcomes: list[Any] = (
        [jwt_outcome]
        if jwt_outcome
        else verify_proofs(credential, fetcher=fetcher, key_overrides=key_overrides, now=now)
    )
    checks = [
        Check("parse", CheckStatus.PASS, "a Verifiable Credential" + (" in a JWT" if jwt_outcome else "")),
        *_proof_checks(outcomes, issuer),
    ]
    if proof_passed(checks):
        window, expired = claims.check_validity_window(credential, now)
        status, revoked = _status_check(credential, fetcher, now, key_overrides)
        recipient, match = claims.check_recipient(credential, recipient_email)
        known, known_name = issuer_known_check(issuer, issuer_lookup)
        checks += [window, status, recipient, _schema_check(credential, schema_dir), known]
    else:
        # A forger's dates, status entry and recipient prove nothing, so they are neither
        # checked (no fetches on a forger's behalf) nor shown as passes.
        expired, revoked, match, known_name = False, None, None, None
        checks += [
            not_proven("validity_window"),
            not_proven("status"),
            not_proven("recipient"),
            _schema_check(credential, schema_dir),
            not_proven("issuer_known"),
        ]
    result = VerificationResult(
        verdict=verdict_from_checks(checks, expired=expired, revoked=bool(revoked)),
        format=fmt,
        issuer=claims.issuer_of(credential),
        achievement=claims.achievement_of(credential),
        recipient_match=match,
        credential_id=credential.get("id") if isinstance(credential.get("id"), str) else None,
        checks=checks,
        credential=credential,
    )
    result.valid_from, result.valid_until = claims.window_of(credential)
    awarded = credential.get("awardedDate")
    result.issued_on = awarded if isinstance(awarded, str) else result.valid_from
    if not result.issuer.name and known_name:
        result.issuer.name = known_name
    return result


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now


def _from_url(url: str, **kwargs: Any) -> VerificationResult:
    """Fetch a URL; a VC or VC-JWT found there is verified here, anything else is OB 2.0's."""
    fetcher: Fetcher = kwargs["fetcher"]
    try:
        response = fetcher.get(url, accept="application/vc+ld+json, application/ld+json, application/json, */*")
    except FetchError as exc:
        # Nothing was read, so nothing says which kind of badge this is: the format is unknown.
        return _unverifiable(f"the address could not be fetched: {exc}", status=CheckStatus.WARN)
    if response.status == 410:  # Open Badges 2.0's way for a hosted assertion to say "revoked"
        return verify_ob2(url, fetcher=fetcher, recipient_email=kwargs["recipient_email"], now=kwargs["now"])
    if response.status != 200:
        return _unverifiable(f"the address answered HTTP {response.status}, not a badge", status=CheckStatus.WARN)
    try:
        found = detect.detect_text(response.content.decode("utf-8"))
    except UnicodeDecodeError:
        found = detect.Detected(detect.UNKNOWN)
    if found.kind in (detect.VC_JSON, detect.VC_JWT):
        return _dispatch(found, **kwargs)
    if found.kind in (detect.OB2_JSON, detect.OB2_JWS):
        return verify_ob2(url, fetcher=fetcher, recipient_email=kwargs["recipient_email"], now=kwargs["now"])
    return _unverifiable("the page at this address is not a badge (not Open Badges 2.0 or 3.0)")


def _dispatch(found: detect.Detected, **kwargs: Any) -> VerificationResult:
    common = {
        k: kwargs[k] for k in ("fetcher", "recipient_email", "now", "issuer_lookup", "key_overrides", "schema_dir")
    }
    if found.kind == detect.VC_JSON:
        return verify_credential(found.payload, fmt=_FORMAT_DI, **common)
    if found.kind == detect.VC_JWT:
        outcome = verify_jwt(found.payload, fetcher=kwargs["fetcher"], key_overrides=kwargs["key_overrides"])
        if outcome.decoded is None:
            return _unverifiable(
                outcome.detail, fmt=_FORMAT_JWT, status=CheckStatus.WARN if outcome.unverifiable else CheckStatus.FAIL
            )
        return verify_credential(outcome.decoded.credential, fmt=_FORMAT_JWT, jwt_outcome=outcome, **common)
    if found.kind in (detect.OB2_JSON, detect.OB2_JWS):
        return verify_ob2(
            found.payload, fetcher=kwargs["fetcher"], recipient_email=kwargs["recipient_email"], now=kwargs["now"]
        )
    if found.kind == detect.URL:
        return _from_url(found.payload, **kwargs)
    return _unverifiable(found.error or "not a credential")


def verify(
    data: bytes | str | dict[str, Any],
    *,
    fetcher: Fetcher,
    recipient_email: str | None = None,
    now: datetime | None = None,
    issuer_lookup: IssuerLookup | None = None,
    key_overrides: dict[str, Any] | None = None,
    schema_dir: Any = None,
) -> VerificationResult:
    """Verify a credential in any supported form (JSON VC, VC-JWT, baked PNG/SVG,
    OB 2.0 JSON, or a URL to any of these) and report every check.

    ``issuer_lookup(issuer_id)`` returns ``{"known", "quality_assured", "name"}`` or None;
    ``key_overrides`` maps a verificationMethod id to a public key the caller vouches for;
    ``schema_dir`` is the folder of 1EdTech JSON Schemas (None: the bundled default).
    Never raises on bad input: malformed data gives an ``invalid`` result with the reason.
    """
    try:
        found = detect.detect(data)
        if isinstance(found.payload, (dict, list)) and detect.too_deeply_nested(found.payload):
            return _unverifiable(f"the credential is too deeply nested to check (more than {detect.MAX_DEPTH} levels)")
        result = _dispatch(
            found,
            fetcher=fetcher,
            recipient_email=recipient_email,
            now=_aware(now),
            issuer_lookup=issuer_lookup,
            key_overrides=key_overrides,
            schema_dir=schema_dir,
        )
    except (RecursionError, MemoryError):
        return _unverifiable("the input is too deeply nested or too large to process")
    except Exception as exc:  # a bug must not become a 500 for the person verifying
        logger.exception("verification crashed")
        return _unverifiable(f"the input could not be processed ({exc.__class__.__name__})", status=CheckStatus.WARN)
    if found.baked and result.checks and result.checks[0].name == "parse":
        result.checks[0].detail += f" (baked into a {found.baked.upper()} image)"
    return result


def result_json(result: VerificationResult) -> str:
    """The result as the JSON the CLI and API print."""
    return json.dumps(result.to_json(), indent=2, sort_keys=True)
