"""The learner's connections to other Open Badges 3.0 Hosts (skillpass as a Service Consumer): the list
and the connect form, the page that sends the browser to the Host, the Host's redirect back, one
connection (push chosen badges, what the Host holds) and disconnect. Every page answers 404 while
``SKILLPASS_OB_CONSUMER_ENABLED`` is off (``credentials.ob_consumer.service`` refuses first).

The connect form's answer is a local page with a link to the Host, not a redirect there: browsers apply
the form's ``form-action 'self'`` to where its answer redirects."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from core.errors import DomainError
from credentials.ob_consumer import service
from credentials.ob_consumer.host import HostError
from frontend import forms
from frontend.consoles import AppSettings, DbSession
from frontend.forms import FormData, as_list, as_uuid, form_error_status, redirect, text_of
from frontend.rendering import lang_of, page
from frontend.signed_in import SIGNED_IN, me

BASE = "/wallet/settings/ob-hosts"


def _errors(exc: DomainError, request: Request) -> dict[str, str]:
    if isinstance(exc, HostError):
        return {"host": exc.code}
    return forms.errors_by_field(exc, lang_of(request), "obc")


@get(BASE, **SIGNED_IN)
async def hosts_page(request: Request, db_session: DbSession,
                     settings: AppSettings) -> Template:
    """The learner's Host connections and the form to connect another one."""
    found = await service.connections(db_session, settings, me(request))
    return page(request, "ob_consumer/hosts.html", {"connections": found, "errors": {}, "host_url": ""})


@post(BASE, **SIGNED_IN)
async def connect_form(request: Request, data: FormData, db_session: DbSession,
                       settings: AppSettings) -> Response | Template:
    """Discovery and registration at the Host; then the page with the link to its authorization."""
    host_url = text_of(data, "host_url")
    try:
        row = await service.connect(db_session, settings, me(request), host_url)
    except DomainError as exc:
        return page(request, "ob_consumer/hosts.html", {"connections": None, "errors": _errors(exc, request),
                                                        "host_url": host_url},
                    status_code=form_error_status(request, exc.status_code))
    return redirect(request, f"{BASE}/{row.id}/authorize")


@get(BASE + "/{connection_id:uuid}/authorize", **SIGNED_IN)
async def authorize_page(request: Request, connection_id: FromPath[uuid.UUID],
                         db_session: DbSession, settings: AppSettings) -> Response | Template:
    """The link that takes the learner to the Host to sign in and approve."""
    row = await service.pending(db_session, settings, me(request), connection_id)
    if row.state != "pending":
        return Redirect(path=f"{BASE}/{row.id}", status_code=303)
    return page(request, "ob_consumer/authorize.html", {"connection": row},
                headers={"Cache-Control": "no-store"})


@get(service.CALLBACK_PATH, **SIGNED_IN)
async def callback_page(request: Request, db_session: DbSession,
                        settings: AppSettings) -> Response | Template:
    """The Host's redirect back (RFC 6749 section 4.1.2): the code for tokens, or the refusal shown."""
    query = request.query_params  # ``state`` is a name Litestar reserves for handler parameters
    try:
        row = await service.finish(db_session, settings, me(request), state=query.get("state") or "",
                                   code=query.get("code") or "", error=query.get("error") or "")
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return page(request, "ob_consumer/callback_error.html", {"errors": _errors(exc, request)},
                    status_code=400 if exc.status_code == 422 else exc.status_code)
    return Redirect(path=f"{BASE}/{row.id}?connected=1", status_code=303)


@get(BASE + "/{connection_id:uuid}", **SIGNED_IN)
async def connection_page(request: Request, connection_id: FromPath[uuid.UUID],
                          db_session: DbSession, settings: AppSettings) -> Template:
    """One connection: the badges the learner can send to it, and disconnect."""
    view = await service.connection_view(db_session, settings, me(request), connection_id)
    return page(request, "ob_consumer/connection.html", {"view": view, "errors": {}})


@post(BASE + "/{connection_id:uuid}/push", **SIGNED_IN)
async def push_form(request: Request, connection_id: FromPath[uuid.UUID], data: FormData,
                    db_session: DbSession, settings: AppSettings) -> Template:
    """upsertCredential of each chosen badge; the Host's answer per badge."""
    chosen = [as_uuid(v) for v in as_list(data.get("held"))]
    try:
        results = await service.push(db_session, settings, me(request), connection_id,
                                     [held for held in chosen if held is not None])
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        return page(request, "ob_consumer/pushed.html", {"results": [], "errors": _errors(exc, request),
                                                         "connection_id": connection_id},
                    status_code=form_error_status(request, exc.status_code))
    return page(request, "ob_consumer/pushed.html", {"results": results, "errors": {},
                                                     "connection_id": connection_id})


@get(BASE + "/{connection_id:uuid}/remote", **SIGNED_IN)
async def remote_page(request: Request, connection_id: FromPath[uuid.UUID], db_session: DbSession,
                      settings: AppSettings, offset: FromQuery[int] = 0) -> Template:
    """getCredentials at the Host: what it holds for the learner, a page at a time."""
    found = await service.remote(db_session, settings, me(request), connection_id, offset)
    return page(request, "ob_consumer/remote.html", {"remote": found, "connection_id": connection_id})


@post(BASE + "/{connection_id:uuid}/disconnect", **SIGNED_IN)
async def disconnect_form(request: Request, connection_id: FromPath[uuid.UUID],
                          db_session: DbSession, settings: AppSettings) -> Response:
    """Revoke at the Host and forget the connection here."""
    revoked = await service.disconnect(db_session, settings, me(request), connection_id)
    return redirect(request, f"{BASE}?disconnected={'revoked' if revoked else 'local'}")


handlers = [hosts_page, connect_form, authorize_page, callback_page, connection_page, push_form, remote_page,
            disconnect_form]
