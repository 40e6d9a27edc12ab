"""One search document per searchable object (企业, 政策, 供需信息, 空间房源, 新闻, 活动).

The full-text index is not a model field: on SQLite it is an FTS5 table over `title_tokens` and
`body_tokens` (kept in step by triggers), on PostgreSQL a generated tsvector column with a GIN index; both
are created by migration 0002 for the database at hand.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开")
    MEMBERS = "members", _("登录可见")
    SCOPED = "scoped", _("限范围")


class SearchDocument(models.Model):
    kind = models.CharField(_("类型"), max_length=16)
    object_id = models.BigIntegerField(_("对象编号"))
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文摘录"), blank=True)
    url = models.CharField(_("链接"), max_length=300)
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    visibility = models.CharField(_("可见范围"), max_length=8, choices=Visibility.choices)
    # Who else sees it: officers whose region path is a prefix of region_path, the users of enterprise_id.
    region_path = models.CharField(max_length=255, blank=True)
    enterprise_id = models.BigIntegerField(null=True, blank=True)
    # A public or members-only document stops being so after this date (a posting's expiry).
    visible_until_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索文档")
        verbose_name_plural = _("搜索文档")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_document_per_object")]
        # With the full-text index, these let PostgreSQL combine "what the user may see" and "what matches"
        # in the indexes (BitmapAnd/BitmapOr) before reading any row: an officer's region by path prefix
        # (pattern ops: LIKE 'prefix%'), the few public and members-only documents by a partial index.
        indexes = [
            models.Index(fields=["region_path"], name="search_doc_region", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["enterprise_id"], name="search_doc_enterprise"),
            models.Index(fields=["visibility"], name="search_doc_listed", condition=~models.Q(visibility="scoped")),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title}"
