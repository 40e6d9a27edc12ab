"""The search page, the header search box and GET /api/v1/search."""

import pytest
from django.test import Client

from sanlian.community.services import news as news_services
from tests import factories
from tests.community.news_helpers import NOW, article_data

from .conftest import committed

pytestmark = pytest.mark.django_db


def publish_article(author, title, body=""):
    reviewer = factories.officer("pujiang")
    with committed():
        article = news_services.article_create(
            actor=author, data=article_data(title=title, body=body or article_data()["body"]), region=author.region,
            now=NOW,
        )  # fmt: skip
        news_services.article_transition(actor=author, article=article, action="submit", now=NOW)
        return news_services.article_transition(actor=reviewer, article=article, action="publish", now=NOW)


def test_every_page_has_a_labelled_search_box_in_its_header(pujiang_officer):
    for client in (Client(), Client()):
        html = client.get("/policies/").content.decode()
        assert 'role="search"' in html and 'for="site-search-q"' in html and 'id="site-search-q"' in html
        client.force_login(pujiang_officer)


def test_an_anonymous_visitor_sees_public_results_with_type_badges_counts_and_highlighted_snippets(pujiang_officer):
    publish_article(pujiang_officer, "浦江镇类器官平台启用", body="全市首个类器官公共平台在浦江镇启用。")
    with committed():
        factories.enterprise("pujiang", name="浦江类器官科技有限公司")

    response = Client().get("/search/", {"q": "类器官"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "浦江镇<mark>类器官</mark>平台启用" in html
    assert "<mark>类器官</mark>公共平台" in html
    assert 'class="tag search-kind search-kind-article"' in html
    assert "新闻 (1)" in html and "企业 (0)" in html  # the enterprise is not public: not even counted
    assert "浦江类器官科技" not in html


def test_html_in_a_title_or_body_is_escaped_in_the_results(pujiang_officer):
    publish_article(pujiang_officer, "<script>alert(1)</script>类器官快讯", body="<b>类器官</b> 研究进展")

    html = Client().get("/search/", {"q": "类器官"}).content.decode()

    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark>类器官</mark>&lt;/b&gt;" in html


def test_no_results_says_so_and_suggests_other_words():
    html = Client().get("/search/", {"q": "不存在的词语组合"}).content.decode()

    assert "没有找到与“不存在的词语组合”相关的结果" in html
    assert "?q=%E5%8C%BB%E7%96%97%E5%99%A8%E6%A2%B0" in html  # a suggestion: 医疗器械


def test_a_one_character_query_asks_for_two_characters_and_an_unknown_type_is_a_400():
    assert "请输入至少两个字的关键词" in Client().get("/search/", {"q": "药"}).content.decode()

    response = Client().get("/search/", {"q": "类器官", "type": "patents"})

    assert response.status_code == 400
    assert "未知的搜索类型:patents" in response.content.decode()


def test_the_api_answers_ranked_scoped_results_with_counts(api_as, pujiang_officer, xinzhuang_officer):
    publish_article(pujiang_officer, "浦江镇类器官平台启用")
    with committed():
        factories.enterprise("pujiang", name="浦江类器官科技有限公司")

    ours = api_as(pujiang_officer).get("/search", q="类器官")
    theirs = api_as(xinzhuang_officer).get("/search", q="类器官", type="enterprise")

    assert ours.status_code == 200
    body = ours.json()
    assert body["counts"] == {"enterprise": 1, "policy": 0, "posting": 0, "listing": 0, "article": 1, "event": 0}
    assert body["count"] == 2 and len(body["items"]) == 2
    assert {item["type"] for item in body["items"]} == {"enterprise", "article"}
    item = next(i for i in body["items"] if i["type"] == "article")
    assert item["url"].startswith("/news/") and item["type_label"] == "新闻"
    assert theirs.json()["count"] == 0 and theirs.json()["items"] == []


def test_the_api_refuses_an_unknown_type_or_an_empty_query_with_422(api_as, pujiang_officer):
    client = api_as(pujiang_officer)

    assert client.get("/search", q="类器官", type="patents").status_code == 422
    assert client.get("/search", q="").status_code == 422


def test_a_capped_count_shows_a_plus_and_the_api_names_the_capped_types(pujiang_officer, api_as, monkeypatch):
    from sanlian.search import selectors

    with committed():
        for i in range(3):
            factories.enterprise("pujiang", name=f"浦江多肽{i}号有限公司")
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    client = Client()
    client.force_login(pujiang_officer)

    html = client.get("/search/", {"q": "多肽"}).content.decode()
    body = api_as(pujiang_officer).get("/search", q="多肽").json()

    assert "企业 (2+)" in html and "结果很多" in html
    assert body["capped"] == ["enterprise"] and body["counts"]["enterprise"] == 2
