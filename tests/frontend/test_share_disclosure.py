"""Share links with chosen skills only: the link carries an SD-JWT VC of the badge disclosing only the
ticked skills; the other skills and the holder's name and email are neither in the stored link nor on
the page, and whoever opens it sees the issuer's signature, status and trust checked."""

from __future__ import annotations

import base64
import json

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from skills.models import ShareLink
from taxonomies.dss import get_taxonomy
from tests.conftest import csrf_headers
from tests.credentials.conftest import SKILL
from tests.credentials.oid4vci.conftest import learner_with_badge
from tests.frontend.helpers import HTML, csrf_token, form, htmx
from tests.frontend.test_share_pages import link_of

OTHER_SKILL = "v2-machine-learning"


def disclosures_of(sd_jwt: str) -> list:
    _, *disclosures, _ = sd_jwt.split("~")
    return [json.loads(base64.urlsafe_b64decode(d + "=" * (-len(d) % 4))) for d in disclosures]


def personal_values(issued: dict) -> list[str]:
    """What identifies the recipient in the original badge: the identifier hashes and the email."""
    identifiers = issued["credential"]["credentialSubject"]["identifier"]
    return [i["identityHash"] for i in identifiers] + ["hanako@example.jp", "山田"]


async def test_a_link_with_chosen_skills_keeps_and_shows_only_those(client, app, db) -> None:
    learner = await learner_with_badge(client, lang="en")
    held = learner["held"]["id"]
    tx = get_taxonomy()
    shown, hidden = tx.skill_item(SKILL), tx.skill_item(OTHER_SKILL)
    page = await client.get("/wallet/share", headers=HTML)
    assert f'value="{held}:{SKILL}"' in page.text and f'value="{held}:{OTHER_SKILL}"' in page.text

    created = await client.post("/wallet/share", headers=htmx("share_panel"),
                                data=form(await csrf_token(client), label="For Sakura", days="7",
                                          disclose=[f"{held}:{SKILL}"]))
    assert created.status_code == 200, created.text
    path = "/s/" + link_of(created.text).split("/s/")[1]

    (link,) = (await db.execute(select(ShareLink))).scalars()
    stored = json.dumps({"parts": link.parts, "credential_ids": link.credential_ids, "disclosed": link.disclosed},
                        ensure_ascii=False)
    assert link.credential_ids == [] and len(link.disclosed) == 1
    assert OTHER_SKILL not in stored and hidden.name_ja not in stored
    assert not any(value in stored for value in personal_values(learner["issued"]))
    (only,) = disclosures_of(link.disclosed[0]["sd_jwt"])  # one disclosure: the chosen alignment
    assert only[-1]["targetCode"] == SKILL

    async with AsyncTestClient(app=app) as anonymous:
        for lang, valid, name, other in (("ja", "有効な証明書です", shown.name_ja, hidden.name_ja),
                                         ("en", "This credential is valid", shown.name_en, hidden.name_en)):
            anonymous.cookies.set("lang", lang)
            opened = await anonymous.get(path, headers=HTML)
            assert opened.status_code == 200, opened.text
            assert valid in opened.text and name in opened.text and other not in opened.text
            assert not any(value in opened.text for value in personal_values(learner["issued"]))

        shared = (await anonymous.get("/api/v1/shared/" + path.split("/s/")[1])).json()
        (badge,) = shared["disclosed"]
        assert badge["format"] == "dc+sd-jwt" and "credentials" not in shared
        anonymous.cookies.clear()
        checked = (await anonymous.post("/api/v1/verify", json={"credential": badge["document"]})).json()
        assert checked["verified"] is True and checked["trust"]["status"] == "trusted"

    detail = await client.get(f"/wallet/share/{link.id}", headers=HTML)
    assert "Badges shared with chosen skills" in detail.text


async def test_revoking_the_badge_shows_on_the_link(client, app) -> None:
    learner = await learner_with_badge(client, lang="en")
    created = await client.post("/api/v1/me/share-links", headers=await csrf_headers(client),
                                json={"disclose": {learner["held"]["id"]: [SKILL]}})
    assert created.status_code == 201, created.text
    provider = learner["provider"]
    async with AsyncTestClient(app=app) as anonymous:
        revoked = await anonymous.post(f"{provider['base']}/credentials/{learner['issued']['id']}/revoke",
                                       headers=provider["headers"], json={"reason": "issued in error"})
        assert revoked.status_code == 200, revoked.text
        anonymous.cookies.set("lang", "en")
        opened = await anonymous.get(f"/s/{created.json()['token']}", headers=HTML)
        assert "This credential could not be confirmed" in opened.text


async def test_bad_disclosure_choices_are_refused_and_nothing_is_stored(client, db) -> None:
    learner = await learner_with_badge(client, lang="en")
    held = learner["held"]["id"]
    headers = await csrf_headers(client)
    for body in ({"disclose": {held: ["v2-not-on-this-badge"]}},
                 {"disclose": {held: []}},
                 {"disclose": {held: [SKILL]}, "credential_ids": [held]},
                 {"disclose": {"00000000-0000-0000-0000-000000000000": [SKILL]}}):
        response = await client.post("/api/v1/me/share-links", headers=headers, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["field"] == "disclose" or "disclose" in response.text
    page = await client.post("/wallet/share", headers=HTML,
                             data=form(await csrf_token(client), disclose=[f"{held}:v2-not-on-this-badge"]))
    assert page.status_code == 422 and "Tick one or more skills of the chosen badge" in page.text
    assert list((await db.execute(select(ShareLink))).scalars()) == []
