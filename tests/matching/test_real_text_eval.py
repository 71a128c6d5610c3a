"""The real-text evaluation: valid labels, a fixed split, honest metrics with intervals."""

import hashlib

import pytest

from matching.eval import real_text
from taxonomies.dss import get_taxonomy


@pytest.fixture(scope="module")
def result():
    # the dev split: the same code paths as the report, half the embedding work
    return real_text.evaluate("dev")


def test_labels_are_dss_ids_and_rows_carry_their_source():
    tx = get_taxonomy()
    items, roles = {s.id for s in tx.skill_items("2.0")}, {r.id for r in tx.roles()}
    records, postings = real_text.load("records"), real_text.load("postings")
    assert len(records) >= 30 and len(postings) >= 20
    assert len({r["id"] for r in records + postings}) == len(records) + len(postings)
    for row in records + postings:
        assert row["lang"] in ("ja", "en") and row["source"] and row["retrieved"] and row["skills"]
        assert set(row["skills"]) <= items
    assert all(r["level"] in "abcd" for r in records)
    assert all({p["role"], *p["also_roles"]} <= roles for p in postings)


def test_split_is_fixed_by_the_id_hash_and_covers_both_languages():
    rows = real_text.load("records")
    for row in rows:
        expected = "dev" if hashlib.sha256(row["id"].encode()).digest()[0] % 2 == 0 else "test"
        assert real_text.split_of(row["id"]) == expected
    dev, test = real_text.load("records", "dev"), real_text.load("records", "test")
    assert len(dev) + len(test) == len(rows) and {r["lang"] for r in dev} == {r["lang"] for r in test} == {"ja", "en"}


def test_record_metrics_count_what_they_say():
    rows = [{"id": "a", "lang": "ja", "skills": ["x", "y"]}, {"id": "b", "lang": "en", "skills": ["z"]}]
    scores = real_text.record_scores(rows, [["y", "q", "x"], ["q", "w", "e"]])
    assert scores["p@1"]["all"]["mean"] == 0.5 and scores["p@1"]["ja"]["mean"] == 1.0
    assert scores["hit@3"]["en"]["mean"] == 0.0 and scores["recall@3"]["all"]["mean"] == 0.5


def test_bootstrap_interval_brackets_the_mean():
    cell = real_text.bootstrap([1, 0, 1, 1, 0, 1, 1, 1])
    assert cell["low"] <= cell["mean"] <= cell["high"] and cell["low"] < cell["high"] and cell["n"] == 8
    assert real_text.bootstrap([])["mean"] is None


@pytest.mark.timeout(900)  # embeds ~80 texts; slow on a busy 2-core machine
def test_full_evaluation_reports_every_system_per_language(result):
    records = result["records"]
    fused, lexical = "mapper (fused: TF-IDF + e5 head)", "mapper, lexical half only"
    assert set(records) == {fused, lexical, "TF-IDF cosine baseline", "keyword baseline"}
    for metrics in records.values():
        for metric in ("p@1", "hit@3", "recall@3"):
            assert metrics[metric]["all"]["n"] == metrics[metric]["ja"]["n"] + metrics[metric]["en"]["n"]
    mapper, keyword = records[fused], records["keyword baseline"]
    assert mapper["hit@3"]["all"]["mean"] > keyword["hit@3"]["all"]["mean"]
    # the two halves are different systems: the fused ranking must not be the lexical one relabelled
    assert records[fused] != records[lexical]
    assert set(result["levels"]) == {"mapper level rule", "hours-only rule", "always c"}
    engine = result["postings"]["engine"]
    assert engine["role top-1 lenient"]["all"]["mean"] >= engine["role top-1 strict"]["all"]["mean"]
    assert set(result["postings"]["engine top role per posting"]) == {p["id"] for p in real_text.load("postings", "dev")}
