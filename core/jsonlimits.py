"""Depth-limited JSON: bodies nested deeper than :data:`MAX_DEPTH` are refused with a 422 before any
parser sees them (the C parsers of msgspec and ``json`` raise RecursionError near 1,000 levels, which
used to surface as a 500).

:class:`JsonDepthMiddleware` checks every request whose body is JSON; :func:`loads` is the same rule for
JSON read from an upload or a form field.
"""

from __future__ import annotations

import json
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import InvalidInput

MAX_DEPTH = 100
_STRUCTURE = bytes(range(256)).translate(None, b'"\\[]{}')  # every byte but these is deleted below


class TooDeep(InvalidInput):
    def __init__(self) -> None:
        super().__init__(f"The JSON is nested more than {MAX_DEPTH} levels deep.", field="body",
                         extra={"max_depth": MAX_DEPTH})


def depth_exceeds(body: bytes | str, limit: int = MAX_DEPTH) -> bool:
    """True when arrays/objects nest deeper than ``limit`` (brackets inside strings do not count)."""
    data = body.encode() if isinstance(body, str) else body
    depth = 0
    in_string = escaped = False
    for byte in data.translate(None, _STRUCTURE):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def loads(text: str | bytes) -> Any:
    """``json.loads`` that answers a 422 (:class:`TooDeep`) instead of a RecursionError."""
    if depth_exceeds(text):
        raise TooDeep()
    return json.loads(text)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers") or []:
        if name == b"content-type":
            media = value.split(b";")[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


class JsonDepthMiddleware:
    """Reads a JSON request body, refuses it with a 422 problem when too deep, else replays it."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS") or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        size, more = 0, True
        while more and size <= self.max_body_bytes:  # above the limit Litestar answers 413 itself
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            more = message["type"] == "http.request" and message.get("more_body", False)
        if not more and depth_exceeds(b"".join(m.get("body", b"") for m in messages)):
            raise TooDeep()

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)
