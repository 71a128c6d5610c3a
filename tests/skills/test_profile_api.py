"""End to end: a learner's credentials, 20 courses and an exam become a verified DSS profile with evidence
links, history, summaries and the gap to a role."""

from __future__ import annotations

import math

from taxonomies.dss import level_rank
from tests.skills.factories import COURSES, courses_csv, ob3_credential
from tests.skills.helpers import hold_credential, learner, send, upload

ML, DATA = "v2-machine-learning", "v2-data-platform"


def expected_item(evidence: list[dict]) -> tuple[str, str]:
    """Level and status the written rule gives for an item's evidence (one piece per source already)."""
    counting = [e for e in evidence if e["tier"] != "self_declared"]
    if not counting:
        return max((e["level"] for e in evidence), key=level_rank), "self_declared"

    def support(level: str) -> float:
        return round(1 - math.prod(1 - e["weight"] for e in counting if level_rank(e["level"]) >= level_rank(level)), 2)

    level = next((lv for lv in "abcd" if support(lv) >= 0.3), "d")
    verified = any(e["tier"] == "verified" and level_rank(e["level"]) >= level_rank(level) for e in counting)
    return level, "verified" if verified else "evidenced"


async def test_courses_and_wallet_credentials_give_a_profile_with_evidence_links(client, db) -> None:
    person_id = await learner(client)
    await hold_credential(db, person_id, ob3_credential("Machine Learning Engineer Badge", [(ML, "b"), (DATA, "c")]))
    await hold_credential(db, person_id, ob3_credential("Security Basics", [("v2-security-management", "c")]))
    await hold_credential(db, person_id, ob3_credential("Unverified Cloud Badge", [("v2-cloud-infrastructure", "a")]),
                          verified=False)

    response = await upload(client, courses_csv().encode("utf-8"))
    assert response.status_code == 201, response.text
    report = response.json()
    assert len(report["imported"]) == len(COURSES) == 20
    assert report["errors"] == [] and report["duplicates"] == []

    profile = (await client.get("/api/v1/me/profile")).json()
    items = {i["skill_id"]: i for i in profile["items"]}
    # credential alignments with weight 1.0 decide these whatever the courses add below them
    assert (items[ML]["level"], items[ML]["status"], items[ML]["confidence"]) == ("b", "verified", 1.0)
    assert (items[DATA]["level"], items[DATA]["status"]) == ("c", "verified")
    assert (items["v2-security-management"]["level"], items["v2-security-management"]["status"]) == ("c", "verified")
    assert "v2-cloud-infrastructure" not in items or items["v2-cloud-infrastructure"]["status"] != "verified"
    for item in items.values():
        assert (item["level"], item["status"]) == expected_item(item["evidence"]), item
        for piece in item["evidence"]:
            assert piece["href"].startswith("/api/v1/me/"), piece
            assert (await client.get(piece["href"])).status_code == 200, piece["href"]
    sources = {p["source"] for i in items.values() for p in i["evidence"]}
    assert sources == {"credential", "record"}
    assert profile["counts"]["verified"] >= 3 and profile["counts"]["evidenced"] >= 5


async def test_history_keeps_a_snapshot_per_change_of_the_profile(client) -> None:
    await learner(client)
    await upload(client, courses_csv(COURSES[:3]).encode())
    await send(client, "POST", "/api/v1/me/exams", json={"exam": "FE", "date": "2025-04-20", "passed": True})
    await send(client, "PUT", "/api/v1/me/self-assessment", json={"skill_id": "v2-marketing", "level": "c"})
    await send(client, "PUT", "/api/v1/me/self-assessment", json={"skill_id": "v2-marketing", "level": "c"})

    history = (await client.get("/api/v1/me/profile/history")).json()
    assert [h["reason"] for h in history] == ["records", "exam", "self_assessment"]  # the repeat changed nothing
    assert history[0]["created_at"] <= history[1]["created_at"] <= history[2]["created_at"]
    assert "v2-marketing" not in history[1]["items"] and history[2]["items"]["v2-marketing"]["level"] == "c"
    assert history[1]["items"]["v2-computer-science"]["level"] == "c"  # FE: computer science at c


async def test_summaries_cover_every_category_and_subcategory(client) -> None:
    await learner(client)
    await send(client, "POST", "/api/v1/me/exams", json={"exam": "sg", "date": "2024-10-01", "passed": True})
    summary = (await client.get("/api/v1/me/profile/summary")).json()
    assert len(summary["categories"]) == 5 and len(summary["subcategories"]) == 13
    assert sum(c["items"] for c in summary["categories"]) == 67
    security = [c for c in summary["categories"] if c["held"]]
    assert security and all(c["by_status"]["evidenced"] == c["held"] for c in security)


async def test_gap_to_a_role_shows_needed_and_held_levels_with_provenance(client) -> None:
    await learner(client)
    await send(client, "POST", "/api/v1/me/exams", json={"exam": "fe", "date": "2025-04-20", "passed": True})
    response = await client.get("/api/v1/me/gap", params={"role": "se-backend"})
    assert response.status_code == 200, response.text
    gap = response.json()
    rows = {r["skill_id"]: r for r in gap["items"]}
    # only what the role needs is listed; the rest of the 67 items is counted as not required
    assert 10 < len(rows) < 40 and len(rows) + gap["not_required"] == 67
    needs = [r["need"] for r in gap["items"]]
    assert set(needs) == {"core", "useful"} and needs == sorted(needs)  # core needs come first
    cs = rows["v2-computer-science"]
    assert cs["need"] == "core" and cs["held"] == "c" and cs["status"] == "evidenced"
    assert cs["result"] == ("met" if level_rank("c") >= level_rank(cs["needed"]) else "partly_met")
    assert "v2-marketing" not in rows  # a backend engineer's profile does not require marketing
    assert any(r["result"] == "missing" and r["held"] is None for r in rows.values())
    assert cs["provenance"] == "estimated" and cs["provenance_label_en"] == "estimated by skillpass"
    assert sum(gap["counts"].values()) == len(rows) and gap["met_verified"] == 0
    assert sum(gap["core_counts"].values()) == needs.count("core")


async def test_gap_to_an_unknown_role_is_404_and_a_missing_role_is_400(client) -> None:
    await learner(client)
    assert (await client.get("/api/v1/me/gap", params={"role": "astronaut"})).status_code == 404
    assert (await client.get("/api/v1/me/gap")).status_code == 400


async def test_a_credential_leaving_the_wallet_takes_its_evidence_along(client, db) -> None:
    person_id = await learner(client)
    held = await hold_credential(db, person_id, ob3_credential("Data Badge", [(DATA, "b")]))
    assert {i["skill_id"] for i in (await client.get("/api/v1/me/profile")).json()["items"]} == {DATA}
    await db.delete(held)
    await db.commit()
    assert (await client.get("/api/v1/me/profile")).json()["items"] == []
    assert [h["reason"] for h in (await client.get("/api/v1/me/profile/history")).json()] == ["wallet", "wallet"]


async def test_profile_routes_need_sign_in(client) -> None:
    for path in ("/api/v1/me/profile", "/api/v1/me/profile/history", "/api/v1/me/gap?role=se-backend",
                 "/api/v1/me/records", "/api/v1/me/settings", "/api/v1/me/export"):
        assert (await client.get(path)).status_code == 401, path
