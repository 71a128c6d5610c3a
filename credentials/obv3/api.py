"""HTTP surface of credentials.obv3: the OB 3.0 API's discovery document (getServiceDescription)."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency

from accounts import access
from core.settings import Settings
from credentials.obv3.discovery import API_PREFIX, service_description

TAGS = ["credentials: Open Badges 3.0 API"]


@get(f"{API_PREFIX}/discovery", tags=TAGS, **access.public())
async def discovery(settings: NamedDependency[Settings]) -> Response:
    """The Service Description Document: 1EdTech's OB 3.0 OpenAPI with this server's URLs and OAuth 2.0 scheme."""
    return Response(service_description(settings), media_type="application/json")


handlers = [discovery]
