"""Baselines for the evaluation: plain cosine similarity, a learned scikit-learn model, keywords."""

from __future__ import annotations

import re

import numpy as np
from sklearn.linear_model import LogisticRegression

from matching.roles import EVIDENCE_FACTOR, STATUSES, Profile, Target
from matching.synthetic import sample_profiles
from skills.mapping.text import normalize_text
from taxonomies.dss import get_taxonomy, level_rank

SEED = 0
TRAIN_PER_ROLE = 400


def cosine_rank(profile: Profile, targets: list[Target]) -> list[str]:
    """Roles by cosine between held ranks and needed ranks (evidence and importance weights ignored)."""
    ids = list(targets[0].requirements)
    p = np.array([level_rank(profile[s].level) if s in profile else 0 for s in ids], dtype=float)
    scored = []
    for t in targets:
        r = np.array([level_rank(t.requirements[s]) for s in ids], dtype=float)
        scored.append((float(p @ r) / ((np.linalg.norm(p) or 1.0) * np.linalg.norm(r)), t.id))
    return [tid for _, tid in sorted(scored, key=lambda x: (-x[0], x[1]))]


def features(ranks: np.ndarray, statuses: np.ndarray) -> np.ndarray:
    """rank(h) x evidence factor per item, scaled to [0, 1]."""
    factor = np.array([EVIDENCE_FACTOR[s] for s in STATUSES])
    return ranks * factor[statuses] / 4.0


def profile_features(profile: Profile, ids: list[str]) -> np.ndarray:
    ranks = np.array([[level_rank(profile[s].level) if s in profile else 0 for s in ids]])
    statuses = np.array([[STATUSES.index(profile[s].status) if s in profile else 2 for s in ids]])
    return features(ranks, statuses)


def fit_learned(targets: list[Target], seed: int = SEED) -> LogisticRegression:
    """Multinomial logistic regression on synthetic profiles sampled from the role requirements."""
    ids = list(targets[0].requirements)
    roles, ranks, statuses = sample_profiles(targets, ids, TRAIN_PER_ROLE * len(targets), seed)
    return LogisticRegression(C=1.0, max_iter=2000).fit(features(ranks, statuses), roles)


def learned_rank(model: LogisticRegression, profile: Profile, targets: list[Target]) -> list[str]:
    ids = list(targets[0].requirements)
    proba = model.predict_proba(profile_features(profile, ids))[0]
    order = sorted(range(len(targets)), key=lambda i: (-proba[i], targets[i].id))
    return [targets[model.classes_[i]].id for i in order]


def _keywords(text: str) -> list[str]:
    parts = re.split(r"[・／/、,()（）&＆]|\s+and\s+|\s+", normalize_text(text))
    return [p for p in parts if len(p) >= 2 and p not in {"of", "the", "and", "for", "in", "on", "to", "a"}]


def keyword_skills(text: str, version: str = "2.0") -> list[str]:
    """Skill items by how many words of their ja/en names occur in the text (ties in standard order)."""
    body = normalize_text(text)
    scored = []
    for position, item in enumerate(get_taxonomy().skill_items(version)):
        words = set(_keywords(item.name_ja) + _keywords(item.name_en))
        hits = sum(1 for w in words if w in body)
        if hits:
            scored.append((-hits, position, item.id))
    return [sid for _, _, sid in sorted(scored)]
