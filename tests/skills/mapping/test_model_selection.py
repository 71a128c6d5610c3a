"""Choosing the items after the first: siblings of the first item are lifted (skills.mapping.selection)."""

from types import SimpleNamespace

import numpy as np

from skills.mapping.selection import lifted, sibling_groups


def test_siblings_of_the_first_pass_unrelated_items_and_the_first_stays_first():
    groups = np.asarray(["data", "data", "security", "data"], dtype=object)
    raw = np.asarray([[1.0, 0.50, 0.55, 0.10]])
    order = list(np.argsort(-lifted(raw, groups)[0]))
    assert order[0] == 0  # the first item
    assert order[1] == 1  # its sibling now passes the unrelated item 2
    assert list(np.argsort(-raw[0])) == [0, 2, 1, 3]  # without the lift it did not


def test_lift_scales_with_the_rows_spread_and_can_be_switched_off():
    groups = np.asarray(["a", "a", "b"], dtype=object)
    raw = np.asarray([[3.0, 1.0, 1.1], [0.3, 0.1, 0.11]])
    out = lifted(raw, groups, lift=0.5)
    assert np.allclose(out[0] - raw[0], [0.5 * raw[0].std(), 0.5 * raw[0].std(), 0.0])
    assert np.allclose(out[1] - raw[1], [0.5 * raw[1].std(), 0.5 * raw[1].std(), 0.0])
    assert lifted(raw, groups, lift=0.0) is raw


def test_groups_are_sub_categories_falling_back_to_the_category():
    items = [SimpleNamespace(id="x", subcategory_id="s1", category_id="c1"),
             SimpleNamespace(id="y", subcategory_id=None, category_id="c1")]
    assert list(sibling_groups(items)) == ["s1", "c1"]
