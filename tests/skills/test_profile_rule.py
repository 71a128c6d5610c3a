"""The aggregation rule (docs/skills-profile.md) on hand-built evidence: exact levels, statuses, confidences."""

from __future__ import annotations

import random

from skills.profile import EvidencePiece, combine_weights, compute_profile


def piece(pid: str, source: str, skill: str, level: str, weight: float, source_id: str | None = None) -> EvidencePiece:
    return EvidencePiece(pid, source, source_id or f"{source}-{pid}", skill, level, weight, label=pid)


def test_highest_level_wins_and_a_verified_credential_at_that_level_makes_it_verified() -> None:
    profile = compute_profile([
        piece("r1", "record", "v2-backend", "c", 0.5),
        piece("c1", "credential", "v2-backend", "b", 1.0),
        piece("e1", "exam", "v2-backend", "d", 0.9),
    ])
    item = profile.items["v2-backend"]
    assert (item.level, item.status) == ("b", "verified")
    assert item.confidence == 1.0  # only the credential is at or above b
    assert item.levels == {"verified": "b", "evidenced": "c"}


def test_evidence_above_the_verified_level_gives_evidenced() -> None:
    item = compute_profile([
        piece("c1", "credential", "v2-cloud-infrastructure", "d", 1.0),
        piece("r1", "record", "v2-cloud-infrastructure", "c", 0.3),
        piece("r2", "record", "v2-cloud-infrastructure", "c", 0.5),
    ]).items["v2-cloud-infrastructure"]
    assert (item.level, item.status) == ("c", "evidenced")
    assert item.confidence == round(1 - (1 - 0.3) * (1 - 0.5), 2) == 0.65


def test_a_weak_piece_cannot_lift_a_verified_level() -> None:
    item = compute_profile([
        piece("c1", "credential", "v2-data-platform", "c", 1.0),
        piece("r1", "record", "v2-data-platform", "b", 0.25),
    ]).items["v2-data-platform"]
    assert (item.level, item.status, item.confidence) == ("c", "verified", 1.0)


def test_weak_evidence_alone_gives_d_and_weak_pieces_add_up() -> None:
    profile = compute_profile([
        piece("r1", "record", "v2-frontend", "b", 0.2),
        piece("r2", "record", "v2-backend", "b", 0.2),
        piece("r3", "record", "v2-backend", "b", 0.2),
    ])
    assert (profile.items["v2-frontend"].level, profile.items["v2-frontend"].confidence) == ("d", 0.2)
    assert (profile.items["v2-backend"].level, profile.items["v2-backend"].confidence) == ("b", 0.36)


def test_self_declared_never_counts_when_other_evidence_exists_and_is_never_verified() -> None:
    profile = compute_profile([
        piece("s1", "self", "v2-machine-learning", "a", 0.2),
        piece("r1", "record", "v2-machine-learning", "d", 0.4),
        piece("s2", "self", "v2-marketing", "b", 0.2),
    ])
    ml = profile.items["v2-machine-learning"]
    assert (ml.level, ml.status, ml.confidence) == ("d", "evidenced", 0.4)
    assert ml.levels["self_declared"] == "a"
    marketing = profile.items["v2-marketing"]
    assert (marketing.level, marketing.status, marketing.confidence) == ("b", "self_declared", 0.2)


def test_one_source_counts_once_per_skill_item() -> None:
    profile = compute_profile([
        piece("x1", "exam", "v2-privacy", "c", 0.5, source_id="exam-1"),
        piece("x2", "exam", "v2-privacy", "c", 0.7, source_id="exam-1"),
    ])
    item = profile.items["v2-privacy"]
    assert item.confidence == 0.7
    assert [p.id for p in item.evidence] == ["x2"]


def test_same_evidence_in_any_order_gives_the_same_profile() -> None:
    pieces = [piece(f"p{i}", source, f"v2-skill-{i % 7}", "abcd"[i % 4], round(0.1 + (i % 9) / 10, 2))
              for i, source in enumerate(["record", "exam", "credential", "ob2_badge", "self"] * 20)]
    shuffled = pieces[:]
    random.Random(4).shuffle(shuffled)
    assert compute_profile(pieces) == compute_profile(shuffled)
    assert compute_profile(pieces).evidence_count == 100


def test_empty_evidence_gives_an_empty_profile() -> None:
    assert compute_profile([]).items == {}


def test_combine_weights_caps_each_weight() -> None:
    assert combine_weights([]) == 0.0
    assert combine_weights([1.5]) == 1.0
    assert combine_weights([0.5, 0.5]) == 0.75


def test_500_pieces_take_well_under_50_ms() -> None:
    import statistics
    import time

    pieces = [piece(f"p{i}", ["record", "exam", "credential", "ob2_badge", "self"][i % 5], f"v2-skill-{i % 67}",
                    "abcd"[i % 4], 0.1 + (i % 9) / 10, source_id=f"s{i % 150}") for i in range(500)]
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        compute_profile(pieces)
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.05
