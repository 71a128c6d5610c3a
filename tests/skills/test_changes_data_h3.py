"""``Changes`` survive the trip through a session (``as_data`` / ``from_data``); anything else is refused."""

from __future__ import annotations

import json

import pytest

from skills.changes import Change, Changes


def test_changes_round_trip_through_json() -> None:
    changes = Changes((Change("v2-backend", "gained", None, ("b", "verified")),
                       Change("v2-sql", "raised", ("c", "evidenced"), ("b", "evidenced")),
                       Change("v2-git", "lost", ("c", "self_declared"), None)))
    back = Changes.from_data(json.loads(json.dumps(changes.as_data())))
    assert back == changes and back.counts["gained"] == 1
    assert back.of("lost")[0].before == ("c", "self_declared")


JUNK = [None, "x", {"a": 1}, [["v2-x", "gained", None]], [["v2-x", "gained", None, ["b"]]],
        [["v2-x", "gained", None, ["b", "forged"]]]]


@pytest.mark.parametrize("junk", JUNK)
def test_anything_else_is_none(junk) -> None:
    assert Changes.from_data(junk) is None


def test_an_unknown_kind_is_left_out() -> None:
    assert Changes.from_data([["v2-x", "teleported", None, ["b", "verified"]]]) == Changes(())
