"""``skillpass match``: one JSON object per command, clear errors naming the field."""

import json

from click.testing import CliRunner

from skillpass.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["match", *args])


def write(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


PROFILE = json.dumps({"skills": [{"id": "v2-frontend", "level": "a", "status": "verified"},
                                 {"name_ja": "Webアプリケーション基本技術", "level": "b"},
                                 {"id": "team-development", "level": "b"}]})


def test_roles_prints_ranked_roles(tmp_path):
    result = run("roles", write(tmp_path, "p.json", PROFILE))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["roles"][0]["id"] == "se-frontend"
    expected = {"id", "name_ja", "name_en", "score", "coverage", "met", "partly_met", "missing"}
    assert expected <= set(data["roles"][0])


def test_path_prints_ordered_courses_from_the_demo_catalog(tmp_path):
    result = run("path", write(tmp_path, "p.json", PROFILE), "--role", "se-backend", "--language", "ja")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["target"]["id"] == "se-backend" and data["steps"]
    assert all(step["course"]["language"] == "ja" and step["closes"] for step in data["steps"])
    assert {"total_hours", "total_price_jpy", "remaining", "gap_before", "gap_after"} <= set(data)


def test_job_prints_roles_and_skills(tmp_path):
    text = "フロントエンドエンジニア募集\nReactとTypeScriptでのWebアプリ画面開発。チーム開発経験必須。"
    result = run("job", write(tmp_path, "job.txt", text))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"roles", "skills", "extension_roles"}
    assert not {r["id"] for r in data["roles"]} & {r["id"] for r in data["extension_roles"]}
    assert data["roles"][0]["id"] == "se-frontend"
    assert [r["score"] for r in data["roles"]] == sorted((r["score"] for r in data["roles"]), reverse=True)
    assert set(data["roles"][0]) == {"id", "name_ja", "name_en", "score"}
    assert {"id", "name_ja", "level", "confidence"} <= set(data["skills"][0])


def test_errors_name_the_file_and_field(tmp_path):
    bad_level = write(tmp_path, "bad.json", json.dumps({"skills": [{"id": "v2-backend", "level": "s"}]}))
    result = run("roles", bad_level)
    assert result.exit_code == 1 and "skills[0].level" in result.output
    unknown = write(tmp_path, "unknown.json", json.dumps({"skills": [{"name_ja": "料理", "level": "a"}]}))
    assert "skills[0].name_ja" in run("roles", unknown).output
    assert "not valid JSON" in run("roles", write(tmp_path, "broken.json", "{")).output
    assert "--role" in run("path", write(tmp_path, "p.json", PROFILE), "--role", "chef").output
    assert "empty" in run("job", write(tmp_path, "empty.txt", " \n")).output
