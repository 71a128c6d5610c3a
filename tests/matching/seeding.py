"""Many discoverable people written straight into the tables (tests of the index load, bench/matching/load.py).

Person i: 3-9 ver.2.0 items (and one ver.1.2 item for every third person) with the three statuses, one
to three profile snapshots (only the last is current), consent parts varied (display name for even i,
self-declared items for i % 3 != 0, prefecture for i % 4 != 0), every tenth person not discoverable and
every 25th inactive. ``same_time`` stamps every snapshot and setting with one moment (the case of a
bulk import in one transaction).
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.models import Person
from skills.models import LearnerSettings, ProfileSnapshot
from taxonomies.dss import LEVELS, get_taxonomy

STATUSES = ("verified", "evidenced", "self_declared")
CHUNK = 5_000


def person_rows(start: int, stop: int, same_time: datetime | None, seed: int = 7) -> tuple[list, list, list]:
    rng = random.Random(seed + start)
    tx = get_taxonomy()
    v2 = [s.id for s in tx.skill_items("2.0")]
    v12 = [s.id for s in tx.skill_items("1.2")]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    people, settings, snapshots = [], [], []
    for i in range(start, stop):
        pid = uuid.UUID(int=(rng.getrandbits(64) << 64) | (i + 1))
        people.append({"id": pid, "email": f"p{i}@seed.example", "display_name": f"利用者 {i}",
                       "password_hash": "x", "lang": "ja", "is_admin": False, "is_active": i % 25 != 24,
                       "created_at": base})
        parts = ["skills"] + (["display_name"] if i % 2 == 0 else []) + (["self_declared"] if i % 3 else []) \
            + (["prefecture"] if i % 4 else [])
        moment = same_time or base + timedelta(seconds=i * 7 + rng.randrange(5))
        settings.append({"person_id": pid, "discoverable": i % 10 != 9, "prefecture": f"JP-{1 + i % 47:02d}",
                         "target_role": None, "employer_parts": parts, "updated_at": moment})
        for version in range(1 + i % 3):
            chosen = rng.sample(v2, 3 + rng.randrange(7)) + ([rng.choice(v12)] if i % 3 == 0 else [])
            items = {s: {"level": rng.choice(LEVELS), "status": rng.choice(STATUSES),
                         "confidence": round(rng.random(), 3)} for s in chosen}
            at = same_time or moment + timedelta(minutes=version)
            snapshots.append({"id": uuid.uuid4(), "person_id": pid, "reason": "seed", "evidence_count": len(items),
                              "items": items, "created_at": at})
    return people, settings, snapshots


async def seed_profiles(conn: AsyncConnection, n: int, same_time: datetime | None = None) -> None:
    """Insert people 0..n-1 in chunks."""
    for start in range(0, n, CHUNK):
        people, settings, snapshots = person_rows(start, min(start + CHUNK, n), same_time)
        await conn.execute(insert(Person.__table__), people)
        await conn.execute(insert(LearnerSettings.__table__), settings)
        await conn.execute(insert(ProfileSnapshot.__table__), snapshots)
