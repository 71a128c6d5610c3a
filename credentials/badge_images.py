"""Achievement images: a provider's upload (PNG, or SVG after sanitising) or generated badge art.

Every achievement has an image at ``/achievements/{id}/image`` (the ``image`` of the Achievement in
credentials issued since): the uploaded one when there is one, else the art of
``credentials.badge_art``. An upload is checked before anything is stored:

- PNG: decoded with Pillow (size and pixel limits first, so a decompression bomb is refused before it is
  inflated) and re-encoded, which drops every text chunk (a baked credential or metadata included).
- SVG: parsed with defusedxml (no DTD, no entities, no external references) and rebuilt from a strict
  allow-list of elements and attributes: no script, no event handlers, no ``foreignObject``, no
  ``<image>``, no links or ``url()`` outside the document itself.

``png_art`` draws the badge art as a PNG (Pillow), the picture a baked PNG carries when no PNG was
uploaded. ``shown_image`` is what a learner's page shows for a held credential's image: never a third
party's URL (opening one's wallet must not tell another host who looks at which credential).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import uuid
from typing import Any
from dataclasses import dataclass
from pathlib import Path

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError
from sqlalchemy.ext.asyncio import AsyncSession
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from core.db import utcnow
from core.errors import InvalidInput
from credentials.alignments import dss_alignments
from credentials.badge_art import PALETTES, NEUTRAL, BadgeText, badge_svg, fit_lines
from credentials.models import Achievement, BadgeImage
from taxonomies.dss import LEVELS, get_taxonomy

MAX_BYTES = 256 * 1024
MAX_SIDE = 2048
MIN_SIDE = 64
PNG = "image/png"
SVG = "image/svg+xml"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ELEMENTS = {"svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline",
            "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "use",
            "symbol"}
ATTRIBUTES = {"id", "class", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
              "rx", "ry", "d", "points", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
              "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "opacity", "transform",
              "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
              "letter-spacing", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
              "clip-path", "clip-rule", "mask", "preserveAspectRatio", "role", "aria-label", "aria-labelledby",
              "version", "dx", "dy", "fx", "fy", "spreadMethod", "patternUnits", "clipPathUnits", "href"}
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE)
FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


_OWN_IMAGE = re.compile(r"/achievements/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/image")


@dataclass(frozen=True)
class Picture:
    """An image to serve: its bytes and media type."""

    data: bytes
    media_type: str


def image_path(achievement_id: uuid.UUID) -> str:
    return f"/achievements/{achievement_id}/image"


def check_upload(data: bytes, content_type: str = "") -> Picture:
    """The cleaned image of an upload, or ``InvalidInput`` (field ``image``) saying what is wrong."""
    if not data:
        raise InvalidInput("Choose a PNG or SVG image.", field="image", extra={"code": "empty"})
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"The image is larger than {MAX_BYTES // 1024} KB.", field="image",
                           extra={"code": "too_large"})
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Picture(clean_png(data), PNG)
    if b"<svg" in data[:4096] or "svg" in content_type:
        return Picture(clean_svg(data), SVG)
    raise InvalidInput("Only PNG and SVG images are accepted.", field="image", extra={"code": "type"})


def clean_png(data: bytes) -> bytes:
    """The PNG decoded and re-encoded without any metadata chunk."""
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            width, height = image.size
            if max(width, height) > MAX_SIDE or min(width, height) < MIN_SIDE:
                raise InvalidInput(f"The image must be {MIN_SIDE} to {MAX_SIDE} pixels on each side.", field="image",
                                   extra={"code": "pixels"})
            image.load()
            pixels = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise InvalidInput("The PNG image cannot be read.", field="image", extra={"code": "unreadable"}) from None
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=True)
    return out.getvalue()


def clean_svg(data: bytes) -> bytes:
    """The SVG rebuilt from allowed elements and attributes only."""
    try:
        root = SafeTree.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError, ValueError):
        raise InvalidInput("The SVG image cannot be read (DTDs and entities are not accepted).",
                           field="image", extra={"code": "unreadable"}) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise InvalidInput("The file is not an SVG image.", field="image", extra={"code": "type"})
    return _serialize(_clean_element(root), root=True).encode("utf-8")


def _clean_element(element: ElementTree.Element) -> ElementTree.Element:
    out = ElementTree.Element(element.tag)
    for name, value in element.attrib.items():
        local = name.rsplit("}", 1)[-1]
        namespace = name[1:].split("}", 1)[0] if name.startswith("{") else ""
        if namespace == XML_NS and local in ("lang", "space"):
            out.set(name, value)
        elif namespace in ("", XLINK_NS) and local in ATTRIBUTES and _safe_value(local, value):
            out.set("href" if local == "href" else name, value)
    out.text = element.text
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1] if child.tag.startswith(f"{{{SVG_NS}}}") else None
        if tag in ELEMENTS:
            cleaned = _clean_element(child)
            cleaned.tail = child.tail
            out.append(cleaned)
    return out


def _serialize(element: ElementTree.Element, *, root: bool = False) -> str:
    """The cleaned tree as SVG text: every element is in the SVG namespace, so it is the default one."""
    attributes = [("xmlns", SVG_NS)] if root else []
    for name, value in element.attrib.items():
        attributes.append((f"xml:{name.rsplit('}', 1)[-1]}" if name.startswith(f"{{{XML_NS}}}") else name, value))
    tag = element.tag.rsplit("}", 1)[-1]
    head = "".join(f" {name}={quoteattr(value)}" for name, value in attributes)
    inner = escape(element.text or "") + "".join(_serialize(child) + escape(child.tail or "") for child in element)
    return f"<{tag}{head}>{inner}</{tag}>" if inner else f"<{tag}{head}/>"


def _safe_value(name: str, value: str) -> bool:
    """Links and ``url()`` may only point inside the document (``#id``)."""
    if name == "href":
        return value.startswith("#")
    return all(target.startswith("#") for _, target in _URL.findall(value)) and "javascript:" not in value.lower()


def badge_text(achievement: Achievement) -> BadgeText:
    """What generated art shows: the names, the highest level aligned and the category of the first skill."""
    tx = get_taxonomy()
    levels = [a["level"] for a in achievement.alignments if a.get("level") in LEVELS]
    level = min(levels, key=LEVELS.index) if levels else None
    category = None
    for alignment in achievement.alignments:
        try:
            category = tx.category(tx.skill_item(alignment["skill_id"]).category_id)
            break
        except KeyError:
            continue
    return BadgeText(name_ja=achievement.name_ja, name_en=achievement.name_en, level=level,
                     category_code=category.code if category else None,
                     category_ja=category.name_ja if category else "", category_en=category.name_en if category else "")


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _name(value: Any) -> str:
    if isinstance(value, dict):  # a language map
        return str(value.get("ja") or value.get("en") or next(iter(value.values()), ""))
    return str(_first(value) or "") if not isinstance(_first(value), dict) else _name(_first(value))


def shown_image(document: Any, base_url: str) -> str | None:
    """The ``src`` a learner's page uses for a held credential's image (None: it has none):

    - an embedded ``data:image/...`` URI as it is;
    - this platform's own achievement image (``<base_url>/achievements/{id}/image``) by its path, same origin;
    - any other http(s) URL: not loaded, the generated art (a ``data:`` SVG from the credential's name and
      DSS level) instead, so no request goes to a third party.
    """
    if not isinstance(document, dict):
        return None
    subject = _first(document.get("credentialSubject"))
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    achievement = achievement if isinstance(achievement, dict) else {}
    image = achievement.get("image") or document.get("image")
    url = image.get("id") if isinstance(image, dict) else image
    if not isinstance(url, str) or not url:
        return None
    if url.startswith("data:image/"):
        return url
    own = _OWN_IMAGE.fullmatch(url[len(base_url.rstrip("/")):]) if url.startswith(base_url.rstrip("/") + "/") else None
    if own:
        return image_path(uuid.UUID(own.group(1)))
    levels = [level for _, level in dss_alignments(document) if level in LEVELS]
    name = _name(achievement.get("name") or document.get("name"))
    art = badge_svg(BadgeText(name_ja=name, name_en=name, level=min(levels, key=LEVELS.index) if levels else None))
    return "data:image/svg+xml;base64," + base64.b64encode(art.encode("utf-8")).decode("ascii")


async def set_image(session: AsyncSession, achievement: Achievement, data: bytes, content_type: str = "") -> BadgeImage:
    """Check and keep an uploaded image for the achievement (replacing the previous one); the upload
    replaces an image URL given at creation, so credentials issued from now on point at it."""
    picture = check_upload(data, content_type)
    row = await session.get(BadgeImage, achievement.id)
    if row is None:
        row = BadgeImage(achievement_id=achievement.id, media_type=picture.media_type, data=picture.data,
                         sha256=hashlib.sha256(picture.data).hexdigest())
        session.add(row)
    else:
        row.media_type, row.data = picture.media_type, picture.data
        row.sha256, row.updated_at = hashlib.sha256(picture.data).hexdigest(), utcnow()
    achievement.image = None
    await session.flush()
    return row


async def has_upload(session: AsyncSession, achievement: Achievement) -> bool:
    return await session.get(BadgeImage, achievement.id) is not None


async def remove_image(session: AsyncSession, achievement: Achievement) -> None:
    """Back to generated art."""
    row = await session.get(BadgeImage, achievement.id)
    if row is not None:
        await session.delete(row)
        await session.flush()


async def picture_of(session: AsyncSession, achievement: Achievement) -> Picture:
    """The uploaded image, or the generated SVG art."""
    row = await session.get(BadgeImage, achievement.id)
    if row is not None:
        return Picture(row.data, row.media_type)
    return Picture(badge_svg(badge_text(achievement)).encode("utf-8"), SVG)


async def png_of(session: AsyncSession, achievement: Achievement) -> bytes:
    """A PNG picture of the achievement: the uploaded PNG, else the art drawn as PNG."""
    row = await session.get(BadgeImage, achievement.id)
    if row is not None and row.media_type == PNG:
        return row.data
    return png_art(badge_text(achievement))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def png_art(text: BadgeText, size: int = 400) -> bytes:
    """The badge art as a PNG (same layout and colours as the SVG; the names in a CJK font when the
    system has one, else the Latin default font and the English name)."""
    light, dark = PALETTES.get(text.category_code or "", NEUTRAL)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=dark)
    draw.ellipse((20, 20, size - 20, size - 20), fill=light)
    draw.ellipse((32, 32, size - 32, size - 32), outline=(255, 255, 255, 140), width=2)
    cjk = any(Path(p).exists() for p in FONTS[:2])
    name = (text.name_ja or text.name_en) if cjk else (text.name_en or text.name_ja)
    font_size, lines = fit_lines(name, width=250, sizes=(34, 30, 26, 22, 19), max_lines=3)
    font = _font(font_size)
    y = size / 2 - len(lines) * font_size * 1.25 / 2
    for line in lines:
        draw.text((size / 2, y), line, font=font, fill="white", anchor="ma")
        y += font_size * 1.25
    category = (text.category_ja or text.category_en) if cjk else (text.category_en or text.category_ja)
    if category:
        draw.text((size / 2, 82), category[:18], font=_font(17), fill="white", anchor="mm")
    if text.level:
        draw.rounded_rectangle((136, 290, 264, 330), radius=20, fill="white")
        draw.text((size / 2, 310), f"Lv. {text.level.upper()}", font=_font(22), fill=dark, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
