"""Structured request logs: one JSON line per request with status and duration, secrets left out."""

from __future__ import annotations

import json
import logging
import re
import sys
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("skillpass.request")
# Long opaque path segments are share tokens or similar secrets; UUIDs stay readable.
_SECRETISH = re.compile(r"(?<=/)(?![0-9a-f]{8}-[0-9a-f]{4}-)[A-Za-z0-9_\-]{24,}")


def redact_path(path: str) -> str:
    return _SECRETISH.sub("[redacted]", path)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = repr(record.exc_info[1])
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    root = logging.getLogger("skillpass")
    if not any(getattr(h, "_skillpass", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._skillpass = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the start-up schema check is not news


class RequestLogMiddleware:
    """ASGI middleware; logs method, redacted path (never the query string), status and duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            # Litestar's exception middleware outside us turns this into the response.
            status["code"] = getattr(exc, "status_code", 500)
            raise
        finally:
            if log.isEnabledFor(logging.INFO):  # at WARNING and above no line is built
                self._log(scope, status["code"], started)

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        fields = {"method": scope["method"], "path": redact_path(scope["path"]), "status": status,
                  "duration_ms": round((time.perf_counter() - started) * 1000, 1)}
        log.info("request", extra={"fields": fields})
