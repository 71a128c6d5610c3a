"""The suggested-level rule."""

import pytest

from skills.mapping.levels import suggest_level


@pytest.mark.parametrize("kwargs, expected", [
    ({}, "d"),
    ({"hours": 3}, "d"),
    ({"hours": 10}, "c"),
    ({"hours": 40}, "b"),
    ({"hours": 500}, "b"),  # hours alone never give a
    ({"course_level": "intermediate"}, "c"),
    ({"course_level": "expert"}, "b"),  # a needs assessed evidence
    ({"course_level": "expert", "score": 85}, "a"),
    ({"course_level": "expert", "passed": True, "hours": 30}, "a"),
    ({"course_level": "expert", "passed": True, "hours": 3}, "c"),  # short course: one step above hours
    ({"course_level": "advanced", "hours": 10}, "b"),
    ({"course_level": "advanced", "hours": 40, "score": 50}, "d"),  # failed
    ({"hours": 40, "passed": False}, "d"),
    ({"course_level": "beginner", "hours": 100, "score": 100}, "d"),
])
def test_level_rule(kwargs, expected):
    assert suggest_level(**kwargs) == expected
