"""Pure pieces of the frontend: pagination, charts, baked images, check wording, template rules."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from credentials.baked import BakedError, baked_kind, credential_text
from frontend.charts import BarRow, Segment, Series, line_chart, stacked_bars
from frontend.i18n import fmt_date, fmt_number, messages
from frontend.pagination import paginate
from frontend.verification import verdict_of
from tests.frontend.test_verify_page import baked_png

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"


def test_pagination_clamps_and_keeps_the_query() -> None:
    page = paginate(list(range(45)), "9", per_page=20, path="/x", params={"q": "データ", "empty": ""})
    assert page.number == 3 and page.items == list(range(40, 45)) and page.pages == 3
    assert page.url(2) == "/x?q=%E3%83%87%E3%83%BC%E3%82%BF&page=2" and page.url(1) == "/x?q=%E3%83%87%E3%83%BC%E3%82%BF"
    assert paginate([], "junk").number == 1 and paginate([], 1).first_index == 0


def test_bar_chart_is_labelled_and_patterned() -> None:
    svg = stacked_bars([BarRow("データ & AI", {"verified": 2, "self_declared": 1}, 14, "3 / 14")],
                       [Segment("verified", "verified"), Segment("self_declared", "self")], title="T", desc="D")
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg and "データ &amp; AI" in svg
    assert "<pattern" in svg and "url(#" in svg  # self-declared differs by pattern, not colour alone


def test_line_chart_leaves_gaps_for_suppressed_points() -> None:
    svg = line_chart(["2026-01", "2026-02", "2026-03"], [Series("people", [12, None, 15])], title="T", desc="D")
    assert svg.count("<path d=\"M") == 2  # two runs around the suppressed month


def test_dates_and_numbers_follow_the_language() -> None:
    moment = datetime(2026, 4, 16, 3, 5, tzinfo=timezone.utc)
    assert fmt_date(moment, "ja") == "2026/04/16 12:05" and fmt_date(moment, "en") == "Apr 16, 2026, 12:05 JST"
    assert fmt_date(date(2026, 4, 16), "ja") == "2026年4月16日" and fmt_date("2026-04-16", "en") == "Apr 16, 2026"
    assert fmt_number(1234567, "ja") == "1,234,567"


def test_baked_images() -> None:
    png = baked_png('{"type": ["VerifiableCredential"]}')
    assert baked_kind(png) == "ob3" and credential_text(png).startswith("{")
    assert baked_kind(baked_png("{}", keyword=b"openbadges")) == "ob2"
    with pytest.raises(BakedError) as ob2:
        credential_text(baked_png("{}", keyword=b"openbadges"))
    assert ob2.value.code == "ob2_image"
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
           b'<openbadges:credential><![CDATA[eyJhbGciOiJFZERTQSJ9.e30.sig]]></openbadges:credential></svg>')
    assert credential_text(svg, "image/svg+xml") == "eyJhbGciOiJFZERTQSJ9.e30.sig"
    with pytest.raises(BakedError):
        credential_text(b'<!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "image/svg+xml")


def test_checks_are_worded_for_people_in_both_languages() -> None:
    result = {"verified": False, "kind": "credential", "checks": [
        {"check": "status", "ok": False, "code": "revoked", "message": "revoked", "severity": "error"},
        {"check": "proof", "ok": True, "code": "ok", "message": "ok", "severity": "error"}]}
    en, ja = verdict_of(result, "en"), verdict_of(result, "ja")
    assert [line.name for line in en.lines] == ["proof", "status"]
    assert en.failed[0].text == "The issuer has revoked it." and ja.failed[0].text == "発行者によって失効されています。"
    assert en.authentic  # revoked, but genuine: what it says is still shown as the issuer's


def test_templates_import_macros_with_context_and_inside_each_block() -> None:
    """Imported macros call t(); without the context they would render in the default language, and a
    block rendered alone (htmx) does not run the template's top-level imports."""
    for template in TEMPLATES.rglob("*.html"):
        if template.relative_to(TEMPLATES).parts[0] in ("provider", "employer"):
            continue  # owned by the employer/provider pages' engineer
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\{% from [^%]*import(?![^%]*with context)[^%]*%\}", text), template
        uses = {m for m in ("pager", "level", "provenance", "evidence", "state", "verdict_box", "summary_facts")
                if re.search(rf"\{{\{{ {m}\(", text)}
        for name, body in re.findall(r"\{% block ([a-z_]+) %\}(.*?)\{% endblock %\}", text, re.S):
            if name in ("content", "title") or not uses:
                continue
            used = {m for m in uses if re.search(rf"\{{\{{ {m}\(", body)}
            assert not used or "import" in body.split("\n")[0], f"{template}: block {name} uses {used}"


def test_dynamic_key_families_are_translated() -> None:
    from credentials.vc.messages import JA
    from skills.sharing import SHARE_PARTS
    from taxonomies.dss import PROVENANCES

    catalog = messages()
    families = [f"provenance.{p}" for p in PROVENANCES] + [f"part.{p}" for p in SHARE_PARTS]
    families += [f"evidence.{s}" for s in ("verified", "evidenced", "self_declared")]
    families += [f"state.{s}" for s in ("active", "revoked", "expired")]
    families += [f"verify.check.{c}" for c in ("format", "proof", "issuer", "dates", "status", "schema")]
    families += [f"source.{s}" for s in ("credential", "ob2_badge", "record", "exam", "self")]
    assert not [k for k in families if k not in catalog]
    assert set(JA) >= {k.split(".", 2)[2] for k in catalog if k.startswith("verify.code.")}
