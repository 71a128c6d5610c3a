"""Form and API enforce one rule each, in the domain: for the same input they accept or refuse alike,
the API with the domain error's status and field, the form with that field's error (422 for a browser;
htmx gets 200 because it swaps only 2xx answers)."""

from __future__ import annotations

import pytest

from credentials.deps import stop_jobs
from credentials.revocation import MAX_REASON
from skills.sharing import MAX_LABEL
from tests.conftest import csrf_headers
from tests.credentials.conftest import api_headers, issue, new_achievement, new_provider
from tests.frontend.helpers import HTML, csrf_token, form, held_ids, issue_badges, learner


@pytest.fixture(scope="module", autouse=True)
async def _stop_batch_runner(app):
    yield
    await stop_jobs(app)


async def issued_credential(client, slug: str, **changes) -> tuple[dict, str]:
    provider = await new_provider(client, slug)
    achievement = await new_achievement(client, provider)
    issued = await issue(client, provider, achievement["id"], **changes)
    assert issued.status_code == 201, issued.text
    return provider, issued.json()["id"]


async def api_change(client, provider: dict, credential_id: str, action: str, reason: str | None):
    return await client.post(f"{provider['base']}/credentials/{credential_id}/{action}",
                             headers=await api_headers(client, provider),
                             json={} if reason is None else {"reason": reason})


def console_path(provider: dict, credential_id: str, action: str) -> str:
    return f"/provider/{provider['id']}/credentials/{credential_id}/{action}"


async def test_a_revoke_reason_over_the_limit_is_refused_by_api_and_form_alike(client) -> None:
    provider, credential_id = await issued_credential(client, "parity-long")
    too_long = "x" * (MAX_REASON + 1)
    api = await api_change(client, provider, credential_id, "revoke", too_long)
    assert api.status_code == 422 and api.json()["field"] == "reason"
    page = await client.post(console_path(provider, credential_id, "revoke"), headers=HTML,
                             data=form(await csrf_token(client), reason=too_long, confirm="on"))
    assert page.status_code == 422 and 'id="e-reason"' in page.text
    state = await client.get(f"{provider['base']}/credentials/{credential_id}", headers=await api_headers(client, provider))
    assert state.json()["state"] == "active"


async def test_a_revoke_without_a_reason_is_accepted_by_api_and_form_alike(client) -> None:
    provider, first = await issued_credential(client, "parity-none")
    achievement = (await client.get(f"{provider['base']}/achievements", headers=provider["headers"])).json()[0]
    second = (await issue(client, provider, achievement["id"], email="other@example.jp")).json()["id"]
    api = await api_change(client, provider, first, "revoke", None)
    assert api.status_code == 200 and api.json()["state"] == "revoked"
    page = await client.post(console_path(provider, second, "revoke"), headers=HTML, follow_redirects=False,
                             data=form(await csrf_token(client), confirm="on"))
    assert page.status_code == 303
    state = await client.get(f"{provider['base']}/credentials/{second}", headers=await api_headers(client, provider))
    assert state.json()["state"] == "revoked"


async def test_a_suspension_reason_over_the_limit_is_refused_not_cut(client) -> None:
    provider, credential_id = await issued_credential(client, "parity-suspend", suspendable=True)
    too_long = "y" * (MAX_REASON + 1)
    api = await api_change(client, provider, credential_id, "suspend", too_long)
    assert api.status_code == 422 and api.json()["field"] == "reason"
    page = await client.post(console_path(provider, credential_id, "suspension"), headers=HTML,
                             data=form(await csrf_token(client), action="suspend", reason=too_long))
    assert page.status_code == 422 and "This is too long." in page.text
    state = await client.get(f"{provider['base']}/credentials/{credential_id}", headers=await api_headers(client, provider))
    assert state.json()["state"] == "active"
    fits = await client.post(console_path(provider, credential_id, "suspension"), headers=HTML, follow_redirects=False,
                             data=form(await csrf_token(client), action="suspend", reason="y" * MAX_REASON))
    assert fits.status_code == 303


async def test_an_unknown_state_change_is_the_same_422_on_both(client) -> None:
    provider, credential_id = await issued_credential(client, "parity-action", suspendable=True)
    api = await api_change(client, provider, credential_id, "pause", None)
    assert api.status_code == 422 and api.json()["field"] == "action"
    page = await client.post(console_path(provider, credential_id, "suspension"), headers=HTML,
                             data=form(await csrf_token(client), action="pause"))
    assert page.status_code == 422


async def test_a_share_label_over_the_limit_is_refused_by_api_and_form_alike(client, db, settings) -> None:
    await learner(client, "parity-share@example.jp")
    await issue_badges(db, settings, "parity-share@example.jp")
    held = (await held_ids(client))[0]
    label = "z" * (MAX_LABEL + 1)
    api = await client.post("/api/v1/me/share-links", headers={"x-csrftoken": await csrf_token(client)},
                            json={"label": label, "credential_ids": [held]})
    assert api.status_code == 422 and api.json()["field"] == "label"
    page = await client.post("/wallet/share", headers=HTML,
                             data=form(await csrf_token(client), label=label, credential_ids=held, days="30"))
    assert page.status_code == 422 and 'id="e-label"' in page.text
    assert (await client.get("/api/v1/me/share-links")).json() == []


async def test_an_empty_verify_input_is_422_on_the_api_the_public_page_and_the_employer_page(client) -> None:
    api = await client.post("/api/v1/verify", content=b"", headers={"content-type": "application/json"})
    assert api.status_code == 422
    public = await client.post("/verify", headers=HTML, data=form(await csrf_token(client)), files={"file": ("", b"")})
    assert public.status_code == 422 and 'id="e-document"' in public.text
    await learner(client, "hr@parity.example.jp")
    org = (await client.post("/api/v1/orgs", headers={"x-csrftoken": await csrf_token(client)},
                             json={"kind": "employer", "slug": "parity-hr", "name_ja": "HR", "name_en": "HR"})).json()
    employer = await client.post(f"/employer/{org['id']}/verify", headers=HTML, data=form(await csrf_token(client)),
                                 files={"file": ("", b"")})
    assert employer.status_code == 422 and 'id="e-document"' in employer.text


@pytest.mark.parametrize("name", ["", "   ", "k" * 101])
async def test_an_api_key_name_is_refused_by_api_and_form_alike(client, name: str) -> None:
    provider = await new_provider(client, f"parity-key-{len(name)}")
    keys_before = (await client.get(f"{provider['base']}/api-keys")).json()
    api = await client.post(f"{provider['base']}/api-keys", headers=await csrf_headers(client), json={"name": name})
    assert api.status_code == 422 and api.json()["field"] == "name", api.text
    page = await client.post(f"/provider/{provider['id']}/api-keys", headers=HTML,
                             data=form(await csrf_token(client), name=name))
    assert page.status_code == 422 and 'id="e-name"' in page.text
    assert "Give a name of 1 to 100 characters." in page.text
    assert (await client.get(f"{provider['base']}/api-keys")).json() == keys_before


async def test_an_api_key_name_at_the_limit_is_accepted_by_both(client) -> None:
    provider = await new_provider(client, "parity-key-fits")
    api = await client.post(f"{provider['base']}/api-keys", headers=await csrf_headers(client), json={"name": "k" * 100})
    assert api.status_code == 201, api.text
    page = await client.post(f"/provider/{provider['id']}/api-keys", headers=HTML,
                             data=form(await csrf_token(client), name="  padded name  "))
    assert page.status_code == 200
    names = [key["name"] for key in (await client.get(f"{provider['base']}/api-keys")).json()]
    assert "padded name" in names and "k" * 100 in names
