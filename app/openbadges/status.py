"""Credential status: BitstringStatusList, StatusList2021 and the 1EdTech revocation list.

The rule that matters: a list we cannot fetch, cannot trust (bad signature, wrong type,
outside its validity window) or cannot decode means "could not check revocation" (WARN),
never "not revoked". Only a list that passed every check can clear a credential.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from app.openbadges.fetching import Fetcher, FetchError
from app.openbadges.result import Check, CheckStatus

CHECK_NAME = "status"
MAX_LIST_BYTES = 2 * 1024 * 1024  # 16.7 million entries; far beyond any real list
MAX_ENCODED_CHARS = 4 * 1024 * 1024
_BASE64URL = re.compile(r"^[A-Za-z0-9_\-+/]*={0,2}$")
_LIST_ACCEPT = "application/vc+ld+json, application/ld+json;q=0.9, application/json;q=0.8"

# entry type -> (list credential type, credentialSubject type)
_LIST_TYPES = {
    "BitstringStatusListEntry": ("BitstringStatusListCredential", "BitstringStatusList"),
    "StatusList2021Entry": ("StatusList2021Credential", "StatusList2021"),
}


class StatusListError(ValueError):
    """An encoded status list is malformed, oversized or does not hold the requested index."""


class _CannotCheck(Exception):
    """Internal: this status entry could not be checked; the message says why."""


def decode_status_list(encoded: str, *, max_bytes: int = MAX_LIST_BYTES) -> bytes:
    """Decode an ``encodedList``: optional multibase ``u`` prefix, base64url, GZIP.

    BitstringStatusList requires the ``u`` prefix; StatusList2021 lists usually have none.
    Raises StatusListError for anything undecodable or larger than ``max_bytes``.
    """
    if not isinstance(encoded, str) or not encoded:
        raise StatusListError("encodedList is missing or not a string")
    if len(encoded) > MAX_ENCODED_CHARS:
        raise StatusListError("encodedList is too long")
    # GZIP data always base64-encodes to "H4sI...", so a leading "u" can only be multibase.
    body = encoded[1:] if encoded.startswith("u") else encoded
    if not _BASE64URL.match(body):
        raise StatusListError("encodedList is not base64url")
    body = body.rstrip("=").replace("+", "-").replace("/", "_")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise StatusListError(f"encodedList is not valid base64url ({exc})") from None
    inflater = zlib.decompressobj(wbits=31)  # 31: GZIP framing only
    try:
        bitstring = inflater.decompress(compressed, max_bytes + 1)
    except zlib.error as exc:
        raise StatusListError(f"encodedList is not GZIP data ({exc})") from None
    if len(bitstring) > max_bytes or inflater.unconsumed_tail:
        raise StatusListError(f"status list is larger than {max_bytes} bytes")
    if not inflater.eof:
        raise StatusListError("encodedList is truncated")
    if not bitstring:
        raise StatusListError("status list is empty")
    return bitstring


def bit_is_set(bitstring: bytes, index: int) -> bool:
    """Whether entry ``index`` is set; index 0 is the most significant bit of the first byte."""
    if index < 0 or index >= len(bitstring) * 8:
        raise StatusListError(f"index {index} is outside the status list ({len(bitstring) * 8} entries)")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def encode_status_list(revoked_indexes: set[int], size: int = 131072) -> str:
    """Encode a list of ``size`` entries with ``revoked_indexes`` set, as ``u`` + base64url(GZIP).

    ``size`` must be a positive multiple of 8 (131072 = the 16 KB minimum the spec asks for,
    which keeps any one credential's index from standing out).
    """
    if size <= 0 or size % 8:
        raise ValueError("size must be a positive multiple of 8")
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        if not 0 <= index < size:
            raise ValueError(f"index {index} is outside a list of {size} entries")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    compressed = compressor.compress(bytes(bits)) + compressor.flush()
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def _instant(value: object, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _CannotCheck(f"the status list's {name} is not a date")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise _CannotCheck(f"the status list's {name} {value!r} is not a valid date") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _types(obj: dict[str, Any]) -> list[str]:
    value = obj.get("type", [])
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [v for v in values if isinstance(v, str)]


def _fetch_json(fetcher: Fetcher, url: object) -> dict[str, Any]:
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise _CannotCheck(f"the status list location {url!r} is not an http(s) URL")
    try:
        response = fetcher.get(url, accept=_LIST_ACCEPT)
    except FetchError as exc:
        raise _CannotCheck(f"the status list could not be fetched ({exc})") from None
    if response.status != 200:
        raise _CannotCheck(f"the status list URL answered HTTP {response.status}")
    try:
        document = json.loads(response.content)
    except (ValueError, RecursionError):
        raise _CannotCheck("the status list is not JSON") from None
    if not isinstance(document, dict):
        raise _CannotCheck("the status list is not a JSON object")
    return document


def _check_window(document: dict[str, Any], now: datetime) -> None:
    starts = _instant(document.get("validFrom", document.get("issuanceDate")), "start date")
    ends = _instant(document.get("validUntil", document.get("expirationDate")), "end date")
    if starts and starts > now:
        raise _CannotCheck(f"the status list is not valid until {starts.isoformat()}")
    if ends and ends < now:
        raise _CannotCheck(f"the status list expired on {ends.isoformat()}")


def _trusted(document: dict[str, Any], verify_list: Callable[[dict[str, Any]], bool]) -> None:
    try:
        ok = verify_list(document)
    except Exception as exc:  # a verifier bug or hostile input must not read as "not revoked"
        raise _CannotCheck(f"the status list's proof could not be checked ({exc.__class__.__name__})") from None
    if ok is not True:
        raise _CannotCheck("the status list's proof does not verify")


def _bitstring_entry(
    entry: dict[str, Any], fetcher: Fetcher, verify_list: Callable[[dict[str, Any]], bool], now: datetime
) -> tuple[str, bool]:
    entry_type = next(t for t in _types(entry) if t in _LIST_TYPES)
    credential_type, subject_type = _LIST_TYPES[entry_type]
    raw_index = entry.get("statusListIndex")
    if isinstance(raw_index, bool) or not (
        isinstance(raw_index, int) or (isinstance(raw_index, str) and raw_index.isdigit())
    ):
        raise _CannotCheck(f"statusListIndex {raw_index!r} is not a non-negative integer")
    index = int(raw_index)
    if entry.get("statusSize", 1) not in (1, "1"):
        # Multi-bit entries carry messages, not revocation; reading one bit of them would lie.
        raise _CannotCheck(f"statusSize {str(entry.get('statusSize'))[:20]} is not supported")
    purpose = entry.get("statusPurpose", "revocation")
    document = _fetch_json(fetcher, entry.get("statusListCredential"))
    if credential_type not in _types(document):
        raise _CannotCheck(f"the status list is not a {credential_type}")
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or subject_type not in _types(subject):
        raise _CannotCheck(f"the status list's subject is not a {subject_type}")
    if subject.get("statusPurpose", purpose) != purpose:
        raise _CannotCheck(f"the status list is for {subject.get('statusPurpose')!r}, not {purpose!r}")
    _check_window(document, now)
    _trusted(document, verify_list)
    try:
        is_set = bit_is_set(decode_status_list(str(subject.get("encodedList") or "")), index)
    except StatusListError as exc:
        raise _CannotCheck(f"the status list cannot be read ({exc})") from None
    return purpose, is_set


def _revocation_list_entry(
    entry: dict[str, Any], credential: dict[str, Any], fetcher: Fetcher, verify_list: Callable[[dict[str, Any]], bool]
) -> tuple[str, bool]:
    document = _fetch_json(fetcher, entry.get("id"))
    revoked = document.get("revokedCredentials")
    if not isinstance(revoked, list):
        raise _CannotCheck("the revocation list has no revokedCredentials array")
    if "proof" in document:
        _trusted(document, verify_list)
    credential_id = credential.get("id")
    if not isinstance(credential_id, str):
        raise _CannotCheck("the credential has no id to look up in the revocation list")
    listed = (item.get("id") if isinstance(item, dict) else item for item in revoked)
    ids = {i for i in listed if isinstance(i, str)}
    return "revocation", credential_id in ids


def check_status(
    credential: dict[str, Any],
    *,
    fetcher: Fetcher,
    verify_list: Callable[[dict[str, Any]], bool],
    now: datetime,
) -> tuple[Check, bool | None]:
    """Check every ``credentialStatus`` entry of a VC.

    Returns (Check named "status", revoked): revoked is True (FAIL: revoked or suspended),
    False (PASS: every list checked and clear) or None (SKIP: no status; WARN: could not
    check revocation). ``verify_list`` checks a status list credential's proof and issuer.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    status = credential.get("credentialStatus") if isinstance(credential, dict) else None
    if status is None:
        return Check(CHECK_NAME, CheckStatus.SKIP, "the credential has no status information"), None
    entries = status if isinstance(status, list) else [status]
    problems: list[str] = []
    cleared: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict):
            problems.append("a credentialStatus entry is not an object")
            continue
        types = _types(entry)
        try:
            if any(t in _LIST_TYPES for t in types):
                purpose, is_set = _bitstring_entry(entry, fetcher, verify_list, now)
            elif "1EdTechRevocationList" in types:
                purpose, is_set = _revocation_list_entry(entry, credential, fetcher, verify_list)
            else:
                problems.append(f"unsupported status method {types or entry.get('type')!r}")
                continue
        except _CannotCheck as exc:
            problems.append(str(exc))
            continue
        if is_set and purpose in ("revocation", "suspension"):
            word = "revoked" if purpose == "revocation" else "suspended"
            return Check(CHECK_NAME, CheckStatus.FAIL, f"the issuer has {word} this credential"), True
        cleared.append(purpose)
    if problems:
        return Check(CHECK_NAME, CheckStatus.WARN, "could not check revocation: " + "; ".join(problems)), None
    return Check(CHECK_NAME, CheckStatus.PASS, "not revoked (" + ", ".join(cleared) + " list checked)"), False
