"""Open Badges 2.0 verification (hosted and signed), with 0.5 / 1.0 / 1.1 upgraded first.

Hosted: the issuer's own copy, fetched from the assertion's URL, is authoritative; a copy we
were handed must match it, and the URL must sit on an origin the issuer allows. Signed: a
compact JWS, RS256 only, checked with the key the issuer profile lists. Upgrades follow
openbadges-validator-core's rules so older badges are reported with format "ob1".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from app.openbadges import ob2_graph as graph
from app.openbadges.fetching import Fetcher
from app.openbadges.ob2_graph import Stop, is_url
from app.openbadges.result import (
    Achievement,
    Check,
    CheckStatus,
    Issuer,
    Verdict,
    VerificationResult,
    proof_passed,
    set_aside_claims,
    verdict_from_checks,
)

_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_HASHES = {"sha256", "sha512", "md5"}


def _b64url_json(part: str, what: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        raise Stop(Check("parse", CheckStatus.FAIL, f"the JWS {what} is not base64url-encoded JSON")) from None


def _recipient_matches(recipient: dict[str, Any], email: str) -> bool | None:
    """True/False when the identity can be compared with ``email``; None when it cannot."""
    identity = recipient.get("identity")
    if not isinstance(identity, str):
        return None
    salt = str(recipient.get("salt")) if isinstance(recipient.get("salt"), str) else ""
    candidates = {email, email.strip(), email.strip().lower()}
    if recipient.get("hashed") or re.match(r"^(sha256|sha512|md5)\$", identity, re.I):
        algorithm, _, digest = identity.partition("$")
        if algorithm.lower() not in _HASHES:
            return None
        return any(
            hashlib.new(algorithm.lower(), (c + salt).encode("utf-8")).hexdigest() == digest.strip().lower()
            for c in candidates
        )
    return identity.strip().lower() == email.strip().lower()


class _Verification:
    def __init__(self, fetcher: Fetcher, now: datetime):
        self.fetcher = fetcher
        self.now = now
        self.checks: list[Check] = []
        self.format = "unknown"
        # Filled in as verification proceeds; the checks that read them run after.
        self.assertion: dict[str, Any] = {}
        self.badge: dict[str, Any] = {}
        self.issuer: dict[str, Any] = {}
        self.revoked = False
        self.version = "2.0"

    # --- intake -------------------------------------------------------------------------

    def run(self, given: Any) -> None:
        if isinstance(given, bytes):
            given = given.decode("utf-8", errors="replace")
        if isinstance(given, str):
            text = given.strip()
            if is_url(text):
                return self.hosted(text, None)
            if _JWS.match(text):
                return self.signed(text)
            try:
                given = json.loads(text)
            except (ValueError, RecursionError):
                raise Stop(Check("parse", CheckStatus.FAIL, "not JSON, a compact JWS or a URL")) from None
        if not isinstance(given, dict):
            raise Stop(Check("parse", CheckStatus.FAIL, "an Open Badges assertion must be a JSON object"))
        kind, url = graph.verification_of(given)
        if kind == "signed":
            version, self.assertion = self.upgrade(given, None)
            self.format = "ob2-signed" if version == "2.0" else "ob1"
            raise Stop(
                Check(
                    "proof",
                    CheckStatus.WARN,
                    "this is a signed assertion without its signature: verify the JWS it came in",
                )
            )
        if url is None:
            version, self.assertion = self.upgrade(given, None)
            self.format = "ob2-hosted" if version == "2.0" else "ob1"
            raise Stop(
                Check("proof", CheckStatus.WARN, "no hosted verification URL, so it cannot be checked with its issuer")
            )
        self.hosted(url, given)

    def upgrade(self, obj: dict[str, Any], url: str | None) -> tuple[str, dict[str, Any]]:
        version, data = graph.upgrade(obj, url)
        self.version = version
        return version, data

    # --- hosted ---------------------------------------------------------------------------

    def hosted(self, url: str, given: dict[str, Any] | None) -> None:
        self.format = "ob2-hosted"  # until the data says it is older
        if given is not None:
            version, self.assertion = self.upgrade(given, url)
            self.format = "ob2-hosted" if version == "2.0" else "ob1"
        response = graph.fetch(self.fetcher, url, "the hosted assertion", check="proof")
        if response.status == 410:
            self.revoked = True
            raise Stop(Check("status", CheckStatus.FAIL, "the issuer has revoked this badge (HTTP 410 Gone)"))
        if response.status != 200:
            raise Stop(Check("proof", CheckStatus.WARN, f"the hosted assertion URL answered HTTP {response.status}"))
        fetched = graph.json_object(response.content, "the hosted assertion", check="proof")
        version, assertion = self.upgrade(fetched, url)
        if given is not None:
            _, presented = graph.upgrade(given, url)
            for key in ("recipient", "badge", "issuedOn", "expires"):
                if graph.comparable(presented.get(key)) != graph.comparable(assertion.get(key)):
                    raise Stop(
                        Check(
                            "proof",
                            CheckStatus.FAIL,
                            f"the badge presented differs from its issuer's hosted copy ({key})",
                        )
                    )
        self.assertion = assertion
        if assertion.get("id") != url:
            raise Stop(
                Check(
                    "proof",
                    CheckStatus.FAIL,
                    f"the hosted assertion's id {str(assertion.get('id'))[:200]!r} is not the URL it came from",
                )
            )
        self.format = "ob2-hosted" if version == "2.0" else "ob1"
        self.checks.append(Check("proof", CheckStatus.PASS, f"hosted assertion fetched from its URL {url}"))
        if fetched.get("revoked") is True:
            self.revoked = True
            reason = fetched.get("revocationReason")
            detail = "the issuer's hosted copy is marked revoked" + (f": {reason}" if isinstance(reason, str) else "")
            self.load_graph()
            raise Stop(Check("status", CheckStatus.FAIL, detail))
        self.load_graph()
        self.check_hosting_origin(url)
        self.check_revocation_list(hosted=True)

    def check_hosting_origin(self, url: str) -> None:
        issuer_id = self.issuer.get("id")
        policy = self.issuer.get("verification")
        policy = policy if isinstance(policy, dict) else {}
        starts = graph.as_list(policy.get("startsWith"))
        if starts and not any(isinstance(s, str) and url.startswith(s) for s in starts):
            raise Stop(
                Check(
                    "issuer_binding",
                    CheckStatus.FAIL,
                    "the assertion URL does not start with a prefix its issuer allows",
                )
            )
        if not is_url(issuer_id):
            raise Stop(
                Check(
                    "issuer_binding",
                    CheckStatus.WARN,
                    "the issuer has no web address to check the hosting origin against",
                )
            )
        allowed = [o.lower() for o in graph.as_list(policy.get("allowedOrigins")) if isinstance(o, str)]
        allowed = allowed or [graph.origin_of(issuer_id)]
        origin = graph.origin_of(url)
        if origin not in allowed:
            raise Stop(
                Check(
                    "issuer_binding",
                    CheckStatus.FAIL,
                    f"the assertion is hosted on {origin}, not on an origin its issuer allows ({', '.join(allowed)})",
                )
            )
        self.checks.append(Check("issuer_binding", CheckStatus.PASS, f"hosted on the issuer's origin {origin}"))

    # --- signed ---------------------------------------------------------------------------

    def signed(self, token: str) -> None:
        header_part, payload_part, signature_part = token.split(".")
        header = _b64url_json(header_part, "header")
        if not isinstance(header, dict):
            raise Stop(Check("parse", CheckStatus.FAIL, "the JWS header is not a JSON object"))
        payload = _b64url_json(payload_part, "payload")
        if not isinstance(payload, dict):
            raise Stop(Check("parse", CheckStatus.FAIL, "the JWS payload is not a JSON object"))
        version, self.assertion = self.upgrade(payload, None)
        self.format = "ob2-signed" if version == "2.0" else "ob1"
        alg = header.get("alg")
        if alg != "RS256":
            raise Stop(
                Check(
                    "proof",
                    CheckStatus.FAIL,
                    f"signature algorithm {str(alg)[:40]!r} is not accepted; OB 2.0 signed badges use RS256",
                )
            )
        kind, key_url = graph.verification_of(self.assertion)
        if kind != "signed" or not is_url(key_url):
            raise Stop(Check("proof", CheckStatus.FAIL, "the signed assertion does not name its signing key"))
        key_id, owner, public_key = self.fetch_key(key_url)
        try:
            signature = base64.urlsafe_b64decode(signature_part + "=" * (-len(signature_part) % 4))
            public_key.verify(
                signature, f"{header_part}.{payload_part}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
            )
        except (InvalidSignature, binascii.Error, ValueError):
            raise Stop(Check("proof", CheckStatus.FAIL, f"the RS256 signature does not verify with {key_id}")) from None
        self.checks.append(Check("proof", CheckStatus.PASS, f"RS256 signature verified with {key_id}"))
        self.load_graph()
        listed = [k.get("id") if isinstance(k, dict) else k for k in graph.as_list(self.issuer.get("publicKey"))]
        if key_id not in listed and not (version != "2.0" and graph.same_origin(key_url, self.issuer.get("id"))):
            raise Stop(
                Check(
                    "issuer_binding", CheckStatus.FAIL, f"the signing key {key_id} is not one the issuer profile lists"
                )
            )
        if owner is not None and owner != self.issuer.get("id"):
            raise Stop(Check("issuer_binding", CheckStatus.FAIL, "the signing key belongs to another owner"))
        self.checks.append(Check("issuer_binding", CheckStatus.PASS, "the issuer profile lists the signing key"))
        self.check_revocation_list(hosted=False)

    def fetch_key(self, url: str) -> tuple[str, str | None, rsa.RSAPublicKey]:
        response = graph.fetch(self.fetcher, url, "the signing key", check="proof")
        if response.status != 200:
            raise Stop(Check("proof", CheckStatus.WARN, f"the signing key URL answered HTTP {response.status}"))
        key_id, owner, pem = url, None, response.content
        if not response.content.lstrip().startswith(b"-----BEGIN"):
            document = graph.json_object(response.content, "the signing key", check="proof")
            key_id = document.get("id", url)
            owner = document.get("owner")
            pem_text = document.get("publicKeyPem")
            if not isinstance(pem_text, str):
                raise Stop(Check("proof", CheckStatus.FAIL, "the signing key document has no publicKeyPem"))
            pem = pem_text.encode("utf-8")
        try:
            public_key = serialization.load_pem_public_key(pem)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise Stop(Check("proof", CheckStatus.FAIL, "the signing key is not a readable PEM public key")) from None
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise Stop(Check("proof", CheckStatus.FAIL, "the signing key is not an RSA key, so RS256 cannot use it"))
        return key_id, owner, public_key

    # --- shared ---------------------------------------------------------------------------

    def load_graph(self) -> None:
        self.badge = graph.node(self.fetcher, self.assertion.get("badge"), "badge class")
        self.issuer = graph.node(self.fetcher, self.badge.get("issuer"), "issuer")

    def check_revocation_list(self, *, hosted: bool) -> None:
        list_url = self.issuer.get("revocationList")
        if list_url is None:
            detail = (
                "the issuer's hosted copy is not marked revoked"
                if hosted
                else "the issuer publishes no revocation list"
            )
            self.checks.append(Check("status", CheckStatus.PASS, detail))
            return
        try:
            listing = graph.node(self.fetcher, list_url, "revocation list", check="status")
        except Stop as stop:
            raise Stop(Check("status", CheckStatus.WARN, f"could not check revocation: {stop.check.detail}")) from None
        entries = listing.get("revokedAssertions")
        if not isinstance(entries, list):
            raise Stop(
                Check("status", CheckStatus.WARN, "could not check revocation: the list has no revokedAssertions")
            )
        for entry in entries:
            entry_id = entry.get("id") if isinstance(entry, dict) else entry
            uid = entry.get("uid") if isinstance(entry, dict) else None
            if entry_id == self.assertion.get("id") or (uid is not None and uid == self.assertion.get("uid")):
                self.revoked = True
                reason = entry.get("revocationReason") if isinstance(entry, dict) else None
                detail = "the issuer's revocation list revokes this badge" + (
                    f": {reason}" if isinstance(reason, str) else ""
                )
                raise Stop(Check("status", CheckStatus.FAIL, detail))
        self.checks.append(Check("status", CheckStatus.PASS, "not on the issuer's revocation list"))


def verify_ob2(
    obj_or_url: dict[str, Any] | str,
    *,
    fetcher: Fetcher,
    recipient_email: str | None = None,
    now: datetime | None = None,
) -> VerificationResult:
    """Verify an OB 2.0 (or upgraded 0.5/1.0/1.1) assertion given as a dict, JSON text, a
    compact JWS (signed) or the URL of a hosted assertion. Never raises for bad input."""
    now = now or datetime.now(UTC)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    run = _Verification(fetcher, now)
    try:
        run.run(obj_or_url)
    except Stop as stop:
        run.checks.append(stop.check)
    except Exception as exc:  # last line of defence: hostile input must never become a 500
        run.checks.append(
            Check("parse", CheckStatus.WARN, f"internal error while reading the assertion ({exc.__class__.__name__})")
        )
    return _result(run, recipient_email)


def _result(run: _Verification, recipient_email: str | None) -> VerificationResult:
    checks, assertion = run.checks, run.assertion or {}
    expired = False
    recipient_match: bool | None = None
    if run.assertion is not None:
        window, expired = graph.date_check(assertion, run.now, run.version)
        checks.append(window)
        recipient = assertion.get("recipient")
        if recipient_email is None:
            checks.append(Check("recipient", CheckStatus.SKIP, "no email address given to compare"))
        elif not isinstance(recipient, dict) or recipient.get("type", "email") != "email":
            kind = recipient.get("type") if isinstance(recipient, dict) else "nothing"
            checks.append(
                Check("recipient", CheckStatus.FAIL, f"the badge names its recipient by {str(kind)[:40]}, not email")
            )
            recipient_match = False
        else:
            recipient_match = _recipient_matches(recipient, recipient_email)
            if recipient_match is None:
                checks.append(Check("recipient", CheckStatus.WARN, "the recipient identity uses an unsupported form"))
            else:
                checks.append(
                    Check(
                        "recipient",
                        CheckStatus.PASS if recipient_match else CheckStatus.FAIL,
                        "awarded to this email address" if recipient_match else "not awarded to this email address",
                    )
                )
    if not proof_passed(checks) and any(c.name == "proof" for c in checks):
        checks, expired, recipient_match = set_aside_claims(checks), False, None
    verdict = verdict_from_checks(checks, expired=expired, revoked=run.revoked)
    if run.assertion is None and verdict is Verdict.VALID:  # nothing checked is never "valid"
        verdict = Verdict.UNVERIFIABLE
    badge, issuer = run.badge or graph.embedded(assertion.get("badge")), run.issuer or {}
    if not issuer and isinstance(badge.get("issuer"), dict):
        issuer = badge["issuer"]
    return VerificationResult(
        verdict=verdict,
        format=run.format,
        issuer=Issuer(
            id=graph.text(issuer.get("id")), name=graph.text(issuer.get("name")), url=graph.text(issuer.get("url"))
        ),
        achievement=Achievement(
            name=graph.text(badge.get("name")),
            description=graph.text(badge.get("description")),
            image=graph.ref(badge.get("image")),
            criteria=graph.ref(badge.get("criteria")),
            skills=graph.skills(badge.get("alignment")),
        ),
        recipient_match=recipient_match,
        issued_on=graph.text(assertion.get("issuedOn")),
        valid_until=graph.text(assertion.get("expires")),
        credential_id=graph.text(assertion.get("id")),
        checks=checks,
        credential=run.assertion,
    )
