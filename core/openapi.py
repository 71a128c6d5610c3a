"""The OpenAPI document tells the truth: who may call each operation and every status it can answer.

Litestar generates the operations from the handlers; ``document`` then corrects what it cannot know:
the security of each operation (from the handler's access declaration, ``opt["access"]``), the error
statuses that the middleware, the guards and the services answer, each one a problem document
(RFC 9457, one shared ``Problem`` schema), and headers that a handler checks itself but that must be
sent (e.g. ``Idempotency-Key``). Statuses only some services raise (409, 429, 503) are declared on the
route with ``responses=problem_responses(...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Reference,
    Schema,
)
from litestar.routes import HTTPRoute

PROBLEM_JSON = "application/problem+json"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

DESCRIPTIONS = {
    400: "The request is malformed (unreadable JSON, a parameter of the wrong type, a body that does "
         "not fit).",
    401: "Sign in (session cookie) or send an API key where the operation accepts one.",
    403: "Not allowed for this caller (role, organization, API key) or, with a session cookie on an "
         "unsafe method, the `x-csrftoken` header is missing or does not match.",
    404: "Nothing with this id (or not visible to this caller).",
    409: "Conflicts with the current state (already exists, already done, or a concurrent request).",
    413: "The request body or an uploaded file is too large.",
    422: "The input parsed but is not acceptable (see `errors`), including JSON nested too deeply.",
    429: "Too many requests; retry after `Retry-After` seconds.",
    503: "A dependency (the database) does not answer; retry after `Retry-After` seconds.",
}

PROBLEM_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "title", "status"],
    description="RFC 9457 problem details; further members (e.g. `retry_after`, `max_depth`) may appear.",
    properties={
        "type": Schema(type=OpenAPIType.STRING, description="`/problems/<slug>` or `about:blank`"),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "instance": Schema(type=OpenAPIType.STRING, description="The request path"),
        "field": Schema(type=OpenAPIType.STRING, description="The input at fault"),
        "errors": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT)),
    },
)


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """For a route decorator: ``responses=problem_responses(409)`` declares statuses its service raises."""
    return {status: ResponseSpec(data_container=dict[str, Any], media_type=PROBLEM_JSON,
                                 description=DESCRIPTIONS.get(status, "Error"), generate_examples=False)
            for status in statuses}


def json_error_responses(*statuses: int, body: str) -> dict[int, ResponseSpec]:
    """For routes whose errors follow another standard's JSON body (OAuth 2.0 errors, OB 3.0
    ``Imsx_StatusInfo``): ``document`` leaves these as declared instead of a problem document."""
    return {status: ResponseSpec(data_container=dict[str, Any], media_type="application/json",
                                 description=f"{DESCRIPTIONS.get(status, 'Error')} The body is {body}.",
                                 generate_examples=False)
            for status in statuses}


def security_of(access: str, api_scope: str | None = None) -> list[dict[str, list[str]]] | None:
    """The OpenAPI security requirement of an ``accounts.access`` label (None: anyone may call); an API
    key must hold ``api_scope`` (OpenAPI 3.1 lets a non-OAuth scheme name the roles it needs)."""
    if access == "public":
        return None
    if access.endswith("+apikey"):
        scopes = [api_scope] if api_scope else []
        return [{"session": []}, {"apiKey": scopes}, {"bearer": scopes}]
    return [{"session": []}]


def error_statuses(access: str, method: str, parameters: Iterable[Any], has_body: bool) -> set[int]:
    """The error statuses every operation of this shape can answer, whatever its service does."""
    statuses: set[int] = set()
    if access != "public":
        statuses.add(401)
    if access == "admin" or ":" in access or method in UNSAFE_METHODS:  # role/organization guard, or CSRF
        statuses.add(403)
    parameters = list(parameters)
    if any(parameter.param_in == "path" for parameter in parameters):
        statuses.add(404)
    if parameters or has_body:
        statuses.update({400, 422})
    if has_body:
        statuses.add(413)
    return statuses


def _problem_response(status: int) -> OpenAPIResponse:
    headers = None
    if status in (429, 503):
        headers = {"Retry-After": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER), required=True)}
    problem = OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))
    return OpenAPIResponse(description=DESCRIPTIONS.get(status, "Error"), headers=headers,
                           content={PROBLEM_JSON: problem})


def document(openapi: OpenAPI, routes: Iterable[Any], *, required_headers: Iterable[str] = (),
             api_scope: Callable[[dict[str, Any], str], str | None] | None = None) -> OpenAPI:
    """Correct ``openapi`` in place from the route table (see the module docstring) and return it;
    ``api_scope(handler.opt, method)`` names the API-key scope an operation needs."""
    required = {name.lower() for name in required_headers}
    openapi.components.schemas = {**(openapi.components.schemas or {}), "Problem": PROBLEM_SCHEMA}
    for route in routes:
        if not isinstance(route, HTTPRoute) or route.path_format not in (openapi.paths or {}):
            continue
        path_item = openapi.paths[route.path_format]
        for handler in route.route_handlers:
            if handler.include_in_schema is False:
                continue
            for method in handler.http_methods:
                operation = getattr(path_item, method.lower(), None)
                if operation is None:
                    continue
                access = str(handler.opt.get("access", "public"))
                scope = api_scope(handler.opt, method) if api_scope else None
                operation.security = security_of(access, scope)
                if scope:
                    note = f"API keys need the scope `{scope}`."
                    operation.description = f"{operation.description}\n\n{note}" if operation.description else note
                parameters = operation.parameters or []
                for parameter in parameters:
                    if parameter.param_in == "header" and parameter.name.lower() in required:
                        parameter.required = True
                        parameter.schema = Schema(type=OpenAPIType.STRING, min_length=1)
                responses = operation.responses or {}
                statuses = error_statuses(access, method, parameters, operation.request_body is not None)
                statuses.update(int(code) for code in responses if code.isdigit() and int(code) >= 400)
                for status in sorted(statuses):
                    declared = (handler.responses or {}).get(status)
                    if declared is not None and declared.media_type != PROBLEM_JSON:
                        continue  # the route declares another error body (OAuth errors of the wallet endpoints)
                    responses[str(status)] = _problem_response(status)
                operation.responses = dict(sorted(responses.items()))
    return openapi
