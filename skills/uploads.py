"""Reading uploaded files from a request: multipart ``file`` field, or the raw body."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile

from core.errors import InvalidInput


@dataclass(frozen=True)
class Upload:
    """The bytes of an upload, its file name and media type, and any other form fields."""

    data: bytes
    filename: str
    media_type: str
    fields: dict[str, str] = field(default_factory=dict)


async def read_upload(request: Request) -> Upload:
    """A multipart upload (field ``file``) or a raw body (``text/csv``, JSON, an image...)."""
    media_type = request.content_type[0]
    if media_type == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("send the file in the multipart field 'file'", field="file")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return Upload(await upload.read(), upload.filename or "", upload.content_type or "", fields)
    filename = request.headers.get("x-filename", "")
    return Upload(await request.body(), filename, media_type)


def json_field(upload: Upload, name: str) -> dict[str, Any] | None:
    """An optional form field holding a JSON object."""
    text = upload.fields.get(name, "").strip()
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name} is not valid JSON: {exc.msg}", field=name) from exc
    if not isinstance(value, dict):
        raise InvalidInput(f"{name} must be a JSON object", field=name)
    return value
