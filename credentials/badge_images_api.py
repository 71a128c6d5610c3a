"""Provider API for an achievement's image: the same upload the console takes (PNG or SVG, checked and
cleaned by ``credentials.badge_images``), sent as the image bytes or as JSON with a ``data:`` URI, and back
to the generated badge art. API keys need the ``issue`` scope to write, ``read`` to read (as for the other
achievement routes). See docs/badges.md.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid

from dataclasses import dataclass

from litestar import Request, delete, get, put
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import FromPath
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.errors import DomainError, InvalidInput, TooLarge
from core.openapi import problem_responses
from core.settings import Settings
from credentials import badge_images
from credentials.achievements import AchievementService, base_url
from credentials.models import Achievement, BadgeImage

PATH = "/api/v1/orgs/{org_id:uuid}/achievements/{achievement_id:uuid}/image"
TAGS = ["credentials: provider"]
PROVIDER = access.org_member("provider", api_key=True)
IMAGE_TYPES = (badge_images.PNG, badge_images.SVG)
_DATA_URI = re.compile(r"data:(image/png|image/svg\+xml);base64,([A-Za-z0-9+/=\s]+)", re.IGNORECASE)
# base64 is 4/3 of the bytes; a JSON body a little larger than that is still one image at most
MAX_JSON_BYTES = badge_images.MAX_BYTES * 4 // 3 + 1024


class UnsupportedMediaType(DomainError):
    status_code = 415
    title = "Unsupported media type"
    type_slug = "unsupported-media-type"


@dataclass
class ImageUploadOperation(Operation):
    """The handler reads the body itself (bytes or JSON), so the OpenAPI request body is written here."""

    def __post_init__(self) -> None:
        binary = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format="binary"))
        self.request_body = RequestBody(required=True, description=(
            'The PNG or SVG bytes, or JSON {"image": "data:image/png;base64,..."}; at most 256 KB, a PNG 64-2048 '
            "pixels a side, an SVG cleaned of scripts and external references."), content={
            "image/png": binary, "image/svg+xml": binary,
            "application/json": OpenAPIMediaType(schema=Schema(
                type=OpenAPIType.OBJECT, required=["image"],
                properties={"image": Schema(type=OpenAPIType.STRING, description="data:image/png;base64,...")}))})


class BadgeImageRead(BaseModel):
    achievement_id: uuid.UUID
    image: str = Field(description="The image URL credentials issued from now on name (public)")
    uploaded: bool = Field(description="False: the generated badge art (SVG) is served")
    media_type: str
    sha256: str | None = Field(None, description="Of the stored (cleaned) upload")


def upload_of(content_type: str, body: bytes) -> tuple[bytes, str]:
    """(image bytes, media type) from a request: the bytes themselves (``image/png``,
    ``image/svg+xml``) or JSON ``{"image": "data:image/png;base64,..."}``."""
    if content_type in IMAGE_TYPES:
        if len(body) > badge_images.MAX_BYTES:
            raise TooLarge(f"The image is larger than {badge_images.MAX_BYTES // 1024} KB.", field="image",
                           extra={"code": "too_large"})
        return body, content_type
    if content_type != "application/json":
        raise UnsupportedMediaType("Send image/png, image/svg+xml, or application/json with a data: URI.",
                                   field="image", extra={"code": "media_type"})
    if len(body) > MAX_JSON_BYTES:
        raise TooLarge(f"The image is larger than {badge_images.MAX_BYTES // 1024} KB.", field="image",
                       extra={"code": "too_large"})
    try:
        uri = json.loads(body).get("image")
    except (ValueError, AttributeError):
        raise InvalidInput('Send {"image": "data:image/png;base64,..."}.', field="image",
                           extra={"code": "unreadable"}) from None
    found = _DATA_URI.fullmatch(uri.strip()) if isinstance(uri, str) else None
    if found is None:
        raise InvalidInput("The image is a data:image/png;base64 or data:image/svg+xml;base64 URI.", field="image",
                           extra={"code": "type"})
    try:
        data = base64.b64decode(re.sub(r"\s", "", found.group(2)), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("The data: URI is not valid base64.", field="image", extra={"code": "unreadable"}) from None
    if len(data) > badge_images.MAX_BYTES:
        raise TooLarge(f"The image is larger than {badge_images.MAX_BYTES // 1024} KB.", field="image",
                       extra={"code": "too_large"})
    return data, found.group(1).lower()


def image_read(settings: Settings, achievement: Achievement, row: BadgeImage | None) -> BadgeImageRead:
    return BadgeImageRead(achievement_id=achievement.id,
                          image=base_url(settings) + badge_images.image_path(achievement.id),
                          uploaded=row is not None, media_type=row.media_type if row else badge_images.SVG,
                          sha256=row.sha256 if row else None)


@get(PATH, tags=TAGS, **PROVIDER)
async def get_image(org_id: FromPath[uuid.UUID], achievement_id: FromPath[uuid.UUID],
                    db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> BadgeImageRead:
    """Whether the achievement has an uploaded image or uses the generated art, and its public URL."""
    achievement = await AchievementService(db_session, settings).get(org_id, achievement_id)
    return image_read(settings, achievement, await db_session.get(BadgeImage, achievement.id))


@put(PATH, tags=TAGS, responses=problem_responses(400, 413, 415, 422), operation_class=ImageUploadOperation,
     **PROVIDER)
async def put_image(request: Request, org_id: FromPath[uuid.UUID], achievement_id: FromPath[uuid.UUID],
                    db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> BadgeImageRead:
    """Upload the achievement's image (replacing an earlier one or an image URL given at creation);
    credentials issued from now on point at it. Refused with a problem document, nothing kept, when it
    is not a readable PNG or SVG of the allowed size."""
    achievement = await AchievementService(db_session, settings).get(org_id, achievement_id)
    content, media_type = upload_of(request.content_type[0], await request.body())
    row = await badge_images.set_image(db_session, achievement, content, media_type)
    return image_read(settings, achievement, row)


@delete(PATH, tags=TAGS, status_code=200, **PROVIDER)
async def delete_image(org_id: FromPath[uuid.UUID], achievement_id: FromPath[uuid.UUID],
                       db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> BadgeImageRead:
    """Back to the generated badge art (nothing to do when there is no upload)."""
    achievement = await AchievementService(db_session, settings).get(org_id, achievement_id)
    await badge_images.remove_image(db_session, achievement)
    return image_read(settings, achievement, None)


handlers = [get_image, put_image, delete_image]
