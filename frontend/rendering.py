"""Template set-up and the one helper that renders every page (full page, or the block htmx targets).

Template helpers are Jinja globals that read the language from the request in the context, so any
template (error pages rendered by ``core.problems`` included) can use ``t()``, ``loc()``, ``fmt_date()``.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Request
from litestar.plugins.htmx import HTMXDetails, HTMXRequest
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template

from accounts.access import principal_of
from accounts.models import VerificationState
from credentials.endorsements import comment_parts
from credentials.models import BatchState, CredentialState, OfferState, RowState, TrustStatus
from frontend import flash
from frontend.i18n import fmt_date, fmt_number, localized, messages, translate
from matching.models import PostingStatus
from skills.models import EvidenceStatus
from taxonomies.dss import DEFINITIONS, get_taxonomy


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
def _t_or(ctx: Any, key: str, fallback: str) -> str:
    """The message for ``key`` when the catalogue has it, else ``fallback`` (e.g. a field name from data)."""
    return translate(key, _lang(ctx)) if key in messages() else fallback


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
def _level_text(ctx: Any, level: str, kind: str = "importance") -> str:
    """Meaning of a DSS level letter (importance for roles, proficiency for people)."""
    definition = DEFINITIONS.get(level)
    if definition is None:
        return ""
    return getattr(definition, f"{kind}_{_lang(ctx)}")


def dss_skill(skill_id: str):
    """A DSS skill item by id, or None (templates link alignments to skill pages)."""
    try:
        return get_taxonomy().skill_item(skill_id)
    except KeyError:
        return None


@pass_context
def _principal(ctx: Any):
    request = ctx.get("request")
    return principal_of(request) if request is not None else None


@pass_context
def _take_flash(ctx: Any) -> str:
    """The confirmation a redirect left for this page (``frontend.flash``), in the reader's language."""
    request = ctx.get("request")
    found = flash.take(request) if request is not None else None
    return translate(found[0], _lang(ctx), **found[1]) if found and found[0] in messages() else ""


def configure_templates(engine: JinjaTemplateEngine, *, reload: bool = True) -> None:
    """Register the helpers every template may use. Without ``reload`` a template is read once per
    process (Jinja otherwise stats each template file, and every one it extends or includes, per render)."""
    engine.engine.auto_reload = reload
    engine.engine.globals.update(
        t=_t, t_or=_t_or, loc=_loc, fmt_date=_fmt_date, fmt_number=_fmt_number, current_lang=_current_lang,
        current_principal=_principal, take_flash=_take_flash, level_text=_level_text, dss_skill=dss_skill,
        endorsement_comment=comment_parts,
        # the domains' states, so templates compare with the names models and schemas use
        CredentialState=CredentialState, BatchState=BatchState, RowState=RowState, OfferState=OfferState,
        TrustStatus=TrustStatus, VerificationState=VerificationState, PostingStatus=PostingStatus,
        EvidenceStatus=EvidenceStatus,
    )


def htmx_of(request: Request) -> HTMXDetails:
    """What htmx says about the request (``HTMXPlugin`` makes every request an ``HTMXRequest``; a request
    built without the plugin, as in a bare test app, gets the same details from its headers)."""
    return request.htmx if isinstance(request, HTMXRequest) else HTMXDetails(request)


def page(request: Request, template: str, context: dict[str, Any] | None = None, *,
         block: str | None = None, status_code: int = 200, headers: dict[str, str] | None = None) -> Template:
    """Full page, or only ``block`` when htmx targets the element with the same id."""
    details = htmx_of(request)
    partial = block is not None and bool(details) and details.target == block
    return HTMXBlockTemplate(
        template_name=template,
        context=context or {},
        block_name=block if partial else None,
        status_code=status_code,
        headers={"Vary": "HX-Request, HX-Target", **(headers or {})},
    )


def not_found_page(request: Request, detail_key: str = "error.404.detail") -> Template:
    """The 404 page for an unknown id in a page URL (HTML even under paths the API shares, like /dss/)."""
    lang = lang_of(request)
    problem = {"status": 404, "title": translate("error.404", lang), "detail": translate(detail_key, lang)}
    return Template(template_name="error.html", context={"problem": problem}, status_code=404)
