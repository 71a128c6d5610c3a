"""The in-memory candidate index: encoding, filters, ranking, pagination, incremental changes."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from matching.index import CandidateIndex, IndexedProfile, decode, encode
from matching.query import CandidateQuery, SkillFilter, search
from matching.roles import Held, Target, role_targets, score_target
from taxonomies.dss import get_taxonomy

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def person(n: int, prefecture: str | None = "JP-13", days_ago: int = 0, name: str | None = None,
           **skills: Held) -> IndexedProfile:
    return IndexedProfile(uuid.UUID(int=n + 1), name or f"P{n}", prefecture,
                          {f"v2-{k.replace('_', '-')}": v for k, v in skills.items()},
                          NOW - timedelta(days=days_ago))


def new_index(people=()) -> CandidateIndex:
    tx = get_taxonomy()
    index = CandidateIndex([s.id for v in tx.versions for s in tx.skill_items(v)], role_targets(), capacity=4)
    index.load(people)
    return index


def ids(index, page):
    return [index.person_id(h.row).int - 1 for h in page.hits]


def test_codes_round_trip_and_order_by_level():
    for level in "abcd":
        for status in ("verified", "evidenced", "self_declared"):
            assert decode(encode(level, status)) == Held(level, status)
    assert encode("a", "self_declared") > encode("b", "verified") > encode("c", "verified")
    assert decode(0) is None


def test_filters_require_every_item_at_its_level():
    index = new_index([person(0, backend=Held("b"), sre=Held("c")),
                       person(1, backend=Held("c"), sre=Held("a")), person(2, backend=Held("a"))])
    query = CandidateQuery(filters=(SkillFilter("v2-backend", "b"), SkillFilter("v2-sre", "c")))
    page = search(index, query)
    assert page.total == 1 and ids(index, page) == [0]
    any_page = search(index, CandidateQuery(filters=query.filters, match="any"))
    assert any_page.total == 3


def test_verified_only_ignores_weaker_evidence():
    index = new_index([person(0, backend=Held("a", "evidenced")), person(1, backend=Held("c", "verified")),
                       person(2, backend=Held("b", "verified"))])
    page = search(index, CandidateQuery(filters=(SkillFilter("v2-backend", "c"),), verified_only=True))
    assert sorted(ids(index, page)) == [1, 2]


def test_ranking_by_coverage_matches_the_pure_scoring():
    posting = Target("posting", "x", "x", "x",
                     {"v2-backend": "a", "v2-cloud-infrastructure": "b", "v2-sre": "c"})
    people = [person(0, backend=Held("b")), person(1, backend=Held("a", "verified"), sre=Held("c")),
              person(2, backend=Held("a", "verified"), cloud_infrastructure=Held("b", "verified"),
                     sre=Held("c")),
              person(3, marketing=Held("a"))]
    index = new_index(people)
    page = search(index, CandidateQuery(target=posting, limit=10))
    assert ids(index, page) == [2, 1, 0, 3]
    for hit in page.hits:
        exact = score_target(index.profile_of(hit.row), posting).coverage
        assert hit.coverage == pytest.approx(exact, abs=1e-3)


def test_role_templates_use_the_precomputed_role_scores():
    index = new_index([person(0, backend=Held("a", "verified"), web_app_basics=Held("a")),
                       person(1, frontend=Held("a", "verified"), web_app_basics=Held("a"))])
    backend = next(t for t in role_targets() if t.id == "se-backend")
    page = search(index, CandidateQuery(target=backend))
    assert ids(index, page) == [0, 1]
    exact = score_target(index.profile_of(page.hits[0].row), backend).coverage
    assert page.hits[0].coverage == pytest.approx(exact, abs=1e-3)


def test_pagination_is_stable_and_ties_go_to_the_most_recently_updated():
    index = new_index([person(n, days_ago=n, backend=Held("b")) for n in range(25)])
    query = CandidateQuery(filters=(SkillFilter("v2-backend"),), limit=10)
    pages = [search(index, CandidateQuery(filters=query.filters, offset=o, limit=10)) for o in (0, 10, 20)]
    assert [p.total for p in pages] == [25, 25, 25]
    assert [i for p in pages for i in ids(index, p)] == list(range(25))


def test_prefecture_and_min_coverage_filter():
    index = new_index([person(0, "JP-13", backend=Held("a", "verified")),
                       person(1, "JP-27", backend=Held("a")), person(2, None, backend=Held("d"))])
    flt = (SkillFilter("v2-backend", "d"),)
    assert ids(index, search(index, CandidateQuery(filters=flt, prefecture="JP-27"))) == [1]
    assert search(index, CandidateQuery(filters=flt, prefecture="JP-01")).total == 0
    target = Target("posting", "x", "x", "x", {"v2-backend": "a"})
    assert ids(index, search(index, CandidateQuery(target=target, min_coverage=0.7))) == [0]


def test_incremental_insert_update_and_remove():
    index = new_index([person(0, backend=Held("b"))])
    flt = CandidateQuery(filters=(SkillFilter("v2-frontend", "c"),))
    assert search(index, flt).total == 0
    for n in range(1, 10):  # grows past the initial capacity
        index.upsert(person(n, frontend=Held("b")))
    assert search(index, flt).total == 9 and len(index) == 10
    index.upsert(person(3, frontend=Held("d")))  # update in place
    assert search(index, flt).total == 8 and len(index) == 10
    assert index.remove(uuid.UUID(int=5)) and not index.remove(uuid.UUID(int=999))
    assert search(index, flt).total == 7 and index.row_of(uuid.UUID(int=5)) is None
    index.upsert(person(42, frontend=Held("a")))  # reuses the freed row
    assert index.size == 10 and index.row_of(uuid.UUID(int=43)) is not None


def test_an_empty_index_answers():
    page = search(new_index(), CandidateQuery(filters=(SkillFilter("v2-backend"),)))
    assert page.total == 0 and page.hits == []


def test_posting_lists_stay_correct_when_people_gain_lose_and_regain_items():
    index = new_index([person(n, backend=Held("c")) for n in range(5)])
    for skills in ({"frontend": Held("b")}, {}, {"frontend": Held("a", "verified")}, {"frontend": Held("c")}):
        index.upsert(person(1, **skills))
        index.upsert(person(2, **skills))
    posting = Target("posting", "x", "x", "x", {"v2-frontend": "b"})
    for query in (CandidateQuery(filters=(SkillFilter("v2-frontend"),)),
                  CandidateQuery(filters=(SkillFilter("v2-frontend"), SkillFilter("v2-backend")),
                                 match="any"),
                  CandidateQuery(target=posting)):
        found = ids(index, search(index, query))
        assert {1, 2} <= set(found) and len(set(found)) == len(found)
    (hit, *_) = search(index, CandidateQuery(target=posting)).hits
    assert hit.coverage == pytest.approx(0.6 * 2 / 3, abs=1e-3)  # c of b, self-declared: counted once
