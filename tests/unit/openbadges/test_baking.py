"""Baked PNG/SVG badges: the public bakery test images, our own round trip, hostile images."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.openbadges.baking import Baked, BakingError, NotBaked, bake_png, bake_svg, extract

CONFORMANCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "conformance"
IMAGES = CONFORMANCE / "ob2-baked-images"
NASTY = Path(__file__).resolve().parents[2] / "fixtures" / "nasty"
needs_conformance = pytest.mark.skipif(not IMAGES.is_dir(), reason="../shared/conformance is absent (CI always has it)")


def _image(name: str) -> bytes:
    return (IMAGES / name).read_bytes()


@needs_conformance
def test_baked_png_yields_the_hosted_assertion():
    baked = extract(_image("concentricsky-baked_heart.png"))
    assert baked.kind == "png"
    assertion = json.loads(baked.payload)
    assert assertion["uid"] == "123"
    assert baked.verify_url == "http://example.org/badgeinstance1"


@needs_conformance
@pytest.mark.parametrize(
    "name",
    [
        "concentricsky-public_domain_heart.png",
        "mozilla-unbaked.png",
        "concentricsky-unbaked_example.svg",
        "mozilla-unbaked.svg",
    ],
)
def test_unbaked_images_are_not_baked_badges(name):
    with pytest.raises(NotBaked, match="not a baked badge"):
        extract(_image(name))


@needs_conformance
def test_baked_svg_gives_verify_url_and_json():
    baked = extract(_image("concentricsky-baked_example.svg"))
    assert baked.kind == "svg"
    assert baked.verify_url == "https://example.org/assertion.json"
    assert json.loads(baked.payload)["uid"] == "abcdef12345"


@needs_conformance
def test_mozilla_baked_svg():
    baked = extract(_image("mozilla-baked.svg"))
    assert json.loads(baked.payload) == {"verify": {"url": "http://example.org"}}
    assert baked.verify_url == "http://example.org"


@needs_conformance
def test_svg_with_bad_json_reports_a_parse_error_and_keeps_the_verify_url():
    with pytest.raises(BakingError, match="not valid JSON") as caught:
        extract(_image("mozilla-bad-json.svg"))
    assert not isinstance(caught.value, NotBaked)
    assert caught.value.verify_url == "http://example.org"


@needs_conformance
def test_svg_with_empty_cdata_falls_back_to_the_verify_attribute():
    assert extract(_image("mozilla-no-json.svg")) == Baked("svg", "http://example.org", "http://example.org")


@needs_conformance
def test_png_round_trip_replaces_an_existing_badge():
    original = _image("concentricsky-baked_heart.png")
    payload = json.dumps({"id": "urn:uuid:1", "name": "Café ☕ badge"}, ensure_ascii=False)
    rebaked = bake_png(original, payload)
    assert extract(rebaked).payload == payload
    # the image data survives: the same IDAT bytes are still there
    idat_start = original.index(b"IDAT")
    assert original[idat_start : idat_start + 100] in rebaked


@needs_conformance
def test_png_round_trip_on_unbaked_image_keeps_it_readable_by_pillow():
    from io import BytesIO

    from PIL import Image

    baked = bake_png(_image("mozilla-unbaked.png"), "eyJhbGciOiJFZERTQSJ9.e30.c2ln")
    assert extract(baked) == Baked("png", "eyJhbGciOiJFZERTQSJ9.e30.c2ln", None)
    with Image.open(BytesIO(baked)) as image:
        image.verify()


@needs_conformance
def test_svg_round_trip_with_verify_url():
    payload = '{"id": "https://example.org/a/1", "x": "<&>"}'
    baked = bake_svg(_image("concentricsky-unbaked_example.svg"), payload, "https://example.org/a/1")
    result = extract(baked)
    assert result == Baked("svg", payload, "https://example.org/a/1")
    assert b"<rect" in baked  # the picture is still there


def test_svg_round_trip_of_payload_containing_cdata_terminator():
    payload = '{"note": "ends ]]> here"}'
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', payload, None)
    assert extract(baked).payload == payload


def test_svg_rebake_replaces_the_old_assertion():
    once = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', '{"n": 1}', None)
    twice = bake_svg(once, '{"n": 2}', None)
    assert twice.count(b"openbadges:assertion") == 2  # one open + one close tag
    assert json.loads(extract(twice).payload) == {"n": 2}


def _png_with(chunk_type: bytes, body: bytes) -> bytes:
    def chunk(ctype, data):
        return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))

    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + ihdr + chunk(chunk_type, body) + chunk(b"IEND", b"")


def test_compressed_itxt_is_read():
    body = b"openbadges\x00\x01\x00\x00\x00" + zlib.compress(b'{"id": "urn:x"}')
    assert extract(_png_with(b"iTXt", body)).payload == '{"id": "urn:x"}'


def test_ob1_text_chunk_with_url_is_read():
    baked = extract(_png_with(b"tEXt", b"openbadges\x00https://example.org/assertion/1"))
    assert baked == Baked("png", "https://example.org/assertion/1", "https://example.org/assertion/1")


@pytest.mark.parametrize(
    "name, message",
    [
        ("huge-chunk-header.png", "runs past the end"),
        ("zlib-bomb-itxt.png", "expands beyond the size limit"),
        ("bad-crc.png", "CRC"),
        ("truncated.png", "runs past the end"),
        ("billion-laughs.svg", "forbidden XML"),
        ("external-entity.svg", "forbidden XML"),
        ("malformed.svg", "corrupt SVG"),
    ],
)
def test_hostile_images_raise_a_clear_baking_error(name, message):
    with pytest.raises(BakingError, match=message):
        extract((NASTY / name).read_bytes())


@pytest.mark.parametrize("name", ["html-page.png", "binary-noise.bin", "empty.json", "pdf-as-badge.json"])
def test_wrong_content_is_not_a_baked_badge(name):
    with pytest.raises(BakingError):
        extract((NASTY / name).read_bytes())


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_extract_of_arbitrary_bytes_only_raises_documented_errors(data):
    for candidate in (data, b"\x89PNG\r\n\x1a\n" + data, b"<svg " + data):
        try:
            result = extract(candidate)
        except BakingError:
            continue
        assert result.kind in ("png", "svg") and isinstance(result.payload, str)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_bake_then_extract_round_trips_any_payload(payload):
    payload = payload.strip()
    if not payload or payload.startswith(("{", "[")):
        return  # JSON-looking payloads are checked for validity; covered above
    try:
        svg = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', payload, None)
    except BakingError:
        # XML cannot carry some control characters; baking them must fail loudly, not garble
        assert any(ord(c) < 32 and c not in "\t\n" for c in payload) or "\ufffe" in payload or "\uffff" in payload
        return
    assert extract(svg).payload == payload


def test_baking_refuses_payloads_that_are_not_valid_unicode():
    png = _png_with(b"tEXt", b"Software\x00test")
    with pytest.raises(BakingError):
        bake_png(png, "\ud800 broken")
    with pytest.raises(BakingError):
        bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', "\ud800 broken", None)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512), st.text(max_size=50))
def test_bake_png_on_arbitrary_bytes_only_raises_baking_error(data, payload):
    try:
        baked = bake_png(b"\x89PNG\r\n\x1a\n" + data, payload)
    except BakingError:
        return
    if payload.strip():
        assert extract(baked).payload == payload.strip()
