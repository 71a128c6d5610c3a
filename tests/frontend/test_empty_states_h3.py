"""A new learner's empty wallet pages each say what to do next: a sentence and a link to the action."""

from __future__ import annotations

import pytest

from tests.frontend.helpers import HTML, learner

# page -> (sentence, the link it offers) per language
IMPORT_EN = '/wallet/credentials/import">Import a credential</a>'
EMPTY = {
    "/wallet": {
        "ja": [("講座の修了バッジなどを取り込むと", '/wallet/credentials/import">証明書を取り込む</a>'),
               ("足りないスキルとそれを補う学習パス", '<a href="/wallet/gap">'),
               ("まだスキルがありません。", '<a href="/wallet/assess">自己評価をする</a>')],
        "en": [("Import a badge or certificate you earned", IMPORT_EN),
               ("Choose one to see the skills you still need", '<a href="/wallet/gap">'),
               ("No skills yet.", '<a href="/wallet/exams">Add an IPA exam result</a>')]},
    "/wallet/credentials": {
        "ja": [("講座の修了バッジなどを取り込むと", '/wallet/credentials/import">証明書を取り込む</a></p>')],
        "en": [("Import a badge or certificate you earned", IMPORT_EN + "</p>")]},
    "/wallet/share": {
        "ja": [("まだ共有リンクはありません。", '<a href="#new-heading">上のフォームでリンクを作る</a>')],
        "en": [("No share links yet.", '<a href="#new-heading">Make a link with the form above</a>')]},
    "/wallet/profile": {
        "ja": [("まだスキルがありません。", '<a href="/wallet/records">学習記録をアップロードする</a>')],
        "en": [("No skills yet.", '<a href="/wallet/credentials/import">Import a credential</a>')]},
    "/wallet/profile?status=verified": {
        "ja": [("この種類の根拠があるスキルはまだありません。", '<a href="/wallet/profile">すべて</a>')],
        "en": [("No skill is backed this way yet.", '<a href="/wallet/profile">All</a>')]},
}


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_each_empty_page_says_what_to_do_next(client, lang: str) -> None:
    await learner(client, f"empty-{lang}@example.jp", lang=lang)
    for path, expected in EMPTY.items():
        response = await client.get(path, headers=HTML)
        assert response.status_code == 200, path
        main = response.text.split("<main", 1)[1]
        for sentence, link in expected[lang]:
            assert sentence in main, (path, sentence)
            assert link in main, (path, link)
    share = await client.get("/wallet/share", headers=HTML)
    assert 'id="new-heading"' in share.text  # the link's target exists
