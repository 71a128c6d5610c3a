"""The evaluation sets (data/profiles.yaml, data/jobs.yaml) as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from matching.roles import Held

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class LabelledProfile:
    id: str
    persona: str
    skills: dict[str, Held]
    role: str
    also: tuple[str, ...]

    @property
    def relevance(self) -> dict[str, float]:
        """Graded relevance for NDCG: the labelled role 2, acceptable alternatives 1."""
        return {**{r: 1.0 for r in self.also}, self.role: 2.0}


@dataclass(frozen=True)
class LabelledJob:
    id: str
    lang: str
    text: str
    role: str
    skills: frozenset[str]


def _held(value: str | list[str]) -> Held:
    return Held(value) if isinstance(value, str) else Held(value[0], value[1])


def load_profiles(path: Path = DATA_DIR / "profiles.yaml") -> list[LabelledProfile]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [LabelledProfile(r["id"], r["persona"], {f"v2-{k}": _held(v) for k, v in r["skills"].items()},
                            r["role"], tuple(r.get("also") or ())) for r in rows]


def load_jobs(path: Path = DATA_DIR / "jobs.yaml") -> list[LabelledJob]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [LabelledJob(r["id"], r["lang"], r["text"], r["role"], frozenset(f"v2-{s}" for s in r["skills"]))
            for r in rows]
