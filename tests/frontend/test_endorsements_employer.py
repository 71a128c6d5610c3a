"""The employer console's endorsement page: the same page and form as the provider's under
``/employer/{org_id}/endorsements`` (its own tab, both languages, errors per field, verified only), the
endorsement shown with its endorser's trust on the public achievement page, and withdrawal."""

from __future__ import annotations

import re

from sqlalchemy import select

from credentials.models import Endorsement
from tests.conftest import create_org, sign_up, verify_org_through_app
from tests.credentials.conftest import new_achievement, new_provider
from tests.frontend.helpers import HTML, csrf_token


async def employer(client, slug: str, *, verified: bool = True) -> str:
    await sign_up(client, f"hr@{slug}.example.jp")
    org = await create_org(client, "employer", slug)
    if verified:
        await verify_org_through_app(client, org["id"])
    return org["id"]


async def submit(client, org_id: str, **fields: str):
    return await client.post(f"/employer/{org_id}/endorsements", headers=HTML, follow_redirects=False,
                             data={"_csrf_token": await csrf_token(client), "subject": "", "comment_ja": "",
                                   "comment_en": "", **fields})


async def test_an_employer_endorses_from_its_console_and_withdraws(client, db) -> None:
    university = await new_provider(client, "fe-emp-uni", name_ja="東都大学", name_en="Toto University")
    achievement = await new_achievement(client, university)
    org_id = await employer(client, "fe-emp-sakura")
    client.cookies.set("lang", "ja")
    console = await client.get(f"/employer/{org_id}/endorsements", headers=HTML)
    assert console.status_code == 200
    assert re.search(rf'<a href="/employer/{org_id}/endorsements" aria-current="page">推薦</a>', console.text)
    assert f'value="a:{achievement["id"]}"' in console.text
    assert f'value="o:{university["id"]}"' in console.text
    assert "署名して推薦する" in console.text and "Sign and endorse" not in console.text
    assert "/provider/" not in console.text  # the employer's layout, not the provider's

    made = await submit(client, org_id, subject=f"a:{achievement['id']}", comment_ja="採用で重視しています。")
    assert made.status_code == 303 and made.headers["location"] == f"/employer/{org_id}/endorsements"
    row = (await db.execute(select(Endorsement))).scalar_one()
    assert row.document["issuer"]["id"].startswith("did:web:") and row.document["issuer"]["id"].endswith(
        ":issuers:fe-emp-sakura")
    about = f"/achievements/{achievement['id']}/about"
    shown = (await client.get(about, headers=HTML)).text
    assert "採用で重視しています。" in shown and "確認済みの発行者" in shown and f'href="/endorsements/{row.id}"' in shown
    public = (await client.get(f"/endorsements/{row.id}", headers=HTML)).text
    assert 'data-standing="valid"' in public

    of_issuer = await submit(client, org_id, subject=f"o:{university['id']}",
                             comment_en="A trustworthy issuer.")
    assert of_issuer.status_code == 303
    assert "A trustworthy issuer." in (await client.get(about, headers=HTML)).text

    withdrawn = await client.post(f"/employer/{org_id}/endorsements/{row.id}/withdraw", headers=HTML,
                                  data={"_csrf_token": await csrf_token(client)}, follow_redirects=False)
    assert withdrawn.status_code == 303
    assert "取り下げ済み" in (await client.get(f"/employer/{org_id}/endorsements", headers=HTML)).text
    assert "採用で重視しています。" not in (await client.get(about, headers=HTML)).text
    public = (await client.get(f"/endorsements/{row.id}", headers=HTML)).text
    assert "取り下げられました" in public and 'data-standing="invalid"' in public


async def test_employer_form_errors_per_field_and_the_verified_rule(client) -> None:
    university = await new_provider(client, "fe-empe-uni")
    achievement = await new_achievement(client, university)
    org_id = await employer(client, "fe-empe-sakura")
    client.cookies.set("lang", "en")
    both = await submit(client, org_id)
    assert both.status_code == 422
    assert re.search(r'id="e-subject">Choose an achievement or an organization to endorse\.<', both.text)
    assert re.search(r'id="e-comment">Write the comment in Japanese or English\.<', both.text)
    client.cookies.set("lang", "ja")
    too_long = await submit(client, org_id, subject=f"a:{achievement['id']}", comment_ja="あ" * 2001)
    assert too_long.status_code == 422 and "日本語のコメントは 2000 文字までです。" in too_long.text

    unverified = await employer(client, "fe-empe-unv", verified=False)
    client.cookies.set("lang", "en")
    console = await client.get(f"/employer/{unverified}/endorsements", headers=HTML)
    assert "Only organizations verified by the platform can endorse." in console.text
    assert 'name="comment_ja"' not in console.text
    refused = await submit(client, unverified, subject=f"a:{achievement['id']}", comment_en="Good.")
    assert refused.status_code == 422 and "Only verified organizations can endorse." in refused.text


async def test_the_employer_page_is_for_its_members_only(client) -> None:
    await new_provider(client, "fe-empm-uni")
    org_id = await employer(client, "fe-empm-sakura")
    other = await employer(client, "fe-empm-other")  # signed in as the other employer's admin now
    assert (await client.get(f"/employer/{other}/endorsements", headers=HTML)).status_code == 200
    assert (await client.get(f"/employer/{org_id}/endorsements", headers=HTML)).status_code in (403, 404)
    assert (await client.get(f"/provider/{other}/endorsements", headers=HTML)).status_code in (403, 404)
