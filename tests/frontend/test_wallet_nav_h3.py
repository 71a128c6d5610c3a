"""The wallet's tabs include the self-assessment and the IPA exams; exactly the open section is marked
``aria-current`` (a category page of the self-assessment marks its tab)."""

from __future__ import annotations

import re

from taxonomies.dss import get_taxonomy
from tests.frontend.helpers import HTML, learner

TAB = re.compile(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>')


def _tabs(html: str) -> list[tuple[str, bool, str]]:
    nav = html.split('<ul class="tabs">', 1)[1].split("</ul>", 1)[0]
    return [(href, bool(current), label) for href, current, label in TAB.findall(nav)]


async def test_assess_and_exams_are_tabs_marked_when_open(client) -> None:
    await learner(client, lang="ja")
    category = get_taxonomy().categories()[0].id
    pages = (("/wallet/assess", "/wallet/assess"), (f"/wallet/assess/{category}", "/wallet/assess"),
             ("/wallet/exams", "/wallet/exams"), ("/wallet/records", "/wallet/records"))
    for path, current in pages:
        response = await client.get(path, headers=HTML)
        assert response.status_code == 200, path
        tabs = _tabs(response.text)
        assert [href for href, marked, _ in tabs if marked] == [current], path
        labels = {href: label for href, _, label in tabs}
        assert labels["/wallet/assess"] == "自己評価" and labels["/wallet/exams"] == "IPA 試験"
        hrefs = [href for href, _, _ in tabs]  # the three ways to add what you know sit together
        assert hrefs.index("/wallet/assess") == hrefs.index("/wallet/records") + 1
        assert hrefs.index("/wallet/exams") == hrefs.index("/wallet/assess") + 1


async def test_tab_labels_in_english(client) -> None:
    await learner(client, lang="en")
    labels = {href: label for href, _, label in _tabs((await client.get("/wallet", headers=HTML)).text)}
    assert labels["/wallet/assess"] == "Self-assessment" and labels["/wallet/exams"] == "IPA exams"
