"""The evaluation set: the model meets its floor and beats the keyword baseline, ja and en alike."""

import json
from pathlib import Path

import pytest

from skills.mapping.corpus import EXAMPLES_PATH
from skills.mapping.evaluate import evaluate, load_eval
from skills.mapping.text import normalize_text

EVAL_PATH = Path(__file__).parents[2] / "data" / "records_eval.jsonl"


@pytest.fixture(scope="module")
def report():
    return evaluate(load_eval(EVAL_PATH))


def test_eval_set_shape():
    records = load_eval(EVAL_PATH)
    assert len(records) >= 150
    assert sum(r["lang"] == "ja" for r in records) >= len(records) // 2 - 5
    assert all(r["skills"] for r in records)


def test_eval_titles_are_not_in_the_training_examples():
    training = {normalize_text(r["text"]) for r in json.loads(EXAMPLES_PATH.read_text("utf-8"))}
    assert not [r["title"] for r in load_eval(EVAL_PATH) if normalize_text(r["title"]) in training]


@pytest.mark.parametrize("subset", ["ja", "en", "all"])
def test_model_meets_floor_and_beats_baseline(report, subset):
    model, baseline = report["model"][subset], report["baseline"][subset]
    assert model["capped_precision_at_3"] >= 0.75
    assert model["hit_at_1"] >= 0.85
    for metric in ("precision_at_3", "capped_precision_at_3", "recall_at_3", "micro_f1"):
        assert model[metric] >= baseline[metric] + 0.2, metric


def test_confidences_are_calibrated_within_tolerance(report):
    assert report["calibration"]["ece"] <= 0.15
