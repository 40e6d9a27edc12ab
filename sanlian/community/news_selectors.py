"""Reads of news: the public list, an article, the hot list, related articles, the officers' queues."""

import threading
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q, Sum

from sanlian.core.permissions import has_perm, scope_queryset
from sanlian.engines.related import Doc, RelatedIndex

from .models import Article, ArticleView, Tag
from .services.news import published_generation

S = Article.Status
HOT_DAYS = 7


def published():
    return Article.objects.filter(status=S.PUBLISHED)


def article_list(*, kind: str = "", tag: str = "", q: str = ""):
    """Published articles, newest first, filtered by kind, tag and words in the title or summary."""
    articles = published().prefetch_related("tags")
    if kind:
        articles = articles.filter(kind=kind)
    if tag:
        articles = articles.filter(tags__name=tag)
    if q:
        articles = articles.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return articles.order_by("-published_at", "-id")


def tag_choices(limit: int = 30) -> list[str]:
    """The tags of published articles, most used first."""
    rows = (
        Tag.objects.filter(articles__status=S.PUBLISHED)
        .annotate(n=Count("articles"))
        .order_by("-n", "name")
        .values_list("name", flat=True)
    )
    return list(rows[:limit])


def article_visible(user, pk: int) -> Article | None:
    """The article if the user may read it: published for everyone, any status for officers in its scope."""
    article = Article.objects.select_related("region", "author", "reviewer").filter(pk=pk).first()
    if article is None:
        return None
    if article.status == S.PUBLISHED or has_perm(user, "article.edit", article):
        return article
    return None


def hot(*, as_of: date, k: int = 5, days: int = HOT_DAYS) -> list[Article]:
    """Published articles with the most views in the `days` days up to as_of (one aggregate query)."""
    since = as_of - timedelta(days=days - 1)
    rows = (
        ArticleView.objects.filter(view_date__range=(since, as_of), article__status=S.PUBLISHED)
        .values("article")
        .annotate(views=Sum("count"))
        .order_by("-views", "article")[:k]
    )
    views = {row["article"]: row["views"] for row in rows}
    articles = Article.objects.in_bulk(list(views))
    out = []
    for pk, n in views.items():
        articles[pk].recent_views = n
        out.append(articles[pk])
    return out


# --- related articles --------------------------------------------------------------------------------------


@dataclass
class _Built:
    key: tuple
    index: RelatedIndex


_lock = threading.Lock()
_cache: dict[str, _Built] = {}


def _stamp() -> tuple:
    """The published set's version: our services' commit counter plus counts and latest change (one query)."""
    agg = published().aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return (published_generation(), agg["n"], agg["last"], agg["top"])


def related_index() -> RelatedIndex:
    """The related-articles index over the published set, rebuilt only when that set changed."""
    key = _stamp()
    built = _cache.get("index")
    if built is not None and built.key == key:
        return built.index
    with _lock:
        built = _cache.get("index")
        if built is None or built.key != key:
            docs = [
                Doc(
                    id=str(a.pk), title=a.title, text=f"{a.summary}\n{a.body}", tags=tuple(t.name for t in a.tags.all())
                )
                for a in published().prefetch_related("tags").order_by("pk")
            ]
            built = _Built(key=key, index=RelatedIndex.build(docs))
            _cache["index"] = built
    return built.index


def clear_cache() -> None:
    with _lock:
        _cache.clear()


@dataclass(frozen=True)
class RelatedArticle:
    article: Article
    score: float
    terms: list[str]
    tags: list[str]


def related(article: Article, k: int = 5) -> list[RelatedArticle]:
    """Published articles related to this one by content and shared tags, with the reasons."""
    if article.status != S.PUBLISHED:
        return []
    found = related_index().related(str(article.pk), k=k)
    articles = published().in_bulk([int(r.doc_id) for r in found])
    return [
        RelatedArticle(articles[int(r.doc_id)], r.score, r.terms, r.tags) for r in found if int(r.doc_id) in articles
    ]


# --- officers ----------------------------------------------------------------------------------------------


def my_articles(user):
    """The user's own articles that are not published yet (drafts, in review, withdrawn)."""
    return (
        Article.objects.filter(author=user)
        .exclude(status=S.PUBLISHED)
        .select_related("region")
        .order_by("-updated_at", "-id")
    )


def review_queue(user):
    """Articles in review in the user's scope, written by someone else (an author cannot review their own)."""
    queue = scope_queryset(user, Article.objects.filter(status=S.REVIEW)).exclude(author=user)
    return queue.select_related("region", "author").order_by("updated_at", "id")


def managed(user):
    """Every article in the user's scope, for the officers' list of published and withdrawn ones."""
    return scope_queryset(user, Article.objects.all()).select_related("region", "author").order_by("-updated_at", "-id")
