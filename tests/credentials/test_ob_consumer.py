"""The OB 3.0 Service Consumer without a real Host: off by default (404, nothing fetched), the addresses
it refuses (http, private, link-local, local names; checked again at every request), Hosts that answer
junk, too much or too late (a clear error, nothing stored), sealing, and the Link header's next page.
The whole flow against a real Host is tests/credentials/test_ob_consumer_live.py."""

from __future__ import annotations

import uuid

import httpx
import pytest
from cryptography.exceptions import InvalidTag
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from core.errors import InvalidInput
from credentials.ob_consumer.guard import GuardedTransport, Refused, TooBig, check_url, host_base_url
from credentials.ob_consumer.host import HostError, next_offset, parse_description
from credentials.ob_consumer.models import HostConnection
from credentials.ob_consumer.sealing import seal, unseal
from tests.conftest import sign_up
from tests.credentials.ob_consumer_helpers import BASE, consumer_settings, form, junk_host
from tests.test_language_leaks import english_phrases, leaks_in

DISCOVERY = "/ims/ob/v3p0/discovery"


@pytest.fixture(scope="module")
def consumer_app(settings):
    from skillpass.app import create_app

    return create_app(consumer_settings(settings, ob_consumer_max_bytes=20_000, ob_consumer_timeout=1.0))


@pytest.fixture
async def consumer(consumer_app):
    async with AsyncTestClient(app=consumer_app) as test_client:
        yield test_client


async def rows(db) -> int:
    return await db.scalar(select(func.count()).select_from(HostConnection))


async def test_disabled_by_default_answers_404_and_fetches_nothing(client, db) -> None:
    await sign_up(client, "learner@example.jp")
    with junk_host() as host:
        assert (await client.get(BASE)).status_code == 404
        refused = await form(client, BASE, {"host_url": host.url})
        assert refused.status_code == 404
        assert (await client.get(BASE + "/callback?state=x&code=y")).status_code == 404
        assert (await client.get(f"{BASE}/{uuid.uuid4()}")).status_code == 404
        assert host.requests == []
    assert await rows(db) == 0
    settings_page = await client.get("/wallet/settings")
    assert settings_page.status_code == 200 and "/wallet/settings/ob-hosts" not in settings_page.text


async def test_enabled_the_settings_page_links_and_the_list_is_empty(consumer) -> None:
    await sign_up(consumer, "learner@example.jp", lang="ja")
    assert "/wallet/settings/ob-hosts" in (await consumer.get("/wallet/settings")).text
    listed = await consumer.get(BASE)
    assert listed.status_code == 200 and 'id="obc-none"' in listed.text and "ほかの Open Badges ホスト" in listed.text


@pytest.mark.parametrize("url", ["http://example.org", "https://10.0.0.1", "https://169.254.169.254/latest",
                                 "https://192.168.1.10:8443", "https://[fd00::1]", "https://[::ffff:10.0.0.1]",
                                 "https://intranet", "https://printer.local", "https://db.internal",
                                 "ftp://example.org", "https://user:pw@example.org", "http://10.0.0.1"])
def test_addresses_that_are_never_called(url) -> None:
    for allow in (False, True):
        with pytest.raises(Refused):
            check_url(url, allow_loopback=allow)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "https://localhost", "https://[::1]:9000",
                                 "http://127.1.2.3"])
def test_loopback_only_when_allowed(url) -> None:
    with pytest.raises(Refused):
        check_url(url, allow_loopback=False)
    assert check_url(url, allow_loopback=True) == url


def test_a_typed_address_becomes_a_base_url() -> None:
    assert host_base_url(" https://Badges.Example.org/ ", allow_loopback=False) == "https://badges.example.org"
    assert host_base_url("https://badges.example.org/ims/ob/v3p0/discovery",
                         allow_loopback=False) == "https://badges.example.org"
    assert host_base_url("https://example.org/tenant/a/", allow_loopback=False) == "https://example.org/tenant/a"
    for text in ("", "https://example.org/?x=1", "https://example.org/#top", "http://example.org"):
        with pytest.raises(InvalidInput) as refused:
            host_base_url(text, allow_loopback=False)
        assert refused.value.field == "host_url"


async def test_a_refused_address_is_a_form_error_in_the_readers_language(consumer, db) -> None:
    await sign_up(consumer, "learner@example.jp", lang="en")
    answer = await form(consumer, BASE, {"host_url": "http://example.org"})
    assert answer.status_code == 422 and "public https address of an Open Badges Host" in answer.text
    assert await rows(db) == 0


async def test_the_transport_checks_every_request_and_caps_the_answer() -> None:
    with junk_host(b"x" * 5000) as host:
        async with httpx.AsyncClient(transport=GuardedTransport(allow_loopback=False, max_bytes=10_000)) as strict:
            with pytest.raises(Refused):
                await strict.get(host.url + "/anything")
        async with httpx.AsyncClient(transport=GuardedTransport(allow_loopback=True, max_bytes=1000)) as small:
            with pytest.raises(TooBig):
                await small.get(host.url + "/anything")
        async with httpx.AsyncClient(transport=GuardedTransport(allow_loopback=True, max_bytes=10_000)) as fine:
            answer = await fine.get(host.url + "/anything")
            assert answer.status_code == 200 and answer.content == b"x" * 5000
        assert len(host.requests) == 2  # the refused one never left


def _discovery(registration: str, *,
               scopes=("credential.upsert", "credential.readonly", "profile.readonly")) -> dict:
    prefix = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
    return {"openapi": "3.0.1", "info": {"title": "Junk Host"},
            "servers": [{"url": "http://127.0.0.1:9/ims/ob/v3p0"}],
            "components": {"securitySchemes": {"OAuth2ACG": {
                "type": "oauth2", "x-imssf-registrationUrl": registration,
                "flows": {"authorizationCode": {"authorizationUrl": "http://127.0.0.1:9/authorize",
                                                "tokenUrl": "http://127.0.0.1:9/token",
                                                "scopes": {prefix + s: s for s in scopes}}}}}}}


@pytest.mark.parametrize(("answer", "status", "delay", "says"), [
    (b"<html>hello</html>", 200, 0.0, "could not be read. Nothing was stored."),
    ({"openapi": "3.0.1"}, 200, 0.0, "is not a valid Open Badges 3.0 one"),
    (_discovery("https://10.0.0.1/register"), 200, 0.0, "is not a valid Open Badges 3.0 one"),
    (_discovery("http://127.0.0.1:9/register", scopes=("credential.readonly",)), 200, 0.0,
     "does not offer the access skillpass needs"),
    ({"x": "y" * 30_000}, 200, 0.0, "too large and was not read"),
    ({}, 200, 2.0, "did not answer in time"),
    ({"error": "nope"}, 500, 0.0, "is not a valid Open Badges 3.0 one"),
])
async def test_a_host_answering_junk_is_a_clear_error_and_nothing_is_stored(consumer, db, answer, status, delay,
                                                                           says) -> None:
    await sign_up(consumer, "learner@example.jp", lang="en")
    with junk_host(answer, status=status, delay=delay) as host:
        refused = await form(consumer, BASE, {"host_url": host.url})
        assert host.requests == [f"GET {DISCOVERY} HTTP/1.1"]
    assert refused.status_code == 502, refused.text
    alert = refused.text[refused.text.index('role="alert"'):]
    assert says in alert[:alert.index("</div>")]
    assert await rows(db) == 0


def test_sealed_values_open_only_for_their_row_and_key() -> None:
    row, other = uuid.uuid4(), uuid.uuid4()
    sealed = seal({"access_token": "secret-token"}, row, "master-key-0123456789")
    assert b"secret-token" not in sealed
    assert unseal(sealed, row, "master-key-0123456789") == {"access_token": "secret-token"}
    with pytest.raises(InvalidTag):
        unseal(sealed, other, "master-key-0123456789")
    with pytest.raises(InvalidTag):
        unseal(sealed, row, "another-master-key-0123")


def test_the_next_page_comes_from_the_link_header() -> None:
    link = ('<https://h.example/ims/ob/v3p0/credentials?limit=20&offset=0>; rel="first", '
            '<https://h.example/ims/ob/v3p0/credentials?limit=20&offset=40>; rel="next", '
            '<https://h.example/ims/ob/v3p0/credentials?limit=20&offset=80>; rel="last"')
    assert next_offset(httpx.Response(200, headers={"Link": link})) == 40
    assert next_offset(httpx.Response(200, headers={"Link": link.split(", <")[0]})) is None
    assert next_offset(httpx.Response(200)) is None


@pytest.mark.parametrize("document", [[], "x", {"components": []}, {"components": {"securitySchemes": []}},
                                      {"components": {"securitySchemes": {"a": {"type": "oauth2", "flows": []}}}},
                                      {"components": {"securitySchemes": {"a": {"type": "oauth2", "flows": {
                                          "authorizationCode": {"scopes": []}}}}}},
                                      {**_discovery("http://127.0.0.1:9/register"), "servers": "x"}])
def test_a_malformed_description_is_a_host_error(settings, document) -> None:
    with pytest.raises(HostError) as refused:
        parse_description(document, consumer_settings(settings))
    assert refused.value.code in {"invalid_discovery", "scopes"} and refused.value.status_code == 502


def test_a_good_description_names_every_url(settings) -> None:
    found = parse_description(_discovery("http://127.0.0.1:9/register"), consumer_settings(settings))
    assert (found.registration_url, found.token_url, found.api_url) == (
        "http://127.0.0.1:9/register", "http://127.0.0.1:9/token", "http://127.0.0.1:9/ims/ob/v3p0")


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_the_pages_and_their_errors_speak_the_readers_language(consumer, lang) -> None:
    await sign_up(consumer, "learner@example.jp", lang=lang)
    english, own = english_phrases(), {"test", "person"}  # the learner's name as sign_up enters it
    shown = await consumer.get(BASE)
    assert leaks_in(BASE, shown.text, lang, english, own) == []
    for text in ("http://example.org", "ftp://x"):
        refused = await form(consumer, BASE, {"host_url": text})
        assert refused.status_code == 422 and leaks_in(text, refused.text, lang, english, own) == []
    with junk_host({"openapi": "3.0.1"}) as host:
        junk = await form(consumer, BASE, {"host_url": host.url})
    assert junk.status_code == 502 and leaks_in("junk", junk.text, lang, english, own) == []
    wrong = await consumer.get(BASE + "/callback?state=nope&code=x")
    assert wrong.status_code == 400 and leaks_in("callback", wrong.text, lang, english, own) == []


async def test_upkeep_deletes_pending_connections_that_never_came_back(consumer, engine, db) -> None:
    from datetime import timedelta

    from accounts.models import Person
    from core.db import utcnow
    from credentials.ob_consumer.service import sweep_pending

    await sign_up(consumer, "learner@example.jp")
    person = await db.scalar(select(Person.id).where(Person.email == "learner@example.jp"))
    old = utcnow() - timedelta(minutes=16)
    made = {name: HostConnection(person_id=person, host_url=f"https://{name}.example.org", api_url="x",
                                 authorize_url="x", token_url="x", client_id="c", client_secret_sealed=b"s",
                                 state=state, created_at=when)
            for name, state, when in (("stale", "pending", old), ("fresh", "pending", utcnow()),
                                      ("kept", "connected", old))}
    db.add_all(made.values())
    await db.commit()
    assert await sweep_pending(engine) == 1
    left = set((await db.execute(select(HostConnection.host_url))).scalars())
    assert left == {"https://fresh.example.org", "https://kept.example.org"}


async def test_at_most_twenty_connections_and_nothing_is_fetched_beyond(consumer, db) -> None:
    from accounts.models import Person

    await sign_up(consumer, "learner@example.jp", lang="en")
    person = await db.scalar(select(Person.id).where(Person.email == "learner@example.jp"))
    db.add_all(HostConnection(person_id=person, host_url=f"https://h{n}.example.org", api_url="x", authorize_url="x",
                              token_url="x", client_id="c", client_secret_sealed=b"s") for n in range(20))
    await db.commit()
    with junk_host() as host:
        refused = await form(consumer, BASE, {"host_url": host.url})
        assert host.requests == []
    assert refused.status_code == 422 and "At most 20 Hosts" in refused.text
    assert await rows(db) == 20


async def test_our_oauth_server_metadata_names_the_revocation_endpoint_and_validates(client, settings) -> None:
    """RFC 8414 at the path-inserted address of the issuer /oauth/ob (the root one is OpenID4VCI's),
    checked by authlib's own metadata validator."""
    from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

    from accounts.oauth.metadata import server_metadata

    AuthorizationServerMetadata(server_metadata("https://skillpass.example.jp")).validate()  # it wants https
    base = settings.base_url.rstrip("/")
    answer = await client.get("/.well-known/oauth-authorization-server/oauth/ob")
    assert answer.status_code == 200, answer.text
    metadata = answer.json()
    assert metadata == server_metadata(base)
    assert metadata["issuer"] == base + "/oauth/ob" and metadata["revocation_endpoint"] == base + "/oauth/ob/revoke"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    root = (await client.get("/.well-known/oauth-authorization-server")).json()
    assert "revocation_endpoint" not in root  # the OpenID4VCI server's, unchanged


async def test_the_revocation_endpoint_comes_from_the_hosts_metadata_when_it_names_that_token_url(settings) -> None:
    from credentials.ob_consumer.host import revocation_url

    on = consumer_settings(settings)

    def metadata(url: str) -> dict:
        return {"issuer": url + "/as", "token_endpoint": url + "/as/token", "revocation_endpoint": url + "/as/end"}

    with junk_host(metadata) as host:
        assert await revocation_url(on, host.url, host.url + "/as/token") == host.url + "/as/end"
        assert host.requests[0].startswith("GET /.well-known/oauth-authorization-server/as ")
        # metadata of another token endpoint is not this server's: the convention beside /token is used
        assert await revocation_url(on, host.url, host.url + "/other/token") == host.url + "/other/revoke"
    with junk_host(b"<html>", content_type="text/html") as host:
        assert await revocation_url(on, host.url, host.url + "/oauth/token") == host.url + "/oauth/revoke"
        assert await revocation_url(on, host.url, host.url + "/tokens") is None
