"""Organisation-name folding and the look-alike rule: a table of pairs that must and must not match."""

from __future__ import annotations

import pytest

from credentials.trust.names import fold_name, resembles

ALIKE = [
    ("東京デジタルアカデミー", "東京デジタルアカデミー"),
    ("株式会社東京デジタルアカデミー", "東京デジタルアカデミー"),
    ("東京デジタルアカデミー株式会社", "(株)東京デジタルアカデミー"),
    ("㈱東京デジタルアカデミー", "東京デジタルアカデミー（株）"),
    ("東京デジタルアカデミー", "東京デジタルアカデミ－"),  # full-width hyphen for the long vowel
    ("東京デジタルアカデミー", "東京　デジタル・アカデミー"),
    ("デジタルがくえん", "デジタルガクエン"),  # hiragana and katakana
    ("東京デジタルアカデミー", "東亰デジタルアカデミー"),  # one swapped character
    ("東京デジタルアカデミー", "東京デジタルアカデミー大阪校"),  # the whole name inside a longer one
    ("独立行政法人情報処理推進機構", "情報処理推進機構"),
    ("一般社団法人データ人材協会", "データ人材協会"),
    ("Tokyo Digital Academy", "TOKYO DIGITAL ACADEMY"),
    ("Tokyo Digital Academy Co., Ltd.", "Tokyo Digital Academy Inc."),
    ("Tokyo Digital Academy Co.,Ltd.", "Tokyo Digital Academy K.K."),
    ("Tokyo Digital Academy LLC", "Ｔｏｋｙｏ　Ｄｉｇｉｔａｌ　Ａｃａｄｅｍｙ"),
    ("Tokyo Digital Academy Corporation", "Tokyo-Digital-Academy G.K."),
    ("Tokyo Digital Academy", "Tokyo Digitаl Academy"),  # Cyrillic а
    ("Tokyo Digital Academy", "Tokyo Digital Acadamy"),
    ("Information-technology Promotion Agency, Japan", "Information Technology Promotion Agency Japan"),
]

DIFFERENT = [
    ("東京デジタルアカデミー", "大阪デジタルアカデミー"),
    ("Tokyo Digital Academy", "Osaka Digital Academy"),
    ("東京大学", "京都大学"),
    ("Kyoto University", "Tokyo University"),
    ("Nagoya Institute of Technology", "Nagoya University of Technology"),
    ("株式会社A", "株式会社B"),
    ("Co., Ltd.", "Inc."),
    ("データ", "データサイエンス総合研究所"),  # a short word inside a long name
    ("", "東京デジタルアカデミー"),
]


@pytest.mark.parametrize(("a", "b"), ALIKE)
def test_look_alike_names_resemble(a: str, b: str) -> None:
    assert resembles(a, b) and resembles(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_organisations_do_not_resemble(a: str, b: str) -> None:
    assert not resembles(a, b) and not resembles(b, a)


def test_fold_drops_designators_width_case_and_punctuation() -> None:
    assert fold_name("株式会社 東京デジタル・アカデミー（株）") == "東京デジタルアカデミ"
    assert fold_name("ＴＯＫＹＯ Digital Academy Co., Ltd.") == "tokyodigitalacademy"
    assert fold_name("K.K. Kabushiki Kaisha Tokyo") == "tokyo"
    assert fold_name("デジタルがくえん") == "デジタルガクエン"


def test_a_name_made_only_of_designators_keeps_its_words() -> None:
    assert fold_name("Co., Ltd.") == "coltd"
