"""Demo data: idempotent, with verifiable badges for the demo learners and one revoked, a micro-credential
with the learner's results, an endorsement by the verified demo employer, a CLR transcript in a wallet and a
public badge page showing the endorsement."""

from __future__ import annotations

from sqlalchemy import func, select

from accounts.service import AccountService
from credentials import demo
from credentials.achievements import micro_detail
from credentials.clr.models import ClrTranscript
from credentials.clr.service import verify_transcript
from credentials.models import Achievement, Endorsement, HeldCredential, IssuedCredential
from credentials.public_badges import public_view
from credentials.models import PublicBadge
from credentials.verification import verify_document
from skillpass.demo import DEMO_ORGS, DEMO_PEOPLE, load_demo


async def test_demo_credentials_load_twice_and_verify(db, settings) -> None:
    accounts = AccountService(db)
    people = {email: await accounts.sign_up(email, "demo-password-123", name, lang, confirmed=True)
              for email, name, lang in DEMO_PEOPLE}
    orgs = {slug: await accounts.create_org(kind, slug, ja, en, admin_id=people[admin].id)
            for kind, slug, ja, en, admin in DEMO_ORGS}
    await demo.load(db, people, orgs, settings)
    await demo.load(db, people, orgs, settings)
    await db.commit()
    issued = list((await db.execute(select(IssuedCredential))).scalars())
    assert len(issued) == len(demo.AWARDS)
    assert [c.state for c in issued].count("revoked") == 1
    held = (await db.execute(select(func.count()).select_from(HeldCredential))).scalar_one()
    # every demo learner has an account, so every badge and transcript is in a wallet
    assert held == len(demo.AWARDS) + len(demo.TRANSCRIPTS)
    # the organizations of this test are not verified: no endorsement, and the badges wait as offers
    assert (await db.execute(select(func.count()).select_from(Endorsement))).scalar_one() == 0
    for credential in issued:
        result = await verify_document(db, settings, credential.document)
        assert result.verified == (credential.state == "active"), result.errors


async def test_full_demo_has_a_micro_credential_an_endorsement_a_transcript_and_a_public_page(db) -> None:
    from core.settings import get_settings

    settings = get_settings()  # what load_demo (the CLI) builds and signs with
    await load_demo(db)
    await db.commit()
    counts = [(await db.execute(select(func.count()).select_from(m))).scalar_one()
              for m in (IssuedCredential, HeldCredential, Endorsement, ClrTranscript, PublicBadge)]
    assert counts[2:] == [len(demo.ENDORSEMENTS), len(demo.TRANSCRIPTS), len(demo.PUBLIC_BADGES)]
    micro = (await db.execute(select(Achievement).where(Achievement.achievement_type == "MicroCredential"))).scalar_one()
    assert micro.credits_available == 2 and micro.credit_unit == "tani" and len(micro.result_descriptions) == 4
    credential = (await db.execute(select(IssuedCredential).where(
        IssuedCredential.achievement_id == micro.id,
        IssuedCredential.recipient_email == "hanako@demo.skillpass.jp"))).scalar_one()
    detail = micro_detail(credential.document)
    assert detail["credits"] == 2 and detail["level"] == "5"
    assert {r["name"]: r["value"] for r in detail["results"]} == {
        "成績評価": "A", "最終試験の得点": "86", "修了判定": "Completed", "実践課題（ルーブリック）": "熟達"}
    # the endorsement was made before the badges, so the endorsed course's credentials carry it, verifiable
    endorsed = (await db.execute(select(Endorsement))).scalar_one()
    web = (await db.execute(select(IssuedCredential).where(
        IssuedCredential.achievement_id == endorsed.achievement_id, IssuedCredential.state == "active"))).scalars().first()
    (embedded,) = web.document["credentialSubject"]["achievement"]["endorsement"]
    assert embedded["id"] == endorsed.document["id"] and (await verify_document(db, settings, embedded)).verified
    transcript = (await db.execute(select(ClrTranscript))).scalar_one()
    checked = await verify_transcript(db, settings, transcript.document)
    assert checked["verified"] and len(checked["embedded"]) == 2 and all(e["verified"] for e in checked["embedded"])
    in_wallet = (await db.execute(select(HeldCredential).where(
        HeldCredential.content_hash.is_not(None), HeldCredential.title == transcript.name))).scalar_one()
    assert in_wallet.offer_state == "accepted"
    badge = (await db.execute(select(PublicBadge))).scalar_one()
    view = await public_view(db, settings, badge.token)
    assert [e["id"] for e in view.endorsements] == [endorsed.id] and view.checked.result.verified
    assert view.endorsements[0]["trust"]["status"] == "trusted"
    await load_demo(db)
    await db.commit()
    assert [(await db.execute(select(func.count()).select_from(m))).scalar_one()
            for m in (IssuedCredential, HeldCredential, Endorsement, ClrTranscript, PublicBadge)] == counts
