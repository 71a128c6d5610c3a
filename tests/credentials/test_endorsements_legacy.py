"""Endorsements signed before migration c3a5c7e9f1b4 carry no ``credentialStatus``: a withdrawal cannot
reach a verifier outside skillpass (the signed copy cannot be given a status entry without changing what
was signed). The honest answer, tested here: the API says so (``status_entry``, ``seen_by_outside_verifiers``),
and the public endorsement page and the console's list say so in Japanese and English."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from credentials import endorsements
from credentials.issuers import IssuerService
from credentials.models import Endorsement
from credentials.vc import sign_credential
from tests.credentials.conftest import new_achievement, new_provider
from tests.frontend.helpers import HTML

NOTICE_JA = "取り下げられても、skillpass の外の検証者にはそれが分かりません。"
NOTICE_EN = "if it is withdrawn, verifiers outside skillpass cannot see that."
WITHDRAWN_JA = "取り下げは skillpass の中でだけ有効です。"
WITHDRAWN_EN = "the withdrawal holds on skillpass only"


async def legacy_endorsement(db, settings, endorser_id: uuid.UUID, achievement_id: uuid.UUID) -> Endorsement:
    """An endorsement as signed before endorsement status lists: the same credential, no status entry."""
    row = await endorsements.endorse(db, settings, endorser_id, achievement_id=achievement_id,
                                     issuer_org_id=None, comments={"en": "An early endorsement."}, lang="en")
    issuers = IssuerService(db, settings)
    key, method = await issuers.signing_key(await issuers.for_endorser(endorser_id))
    unsigned = {k: v for k, v in row.document.items() if k not in ("proof", "credentialStatus")}
    row.document = sign_credential(unsigned, key, verification_method=method)
    row.status_list_id = row.status_index = None
    await db.commit()
    return row


async def test_a_legacy_endorsement_says_its_withdrawal_stays_here(client, db, settings) -> None:
    university = await new_provider(client, "leg-uni")
    achievement = await new_achievement(client, university)
    body = await new_provider(client, "leg-body", name_ja="日本データ協会", name_en="Japan Data Association")
    legacy = await legacy_endorsement(db, settings, uuid.UUID(body["id"]), uuid.UUID(achievement["id"]))
    current = await endorsements.endorse(db, settings, uuid.UUID(body["id"]),
                                         achievement_id=uuid.UUID(achievement["id"]), issuer_org_id=None,
                                         comments={"en": "A later endorsement."}, lang="en")
    await db.commit()
    assert (await client.post("/api/v1/verify", json=legacy.document)).json()["verified"]

    listed = {e["id"]: e["status_entry"] for e in (await client.get(f"{body['base']}/endorsements",
                                                                   headers=body["headers"])).json()}
    assert listed == {str(legacy.id): False, str(current.id): True}
    public = (await client.get(f"/api/v1/achievements/{achievement['id']}/endorsements")).json()
    assert {e["id"]: e["status_entry"] for e in public} == listed

    for lang, notice in (("ja", NOTICE_JA), ("en", NOTICE_EN)):
        client.cookies.set("lang", lang)
        page = (await client.get(f"/endorsements/{legacy.id}", headers=HTML)).text
        assert notice in page and page.count("data-no-status") == 1
        assert "data-no-status" not in (await client.get(f"/endorsements/{current.id}", headers=HTML)).text
        console = (await client.get(f"/provider/{body['id']}/endorsements", headers=HTML)).text
        assert console.count("data-no-status") == 1

    withdrawn = await client.post(f"{body['base']}/endorsements/{legacy.id}/withdraw", headers=body["headers"])
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["seen_by_outside_verifiers"] is False
    for lang, notice in (("ja", WITHDRAWN_JA), ("en", WITHDRAWN_EN)):
        client.cookies.set("lang", lang)
        page = (await client.get(f"/endorsements/{legacy.id}", headers=HTML)).text
        assert notice in page and "data-no-status" in page
    # What the page warns about: the signed copy alone still verifies for anyone outside.
    assert (await client.post("/api/v1/verify", json=legacy.document)).json()["verified"]
    # Here it is withdrawn: no longer shown in public, and no longer embedded in credentials issued now.
    about = (await client.get(f"/achievements/{achievement['id']}/about", headers=HTML)).text
    assert "An early endorsement." not in about and "A later endorsement." in about
    row = (await db.execute(select(Endorsement).where(Endorsement.id == current.id))).scalar_one()
    done = await client.post(f"{body['base']}/endorsements/{row.id}/withdraw", headers=body["headers"])
    assert done.json()["seen_by_outside_verifiers"] is True
