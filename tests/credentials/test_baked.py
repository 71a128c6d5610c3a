"""Baked badge images: the PNG text chunks and SVG parsing that OB 2.0 and OB 3.0 reading share."""

from __future__ import annotations

import struct
import zlib

import pytest

from credentials.baked import OB2_KEYWORD, OB3_KEYWORD, PNG_SIGNATURE, BakedError, png_text_chunks, svg_root


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def itxt(keyword: bytes, text: str, *, compressed: bool = False) -> bytes:
    payload = zlib.compress(text.encode("utf-8")) if compressed else text.encode("utf-8")
    return chunk(b"iTXt", keyword + bytes([1 if compressed else 0, 0]) + b"\x00\x00" + payload)


def test_png_text_chunks_reads_itxt_and_text_chunks_with_the_asked_keywords() -> None:
    png = (PNG_SIGNATURE + itxt(OB3_KEYWORD, "{\"vc\": \"日本語\"}", compressed=True)
           + chunk(b"tEXt", OB2_KEYWORD + "caf\xe9".encode("latin-1")) + chunk(b"tEXt", b"Comment\x00hi")
           + chunk(b"IEND", b""))
    assert list(png_text_chunks(png, (OB3_KEYWORD, OB2_KEYWORD))) == [
        (OB3_KEYWORD, "{\"vc\": \"日本語\"}"), (OB2_KEYWORD, "caf\xe9")]
    assert list(png_text_chunks(png, (OB2_KEYWORD,))) == [(OB2_KEYWORD, "caf\xe9")]


@pytest.mark.parametrize(("png", "code", "detail"), [
    (PNG_SIGNATURE + b"truncated", "bad_image", "the PNG image is truncated"),
    (PNG_SIGNATURE + chunk(b"iTXt", OB2_KEYWORD + b"\x00"), "bad_image", "the PNG openbadges chunk is malformed"),
    (PNG_SIGNATURE + chunk(b"iTXt", OB2_KEYWORD + b"\x01\x00\x00\x00junk"), "bad_image",
     "the PNG openbadges chunk does not decompress"),
    (PNG_SIGNATURE + itxt(OB2_KEYWORD, "x" * (2 * 1024 * 1024), compressed=True), "too_large",
     "the baked assertion is too large"),
])
def test_png_text_chunks_refuses_broken_images(png: bytes, code: str, detail: str) -> None:
    with pytest.raises(BakedError) as error:
        list(png_text_chunks(png, (OB2_KEYWORD,)))
    assert error.value.code == code and str(error.value) == detail


def test_svg_root_parses_svg_and_refuses_entities() -> None:
    assert svg_root(b'<svg xmlns="http://www.w3.org/2000/svg"/>').tag == "{http://www.w3.org/2000/svg}svg"
    with pytest.raises(BakedError, match="DOCTYPE"):
        svg_root(b'<!DOCTYPE svg [<!ENTITY a "b">]><svg/>')
    with pytest.raises(BakedError, match="not a readable SVG"):
        svg_root(b"<svg")
