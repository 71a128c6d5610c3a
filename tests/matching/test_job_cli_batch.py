"""``skillpass match job`` over many inputs (files, --jsonl), and the start-up it must not pay for."""

import json
import subprocess
import sys

from click.testing import CliRunner

from matching import catalog
from matching import cli as matching_cli
from matching.job_text import analyze_job
from matching.present import job_view
from skillpass.cli import main

FRONTEND = "フロントエンドエンジニア募集\nReactとTypeScriptでのWebアプリ画面開発。チーム開発経験必須。"
DATA = "Data engineer\nBuild ETL pipelines in Python and SQL on AWS; data warehouse modelling."
SECURITY = "セキュリティエンジニア\n脆弱性診断とインシデント対応、SOC運用の経験がある方。"


def run(*args: str):
    return CliRunner().invoke(main, ["match", "job", *args])


def write(tmp_path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_several_files_give_one_line_each_in_order(tmp_path):
    paths = [write(tmp_path, f"{i}.txt", text) for i, text in enumerate([DATA, FRONTEND, SECURITY])]
    result = run(*paths)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["file"] for line in lines] == paths
    for line, text in zip(lines, [DATA, FRONTEND, SECURITY]):
        assert line["roles"] and line["skills"]
        assert {k: v for k, v in line.items() if k != "file"} == job_view(analyze_job(text))


def test_jsonl_keeps_ids_order_and_reports_bad_lines_in_place(tmp_path):
    rows = [json.dumps({"id": "b-2", "text": FRONTEND}, ensure_ascii=False), "{broken", "",
            json.dumps({"id": 7, "text": "  "}), json.dumps({"id": "a-1", "text": DATA}), json.dumps([1])]
    result = run("--jsonl", write(tmp_path, "in.jsonl", "\n".join(rows)))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line.get("id") for line in lines] == ["b-2", None, 7, "a-1", None]
    assert lines[0]["roles"][0]["id"] == "se-frontend"
    assert lines[1] == {"id": None, "line": 2, "error": "not valid JSON (column 2)"}
    assert lines[2]["line"] == 4 and "text" in lines[2]["error"] and "roles" not in lines[2]
    assert {k: v for k, v in lines[3].items() if k != "id"} == job_view(analyze_job(DATA))
    assert lines[4]["line"] == 6 and "object" in lines[4]["error"]


def test_jsonl_with_no_usable_line_fails(tmp_path):
    result = run("--jsonl", write(tmp_path, "in.jsonl", '{"id": 1}\n'))
    assert result.exit_code == 1 and "no posting could be read" in result.output


def test_files_and_jsonl_are_exclusive(tmp_path):
    job = write(tmp_path, "a.txt", DATA)
    assert run().exit_code == 2
    assert "one of the two" in run(job, "--jsonl", write(tmp_path, "in.jsonl", "")).output


def test_an_empty_file_among_several_prints_nothing(tmp_path):
    result = run(write(tmp_path, "a.txt", DATA), write(tmp_path, "b.txt", "\n"))
    assert result.exit_code == 1 and "b.txt: the job description is empty" in result.output
    assert "roles" not in result.output


def test_cli_default_catalog_is_the_catalog_module_one():
    assert matching_cli.DEMO_CATALOG == catalog.DEMO_CATALOG


def test_commands_never_import_scikit_learn_or_fit(tmp_path):
    job = write(tmp_path, "job.txt", DATA)
    records = write(tmp_path, "r.csv", "title,hours\nPythonで学ぶ機械学習入門,20\n")
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from skillpass.cli import main\n"
        f"for args in (['match', 'job', {job!r}], ['records', 'map', {records!r}]):\n"
        "    result = CliRunner().invoke(main, args)\n"
        "    assert result.exit_code == 0, result.output\n"
        "assert 'sklearn' not in sys.modules, 'scikit-learn was imported'\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
