"""Import jobs (one uploaded file, its options, progress and outcome) and saved column mappings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanlian.core.permissions import ScopePaths


class ImportKind(models.TextChoices):
    ENTERPRISES = "enterprises", _("企业名录")
    ANNUAL_REPORTS = "annual-reports", _("企业年报")
    CERTIFICATIONS = "certifications", _("资质认定")
    TALENTS = "talents", _("人才名单")
    SPACE_LISTINGS = "space-listings", _("空间房源")


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("导入类型"), max_length=32, choices=ImportKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("操作人"),
    )  # fmt: skip
    # Region of the actor when the job was made: whoever covers it may follow the job.
    region = models.ForeignKey(
        "enterprises.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("区域"),
    )  # fmt: skip
    # Relative to settings.SANLIAN_IMPORT_DIR (under VAR_DIR, never under MEDIA_ROOT: not served).
    file_path = models.CharField(_("文件"), max_length=255)
    file_name = models.CharField(_("文件名"), max_length=200)
    file_size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    sheet = models.CharField(_("工作表"), max_length=100, blank=True)
    dry_run = models.BooleanField(_("仅预检"), default=True)
    partial = models.BooleanField(_("导入无误的行"), default=False)
    mapping = models.JSONField(_("列对应"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    rejected = models.PositiveIntegerField(_("有错误"), default=0)
    applied = models.BooleanField(_("已写入"), default=False)
    errors = models.JSONField(_("行错误"), default=list, blank=True)  # [{row, column, value, reason}]
    message = models.TextField(_("说明"), blank=True)  # a file-level problem
    created_at = models.DateTimeField(_("创建时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportTemplate(models.Model):
    """A saved column mapping ({sheet header: field}, money units) for one kind, shared in a region."""

    kind = models.CharField(_("导入类型"), max_length=32, choices=ImportKind.choices)
    name = models.CharField(_("名称"), max_length=64)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("创建人"),
    )  # fmt: skip
    region = models.ForeignKey(
        "enterprises.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("区域"),
    )  # fmt: skip
    mapping = models.JSONField(_("列对应"), default=dict)  # {header: field or ""}
    units = models.JSONField(_("金额单位"), default=dict, blank=True)  # {field: "元" | "万元"}
    created_at = models.DateTimeField(_("创建时间"))

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("导入模板")
        verbose_name_plural = _("导入模板")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name", "region"], name="import_template_name")]

    def __str__(self):
        return self.name
