"""Open Badges baked images: the text a PNG or SVG carries, and an uploaded credential's text.

OB 3.0 bakes a credential into a PNG ``iTXt`` chunk with keyword ``openbadgecredential``, or into an
SVG ``<openbadges:credential>`` element (namespace ``https://purl.imsglobal.org/ob/v3p0``). Open Badges
2.0 bakes an assertion into keyword ``openbadges`` / ``<openbadges:assertion>`` (``http://openbadges.org``);
such images are reported as such, so a page can route them to the OB 2.0 importer (``skills.ob2``),
which reads them with :func:`png_text_chunks` and :func:`svg_root`.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator
from xml.etree import ElementTree

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB3_KEYWORD = b"openbadgecredential\x00"
OB2_KEYWORD = b"openbadges\x00"
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE = "http://openbadges.org"
MAX_TEXT = 1024 * 1024  # baked text is a few KB; refuse zip bombs


class BakedError(ValueError):
    """The file holds no text we can read; ``code`` picks the message shown next to the field, ``str()``
    says what is wrong for an API answer."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        super().__init__(detail or code)
        self.code = code


def is_image(data: bytes, content_type: str = "") -> bool:
    return data.startswith(PNG_SIGNATURE) or _is_svg(data, content_type)


def baked_kind(data: bytes, content_type: str = "") -> str | None:
    """"ob3" or "ob2" for a baked image, None when the image carries no badge (or is no image)."""
    if data.startswith(PNG_SIGNATURE):
        keywords = {kind for kind, _ in png_text_chunks(data, (OB3_KEYWORD, OB2_KEYWORD))}
        return "ob3" if OB3_KEYWORD in keywords else ("ob2" if OB2_KEYWORD in keywords else None)
    if _is_svg(data, content_type):
        root = svg_root(data)
        if root.find(f".//{{{OB3_NAMESPACE}}}credential") is not None:
            return "ob3"
        return "ob2" if root.find(f".//{{{OB2_NAMESPACE}}}assertion") is not None else None
    return None


def credential_text(data: bytes, content_type: str = "") -> str:
    """The JSON or VC-JWT text of an uploaded credential file or OB 3.0 baked image."""
    if not data.strip():
        raise BakedError("empty")
    if data.startswith(PNG_SIGNATURE):
        chunks = list(png_text_chunks(data, (OB3_KEYWORD, OB2_KEYWORD)))
        text = next((body for kind, body in chunks if kind == OB3_KEYWORD), None)
        return _require(text, data, content_type)
    if _is_svg(data, content_type):
        element = svg_root(data).find(f".//{{{OB3_NAMESPACE}}}credential")
        return _require((element.text or "").strip() if element is not None else None, data, content_type)
    try:
        return data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise BakedError("not_text") from None


def _is_svg(data: bytes, content_type: str) -> bool:
    return b"<svg" in data[:4096] or "svg" in content_type


def _require(text: str | None, data: bytes, content_type: str) -> str:
    if text:
        return text.strip()
    raise BakedError("ob2_image" if baked_kind(data, content_type) == "ob2" else "no_baked")


def png_text_chunks(data: bytes, keywords: Iterable[bytes]) -> Iterator[tuple[bytes, str]]:
    """(keyword + NUL, text) of each ``iTXt``/``tEXt`` chunk of a PNG whose keyword is one of ``keywords``,
    read lazily up to ``IEND``."""
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) < length:
            raise BakedError("bad_image", "the PNG image is truncated")
        for keyword in keywords:
            if kind in (b"iTXt", b"tEXt") and body.startswith(keyword):
                yield keyword, _chunk_text(kind, keyword, body[len(keyword):])
        if kind == b"IEND":
            break
        pos += 12 + length


def _chunk_text(kind: bytes, keyword: bytes, rest: bytes) -> str:
    if kind == b"tEXt":
        return rest.decode("latin-1")
    # iTXt: compression flag, method, language NUL, translated keyword NUL, text
    name = keyword.rstrip(b"\x00").decode("latin-1")
    if len(rest) < 2:
        raise BakedError("bad_image", f"the PNG {name} chunk is malformed")
    compressed, pieces = rest[0], rest[2:].split(b"\x00", 2)
    if len(pieces) != 3:
        raise BakedError("bad_image", f"the PNG {name} chunk is malformed")
    text = pieces[2]
    if compressed:
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_TEXT)
        except zlib.error:
            raise BakedError("bad_image", f"the PNG {name} chunk does not decompress") from None
        if inflater.unconsumed_tail:
            raise BakedError("too_large", "the baked assertion is too large")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        raise BakedError("bad_image", f"the PNG {name} chunk is not UTF-8") from None


def svg_root(data: bytes) -> ElementTree.Element:
    """The parsed SVG; refuses a DOCTYPE or entities, since entity expansion is how XML bombs work."""
    if b"<!doctype" in data[:4096].lower() or b"<!entity" in data.lower():
        raise BakedError("bad_image", "SVG files with a DOCTYPE or entities are not accepted")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise BakedError("bad_image", f"not a readable SVG image: {exc}") from None
