"""Open Badges 2.0: baked PNG/SVG and JSON assertions are read and checked offline."""

from __future__ import annotations

import base64
import json

import pytest

from skills.ob2 import BadgeError, png_baked_text, read_badge, recipient_check, svg_baked_text
from tests.skills.factories import as_text, assertion, badge_class, baked_png, baked_svg, hashed_identity

EMAIL = "hanako@example.jp"


def test_png_itxt_chunk_is_found_plain_and_compressed() -> None:
    assert png_baked_text(baked_png('{"a": 1}')) == '{"a": 1}'
    assert png_baked_text(baked_png('{"a": "日本語"}', compressed=True)) == '{"a": "日本語"}'


def test_png_without_openbadges_chunk_is_refused() -> None:
    plain = baked_png("x").replace(b"openbadges", b"comment\x00\x00\x00")
    with pytest.raises(BadgeError, match="no Open Badges assertion"):
        read_badge(plain, "image/png", EMAIL)


def test_svg_assertion_element_is_found() -> None:
    assert svg_baked_text(baked_svg('{"b": 2}')) == '{"b": 2}'


def test_svg_with_entities_is_refused() -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    with pytest.raises(BadgeError, match="DOCTYPE"):
        svg_baked_text(evil)


def test_embedded_badge_class_and_matching_recipient_is_recipient_confirmed() -> None:
    data = as_text(assertion(EMAIL, badge_class("Python Basics"))).encode()
    badge = read_badge(baked_png(data.decode()), "image/png", EMAIL)
    assert badge.check_level == "recipient_confirmed"
    assert badge.weight == 0.6
    assert badge.name == "Python Basics"
    assert badge.issuer_name == "Example Academy"
    assert badge.checks["verification"] == "hosted: not checked (offline)"


def test_hosted_badge_class_url_without_the_json_is_not_checked() -> None:
    data = as_text(assertion(EMAIL, "https://badges.example.org/classes/1")).encode()
    badge = read_badge(data, "application/json", EMAIL)
    assert (badge.check_level, badge.weight, badge.checks["badge_class"]) == ("not_checked", 0.0, "missing")


def test_provided_badge_class_is_used_when_ids_agree() -> None:
    data = as_text(assertion(EMAIL, "https://badges.example.org/classes/1")).encode()
    badge = read_badge(data, "application/json", EMAIL, badge_class=badge_class("SQL"))
    assert (badge.check_level, badge.checks["badge_class"], badge.name) == ("recipient_confirmed", "provided", "SQL")
    with pytest.raises(BadgeError, match="badge class"):
        read_badge(data, "application/json", EMAIL, badge_class=badge_class("SQL", badge_id="https://other/x"))


def test_a_badge_for_another_email_is_refused() -> None:
    data = as_text(assertion("someone@else.jp", badge_class("X"))).encode()
    with pytest.raises(BadgeError, match="different email"):
        read_badge(data, "application/json", EMAIL)


def test_expired_badge_counts_half() -> None:
    data = as_text(assertion(EMAIL, badge_class("X"), expires="2020-01-01T00:00:00Z")).encode()
    badge = read_badge(data, "application/json", EMAIL)
    assert badge.checks["expired"] is True
    assert badge.weight == 0.3


def test_image_pointing_to_a_hosted_assertion_needs_the_json() -> None:
    png = baked_png("https://badges.example.org/assertions/1")
    with pytest.raises(BadgeError, match="network"):
        read_badge(png, "image/png", EMAIL)
    badge = read_badge(png, "image/png", EMAIL, assertion=assertion(EMAIL, badge_class("Y")))
    assert badge.key == "https://badges.example.org/assertions/1"


def test_signed_assertion_is_read_but_its_signature_is_not_checked() -> None:
    def b64(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    token = f"{b64({'alg': 'RS256'})}.{b64(assertion(EMAIL, badge_class('Signed')))}.c2ln"
    badge = read_badge(baked_png(token), "image/png", EMAIL)
    assert badge.checks["format"] == "jws"
    assert badge.checks["verification"] == "signed: not checked (offline)"
    assert badge.name == "Signed"


@pytest.mark.parametrize("data", [b"not json at all", b"[1, 2]", b"\x89PNG\r\n\x1a\nshort", b'{"type": "Thing"}'])
def test_unreadable_uploads_raise_badge_errors(data: bytes) -> None:
    with pytest.raises(BadgeError):
        read_badge(data, "application/octet-stream", EMAIL)


def test_recipient_check_plain_hashed_and_unknown() -> None:
    assert recipient_check({"type": "email", "hashed": False, "identity": "HANAKO@example.jp"}, EMAIL) == "match"
    assert recipient_check({"type": "email", "hashed": True, "salt": "deadsea",
                            "identity": hashed_identity(EMAIL)}, EMAIL) == "match"
    assert recipient_check({"type": "url", "identity": "https://x"}, EMAIL) == "unknown"
    assert recipient_check({"type": "email", "hashed": True, "identity": "sha1$abc"}, EMAIL) == "unknown"
