"""What an import changed: the comparison rule on its own, then around real imports on the database."""

from __future__ import annotations

from accounts.service import AccountService
from skills.changes import compare, what_changed
from skills.profile import EvidencePiece, compute_profile
from skills.service import ProfileService
from tests.conftest import TEST_PASSWORD
from tests.skills.factories import COURSES, courses_csv


def _piece(source: str, skill_id: str, level: str, weight: float = 0.9) -> EvidencePiece:
    return EvidencePiece(f"{source}-{skill_id}-{level}", source, f"{source}-1", skill_id, level, weight)


def test_gained_raised_lowered_lost_and_status_changes_are_told_apart() -> None:
    before = compute_profile([_piece("self", "v2-data-platform", "b", 0.4), _piece("record", "v2-ux", "c"),
                              _piece("record", "v2-security", "b"), _piece("record", "v2-cloud", "b")])
    after = compute_profile([_piece("self", "v2-data-platform", "b", 0.4), _piece("record", "v2-data-platform", "b"),
                             _piece("record", "v2-ux", "a"), _piece("record", "v2-security", "d"),
                             _piece("record", "v2-marketing", "c")])
    changes = compare(before, after)
    assert [(c.kind, c.skill_id) for c in changes.items] == [
        ("gained", "v2-marketing"), ("raised", "v2-ux"), ("status", "v2-data-platform"),
        ("lowered", "v2-security"), ("lost", "v2-cloud")]
    status = changes.of("status")[0]
    assert status.before == ("b", "self_declared") and status.after == ("b", "evidenced") and status.status_raised
    assert changes.counts == {"gained": 1, "raised": 1, "status": 1, "lowered": 1, "lost": 1}


def test_the_same_profile_has_no_changes_even_when_confidence_moves() -> None:
    profile = compute_profile([_piece("record", "v2-ux", "b", 0.9)])
    assert not compare(profile, profile)
    stronger = compute_profile([_piece("record", "v2-ux", "b", 0.9), _piece("exam", "v2-ux", "b", 0.9)])
    assert not compare(profile, stronger)


async def test_what_changed_around_a_self_assessment_then_a_records_import(db, settings) -> None:
    person = await AccountService(db).sign_up("changes@example.jp", TEST_PASSWORD, "変化", "ja", confirmed=True)
    service = ProfileService(db, settings)
    _, first = await what_changed(service, person.id,
                                  lambda: service.set_self_level(person.id, "v2-data-platform", "c"))
    assert [(c.kind, c.skill_id, c.after) for c in first.items] == [
        ("gained", "v2-data-platform", ("c", "self_declared"))]

    report, second = await what_changed(service, person.id,
                                        lambda: service.import_records(person.id, courses_csv(COURSES).encode(),
                                                                       "records.csv"))
    mapped = {s["skill_id"] for row in report.imported for s in row["skills"]}
    assert mapped and second.of("gained")
    assert {c.skill_id for c in second.of("gained")} <= mapped
    assert not second.of("lost") and not second.of("lowered")
    if "v2-data-platform" in mapped:  # records outrank the person's own word on the same item
        assert any(c.skill_id == "v2-data-platform" for c in second.of("status") + second.of("raised"))

    _, again = await what_changed(service, person.id,
                                  lambda: service.set_self_level(person.id, "v2-data-platform", "c"))
    assert not again  # the same input twice changes nothing
