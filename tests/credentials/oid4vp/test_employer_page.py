"""The employer's presentation request pages: the form refuses what the API refuses, the request page
shows the QR code and link and polls until answered, then the verdict and the disclosed skills, in ja and en."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import csrf_headers
from tests.credentials.conftest import SKILL
from tests.credentials.oid4vp.conftest import PURPOSE, answer, bound_copy, holder, request_object, sd_jwt_presentation


def page_base(employer) -> str:
    return f"/employer/{employer['org']['id']}/presentation-requests"


async def test_the_form_refuses_as_the_api_does_and_keeps_nothing(employer) -> None:
    client = employer["client"]
    form = {"purpose_ja": "", "purpose_en": "Why", "formats": ["ldp_vc"], "_csrf_token": ""}
    headers = await csrf_headers(client)
    response = await client.post(page_base(employer), data=form, headers=headers)
    assert response.status_code == 422 and "Write the purpose in Japanese" in response.text
    api = await client.post(employer["base"], json={"purpose_ja": "", "purpose_en": "Why"}, headers=headers)
    assert api.status_code == 422
    no_format = await client.post(page_base(employer), data={**PURPOSE}, headers=headers)
    assert no_format.status_code == 422 and "Choose at least one format." in no_format.text
    assert (await client.get(employer["base"])).json() == []


@pytest.mark.parametrize(("lang", "waiting", "verified"), [
    ("ja", "回答を待っています", "検証済み"), ("en", "Waiting for the answer", "Verified: signature"),
])
async def test_the_request_page_shows_the_qr_then_the_verified_answer(
        client, employer, wallet, lang, waiting, verified) -> None:
    hr = employer["client"]
    headers = await csrf_headers(hr)
    switched = await hr.post("/lang", data={"lang": lang, "next": "/"}, headers=headers, follow_redirects=False)
    assert switched.status_code == 303
    created = await hr.post(page_base(employer), data={**PURPOSE, "formats": ["dc+sd-jwt"], "dss_items": SKILL},
                            headers=headers, follow_redirects=False)
    assert created.status_code == 303, created.text
    detail = created.headers["location"]
    shown = await hr.get(detail)
    assert shown.status_code == 200 and waiting in shown.text and "<svg" in shown.text
    assert 'hx-trigger="every 2s"' in shown.text and "openid4vp://?client_id=" in shown.text

    (made,) = (await hr.get(employer["base"])).json()
    key = holder()
    sd_jwt = await bound_copy(client, wallet, key, "dc+sd-jwt")
    _, payload = await request_object(wallet, made)
    presented = sd_jwt_presentation(sd_jwt, key, nonce=payload["nonce"], aud=payload["client_id"],
                                    keep=lambda d: "identifier" not in d and "identityHash" not in str(d))
    assert (await answer(wallet, made, {"badge_sd_jwt": [presented]}, payload=payload)).status_code == 200

    polled = await hr.get(detail, headers={"HX-Request": "true", "HX-Target": "answer"})
    assert polled.status_code == 200 and verified in polled.text and "every 2s" not in polled.text
    assert "<html" not in polled.text  # only the answer block
    assert "データエンジニアリング基礎" in polled.text
    assert urlsplit(detail).path.endswith(made["id"])
