"""Mapping learning records and course text onto DSS skill items (ver.2.0 default, ver.1.2).

    from skills.mapping import map_records, map_text
    map_text("Pythonで学ぶ機械学習入門")[0].id   # 'v2-machine-learning'

See docs/skills-mapping.md for the model, its calibration, the level rule and evaluation figures.
"""

from pathlib import Path

from skills.mapping.levels import suggest_level
from skills.mapping.mapper import DEFAULT_VERSION, SkillMatch, get_model, map_records, map_text, rank_texts

TEMPLATE_CSV = Path(__file__).with_name("template.csv")
"""Template CSV with every supported column (UTF-8), for users to download."""

__all__ = ["DEFAULT_VERSION", "TEMPLATE_CSV", "SkillMatch", "get_model", "map_records", "map_text",
           "rank_texts", "suggest_level"]
