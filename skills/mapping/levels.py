"""Suggested DSS level (d < c < b < a) for a learning record, from course level, hours and score.

The rule (documented in docs/skills-mapping.md):

1. Start from the course level (beginner d, intermediate c, advanced b, expert a); without one,
   from the hours (< 6 h: d, < 20 h: c, otherwise b; hours alone never give a); with neither, d.
2. When both are known, a short course cannot claim much: the level is at most one step above
   what its hours alone would give (a 3-hour "expert" seminar gives c).
3. Level a needs assessed evidence: a pass or a score of at least 80; otherwise a becomes b.
4. A failed assessment (fail, or a score below 60) gives d: the person met the topic, no more.
"""

from __future__ import annotations

from taxonomies.dss import LEVELS, level_rank

PASS_SCORE = 60.0
STRONG_SCORE = 80.0
COURSE_LEVEL_TO_DSS = {"beginner": "d", "intermediate": "c", "advanced": "b", "expert": "a"}


def level_from_hours(hours: float) -> str:
    """Level that the study time alone supports (never a)."""
    if hours < 6:
        return "d"
    if hours < 20:
        return "c"
    return "b"


def step_up(level: str) -> str:
    """The next level up (a stays a); by rank, so it does not depend on the order of LEVELS."""
    higher = [other for other in LEVELS if level_rank(other) == level_rank(level) + 1]
    return higher[0] if higher else level


def suggest_level(hours: float | None = None, score: float | None = None, passed: bool | None = None,
                  course_level: str | None = None) -> str:
    """Suggested level a-d for what a record shows; see the module docstring for the rule."""
    by_course = COURSE_LEVEL_TO_DSS.get(course_level or "")
    by_hours = level_from_hours(hours) if hours is not None else None
    level = by_course or by_hours or "d"
    if by_course and by_hours:
        level = min(level, step_up(by_hours), key=level_rank)
    failed = passed is False or (score is not None and score < PASS_SCORE)
    strong = passed is True or (score is not None and score >= STRONG_SCORE)
    if level == "a" and not strong:
        level = "b"
    if failed:
        level = "d"
    return level
