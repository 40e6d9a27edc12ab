"""The enterprise service desk (企业诉求, 接诉即办) and officers' visits (走访).

A request is acknowledged and resolved against its category's SLA, counted in working days on the
calendar of sanlian.engines.workdays (Chinese public holidays and make-up days as data). It closes only
when the enterprise confirms the resolution (or after a confirmation timeout), can be reopened, and is
rated. Routing rules pick the officer by category and town.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from sanlian.core.fields import MoneyField
from sanlian.core.permissions import ScopePaths
from sanlian.enterprises.models import localized_name

USER = settings.AUTH_USER_MODEL


class Category(models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    ack_working_days = models.PositiveSmallIntegerField(_("受理时限(工作日)"), default=1)
    resolve_working_days = models.PositiveSmallIntegerField(_("办结时限(工作日)"))
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["sort", "code"]

    def __str__(self):
        return localized_name(self)


class RoutingRule(models.Model):
    """Requests of a category from a town go to this officer (a blank category = every category)."""

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="rules")
    town = models.ForeignKey("enterprises.Region", on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    scope = ScopePaths(region="town")

    class Meta:
        verbose_name = _("分派规则")
        verbose_name_plural = _("分派规则")
        constraints = [
            models.UniqueConstraint(fields=["category", "town"], name="one_rule_per_category_and_town"),
            models.UniqueConstraint(
                fields=["town"], condition=Q(category__isnull=True), name="one_default_rule_per_town"
            ),
        ]

    def __str__(self):
        return f"{self.category_id or '*'} · {self.town_id} → {self.officer_id}"


class ServiceRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACKNOWLEDGED = "acknowledged", _("办理中")
        RESOLVED = "resolved", _("待企业确认")
        CLOSED = "closed", _("已办结")
        WITHDRAWN = "withdrawn", _("已撤回")

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="requests")
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("诉求内容"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    assigned_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))
    ack_due_at = models.DateTimeField(_("受理时限"))
    resolve_due_at = models.DateTimeField(_("办结时限"))
    acknowledged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("重新打开次数"), default=0)
    rating = models.PositiveSmallIntegerField(_("满意度(1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("评价"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"))
    # A request to a provider of the catalogue goes through the desk like any other (see Provider below).
    provider = models.ForeignKey(
        "Provider", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests",
        verbose_name=_("服务机构"),
    )  # fmt: skip
    provider_service = models.ForeignKey(
        "ProviderService", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests",
        verbose_name=_("机构服务"),
    )  # fmt: skip

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "resolve_due_at"], name="request_status_due"),
            models.Index(fields=["assigned_to", "status"], name="request_assignee_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="request_rating_1_to_5"
            )
        ]

    def __str__(self):
        return self.title


class Reply(models.Model):
    """One message of a request's thread (the enterprise's or an officer's)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("回复")
        verbose_name_plural = _("回复")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.request_id} · {self.created_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="servicedesk/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    scope = ScopePaths(region="request__enterprise__town", enterprise="request__enterprise_id")

    class Meta:
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class RequestEvent(models.Model):
    """A step of a request (submitted, assigned, acknowledged, escalated, resolved, confirmed, reopened …)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("诉求记录")
        verbose_name_plural = _("诉求记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.request_id} · {self.action}"


class Visit(models.Model):
    """An officer's visit (走访) to an enterprise, with notes and red flags."""

    class Flag(models.TextChoices):
        REVENUE_DROP = "revenue_drop", _("营收下滑")
        RELOCATION = "relocation", _("有外迁意向")
        LAYOFFS = "layoffs", _("裁员")
        SUPPLY = "supply", _("供应链问题")

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    visited_date = models.DateField(_("走访日期"))
    notes = models.TextField(_("走访记录"))
    flags = models.JSONField(_("风险提示"), default=list, blank=True)
    created_at = models.DateTimeField(_("记录时间"))

    scope = ScopePaths(region="enterprise__town")

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_date", "-id"]
        indexes = [models.Index(fields=["enterprise", "visited_date"], name="visit_enterprise_date")]

    def __str__(self):
        return f"{self.enterprise_id} · {self.visited_date}"


# -- service providers (服务机构) and their ratings -----------------------------------------------------------


class Provider(models.Model):
    """A firm enterprises can be introduced to through the desk: an IP agency, a law firm, a CRO, a lab …

    `region` is where the provider is managed from (its registered town, or the district for a district-wide
    listing): town officers manage the providers of their town, district officers every provider of the
    district. `regions_served` only feeds the catalogue's region filter.
    """

    class Kind(models.TextChoices):
        IP_AGENCY = "ip_agency", _("知识产权代理")
        LAW_FIRM = "law_firm", _("律师事务所")
        CRO = "cro", _("CRO")
        CDMO = "cdmo", _("CDMO/CMO")
        TESTING_LAB = "testing_lab", _("检测认证")
        FINANCING = "financing", _("投融资")
        REGULATORY = "regulatory", _("注册申报")
        OTHER = "other", _("其他服务")

    class Status(models.TextChoices):
        LISTED = "listed", _("已上架")
        SUSPENDED = "suspended", _("已暂停")

    name = models.CharField(_("机构名称"), max_length=128)
    kind = models.CharField(_("机构类型"), max_length=16, choices=Kind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("关联在册企业"),
    )  # fmt: skip
    region = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("管理辖区")
    )
    regions_served = models.ManyToManyField(
        "enterprises.Region", blank=True, related_name="+", verbose_name=_("服务区域")
    )
    description = models.TextField(_("机构简介"))
    qualifications = models.CharField(_("资质"), max_length=300, blank=True)
    switchboard = models.CharField(_("总机电话"), max_length=32, blank=True)
    email = models.EmailField(_("业务邮箱"), blank=True)
    website = models.URLField(_("网址"), blank=True)
    # An individual's name and mobile are personal data (PIPL): the mobile is encrypted and shown masked.
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_mobile = EncryptedCharField(_("联系人手机"), max_length=32, blank=True, null=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.LISTED)
    status_reason = models.TextField(_("状态说明"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("服务机构")
        verbose_name_plural = _("服务机构")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "kind", "name"], name="provider_status_kind_name")]

    def __str__(self):
        return self.name


class ProviderService(models.Model):
    """One service of a provider with its price range in fen (MoneyField) and the unit it is priced by."""

    class Unit(models.TextChoices):
        PER_CASE = "per_case", _("件")
        PER_HOUR = "per_hour", _("小时")
        PER_PROJECT = "per_project", _("项目")
        PER_SAMPLE = "per_sample", _("样品")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("服务名称"), max_length=100)
    description = models.TextField(_("服务说明"), blank=True)
    price_min = MoneyField(_("最低价(元)"))
    price_max = MoneyField(_("最高价(元)"), null=True, blank=True)
    unit = models.CharField(_("计价单位"), max_length=16, choices=Unit.choices)
    turnaround_days = models.PositiveSmallIntegerField(_("周期(天)"), null=True, blank=True)
    is_active = models.BooleanField(_("在售"), default=True)

    scope = ScopePaths(region="provider__region")

    class Meta:
        verbose_name = _("机构服务")
        verbose_name_plural = _("机构服务")
        ordering = ["provider", "price_min", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_max__isnull=True) | Q(price_max__gte=models.F("price_min")),
                name="provider_service_min_le_max",
            ),
            models.CheckConstraint(condition=Q(price_min__gte=0), name="provider_service_price_not_negative"),
        ]

    def __str__(self):
        return self.name


class ProviderRating(models.Model):
    """An enterprise's rating of a provider after a desk request through it closed: one per request."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="ratings")
    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="provider_rating")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("评分(1–5)"))
    comment = models.TextField(_("评价内容"), blank=True)
    rated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("评价时间"))
    # An abusive comment is hidden by an officer; the score still counts.
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    hidden_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hidden_reason = models.CharField(_("隐藏原因"), max_length=200, blank=True)

    scope = ScopePaths(region="provider__region", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("机构评价")
        verbose_name_plural = _("机构评价")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="provider_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.provider_id} · {self.score}"
