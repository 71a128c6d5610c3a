"""Learning paths: courses from a catalog that close a profile's gap to a target at least cost.

The gap on a need is ``rank(needed) - rank(current)`` levels (0 when met), weighted by importance
(a=8, b=4, c=2, d=1). A course aligned to a skill item at level L lifts the learner on that item to L.
The optimiser is the greedy algorithm for weighted set cover, with partial cover: repeatedly take the
course with the largest gap reduction per unit of cost, until the gap is closed, no course helps or
a budget would be exceeded; then drop courses made redundant by later picks. The chosen courses are
ordered so that lower levels come first (a course reaching c before one reaching b on the same item).

For a DSS role the path aims at what the role needs (``taxonomies/dss/needs.py``): first its core
needs (the items that define it), then the also-useful ones, each phase planned and ordered as
above and each step labelled with its phase; items the role does not require are left out.

Cost of a course (``objective``): ``hours``, ``price`` (yen), or ``balanced`` = hours + price / 3,000
(one hour of study weighed like 3,000 yen). Filters: languages, modes (online/offline/hybrid), the
most hours or yen one course may take, and budgets for the whole path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from matching.roles import IMPORTANCE_WEIGHT, Profile, Target
from taxonomies.dss import LEVELS, level_rank

MODES = ("online", "offline", "hybrid")
LANGUAGES = ("ja", "en")
OBJECTIVES = ("hours", "price", "balanced")
YEN_PER_HOUR = 3000.0
MIN_COST = 0.25  # a free, very short course still costs something, so gain/cost stays finite


@dataclass(frozen=True)
class CatalogCourse:
    """A course (or a provider's achievement) aligned to DSS skill items."""

    id: str
    provider: str
    title_ja: str
    title_en: str
    hours: float
    price_jpy: int
    language: str
    mode: str
    alignments: Mapping[str, str]  # skill item id -> level the course brings a learner to
    url: str | None = None
    provider_ja: str | None = None  # the provider's Japanese name, when it has one (``provider``: English)


@dataclass(frozen=True)
class PathFilters:
    """Which courses may be used and how much the whole path may take (None: no limit)."""

    languages: frozenset[str] | None = None
    modes: frozenset[str] | None = None
    max_course_hours: float | None = None
    max_course_price: int | None = None
    budget_hours: float | None = None
    budget_price: int | None = None

    def allows(self, course: CatalogCourse) -> bool:
        return ((self.languages is None or course.language in self.languages)
                and (self.modes is None or course.mode in self.modes)
                and (self.max_course_hours is None or course.hours <= self.max_course_hours)
                and (self.max_course_price is None or course.price_jpy <= self.max_course_price))


@dataclass(frozen=True)
class Gap:
    """A need not yet met: held level (None: not held) below the needed one."""

    skill_id: str
    current: str | None
    required: str


@dataclass(frozen=True)
class Closure:
    """What one course does for one need: from a level to a level; ``closes`` when it reaches the need."""

    skill_id: str
    from_level: str | None
    to_level: str
    required: str

    @property
    def closes(self) -> bool:
        return level_rank(self.to_level) >= level_rank(self.required)


@dataclass(frozen=True)
class PathStep:
    course: CatalogCourse
    closures: tuple[Closure, ...]
    phase: str | None = None  # for a role: "core" or "useful", the needs this step was chosen for


@dataclass(frozen=True)
class LearningPath:
    target: Target
    steps: tuple[PathStep, ...]
    gaps: tuple[Gap, ...]  # before the path
    remaining: tuple[Gap, ...]  # after it (no allowed course reaches them)
    total_hours: float
    total_price: int
    gap_before: float  # importance-weighted levels missing
    gap_after: float


def needs_of(target: Target, min_required: str | None = None) -> dict[str, str]:
    """The target's needs at or above ``min_required``. For a role without one, what the role needs
    (core and also useful; the rest of its 67 levels would fill a path with side courses); for a role
    without need classes the floor is b; a posting's needs are all the employer named."""
    if min_required is None and target.kind == "role" and target.needs:
        return {s: r for s, r in target.requirements.items() if s in target.needs}
    floor = min_required or ("b" if target.kind == "role" else "d")
    return {s: r for s, r in target.requirements.items() if level_rank(r) >= level_rank(floor)}


def phases_of(target: Target, needs: Mapping[str, str]) -> list[tuple[str | None, dict[str, str]]]:
    """The needs in the order a path closes them: core then also useful for a role, else one phase."""
    if target.kind != "role" or not target.needs:
        return [(None, dict(needs))]
    return [(phase, {s: r for s, r in needs.items() if target.needs.get(s) == phase}) for phase in ("core", "useful")]


def find_gaps(profile: Profile, needs: Mapping[str, str]) -> list[Gap]:
    """Needs the profile does not meet (any evidence status counts as holding the level)."""
    gaps = []
    for skill_id, required in needs.items():
        held = profile.get(skill_id)
        if held is None or level_rank(held.level) < level_rank(required):
            gaps.append(Gap(skill_id, held.level if held else None, required))
    return gaps


def _rank(level: str | None) -> int:
    return level_rank(level) if level else 0


def gap_value(levels: Mapping[str, int], needs: Mapping[str, str]) -> float:
    """Importance-weighted number of levels still missing."""
    return sum(IMPORTANCE_WEIGHT[r] * max(level_rank(r) - levels.get(s, 0), 0) for s, r in needs.items())


def gain(course: CatalogCourse, levels: Mapping[str, int], needs: Mapping[str, str]) -> float:
    """How much the course lowers the gap from the current levels."""
    total = 0.0
    for skill_id, reached in course.alignments.items():
        required = needs.get(skill_id)
        if required is not None:
            lifted = min(level_rank(reached), level_rank(required)) - levels.get(skill_id, 0)
            total += IMPORTANCE_WEIGHT[required] * max(lifted, 0)
    return total


def cost(course: CatalogCourse, objective: str = "balanced") -> float:
    """What taking the course costs under the objective (small tie-breakers on the other terms)."""
    if objective == "hours":
        value = course.hours + course.price_jpy / 1e7
    elif objective == "price":
        value = course.price_jpy / YEN_PER_HOUR + course.hours / 1e4
    else:
        value = course.hours + course.price_jpy / YEN_PER_HOUR
    return max(value, MIN_COST)


def _apply(course: CatalogCourse, levels: dict[str, int], needs: Mapping[str, str]) -> None:
    for skill_id, reached in course.alignments.items():
        if skill_id in needs:
            levels[skill_id] = max(levels.get(skill_id, 0), level_rank(reached))


def _within_budget(course: CatalogCourse, hours: float, price: int, filters: PathFilters) -> bool:
    return ((filters.budget_hours is None or hours + course.hours <= filters.budget_hours)
            and (filters.budget_price is None or price + course.price_jpy <= filters.budget_price))


def greedy_cover(start: Mapping[str, int], needs: Mapping[str, str], courses: list[CatalogCourse],
                 filters: PathFilters, objective: str) -> list[CatalogCourse]:
    """Best gain per cost first, until nothing helps or fits the budget."""
    levels, chosen, hours, price = dict(start), [], 0.0, 0
    remaining = list(courses)
    while gap_value(levels, needs) > 0:
        scored = [(gain(c, levels, needs) / cost(c, objective), c) for c in remaining
                  if _within_budget(c, hours, price, filters)]
        scored = [(ratio, c) for ratio, c in scored if ratio > 0]
        if not scored:
            break
        _, best = max(scored, key=lambda pair: (pair[0], -pair[1].hours, pair[1].id))
        chosen.append(best)
        remaining.remove(best)
        hours, price = hours + best.hours, price + best.price_jpy
        _apply(best, levels, needs)
    return chosen


def drop_redundant(start: Mapping[str, int], needs: Mapping[str, str],
                   chosen: list[CatalogCourse]) -> list[CatalogCourse]:
    """Remove courses (costliest first) whose removal leaves the final gap unchanged."""
    def final_gap(courses: list[CatalogCourse]) -> float:
        levels = dict(start)
        for c in courses:
            _apply(c, levels, needs)
        return gap_value(levels, needs)

    kept = list(chosen)
    target_gap = final_gap(kept)
    for course in sorted(chosen, key=lambda c: (-c.hours, -c.price_jpy, c.id)):
        trial = [c for c in kept if c is not course]
        if final_gap(trial) <= target_gap:
            kept = trial
    return kept


def order_steps(start: Mapping[str, int], needs: Mapping[str, str],
                courses: list[CatalogCourse], phase: str | None = None) -> list[PathStep]:
    """Lower levels first; each step lists the needs it moves, from and to which level."""
    def key(course: CatalogCourse) -> tuple:
        reached = sorted(level_rank(level) for s, level in course.alignments.items() if s in needs)
        return (reached[0] if reached else 0, reached[-1] if reached else 0, course.hours, course.id)

    levels, steps = dict(start), []
    for course in sorted(courses, key=key):
        closures = []
        for skill_id, reached in course.alignments.items():
            required = needs.get(skill_id)
            before = levels.get(skill_id, 0)
            if required is not None and before < level_rank(required) and level_rank(reached) > before:
                to_rank = min(level_rank(reached), level_rank(required))
                closures.append(Closure(skill_id, _level(before), _level(to_rank), required))
        _apply(course, levels, needs)
        steps.append(PathStep(course, tuple(closures), phase))
    return steps


def _level(rank: int) -> str | None:
    return LEVELS[len(LEVELS) - rank] if rank else None


def plan_path(profile: Profile, target: Target, catalog: Iterable[CatalogCourse],
              filters: PathFilters | None = None, *, objective: str = "balanced",
              min_required: str | None = None) -> LearningPath:
    """The cheapest set of allowed courses (greedy) that closes as much of the gap as possible, in order."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")
    filters = filters or PathFilters()
    needs = needs_of(target, min_required)
    start = {s: _rank(h.level) for s, h in profile.items() if s in needs}
    allowed = sorted((c for c in catalog if filters.allows(c)), key=lambda c: c.id)
    steps: list[PathStep] = []
    chosen: list[CatalogCourse] = []
    end = dict(start)
    phases = phases_of(target, needs) if min_required is None else [(None, needs)]
    for phase, phase_needs in phases:
        budget = replace(filters, budget_hours=None if filters.budget_hours is None
                         else filters.budget_hours - sum(c.hours for c in chosen),
                         budget_price=None if filters.budget_price is None
                         else filters.budget_price - sum(c.price_jpy for c in chosen))
        left = [c for c in allowed if c not in chosen]
        picked = drop_redundant(end, phase_needs, greedy_cover(end, phase_needs, left, budget, objective))
        steps += order_steps(end, needs, picked, phase)
        chosen += picked
        for course in picked:
            _apply(course, end, needs)
    remaining = [Gap(s, _level(end.get(s, 0)), r) for s, r in needs.items() if end.get(s, 0) < level_rank(r)]
    return LearningPath(target, tuple(steps), tuple(find_gaps(profile, needs)), tuple(remaining),
                        round(sum(c.hours for c in chosen), 2), sum(c.price_jpy for c in chosen),
                        gap_value(start, needs), gap_value(end, needs))
