"""The news demo: the 2024-05-20 report and ~25 articles through the real services, safe to load twice."""

from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from sanlian.community import news_selectors
from sanlian.community.models import Article, ArticleView
from sanlian.core.models import User
from sanlian.demo import community_news
from sanlian.demo.services import demo_load, demo_unload

pytestmark = pytest.mark.django_db
SCALE = 0.05


def test_the_demo_tells_the_news_with_drafts_reviews_related_articles_and_a_hot_list_and_a_second_load_writes_nothing():
    first = demo_load(scale=SCALE)

    articles = Article.objects.filter(is_demo=True)
    assert first.community["articles"] == articles.count() == len(community_news.SPECS) + 1
    statuses = Counter(articles.values_list("status", flat=True))
    assert statuses == {"published": articles.count() - 4, "draft": 2, "review": 2}
    assert set(articles.values_list("kind", flat=True)) == set(Article.Kind.values)
    seed = articles.get(published_at__date=date(2024, 5, 20))
    assert "310余家优质生物医药企业" in seed.body and "网易" not in seed.body
    pj, mh = User.objects.get(username="pj_officer"), User.objects.get(username="mh_officer")
    assert news_selectors.review_queue(pj).count() == news_selectors.review_queue(mh).count() == 1
    assert news_selectors.my_articles(pj).exists() and news_selectors.my_articles(mh).exists()
    assert [r.article for r in news_selectors.related(seed)]
    assert len(news_selectors.hot(as_of=timezone.localdate())) == 5
    assert articles.filter(title__contains="演示").exclude(enterprises=None).exists()

    views = list(ArticleView.objects.order_by("pk").values_list("count", flat=True))
    second = demo_load(scale=SCALE)
    assert second.community["articles"] == second.community["article_view_days"] == 0
    assert list(ArticleView.objects.order_by("pk").values_list("count", flat=True)) == views

    demo_unload()
    assert not Article.objects.exists()
