"""Writes of news articles: drafting and editing, the editorial workflow, and the daily view counters.

Workflow (article_transition): draft --submit--> review --publish--> published --withdraw--> withdrawn;
review --return (with a comment)--> draft; withdrawn --reopen--> draft. An article is published by an officer
other than its author (four eyes); officers of the district review the articles of its towns.
Editing a published article keeps it published: the change is audited and `updated_at` moves, so the Atom
feed announces the update.
"""

import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.locks import refuse_unless
from sanlian.core.permissions import in_scope, require, scope_queryset
from sanlian.core.services import audit_record, notification_send
from sanlian.core.uploads import checked_upload
from sanlian.enterprises.models import Enterprise
from sanlian.search.services import document_refresh

from ..models import Article, ArticleView, Tag

S = Article.Status
FIELDS = ("title", "summary", "body", "kind")
MAX_TAGS = 8
MAX_COVER_BYTES = 2 * 1024 * 1024
COVER_SUFFIXES = (".png", ".jpg")

# action → (statuses it leaves from, status it reaches)
TRANSITIONS = {
    "submit": ((S.DRAFT,), S.REVIEW),
    "publish": ((S.REVIEW,), S.PUBLISHED),
    "return": ((S.REVIEW,), S.DRAFT),
    "withdraw": ((S.PUBLISHED,), S.WITHDRAWN),
    "reopen": ((S.WITHDRAWN,), S.DRAFT),
}

_published_generation = [0]


def published_generation() -> int:
    """Bumped after every commit that may change the published set: the related-articles cache keys on it."""
    return _published_generation[0]


def _bump() -> None:
    _published_generation[0] += 1


def _bump_after_commit() -> None:
    """Now (a rolled-back change must not leave its index behind) and after commit (no reader keeps the old set)."""
    _bump()
    transaction.on_commit(_bump)


def tag_names(raw) -> list[str]:
    """Tags from a list or a comma/space separated text: NFKC, trimmed, '#' dropped, repeats removed."""
    if isinstance(raw, str):
        raw = raw.replace(",", ",").replace("、", ",").replace(",", " ").split()
    names: dict[str, None] = {}
    for item in raw or ():
        name = unicodedata.normalize("NFKC", str(item)).strip().lstrip("#").strip()
        if name:
            names.setdefault(name, None)
    return list(names)


def _validate(data: dict, tags: list[str], cover) -> dict:
    errors = {}
    if not str(data.get("title") or "").strip():
        errors["title"] = _("请填写标题")
    elif len(data["title"].strip()) > 120:
        errors["title"] = _("标题不超过 120 字")
    if len(str(data.get("summary") or "")) > 300:
        errors["summary"] = _("摘要不超过 300 字")
    if not str(data.get("body") or "").strip():
        errors["body"] = _("请填写正文")
    if data.get("kind") not in Article.Kind.values:
        errors["kind"] = _("请选择栏目")
    if len(tags) > MAX_TAGS or any(len(t) > 20 for t in tags):
        errors["tags"] = _("最多 %(n)s 个标签,每个不超过 20 字") % {"n": MAX_TAGS}
    if cover:
        try:
            name, _size = checked_upload(cover, field="cover", max_bytes=MAX_COVER_BYTES)
            if not name.endswith(COVER_SUFFIXES):
                errors["cover"] = _("封面须为 PNG 或 JPG 图片")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    return errors


def _enterprises_in_scope(actor, enterprises) -> list[Enterprise]:
    ids = [e.pk for e in enterprises or ()]
    found = list(scope_queryset(actor, Enterprise.objects.filter(pk__in=ids)))
    if len(found) != len(set(ids)):
        raise ValidationError({"enterprises": _("只能关联辖区内的企业")})
    return found


def _apply(article: Article, *, actor, data: dict, tags: list[str], enterprises, cover) -> None:
    for key in FIELDS:
        value = data.get(key)
        setattr(article, key, value.strip() if isinstance(value, str) else value)
    if cover:
        article.cover = cover
    article.save()
    article.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    article.enterprises.set(_enterprises_in_scope(actor, enterprises))


@transaction.atomic
def article_create(*, actor, data: dict, region, tags=(), enterprises=(), cover=None, now: datetime) -> Article:
    """An officer drafts an article for a region in their scope (their town, or the district for its officers)."""
    require(actor, "article.edit")
    names = tag_names(tags)
    errors = _validate(data, names, cover)
    if region is None or not in_scope(actor, region):
        errors["region"] = _("只能为辖区发布新闻")
    if errors:
        raise ValidationError(errors)
    article = Article(region=region, author=actor, created_at=now, updated_at=now, is_demo=bool(data.get("is_demo")))
    _apply(article, actor=actor, data=data, tags=names, enterprises=enterprises, cover=cover)
    audit_record(actor=actor, action="article.create", target=article, changes={"title": article.title}, now=now)
    document_refresh(kind="article", object_id=article.pk)
    return article


@transaction.atomic
def article_update(*, actor, article: Article, data: dict, tags=(), enterprises=(), cover=None, now: datetime):
    """Edit an article that is not withdrawn; a published one stays published and the change is audited."""
    require(actor, "article.edit", article)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == S.WITHDRAWN:
        raise ValidationError({"status": _("已撤回的新闻须先恢复为草稿再修改")})
    names = tag_names(tags)
    errors = _validate(data, names, cover)
    if errors:
        raise ValidationError(errors)
    before = {key: getattr(article, key) for key in FIELDS}
    before_tags = sorted(article.tags.values_list("name", flat=True))
    article.updated_at = now
    _apply(article, actor=actor, data=data, tags=names, enterprises=enterprises, cover=cover)
    changes = {key: article_value for key in FIELDS if (article_value := getattr(article, key)) != before[key]}
    if sorted(names) != before_tags:
        changes["tags"] = names
    if cover:
        changes["cover"] = article.cover.name
    audit_record(actor=actor, action="article.update", target=article, changes=changes, now=now,
                 note=article.status)  # fmt: skip
    if article.status == S.PUBLISHED:
        _bump_after_commit()
    document_refresh(kind="article", object_id=article.pk)
    return article


def _check_transition(actor, article: Article, action: str, comment: str) -> None:
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("未知操作")})
    sources, _target = TRANSITIONS[action]
    refuse_unless(article, allowed=sources)
    if action in ("publish", "return", "withdraw"):
        require(actor, "article.publish", article)
    else:
        require(actor, "article.edit", article)
    if action == "publish" and article.author_id == actor.pk:
        raise ValidationError({"reviewer": _("作者不能发布自己撰写的新闻,须由另一位工作人员审核发布")})
    if action == "return" and not comment.strip():
        raise ValidationError({"comment": _("退回时请填写修改意见")})


@transaction.atomic
def article_transition(*, actor, article: Article, action: str, comment: str = "", now: datetime) -> Article:
    """Move an article through the editorial workflow (see the module docstring); the author hears the outcome."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    _check_transition(actor, article, action, comment)
    before = article.status
    article.status = TRANSITIONS[action][1]
    if action in ("publish", "return"):
        article.reviewer, article.review_comment = actor, comment.strip()
    if action == "publish" and article.published_at is None:
        article.published_at = now
    article.updated_at = now
    article.save()
    audit_record(actor=actor, action=f"article.{action}", target=article,
                 changes={"status": [before, article.status]}, note=comment.strip(), now=now)  # fmt: skip
    if action in ("publish", "withdraw"):
        _bump_after_commit()
    if action in ("publish", "return") and article.author_id != actor.pk:
        title = {
            "publish": gettext_lazy("您的新闻已发布:%(title)s"),
            "return": gettext_lazy("您的新闻被退回修改:%(title)s"),
        }[action]
        notification_send(recipients=[article.author], title=Text(title , {"title": article.title}),
                          body=comment.strip(), url=reverse("news:edit", args=[article.pk]), now=now)  # fmt: skip
    document_refresh(kind="article", object_id=article.pk)
    return article


def article_view_record(*, article: Article, on_date: date, count: int = 1) -> None:
    """Count views of a published article on a day: one row per day, incremented in place (no row per hit)."""
    updated = ArticleView.objects.filter(article=article, view_date=on_date).update(count=F("count") + count)
    if updated:
        return
    try:
        with transaction.atomic():
            ArticleView.objects.create(article=article, view_date=on_date, count=count)
    except IntegrityError:  # another request created the day's row first
        ArticleView.objects.filter(article=article, view_date=on_date).update(count=F("count") + count)
