"""The OB 2.0 object graph: fetching linked nodes, upgrading 0.5/1.0/1.1 data, reading dates.

Helpers for :mod:`app.openbadges.ob2`. The upgrade rules follow openbadges-validator-core:
0.5 recipients become identity objects and issuer ``origin`` becomes ``url``; 1.0 nodes take
their id from their hosted URL; 1.x dates (Unix time or plain dates) become ISO 8601.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from app.openbadges.fetching import Fetcher, FetchError, FetchResponse
from app.openbadges.result import Check, CheckStatus

_ACCEPT = "application/ld+json, application/json;q=0.9"


class Stop(Exception):
    """Verification cannot go on; ``check`` says why and is reported as the last check."""

    def __init__(self, check: Check):
        super().__init__(check.detail)
        self.check = check


def is_url(value: Any) -> TypeGuard[str]:
    """An http(s) URL that parses (a bracketed host that is not IPv6 makes urlsplit raise)."""
    if not isinstance(value, str) or not value.startswith(("https://", "http://")) or " " in value:
        return False
    try:
        urlsplit(value)
    except ValueError:
        return False
    return True


def origin_of(url: str) -> str:
    """The authority part (host and port) of a URL that passed :func:`is_url`, lower-cased."""
    return urlsplit(url).netloc.lower()


def as_list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def ref(value: Any) -> str | None:
    """A URL-or-object property (image, criteria) as one string for display."""
    if isinstance(value, dict):
        return text(value.get("id")) or text(value.get("narrative"))
    return text(value)


def skills(alignment: Any) -> list[str]:
    names = []
    for item in as_list(alignment):
        if isinstance(item, dict):
            name = item.get("targetName") or item.get("name")
            if isinstance(name, str):
                names.append(name)
    return names


def embedded(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def same_origin(a: Any, b: Any) -> bool:
    return is_url(a) and is_url(b) and origin_of(a) == origin_of(b)


def comparable(value: Any) -> Any:
    """Linked nodes compare by id, so an embedded copy equals a reference to the same node."""
    if isinstance(value, dict) and "id" in value and not {"identity", "hashed"} & value.keys():
        return value["id"]
    return value


def fetch(fetcher: Fetcher, url: str, what: str, *, check: str) -> FetchResponse:
    if not is_url(url):
        raise Stop(Check(check, CheckStatus.FAIL, f"{what} is not at an http(s) URL"))
    try:
        return fetcher.get(url, accept=_ACCEPT)
    except FetchError as exc:
        raise Stop(Check(check, CheckStatus.WARN, f"could not fetch {what}: {exc}")) from None


def json_object(content: bytes, what: str, *, check: str) -> dict[str, Any]:
    try:
        value = json.loads(content)
    except (ValueError, RecursionError):
        raise Stop(Check(check, CheckStatus.WARN, f"{what} is not JSON")) from None
    if not isinstance(value, dict):
        raise Stop(Check(check, CheckStatus.WARN, f"{what} is not a JSON object"))
    return value


def node(fetcher: Fetcher, value: Any, what: str, *, check: str = "issuer_binding") -> dict[str, Any]:
    """An embedded node as is, or a linked node fetched (a 1.0 node gets its URL as id)."""
    if isinstance(value, dict):
        return value
    if not is_url(value):
        raise Stop(Check(check, CheckStatus.FAIL, f"the {what} is neither embedded nor linked by URL"))
    response = fetch(fetcher, value, f"the {what}", check=check)
    if response.status != 200:
        raise Stop(Check(check, CheckStatus.WARN, f"the {what} URL answered HTTP {response.status}"))
    document = json_object(response.content, f"the {what}", check=check)
    document.setdefault("id", value)
    return document


def verification_of(assertion: dict[str, Any]) -> tuple[str | None, str | None]:
    """("hosted", assertion URL) | ("signed", key URL) | (None, None) for an assertion."""
    block = assertion.get("verification", assertion.get("verify"))
    block = block if isinstance(block, dict) else {}
    kind = str(block.get("type", "")).lower()
    if kind in ("signed", "signedbadge"):
        key = block.get("creator", block.get("url"))
        return "signed", key if is_url(key) else None
    if kind in ("hosted", "hostedbadge") and is_url(block.get("url")):
        return "hosted", block["url"]  # OB 1.0 keeps the hosted URL here
    if is_url(assertion.get("id")):
        return "hosted", assertion["id"]
    return None, None


def _contexts(obj: dict[str, Any]) -> list[str]:
    return [c for c in as_list(obj.get("@context")) if isinstance(c, str)]


def upgrade(obj: dict[str, Any], url: str | None) -> tuple[str, dict[str, Any]]:
    """Return (source version, the assertion in 2.0 shape). Raises Stop for broken 1.0 data."""
    data = copy.deepcopy(obj)
    contexts = _contexts(data)
    recipient, badge = data.get("recipient"), data.get("badge")
    if any("openbadges/v2" in c or "openbadgespec.org/v2" in c for c in contexts):
        return "2.0", data
    if any("openbadges/v1" in c for c in contexts):
        version = "1.1"
    elif isinstance(recipient, str) and isinstance(badge, dict):
        version = "0.5"
        _upgrade_0_5(data, url)
    elif isinstance(recipient, str):
        raise Stop(
            Check(
                "parse",
                CheckStatus.FAIL,
                "an OB 1.0 assertion must name its recipient with an identity object, not a bare string",
            )
        )
    elif isinstance(recipient, dict) and ("verify" in data or "uid" in data):
        version = "1.0"
        kind, where = verification_of(data)
        data.setdefault("id", url or (where if kind == "hosted" else None) or f"uid:{data.get('uid')}")
    elif data.get("type") == "Assertion" or isinstance(recipient, dict):
        return "2.0", data  # 2.0 data that forgot its context: judged as 2.0
    else:
        raise Stop(Check("parse", CheckStatus.FAIL, "this JSON is not an Open Badges assertion"))
    data["type"] = "Assertion"
    for key in ("issuedOn", "expires"):
        if data.get(key) is not None:
            data[key] = _iso(data[key])
    return version, data


def _upgrade_0_5(data: dict[str, Any], url: str | None) -> None:
    if url:
        data.setdefault("id", url)
    if "issued_on" in data and "issuedOn" not in data:
        data["issuedOn"] = data.pop("issued_on")
    identity = data["recipient"]
    data["recipient"] = {"identity": identity, "type": "email", "hashed": "@" not in identity}
    if isinstance(data.get("salt"), str):
        data["recipient"]["salt"] = data.pop("salt")
    badge = data["badge"]
    issuer = badge.get("issuer")
    if isinstance(issuer, dict):
        issuer = dict(issuer)
        for old, new in (("contact", "email"), ("origin", "url")):
            if issuer.get(old) and not issuer.get(new):
                issuer[new] = issuer.pop(old)
        if issuer.get("name") and issuer.get("org"):
            issuer["name"] = f"{issuer['name']}: {issuer.pop('org')}"
        issuer.setdefault("id", issuer.get("url"))
        badge["issuer"] = issuer


def _iso(value: Any) -> Any:
    """1.x dates may be Unix seconds or plain dates; anything unreadable is left for date_check."""
    try:
        if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
            return datetime.fromtimestamp(float(value), UTC).isoformat()
    except (ValueError, OverflowError, OSError):
        return value
    parsed = parse_instant(value)
    return parsed.isoformat() if parsed else value


def parse_instant(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime; None when unreadable."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def date_check(assertion: dict[str, Any], now: datetime, version: str = "2.0") -> tuple[Check, bool]:
    """(validity_window check, expired) from issuedOn / expires, per validator-core's rules.
    OB 0.5 made the issue date optional, so only there a missing one is a mere warning."""
    issued_raw, expires_raw = assertion.get("issuedOn"), assertion.get("expires")
    issued = parse_instant(issued_raw)
    expires = parse_instant(expires_raw) if expires_raw is not None else None
    if issued_raw is None and version == "0.5":
        if expires is not None and expires < now:
            return Check("validity_window", CheckStatus.FAIL, f"expired on {expires.date()}"), True
        return Check("validity_window", CheckStatus.WARN, "no issue date (optional in OB 0.5)"), False
    if issued is None:
        return Check("validity_window", CheckStatus.FAIL, "issuedOn is missing or not a date"), False
    if expires_raw is not None and expires is None:
        return Check("validity_window", CheckStatus.FAIL, "expires is not a date"), False
    if issued > now:
        return Check("validity_window", CheckStatus.FAIL, f"issued in the future ({issued.date()})"), False
    if expires is not None and expires < issued:
        return Check("validity_window", CheckStatus.FAIL, "expires before it was issued"), False
    if expires is not None and expires < now:
        return Check("validity_window", CheckStatus.FAIL, f"expired on {expires.date()}"), True
    until = f" until {expires.date()}" if expires else ""
    return Check("validity_window", CheckStatus.PASS, f"issued {issued.date()}, valid{until}"), False
