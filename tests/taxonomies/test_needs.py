"""Core, also-useful and not-required needs read out of the role profiles."""

import pytest

from taxonomies.dss import get_taxonomy, level_rank
from taxonomies.dss.needs import CORE_MAX, typical_ranks


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_every_role_has_a_few_core_needs_some_useful_ones_and_leaves_the_rest(version):
    tx = get_taxonomy()
    n_items = len(tx.skill_items(version))
    for role in tx.roles():
        needs = tx.role_needs(role.id, version)
        core = [s for s, n in needs.items() if n == "core"]
        assert 1 <= len(core) <= CORE_MAX, role.id
        assert len(needs) < n_items * 0.7, role.id  # a real share of the items is not required
        assert all(level_rank(role.requirements[s].level) >= level_rank("b") for s in core), role.id


def test_core_needs_are_level_a_or_what_sets_the_role_apart():
    tx = get_taxonomy()
    typical = typical_ranks(tx, "2.0")
    for role in tx.roles():
        for skill_id, need in tx.role_needs(role.id, "2.0").items():
            rank = level_rank(role.requirements[skill_id].level)
            if need == "core":
                assert rank == 4 or rank > typical[skill_id], (role.id, skill_id)
            else:
                assert rank >= 3 or rank > typical[skill_id], (role.id, skill_id)


def test_roles_that_differ_have_different_core_needs():
    tx = get_taxonomy()
    core = {r.id: {s for s, n in tx.role_needs(r.id).items() if n == "core"} for r in tx.roles()}
    assert "v2-machine-learning" in core["ds-data-science-professional"]
    assert "v2-machine-learning" not in core["se-frontend"]
    assert core["cs-engineer"] != core["cs-manager"]


def test_extension_roles_do_not_move_the_typical_level():
    tx = get_taxonomy()
    dss_only = [r for r in tx.roles() if not r.extension]
    typical = typical_ranks(tx, "2.0")
    some_item = tx.skill_items("2.0")[0].id
    ranks = sorted(level_rank(r.requirements[some_item].level) for r in dss_only)
    assert len(dss_only) == 15 and typical[some_item] == ranks[7]  # the median of the 15 DSS roles
