"""Job description (ja or en) -> proposed DSS skill items with levels, and the closest roles.

1. Skills from the text: the skills mapper (``skills.mapping.rank_texts``) scores every sentence and
   the whole text; a skill's confidence is its best score over them (a job ad lists many topics, one
   per sentence, which the mapper handles better one at a time).
2. Roles: cosine similarity between the text's confident skills (>= the floor) and each role's
   *distinctive* needs (its importance weights minus the average over roles, so that needs every
   role shares, such as leadership, do not decide), plus a bonus when the text names a job title of
   the role (``data/role_titles.yaml``).
3. Proposal: the text's skills above a confidence floor, with the level the closest role needs on
   each (at least c: a job ad that names a skill wants more than "can place it"), then the role's
   level-a needs the text did not mention (source ``role``), so the employer starts from a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from matching.roles import DEFAULT_VERSION, IMPORTANCE_WEIGHT, role_targets
from skills.mapping import rank_texts
from skills.mapping.text import normalize_text
from taxonomies.dss import get_taxonomy, level_rank

TITLES_PATH = Path(__file__).parent / "data" / "role_titles.yaml"
MAX_TEXT_CHARS = 20_000
MIN_SEGMENT_CHARS = 6
TEXT_CONFIDENCE_FLOOR = 0.2  # below this, a mapped skill is not proposed
TITLE_BONUS = 0.5
ROLE_TEMPLATE_CONFIDENCE = 0.3  # confidence shown for needs taken from the role template
_SENTENCE_END = re.compile(r"(?<=[。．！？!?])|\n|(?<=\.)\s+")


@dataclass(frozen=True)
class RoleGuess:
    """A role and how close the job text is to it (0..1.5; higher is closer)."""

    id: str
    name_ja: str
    name_en: str
    score: float


@dataclass(frozen=True)
class ProposedSkill:
    """A skill item proposed for a posting; ``source`` is ``text`` or ``role`` (from the template)."""

    id: str
    name_ja: str
    name_en: str
    level: str
    confidence: float
    source: str


@dataclass(frozen=True)
class JobAnalysis:
    """``roles``: the 15 DSS roles, best first; ``extension_roles``: skillpass's own extension roles,
    scored the same way but ranked apart (they are not DSS roles and never win over one)."""

    roles: list[RoleGuess]
    skills: list[ProposedSkill]
    extension_roles: list[RoleGuess] = field(default_factory=list)


def segments(text: str) -> list[str]:
    """The whole text and each sentence or line of it, normalised, short fragments dropped."""
    text = text[:MAX_TEXT_CHARS]
    parts = [normalize_text(p) for p in _SENTENCE_END.split(text)]
    return [normalize_text(text), *(p for p in parts if len(p) >= MIN_SEGMENT_CHARS)]


def skill_confidences(text: str, version: str = DEFAULT_VERSION) -> dict[str, float]:
    """Every skill item of ``version`` with its best mapper confidence over the text's segments: the
    whole text with the fused model, each sentence with its lexical half (one embedding per posting,
    not one per sentence)."""
    ids = [s.id for s in get_taxonomy().skill_items(version)]
    best = np.zeros(len(ids))
    whole, *sentences = segments(text)
    ranked = rank_texts([whole], version, top_k=len(ids)) + rank_texts(sentences, version, top_k=len(ids),
                                                                        semantic=False)
    for ranks in ranked:
        for index, confidence in ranks:
            best[index] = max(best[index], confidence)
    return dict(zip(ids, best.tolist(), strict=True))


@cache
def role_titles() -> dict[str, tuple[str, ...]]:
    """role id -> normalised titles (the role's own names plus data/role_titles.yaml)."""
    extra = yaml.safe_load(TITLES_PATH.read_text(encoding="utf-8")) or {}
    titles = {}
    for role in get_taxonomy().roles():
        names = [role.name_ja, role.name_en, *extra.get(role.id, [])]
        titles[role.id] = tuple(dict.fromkeys(normalize_text(n) for n in names))
    return titles


def title_hits(text: str) -> dict[str, float]:
    """Roles whose title appears in the text: 1.0 in the first line (the ad's title), 0.6 elsewhere."""
    body = normalize_text(text[:MAX_TEXT_CHARS])
    first = normalize_text(text.strip().split("\n", 1)[0]) if text.strip() else ""
    hits = {}
    for role_id, titles in role_titles().items():
        if any(_contains(first, t) for t in titles):
            hits[role_id] = 1.0
        elif any(_contains(body, t) for t in titles):
            hits[role_id] = 0.6
    return hits


def _contains(text: str, title: str) -> bool:
    """Substring match; ASCII titles must sit on word boundaries (so 'soc' is not found in 'social')."""
    if title.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(title)}(?![a-z0-9])", text) is not None
    return title in text


@cache
def distinctive_needs(version: str = DEFAULT_VERSION) -> tuple[tuple[str, ...], dict[str, np.ndarray]]:
    """Item ids and, per role, importance weights minus the mean over the DSS roles (what sets the
    role apart); extension roles are centred on the same DSS mean, so they do not shift it."""
    targets = role_targets(version)
    ids = tuple(targets[0].requirements)
    weights = np.array([[IMPORTANCE_WEIGHT[t.requirements[s]] for s in ids] for t in targets])
    dss_mean = weights[[not t.extension for t in targets]].mean(axis=0)
    centred = weights - dss_mean
    return ids, {t.id: centred[i] for i, t in enumerate(targets)}


def rank_roles(confidences: dict[str, float], hits: dict[str, float],
               version: str = DEFAULT_VERSION) -> list[RoleGuess]:
    """Roles best first: cosine(confidences, distinctive needs) clipped at 0, plus the title bonus.

    Confidences below the proposal floor are left out: the mapper gives every item some confidence,
    and dozens of weak ones would outweigh the few the text is really about.
    """
    ids, needs = distinctive_needs(version)
    vector = np.array([confidences.get(s, 0.0) for s in ids])
    vector[vector < TEXT_CONFIDENCE_FLOOR] = 0.0
    norm = np.linalg.norm(vector) or 1.0
    tx = get_taxonomy()
    guesses = []
    for role_id, need in needs.items():
        similarity = max(float(vector @ need / (norm * (np.linalg.norm(need) or 1.0))), 0.0)
        role = tx.role(role_id)
        guesses.append(RoleGuess(role.id, role.name_ja, role.name_en,
                                 round(similarity + TITLE_BONUS * hits.get(role_id, 0.0), 4)))
    guesses.sort(key=lambda g: (-g.score, g.id))
    return guesses


def propose_skills(confidences: dict[str, float], role_id: str | None, top_k: int = 8) -> list[ProposedSkill]:
    """Skills from the text (level from the role's need, at least c), then the role's unmentioned a-needs."""
    tx = get_taxonomy()
    needs = {sid: r.level for sid, r in tx.role(role_id).requirements.items()} if role_id else {}
    confident = ((c, s) for s, c in confidences.items() if c >= TEXT_CONFIDENCE_FLOOR)
    found = sorted(confident, reverse=True)[:top_k]
    proposed = []
    for confidence, sid in found:
        level = needs.get(sid, "c")
        item = tx.skill_item(sid)
        proposed.append(ProposedSkill(sid, item.name_ja, item.name_en,
                                      level if level_rank(level) >= level_rank("c") else "c",
                                      round(confidence, 4), "text"))
    chosen = {p.id for p in proposed}
    for sid, level in needs.items():
        if level == "a" and sid in confidences and sid not in chosen and len(proposed) < top_k:
            item = tx.skill_item(sid)
            proposed.append(ProposedSkill(sid, item.name_ja, item.name_en, level, ROLE_TEMPLATE_CONFIDENCE,
                                          "role"))
    return proposed


def analyze_job(text: str, version: str = DEFAULT_VERSION, top_k: int = 8) -> JobAnalysis:
    """Roles (best first) and proposed skills for a job description."""
    if not text or not text.strip():
        raise ValueError("text: the job description is empty")
    confidences = skill_confidences(text, version)
    guesses = rank_roles(confidences, title_hits(text), version)
    extension_ids = {r.id for r in get_taxonomy().roles() if r.extension}
    roles = [g for g in guesses if g.id not in extension_ids]
    return JobAnalysis(roles, propose_skills(confidences, roles[0].id if roles else None, top_k),
                       [g for g in guesses if g.id in extension_ids])
