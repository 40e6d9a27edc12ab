"""The news pages: public list and article, drafts hidden from the public, related articles, hot list, feed."""

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanlian.community import news_selectors
from sanlian.community.models import ArticleView
from sanlian.community.services.news import article_transition, article_update, article_view_record
from tests import factories
from tests.downloads import assert_safe_download

from .news_helpers import NOW, PNG, article_data, draft, published

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def colleague(db):
    return factories.officer("pujiang", username="pj_colleague")


@pytest.fixture
def talent_week(pujiang_officer, colleague):
    first = published(pujiang_officer, colleague, tags=("人才", "人才周"))
    second = published(
        pujiang_officer, colleague, tags=("人才周",), title="人才周第二场:生物医药人才沙龙",
        summary="浦江镇生物医药产业人才周继续举行", body="人才沙龙聚焦生物医药人才的引才与产才融合。",
    )  # fmt: skip
    loans = published(
        pujiang_officer, colleague, tags=("融资",), kind="notice", title="关于开展企业贷款贴息申报的通知",
        summary="符合条件的中小企业可申请银行贷款贴息", body="请于截止日前通过平台提交贷款合同与付息凭证。",
    )  # fmt: skip
    return first, second, loans


def test_the_public_list_shows_published_articles_and_filters_by_kind_and_tag(client, talent_week, pujiang_officer):
    draft(pujiang_officer, title="尚未发布的草稿")

    page = client.get(reverse("news:list")).content.decode()
    notices = client.get(reverse("news:list"), {"kind": "notice"}).content.decode()
    tagged = client.get(reverse("news:list"), {"tag": "人才周"}).content.decode()

    assert "人才周第二场" in page and "尚未发布的草稿" not in page
    assert "贷款贴息" in notices and "人才周第二场" not in notices
    assert "人才周第二场" in tagged and "贷款贴息" not in tagged


def test_the_list_searches_titles_and_summaries(client, talent_week):
    page = client.get(reverse("news:list"), {"q": "贴息"}).content.decode()

    assert "贷款贴息" in page and "人才周第二场" not in page


def test_a_draft_is_404_to_the_public_and_to_another_town_but_open_to_its_officers(
    client, pujiang_officer, xinzhuang_officer
):
    article = draft(pujiang_officer)
    url = reverse("news:detail", args=[article.pk])

    assert client.get(url).status_code == 404
    client.force_login(xinzhuang_officer)
    assert client.get(url).status_code == 404
    client.force_login(pujiang_officer)
    assert client.get(url).status_code == 200


def test_an_article_recommends_the_related_talent_week_report_with_reasons_and_not_the_loans_notice(
    client, talent_week
):
    first, second, loans = talent_week

    page = client.get(reverse("news:detail", args=[first.pk])).content.decode()
    related = [r.article for r in news_selectors.related(first)]

    assert related[0] == second and loans not in related
    assert "共同标签" in page and "人才周" in page and reverse("news:detail", args=[second.pk]) in page


def test_related_enterprises_link_to_profiles_for_officers_and_show_names_to_the_public(
    client, pujiang_officer, colleague, pujiang_enterprise
):
    article = published(pujiang_officer, colleague)
    article_update(actor=pujiang_officer, article=article, data=article_data(), tags=["人才"],
                   enterprises=[pujiang_enterprise], now=NOW)  # fmt: skip
    url = reverse("news:detail", args=[article.pk])
    profile = reverse("enterprises:detail", args=[pujiang_enterprise.pk])

    public = client.get(url).content.decode()
    client.force_login(pujiang_officer)
    officer = client.get(url).content.decode()

    assert pujiang_enterprise.name in public and profile not in public
    assert profile in officer


def test_reading_an_article_counts_one_view_on_the_day_in_one_row(client, talent_week):
    first = talent_week[0]

    client.get(reverse("news:detail", args=[first.pk]))
    client.get(reverse("news:detail", args=[first.pk]))

    row = ArticleView.objects.get(article=first)
    assert (row.view_date, row.count) == (timezone.localdate(), 2)


def test_the_hot_list_ranks_views_of_the_last_seven_days_only(talent_week):
    first, second, loans = talent_week
    today = date(2024, 6, 1)
    article_view_record(article=first, on_date=today, count=5)
    article_view_record(article=second, on_date=today - timedelta(days=6), count=8)
    article_view_record(article=loans, on_date=today - timedelta(days=7), count=100)  # too old

    hot = news_selectors.hot(as_of=today)

    assert [(a, a.recent_views) for a in hot] == [(second, 8), (first, 5)]


def test_the_atom_feed_lists_published_articles_with_their_updated_time(client, talent_week, pujiang_officer):
    first = talent_week[0]
    draft(pujiang_officer, title="尚未发布的草稿")
    later = NOW + timedelta(days=3)
    article_update(actor=pujiang_officer, article=first, data=article_data(), tags=["人才"], now=later)

    response = client.get(reverse("news:feed"))
    feed = ET.fromstring(response.content)
    entries = {e.find(f"{ATOM}title").text: e for e in feed.findall(f"{ATOM}entry")}

    assert response["Content-Type"].startswith("application/atom+xml")
    assert set(entries) == {a.title for a in talent_week}
    updated = entries[first.title].find(f"{ATOM}updated").text
    assert datetime.fromisoformat(updated) == later
    assert feed.find(f"{ATOM}updated") is not None


def test_an_officer_drafts_through_the_editor_and_a_colleague_publishes_from_the_article_page(
    client, pujiang_officer, colleague
):
    client.force_login(pujiang_officer)
    response = client.post(reverse("news:new"), {**article_data(), "region": pujiang_officer.region_id,
                                                 "tags": "人才 活动"})  # fmt: skip
    article = pujiang_officer.articles_written.get()
    client.post(reverse("news:transition", args=[article.pk]), {"action": "submit"})
    client.force_login(colleague)
    queue = client.get(reverse("news:review")).content.decode()
    client.post(reverse("news:transition", args=[article.pk]), {"action": "publish"})

    assert response.status_code == 302 and article.title in queue
    article.refresh_from_db()
    assert article.status == "published"
    assert client.get(reverse("news:mine")).status_code == 200


def test_the_editor_shows_a_missing_title_next_to_the_field(client, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.post(reverse("news:new"), {**article_data(title=""), "region": pujiang_officer.region_id})

    assert response.status_code == 200
    assert "请填写标题" in str(response.context["form"].errors["title"])


def test_an_enterprise_user_cannot_open_the_editor_or_the_review_queue(client, enterprise_admin):
    client.force_login(enterprise_admin)

    assert client.get(reverse("news:new")).status_code == 403
    assert client.get(reverse("news:review")).status_code == 403


def test_a_cover_is_served_to_the_public_once_published_and_to_nobody_outside_before(
    client, pujiang_officer, colleague, xinzhuang_officer
):
    article = draft(pujiang_officer)
    article_update(actor=pujiang_officer, article=article, data=article_data(), tags=["人才"], now=NOW,
                   cover=SimpleUploadedFile("c.png", PNG, content_type="image/png"))  # fmt: skip
    url = reverse("news:cover", args=[article.pk])
    assert client.get(url).status_code == 404
    client.force_login(xinzhuang_officer)
    assert client.get(url).status_code == 404

    article_transition(actor=pujiang_officer, article=article, action="submit", now=NOW)
    article_transition(actor=colleague, article=article, action="publish", now=NOW)
    client.logout()
    response = client.get(url)

    assert_safe_download(response, inline_type="image/png")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_newly_published_article_appears_among_the_related_ones_at_once(pujiang_officer, colleague, talent_week):
    first = talent_week[0]
    before = [r.article for r in news_selectors.related(first)]

    third = published(pujiang_officer, colleague, tags=("人才周",), title="人才周第三场:青年人才交流会",
                      body="浦江镇生物医药产业人才周举行青年人才交流会。")  # fmt: skip

    assert third not in before
    assert third in [r.article for r in news_selectors.related(first)]
