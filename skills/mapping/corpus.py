"""Training text for the mapper: DSS item labels, descriptions and learning items (ja + en) from the
taxonomy, plus the hand-written course-like examples in data/training_examples.json (a JSON array, one example
a line; kept apart from the evaluation set in tests/data/records_eval.jsonl).

A sample is (text, label index). ver.1.2 items have names only, so each ver.1.2 item also takes the
text and examples of the ver.2.0 items it is linked to by the taxonomy's v1.2 -> v2.0 crosswalk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from taxonomies.dss import SkillItem, get_taxonomy

from skills.mapping.text import normalize_text

EXAMPLES_PATH = Path(__file__).parent / "data" / "training_examples.json"
VERSIONS = ("2.0", "1.2")
NAME_REPEATS = 2  # an item's own name is its strongest evidence


@dataclass(frozen=True)
class Example:
    """A course-like text labelled with the ver.2.0 skill ids it is about (none: an off-topic course)."""

    text: str
    skill_ids: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    """Skill items of one version (model classes, in taxonomy order) and their training text."""

    version: str
    items: tuple[SkillItem, ...]
    base_texts: tuple[str, ...]  # from the taxonomy
    base_labels: tuple[int, ...]
    examples: tuple[Example, ...]  # labels already translated to this version's ids

    def label_of(self, skill_id: str) -> int:
        return self.ids.index(skill_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)


def item_texts(item: SkillItem) -> list[str]:
    """An item's names (repeated), descriptions and learning items, normalised, empty ones left out."""
    texts = [item.name_ja, item.name_en] * NAME_REPEATS
    texts += [item.description_ja or "", item.description_en or ""]
    texts += list(item.learning_items_ja) + list(item.learning_items_en)
    return [normalize_text(t) for t in texts if t and t.strip()]


@cache
def load_examples(path: Path = EXAMPLES_PATH) -> tuple[Example, ...]:
    """The shipped training examples (ver.2.0 ids)."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Example(normalize_text(r["text"]), tuple(r["skills"])) for r in rows)


def v2_to_version_ids(version: str) -> dict[str, list[str]]:
    """For each ver.2.0 id, the ids of `version` it stands for (itself for 2.0; via the crosswalk for 1.2)."""
    tx = get_taxonomy()
    if version == "2.0":
        return {item.id: [item.id] for item in tx.skill_items("2.0")}
    mapping: dict[str, list[str]] = {}
    for link in tx.crosswalk_v1_v2():
        mapping.setdefault(link.target_id, []).append(link.source_id)
    return mapping


def build_corpus(version: str = "2.0", examples: tuple[Example, ...] | None = None) -> Corpus:
    """Training text of one DSS version (2.0 or 1.2)."""
    if version not in VERSIONS:
        raise ValueError(f"unsupported DSS version {version!r}; expected one of {', '.join(VERSIONS)}")
    tx = get_taxonomy()
    items = tuple(tx.skill_items(version))
    index = {item.id: i for i, item in enumerate(items)}
    texts, labels = [], []
    for item in items:
        for text in item_texts(item):
            texts.append(text)
            labels.append(index[item.id])
    if version != "2.0":
        for link in tx.crosswalk_v1_v2():
            for text in item_texts(tx.skill_item(link.target_id)):
                texts.append(text)
                labels.append(index[link.source_id])
    translate = v2_to_version_ids(version)
    translated = []
    for example in load_examples() if examples is None else examples:
        ids = tuple(dict.fromkeys(t for s in example.skill_ids for t in translate.get(s, [])))
        if ids or not example.skill_ids:  # off-topic examples (no ids) are kept for calibration
            translated.append(Example(example.text, ids))
    return Corpus(version, items, tuple(texts), tuple(labels), tuple(translated))
