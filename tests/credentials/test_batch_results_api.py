"""The bulk-issue API does what the console's batch page does: the result table as CSV and a re-run of only
the failed lines (same checks as any batch, idempotent, 409 when there is nothing to re-run)."""

from __future__ import annotations

import csv
import io
import uuid

from tests.credentials.conftest import api_headers, new_achievement, new_provider
from tests.credentials.test_batches import submit_json, wait_done


async def test_results_csv_and_rerun_of_the_failed_lines(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    recipients = [{"recipient_email": "ok1@example.jp"}, {"recipient_email": "not-an-email"},
                  {"recipient_email": "ok3@example.jp", "valid_until": "yesterday"}]
    started = await submit_json(client, provider, {"achievement_id": achievement["id"], "recipients": recipients})
    done = await wait_done(client, provider, started.json()["id"])
    base = f"{provider['base']}/batches/{done['id']}"

    exported = await client.get(f"{base}/results.csv", headers=await api_headers(client, provider))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r["row"], r["status"]) for r in rows] == [("1", "issued"), ("2", "failed"), ("3", "failed")]
    assert rows[0]["credential_id"] and "recipient_email" in rows[1]["error"] and "valid_until" in rows[2]["error"]

    no_key = await client.post(f"{base}/rerun", headers=await api_headers(client, provider))
    assert no_key.status_code == 422 and no_key.headers["content-type"].startswith("application/problem+json")
    key = str(uuid.uuid4())
    rerun = await client.post(f"{base}/rerun", headers=await api_headers(client, provider, **{"Idempotency-Key": key}))
    assert rerun.status_code == 202, rerun.text
    again = await client.post(f"{base}/rerun", headers=await api_headers(client, provider, **{"Idempotency-Key": key}))
    assert again.json()["id"] == rerun.json()["id"]  # the same key: the same re-run
    second = await wait_done(client, provider, rerun.json()["id"])
    assert (second["total"], second["issued"], second["failed"]) == (2, 0, 2)  # the same bad data fails again

    clean = await submit_json(client, provider, {"achievement_id": achievement["id"],
                                                 "recipients": [{"recipient_email": "ok9@example.jp"}]})
    clean_done = await wait_done(client, provider, clean.json()["id"])
    nothing = await client.post(f"{provider['base']}/batches/{clean_done['id']}/rerun",
                                headers=await api_headers(client, provider, **{"Idempotency-Key": str(uuid.uuid4())}))
    assert nothing.status_code == 409 and nothing.headers["content-type"].startswith("application/problem+json")
