"""The fitted mapper as plain arrays: TF-IDF features and linear scores computed with numpy alone.

This is what commands and the web app load (from the shipped artefact, see ``artefact.py``); the
fitting code in ``model.py`` needs scikit-learn, which takes about a second to import. The analyzers
reproduce scikit-learn's ``char_wb`` and ``word`` analyzers and its TF-IDF transform (sublinear tf,
smoothed idf, L2 norm) exactly, so loaded and freshly fitted models rank alike (tested).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """scikit-learn's ``char_wb`` analyzer: n-grams inside each space-padded word."""
    grams = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        word = f" {word} "
        for n in range(min_n, max_n + 1):
            offset = 0
            grams.append(word[offset:offset + n])
            while offset + n < len(word):
                offset += 1
                grams.append(word[offset:offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


def word_ngrams(text: str, pattern: re.Pattern[str], min_n: int, max_n: int) -> list[str]:
    """scikit-learn's ``word`` analyzer (no stop words): token n-grams joined by a space."""
    tokens = pattern.findall(text)
    if max_n == 1:
        return tokens
    grams = list(tokens) if min_n == 1 else []
    for n in range(max(min_n, 2), min(max_n, len(tokens)) + 1):
        grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


@dataclass(frozen=True)
class TfidfBlock:
    """One vectorizer's vocabulary (term -> column) and idf, offset into the joint feature space."""

    analyzer: str  # "char_wb" or "word"
    ngram_range: tuple[int, int]
    token_pattern: str | None
    vocabulary: dict[str, int]
    idf: np.ndarray  # float32, one per column

    def analyze(self, text: str) -> list[str]:
        if self.analyzer == "char_wb":
            return char_wb_ngrams(text, *self.ngram_range)
        return word_ngrams(text, re.compile(self.token_pattern or ""), *self.ngram_range)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and L2-normalised sublinear tf-idf values of one text."""
        counts = Counter(g for g in self.analyze(text) if g in self.vocabulary)
        if not counts:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        cols = np.fromiter((self.vocabulary[g] for g in counts), np.int64, len(counts))
        tf = np.fromiter(counts.values(), np.float32, len(counts))
        values = (np.log(tf) + np.float32(1.0)) * self.idf[cols]
        norm = np.sqrt(np.dot(values, values))
        return cols, (values / norm if norm > 0 else values).astype(np.float32)


@dataclass(frozen=True)
class LinearScorer:
    """score = features(text) @ coef.T + intercept, features being the blocks side by side / sqrt(blocks)."""

    blocks: tuple[TfidfBlock, ...]
    coef_t: np.ndarray  # (n_features, n_items) float32: rows gathered by feature index
    intercept: np.ndarray  # (n_items,) float32

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Raw scores, shape (len(texts), n_items)."""
        out = np.tile(self.intercept, (len(texts), 1)).astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(len(self.blocks)))
        for i, text in enumerate(texts):
            offset = 0
            for block in self.blocks:
                cols, values = block.row(text)
                if len(cols):
                    out[i] += (values * scale) @ self.coef_t[cols + offset]
                offset += len(block.idf)
        return out


@dataclass(frozen=True)
class Calibrator:
    """confidence = sigmoid(a * score + b * (score - best score of the query) + c)."""

    a: float
    b: float
    c: float


def confidences(calibrator: Calibrator, raw: np.ndarray) -> np.ndarray:
    """Calibrated confidence in [0, 1] for every score; monotone in the score within a query."""
    best = raw.max(axis=1, keepdims=True)
    z = calibrator.a * raw + calibrator.b * (raw - best) + calibrator.c
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class SemanticHead:
    """The semantic half loaded from the artefact: weight * (embed(text) @ coef_t + intercept)."""

    embedder_name: str  # the embedder whose vectors the head was fitted on
    coef_t: np.ndarray  # (dim, n_items) float32
    intercept: np.ndarray  # (n_items,) float32
    weight: float


@dataclass(frozen=True)
class LoadedModel:
    """A mapper for one DSS version, loaded from its artefact: what ``get_model`` returns.

    ``embedder`` is set only when it is the one the head was fitted on; otherwise the model scores
    with the lexical half alone and its own calibrator (``meta["semantic"]`` says why)."""

    version: str
    ids: tuple[str, ...]
    names_ja: tuple[str, ...]
    names_en: tuple[str, ...]
    scorer: LinearScorer
    calibrator: Calibrator
    meta: dict
    head: SemanticHead | None = None
    embedder: object | None = None  # an embedding.Embedder
    lexical_calibrator: Calibrator | None = None  # of the lexical half alone (None: same as calibrator)

    @property
    def semantic(self) -> bool:
        return self.head is not None and self.embedder is not None

    def calibrator_for(self, semantic: bool) -> Calibrator:
        """The calibrator of what ``scores(texts, semantic)`` computes."""
        return self.calibrator if semantic and self.semantic else (self.lexical_calibrator or self.calibrator)

    def scores(self, texts: Sequence[str], semantic: bool = True) -> np.ndarray:
        """Raw scores (len(texts), n_items); ``semantic=False`` for the lexical half alone (cheaper:
        no embedding), e.g. for the many short sentences of a job text. A text that occurs several times
        (one course, many learners) is featurised and embedded once."""
        unique = list(dict.fromkeys(texts))
        raw = self.scorer.scores(unique)
        if semantic and self.semantic:
            vectors = self.embedder.embed(unique)  # type: ignore[union-attr]
            raw += self.head.weight * (vectors @ self.head.coef_t + self.head.intercept)  # type: ignore[union-attr]
        if len(unique) == len(texts):
            return raw
        row = {text: i for i, text in enumerate(unique)}
        return raw[[row[text] for text in texts]]
