"""The principal is read afresh on every request (one query: the person and their memberships), so a
membership removed, a role lowered or a platform admin revoked takes effect on the holder's very next
request, with the session unchanged."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, update

from accounts.models import Membership, Person
from tests.conftest import create_org, sign_up


async def test_membership_changes_take_effect_on_the_next_request(client, db) -> None:
    person = await sign_up(client, "fresh-member@example.jp")
    org = await create_org(client, "provider", "fresh-provider")
    keys = f"/api/v1/orgs/{org['id']}/api-keys"
    assert (await client.get(keys)).status_code == 200

    await db.execute(update(Membership).where(Membership.org_id == uuid.UUID(org["id"])).values(role="member"))
    await db.commit()
    assert (await client.get(keys)).status_code == 403  # admin-only: a member no longer may

    await db.execute(delete(Membership).where(Membership.person_id == uuid.UUID(person["id"])))
    await db.commit()
    assert (await client.get(keys)).status_code == 403
    assert (await client.get("/api/v1/auth/me")).status_code == 200  # still signed in, with no organization


async def test_admin_revoked_takes_effect_on_the_next_request(client, db) -> None:
    person = await sign_up(client, "fresh-admin@example.jp")
    registries = "/api/v1/admin/trust/registries"
    assert (await client.get(registries)).status_code == 403
    await db.execute(update(Person).where(Person.id == uuid.UUID(person["id"])).values(is_admin=True))
    await db.commit()
    assert (await client.get(registries)).status_code == 200
    await db.execute(update(Person).where(Person.id == uuid.UUID(person["id"])).values(is_admin=False))
    await db.commit()
    assert (await client.get(registries)).status_code == 403


async def test_a_deactivated_person_is_signed_out_on_the_next_request(client, db) -> None:
    person = await sign_up(client, "fresh-inactive@example.jp")
    await db.execute(update(Person).where(Person.id == uuid.UUID(person["id"])).values(is_active=False))
    await db.commit()
    assert (await client.get("/api/v1/auth/me")).status_code == 401
