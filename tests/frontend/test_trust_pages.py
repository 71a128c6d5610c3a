"""Trust on the pages, in both languages: the public verifier explains an impersonation and an issuer
nobody vouches for; a credential without status information is neither ticked nor crossed; a learner
answers an untrusted issuer's offer from the credential's page."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from credentials.models import HeldCredential
from tests.credentials.test_trust_integration import forge
from tests.frontend.helpers import HTML, assert_fragment, csrf_token, form, held_ids, htmx, issue_badges, learner


async def verify_page(client, document: dict, lang: str) -> str:
    client.cookies.set("lang", lang)
    response = await client.post("/verify", files={"document": (None, json.dumps(document))},
                                 data=form(await csrf_token(client)), headers=htmx("verify_panel"))
    assert_fragment(response)
    return response.text


async def test_the_public_verifier_explains_an_impersonation_in_japanese_and_english(client, db, settings) -> None:
    genuine = (await issue_badges(db, settings, "someone@example.jp"))[0].document
    forged = forge(genuine, issuer_name="テストアカデミー株式会社", recipient="someone@example.jp")
    ja = await verify_page(client, forged, "ja")
    assert "なりすましの疑いがあります" in ja and "テストアカデミー" in ja
    assert 'data-standing="impersonation"' in ja and "有効な証明書です" not in ja
    en = await verify_page(client, forged, "en")
    assert "Possible impersonation" in en and "This credential is valid" not in en
    assert "なりすまし" not in en  # no Japanese wording leaks into the English page

    genuine_ja = await verify_page(client, genuine, "ja")
    assert "有効な証明書です — 発行者は確認済みの組織です" in genuine_ja
    assert 'data-standing="valid"' in genuine_ja


async def test_an_unknown_issuer_without_status_is_explained_without_a_tick(client, db, settings) -> None:
    genuine = (await issue_badges(db, settings, "someone@example.jp"))[0].document
    unknown = forge(genuine, issuer_name="Somewhere Else Ltd.", recipient="someone@example.jp")
    assert "credentialStatus" not in unknown
    ja = await verify_page(client, unknown, "ja")
    assert "署名は有効ですが、発行者は確認されていません" in ja
    assert "発行者はこの証明書を失効できません" in ja
    assert '<li class="info">' in ja  # shown as information: neither the ✓ nor the ✕ of the other checks
    en = await verify_page(client, unknown, "en")
    assert "The signature is valid, but the issuer is not recognised" in en
    assert "Its issuer cannot revoke it" in en


async def test_a_learner_accepts_an_untrusted_issuers_offer_from_its_page(client, db, settings) -> None:
    await learner(client, "hanako@example.jp", lang="ja")
    await issue_badges(db, settings, "hanako@example.jp", verified=False)
    (held_id,) = await held_ids(client)
    page = await client.get(f"/wallet/credentials/{held_id}", headers=HTML)
    assert page.status_code == 200
    assert "確認されていない発行者からの証明書です。" in page.text and "受け取る" in page.text
    answered = await client.post(f"/wallet/credentials/{held_id}/offer",
                                 data=form(await csrf_token(client), answer="accept"), headers=HTML,
                                 follow_redirects=False)
    assert answered.status_code in (302, 303), answered.text[:300]
    held = (await db.execute(select(HeldCredential).where(HeldCredential.id == uuid.UUID(held_id)))).scalar_one()
    assert held.offer_state == "accepted"
    page = await client.get(f"/wallet/credentials/{held_id}", headers=HTML)
    assert "「根拠あり」として裏付けます" in page.text


async def test_a_trusted_issuer_is_named_as_the_registry_knows_it_not_as_it_claims(client, db, settings) -> None:
    issued = (await issue_badges(db, settings, "someone@example.jp"))[0]
    ja = await verify_page(client, issued.document, "ja")
    assert "発行者は「テストアカデミー」として確認済みです（skillpass）。" in ja
    en = await verify_page(client, issued.document, "en")
    assert "The issuer is vetted as “Test Academy” (skillpass)." in en
