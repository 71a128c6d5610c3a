"""Learning records upload: per-row report, errors next to the field, list and delete."""

from __future__ import annotations

from tests.frontend.helpers import HTML, assert_fragment, csrf_token, form, htmx, learner

CSV = ("title,description,provider,hours,completion_date,score,lang\n"
       "Pythonによる機械学習入門,scikit-learnを使った回帰・分類,社内研修,12,2025-03-31,85,ja\n"
       ",missing title,x,1,2025-01-01,,en\n"
       "Pythonによる機械学習入門,scikit-learnを使った回帰・分類,社内研修,12,2025-03-31,85,ja\n")


async def test_upload_reports_each_row(client) -> None:
    await learner(client, lang="en")
    response = await client.post("/wallet/records", data=form(await csrf_token(client)),
                                 files={"file": ("records.csv", CSV.encode("utf-8"), "text/csv")},
                                 headers=htmx("records_panel"))
    assert_fragment(response)
    assert "Import report" in response.text
    assert response.headers["hx-trigger"] == "records-changed"  # the list below reloads itself
    assert "1 rows imported, 1 with errors, 1 duplicates" in response.text
    page = await client.get("/wallet/records", headers=HTML)
    assert "Pythonによる機械学習入門" in page.text and "/api/v1/me/records/template.csv" in page.text


async def test_a_file_without_good_rows_is_refused_next_to_the_field(client) -> None:
    await learner(client, lang="ja")
    response = await client.post("/wallet/records", data=form(await csrf_token(client)),
                                 files={"file": ("bad.csv", b"title\n\n", "text/csv")}, headers=htmx("records_panel"))
    assert_fragment(response)
    assert 'id="e-records"' in response.text


async def test_no_file_chosen(client) -> None:
    await learner(client, lang="en")
    response = await client.post("/wallet/records", data=form(await csrf_token(client)),
                                 files={"file": ("", b"")}, headers=HTML)
    assert response.status_code == 400 and "Choose a CSV file." in response.text
