"""The trust registry on a real database: our organisations (every DID they held), imports and
refreshes of registries (a bad file changes nothing), the published signed list and its routes."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from accounts.service import AccountService
from core.db import utcnow
from core.errors import InvalidInput, NotFound
from credentials.issuers import IssuerService, did_web, key_did
from credentials.trust.errors import RegistryFormatError, TrustListError
from credentials.trust.evaluate import TrustEntry
from credentials.trust.service import TrustService
from credentials.trust.trustlist import build_trust_list, read_trust_list
from credentials.vc import generate_ed25519, verify
from tests.conftest import TEST_PASSWORD, csrf_headers
from tests.credentials.conftest import provider_in_db

BUNDLED = Path(__file__).resolve().parents[3] / "credentials" / "trust" / "data" / "dcc-sandbox-registry.json"
SANDBOX_DID = "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"  # "Public Test Issuer"


def credential_of(did: str, name: str = "東京デジタルアカデミー") -> dict:
    return {"issuer": {"id": did, "type": ["Profile"], "name": name}, "credentialSubject": {}}


async def tda_with_rotated_key(db, settings):
    org = await AccountService(db).create_org("provider", "tda", "東京デジタルアカデミー", "Tokyo Digital Academy",
                                               admin_id=None)
    issuers = IssuerService(db, settings)
    issuer = await issuers.for_org(org.id)
    old_did = issuer.did
    await issuers.rotate_key(issuer)
    await db.commit()
    return org, issuer, old_did


async def test_own_orgs_are_trusted_once_verified_with_every_did_they_held(db, settings) -> None:
    org, issuer, old_did = await tda_with_rotated_key(db, settings)
    keys = await IssuerService(db, settings).keys(issuer)
    trust = TrustService(db, settings)
    mine = [e for e in await trust.entries() if e.org and e.org["slug"] == "tda"]
    assert {e.did for e in mine} == {old_did, issuer.did, did_web(settings, "tda"), *map(key_did, keys)}
    assert all(not e.trusted and e.state == "unverified" for e in mine)
    assert (await trust.evaluate(credential_of(old_did))).reasons[0]["code"] == "issuer_org_unverified"

    org.verification_state = "verified"
    await db.commit()
    trust = TrustService(db, settings)
    for did in (old_did, issuer.did):
        verdict = await trust.evaluate(credential_of(did, "whatever it says"))
        assert (verdict.status, verdict.registry) == ("trusted", "skillpass")
        assert verdict.issuer["org"]["slug"] == "tda" and verdict.issuer["name"] == "東京デジタルアカデミー"

    org.verification_state = "suspended"
    await db.commit()
    assert (await TrustService(db, settings).evaluate(credential_of(issuer.did))).reasons[0]["code"] == \
        "issuer_org_suspended"


async def test_the_platform_issuer_is_trusted(db, settings) -> None:
    platform = await IssuerService(db, settings).platform()
    await db.commit()
    verdict = await TrustService(db, settings).evaluate(credential_of(platform.did, "skillpass"))
    assert verdict.status == "trusted" and verdict.reasons[0]["code"] == "issuer_platform"


async def test_a_self_registered_look_alike_provider_is_impersonation(db, settings) -> None:
    org, _, _ = await tda_with_rotated_key(db, settings)
    org.verification_state = "verified"
    copycat = await provider_in_db(db, "copycat")
    issuer = await IssuerService(db, settings).for_org(copycat.id)
    await db.commit()
    verdict = await TrustService(db, settings).evaluate(credential_of(issuer.did, "株式会社東京デジタルアカデミー"))
    assert verdict.status == "impersonation"
    assert verdict.reasons[0]["resembles"]["org"]["slug"] == "tda"


async def test_dcc_import_trusts_its_dids_and_a_bad_file_changes_nothing(db, settings, tmp_path) -> None:
    trust = TrustService(db, settings)
    registry = await trust.import_dcc("DCC Sandbox Registry", BUNDLED)
    await db.commit()
    assert (registry.kind, registry.entry_count, registry.source) == ("dcc", 39, str(BUNDLED.resolve()))
    verdict = await TrustService(db, settings).evaluate(credential_of(SANDBOX_DID, "DCC Test Issuer"))
    assert (verdict.status, verdict.registry, verdict.issuer["name"]) == (
        "trusted", "DCC Sandbox Registry", "Public Test Issuer")

    broken = tmp_path / "registry.json"
    broken.write_text(json.dumps({"registry": {"did:key:z6MkGood": {"name": "Good"}, "did:key:z6MkBad": {"url": 1}}}))
    with pytest.raises(RegistryFormatError) as caught:
        await TrustService(db, settings).import_dcc("DCC Sandbox Registry", broken)
    assert "registry['did:key:z6MkBad'].name" in caught.value.detail
    await db.commit()
    again = TrustService(db, settings)
    assert [(r.name, r.entry_count) for r in await again.registries()] == [("DCC Sandbox Registry", 39)]
    assert (await again.evaluate(credential_of(SANDBOX_DID))).status == "trusted"


def _signed_list(key, entries, days: int = 30) -> dict:
    now = utcnow()
    return build_trust_list(entries, key, key.public.did_key_vm, now - timedelta(days=1), now + timedelta(days=days))


async def test_signed_list_import_with_pin_and_refusals(db, settings, tmp_path) -> None:
    operator = generate_ed25519()
    partner = TrustEntry("did:key:z6MkPartnerSchool", "パートナー学園", "Partner School", "x", scope=("dss",))
    path = tmp_path / "list.json"
    path.write_text(json.dumps(_signed_list(operator, [partner])))
    trust = TrustService(db, settings)
    registry = await trust.import_trust_list("Partners", path, operator.public.did)
    await db.commit()
    assert (registry.kind, registry.pinned, registry.entry_count) == ("trust-list", operator.public.did, 1)
    assert registry.valid_until is not None
    verdict = await TrustService(db, settings).evaluate(credential_of(partner.did, "Partner School"))
    assert (verdict.status, verdict.registry) == ("trusted", "Partners")

    with pytest.raises(TrustListError):
        await TrustService(db, settings).import_trust_list("Partners", path, generate_ed25519().public.did)
    tampered = json.loads(path.read_text())
    tampered["credentialSubject"]["trustedIssuer"][0]["id"] = "did:key:z6MkForger"
    with pytest.raises(TrustListError):
        await TrustService(db, settings).import_trust_list("Partners", tampered, operator.public.did)
    await db.commit()
    assert [(e.did, e.registry) for e in await TrustService(db, settings).entries()] == [(partner.did, "Partners")]

    registry = (await TrustService(db, settings).registries())[0]
    registry.valid_until = utcnow() - timedelta(minutes=1)  # a list that ran out vouches for nobody
    await db.commit()
    assert (await TrustService(db, settings).evaluate(credential_of(partner.did))).status == "untrusted"


async def test_refresh_rereads_the_recorded_file(db, settings, tmp_path) -> None:
    path = tmp_path / "registry.json"
    path.write_text(json.dumps({"registry": {"did:key:z6MkOne": {"name": "One"}}}))
    await TrustService(db, settings).import_dcc("Local", path)
    await db.commit()
    path.write_text(json.dumps({"registry": {"did:key:z6MkOne": {"name": "One"}, "did:key:z6MkTwo": {"name": "Two"}}}))
    done = await TrustService(db, settings).refresh()
    await db.commit()
    assert [(r.name, r.entry_count) for r in done] == [("Local", 2)]
    with pytest.raises(NotFound):
        await TrustService(db, settings).refresh("nope")


class _Registry(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def registry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


async def test_refresh_downloads_a_url_only_when_fetching_is_on(db, settings, registry_server) -> None:
    _Registry.body = json.dumps({"registry": {"did:key:z6MkRemote": {"name": "Remote"}}}).encode()
    url = f"http://127.0.0.1:{registry_server.server_address[1]}/registry.json"
    await TrustService(db, settings).import_dcc("Remote", b'{"registry": {}}', source=url)
    await db.commit()
    with pytest.raises(InvalidInput) as caught:
        await TrustService(db, settings).refresh("Remote")
    assert "SKILLPASS_TRUST_REGISTRY_FETCH" in caught.value.detail
    fetching = settings.model_copy(update={"trust_registry_fetch": True})
    done = await TrustService(db, fetching).refresh("Remote")
    await db.commit()
    assert done[0].entry_count == 1
    assert (await TrustService(db, settings).evaluate(credential_of("did:key:z6MkRemote"))).registry == "Remote"

    _Registry.body = b"x" * 6_000_001
    with pytest.raises(RegistryFormatError) as caught:
        await TrustService(db, fetching).refresh("Remote")
    assert "larger" in caught.value.detail
    registry = (await TrustService(db, settings).registries())[0]
    registry.source = "http://registry.example.org/registry.json"
    with pytest.raises(InvalidInput):
        await TrustService(db, fetching).refresh("Remote")  # plain http only to this machine


async def test_published_list_holds_only_verified_orgs_and_verifies(db, settings) -> None:
    org, issuer, old_did = await tda_with_rotated_key(db, settings)
    await provider_in_db(db, "unverified-school")
    trust = TrustService(db, settings)
    empty = await trust.published_list()
    assert empty["credentialSubject"]["trustedIssuer"] == []
    org.verification_state = "verified"
    await db.commit()
    trust = TrustService(db, settings)
    document = await trust.published_list()
    assert document is not empty and document is await TrustService(db, settings).published_list()  # cached
    issuers = IssuerService(db, settings)
    platform = await issuers.platform()
    resolver = await issuers.resolver()
    assert verify(document, resolver=resolver).verified
    listed = read_trust_list(document, platform.did, resolver=resolver)
    assert {e.did for e in listed} >= {old_did, issuer.did}
    assert {(e.name_ja, e.name_en) for e in listed} == {("東京デジタルアカデミー", "Tokyo Digital Academy")}


async def test_well_known_route_serves_the_signed_list(client, db, settings) -> None:
    org, issuer, _ = await tda_with_rotated_key(db, settings)
    org.verification_state = "verified"
    await db.commit()
    response = await client.get("/.well-known/skillpass-trust-list.json")
    assert response.status_code == 200
    document = response.json()
    resolver = await IssuerService(db, settings).resolver()
    assert verify(document, resolver=resolver).verified
    assert issuer.did in {i["id"] for i in document["credentialSubject"]["trustedIssuer"]}
    document["credentialSubject"]["trustedIssuer"][0]["name"][0]["@value"] = "偽物"
    assert not verify(document, resolver=resolver).verified


async def sign_in(client, email: str) -> None:
    client.cookies.clear()
    response = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                                 json={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.text


async def test_registries_route_is_for_platform_admins(client, db, settings) -> None:
    await TrustService(db, settings).import_dcc("DCC Sandbox Registry", BUNDLED)
    await db.commit()
    assert (await client.get("/api/v1/admin/trust/registries")).status_code == 401
    await AccountService(db).sign_up("learner@example.jp", TEST_PASSWORD, "Learner", "en")
    await AccountService(db).sign_up("root@example.jp", TEST_PASSWORD, "Operator", "en", is_admin=True)
    await db.commit()
    await sign_in(client, "learner@example.jp")
    assert (await client.get("/api/v1/admin/trust/registries")).status_code == 403
    await sign_in(client, "root@example.jp")
    response = await client.get("/api/v1/admin/trust/registries")
    assert response.status_code == 200
    row, = response.json()
    assert (row["name"], row["kind"], row["entry_count"], row["valid_until"]) == ("DCC Sandbox Registry", "dcc", 39, None)
    assert row["imported_at"]
