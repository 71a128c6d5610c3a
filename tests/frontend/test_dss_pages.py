"""The public DSS browser: versions, skill and role pages, matrix with provenance, live search."""

from __future__ import annotations

import pytest

from tests.frontend.helpers import HTML, assert_fragment, assert_full_page, htmx


@pytest.mark.parametrize(("lang", "heading"), [("ja", "デジタルスキル標準（DSS）"), ("en", "Digital Skill Standard (DSS)")])
async def test_dss_index_in_both_languages(client, lang: str, heading: str) -> None:
    client.cookies.set("lang", lang)
    response = await client.get("/dss", headers=HTML)
    assert_full_page(response)
    assert f'lang="{lang}"' in response.text and heading in response.text
    assert 'href="/dss/roles/se-backend"' in response.text


async def test_search_answers_both_languages_and_htmx_gets_only_the_results(client) -> None:
    full = await client.get("/dss/search?q=データ", headers=HTML)
    assert_full_page(full)
    assert 'id="dss_results"' in full.text
    fragment = await client.get("/dss/search?q=cloud", headers=htmx("dss_results"))
    assert_fragment(fragment)
    assert "/dss/skills/v2-cloud" in fragment.text or "/dss/skills/" in fragment.text
    other_target = await client.get("/dss/search?q=cloud", headers=htmx("somewhere-else"))
    assert_full_page(other_target)  # a request aimed elsewhere (boost, history) gets the whole page


async def test_search_can_be_limited_to_one_language(client) -> None:
    client.cookies.set("lang", "en")
    only_en = await client.get("/dss/search?q=データ&lang=en", headers=htmx("dss_results"))
    assert "Nothing found" in only_en.text


async def test_skill_page_lists_roles_by_level_with_estimates_marked(client) -> None:
    client.cookies.set("lang", "en")
    response = await client.get("/dss/skills/v2-backend", headers=HTML)
    assert_full_page(response)
    assert "What to learn" in response.text and "estimated by skillpass" in response.text
    fragment = await client.get("/dss/skills/v2-backend", headers=htmx("skill_roles"))
    assert_fragment(fragment)
    assert "/dss/roles/se-backend" in fragment.text


async def test_role_page_paginates_requirements(client) -> None:
    client.cookies.set("lang", "ja")
    response = await client.get("/dss/roles/se-backend", headers=HTML)
    assert_full_page(response)
    assert "バックエンドエンジニア" in response.text and 'rel="next"' in response.text
    fragment = await client.get("/dss/roles/se-backend?page=2&version=2.0", headers=htmx("role_requirements"))
    assert_fragment(fragment)


async def test_matrix_labels_estimated_levels(client) -> None:
    client.cookies.set("lang", "ja")
    response = await client.get("/dss/matrix?category=v2-cat-data", headers=HTML)
    assert_full_page(response)
    assert "skillpassによる推定" in response.text and "データ整備・活用" in response.text
    fragment = await client.get("/dss/matrix?category=v2-cat-security", headers=htmx("matrix"))
    assert_fragment(fragment)
    assert "<table" in fragment.text


async def test_skill_list_filters_and_paginates(client) -> None:
    response = await client.get("/dss/skills?category=v2-cat-business", headers=HTML)
    assert_full_page(response)
    fragment = await client.get("/dss/skills?category=v2-cat-business&page=2", headers=htmx("skill_list"))
    assert_fragment(fragment)


async def test_unknown_skill_is_an_html_404_in_the_users_language(client) -> None:
    client.cookies.set("lang", "en")
    response = await client.get("/dss/skills/no-such-skill", headers=HTML)
    assert response.status_code == 404
    assert "<html" in response.text and "Page not found" in response.text


async def test_literacy_page(client) -> None:
    response = await client.get("/dss/literacy", headers=HTML)
    assert_full_page(response)
