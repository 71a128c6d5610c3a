"""Page handlers, one module per area. The form helpers they share live in ``frontend.forms``
(re-exported here for the page modules that still import them from this package)."""

from __future__ import annotations

from frontend.forms import FormData, MultipartData, form_error_status, is_htmx, redirect, safe_next

__all__ = ["FormData", "MultipartData", "form_error_status", "is_htmx", "redirect", "safe_next"]
