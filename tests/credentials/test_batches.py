"""Batch issuance: JSON and CSV input with bad lines, per-line results, durable resume without
duplicates, idempotent submission and the 10,000-recipient limit."""

from __future__ import annotations

import asyncio
import io
import uuid

import pytest
from sqlalchemy import func, select

from credentials import jobs
from credentials.batches import MAX_ROWS, BatchOptions, BatchService, rows_from_csv, rows_from_json
from credentials.jobs import make_runner, run_batch, unfinished_batches
from credentials.models import BatchRow, IssuedCredential
from tests.credentials.conftest import api_headers, new_achievement, new_provider

GOOD = "ok{}@example.jp"


class Crash(BaseException):
    """Stands for the process dying: not an error the job could catch."""


async def wait_done(client, provider, batch_id: str, timeout: float = 30) -> dict:
    url = f"{provider['base']}/batches/{batch_id}"
    for _ in range(int(timeout / 0.05)):
        body = (await client.get(url, headers=await api_headers(client, provider))).json()
        if body["state"] == "done":
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"batch not done: {body}")


async def submit_json(client, provider, body: dict, key: str | None = None):
    return await client.post(f"{provider['base']}/batches", json=body,
                             headers=await api_headers(client, provider, **{"Idempotency-Key": key or str(uuid.uuid4())}))


async def test_json_batch_issues_good_lines_and_reports_bad_ones(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    recipients = [{"recipient_email": GOOD.format(1), "recipient_name": "一郎"},
                  {"recipient_email": "not-an-email"},
                  {"recipient_email": GOOD.format(3), "valid_until": "yesterday"},
                  {"recipient_email": GOOD.format(4), "achievement_id": str(uuid.uuid4())},
                  "just a string",
                  {"recipient_email": GOOD.format(6), "evidence": [{"url": "https://example.jp/p/6"}]}]
    response = await submit_json(client, provider, {"achievement_id": achievement["id"], "recipients": recipients})
    assert response.status_code == 202, response.text
    assert response.headers["location"].endswith(response.json()["id"])
    done = await wait_done(client, provider, response.json()["id"])
    assert (done["total"], done["issued"], done["failed"], done["pending"]) == (6, 2, 4, 0)
    by_line = {r["line"]: r for r in done["rows"]}
    assert by_line[1]["state"] == "issued" and by_line[1]["credential_id"]
    assert by_line[2]["errors"][0]["field"] == "recipient_email"
    assert by_line[3]["errors"][0]["field"] == "valid_until"
    assert by_line[4]["errors"][0]["field"] == "achievement_id"
    assert by_line[5]["errors"][0]["field"] == "(row)"
    assert by_line[6]["state"] == "issued"
    listed = await client.get(f"{provider['base']}/credentials", params={"batch_id": done["id"]},
                              headers=await api_headers(client, provider))
    assert listed.json()["total"] == 2


async def test_csv_batch_with_bom_and_bad_lines(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    csv_text = ("recipient_email,recipient_name,valid_from,evidence_url\n"
                f"{GOOD.format(1)},山田 花子,2026-04-01,https://example.jp/e/1\n"
                "broken-email,佐藤 太郎,,\n"
                f"{GOOD.format(3)},Emily,not-a-date,\n"
                "\n"
                f"{GOOD.format(5)},鈴木 健二,,ftp://bad\n"
                f"{GOOD.format(6)},,,\n")
    files = {"file": ("recipients.csv", io.BytesIO("\ufeff".encode() + csv_text.encode()), "text/csv")}
    response = await client.post(f"{provider['base']}/batches/csv", files=files,
                                 data={"achievement_id": achievement["id"], "format": "jwt"},
                                 headers=await api_headers(client, provider, **{"Idempotency-Key": "csv-1"}))
    assert response.status_code == 202, response.text
    done = await wait_done(client, provider, response.json()["id"])
    failed = {r["line"]: r["errors"][0]["field"] for r in done["rows"] if r["state"] == "failed"}
    assert failed == {3: "recipient_email", 4: "valid_from", 6: "evidence[0].url"}
    issued = [r["line"] for r in done["rows"] if r["state"] == "issued"]
    assert issued == [2, 7]
    one = await client.get(f"{provider['base']}/credentials/{done['rows'][0]['credential_id']}",
                           headers=await api_headers(client, provider))
    assert one.json()["format"] == "jwt" and one.json()["valid_from"].startswith("2026-04-01")


def test_cp932_csv_is_read() -> None:
    rows = rows_from_csv("recipient_email,recipient_name\nhanako@example.jp,山田 花子\n".encode("cp932"))
    assert rows[0].data["recipient_name"] == "山田 花子" and rows[0].errors == []


@pytest.mark.parametrize("content, field", [
    (b"", "file"),
    (b"name,email_address\nx,y\n", "file"),
    (b"\xff\xfe\x00garbage\x81", "file"),
])
def test_unreadable_csv_is_invalid_input(content, field) -> None:
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput) as raised:
        rows_from_csv(content)
    assert raised.value.field == field


async def test_more_than_10000_recipients_is_refused(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    recipients = [{"recipient_email": f"r{i}@example.jp"} for i in range(MAX_ROWS + 1)]
    response = await submit_json(client, provider, {"achievement_id": achievement["id"], "recipients": recipients})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    csv_body = "recipient_email\n" + "".join(f"r{i}@example.jp\n" for i in range(MAX_ROWS + 1))
    response = await client.post(f"{provider['base']}/batches/csv",
                                 files={"file": ("r.csv", io.BytesIO(csv_body.encode()), "text/csv")},
                                 data={"achievement_id": achievement["id"]},
                                 headers=await api_headers(client, provider, **{"Idempotency-Key": "big"}))
    assert response.status_code == 413


async def test_exactly_10000_recipients_are_accepted(client, db) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    rows = rows_from_json([{"recipient_email": f"r{i}@example.jp"} for i in range(MAX_ROWS)])
    batch, created = await BatchService(db).submit(uuid.UUID(provider["id"]), rows,
                                                   BatchOptions(uuid.UUID(achievement["id"])),
                                                   idempotency_key="ten-thousand", request_hash="h")
    await db.commit()
    stored = (await db.execute(select(func.count()).select_from(BatchRow).where(BatchRow.batch_id == batch.id)))
    assert created and stored.scalar_one() == MAX_ROWS


async def test_same_idempotency_key_returns_the_same_batch(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    body = {"achievement_id": achievement["id"], "recipients": [{"recipient_email": GOOD.format(1)}]}
    first = await submit_json(client, provider, body, key="batch-key")
    second = await submit_json(client, provider, body, key="batch-key")
    assert first.json()["id"] == second.json()["id"]
    await wait_done(client, provider, first.json()["id"])
    listed = await client.get(f"{provider['base']}/credentials", headers=await api_headers(client, provider))
    assert listed.json()["total"] == 1
    other = await submit_json(client, provider, {**body, "format": "jwt"}, key="batch-key")
    assert other.status_code == 422


async def _stored_batch(db, provider, achievement, n: int):
    rows = rows_from_json([{"recipient_email": GOOD.format(i)} for i in range(n)] + [{"recipient_email": "bad"}])
    batch, _ = await BatchService(db).submit(uuid.UUID(provider["id"]), rows,
                                             BatchOptions(uuid.UUID(achievement["id"])),
                                             idempotency_key=str(uuid.uuid4()), request_hash="h")
    await db.commit()
    return batch


async def _issued_lines(db, batch_id) -> list[int]:
    rows = await db.execute(select(IssuedCredential.batch_line).where(IssuedCredential.batch_id == batch_id))
    return sorted(rows.scalars())


async def test_interrupted_job_resumes_without_duplicates(client, db, engine, settings, monkeypatch) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    batch = await _stored_batch(db, provider, achievement, 8)
    assert await run_batch(engine, settings, batch.id, max_rows=3, chunk=2) == 3  # part of the job, then a stop

    real_issue, calls = jobs.IssuanceService.issue_many, []

    async def crash_in_second_chunk(self, *args, **kwargs):  # the process dies with lines 6-7 issued, before commit
        credentials = await real_issue(self, *args, **kwargs)
        calls.append(credentials)
        if len(calls) == 2:
            raise Crash()
        return credentials

    monkeypatch.setattr(jobs.IssuanceService, "issue_many", crash_in_second_chunk)
    with pytest.raises(Crash):
        await run_batch(engine, settings, batch.id, chunk=2)
    monkeypatch.setattr(jobs.IssuanceService, "issue_many", real_issue)
    assert len(calls[1]) == 2 and all(isinstance(c, uuid.UUID) for c in calls[1])
    assert await _issued_lines(db, batch.id) == [1, 2, 3, 4, 5]  # nothing of the chunk 6-7 was kept
    assert batch.id in await unfinished_batches(engine)

    runner = make_runner(engine, settings)  # what the app (or a worker) does when it starts again
    await runner.start()
    try:
        await _wait_unfinished_gone(engine, batch.id)
    finally:
        await runner.stop()
    assert await _issued_lines(db, batch.id) == [1, 2, 3, 4, 5, 6, 7, 8]
    counts = await BatchService(db).counts(batch.id)
    assert counts == {"pending": 0, "issued": 8, "failed": 1}


async def test_two_runners_on_one_batch_issue_each_line_once(client, db, engine, settings) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    batch = await _stored_batch(db, provider, achievement, 6)
    await asyncio.gather(run_batch(engine, settings, batch.id), run_batch(engine, settings, batch.id))
    assert await _issued_lines(db, batch.id) == [1, 2, 3, 4, 5, 6]
    assert await run_batch(engine, settings, batch.id) == 0


async def _wait_unfinished_gone(engine, batch_id, timeout: float = 30) -> None:
    for _ in range(int(timeout / 0.05)):
        if batch_id not in await unfinished_batches(engine):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("batch was not resumed")


async def test_a_chunk_is_a_few_statements_not_seventeen_per_line(client, db, engine, settings) -> None:
    """Issuing 200 lines in one chunk costs a bounded number of SQL statements (it was ~17 per line)."""
    from sqlalchemy import event

    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    batch = await _stored_batch(db, provider, achievement, 200)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        assert await run_batch(engine, settings, batch.id, chunk=250) == 200
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert await _issued_lines(db, batch.id) == list(range(1, 201))
    assert len(statements) < 40, statements
    counts = await BatchService(db).counts(batch.id)
    assert counts == {"pending": 0, "issued": 200, "failed": 1}


async def test_concurrent_jobs_share_the_chunks(client, db, engine, settings) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    batch = await _stored_batch(db, provider, achievement, 40)
    handled = await asyncio.gather(*[run_batch(engine, settings, batch.id, chunk=5) for _ in range(2)])
    assert sum(handled) == 40, handled
    if engine.dialect.name == "postgresql":  # SKIP LOCKED: both take chunks (SQLite has one writer)
        assert all(handled), handled
    assert await _issued_lines(db, batch.id) == list(range(1, 41))
    rows = await BatchService(db).rows(batch.id, state="issued")
    credential_of = {c.batch_line: c.id for c in (await db.execute(
        select(IssuedCredential).where(IssuedCredential.batch_id == batch.id))).scalars()}
    assert all(r.credential_id == credential_of[r.line] for r in rows) and len(rows) == 40


async def test_every_worker_gets_a_job_of_the_batch() -> None:
    class Queue:
        def __init__(self) -> None:
            self.jobs: list[dict] = []

        async def enqueue(self, name: str, **kwargs) -> None:
            self.jobs.append({"name": name, **kwargs})

    queue, batch_id = Queue(), uuid.uuid4()
    await jobs.enqueue(queue, batch_id)
    assert len(queue.jobs) == jobs.JOBS_PER_BATCH >= 2
    assert {j["batch_id"] for j in queue.jobs} == {str(batch_id)}


async def test_batch_delivers_to_confirmed_accounts_only(client, db, engine, settings) -> None:
    """Wallet delivery still happens per line in a chunk, for confirmed accounts only."""
    from accounts.models import Person
    from core.db import utcnow
    from credentials.models import HeldCredential

    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    confirmed = Person(email=GOOD.format(2), display_name="Two", password_hash="x", email_confirmed_at=utcnow())
    unconfirmed = Person(email=GOOD.format(3), display_name="Three", password_hash="x")
    db.add_all([confirmed, unconfirmed])
    await db.commit()
    batch = await _stored_batch(db, provider, achievement, 5)
    assert await run_batch(engine, settings, batch.id) == 5
    held = (await db.execute(select(HeldCredential.person_id, IssuedCredential.batch_line)
                             .join(IssuedCredential, IssuedCredential.id == HeldCredential.credential_id)
                             .where(IssuedCredential.batch_id == batch.id))).all()
    assert held == [(confirmed.id, 3)]  # line 3 is ok2@…


async def test_signing_pool_signs_in_order(monkeypatch) -> None:
    from credentials import signing_pool
    from credentials.vc import generate_ed25519, verify

    monkeypatch.setenv("SKILLPASS_SIGNING_PROCESSES", "2")
    assert signing_pool.pool_size("postgresql") == 2
    key = generate_ed25519()
    documents = [{"@context": ["https://www.w3.org/ns/credentials/v2"], "id": f"urn:uuid:{uuid.uuid4()}",
                  "type": ["VerifiableCredential"], "issuer": key.public.did, "validFrom": "2026-01-01T00:00:00Z",
                  "credentialSubject": {"id": f"did:example:{i}"}} for i in range(signing_pool.MIN_POOL_CHUNK + 6)]
    suites = ["eddsa-rdfc-2022"] * (len(documents) - 1) + ["vc-jwt"]
    signed = await signing_pool.sign_many(documents, suites, key, key.public.did_key_vm, processes=2)
    assert [s["id"] for s in signed[:-1]] == [d["id"] for d in documents[:-1]]
    assert isinstance(signed[-1], str) and signed[-1].count(".") == 2
    assert verify(signed[0]).verified and verify(signed[-2]).verified


KILLED_JOB = """
import asyncio, sys, uuid
from core.db import make_engine
from core.settings import Settings
from credentials.jobs import run_batch

settings = Settings(environment="test", database_url=sys.argv[1], master_key=sys.argv[2], base_url=sys.argv[3],
                    secret_key="test-secret-key-0123456789", warm_models=False, database_pool=False)
asyncio.run(run_batch(make_engine(settings), settings, uuid.UUID(sys.argv[4]), chunk=25))
"""


async def test_kill_9_in_the_middle_of_a_batch_then_resume_issues_each_line_once(client, db, engine, settings) -> None:
    """A job process killed with SIGKILL between or inside chunks: the resumed job issues the rest, once."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    batch = await _stored_batch(db, provider, achievement, 600)
    job = subprocess.Popen([sys.executable, "-c", KILLED_JOB, settings.database_url, settings.master_key,
                            settings.base_url, str(batch.id)], cwd=Path(__file__).resolve().parents[2])
    try:
        for _ in range(600):  # kill it once some chunks are committed
            if len(await _issued_lines(db, batch.id)) >= 50 or job.poll() is not None:
                break
            await asyncio.sleep(0.05)
        os.kill(job.pid, signal.SIGKILL)
    finally:
        job.wait(timeout=30)
    before = await _issued_lines(db, batch.id)
    assert 50 <= len(before) < 600, len(before)  # killed part way (a chunk is 25 lines)
    assert len(before) % 25 == 0  # whole chunks or nothing
    await run_batch(engine, settings, batch.id)
    lines = await _issued_lines(db, batch.id)
    assert lines == list(range(1, 601))
    rows = await BatchService(db).rows(batch.id, state="issued")
    credential_of = {c.batch_line: c.id for c in (await db.execute(
        select(IssuedCredential).where(IssuedCredential.batch_id == batch.id))).scalars()}
    assert len(rows) == 600 and all(r.credential_id == credential_of[r.line] for r in rows)


KILLED_WORKER = """
import asyncio, sys, uuid
from core.db import make_engine
from core.settings import Settings
from credentials.jobs import enqueue, make_queue, make_worker

settings = Settings(environment="test", database_url=sys.argv[1], master_key=sys.argv[2], base_url=sys.argv[3],
                    secret_key="test-secret-key-0123456789", warm_models=False, database_pool=False)

async def main():
    queue = await make_queue(settings, name=sys.argv[5])
    await queue.connect()
    await enqueue(queue, uuid.UUID(sys.argv[4]), heartbeat=2)
    await make_worker(queue, make_engine(settings), settings, concurrency=2).start()

asyncio.run(main())
"""


async def _job_states(engine, queue_name: str) -> list[str]:
    from sqlalchemy import text

    async with engine.connect() as conn:
        rows = await conn.execute(text(f"SELECT status FROM {jobs.SAQ_SCHEMA}.saq_jobs WHERE queue = :queue"),
                                  {"queue": queue_name})
        return sorted(row[0] for row in rows)


async def test_jobs_of_a_worker_killed_mid_batch_do_not_stay_active(client, db, engine, settings) -> None:
    """A SAQ worker killed with SIGKILL while running two jobs of a batch: a live worker's sweep takes
    them for dead (no heartbeat), queues them again, and the batch finishes with each line issued once;
    no job is left ``active`` (they were, forever, before jobs had a heartbeat)."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    if engine.dialect.name != "postgresql":
        pytest.skip("SAQ workers run on PostgreSQL only")
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    lines = 1500
    batch = await _stored_batch(db, provider, achievement, lines)
    queue_name = f"test-{uuid.uuid4().hex[:12]}"
    worker = subprocess.Popen([sys.executable, "-c", KILLED_WORKER, settings.database_url, settings.master_key,
                               settings.base_url, str(batch.id), queue_name], cwd=Path(__file__).resolve().parents[2])
    try:
        for _ in range(1200):  # kill it once a chunk is committed, with both its jobs running
            if len(await _issued_lines(db, batch.id)) >= jobs.CHUNK or worker.poll() is not None:
                break
            await asyncio.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    assert jobs.CHUNK <= len(await _issued_lines(db, batch.id)) < lines
    assert (await _job_states(engine, queue_name)).count("active") == 2  # what the kill leaves behind

    queue = await jobs.make_queue(settings, name=queue_name)
    await queue.connect()
    survivor = jobs.make_worker(queue, engine, settings, concurrency=2, sweep_seconds=1)
    task = asyncio.create_task(survivor.start())
    try:
        for _ in range(300):
            states = await _job_states(engine, queue_name)
            if "active" not in states and "queued" not in states:
                break
            await asyncio.sleep(0.1)
    finally:
        await survivor.stop()
        await asyncio.gather(task, return_exceptions=True)
        await queue.disconnect()
    assert "active" not in states and "queued" not in states, states
    assert await _issued_lines(db, batch.id) == list(range(1, lines + 1))
    await db.refresh(batch)
    assert batch.state == "done"
