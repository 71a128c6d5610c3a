"""Comparisons and a small operator-style embedder shared by the mapper tests."""

import hashlib
import math
from functools import cache

import numpy as np

from skills.mapping import embedding
from skills.mapping.corpus import build_corpus
from skills.mapping.model import SkillModel, fit_model
from skills.mapping.runtime import Calibrator


def same_calibrator(left: Calibrator, right: Calibrator) -> bool:
    """Equal up to float rounding: a logistic fit on another CPU differs in the last bits (~1e-15
    relative), while any change of data or method moves the coefficients by far more than 1e-9."""
    return all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
               for x, y in ((left.a, right.a), (left.b, right.b), (left.c, right.c)))


class HashingEmbedder:
    """A deterministic bag-of-character-bigrams embedder: what an operator's own local model looks like
    to the platform (name, dim, embed), without a second neural model in the test suite."""

    name = "hashing-test"
    dim = 64

    def embed(self, texts):
        out = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            for i in range(len(text) - 1):
                out[row, hashlib.blake2b(text[i:i + 2].encode(), digest_size=2).digest()[0] % self.dim] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def hashing_embedder():
    return HashingEmbedder()


@cache
def fresh_fit(version: str) -> SkillModel:
    """One fresh fit per DSS version and test process (a fit embeds ~2,000 texts)."""
    return fit_model(build_corpus(version), embedding.load_embedder())
