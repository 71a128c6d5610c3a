"""Errors of the skills domain beyond the shared ones in ``core.errors``."""

from __future__ import annotations

from core.errors import DomainError


class LinkGone(DomainError):
    """A share link that existed but has expired."""

    status_code = 410
    title = "Gone"
    type_slug = "gone"
