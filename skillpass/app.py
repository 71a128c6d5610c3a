"""Builds the Litestar application: routes of every domain, database, sessions, CSRF, errors, templates."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from functools import partial
from pathlib import Path

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.htmx import HTMXPlugin
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from accounts.access import required_scope
from accounts.outbox import MailAfterCommitMiddleware
from accounts import api as accounts_api
from accounts import me_api, verification_api
from accounts.oauth import api as oauth_api
from accounts.sessions import RotatingSessionConfig
from accounts.middleware import CookieCSRFMiddleware, PrincipalMiddleware
from core.db import RequestTransactionMiddleware, alchemy_config, session_scope
from core.headers import security_headers_hook
from core.jsonlimits import JsonDepthMiddleware
from credentials import api as credentials_api
from credentials import badge_images_api
from credentials.deps import start_jobs, stop_jobs
from credentials.idempotency import HEADER as IDEMPOTENCY_HEADER
from credentials.oid4vci import api as oid4vci_api
from credentials.oid4vp import api as oid4vp_api
from credentials.obv3 import api as obv3_api
from credentials.clr import api as clr_api
from credentials.pathways import api as pathways_api
from credentials.webhooks import api as webhooks_api
from credentials.trust import api as trust_api
from core.kvstore import make_store
from core.openapi import document
from core.problems import exception_handler
from core.requestlog import RequestLogMiddleware, configure_logging
from core.settings import Settings, get_settings
from frontend import routes as frontend_routes
from frontend.errors import error_page
from frontend.rendering import configure_templates
from matching import api as matching_api
from matching.contact import api as contact_api
from matching.jobs import api as jobs_api
from matching.search import STATE_KEY as INDEX_STATE_KEY, IndexHolder
from skillpass import models as _tables  # noqa: F401 - registers every domain's tables
from skillpass import system
from skillpass.apidocs import LocalRedocPlugin, LocalSwaggerPlugin
from skillpass.migrate import pending_revisions
from skillpass.wiring import connect_domains, connect_index
from skills import api as skills_api
from taxonomies.dss import api as dss_api
from taxonomies.dss import data_dir_of, get_taxonomy

FRONTEND_DIR = Path(__file__).resolve().parent.parent / "frontend"

# Each domain exposes `handlers`; listed in dependency order.
ROUTE_MODULES = (system, accounts_api, me_api, verification_api, oauth_api, dss_api, credentials_api, badge_images_api,
                 trust_api,
                 oid4vci_api, oid4vp_api, obv3_api, clr_api, pathways_api, webhooks_api,
                 skills_api, matching_api, contact_api, jobs_api, frontend_routes)


def collect_handlers() -> list:
    return [handler for module in ROUTE_MODULES for handler in module.handlers]


def _engine(app: Litestar):
    return app.plugins.get(SQLAlchemyPlugin).config[0].get_engine()


async def _check_schema(app: Litestar) -> None:
    """Refuse to start on a database that is not migrated, with the command that fixes it."""
    settings = app.state["settings"]
    engine = _engine(app)
    if await pending_revisions(engine, settings.async_database_url):
        raise RuntimeError("The database is not migrated to the current schema: run `skillpass db upgrade`.")


def _close_index(app: Litestar) -> None:
    """This app's candidate index stops hearing change events (another app may be built in this process)."""
    holder = app.state.get(INDEX_STATE_KEY)
    if holder is not None:
        holder.close()


async def _close_database(app: Litestar) -> None:
    """Close pooled connections on shutdown: they belong to this event loop and must not outlive it."""
    await _engine(app).dispose()


def _warm_up(app: Litestar) -> None:
    """In the background: fit the text-to-DSS mapper and build the candidate index, so that neither the
    first job description nor the first candidate search pays for it."""
    from matching.search import holder_of
    from skills.mapping import get_model

    loop = asyncio.get_running_loop()
    engine = _engine(app)

    async def build_index() -> None:
        async with session_scope(engine) as session:
            await holder_of(app.state).ready(session)

    app.state.warmup = (loop.run_in_executor(None, get_model, "2.0"), loop.create_task(build_index()))


def create_app(settings: Settings | None = None) -> Litestar:
    """The web application for ``settings`` (read from the environment when omitted)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    # Load and check the DSS taxonomy now: a corrupted data file stops start-up with the entry named.
    get_taxonomy(data_dir_of(settings))
    connect_domains(settings)
    index = IndexHolder()
    connect_index(index)
    alchemy = alchemy_config(settings)
    sessions = RotatingSessionConfig(
        store="sessions", max_age=settings.session_max_age, secure=settings.secure_cookies,
        httponly=True, samesite="lax", key="skillpass_session",
    )
    csrf = CSRFConfig(secret=settings.secret_key, cookie_secure=settings.secure_cookies,
                      cookie_name="skillpass_csrf", cookie_samesite="lax")
    static = create_static_files_router(path="/static", directories=[FRONTEND_DIR / "static"],
                                        opt={"access": "public"}, include_in_schema=False)
    app = Litestar(
        route_handlers=[*collect_handlers(), static],
        plugins=[SQLAlchemyPlugin(config=alchemy), HTMXPlugin()],
        stores={"sessions": make_store(settings, alchemy, "sessions")},
        middleware=[
            RequestLogMiddleware,
            DefineMiddleware(JsonDepthMiddleware, max_body_bytes=settings.max_body_bytes),
            sessions.middleware,
            # inside the session middleware: the request's connection is released before the session is saved
            DefineMiddleware(RequestTransactionMiddleware, alchemy=alchemy),
            DefineMiddleware(MailAfterCommitMiddleware, alchemy=alchemy),  # mail once the commit above went through
            DefineMiddleware(PrincipalMiddleware, alchemy=alchemy,
                             touch_every=timedelta(seconds=settings.api_key_touch_seconds)),
            DefineMiddleware(CookieCSRFMiddleware, config=csrf),
        ],
        template_config=TemplateConfig(directory=FRONTEND_DIR / "templates", engine=JinjaTemplateEngine,
                                       engine_callback=partial(configure_templates, reload=settings.debug)),
        exception_handlers={Exception: exception_handler(error_page)},
        before_send=[security_headers_hook(settings.base_url.startswith("https://"))],
        dependencies={"settings": Provide(lambda: settings, sync_to_thread=False)},
        openapi_config=OpenAPIConfig(
            title="skillpass API", version="0.1.0", path="/schema",
            description="Digital Skill Standard taxonomy, Open Badges 3.0 credentials, skill profiles and matching.",
            render_plugins=[LocalSwaggerPlugin(), LocalRedocPlugin()],  # served from /static/vendor, no CDN
            components=Components(security_schemes={
                "apiKey": SecurityScheme(type="apiKey", name="X-API-Key", security_scheme_in="header",
                                         description="Provider API key (or `Authorization: Bearer <key>`)."),
                "bearer": SecurityScheme(type="http", scheme="bearer", description="Provider API key as a bearer token."),
                "session": SecurityScheme(type="apiKey", name="skillpass_session", security_scheme_in="cookie",
                                          description="Browser session; unsafe requests also need `x-csrftoken`."),
            }),
        ),
        request_max_body_size=settings.max_body_bytes,
        on_startup=[_check_schema, start_jobs, webhooks_api.start_runner,
                    *([_warm_up] if settings.warm_models else [])],
        on_shutdown=[stop_jobs, webhooks_api.stop_runner, _close_index, _close_database],
        state=State({"settings": settings, INDEX_STATE_KEY: index}),
        debug=settings.debug,
    )
    # security per operation and every status it can answer (core/openapi.py)
    document(app.openapi_schema, app.routes, required_headers=[IDEMPOTENCY_HEADER], api_scope=required_scope)
    return app
