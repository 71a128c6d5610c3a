"""The evaluation stays above its floors and beats its baselines; its job texts are not training data."""

import pytest

from matching.eval.data import load_jobs, load_profiles
from matching.eval.run import evaluate
from skills.mapping.corpus import load_examples
from skills.mapping.text import normalize_text


@pytest.fixture(scope="module")
def report():
    return evaluate()


def test_the_sets_are_as_documented():
    profiles, jobs = load_profiles(), load_jobs()
    assert len(profiles) == 96 and len({p.id for p in profiles}) == 96
    assert len(jobs) == 60 and {j.lang for j in jobs} == {"ja", "en"}
    training = {e.text for e in load_examples()}
    assert not any(normalize_text(j.text) in training for j in jobs)


def test_role_recommendation_floors_and_baselines(report):
    roles = report["role_recommendation"]
    engine, cosine = roles["engine (fit)"]["all"], roles["cosine baseline"]["all"]
    assert engine["top1"] >= 0.9 and engine["ndcg@5"] >= 0.95
    assert engine["top1"] >= cosine["top1"] and engine["ndcg@5"] >= cosine["ndcg@5"]
    assert engine["top1"] > roles["coverage only"]["all"]["top1"]


def test_job_text_floors_and_baselines(report):
    skills, roles = report["job_text"]["skills"], report["job_text"]["roles"]
    engine = skills["engine proposal"]["all"]["precision@5"]
    assert engine >= 0.4 and engine > 2 * skills["keyword baseline"]["all"]["precision@5"]
    assert roles["engine (skills + titles)"]["all"]["top1"] >= 0.8
    held_out = {name: by_part["held_out"]["top1"] for name, by_part in roles.items()}
    assert held_out["engine (skills + titles)"] > held_out["job-title keywords only"]
