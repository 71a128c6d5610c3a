"""The four-level scale shared by role importance (重要度) and personal proficiency.

DSS gives each role's importance per skill item as a, b, c or d (a highest). skillpass reads the same
letters as proficiency a person shows, so a requirement and a proficiency compare directly:
``level_rank(person) >= level_rank(required)``.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS: tuple[str, ...] = ("a", "b", "c", "d")
"""Legal levels, highest first."""


@dataclass(frozen=True)
class LevelDefinition:
    """Wording of one level for role importance and for a person's proficiency."""

    level: str
    importance_ja: str
    importance_en: str
    proficiency_ja: str
    proficiency_en: str


# The importance wording is unconfirmed (reference `definitions_ja_unverified`); the proficiency
# wording is skillpass's reading of it for people.
DEFINITIONS: dict[str, LevelDefinition] = {
    "a": LevelDefinition("a", "高い実践力と専門性が必要", "High practical ability and expertise required",
                         "熟達して実践できる", "Can do it expertly"),
    "b": LevelDefinition("b", "一定の実践力と専門性が必要", "Some practical ability and expertise required",
                         "ある程度の実践を経験すればできる", "Can do it with some practice"),
    "c": LevelDefinition("c", "説明可能なレベルで理解が必要", "Understanding at a level to explain it required",
                         "説明できる", "Can explain it"),
    "d": LevelDefinition("d", "位置づけや関連性を説明可能なレベルで理解が必要",
                         "Understanding at a level to explain its place and relations required",
                         "位置づけや関連性を説明できる", "Can place it and explain how it relates"),
}


def is_level(value: object) -> bool:
    """True for one of the legal levels a-d."""
    return isinstance(value, str) and value in LEVELS


def level_rank(level: str) -> int:
    """Order of a level: ``level_rank("a") > level_rank("b") > ... > level_rank("d")`` (4..1)."""
    if not is_level(level):
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return len(LEVELS) - LEVELS.index(level)


def max_level(levels: list[str] | tuple[str, ...]) -> str:
    """The highest of some levels."""
    return max(levels, key=level_rank)


def meets(proficiency: str, required: str) -> bool:
    """Whether a person's proficiency satisfies a required level."""
    return level_rank(proficiency) >= level_rank(required)
