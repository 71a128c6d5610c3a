"""Fitting the mapping model: TF-IDF over character n-grams (and English words) + a linear SVM per
skill item, fused with a linear SVM over sentence embeddings (``embedding.py``; the semantic half),
with a logistic calibration of the scores into confidences (one calibrator for the fused scores, one
for the lexical scores alone, the fallback when no embedder is configured).

Only the artefact builder (``artefact.py``) and the evaluation fit; commands and the app load the
shipped artefact into the numpy-only ``runtime.LoadedModel``, so scikit-learn is never imported there.

Character n-grams (char_wb 2-4) let Japanese text work without a tokenizer; word 1-2-grams add
English terms. Everything is deterministic (liblinear with a fixed seed, fixed fold split).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.svm import LinearSVC

from skills.mapping.corpus import Corpus, Example
from skills.mapping.embedding import Embedder
from skills.mapping.params import (
    CALIBRATION_FOLDS,
    CALIBRATION_TOP,
    CHAR_NGRAMS,
    FUSION_WEIGHT,
    HEAD_C,
    SEED,
    SVM_C,
    WORD_NGRAMS,
    WORD_PATTERN,
)
from skills.mapping.runtime import Calibrator, confidences  # noqa: F401 (re-exported for the evaluation)



@dataclass(frozen=True)
class Head:
    """The semantic half: score = embed(text) @ coef.T + intercept, on one embedder's vectors."""

    embedder: Embedder
    coef: np.ndarray  # (n_items, dim), float32
    intercept: np.ndarray  # (n_items,)


@dataclass(frozen=True)
class Classifier:
    """Fitted vectorizers and linear weights: score = X @ coef.T + intercept (+ a semantic head)."""

    vectorizers: tuple[TfidfVectorizer, ...]
    coef: np.ndarray  # (n_items, n_features), float32
    intercept: np.ndarray  # (n_items,)
    heads: tuple[Head, ...] = ()  # one per embedder; the first is the default

    @property
    def head(self) -> Head | None:
        return self.heads[0] if self.heads else None


@dataclass(frozen=True)
class SkillModel:
    """A fitted, calibrated mapper for one DSS version."""

    version: str
    ids: tuple[str, ...]
    names_ja: tuple[str, ...]
    names_en: tuple[str, ...]
    classifier: Classifier
    calibrator: Calibrator  # of the fused scores with the first head (the lexical ones when there is none)
    lexical_calibrator: Calibrator  # of the lexical scores alone
    head_calibrators: tuple[Calibrator, ...] = ()  # of the fused scores with each head


def make_vectorizers() -> tuple[TfidfVectorizer, ...]:
    """Character n-grams within word boundaries (Japanese runs count as one 'word') + English words."""
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, lowercase=False,
                            dtype=np.float32)
    words = TfidfVectorizer(analyzer="word", token_pattern=WORD_PATTERN, ngram_range=WORD_NGRAMS,
                            sublinear_tf=True, lowercase=False, dtype=np.float32)
    return chars, words


def featurize(vectorizers: tuple[TfidfVectorizer, ...], texts: list[str]) -> sparse.csr_matrix:
    """One L2-normalised row per text (each vectorizer block weighs the same)."""
    blocks = [v.transform(texts) for v in vectorizers]
    return sparse.hstack(blocks, format="csr") / np.sqrt(len(blocks))


def training_samples(corpus: Corpus, examples: tuple[Example, ...]) -> tuple[list[str], np.ndarray]:
    """Taxonomy text plus examples; a multi-label example is one sample per label."""
    texts, labels = list(corpus.base_texts), list(corpus.base_labels)
    for example in examples:
        for skill_id in example.skill_ids:
            texts.append(example.text)
            labels.append(corpus.label_of(skill_id))
    return texts, np.asarray(labels)


def as_embedders(embedders: Embedder | Sequence[Embedder] | None) -> tuple[Embedder, ...]:
    if embedders is None:
        return ()
    return tuple(embedders) if isinstance(embedders, (list, tuple)) else (embedders,)


def fit_classifier(texts: list[str], labels: np.ndarray,
                   embedders: Embedder | Sequence[Embedder] | None = None) -> Classifier:
    """Fit the vectorizers and a one-vs-rest linear SVM, and a semantic head per embedder."""
    vectorizers = make_vectorizers()
    for v in vectorizers:
        v.fit(texts)
    svm = LinearSVC(C=SVM_C, random_state=SEED).fit(featurize(vectorizers, texts), labels)
    heads = []
    for embedder in as_embedders(embedders):
        c = getattr(embedder, "head_c", HEAD_C)  # the static embedder asks for its own
        semantic = LinearSVC(C=c, random_state=SEED).fit(embedder.embed(texts), labels)
        heads.append(Head(embedder, semantic.coef_.astype(np.float32),
                          semantic.intercept_.astype(np.float32)))
    return Classifier(vectorizers, svm.coef_.astype(np.float32), svm.intercept_.astype(np.float32),
                      tuple(heads))


def lexical_scores(classifier: Classifier, texts: list[str]) -> np.ndarray:
    """Raw TF-IDF SVM scores, shape (len(texts), n_items)."""
    X = featurize(classifier.vectorizers, texts)
    return np.asarray(X @ classifier.coef.T) + classifier.intercept


def scores(classifier: Classifier, texts: list[str], head: int = 0) -> np.ndarray:
    """Raw scores: lexical, plus FUSION_WEIGHT times the semantic head's (the first by default) when
    there is one."""
    raw = lexical_scores(classifier, texts)
    if len(classifier.heads) > head:
        h = classifier.heads[head]
        raw = raw + FUSION_WEIGHT * (h.embedder.embed(texts) @ h.coef.T + h.intercept)
    return raw


def held_out_queries(examples: list[Example], rng: np.random.Generator) -> list[Example]:
    """Each held-out example alone, and paired with another about different items (two-topic records)."""
    order = rng.permutation(len(examples))
    pairs = []
    for i, j in zip(range(len(examples)), order):
        a, b = examples[i], examples[j]
        if not set(a.skill_ids) & set(b.skill_ids):
            pairs.append(Example(f"{a.text} {b.text}", tuple(dict.fromkeys(a.skill_ids + b.skill_ids))))
    return examples + pairs


def top_rank_features(raw: np.ndarray, queries: list[Example], corpus: Corpus,
                      features: list, targets: list) -> None:
    """Append [score, score - best] and relevance of each query's top ranks."""
    top = np.argsort(-raw, axis=1)[:, :CALIBRATION_TOP]
    for row, query in enumerate(queries):
        gold = {corpus.label_of(s) for s in query.skill_ids}
        best = raw[row, top[row, 0]]
        for label in top[row]:
            features.append((raw[row, label], raw[row, label] - best))
            targets.append(label in gold)


def calibration_data(corpus: Corpus, embedders: Embedder | Sequence[Embedder] | None = None
                     ) -> dict[str | int, tuple[np.ndarray, np.ndarray]]:
    """Calibration features and relevance of held-out queries (k-fold), for the lexical scores alone
    (key "lexical") and for the fused scores with each embedder's head (key: its position)."""
    rng = np.random.default_rng(SEED)
    examples = list(corpus.examples)
    embedders = as_embedders(embedders)
    data: dict[str | int, tuple[list, list]] = {"lexical": ([], [])}
    data.update({i: ([], []) for i in range(len(embedders))})
    for train, test in KFold(CALIBRATION_FOLDS, shuffle=True, random_state=SEED).split(examples):
        classifier = fit_classifier(*training_samples(corpus, tuple(examples[i] for i in train)), embedders)
        queries = held_out_queries([examples[i] for i in test], rng)
        texts = [q.text for q in queries]
        top_rank_features(lexical_scores(classifier, texts), queries, corpus, *data["lexical"])
        for i in range(len(embedders)):
            top_rank_features(scores(classifier, texts, i), queries, corpus, *data[i])
    return {kind: (np.asarray(f), np.asarray(t, dtype=int)) for kind, (f, t) in data.items() if f}


def fit_logistic(features: np.ndarray, targets: np.ndarray) -> Calibrator:
    model = LogisticRegression(C=1.0).fit(features, targets)
    (a, b), c = model.coef_[0], model.intercept_[0]
    return Calibrator(float(max(a, 0.0)), float(max(b, 0.0)), float(c))


def fit_calibrators(corpus: Corpus, embedders: Embedder | Sequence[Embedder] | None = None
                    ) -> tuple[tuple[Calibrator, ...], Calibrator]:
    """Platt-style logistic calibration on held-out (k-fold) synthetic queries: (per head, lexical)."""
    data = calibration_data(corpus, embedders)
    lexical = fit_logistic(*data["lexical"])
    return tuple(fit_logistic(*data[i]) for i in range(len(as_embedders(embedders)))), lexical


def fit_model(corpus: Corpus, embedders: Embedder | Sequence[Embedder] | None = None) -> SkillModel:
    """Fit the calibrators (k-fold), then the classifier on all the training text (a semantic head per
    embedder, the first being the default)."""
    heads, lexical_calibrator = fit_calibrators(corpus, embedders)
    classifier = fit_classifier(*training_samples(corpus, corpus.examples), embedders)
    items = corpus.items
    return SkillModel(corpus.version, corpus.ids, tuple(i.name_ja for i in items),
                      tuple(i.name_en for i in items), classifier, heads[0] if heads else lexical_calibrator,
                      lexical_calibrator, heads)
