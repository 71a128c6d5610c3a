"""Trend cells: small supply cells suppressed, with complementary suppression against subtraction."""

from datetime import UTC, datetime

from matching.models import JobPosting
from matching.trends import THRESHOLD, cells_of, demand_counts, suppressed_group


def test_cells_under_ten_are_hidden_and_so_is_their_complement():
    shown, national = suppressed_group({"JP-13": 40, "JP-27": 12, "JP-01": 3})
    assert national == 55
    assert shown["JP-01"] is None
    assert shown["JP-27"] is None  # else 55 - 40 - 12 = 3 would give JP-01 away
    assert shown["JP-13"] == 40


def test_two_small_cells_that_together_reach_ten_need_no_more():
    shown, national = suppressed_group({"JP-13": 40, "JP-27": 6, "JP-01": 5})
    assert (shown["JP-13"], shown["JP-27"], shown["JP-01"], national) == (40, None, None, 51)


def test_a_small_national_cell_hides_everything():
    shown, national = suppressed_group({"JP-13": 5, "JP-27": 4})
    assert national is None and set(shown.values()) == {None}


def test_no_published_supply_cell_is_between_one_and_nine():
    counts = {("v2-backend", p, 24_300 + m): c for m, (p, c) in
              enumerate([("JP-13", 25), ("JP-27", 9), ("JP-13", 1), ("unknown", 14), ("JP-01", 10)])}
    for cell in cells_of("supply", "skill", counts, suppress=True):
        assert cell.count is None or cell.count >= THRESHOLD
        assert cell.suppressed == (cell.count is None)


def test_demand_counts_published_postings_by_month_and_prefecture():
    when = datetime(2026, 3, 15, tzinfo=UTC)
    needs = [{"skill_id": "v2-sre", "level": "b"}, {"skill_id": "v2-backend", "level": "d"}]
    postings = [JobPosting(title="a", status="published", published_at=when, prefecture="JP-13",
                           role_id="se-sre", requirements=needs),
                JobPosting(title="b", status="draft", requirements=[{"skill_id": "v2-sre", "level": "a"}])]
    month = 2026 * 12 + 2
    assert demand_counts(postings, "skill", "c", (month, month)) == {("v2-sre", "JP-13", month): 1}
    assert demand_counts(postings, "role", "d", (month, month)) == {("se-sre", "JP-13", month): 1}
    assert demand_counts(postings, "skill", "d", (month + 1, month + 2)) == {}
