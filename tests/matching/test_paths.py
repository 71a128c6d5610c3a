"""Learning paths: the greedy cover closes the gap cheaply, respects filters and budgets, orders by level."""

from matching.catalog import catalog_from_file
from matching.paths import CatalogCourse, PathFilters, gap_value, needs_of, plan_path
from matching.roles import Held, Target, role_targets


def course(key: str, hours: float, price: int = 0, language: str = "ja", mode: str = "online",
           **skills: str) -> CatalogCourse:
    return CatalogCourse(key, "p", key, key, hours, price, language, mode,
                         {f"v2-{k.replace('_', '-')}": v for k, v in skills.items()})


POSTING = Target("posting", "p", "p", "p", {"v2-backend": "b", "v2-cloud-infrastructure": "c", "v2-sre": "c"})


def test_the_path_closes_the_whole_gap_at_least_cost():
    catalog = [course("big", 40, backend="b", cloud_infrastructure="c", sre="c"),
               course("backend", 10, backend="b"), course("cloud", 5, cloud_infrastructure="c", sre="c"),
               course("unrelated", 1, marketing="a")]
    path = plan_path({}, POSTING, catalog)
    assert {s.course.id for s in path.steps} == {"backend", "cloud"}
    assert path.remaining == () and path.gap_after == 0 and path.total_hours == 15


def test_each_step_says_which_gaps_it_closes_from_and_to_which_level():
    path = plan_path({"v2-backend": Held("c")}, POSTING, [course("backend", 10, backend="b")])
    (step,) = path.steps
    (closure,) = step.closures
    moved = (closure.skill_id, closure.from_level, closure.to_level, closure.closes)
    assert moved == ("v2-backend", "c", "b", True)
    assert {g.skill_id for g in path.remaining} == {"v2-cloud-infrastructure", "v2-sre"}


def test_a_course_made_redundant_by_a_later_pick_is_dropped():
    target = Target("posting", "p", "p", "p", {"v2-machine-learning": "a"})
    catalog = [course("advanced", 10, machine_learning="a"), course("intro", 3, machine_learning="c")]
    assert [s.course.id for s in plan_path({}, target, catalog, objective="hours").steps] == ["advanced"]


def test_lower_levels_come_first():
    target = Target("posting", "p", "p", "p", {"v2-machine-learning": "a", "v2-math-stats-visualization": "b",
                                               "v2-data-ai-understanding": "c"})
    catalog = [course("ml", 30, machine_learning="a"), course("stats", 20, math_stats_visualization="b"),
               course("literacy", 5, data_ai_understanding="c")]
    path = plan_path({}, target, catalog)
    assert [s.course.id for s in path.steps] == ["literacy", "stats", "ml"]


def test_filters_exclude_languages_modes_and_expensive_courses():
    catalog = [course("en", 1, language="en", backend="b", cloud_infrastructure="c", sre="c"),
               course("offline", 1, mode="offline", backend="b", cloud_infrastructure="c", sre="c"),
               course("pricey", 1, price=500_000, backend="b", cloud_infrastructure="c", sre="c"),
               course("ok", 30, backend="b", cloud_infrastructure="c", sre="c")]
    filters = PathFilters(languages=frozenset({"ja"}), modes=frozenset({"online", "hybrid"}),
                          max_course_price=100_000)
    assert [s.course.id for s in plan_path({}, POSTING, catalog, filters).steps] == ["ok"]


def test_a_budget_stops_the_path_and_reports_what_remains():
    catalog = [course("backend", 10, backend="b"), course("cloud", 5, cloud_infrastructure="c", sre="c")]
    path = plan_path({}, POSTING, catalog, PathFilters(budget_hours=12))
    assert path.total_hours <= 12 and path.remaining and path.gap_after < path.gap_before


def test_met_needs_give_an_empty_path():
    profile = {"v2-backend": Held("a"), "v2-cloud-infrastructure": Held("b"), "v2-sre": Held("c")}
    path = plan_path(profile, POSTING, [course("backend", 10, backend="b")])
    assert path.steps == () and path.gaps == () and path.gap_before == 0


def test_role_paths_aim_at_what_the_role_needs_with_the_demo_catalog():
    role = next(t for t in role_targets() if t.id == "se-backend")
    assert set(needs_of(role)) == set(role.needs) and len(role.needs) < len(role.requirements) / 2
    path = plan_path({"v2-backend": Held("b")}, role, catalog_from_file())
    assert path.steps and path.gap_after < path.gap_before
    assert gap_value({}, {"v2-backend": "a"}) == 8 * 4


def test_a_role_path_closes_the_core_needs_before_the_useful_ones():
    role = Target("role", "r", "r", "r", {"v2-backend": "b", "v2-marketing": "b", "v2-sre": "d"},
                  needs={"v2-backend": "core", "v2-marketing": "useful"})
    catalog = [course("marketing", 2, marketing="b"), course("backend", 30, backend="b"),
               course("sre", 1, sre="d")]
    path = plan_path({}, role, catalog)
    # the cheap useful course would come first by level and cost; the core need goes first
    assert [(s.course.id, s.phase) for s in path.steps] == [("backend", "core"), ("marketing", "useful")]
    assert "v2-sre" not in {g.skill_id for g in path.gaps}  # not required: not planned at all


def test_a_given_floor_plans_one_phase_over_every_need_at_or_above_it():
    role = Target("role", "r", "r", "r", {"v2-backend": "b", "v2-marketing": "b", "v2-sre": "d"},
                  needs={"v2-backend": "core", "v2-marketing": "useful"})
    path = plan_path({}, role, [course("marketing", 2, marketing="b"), course("backend", 30, backend="b"),
                                course("sre", 1, sre="d")], min_required="d")
    assert {s.phase for s in path.steps} == {None} and len(path.steps) == 3
