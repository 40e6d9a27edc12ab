"""The Atom feed of published news (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import news_selectors as selectors

FEED_SIZE = 30


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = _("三链 · 新闻动态")
    subtitle = _("浦江镇生物医药产业集群的政策解读、活动报道、通知公告与产业资讯")

    def link(self):
        return reverse("news:list")

    def items(self):
        return selectors.article_list()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body[:200]

    def item_link(self, item):
        return reverse("news:detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # An edit of a published article moves updated_at: feed readers see the entry as updated.
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display()] + [t.name for t in item.tags.all()]
