"""Errors as pages: the renderer ``core.problems`` calls for browsers (registered in ``skillpass.app``):
an error fragment retargeted to ``#flash`` for htmx, a full error page otherwise."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.response import Template

from core.problems import PROBLEM_JSON
from frontend.forms import is_htmx


def error_page(request: Request, problem: dict[str, Any], headers: dict[str, str]) -> Response:
    status = problem["status"]
    if request.app.template_engine is None:
        return Response(content=problem, status_code=status, media_type=PROBLEM_JSON, headers=headers)
    context = {"problem": problem}
    if is_htmx(request):
        headers = {**headers, "HX-Retarget": "#flash", "HX-Reswap": "innerHTML"}
        return Template(template_name="error_fragment.html", context=context, status_code=status, headers=headers)
    return Template(template_name="error.html", context=context, status_code=status, headers=headers)
