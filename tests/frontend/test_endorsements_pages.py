"""Endorsement pages: the console form (both languages, errors per field, the verified-only rule shared with
the API), withdrawal from the console, one endorsement's public page verified now, the public achievement
page and the public badge page with the endorsements in force and their endorsers' trust."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from accounts.service import AccountService
from credentials import endorsements
from credentials.models import Endorsement, PublicBadge
from tests.conftest import verify_org
from tests.credentials.conftest import new_achievement, new_provider
from tests.credentials.test_endorsements import suspend
from tests.frontend.helpers import HTML, csrf_token, held_ids, htmx, issue_badges, learner


async def submit(client, org_id: str, **fields: str):
    return await client.post(f"/provider/{org_id}/endorsements", headers=HTML, follow_redirects=False,
                             data={"_csrf_token": await csrf_token(client), "subject": "", "comment_ja": "",
                                   "comment_en": "", **fields})


async def test_the_console_form_endorses_and_withdraws_and_public_pages_follow(client, db) -> None:
    university = await new_provider(client, "fe-uni", name_ja="東都大学", name_en="Toto University")
    achievement = await new_achievement(client, university)
    body = await new_provider(client, "fe-body", name_ja="日本データ協会", name_en="Japan Data Association")
    own = await new_achievement(client, body)
    client.cookies.set("lang", "ja")
    console = await client.get(f"/provider/{body['id']}/endorsements", headers=HTML)
    assert console.status_code == 200
    assert f'value="a:{achievement["id"]}"' in console.text and f'value="o:{university["id"]}"' in console.text
    assert f'value="a:{own["id"]}"' not in console.text and f'value="o:{body["id"]}"' not in console.text
    assert "署名して推薦する" in console.text and "Sign and endorse" not in console.text

    made = await submit(client, body["id"], subject=f"a:{achievement['id']}", comment_ja="データ人材の育成に有効です。")
    assert made.status_code == 303 and made.headers["location"] == f"/provider/{body['id']}/endorsements"
    row = (await db.execute(select(Endorsement))).scalar_one()
    assert row.document["credentialSubject"]["endorsementComment"] == "データ人材の育成に有効です。"
    assert row.document["name"] == "日本データ協会 による推薦"

    about = f"/achievements/{achievement['id']}/about"
    shown = (await client.get(about, headers=HTML)).text
    assert "日本データ協会" in shown and "確認済みの発行者" in shown and f'href="/endorsements/{row.id}"' in shown
    public = (await client.get(f"/endorsements/{row.id}", headers=HTML)).text
    assert 'data-standing="valid"' in public and "取り下げられました" not in public
    assert '<p class="prose" lang="ja">データ人材の育成に有効です。</p>' in public  # marked for the reader's tools
    signed = await client.get(f"/endorsements/{row.id}/credential.json")
    assert signed.status_code == 200 and signed.json() == row.document

    withdrawn = await client.post(f"/provider/{body['id']}/endorsements/{row.id}/withdraw", headers=HTML,
                                  data={"_csrf_token": await csrf_token(client)}, follow_redirects=False)
    assert withdrawn.status_code == 303
    assert "取り下げ済み" in (await client.get(f"/provider/{body['id']}/endorsements", headers=HTML)).text
    shown = (await client.get(about, headers=HTML)).text
    assert f"/endorsements/{row.id}" not in shown and "この認定にはまだ推薦がありません。" in shown
    public = (await client.get(f"/endorsements/{row.id}", headers=HTML)).text
    assert "取り下げられました" in public and 'data-standing="invalid"' in public

    client.cookies.set("lang", "en")
    public_en = (await client.get(f"/endorsements/{row.id}", headers=HTML)).text
    assert "This endorsement was withdrawn on" in public_en and "取り下げられました" not in public_en
    assert "Achievement (badge)" in (await client.get(about, headers=HTML)).text


async def test_form_errors_per_field_in_the_readers_language(client) -> None:
    university = await new_provider(client, "fe-err-uni")
    achievement = await new_achievement(client, university)
    body = await new_provider(client, "fe-err-body")
    own = await new_achievement(client, body)
    client.cookies.set("lang", "en")
    both = await submit(client, body["id"])
    assert both.status_code == 422
    assert re.search(r'id="e-subject">Choose an achievement or an organization to endorse\.<', both.text)
    assert re.search(r'id="e-comment">Write the comment in Japanese or English\.<', both.text)
    mine = await submit(client, body["id"], subject=f"a:{own['id']}", comment_en="Great.")
    assert mine.status_code == 422 and "You cannot endorse your own organization" in mine.text
    too_long = await submit(client, body["id"], subject=f"a:{achievement['id']}", comment_en="x" * 2001)
    assert too_long.status_code == 422 and 'id="e-comment_en"' in too_long.text
    fragment = await client.post(f"/provider/{body['id']}/endorsements", headers=htmx("endorse_form"),
                                 data={"_csrf_token": await csrf_token(client), "subject": "a:not-an-id"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="e-subject"' in fragment.text
    client.cookies.set("lang", "ja")
    ja = await submit(client, body["id"], subject=f"a:{achievement['id']}")
    assert ja.status_code == 422 and "日本語か英語で推薦コメントを書いてください。" in ja.text
    assert "Write the comment" not in ja.text


async def test_an_unverified_organization_is_told_and_refused(client) -> None:
    university = await new_provider(client, "fe-unv-uni")
    achievement = await new_achievement(client, university)
    dojo = await new_provider(client, "fe-unv-dojo", verified=False)
    client.cookies.set("lang", "en")
    console = await client.get(f"/provider/{dojo['id']}/endorsements", headers=HTML)
    assert "Only organizations verified by the platform can endorse." in console.text
    assert 'name="comment_ja"' not in console.text
    refused = await submit(client, dojo["id"], subject=f"a:{achievement['id']}", comment_en="Good.")
    assert refused.status_code == 422 and "Only verified organizations can endorse." in refused.text


async def test_the_public_badge_page_shows_the_endorsements_in_force(client, db, settings) -> None:
    await learner(client, "hanako@example.jp", lang="en")
    [issued] = await issue_badges(db, settings, "hanako@example.jp")
    accounts = AccountService(db)
    endorser = await accounts.create_org("provider", "fe-badge-body", "日本データ協会", "Japan Data Association",
                                         admin_id=None)
    await db.flush()
    await verify_org(db, endorser.id)
    row = await endorsements.endorse(db, settings, endorser.id, achievement_id=issued.achievement_id,
                                     issuer_org_id=None, comments={"en": "A sound programme."}, lang="en")
    await db.commit()
    [held_id] = await held_ids(client)
    switched = await client.post(f"/wallet/credentials/{held_id}/public", headers=HTML, follow_redirects=False,
                                 data={"_csrf_token": await csrf_token(client), "public": "on"})
    assert switched.status_code == 303
    token = (await db.execute(select(PublicBadge.token).where(PublicBadge.held_id == uuid.UUID(held_id)))).scalar_one()
    client.cookies.clear()
    client.cookies.set("lang", "en")
    page = (await client.get(f"/b/{token}", headers=HTML)).text
    assert "Japan Data Association" in page and "Recognised issuer" in page and "A sound programme." in page
    assert f'href="/endorsements/{row.id}"' in page
    await endorsements.withdraw(db, settings, endorser.id, row.id)
    await db.commit()
    page = (await client.get(f"/b/{token}", headers=HTML)).text
    assert "A sound programme." not in page and f"/endorsements/{row.id}" not in page


async def test_the_issuer_page_shows_endorsements_of_the_issuer_and_links_its_achievements(client) -> None:
    university = await new_provider(client, "fe-iss-uni")
    achievement = await new_achievement(client, university)
    body = await new_provider(client, "fe-iss-body", name_ja="日本データ協会", name_en="Japan Data Association")
    client.cookies.set("lang", "en")
    made = await submit(client, body["id"], subject=f"o:{university['id']}", comment_en="A trustworthy issuer.")
    assert made.status_code == 303
    page = (await client.get("/issuers/fe-iss-uni", headers=HTML)).text
    assert "A trustworthy issuer." in page and "Japan Data Association" in page and "endorses the issuer" in page
    assert f'href="/achievements/{achievement["id"]}/about"' in page
    about = (await client.get(f"/achievements/{achievement['id']}/about", headers=HTML)).text
    assert "A trustworthy issuer." in about  # an issuer's endorsement shows with each of its achievements
    assert "A trustworthy issuer." not in (await client.get("/issuers/fe-iss-body", headers=HTML)).text


async def test_the_issuer_page_in_both_languages_with_trust_and_without_withdrawn_ones(client, db, settings) -> None:
    """The endorsements in force of the issuer profile, each with its endorser's trust status (an unverified
    or later-suspended endorser is "not recognised") and its verify link; a withdrawn one is gone."""
    university = await new_provider(client, "fe-iss2-uni", name_ja="東都大学", name_en="Toto University")
    body = await new_provider(client, "fe-iss2-body", name_ja="日本データ協会", name_en="Japan Data Association")
    kept = await endorsements.endorse(db, settings, uuid.UUID(body["id"]), achievement_id=None,
                                      issuer_org_id=uuid.UUID(university["id"]),
                                      comments={"ja": "信頼できる発行者です。", "en": "A trustworthy issuer."})
    gone = await endorsements.endorse(db, settings, uuid.UUID(body["id"]), achievement_id=None,
                                      issuer_org_id=uuid.UUID(university["id"]), comments={"en": "Withdrawn later."})
    await db.commit()
    await endorsements.withdraw(db, settings, uuid.UUID(body["id"]), gone.id)
    await db.commit()
    client.cookies.clear()
    client.cookies.set("lang", "ja")
    ja = (await client.get("/issuers/fe-iss2-uni", headers=HTML)).text
    assert "推薦（エンドースメント）" in ja and "日本データ協会" in ja and "確認済みの発行者" in ja
    assert "発行者への推薦" in ja and "信頼できる発行者です。" in ja and f'href="/endorsements/{kept.id}"' in ja
    assert f"/endorsements/{gone.id}" not in ja and "Withdrawn later." not in ja
    assert "Recognised issuer" not in ja and "Japan Data Association" not in ja
    client.cookies.set("lang", "en")
    en = (await client.get("/issuers/fe-iss2-uni", headers=HTML)).text
    assert "Endorsements" in en and "Japan Data Association" in en and "Recognised issuer" in en
    assert "endorses the issuer" in en and f'href="/endorsements/{kept.id}"' in en
    assert "確認済みの発行者" not in en and f"/endorsements/{gone.id}" not in en

    await suspend(client, body["id"])
    en = (await client.get("/issuers/fe-iss2-uni", headers=HTML)).text
    assert "Issuer not recognised" in en and "Recognised issuer" not in en
