""""What changed" after an import that ends in a redirect (a badge import goes on to the credential's own
page): the import leaves the changes in the session for that one path, and the page shows them once."""

from __future__ import annotations

from litestar import Request

from skills.changes import Changes

SESSION_KEY = "import_changes"


def keep(request: Request, changes: Changes, path: str) -> None:
    """Leave ``changes`` for the next full page at ``path``."""
    session = request.scope.get("session")
    if isinstance(session, dict):
        session[SESSION_KEY] = {"path": path, "changes": changes.as_data()}


def take(request: Request) -> Changes | None:
    """The changes left for this page's path (removed, so they show once), else None; changes left for
    another page stay until that page is opened or another import replaces them. An htmx fragment of the
    page (a filter, a pager) leaves them alone: they belong to the full page."""
    if request.headers.get("hx-request"):
        return None
    session = request.scope.get("session")
    found = session.get(SESSION_KEY) if isinstance(session, dict) else None
    if not isinstance(found, dict) or found.get("path") != request.url.path:
        return None
    session.pop(SESSION_KEY, None)
    return Changes.from_data(found.get("changes"))
