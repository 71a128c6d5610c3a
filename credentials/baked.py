"""Open Badges baked images: the text a PNG or SVG carries, and an uploaded credential's text.

OB 3.0 bakes a credential into a PNG ``iTXt`` chunk with keyword ``openbadgecredential``, or into an
SVG ``<openbadges:credential>`` element (namespace ``https://purl.imsglobal.org/ob/v3p0``). Open Badges
2.0 bakes an assertion into keyword ``openbadges`` / ``<openbadges:assertion>`` (``http://openbadges.org``);
such images are reported as such, so a page can route them to the OB 2.0 importer (``skills.ob2``),
which reads them with :func:`png_text_chunks` and :func:`svg_root`.

Baking (OB 3.0 section "Baking"): :func:`bake_png` puts the credential into one uncompressed ``iTXt``
chunk before ``IEND`` (replacing any earlier badge chunk); :func:`bake_svg` adds one
``<openbadges:credential>`` element right after the opening ``<svg>`` tag, holding a credential with an
embedded proof as CDATA, or a VC-JWT (compact JWS) in its ``verify`` attribute. Both forms are read back
by :func:`credential_text`.
"""

from __future__ import annotations

import re
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
        text = ((element.get("verify") or element.text or "").strip()) if element is not None else None
        return _require(text, data, content_type)
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


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def bake_png(png: bytes, credential: str) -> bytes:
    """The PNG with ``credential`` (the JSON of a credential with an embedded proof, or its compact JWS) in
    an ``openbadgecredential`` iTXt chunk; earlier badge chunks (OB 2.0 or 3.0) are dropped."""
    if not png.startswith(PNG_SIGNATURE):
        raise BakedError("bad_image", "not a PNG image")
    out, pos = [PNG_SIGNATURE], len(PNG_SIGNATURE)
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if len(body) < length:
            raise BakedError("bad_image", "the PNG image is truncated")
        if kind == b"IEND":
            # compression flag 0, method 0, empty language tag and translated keyword
            out.append(_chunk(b"iTXt", OB3_KEYWORD + b"\x00\x00\x00\x00" + credential.encode("utf-8")))
            out.append(png[pos:pos + 12 + length])
            return b"".join(out)
        if not (kind in (b"iTXt", b"tEXt", b"zTXt") and body.startswith((OB3_KEYWORD, OB2_KEYWORD))):
            out.append(png[pos:pos + 12 + length])
        pos += 12 + length
    raise BakedError("bad_image", "the PNG image has no end chunk")


_SVG_OPEN = re.compile(rb"<svg\b[^>]*?(/?)>", re.DOTALL)


def bake_svg(svg: bytes, credential: str) -> bytes:
    """The SVG with one ``<openbadges:credential>`` element right after its opening tag: a JSON credential
    as CDATA, a compact JWS in the ``verify`` attribute."""
    svg_root(svg)  # readable, no DTD or entities
    if svg_root(svg).find(f".//{{{OB3_NAMESPACE}}}credential") is not None:
        raise BakedError("bad_image", "the SVG already carries a credential")
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise BakedError("bad_image", "not an SVG image")
    text = credential.strip()
    if text.startswith("{"):
        if "]]>" in text:  # cannot occur in JSON outside a string; escape it inside one
            text = text.replace("]]>", "]]\\u003e")
        element = f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential>"
    else:
        element = f'<openbadges:credential verify="{_attribute(text)}"></openbadges:credential>'
    opening = match.group(0)
    declaration = b"" if b"xmlns:openbadges=" in opening else f' xmlns:openbadges="{OB3_NAMESPACE}"'.encode()
    if match.group(1):  # <svg ... /> : an empty image
        head = opening[:-2].rstrip() + declaration + b">"
        return svg[:match.start()] + head + element.encode("utf-8") + b"</svg>" + svg[match.end():]
    head = opening[:-1].rstrip() + declaration + b">"
    return svg[:match.start()] + head + element.encode("utf-8") + svg[match.end():]


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
