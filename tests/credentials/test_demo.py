"""Demo data: idempotent, with verifiable badges for the demo learners and one revoked."""

from __future__ import annotations

from sqlalchemy import func, select

from accounts.service import AccountService
from credentials import demo
from credentials.models import HeldCredential, IssuedCredential
from credentials.verification import verify_document
from skillpass.demo import DEMO_ORGS, DEMO_PEOPLE


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
    assert held == len(demo.AWARDS)  # every demo learner has an account, so every badge is in a wallet
    for credential in issued:
        result = await verify_document(db, settings, credential.document)
        assert result.verified == (credential.state == "active"), result.errors
