"""Suggested DSS level (d < c < b < a) for a learning record, from course level, what its text says
it teaches, hours and score.

The rule (documented in docs/skills-mapping.md):

1. Start from the course level (beginner d, intermediate c, advanced b, expert a); without one, from
   what the text says (``text_level``: objectives such as 説明できる / "explain" give d; 実装できる /
   演習 / "implement", "analyse", "hands-on", "project" give c; an English objective statement that
   opens with a Bloom verb ("Students will be able to: design ...") counts once more for that verb's
   level; more c than d gives c; 策定・推進 / 統括 / "lead" an organisation's strategy, or an IPA
   level-4 exam, give b); without
   either, from the hours (< 6 h: d, < 20 h: c, otherwise b; hours alone never give a); with none of
   them, d.
2. When hours are known, a short course cannot claim much: the level is at most one step above
   what its hours alone would give (a 3-hour "expert" seminar gives c).
3. Level a needs assessed evidence: a pass or a score of at least 80; otherwise a becomes b.
4. A failed assessment (fail, or a score below 60) gives d: the person met the topic, no more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from taxonomies.dss import LEVELS, level_rank

PASS_SCORE = 60.0
STRONG_SCORE = 80.0
COURSE_LEVEL_TO_DSS = {"beginner": "d", "intermediate": "c", "advanced": "b", "expert": "a"}


def level_from_hours(hours: float) -> str:
    """Level that the study time alone supports (never a)."""
    if hours < 6:
        return "d"
    if hours < 20:
        return "c"
    return "b"


def step_up(level: str) -> str:
    """The next level up (a stays a); by rank, so it does not depend on the order of LEVELS."""
    higher = [other for other in LEVELS if level_rank(other) == level_rank(level) + 1]
    return higher[0] if higher else level


# What a record's objectives say the learner will do, by DSS level. Cues are matched on normalised
# (NFKC, lower-case) text; each cue counts once. Chosen from the DSS level descriptions, Bloom's
# taxonomy (remember/understand verbs: d; apply/analyse/evaluate/create verbs: c) and the exam levels
# of IPA's skill framework, never from the test split. Verbs are written in their verb forms
# ("deploy ", "recognize", "を構築し") because the bare nouns name topics, not what the learner does:
# "pattern recognition", "deployment", 環境構築 (setting up a tool), システムの構築に関する議論.
# 概要 is left out: it is the heading of most syllabi (授業概要), not an objective.
_CUES = {
    "d": ("説明でき", "説明する", "説明が", "理解でき", "理解する", "理解して", "理解を深め", "概観", "入門",
          "基礎知識", "基本的な知識", "知識を", "用語", "について学", "を学ぶ", "を学び", "考察",
          "explain", "describe", "understand", "introduc", "overview", "fundamental", "basics", "awareness",
          "define ", "recognize", "recognise", "examine", "literacy", "concepts", "identify", "summariz",
          "discuss", "first course", "no prior",
          # IPA exam level 1 (its name or its level)
          "itパスポート", "レベル1"),
    "c": ("実装", "作成でき", "作成する", "作成方法", "構築でき", "構築する", "を構築し", "設計でき", "設計する",
          "開発でき", "開発する", "活用でき", "応用する", "実践", "演習", "実習", "ワークショップ", "ハンズオン",
          "使うことができ", "プログラムを作", "を行える", "できるようになる", "手順を", "識別ができ",
          "implement", "build", "develop", "design the", "design and", "apply", "hands-on", "project",
          " lab ", " labs", " lab,", " lab.", "create", "prototyp", "practical", "exercise", "programming",
          "configure", "deploy ", "deploying", "conduct", "solve", "troubleshoot",
          # Bloom's analyse and evaluate: above applying, still short of leading an organisation (b)
          "analyz", "analyse", "analysing", "evaluat", "optimiz", "improve",
          # IPA exam levels 2 and 3
          "基本情報技術者", "情報セキュリティマネジメント試験", "応用情報技術者", "レベル2", "レベル3"),
    "b": ("策定・提案・推進", "統括", "主導", "高度it人材", "組織全体", "全社",
          "lead the", "leading teams", "enterprise-wide", "strategy formulation", "at scale across",
          # IPA exam level 4 (the 高度試験): their names, or the level
          "itストラテジスト", "システムアーキテクト試験", "プロジェクトマネージャ試験", "ネットワークスペシャリスト",
          "データベーススペシャリスト", "エンベデッドシステムスペシャリスト", "itサービスマネージャ", "システム監査技術者",
          "情報処理安全確保支援士", "レベル4"),
}


@dataclass(frozen=True)
class TextLevel:
    """The level a record's text supports, the cues found per level, how sure the rule is, and which
    branch of the rule decided (``b``, ``clear``, ``close``; None without a cue)."""

    level: str | None
    cues: dict[str, tuple[str, ...]]
    confidence: float | None
    branch: str | None = None


def _found(text: str, cues: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(cue for cue in cues if cue in text)


# English objective verbs (Bloom's revised taxonomy: remember/understand -> d; apply, analyse,
# evaluate, create -> c), counted only where they open an objective statement. The verb that opens
# "Students will be able to: design a schema; explain normal forms" says what the learner will do,
# while the same word inside a sentence often names a topic ("database design methods", "a user
# research project"). Base forms; ``_verb_pattern`` adds designs / designing, not the -ed form, which
# opens titles and descriptions as an adjective ("Applied statistics", "Designed for beginners").
_OBJECTIVE_VERBS = {
    "d": ("explain", "describe", "understand", "define", "recognize", "recognise", "identify", "summarize",
          "summarise", "discuss", "list", "recall", "outline", "compare", "classify", "interpret", "illustrate",
          "know", "appreciate", "become familiar", "be familiar", "examine", "articulate", "review", "paraphrase"),
    "c": ("apply", "use", "implement", "build", "develop", "design", "create", "construct", "produce", "write",
          "plan", "prototype", "configure", "deploy", "conduct", "solve", "troubleshoot", "analyze", "analyse",
          "evaluate", "assess", "optimize", "optimise", "improve", "demonstrate", "perform", "operate", "manage",
          "estimate", "generate", "formulate", "integrate", "compute", "calculate", "select", "choose", "justify",
          "critique", "differentiate", "distinguish", "recommend", "establish", "execute", "set up", "carry out",
          "facilitate"),
}


def _verb_pattern(verb: str) -> str:
    first, _, rest = verb.partition(" ")
    if first.endswith("e"):
        stem = re.escape(first[:-1]) + "(?:e|es|ing)"
    elif first.endswith("y"):
        stem = re.escape(first[:-1]) + "(?:y|ies|ying)"
    else:
        stem = re.escape(first) + f"(?:s|es|{re.escape(first[-1])}?ing)?"
    return stem + (r"\s+" + re.escape(rest) if rest else "") + r"\b"


_OPENING = {level: re.compile("|".join(_verb_pattern(v) for v in verbs)) for level, verbs in _OBJECTIVE_VERBS.items()}
_STATEMENT_END = re.compile(r"[.;:!?\n•()]")
# "students will be able to", "you should", "learners can": what comes after is the objective.
_LEAD_IN = re.compile(r"\b(?:able to|will|should|can|must|shall)\s+")
_PREFIX = re.compile(r"^(?:be able to|learn how to|learn to|to|and|or|also)\s+")


def objective_verbs(text: str) -> dict[str, tuple[str, ...]]:
    """Per level, the English objective verbs that open a statement of ``text`` (lower-case), one per
    statement, in order."""
    found: dict[str, list[str]] = {"c": [], "d": []}
    for statement in _STATEMENT_END.split(text):
        statement = statement.strip(" -–*·,\t")
        lead_in = _LEAD_IN.search(statement)
        if lead_in and lead_in.start() < 60:
            statement = statement[lead_in.end():]
        while prefix := _PREFIX.match(statement):
            statement = statement[prefix.end():]
        for level in ("d", "c"):
            if opening := _OPENING[level].match(statement):
                found[level].append(opening.group(0))
                break
    return {level: tuple(verbs) for level, verbs in found.items()}


# Share of dev-split records whose level the rule got right, per branch (Laplace-smoothed): the
# rule's stated confidence. Re-measured by ``python -m matching.eval.real_text --split dev``.
# Measured on the same split the cues were chosen on, so optimistic for "clear"; the test-split
# figures in docs/skills-mapping.md are the honest ones.
# Dev 2026-12-06 (86 records: 56 English, 30 Japanese): b 3/3, clear 63/64, close 7/15 (the close
# branch is a coin flip: the text does not settle the level).
BRANCH_CONFIDENCE = {"b": 0.8, "clear": 0.97, "close": 0.47}


def text_level(text: str | None) -> TextLevel:
    """Level from the objectives a record states (see ``_CUES``; each English objective statement that
    opens with one of ``_OBJECTIVE_VERBS`` counts once more); None when it states none. ``cues`` lists
    the cues found, then the opening verbs."""
    text = (text or "").lower()
    found = {level: _found(text, cues) for level, cues in _CUES.items()}
    verbs = objective_verbs(text)
    found = {level: cues + verbs.get(level, ()) for level, cues in found.items()}
    counts = {level: len(cues) for level, cues in found.items()}
    if counts["b"]:
        return TextLevel("b", found, BRANCH_CONFIDENCE["b"], "b")
    if not counts["c"] and not counts["d"]:
        return TextLevel(None, found, None)
    # Both explaining and doing: the side with more cues wins; a tie goes to d, the smaller claim: a
    # record that says as much about explaining as about doing mostly names the doing as a topic
    # ("the design and implementation of systems"), and a suggested level is easier raised than withdrawn.
    level = "c" if counts["c"] > counts["d"] else "d"
    branch = "clear" if abs(counts["c"] - counts["d"]) >= 2 or not min(counts["c"], counts["d"]) else "close"
    return TextLevel(level, found, BRANCH_CONFIDENCE[branch], branch)


def suggest_level(hours: float | None = None, score: float | None = None, passed: bool | None = None,
                  course_level: str | None = None, text: str | TextLevel | None = None) -> str:
    """Suggested level a-d for what a record shows; see the module docstring for the rule. ``text`` is
    the record's text, or its ``text_level`` when the caller has it already."""
    by_course = COURSE_LEVEL_TO_DSS.get(course_level or "")
    by_text = (text if isinstance(text, TextLevel) else text_level(text)).level if text else None
    by_hours = level_from_hours(hours) if hours is not None else None
    level = by_course or by_text or by_hours or "d"
    if (by_course or by_text) and by_hours:
        level = min(level, step_up(by_hours), key=level_rank)
    failed = passed is False or (score is not None and score < PASS_SCORE)
    strong = passed is True or (score is not None and score >= STRONG_SCORE)
    if level == "a" and not strong:
        level = "b"
    if failed:
        level = "d"
    return level
