"""The loaded model's scores: a batch scores like one text at a time, repeated texts are computed once."""

import dataclasses

import numpy as np

from skills.mapping import get_model
from tests.skills.mapping.helpers import HashingEmbedder

TEXTS = ["pythonで学ぶ機械学習入門 回帰と分類の基礎", "aws cloud architecture vpc and iam",
         "情報セキュリティマネジメント試験 対策講座", "agile project management with scrum"]


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        return super().embed(texts)


def test_fused_scores_of_a_batch_equal_the_scores_of_one_text_at_a_time():
    model = get_model("2.0")
    assert model.semantic, model.meta["semantic_status"]
    engine = dataclasses.replace(model, embedder=model.embedder.inner)  # no memo: each call embeds
    batch = engine.scores(TEXTS)
    one_by_one = np.vstack([engine.scores([text]) for text in TEXTS])
    np.testing.assert_allclose(batch, one_by_one, atol=1e-5)
    assert batch.shape == (len(TEXTS), len(model.ids))
    lexical = engine.scores(TEXTS, semantic=False)
    assert np.abs(batch - lexical).max() > 0.05  # the semantic half really is in the fused scores


def test_a_repeated_text_is_featurised_and_embedded_once_with_the_same_scores():
    model = get_model("2.0")
    counting = CountingEmbedder()
    fake = dataclasses.replace(model, embedder=counting)  # the head's width does not match: use its dim
    fake = dataclasses.replace(fake, head=dataclasses.replace(
        model.head, coef_t=np.ones((counting.dim, len(model.ids)), np.float32)))
    texts = [TEXTS[0], TEXTS[1], TEXTS[0], TEXTS[0], TEXTS[2]]
    scores = fake.scores(texts)
    assert counting.calls == [[TEXTS[0], TEXTS[1], TEXTS[2]]]
    np.testing.assert_array_equal(scores[0], scores[2])
    np.testing.assert_array_equal(scores[0], scores[3])
    np.testing.assert_allclose(scores, np.vstack([fake.scores([t]) for t in texts]), atol=1e-5)
