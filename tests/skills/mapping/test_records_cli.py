"""`skillpass records map`: one JSON line per input row, in order; errors named; exit codes."""

import json

from click.testing import CliRunner

from skills.cli import records_group

CSV = (
    "title,description,provider,hours,completion_date,score,lang,course_level,url\n"
    "Pythonによる機械学習入門,scikit-learnで回帰と分類,社内研修,12,2025/03/31,合格,,初級,\n"
    ",no title,X,1,,,,,\n"
    "AWS Cloud Practitioner Essentials,,AWS,6,2025-05-20,pass,en,beginner,\n"
    "Bad hours,,X,lots,,,,,\n"
    "aws cloud practitioner essentials,,AWS,6,2025-05-20,,,,\n"
)


def run(tmp_path, name, content, *args):
    path = tmp_path / name
    path.write_bytes(content)
    return CliRunner().invoke(records_group, ["map", str(path), *args])


def test_map_prints_one_line_per_row_in_order(tmp_path):
    result = run(tmp_path, "in.csv", CSV.encode("cp932"), "--top", "2")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["line"] for r in rows] == [2, 3, 4, 5, 6]
    assert rows[1] == {"line": 3, "error": "title is required", "field": "title"}
    assert rows[3]["field"] == "hours" and "lots" in rows[3]["error"]
    first = rows[0]["skills"]
    assert len(first) == 2 and set(first[0]) == {"id", "name_ja", "name_en", "confidence", "level",
                                                     "level_confidence"}
    assert first[0]["id"] == "v2-machine-learning" and first[0]["confidence"] >= first[1]["confidence"]
    assert rows[2]["skills"][0]["id"] == "v2-cloud-infrastructure"
    assert rows[4]["duplicate_of"] == 4


def test_map_jsonl_onto_version_1_2(tmp_path):
    content = '{"title": "Deep Learning Specialization", "hours": 120}\n'.encode()
    result = run(tmp_path, "in.jsonl", content, "--version", "1.2", "--top", "3")
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines()]
    assert row["line"] == 1 and len(row["skills"]) == 3 and row["skills"][0]["id"] == "v1-ml-dl"


def test_no_readable_row_exits_non_zero_after_the_error_lines(tmp_path):
    result = run(tmp_path, "in.csv", b"title,hours\n,1\n")
    assert result.exit_code == 1
    assert '{"line": 2, "error": "title is required", "field": "title"}' in result.output
    assert "no record could be read" in result.output


def test_unreadable_file_gives_a_clear_message(tmp_path):
    result = run(tmp_path, "in.csv", "title\nx\n".encode("utf-16"))
    assert result.exit_code == 1 and "UTF-16" in result.output
    missing = CliRunner().invoke(records_group, ["map", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "cannot read" in missing.output


def test_template_command_prints_the_template():
    result = CliRunner().invoke(records_group, ["template"])
    assert result.exit_code == 0 and result.output.startswith("title,description,provider,hours")
