"""Embedded proofs: Data Integrity ``eddsa-rdfc-2022`` / ``eddsa-jcs-2022`` and
``Ed25519Signature2020``, including proof sets and proof chains (``previousProof``).

The signed message is ``sha256(canonical proof options) || sha256(canonical document)``
for all three suites; they differ only in the canonical form (RDFC-1.0 or JCS).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .canonical import CanonicalizationError, jcs_bytes, rdfc
from .dids import KeyResolutionError, VerificationMethod, resolve_verification_method
from .documents import (
    CREDENTIALS_V2,
    DATA_INTEGRITY_V2,
    ED25519_2020_CONTEXT,
    ContextNotBundled,
)
from .fetching import Fetcher
from .keys import (
    KeyFormatError,
    KeyPair,
    multibase_decode,
    multibase_encode,
)

RDFC = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"
ED25519_2020 = "Ed25519Signature2020"
SUPPORTED_SUITES = (RDFC, JCS, ED25519_2020)


class ProofError(Exception):
    """A proof is malformed or cannot be checked; ``unverifiable`` separates
    "we could not check" (missing context, unreachable key) from "this is wrong"."""

    def __init__(self, message: str, *, unverifiable: bool = False):
        super().__init__(message)
        self.unverifiable = unverifiable


@dataclass
class ProofOutcome:
    """The result of checking one proof of a document."""

    suite: str
    verified: bool
    detail: str
    method: VerificationMethod | None = None
    unverifiable: bool = False


def suite_of(proof: dict[str, Any]) -> str:
    """The suite name of a proof: the cryptosuite for DataIntegrityProof, else the type."""
    if proof.get("type") == "DataIntegrityProof":
        return str(proof.get("cryptosuite", ""))
    return str(proof.get("type", ""))


def _context_prefix_ok(options_ctx: Any, document_ctx: Any) -> bool:
    """A proof's own @context must be a prefix of the document's (VC-DI 2.0)."""
    opts = options_ctx if isinstance(options_ctx, list) else [options_ctx]
    doc = document_ctx if isinstance(document_ctx, list) else [document_ctx]
    return doc[: len(opts)] == opts


def _hash_input(unsecured: dict[str, Any], proof_config: dict[str, Any], suite: str) -> bytes:
    if suite == JCS:
        return hashlib.sha256(jcs_bytes(proof_config)).digest() + hashlib.sha256(jcs_bytes(unsecured)).digest()
    config = dict(proof_config)
    config["@context"] = unsecured.get("@context")
    return (
        hashlib.sha256(rdfc(config).encode("utf-8")).digest() + hashlib.sha256(rdfc(unsecured).encode("utf-8")).digest()
    )


def _proof_config(proof: dict[str, Any], unsecured: dict[str, Any], suite: str) -> dict[str, Any]:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in config and not _context_prefix_ok(config["@context"], unsecured.get("@context")):
        raise ProofError("proof @context does not match the document's @context")
    if suite != JCS:
        config.pop("@context", None)
    return config


def _check_shape(proof: Any, purpose: str) -> str:
    if not isinstance(proof, dict):
        raise ProofError("proof is not an object")
    suite = suite_of(proof)
    if proof.get("type") not in ("DataIntegrityProof", ED25519_2020):
        raise ProofError(f"unsupported proof type {proof.get('type')!r}", unverifiable=True)
    if suite not in SUPPORTED_SUITES:
        raise ProofError(f"unsupported cryptosuite {suite!r}", unverifiable=True)
    for required in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(required), str) or not proof[required]:
            raise ProofError(f"proof has no {required}")
    if proof["proofPurpose"] != purpose:
        raise ProofError(f"proof purpose is {proof['proofPurpose']!r}, expected {purpose!r}")
    return suite


def _check_expiry(proof: dict[str, Any], now: datetime) -> None:
    expires = proof.get("expires")
    if expires is None:
        return
    try:
        moment = datetime.fromisoformat(str(expires))
    except ValueError as exc:
        raise ProofError(f"proof expires value {expires!r} is not a date") from exc
    if (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) < now:
        raise ProofError(f"the proof expired on {expires}")


def _matching_previous(proof: dict[str, Any], all_proofs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    previous = proof.get("previousProof")
    wanted = [previous] if isinstance(previous, str) else previous
    if not isinstance(wanted, list) or not all(isinstance(p, str) for p in wanted):
        raise ProofError("previousProof must be a proof id or a list of them")
    by_id = {p.get("id"): p for p in all_proofs if isinstance(p, dict)}
    missing = [p for p in wanted if p not in by_id]
    if missing:
        raise ProofError(f"previousProof {missing[0]!r} is not in the document's proofs")
    return [by_id[p] for p in wanted]


def verify_one(
    unsecured: dict[str, Any],
    proof: dict[str, Any],
    *,
    fetcher: Fetcher | None,
    key_overrides: dict[str, Any] | None = None,
    purpose: str = "assertionMethod",
    all_proofs: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> ProofOutcome:
    """Verify one proof over ``unsecured`` (the document without any ``proof``)."""
    suite = suite_of(proof) if isinstance(proof, dict) else "unknown"
    method = None
    try:
        suite = _check_shape(proof, purpose)
        _check_expiry(proof, now or datetime.now(UTC))
        document = unsecured
        if "previousProof" in proof:
            document = dict(unsecured)
            document["proof"] = _matching_previous(proof, all_proofs or [proof])
        try:
            signature = multibase_decode(proof["proofValue"])
        except KeyFormatError as exc:
            raise ProofError(f"proofValue is not base58btc multibase: {exc}") from exc
        message = _hash_input(document, _proof_config(proof, document, suite), suite)
        method = resolve_verification_method(proof["verificationMethod"], fetcher=fetcher, key_overrides=key_overrides)
        if purpose not in method.purposes:
            raise ProofError(f"{method.id} is not authorised for {purpose} by its controller")
        if not isinstance(method.public_key, Ed25519PublicKey):
            raise ProofError(f"{suite} needs an Ed25519 key; {method.id} is not one")
        method.public_key.verify(signature, message)
    except InvalidSignature:
        return ProofOutcome(suite, False, f"{suite} signature does not match the document", method)
    except ContextNotBundled as exc:
        return ProofOutcome(suite, False, str(exc), method, unverifiable=True)
    except KeyResolutionError as exc:
        return ProofOutcome(suite, False, f"cannot resolve the signing key: {exc}", method, unverifiable=True)
    except ProofError as exc:
        return ProofOutcome(suite, False, str(exc), method, unverifiable=exc.unverifiable)
    except CanonicalizationError as exc:
        return ProofOutcome(suite, False, f"cannot canonicalise the document: {exc}", method)
    return ProofOutcome(suite, True, f"{suite} signature verified with {method.id}", method)


def proofs_of(document: dict[str, Any]) -> list[Any]:
    """The document's proofs as a list (a single proof object counts as a set of one)."""
    proof = document.get("proof")
    if proof is None:
        return []
    return proof if isinstance(proof, list) else [proof]


def verify_proofs(
    document: dict[str, Any],
    *,
    fetcher: Fetcher | None,
    key_overrides: dict[str, Any] | None = None,
    purpose: str = "assertionMethod",
    now: datetime | None = None,
) -> list[ProofOutcome]:
    """Verify every proof of a secured document (a proof set: each must verify on its own)."""
    all_proofs = proofs_of(document)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return [
        verify_one(
            unsecured,
            proof,
            fetcher=fetcher,
            key_overrides=key_overrides,
            purpose=purpose,
            all_proofs=all_proofs,
            now=now,
        )
        for proof in all_proofs
    ]


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _ensure_suite_context(document: dict[str, Any], suite: str) -> None:
    """VC 1.1 contexts do not define the proof terms; add the suite's context as
    Digital Bazaar's libraries do (VC 2.0 defines DataIntegrityProof itself)."""
    ctx = document.get("@context")
    if not isinstance(ctx, list) or suite == JCS:
        return
    needed = ED25519_2020_CONTEXT if suite == ED25519_2020 else DATA_INTEGRITY_V2
    if needed in ctx or (suite != ED25519_2020 and CREDENTIALS_V2 in ctx):
        return
    document["@context"] = [*ctx, needed]


def sign(
    document: dict[str, Any],
    key_pair: KeyPair,
    *,
    verification_method: str,
    suite: str = RDFC,
    created: str | None = None,
    proof_purpose: str = "assertionMethod",
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    proof_as_list: bool = False,
) -> dict[str, Any]:
    """Return a copy of ``document`` with a new proof added (making a set if one exists).

    ``proof_as_list`` writes even a single proof as a one-element list, as the 1EdTech
    OB 3.0 JSON Schema requires.

    Raises CanonicalizationError / ContextNotBundled when the document uses terms or
    contexts that could not be verified offline: we never sign what we cannot check.
    """
    if suite not in SUPPORTED_SUITES:
        raise ValueError(f"unsupported suite {suite!r}")
    secured = copy.deepcopy(document)
    _ensure_suite_context(secured, suite)
    existing = proofs_of(secured)
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    proof: dict[str, Any] = (
        {"type": ED25519_2020} if suite == ED25519_2020 else {"type": "DataIntegrityProof", "cryptosuite": suite}
    )
    if proof_id:
        proof["id"] = proof_id
    proof.update(
        {"created": created or _now(), "verificationMethod": verification_method, "proofPurpose": proof_purpose}
    )
    signed_over = unsecured
    if previous_proof is not None:
        proof["previousProof"] = previous_proof
        signed_over = dict(unsecured, proof=_matching_previous(proof, existing))
    if suite == JCS and "@context" in unsecured:
        proof["@context"] = unsecured["@context"]
    message = _hash_input(signed_over, _proof_config(proof, signed_over, suite), suite)
    proof["proofValue"] = multibase_encode(key_pair.private_key.sign(message))
    secured["proof"] = [*existing, proof] if existing or proof_as_list else proof
    return secured
