"""News pages: the public list, an article, its cover, and the officers' editor, drafts and review queue."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, flash_outcome
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import get_scoped, has_perm, require

from . import exports
from . import news_selectors as selectors
from .models import Article
from .news_forms import ArticleForm, NewsFilterForm, TransitionForm
from .services import news as services

PER_PAGE = 10


@login_not_required
def article_list(request):
    form = NewsFilterForm(request.GET or None, tags=selectors.tag_choices())
    data = form.cleaned_data if form.is_valid() else {}
    articles = selectors.article_list(
        kind=data.get("kind") or "", tag=data.get("tag") or "", q=(data.get("q") or "").strip()
    )
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="news.list", title=_("新闻动态"), filename=_("新闻动态") + ".xlsx",
            columns=exports.articles_columns(), rows=articles,
        )  # fmt: skip
    page = IdsFirstPaginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/news/list.html", {
        "form": form, "page": page, "querystring": query_without_page(request),
        "hot": selectors.hot(as_of=timezone.localdate()), "can_write": has_perm(request.user, "article.edit"),
    })  # fmt: skip


@login_not_required
def article_detail(request, pk):
    article = selectors.article_visible(request.user, pk)
    if article is None:
        raise Http404
    if article.status == Article.Status.PUBLISHED:
        services.article_view_record(article=article, on_date=timezone.localdate())
    user = request.user
    return render(request, "community/news/detail.html", {
        "article": article,
        "tags": article.tags.all(),
        "enterprises": article.enterprises.order_by("name"),
        # Officers follow a related enterprise to its profile; the public sees its name only.
        "link_enterprises": has_perm(user, "enterprise.view") and user.is_officer,
        "related": selectors.related(article),
        "hot": selectors.hot(as_of=timezone.localdate()),
        "can_edit": has_perm(user, "article.edit", article),
        "can_review": has_perm(user, "article.publish", article) and article.author_id != user.pk,
        "transition_form": TransitionForm(),
    })  # fmt: skip


@login_not_required
def cover(request, pk):
    """The cover image: public once the article is published, otherwise for officers in its scope only."""
    article = selectors.article_visible(request.user, pk)
    if article is None or not article.cover:
        raise Http404
    return download(article.cover.open("rb"), filename=PurePath(article.cover.name).name, inline_image=True)


def mine(request):
    require(request.user, "article.edit")
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="news.mine", title=_("我的草稿"), filename=_("我的草稿") + ".xlsx",
            columns=exports.articles_columns(), rows=selectors.my_articles(request.user),
        )  # fmt: skip
    page = IdsFirstPaginator(selectors.my_articles(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/news/mine.html", {"page": page, "querystring": ""})


def review(request):
    require(request.user, "article.publish")
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="news.review", title=_("待审核"), filename=_("待审核") + ".xlsx",
            columns=exports.articles_columns(), rows=selectors.review_queue(request.user),
        )  # fmt: skip
    page = IdsFirstPaginator(selectors.review_queue(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/news/review.html", {"page": page, "querystring": ""})


def manage(request):
    require(request.user, "article.edit")
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="news.manage", title=_("新闻管理"), filename=_("新闻管理") + ".xlsx",
            columns=exports.articles_columns(), rows=selectors.managed(request.user),
        )  # fmt: skip
    page = IdsFirstPaginator(selectors.managed(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/news/manage.html", {"page": page, "querystring": query_without_page(request)})


def new(request):
    user = request.user
    require(user, "article.edit")
    form = ArticleForm(request.POST or None, request.FILES or None, user=user, initial={"region": user.region_id})
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(
                actor=user, region=form.cleaned_data["region"], now=timezone.now(), **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("草稿已保存"))
            return redirect("news:detail", article.pk)
    return render(request, "community/news/edit.html", {"form": form, "article": None})


def edit(request, pk):
    user = request.user
    article = get_scoped(user, "article.edit", Article.objects.all(), pk=pk)
    initial = ArticleForm.initial_for(article)
    form = ArticleForm(request.POST or None, request.FILES or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(actor=user, article=article, now=timezone.now(), **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("修改已保存"))
            return redirect("news:detail", article.pk)
    return render(request, "community/news/edit.html", {"form": form, "article": article})


SUCCESS = {
    "submit": _lazy("已提交审核"), "publish": _lazy("已发布"), "return": _lazy("已退回作者修改"),
    "withdraw": _lazy("已撤回"), "reopen": _lazy("已恢复为草稿"),
}  # fmt: skip


@require_POST
def transition(request, pk):
    user = request.user
    article = get_scoped(user, "article.edit", Article.objects.all(), pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知操作"))
        return redirect("news:detail", article.pk)
    action = form.cleaned_data["action"]
    with flash_outcome(request, success=str(SUCCESS[action])):
        services.article_transition(
            actor=user, article=article, action=action, comment=form.cleaned_data["comment"], now=timezone.now()
        )
    return redirect("news:detail", article.pk)
