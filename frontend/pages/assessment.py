"""Pages: self-assessment per DSS category (the proficiency scale in plain words) and IPA exam results;
each saves through the same domain functions as the API and shows what it changed in the profile."""

from __future__ import annotations

from datetime import date

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, InvalidInput
from core.settings import Settings
from frontend.forms import FormData, form_error_status
from frontend.i18n import translate
from frontend.rendering import lang_of, not_found_page, page
from frontend.signed_in import SIGNED_IN, me
from skills.assessment import PROFILE_VERSION
from skills.changes import what_changed
from skills.service import ProfileService
from skills.sources import exams, self_assessment
from taxonomies.dss import LEVELS, get_taxonomy


def _categories() -> list:
    return get_taxonomy().categories(PROFILE_VERSION)


async def _assess_context(session: AsyncSession, request: Request, category, **extra) -> dict:
    own = {row.skill_id: row.level for row in await self_assessment.list_self_levels(session, me(request))}
    items = get_taxonomy().skill_items(PROFILE_VERSION, category_id=category.id)
    return {"category": category, "categories": _categories(), "items": items, "own": own, "levels": LEVELS,
            "changes": None, "errors": {}, **extra}


@get("/wallet/assess", **SIGNED_IN)
async def assess_index(request: Request) -> Template:
    """Where to assess yourself: one link per DSS category, and the exam results screen."""
    return page(request, "assessment/index.html", {"categories": _categories(), "levels": LEVELS})


@get("/wallet/assess/{category_id:str}", **SIGNED_IN)
async def assess_category(request: Request, category_id: FromPath[str],
                          db_session: NamedDependency[AsyncSession]) -> Template:
    """The self-assessment form of one category, with the learner's levels so far."""
    category = next((c for c in _categories() if c.id == category_id), None)
    if category is None:
        return not_found_page(request)
    return page(request, "assessment/category.html", await _assess_context(db_session, request, category))


@post("/wallet/assess/{category_id:str}", **SIGNED_IN)
async def assess_save(request: Request, category_id: FromPath[str], data: FormData,
                      db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Template:
    """Save the category's levels (an empty choice clears one) as the API's self-assessment does."""
    category = next((c for c in _categories() if c.id == category_id), None)
    if category is None:
        return not_found_page(request)
    items = get_taxonomy().skill_items(PROFILE_VERSION, category_id=category.id)
    levels = {item.id: str(data.get(f"level-{item.id}", "")) or None for item in items}
    profiles = ProfileService(db_session, settings)
    try:
        _, changes = await what_changed(profiles, me(request), lambda: profiles.set_self_levels(me(request), levels))
    except InvalidInput as exc:
        context = await _assess_context(db_session, request, category,
                                        errors={"level": translate("assessment.error.level", lang_of(request))})
        return page(request, "assessment/category.html", context, status_code=form_error_status(request, exc.status_code))
    return page(request, "assessment/category.html",
                await _assess_context(db_session, request, category, changes=changes, saved=True))


async def _exam_context(session: AsyncSession, request: Request, **extra) -> dict:
    tx = get_taxonomy()
    results = await exams.list_exam_results(session, me(request))
    known = {e.id: e for e in tx.exam_crosswalk()}
    return {"exams": tx.exam_crosswalk(), "results": [(r, known.get(r.exam_id)) for r in reversed(results)],
            "changes": None, "errors": {}, "values": {}, "today": date.today().isoformat(), **extra}


@get("/wallet/exams", **SIGNED_IN)
async def exams_page(request: Request, db_session: NamedDependency[AsyncSession]) -> Template:
    """The IPA exam results so far and the form to add one."""
    return page(request, "assessment/exams.html", await _exam_context(db_session, request))


def _exam_input(values: dict[str, str]) -> tuple[date, bool, float | None]:
    """The form's date, pass and score, refused by field as the API's schema would."""
    try:
        taken_on = date.fromisoformat(values["date"])
    except ValueError:
        raise InvalidInput("enter the exam date", field="date") from None
    if values["passed"] not in ("yes", "no"):
        raise InvalidInput("say whether you passed", field="passed")
    try:
        score = float(values["score"]) if values["score"].strip() else None
    except ValueError:
        raise InvalidInput("the score is a number", field="score") from None
    return taken_on, values["passed"] == "yes", score


@post("/wallet/exams", **SIGNED_IN)
async def exam_add(request: Request, data: FormData, db_session: NamedDependency[AsyncSession],
                   settings: NamedDependency[Settings]) -> Template:
    """Add an exam result (the API's rule: known exam, not in the future, score 0-1000, once a day)."""
    values = {k: str(data.get(k, "")) for k in ("exam", "date", "passed", "score")}
    profiles = ProfileService(db_session, settings)
    try:
        taken_on, passed, score = _exam_input(values)
        _, changes = await what_changed(profiles, me(request), lambda: profiles.add_exam_result(
            me(request), values["exam"], taken_on, passed, score))
    except DomainError as exc:
        field = exc.field or "exam"
        key = "assessment.error.duplicate" if exc.status_code == 409 else f"assessment.error.{field}"
        context = await _exam_context(db_session, request, values=values,
                                      errors={field: translate(key, lang_of(request))})
        return page(request, "assessment/exams.html", context, status_code=form_error_status(request, exc.status_code))
    return page(request, "assessment/exams.html", await _exam_context(db_session, request, changes=changes))


handlers = [assess_index, assess_category, assess_save, exams_page, exam_add]
