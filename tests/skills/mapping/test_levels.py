"""The suggested-level rule."""

import pytest

from skills.mapping.levels import BRANCH_CONFIDENCE, objective_verbs, suggest_level, text_level


@pytest.mark.parametrize("kwargs, expected", [
    ({}, "d"),
    ({"hours": 3}, "d"),
    ({"hours": 10}, "c"),
    ({"hours": 40}, "b"),
    ({"hours": 500}, "b"),  # hours alone never give a
    ({"course_level": "intermediate"}, "c"),
    ({"course_level": "expert"}, "b"),  # a needs assessed evidence
    ({"course_level": "expert", "score": 85}, "a"),
    ({"course_level": "expert", "passed": True, "hours": 30}, "a"),
    ({"course_level": "expert", "passed": True, "hours": 3}, "c"),  # short course: one step above hours
    ({"course_level": "advanced", "hours": 10}, "b"),
    ({"course_level": "advanced", "hours": 40, "score": 50}, "d"),  # failed
    ({"hours": 40, "passed": False}, "d"),
    ({"course_level": "beginner", "hours": 100, "score": 100}, "d"),
])
def test_level_rule(kwargs, expected):
    assert suggest_level(**kwargs) == expected


@pytest.mark.parametrize("text, expected", [
    ("到達目標: 暗号の仕組みを説明できる。認証の仕組みを理解する。", "d"),
    ("到達目標: pythonでニューラルネットワークを実装し、演習で画像分類器を作成できる。", "c"),
    ("students will be able to explain and describe the relational model.", "d"),
    ("hands-on labs: implement and deploy a web api; a final project.", "c"),
    ("説明できる。実装できる。演習でアプリを作成できる。", "c"),  # more doing than explaining: c
    ("説明できる。実装できる。", "d"),  # as much explaining as doing: the smaller claim
    ("analyze and evaluate marketing campaigns", "c"),  # Bloom's analyse/evaluate verbs
    ("identify and summarize the main concepts", "d"),  # Bloom's remember/understand verbs
    ("an introduction to pattern recognition", "d"),  # a topic noun, not the verb "recognize"
    ("python: 環境構築、変数、関数", None),  # setting up a tool is not an objective
    ("ネットワークを構築し、運用できる", "c"),
    ("itストラテジスト試験 午後の出題テーマ", "b"),  # IPA level-4 exam
    ("基本情報技術者試験の出題範囲", "c"),  # IPA level-2 exam
    ("itを活用した事業の基本戦略を策定・提案・推進する者", "b"),
    ("応用情報技術者試験(レベル3)", "c"),
    ("ITパスポート試験(レベル1)の出題範囲", "d"),
    ("データベースの歴史", None),  # no objective stated
])
def test_text_level_reads_the_stated_objectives(text, expected):
    assert text_level(text).level == expected


def test_text_level_is_more_confident_when_the_cues_agree():
    clear = text_level("到達目標: 暗号を説明できる。認証を理解する。用語を学ぶ。")
    close = text_level("到達目標: 暗号を説明できる。認証を実装する。理解を深める。")
    assert clear.level == close.level == "d" and clear.confidence > close.confidence
    assert text_level("データベースの歴史").confidence is None


@pytest.mark.parametrize("kwargs, expected", [
    ({"text": "implement a rest api in a hands-on project"}, "c"),
    ({"text": "implement a rest api in a hands-on project", "hours": 2}, "c"),  # one step above hours' d
    ({"text": "策定・提案・推進する者", "hours": 2}, "c"),  # a short course cannot claim b
    ({"text": "explain the basics", "course_level": "advanced"}, "b"),  # a stated course level wins
    ({"text": "データベースの歴史", "hours": 40}, "b"),  # no cue: the hours decide
    ({"text": "implement a rest api", "passed": False}, "d"),  # failed stays d
])
def test_text_level_within_the_rule(kwargs, expected):
    assert suggest_level(**kwargs) == expected


@pytest.mark.parametrize("text, expected", [
    ("students will be able to: design a schema; explain normal forms", {"c": ("design",), "d": ("explain",)}),
    ("after the course, you should be able to build and deploy an api", {"c": ("build",), "d": ()}),
    ("you will learn to write sql queries. students can summarise the results.",
     {"c": ("write",), "d": ("summarise",)}),
    ("• uses git daily\n• planning a sprint", {"c": ("uses", "planning"), "d": ()}),
    # a verb inside a statement names a topic, not what the learner does
    ("database design methods; user research; the use of uml", {"c": (), "d": ()}),
    # the -ed form opens titles and descriptions as an adjective
    ("applied statistics. designed for beginners.", {"c": (), "d": ()}),
    ("データベースを設計できる。", {"c": (), "d": ()}),  # Japanese puts its verb last: the cues read it
])
def test_objective_verbs_are_the_verbs_that_open_a_statement(text, expected):
    assert objective_verbs(text) == expected


def test_an_objective_verb_outweighs_the_same_word_as_a_topic():
    # Same words, once as topics and once as objectives: only the objectives raise the level.
    topics = "overview of database design and data models; introduction to sql; students will be able to explain joins."
    objectives = ("students will be able to: design a database for a small shop; build its tables in sql; "
                  "explain joins.")
    assert text_level(topics).level == "d"
    assert text_level(objectives).level == "c"
    assert "design" in text_level(objectives).cues["c"]


def test_each_objective_statement_counts():
    # Four explain-objectives against one apply-objective: d, however the topic words fall.
    text = ("students will be able to: explain the stages of user-centred design; explain interviews; "
            "explain observation; explain diary studies; analyse a small set of interview notes.")
    assert text_level(text).level == "d"
    assert text_level(text).branch == "clear"


def test_branch_and_confidence_come_from_one_table():
    for text, branch in (("itストラテジスト試験", "b"), ("implement a rest api; build a client", "clear"),
                         ("explain the model; implement it", "close"), ("データベースの歴史", None)):
        found = text_level(text)
        assert found.branch == branch
        assert found.confidence == (BRANCH_CONFIDENCE[branch] if branch else None)
