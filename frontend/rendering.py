"""Template set-up and the one helper that renders every page (full page, or the block htmx targets).

Template helpers are Jinja globals that read the language from the request in the context, so any
template (error pages rendered by ``core.problems`` included) can use ``t()``, ``loc()``, ``fmt_date()``.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Request
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.response import Template

from accounts.access import principal_of
from frontend.i18n import fmt_date, fmt_number, localized, translate


def lang_of(request: Request) -> str:
    lang = principal_of(request).lang
    return lang if lang in ("ja", "en") else "ja"


def _lang(ctx: Any) -> str:
    request = ctx.get("request")
    return lang_of(request) if request is not None else "ja"


@pass_context
def _t(ctx: Any, key: str, **values: Any) -> str:
    return translate(key, _lang(ctx), **values)


@pass_context
def _loc(ctx: Any, obj: Any, field: str) -> str:
    return localized(obj, field, _lang(ctx))


@pass_context
def _fmt_date(ctx: Any, value: Any) -> str:
    return fmt_date(value, _lang(ctx))


@pass_context
def _fmt_number(ctx: Any, value: Any) -> str:
    return fmt_number(value, _lang(ctx))


@pass_context
def _current_lang(ctx: Any) -> str:
    return _lang(ctx)


@pass_context
def _principal(ctx: Any):
    request = ctx.get("request")
    return principal_of(request) if request is not None else None


def configure_templates(engine: JinjaTemplateEngine) -> None:
    """Register the helpers every template may use."""
    engine.engine.globals.update(
        t=_t, loc=_loc, fmt_date=_fmt_date, fmt_number=_fmt_number, current_lang=_current_lang,
        current_principal=_principal,
    )


def page(request: Request, template: str, context: dict[str, Any] | None = None, *,
         block: str | None = None, status_code: int = 200) -> Template:
    """Full page, or only ``block`` when htmx targets the element with the same id."""
    partial = (block is not None and request.headers.get("hx-request") == "true"
               and request.headers.get("hx-target") == block)
    return HTMXBlockTemplate(
        template_name=template,
        context=context or {},
        block_name=block if partial else None,
        status_code=status_code,
        headers={"Vary": "HX-Request, HX-Target"},
    )
