"""One way to paginate every list on the web pages (``_pager.html`` renders the links)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

T = TypeVar("T")
DEFAULT_PER_PAGE = 20


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, with what the pager needs to link to its neighbours."""

    items: list[T]
    number: int
    per_page: int
    total: int
    path: str = ""
    params: tuple[tuple[str, str], ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """1-based position of the first item shown (0 when the list is empty)."""
        return 0 if not self.total else (self.number - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.per_page)

    def url(self, number: int) -> str:
        """The same list at page ``number`` (other query parameters kept)."""
        query = [(k, v) for k, v in self.params if k != "page"]
        if number > 1:
            query.append(("page", str(number)))
        return f"{self.path}?{urlencode(query)}" if query else self.path


def page_number(raw: Any) -> int:
    """A page number from the query string; anything odd is page 1."""
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


def paginate(items: Sequence[T], number: Any = 1, *, per_page: int = DEFAULT_PER_PAGE, path: str = "",
             params: dict[str, Any] | None = None) -> Page[T]:
    """Slice ``items`` to page ``number`` (clamped to the last page)."""
    total = len(items)
    pages = max(1, -(-total // per_page))
    number = min(page_number(number), pages)
    start = (number - 1) * per_page
    kept = tuple((k, str(v)) for k, v in (params or {}).items() if v not in (None, ""))
    return Page(list(items[start:start + per_page]), number, per_page, total, path, kept)


def page_of(items: list[T], number: int, per_page: int, total: int, *, path: str = "",
            params: dict[str, Any] | None = None) -> Page[T]:
    """Wrap a page a service already sliced (``total`` counts every item)."""
    kept = tuple((k, str(v)) for k, v in (params or {}).items() if v not in (None, ""))
    return Page(list(items), number, per_page, total, path, kept)
