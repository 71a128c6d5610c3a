"""A person's whole data: ``GET /api/v1/me/export`` holds theirs and nobody else's; ``DELETE /api/v1/me``
(password asked again) removes it all, refuses an organisation's only admin, and leaves what issuers
issued to the person verifiable; the CLI and the wallet page call the same use case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import func, select

from accounts.models import Person
from credentials import public_badges
from credentials.models import HeldCredential, IssuedCredential, PublicBadge
from skills.models import LearningRecordRow, ShareLink
from tests.conftest import TEST_PASSWORD, create_org
from tests.frontend.helpers import issue_badges
from tests.skills.factories import COURSES, courses_csv
from tests.skills.helpers import learner, send, upload

ROOT = Path(__file__).resolve().parent.parent.parent


async def person_with_data(client, db, settings, email: str) -> str:
    """A learner with a held credential (its public page on), two learning records, a self-assessment and a
    share link."""
    person_id = str(await learner(client, email))
    await issue_badges(db, settings, email)
    held_id = (await client.get("/api/v1/me/credentials")).json()[0]["id"]
    await public_badges.set_public(db, settings, uuid.UUID(person_id), uuid.UUID(held_id), public=True, show_name=True)
    await db.commit()
    assert (await upload(client, courses_csv(COURSES[:2]).encode())).status_code == 201
    await send(client, "PUT", "/api/v1/me/self-assessment", json={"skill_id": "v2-marketing", "level": "b"})
    assert (await send(client, "POST", "/api/v1/me/share-links", json={"parts": ["skills"]})).status_code == 201
    return person_id


async def count(db, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    found = (await db.execute(query)).scalar_one()
    await db.rollback()  # the next read sees later commits
    return found


async def test_export_holds_my_data_and_nobody_elses(client, db, settings) -> None:
    other_id = await person_with_data(client, db, settings, "other@example.jp")
    client.cookies.clear()
    mine_id = await person_with_data(client, db, settings, "mine@example.jp")
    held_id = (await client.get("/api/v1/me/credentials")).json()[0]["id"]
    response = await client.get("/api/v1/me/export")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    data = response.json()
    (page,) = data["public_badges"]
    assert page["held_id"] == held_id and page["show_name"] is True and "/b/" in page["url"]
    assert data["account"]["email"] == "mine@example.jp" and data["account"]["memberships"] == []
    assert len(data["wallet"]) == 1 and data["holder_dids"] == []
    skills = data["skills"]
    assert len(skills["skill_learning_record"]) == 2 and len(skills["skill_share_link"]) == 1
    assert skills["skill_self_assessment"] and skills["skill_profile_snapshot"]
    text = json.dumps(data)
    assert mine_id in text and other_id not in text and "other@example.jp" not in text
    assert "token_hash" not in text and "password" not in text


async def test_delete_asks_for_the_password_then_removes_everything_but_issued_credentials(client, db, settings) -> None:
    person_id = await person_with_data(client, db, settings, "leaving@example.jp")
    issued = (await db.execute(select(IssuedCredential).where(IssuedCredential.recipient_email == "leaving@example.jp"))
              ).scalar_one()
    document = issued.document
    await db.rollback()
    wrong = await send(client, "DELETE", "/api/v1/me", json={"password": "not-the-password"})
    assert wrong.status_code == 403 and wrong.json()["field"] == "password"
    assert await count(db, HeldCredential) == 1

    deleted = await send(client, "DELETE", "/api/v1/me", json={"password": TEST_PASSWORD})
    assert deleted.status_code == 200 and deleted.json() == {"deleted": person_id}
    assert await count(db, Person, email="leaving@example.jp") == 0
    assert await count(db, HeldCredential) == 0 and await count(db, LearningRecordRow) == 0
    assert await count(db, ShareLink) == 0 and await count(db, PublicBadge) == 0
    # the issuer's record stays, and the credential still verifies for whoever holds a copy
    assert await count(db, IssuedCredential, recipient_email="leaving@example.jp") == 1
    checked = await client.post("/api/v1/verify", json=document)
    assert checked.status_code == 200 and checked.json()["verified"] is True
    assert (await client.get("/api/v1/me/export")).status_code == 401  # signed out with the account


async def test_the_only_admin_of_an_organisation_is_refused_and_nothing_is_removed(client, db, settings) -> None:
    await person_with_data(client, db, settings, "boss@example.jp")
    org = await create_org(client, "employer", "boss-co")
    refused = await send(client, "DELETE", "/api/v1/me", json={"password": TEST_PASSWORD})
    assert refused.status_code == 409 and org["name_en"] in refused.json()["detail"]
    assert await count(db, Person, email="boss@example.jp") == 1 and await count(db, HeldCredential) == 1
    export = (await client.get("/api/v1/me/export")).json()
    assert export["account"]["memberships"] == [{"org_id": org["id"], "role": "admin"}]


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "skillpass", *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)


def test_cli_export_and_delete_agree_with_the_api() -> None:
    folder = tempfile.mkdtemp()
    env = {"DATABASE_URL": f"sqlite:///{folder}/erasure.db", "SKILLPASS_DATA_DIR": folder}
    assert run_cli("db", "upgrade", env=env).returncode == 0
    assert run_cli("demo", "load", env=env).returncode == 0
    exported = run_cli("users", "export", "hanako@demo.skillpass.jp", env=env)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["account"]["email"] == "hanako@demo.skillpass.jp" and data["wallet"] and data["skills"]
    assert "emily@demo.skillpass.jp" not in exported.stdout
    unconfirmed = run_cli("users", "delete", "hanako@demo.skillpass.jp", env=env)
    assert unconfirmed.returncode != 0 and "--yes" in unconfirmed.stderr
    only_admin = run_cli("users", "delete", "provider@demo.skillpass.jp", "--yes", env=env)
    assert only_admin.returncode == 1 and "only administrator" in only_admin.stderr
    deleted = run_cli("users", "delete", "hanako@demo.skillpass.jp", "--yes", env=env)
    assert deleted.returncode == 0, deleted.stderr
    gone = run_cli("users", "export", "hanako@demo.skillpass.jp", env=env)
    assert gone.returncode == 1 and "No account" in gone.stderr
