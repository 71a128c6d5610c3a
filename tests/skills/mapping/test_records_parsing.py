"""Parsing learning records: encodings, field mapping, bad rows, duplicates."""

from datetime import date
from pathlib import Path

import pytest

from skills.record_parsing import RecordsFileError, decode_bytes, parse_records

HEADER = "title,description,provider,hours,completion_date,score,lang,course_level,url\n"
JA_ROWS = (
    "Pythonによる機械学習入門,scikit-learnで回帰と分類,社内研修,12,2025/03/31,合格,,初級,\n"
    "情報セキュリティマネジメント試験対策,リスク管理と法令,IPA,20,2025年4月1日,78,ja,中級,\n"
)


def test_template_csv_parses_cleanly():
    path = Path(__file__).parents[3] / "skills" / "mapping" / "template.csv"
    result = parse_records(path.read_bytes(), path.name)
    assert result.errors == [] and len(result.records) == 2
    assert result.records[1].passed is True and result.records[1].lang == "en"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932"), ("shift_jis", "cp932"),
])
def test_japanese_csv_in_each_supported_encoding(encoding, expected):
    result = parse_records((HEADER + JA_ROWS).encode(encoding), "in.csv")
    assert result.encoding == expected
    assert [r.title for r in result.records] == ["Pythonによる機械学習入門", "情報セキュリティマネジメント試験対策"]
    first, second = result.records
    assert first.passed is True and first.course_level == "beginner" and first.lang == "ja"
    assert first.completion_date == date(2025, 3, 31) and first.hours == 12.0
    assert second.score == 78.0 and second.completion_date == date(2025, 4, 1)


def test_japanese_headers_are_mapped():
    text = "講座名,概要,提供元,学習時間,修了日,成績\nG検定対策講座,ディープラーニングの基礎,JDLA,30,2024-11-02,pass\n"
    record = parse_records(text.encode("cp932"), "x.csv").records[0]
    assert (record.title, record.provider, record.hours, record.passed) == ("G検定対策講座", "JDLA", 30.0, True)


@pytest.mark.parametrize("data, words", [
    ("title\nx\n".encode("utf-16"), "UTF-16"),
    (b"PK\x03\x04rest-of-zip", "Excel"),
    ("講座名,説明\n機械学習エンジニア養成講座,ニューラルネットワークの基礎\n".encode("euc_jp"), "encoding"),
])
def test_unsupported_encodings_are_refused_with_a_clear_message(data, words):
    with pytest.raises(RecordsFileError, match=words):
        decode_bytes(data)


def test_bad_rows_are_named_by_line_and_field_and_good_rows_kept():
    text = (HEADER
            + "Good one,,Udemy,3,2025-01-01,90,en,,\n"
            + ",no title,Udemy,3,,,,,\n"
            + "Bad hours,,Udemy,three,,,,,\n"
            + '"Multi\nline title",,Coursera,2,2025-13-01,,,,\n'
            + "Bad score,,X,1,,120,,,\n"
            + "Bad level,,X,1,,,,guru,\n"
            + "Bad url,,X,1,,,,,ftp://x\n"
            + "Too many,,X,1,,,,,,extra\n"
            + "Last good,,X,1,,fail,,,\n")
    result = parse_records(text.encode(), "in.csv")
    assert [r.line for r in result.records] == [2, 11]
    assert [(e.line, e.field) for e in result.errors] == [
        (3, "title"), (4, "hours"), (5, "completion_date"), (7, "score"), (8, "course_level"),
        (9, "url"), (10, "row"),
    ]
    assert "three" in result.errors[1].message


def test_missing_title_column_refuses_the_file():
    with pytest.raises(RecordsFileError, match="title"):
        parse_records(b"name_of_thing,hours\nx,1\n", "in.csv")


def test_jsonl_records_and_bad_lines():
    text = (
        '{"title": "Deep Learning Specialization", "provider": "Coursera", "hours": 120, "score": 96.5}\n'
        "\n"
        '{"title": "broken"\n'
        '{"title": "Kubernetes入門", "hours": "8時間", "lang": "日本語", "extra": 1}\n'
        '["not", "an", "object"]\n'
    )
    result = parse_records(text.encode(), "in.jsonl")
    assert [(r.line, r.title) for r in result.records] == [(1, "Deep Learning Specialization"), (4, "Kubernetes入門")]
    assert result.records[0].score == 96.5 and result.records[1].hours == 8.0 and result.records[1].lang == "ja"
    assert [(e.line, e.field) for e in result.errors] == [(3, "row"), (5, "row")]
    assert result.ignored_columns == ["extra"]


def test_duplicates_are_recognised_after_normalisation():
    text = (HEADER
            + "AWS Cloud Practitioner Essentials,,AWS,6,2025-05-20,,,,\n"
            + "aws  cloud practitioner essentials ,,ＡＷＳ,6,2025/5/20,,,,\n"
            + "AWS Cloud Practitioner Essentials,,AWS,6,2025-06-01,,,,\n")
    result = parse_records(text.encode(), "in.csv")
    assert [r.duplicate_of for r in result.records] == [None, 2, None]
    assert [r.line for r in result.duplicates] == [3]


def test_score_forms():
    text = HEADER + "a,,,,,17/20,,,\nb,,,,,85%,,,\nc,,,,,不合格,,,\n"
    records = parse_records(text.encode(), "in.csv").records
    assert [(r.score, r.passed) for r in records] == [(85.0, None), (85.0, None), (None, False)]


def test_records_from_already_decoded_dicts():
    from skills.record_parsing import records_from_dicts

    result = records_from_dicts([{"講座名": "Kubernetes入門", "学習時間": 8}, {"title": ""}, {"title": "x", "lang": "fr"}])
    assert [(r.line, r.title, r.hours) for r in result.records] == [(1, "Kubernetes入門", 8.0), (3, "x", None)]
    assert result.records[1].lang == "fr"
    assert [(e.line, e.field) for e in result.errors] == [(2, "title")]
