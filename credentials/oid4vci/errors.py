"""OAuth 2.0 / OpenID4VCI error responses: ``{"error": code, "error_description": text}`` (RFC 6749
section 5.2, RFC 6750 section 3, OpenID4VCI 1.0 section 8.3.1), not RFC 9457 problems, because wallets
read these codes."""

from __future__ import annotations

from litestar import Response

NO_STORE = {"Cache-Control": "no-store"}


class OAuthError(Exception):
    """An error a wallet must see as an OAuth error code (``invalid_grant``, ``invalid_proof``...)."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def response(self) -> Response:
        headers = dict(NO_STORE)
        if self.status == 401:  # RFC 6750 section 3
            headers["WWW-Authenticate"] = f'Bearer error="{self.error}", error_description="{self.description}"'
        return Response({"error": self.error, "error_description": self.description}, status_code=self.status,
                        headers=headers, media_type="application/json")
