"""Baked badges: the credential carried inside a PNG or SVG image.

PNG: an ``iTXt`` chunk with keyword ``openbadges`` (OB 2.0/3.0; compressed or not) or a
``tEXt`` chunk with the same keyword (OB 1.x, usually a URL). SVG: an
``<openbadges:assertion verify="...">`` element whose text (normally CDATA) is the JSON or JWT.

Images come from strangers, so chunks are walked without decoding pixels, text chunks and
decompressed text are bounded, and XML is parsed with defusedxml (no entities, no DTD fetches).
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
import defusedxml.minidom as safe_minidom
from defusedxml import DefusedXmlException

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadges"
OPENBADGES_NS = "http://openbadges.org"
MAX_TEXT_CHUNK = 1_000_000  # a baked credential is a few kilobytes; anything larger is hostile
MAX_DECOMPRESSED = 1_000_000
MAX_SVG_BYTES = 5_000_000
MAX_PNG_CHUNK = 0x7FFFFFFF  # the PNG spec's own ceiling for a chunk length


class BakingError(ValueError):
    """The image claims to carry a badge (or is an image) but is corrupt or hostile.

    ``verify_url`` keeps an SVG's ``verify`` attribute when the embedded text was unusable.
    """

    def __init__(self, message: str, *, verify_url: str | None = None):
        super().__init__(message)
        self.verify_url = verify_url


class NotBaked(BakingError):
    """The file is readable but carries no Open Badges data ("not a baked badge")."""


@dataclass
class Baked:
    """What a baked image carries: ``payload`` is JSON text, a compact JWS/JWT, or a URL."""

    kind: str  # "png" | "svg"
    payload: str
    verify_url: str | None = None


def extract(data: bytes) -> Baked:
    """Return the badge baked into a PNG or SVG image.

    Raises NotBaked when the image carries no badge (or is neither PNG nor SVG) and
    BakingError when it is corrupt, oversized or hostile (entities, decompression bombs).
    """
    if not isinstance(data, bytes | bytearray):
        raise BakingError("image data must be bytes")
    data = bytes(data)
    if data.startswith(PNG_SIGNATURE):
        return _extract_png(data)
    if _looks_like_xml(data):
        return _extract_svg(data)
    raise NotBaked("not a baked badge: the file is neither a PNG nor an SVG image")


def _looks_like_xml(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _is_url(text: str) -> bool:
    return text.startswith(("https://", "http://")) and not any(c.isspace() for c in text)


def _verify_url_of(payload: str) -> str | None:
    """The hosted URL a payload points at: the payload itself, or an OB 1.x/2.0 JSON's
    ``verify.url`` / hosted ``id`` (used to re-fetch and compare)."""
    if _is_url(payload):
        return payload
    if not payload.startswith("{"):
        return None
    try:
        obj = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    for key in ("verify", "verification"):
        block = obj.get(key)
        if isinstance(block, dict) and isinstance(block.get("url"), str) and _is_url(block["url"]):
            return str(block["url"])
        if isinstance(block, dict) and block.get("type") in ("hosted", "HostedBadge"):
            if isinstance(obj.get("id"), str) and _is_url(obj["id"]):
                return str(obj["id"])
    return None


# --- PNG -------------------------------------------------------------------------------------


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    """Yield (type, offset_of_data, length) for each chunk, checking bounds but not pixels."""
    offset = len(PNG_SIGNATURE)
    while offset < len(data):
        if offset + 8 > len(data):
            raise BakingError("corrupt PNG: truncated chunk header")
        length, ctype = struct.unpack(">I4s", data[offset : offset + 8])
        if length > MAX_PNG_CHUNK:
            raise BakingError("corrupt PNG: chunk length exceeds the PNG maximum")
        end = offset + 8 + length + 4
        if end > len(data):
            raise BakingError(f"corrupt PNG: {ctype!r} chunk of {length} bytes runs past the end of the file")
        yield ctype, offset + 8, length
        offset = end
        if ctype == b"IEND":
            return


def _bounded_inflate(raw: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(raw, MAX_DECOMPRESSED + 1)
    except zlib.error as exc:
        raise BakingError(f"corrupt PNG: openbadges text does not decompress ({exc})") from None
    if len(out) > MAX_DECOMPRESSED or inflater.unconsumed_tail:
        raise BakingError("refused: compressed openbadges text expands beyond the size limit")
    return out


def _parse_itxt(body: bytes) -> str:
    try:
        keyword, rest = body.split(b"\x00", 1)
        flag, method = rest[0], rest[1]
        _language, rest = rest[2:].split(b"\x00", 1)
        _translated, text = rest.split(b"\x00", 1)
    except (ValueError, IndexError):
        raise BakingError("corrupt PNG: malformed iTXt chunk") from None
    if flag == 1:
        if method != 0:
            raise BakingError("corrupt PNG: unknown iTXt compression method")
        text = _bounded_inflate(text)
    elif flag != 0:
        raise BakingError("corrupt PNG: bad iTXt compression flag")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        raise BakingError("corrupt PNG: openbadges iTXt is not UTF-8") from None


def _extract_png(data: bytes) -> Baked:
    found: list[str] = []
    for ctype, start, length in _png_chunks(data):
        if ctype not in (b"iTXt", b"tEXt", b"zTXt"):
            continue
        keyword_end = data.find(b"\x00", start, start + min(length, 80))
        if keyword_end < 0 or data[start:keyword_end] != KEYWORD:
            continue
        if length > MAX_TEXT_CHUNK:
            raise BakingError(f"refused: openbadges chunk of {length} bytes is larger than allowed")
        body = data[start : start + length]
        crc = struct.unpack(">I", data[start + length : start + length + 4])[0]
        if zlib.crc32(ctype + body) != crc:
            raise BakingError("corrupt PNG: openbadges chunk fails its CRC check")
        if ctype == b"iTXt":
            found.append(_parse_itxt(body))
        elif ctype == b"zTXt":
            found.append(_bounded_inflate(body[keyword_end - start + 2 :]).decode("latin-1"))
        else:
            found.append(body[keyword_end - start + 1 :].decode("latin-1"))
    if not found:
        raise NotBaked("not a baked badge: the PNG has no openbadges chunk")
    if len(set(found)) > 1:
        raise BakingError("ambiguous PNG: it carries more than one different openbadges chunk")
    payload = found[0].strip()
    if not payload:
        raise BakingError("corrupt PNG: the openbadges chunk is empty")
    return Baked("png", payload, _verify_url_of(payload))


def bake_png(png: bytes, payload: str) -> bytes:
    """Return ``png`` with ``payload`` in an uncompressed ``openbadges`` iTXt chunk.

    Any existing openbadges chunk is replaced; pixels and other chunks are kept as they are.
    """
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image")
    try:
        encoded = payload.encode("utf-8")
    except UnicodeEncodeError:
        raise BakingError("cannot bake: the payload is not valid Unicode text") from None
    out = [PNG_SIGNATURE]
    inserted = False
    for ctype, start, length in _png_chunks(png):
        chunk = png[start - 8 : start + length + 4]
        is_badge = ctype in (b"iTXt", b"tEXt", b"zTXt") and png[start : start + len(KEYWORD) + 1] == KEYWORD + b"\x00"
        if not is_badge:
            out.append(chunk)
        if ctype == b"IHDR" and not inserted:
            body = KEYWORD + b"\x00\x00\x00\x00\x00" + encoded
            out.append(struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body)))
            inserted = True
    if not inserted:
        raise BakingError("corrupt PNG: no IHDR chunk")
    return b"".join(out)


# --- SVG -------------------------------------------------------------------------------------


def _find_assertion(root: Any) -> Any:
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.startswith("{") and tag.endswith("}assertion") and "openbadges" in tag:
            return element
    return None


def _extract_svg(data: bytes) -> Baked:
    if len(data) > MAX_SVG_BYTES:
        raise BakingError(f"refused: SVG larger than {MAX_SVG_BYTES} bytes")
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise BakingError(f"refused: the SVG uses forbidden XML features ({exc.__class__.__name__})") from None
    except (ParseError, ValueError) as exc:
        raise BakingError(f"corrupt SVG: {exc}") from None
    if not str(root.tag).endswith("svg"):
        raise NotBaked("not a baked badge: the XML is not an SVG image")
    assertion = _find_assertion(root)
    if assertion is None:
        raise NotBaked("not a baked badge: the SVG has no openbadges:assertion element")
    verify_url = (assertion.get("verify") or "").strip() or None
    text = "".join(assertion.itertext()).strip()
    if not text:
        if verify_url:
            return Baked("svg", verify_url, verify_url)
        raise BakingError("corrupt SVG: the openbadges:assertion element is empty and has no verify URL")
    if text.startswith(("{", "[")):
        try:
            json.loads(text)
        except ValueError as exc:
            raise BakingError(f"the baked assertion is not valid JSON: {exc}", verify_url=verify_url) from None
    return Baked("svg", text, verify_url or _verify_url_of(text))


def bake_svg(svg: str | bytes, payload: str, verify_url: str | None = None) -> bytes:
    """Return ``svg`` (UTF-8) with an ``openbadges:assertion`` element holding ``payload``.

    Any existing assertion element is removed first. The payload goes in CDATA unless it
    contains ``]]>``, in which case it is written as escaped text (read back the same way).
    """
    if any((ord(c) < 32 and c not in "\t\n") or c in "\ufffe\uffff" or 0xD800 <= ord(c) <= 0xDFFF for c in payload):
        # XML drops or rewrites these (\r becomes \n), so the badge would not read back intact
        raise BakingError("cannot bake: the payload contains characters an SVG cannot carry")
    try:
        document = safe_minidom.parseString(svg.encode("utf-8") if isinstance(svg, str) else svg)  # type: ignore[arg-type]  # defusedxml takes bytes too
    except (DefusedXmlException, ParseError, ValueError) as exc:
        raise BakingError(f"cannot bake into this SVG: {exc}") from None
    root = document.documentElement
    if root is None or root.localName != "svg":
        raise BakingError("cannot bake: the document is not an SVG image")
    for old in list(root.getElementsByTagNameNS(OPENBADGES_NS, "assertion")):
        if old.parentNode is not None:
            old.parentNode.removeChild(old)
    root.setAttribute("xmlns:openbadges", OPENBADGES_NS)
    element = document.createElementNS(OPENBADGES_NS, "openbadges:assertion")
    if verify_url:
        element.setAttribute("verify", verify_url)
    if "]]>" in payload:
        element.appendChild(document.createTextNode(payload))
    else:
        element.appendChild(document.createCDATASection(payload))
    root.insertBefore(element, root.firstChild)
    return document.toxml(encoding="utf-8")
