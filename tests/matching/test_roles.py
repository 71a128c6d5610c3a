"""Role scoring: fit ranks roles, coverage measures need met, explanations group every need."""

import pytest

from matching.roles import (
    Held,
    Target,
    credit,
    fit,
    rank_targets,
    recommend_roles,
    role_targets,
    score_target,
)


def target(**needs: str) -> Target:
    return Target("posting", "t", "t", "t", {f"v2-{k.replace('_', '-')}": v for k, v in needs.items()})


def test_credit_is_capped_at_the_need_and_discounted_by_evidence():
    assert credit(Held("a", "verified"), "b") == 1.0
    assert credit(Held("c", "verified"), "a") == pytest.approx(0.5)
    assert credit(Held("a", "evidenced"), "a") == pytest.approx(0.8)
    assert credit(Held("a", "self_declared"), "a") == pytest.approx(0.6)
    assert credit(None, "d") == 0.0


def test_coverage_weighs_needs_by_importance():
    t = target(backend="a", frontend="d")
    only_backend = score_target({"v2-backend": Held("a", "verified")}, t)
    only_frontend = score_target({"v2-frontend": Held("d", "verified")}, t)
    assert only_backend.coverage == pytest.approx(8 / 9, abs=1e-4)
    assert only_frontend.coverage == pytest.approx(1 / 9, abs=1e-4)


def test_verified_evidence_scores_above_self_declared():
    t = target(backend="b", web_app_basics="b")
    verified = {"v2-backend": Held("b", "verified"), "v2-web-app-basics": Held("b", "verified")}
    declared = {"v2-backend": Held("b"), "v2-web-app-basics": Held("b")}
    assert score_target(verified, t).coverage > score_target(declared, t).coverage


def test_explanation_groups_met_partly_met_and_missing_by_importance():
    t = target(frontend="c", backend="a", sre="b")
    match = score_target({"v2-backend": Held("b"), "v2-frontend": Held("a", "verified")}, t)
    assert [n.skill_id for n in match.needs] == ["v2-backend", "v2-sre", "v2-frontend"]
    assert [n.skill_id for n in match.by_outcome("met")] == ["v2-frontend"]
    assert [n.skill_id for n in match.by_outcome("partly_met")] == ["v2-backend"]
    assert [n.skill_id for n in match.by_outcome("missing")] == ["v2-sre"]


def test_fit_is_one_for_a_profile_shaped_like_the_target_and_drops_with_other_skills():
    t = target(backend="a", frontend="c")  # weights 8 : 2
    shaped = {"v2-backend": Held("a", "verified"), "v2-frontend": Held("d", "verified")}  # strengths 4 : 1
    assert fit(shaped, t) == pytest.approx(1.0)
    assert fit({**shaped, "v2-marketing": Held("a", "verified")}, t) < 0.8
    assert fit({}, t) == 0.0


def test_every_role_is_ranked_and_a_backend_profile_gets_the_backend_role():
    profile = {"v2-backend": Held("a", "verified"), "v2-web-app-basics": Held("b"),
               "v2-software-design": Held("b"), "v2-computer-science": Held("b")}
    ranked = recommend_roles(profile)
    assert len(ranked) == len(role_targets()) == 17
    assert ranked[0].target.id == "se-backend"
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


def test_a_small_profile_does_not_fall_to_the_role_with_fewest_needs():
    # Coverage alone ranks the graphic designer first for small profiles (its needs are mostly d).
    profile = {"v2-customer-user-understanding": Held("c"), "v2-value-discovery": Held("c"),
               "v2-co-creation-facilitation": Held("c")}
    assert recommend_roles(profile)[0].target.id == "de-service-designer"


def test_postings_are_ranked_with_the_roles():
    needs = {"v2-machine-learning": "b", "v2-math-stats-visualization": "b"}
    posting = Target("posting", "p1", "求人", "Job", needs)
    profile = {skill_id: Held("b", "verified") for skill_id in needs}
    ranked = rank_targets(profile, [*role_targets(), posting])
    assert ranked[0].target.id == "p1" and ranked[0].coverage == 1.0


def test_illegal_levels_are_refused():
    with pytest.raises(ValueError, match="v2-backend"):
        recommend_roles({"v2-backend": Held("e")})
