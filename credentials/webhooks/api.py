"""HTTP surface of credentials.webhooks: a provider's endpoints under ``/api/v1/orgs/{org_id}/webhooks``
(organization admins, or an API key with the ``webhooks`` scope), and the app hooks that start and stop
the delivery runner."""

from __future__ import annotations

import asyncio
import uuid

from litestar import Controller, Litestar, Request, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.access import principal_of
from core.openapi import problem_responses
from core.settings import Settings
from credentials.deps import app_engine
from credentials.webhooks.delivery import WebhookRunner
from credentials.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from credentials.webhooks.schemas import (
    AttemptRead,
    EndpointCreate,
    EndpointRead,
    EndpointUpdate,
    EndpointWithSecret,
    MessageRead,
)
from credentials.webhooks.service import WebhookService

RUNNER_KEY = "webhooks_runner"
WEBHOOKS = access.org_member("provider", admin_only=True, api_key=True, scope="webhooks")


async def provide_webhooks(db_session: NamedDependency[AsyncSession],
                           settings: NamedDependency[Settings]) -> WebhookService:
    return WebhookService(db_session, settings)


def with_secret(endpoint: WebhookEndpoint, secret: str) -> EndpointWithSecret:
    return EndpointWithSecret(**EndpointRead.model_validate(endpoint).model_dump(), secret=secret)


def message_read(message: WebhookMessage, attempts: list[WebhookAttempt] = ()) -> MessageRead:
    return MessageRead(id=message.id, webhook_id=f"msg_{message.id.hex}", event_type=message.event_type,
                       state=message.state, attempts=message.attempts,
                       next_attempt_at=message.next_attempt_at, last_status=message.last_status,
                       created_at=message.created_at, delivered_at=message.delivered_at,
                       log=[AttemptRead.model_validate(a) for a in attempts])


class WebhookController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/webhooks"
    tags = ["credentials: webhooks"]
    dependencies = {"webhooks": Provide(provide_webhooks)}

    @get("/", **WEBHOOKS)
    async def list_endpoints(self, org_id: FromPath[uuid.UUID],
                             webhooks: NamedDependency[WebhookService]) -> list[EndpointRead]:
        """The organization's webhook endpoints (never their secrets)."""
        return [EndpointRead.model_validate(e) for e in await webhooks.list(org_id)]

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(409), **WEBHOOKS)
    async def create_endpoint(self, request: Request, org_id: FromPath[uuid.UUID],
                              data: JSONBody[EndpointCreate],
                              webhooks: NamedDependency[WebhookService]) -> EndpointWithSecret:
        """Add an endpoint (https, public host); the signing secret is in this response only."""
        endpoint, secret = await webhooks.create(org_id, data.url, data.events, data.description,
                                                 principal_of(request).person_id)
        return with_secret(endpoint, secret)

    @get("/{endpoint_id:uuid}", **WEBHOOKS)
    async def get_endpoint(self, org_id: FromPath[uuid.UUID], endpoint_id: FromPath[uuid.UUID],
                           webhooks: NamedDependency[WebhookService]) -> EndpointRead:
        """One endpoint."""
        return EndpointRead.model_validate(await webhooks.get(org_id, endpoint_id))

    @patch("/{endpoint_id:uuid}", **WEBHOOKS)
    async def update_endpoint(self, org_id: FromPath[uuid.UUID], endpoint_id: FromPath[uuid.UUID],
                              data: JSONBody[EndpointUpdate],
                              webhooks: NamedDependency[WebhookService]) -> EndpointRead:
        """Change the URL, events or description, or enable/disable (a disabled endpoint's messages wait)."""
        changes = data.model_dump(exclude_unset=True)
        return EndpointRead.model_validate(await webhooks.update(org_id, endpoint_id, changes))

    @delete("/{endpoint_id:uuid}", status_code=HTTP_200_OK, **WEBHOOKS)
    async def delete_endpoint(self, org_id: FromPath[uuid.UUID], endpoint_id: FromPath[uuid.UUID],
                              webhooks: NamedDependency[WebhookService]) -> dict[str, bool]:
        """Delete the endpoint, its waiting messages and its delivery log."""
        await webhooks.delete(org_id, endpoint_id)
        return {"deleted": True}

    @post("/{endpoint_id:uuid}/rotate-secret", status_code=HTTP_200_OK, **WEBHOOKS)
    async def rotate_secret(self, org_id: FromPath[uuid.UUID], endpoint_id: FromPath[uuid.UUID],
                            webhooks: NamedDependency[WebhookService]) -> EndpointWithSecret:
        """A new signing secret, used from the next attempt on; in this response only."""
        endpoint, secret = await webhooks.rotate_secret(org_id, endpoint_id)
        return with_secret(endpoint, secret)

    @post("/{endpoint_id:uuid}/test", status_code=HTTP_202_ACCEPTED, responses=problem_responses(409),
          **WEBHOOKS)
    async def send_test(self, org_id: FromPath[uuid.UUID], endpoint_id: FromPath[uuid.UUID],
                        webhooks: NamedDependency[WebhookService]) -> MessageRead:
        """Queue a ``webhook.test`` event for this endpoint; follow it in ``GET .../messages``."""
        return message_read(await webhooks.send_test(org_id, endpoint_id))

    @get("/{endpoint_id:uuid}/messages", **WEBHOOKS)
    async def delivery_log(self, org_id: FromPath[uuid.UUID], endpoint_id: FromPath[uuid.UUID],
                           webhooks: NamedDependency[WebhookService],
                           limit: FromQuery[int] = 50) -> list[MessageRead]:
        """The newest messages with every attempt: status code, duration, error, next retry."""
        return [message_read(m, attempts) for m, attempts in await webhooks.log(org_id, endpoint_id, limit)]


async def start_runner(app: Litestar) -> None:
    """App start-up: send due messages in the background of this process (one runner per event loop:
    tests run one app under several clients, each on its own loop)."""
    runners = app.state.setdefault(RUNNER_KEY, {})
    loop = asyncio.get_running_loop()
    if loop not in runners:
        runners[loop] = WebhookRunner(app_engine(app), app.state["settings"])
        await runners[loop].start()


async def stop_runner(app: Litestar) -> None:
    runner = app.state.get(RUNNER_KEY, {}).pop(asyncio.get_running_loop(), None)
    if runner is not None:
        await runner.stop()


handlers: list = [WebhookController]
