"""A printable certificate (修了証) of a held credential as PDF (fpdf2): learner, achievement, issuer,
date, and a QR code of the credential's public verification URL.

The Japanese text needs a CJK font. skillpass does not ship one (Noto Sans CJK is some 20 MB): it is
read from the system (Debian/Ubuntu: ``apt-get install fonts-noto-cjk``), from the first of
``FONT_PATHS`` that exists; without it, :class:`FontMissing` names the package to install.
"""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import segno
from fpdf import FPDF
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from core.db import utcnow
from core.errors import DomainError
from core.settings import Settings
from credentials.documents import issued_on
from credentials.wallet import WalletService
from skills import sharing

CERT_LINK_DAYS = 365
log = logging.getLogger("skillpass.frontend.certificate")

FONT_PATHS = (  # (path, face index of Noto Sans CJK JP in the collection)
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf", 0),
)


class FontMissing(DomainError):
    """No Noto Sans CJK font on this system (an operator's fix, so a 503)."""

    status_code = 503
    title = "Service unavailable"
    type_slug = "certificate-font-missing"


@dataclass(frozen=True)
class Certificate:
    learner: str
    achievement: str
    issuer: str
    issued_on: date | None
    verify_url: str
    lang: str


TEXT = {
    "ja": {"title": "修了証", "intro": "下記の者は、次の学習を修了したことを証します。", "achievement": "修了した内容",
           "issuer": "発行者", "date": "発行日", "verify": "この QR コードから、証明書の真正性（署名・失効の有無・発行者）を確認できます。"},
    "en": {"title": "Certificate of Completion", "intro": "This certifies that the person named below has completed:",
           "achievement": "Completed", "issuer": "Issued by", "date": "Date",
           "verify": "Scan the QR code to verify this credential (signature, revocation and issuer)."},
}


def font_path() -> tuple[str, int]:
    for path, index in FONT_PATHS:
        if Path(path).is_file():
            return path, index
    log.error("certificate font missing: install fonts-noto-cjk")
    raise FontMissing("No Noto Sans CJK font found (looked in: " + ", ".join(p for p, _ in FONT_PATHS)
                      + "). Install it, e.g. `apt-get install fonts-noto-cjk`.")


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def render(cert: Certificate) -> bytes:
    """The certificate as an A4 landscape PDF."""
    text = TEXT.get(cert.lang, TEXT["ja"])
    path, index = font_path()
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(text["title"])
    pdf.set_auto_page_break(False)
    pdf.add_font("NotoSansCJK", fname=path, collection_font_number=index)
    pdf.add_page()
    pdf.set_draw_color(11, 92, 173)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_font("NotoSansCJK", size=30)
    pdf.set_y(28)
    pdf.cell(0, 14, text["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSansCJK", size=12)
    pdf.ln(6)
    pdf.cell(0, 8, text["intro"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSansCJK", size=24)
    pdf.ln(4)
    pdf.cell(0, 14, cert.learner, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSansCJK", size=12)
    pdf.ln(4)
    rows = [(text["achievement"], cert.achievement), (text["issuer"], cert.issuer),
            (text["date"], cert.issued_on.isoformat() if cert.issued_on else "")]
    for label, value in rows:
        pdf.set_x(40)
        pdf.cell(45, 10, label)
        pdf.multi_cell(150, 10, value, new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(qr_png(cert.verify_url)), x=232, y=140, w=45, h=45)
    pdf.set_font("NotoSansCJK", size=8)
    pdf.set_xy(40, 178)
    pdf.multi_cell(185, 5, text["verify"] + "\n" + cert.verify_url)
    return bytes(pdf.output())


async def certificate_pdf(session: AsyncSession, settings: Settings, person_id: uuid.UUID, held_id: uuid.UUID,
                          lang: str) -> bytes:
    """The owner's certificate of one held credential; its QR code opens the public verification of a
    share link to this credential alone: one with half a year or more to run is reused (downloading
    again prints the same QR code), else a new one valid for a year."""
    held = await WalletService(session, settings).get(person_id, held_id)
    person = await AccountService(session).get_person(person_id)
    label = (("修了証: " if lang == "ja" else "Certificate: ") + (held.title or ""))[:sharing.MAX_LABEL]
    token = (await sharing.qr_link(session, settings, person_id, held.id, label,
                                   expires_at=utcnow() + timedelta(days=CERT_LINK_DAYS),
                                   min_left=timedelta(days=CERT_LINK_DAYS // 2))).token
    base = settings.base_url.rstrip("/")
    verify_url = f"{base}/verify?url={quote(f'{base}/s/{token}', safe='')}"
    document = held.document or {}
    return render(Certificate(learner=person.display_name, achievement=held.title or "", issuer=held.issuer_name or "",
                              issued_on=issued_on(document), verify_url=verify_url, lang=lang))
