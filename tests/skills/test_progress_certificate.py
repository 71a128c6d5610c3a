"""The PDF certificate of a held credential: a real PDF with the learner, achievement, issuer and date
in Japanese (Noto Sans CJK), and a QR code of the credential's public verification URL that verifies
it; only the owner can make one."""

from __future__ import annotations

import io
import re
import struct
import zlib
from urllib.parse import parse_qs, urlsplit

import segno
from PIL import Image

from tests.frontend.helpers import HTML, csrf_token, form, held_ids, issue_badges, learner


def _literal(raw: bytes) -> bytes:
    """A PDF literal string's bytes (escapes undone)."""
    out, i = bytearray(), 0
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(raw):
        c = raw[i]
        if c == 0x5C and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt]); i += 2
            elif 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4]).group(0)
                out.append(int(digits, 8) & 0xFF); i += 1 + len(digits)
            else:
                out.append(nxt); i += 2
        else:
            out.append(c); i += 1
    return bytes(out)


def pdf_text(pdf: bytes) -> str:
    """The text shown on the pages, read back through the font's ToUnicode map (no PDF library here)."""
    streams = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(m.group(1)))
        except zlib.error:
            streams.append(m.group(1))
    cmap: dict[int, str] = {}
    for s in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", s, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                cmap[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    text = []
    for s in streams:
        for raw in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", s, re.S):
            data = _literal(raw)
            text.append("".join(cmap.get(int.from_bytes(data[i:i + 2], "big"), "?") for i in range(0, len(data), 2)))
    return "\n".join(text)


def qr_image(pdf: bytes) -> Image.Image:
    """The embedded QR image (CCITT G4, 1 bit), wrapped in a TIFF so Pillow decodes it."""
    at = pdf.index(b"/Subtype /Image")
    start = pdf.rindex(b" obj", 0, at)
    m = re.compile(rb"stream\r?\n").search(pdf, at)
    head = pdf[start:m.end()]
    width = int(re.search(rb"/Width (\d+)", head).group(1))
    height = int(re.search(rb"/Height (\d+)", head).group(1))
    length = int(re.search(rb"/Length (\d+)", head).group(1))
    assert b"/CCITTFaxDecode" in head and b"/K -1" in head
    data = pdf[m.end():m.end() + length]
    entries = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 1), (259, 3, 1, 4), (262, 3, 1, 1),
               (273, 4, 1, 0), (278, 3, 1, height), (279, 4, 1, len(data))]
    ifd_size = 2 + 12 * len(entries) + 4
    offset = 8 + ifd_size
    entries[5] = (273, 4, 1, offset)
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", tag, kind, count, value) if kind == 4 else struct.pack("<HHIHH", tag, kind, count, value, 0)
        for tag, kind, count, value in entries) + b"\0\0\0\0"
    return Image.open(io.BytesIO(b"II*\0" + struct.pack("<I", 8) + ifd + data)).convert("1")


def assert_qr_encodes(image: Image.Image, url: str) -> None:
    """No QR decoder is installed: the image must be, module for module, the QR symbol of ``url``."""
    symbol = segno.make(url, error="m")
    matrix = symbol.matrix
    modules = len(matrix) + 8  # the 4-module quiet zone on each side
    scale = image.width // modules
    assert image.width == image.height == modules * scale
    assert image.getpixel((1, 1)) == 255  # the quiet zone is light: the image is not read inverted
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            pixel = image.getpixel(((x + 4) * scale + scale // 2, (y + 4) * scale + scale // 2))
            assert (pixel == 0) == bool(dark), (x, y)


async def test_certificate_pdf_text_and_qr_to_the_verification(client, db, settings):
    await learner(client, "cert@example.jp", lang="ja")
    [issued] = await issue_badges(db, settings, "cert@example.jp")
    [held_id] = await held_ids(client)
    listing = await client.get("/wallet/certificates", headers=HTML)
    assert f'data-held="{held_id}"' in listing.text and "修了証を PDF で作る" in listing.text

    token = await csrf_token(client)
    answer = await client.post(f"/wallet/certificates/{held_id}", data=form(token), headers=HTML)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    pdf = answer.content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf)
    for expected in ("修了証", "山田 花子", "Back-end APIs in Python", "Test Academy", issued.valid_from.date().isoformat()):
        assert expected in text, (expected, text)
    verify_url = next(line for line in text.splitlines() if line.startswith("http"))
    assert verify_url.startswith(settings.base_url.rstrip("/") + "/verify?url=")
    assert_qr_encodes(qr_image(pdf), verify_url)
    again = await client.post(f"/wallet/certificates/{held_id}", data=form(token), headers=HTML)
    assert next(line for line in pdf_text(again.content).splitlines() if line.startswith("http")) == verify_url
    links = (await client.get("/api/v1/me/share-links")).json()
    assert len(links) == 1  # printing it again reuses the link (a year to run) instead of making another

    # the QR's URL verifies this credential publicly (signed out)
    shared = parse_qs(urlsplit(verify_url).query)["url"][0]
    client.cookies.clear()
    checked = await client.get(f"/verify?url={shared}", headers={**HTML, "cookie": "lang=en"})
    assert checked.status_code == 200 and "Back-end APIs in Python" in checked.text
    assert "verify.error" not in checked.text


async def test_only_the_owner_gets_a_certificate(client, db, settings):
    await learner(client, "owner@example.jp")
    await issue_badges(db, settings, "owner@example.jp")
    [held_id] = await held_ids(client)
    await learner(client, "other@example.jp")
    token = await csrf_token(client)
    answer = await client.post(f"/wallet/certificates/{held_id}", data=form(token), headers=HTML)
    assert answer.status_code == 404 and not answer.content.startswith(b"%PDF")
    client.cookies.clear()
    signed_out = await client.post(f"/wallet/certificates/{held_id}", headers=HTML, follow_redirects=False)
    assert signed_out.status_code in (302, 303, 401, 403)
