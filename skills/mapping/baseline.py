"""Keyword baseline for the evaluation: substring matches of the words of each item's name.

An item's keywords are its Japanese and English names, whole and split at separators
(・ ／ / 、 ＆ & and parentheses, and in Japanese at runs of hiragana such as の, と, な) and, for English, into words of three letters or more without
stop words. An item scores the share of its keywords found in the record text; items with no match
are not predicted, so the baseline may suggest fewer than k items.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from taxonomies.dss import SkillItem

from skills.mapping.text import normalize_text

_SEPARATORS = re.compile(r"[・／/、,＆&()（）\[\]「」\u3041-\u3096]+|\s+and\s+")
_STOP_WORDS = {"and", "the", "for", "with", "based", "other", "its", "using", "into"}


def item_keywords(item: SkillItem) -> set[str]:
    """Keywords of one skill item, normalised."""
    keywords = set()
    for name in (item.name_ja, item.name_en):
        name = normalize_text(name)
        keywords.add(name)
        keywords.update(p.strip() for p in _SEPARATORS.split(name) if len(p.strip()) >= 2)
    keywords.update(w for w in re.findall(r"[a-z][a-z\-]{2,}", normalize_text(item.name_en))
                    if w not in _STOP_WORDS)
    return {k for k in keywords if k}


def keyword_rank(text: str, items: Sequence[SkillItem], top_k: int = 3,
                 keywords: Sequence[set[str]] | None = None) -> list[str]:
    """Ids of up to top_k items whose keywords occur in the (normalised) text, best first."""
    keywords = keywords or [item_keywords(item) for item in items]
    scored = []
    for index, (item, words) in enumerate(zip(items, keywords)):
        hits = sum(1 for w in words if w in text)
        if hits:
            scored.append((-hits / len(words), index, item.id))
    return [skill_id for _, _, skill_id in sorted(scored)[:top_k]]
