"""News and announcements: articles written by officers, reviewed by another officer, then public."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanlian.core.permissions import ScopePaths


class Tag(models.Model):
    """A normalised tag (NFKC, trimmed): one row per spelling, shared by every article that uses it."""

    name = models.CharField(_("标签"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("新闻标签")
        verbose_name_plural = _("新闻标签")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Article(models.Model):
    class Kind(models.TextChoices):
        POLICY = "policy", _("政策解读")
        ACTIVITY = "activity", _("活动报道")
        NOTICE = "notice", _("通知公告")
        INDUSTRY = "industry", _("产业资讯")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审核")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    # Plain text; blank lines separate paragraphs. Authors cannot put HTML on a public page.
    body = models.TextField(_("正文"))
    kind = models.CharField(_("栏目"), max_length=16, choices=Kind.choices)
    cover = models.FileField(_("封面图片"), upload_to="news/%Y/", blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("标签"))
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", blank=True, related_name="news_articles", verbose_name=_("相关企业")
    )
    region = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("发布范围")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles_written", verbose_name=_("作者")
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles_reviewed",
        verbose_name=_("审核人"),
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    is_demo = models.BooleanField(_("演示数据"), default=False)

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at", "-id"], name="article_public_idx")]

    def __str__(self):
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


class ArticleView(models.Model):
    """Views of an article on one day: one row per (article, day), counted up in place."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_views")
    view_date = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("浏览次数"), default=0)

    class Meta:
        verbose_name = _("新闻浏览量")
        verbose_name_plural = _("新闻浏览量")
        constraints = [models.UniqueConstraint(fields=["article", "view_date"], name="article_view_once_a_day")]
        indexes = [models.Index(fields=["view_date"], name="article_view_date_idx")]

    def __str__(self):
        return f"{self.article_id} {self.view_date}: {self.count}"
