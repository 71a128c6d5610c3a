"""``POST /api/v1/verify`` takes every format a wallet holds: an SD-JWT VC as issued or presented with a
key binding JWT, a VC-JWT (compact JWS) and Data Integrity JSON-LD; a forged disclosure is refused with a
problem, not judged."""

from __future__ import annotations

import json

import pytest

from tests.credentials.oid4vci.test_sd_jwt import disclosure
from tests.credentials.oid4vp.conftest import bound_copy, decoded, holder, kb_jwt, sd_jwt_presentation

ISSUER_DOMAIN = "https://verifier.example.jp"


def checks_of(body: dict) -> dict[str, dict]:
    return {c["check"]: c for c in body["checks"]}


async def verify(client, content: str, **params: str):
    client.cookies.clear()  # a script with no cookie jar
    return await client.post("/api/v1/verify", content=content.encode(), params=params,
                             headers={"content-type": "text/plain"})


async def test_an_sd_jwt_vc_as_issued_verifies_with_its_issuer_trusted(client, wallet) -> None:
    sd_jwt = await bound_copy(client, wallet, holder(), "dc+sd-jwt")
    response = await verify(client, sd_jwt)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verified"] is True and body["kind"] == "sd-jwt", body
    assert body["trust"]["status"] == "trusted"
    assert {"proof", "issuer", "dates", "status"} <= set(checks_of(body))
    # also inside the JSON wrapper the API documents
    wrapped = await client.post("/api/v1/verify", json={"credential": sd_jwt})
    assert wrapped.status_code == 200 and wrapped.json()["verified"] is True


async def test_an_sd_jwt_presentation_checks_its_key_binding(client, wallet) -> None:
    key = holder()
    sd_jwt = await bound_copy(client, wallet, key, "dc+sd-jwt")
    presented = sd_jwt_presentation(sd_jwt, key, nonce="n-123", aud=ISSUER_DOMAIN,
                                    keep=lambda d: "Alignment" in json.dumps(d))
    good = (await verify(client, presented, challenge="n-123", domain=ISSUER_DOMAIN)).json()
    assert good["verified"] is True and checks_of(good)["holder"]["ok"] is True, good

    wrong_nonce = (await verify(client, presented, challenge="another-request", domain=ISSUER_DOMAIN)).json()
    assert wrong_nonce["verified"] is False
    assert checks_of(wrong_nonce)["holder"]["code"] == "invalid_key_binding"
    assert "nonce" in checks_of(wrong_nonce)["holder"]["message"]

    # a KB-JWT by another key than cnf's
    chosen = presented[:presented.rindex("~") + 1]
    stolen = (await verify(client, chosen + kb_jwt(chosen, holder(), nonce="n-123", aud=ISSUER_DOMAIN),
                           challenge="n-123", domain=ISSUER_DOMAIN)).json()
    assert stolen["verified"] is False and checks_of(stolen)["holder"]["ok"] is False

    # a disclosure dropped after key binding: sd_hash no longer matches
    signed, first, *rest = chosen.split("~")
    trimmed = "~".join([signed, *rest]) + presented[presented.rindex("~") + 1:]
    cut = (await verify(client, trimmed, challenge="n-123", domain=ISSUER_DOMAIN)).json()
    assert cut["verified"] is False and "sd_hash" in checks_of(cut)["holder"]["message"]


async def test_a_forged_disclosure_is_refused_with_a_problem(client, wallet) -> None:
    sd_jwt = await bound_copy(client, wallet, holder(), "dc+sd-jwt")
    signed, *disclosures, _ = sd_jwt.split("~")
    forged = disclosure("c2FsdHNhbHRzYWx0", None, {"type": ["Alignment"], "targetCode": "v2-security",
                                                  "targetName": "セキュリティ"})
    response = await verify(client, "~".join([signed, *disclosures, forged, ""]))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert "not referenced" in problem["detail"]
    assert [c["code"] for c in problem["checks"]] == ["disclosure_not_referenced"]
    # an altered value of a real disclosure is as forged
    salt, value = decoded(disclosures[0])[0], decoded(disclosures[0])[-1]
    altered = disclosure(salt, None, {**value, "targetCode": "v2-security"}) if isinstance(value, dict) else forged
    again = await verify(client, "~".join([signed, altered, *disclosures[1:], ""]))
    assert again.status_code == 422, again.text


@pytest.mark.parametrize(("fmt", "kind"), [("jwt_vc_json", "jwt-credential"), ("ldp_vc", "credential")])
async def test_a_vc_jwt_and_a_data_integrity_copy_verify(client, wallet, fmt, kind) -> None:
    copy = await bound_copy(client, wallet, holder(), fmt)
    if fmt == "jwt_vc_json":
        assert isinstance(copy, str) and copy.count(".") == 2  # a compact JWS, sent as text
        response = await verify(client, copy)
    else:
        client.cookies.clear()
        response = await client.post("/api/v1/verify", json=copy)
    body = response.json()
    assert body["verified"] is True and body["kind"] == kind and body["trust"]["status"] == "trusted", body


async def test_the_verify_page_checks_a_pasted_sd_jwt_and_shows_only_what_it_discloses(client, wallet) -> None:
    from taxonomies.dss import get_taxonomy
    from tests.frontend.helpers import csrf_token, form, htmx

    sd_jwt = await bound_copy(client, wallet, holder(), "dc+sd-jwt")
    signed, *disclosures, _ = sd_jwt.split("~")
    kept = [d for d in disclosures
            if isinstance(decoded(d)[-1], dict) and decoded(d)[-1].get("targetCode") == "v2-data-engineering"]
    tx = get_taxonomy()
    for lang, valid in (("ja", "有効な証明書です"), ("en", "This credential is valid")):
        client.cookies.set("lang", lang)
        pasted = "~".join([signed, *kept, ""])
        response = await client.post("/verify", data=form(await csrf_token(client), document=pasted),
                                     files={"file": ("", b"")}, headers=htmx("verify_panel"))
        assert response.status_code == 200, response.text
        assert valid in response.text
        shown, hidden = tx.skill_item("v2-data-engineering"), tx.skill_item("v2-machine-learning")
        assert getattr(shown, f"name_{lang}") in response.text
        assert getattr(hidden, f"name_{lang}") not in response.text
