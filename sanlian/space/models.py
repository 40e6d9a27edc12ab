"""Space service (空间服务): listings of parks and landlords, verified by officers and kept fresh by
re-confirmation; enterprises' space requests matched on real specs; viewings; leases.

Rent is integer fen per m² per day (元/㎡/天, as Shanghai quotes it); areas are Decimal m².
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanlian.core.permissions import ScopePaths
from sanlian.engines.spacematch import GRADES

USER = settings.AUTH_USER_MODEL
ENTERPRISE = "enterprises.Enterprise"
AREA = {"max_digits": 10, "decimal_places": 2}


class Kind(models.TextChoices):
    OFFICE = "office", _("办公")
    WET_LAB = "wet_lab", _("湿实验室")
    GMP_WORKSHOP = "gmp_workshop", _("GMP 厂房")
    WAREHOUSE = "warehouse", _("仓库")
    COLD_STORE = "cold_store", _("冷库")


CLEANROOM_CHOICES = [(code, grade.label) for code, grade in GRADES.items()]


class Listing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待核验")
        PUBLISHED = "published", _("已发布")
        REJECTED = "rejected", _("未通过")
        LEASED = "leased", _("已租出")
        WITHDRAWN = "withdrawn", _("已撤下")
        EXPIRED = "expired", _("已过期")

    park = models.ForeignKey(
        "enterprises.Park", on_delete=models.PROTECT, related_name="space_listings", verbose_name=_("园区")
    )
    landlord = models.ForeignKey(ENTERPRISE, on_delete=models.CASCADE, related_name="+", verbose_name=_("业主/运营方"))
    title = models.CharField(_("标题"), max_length=100)
    building = models.CharField(_("楼栋"), max_length=40)
    floor = models.CharField(_("楼层"), max_length=20)
    unit = models.CharField(_("单元"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    area = models.DecimalField(_("面积(㎡)"), **AREA)
    leased_area = models.DecimalField(_("已租面积(㎡)"), default=Decimal("0"), **AREA)
    cleanroom = models.CharField(_("洁净等级"), max_length=8, choices=CLEANROOM_CHOICES, blank=True)
    floor_load = models.PositiveIntegerField(_("楼面荷载(kg/㎡)"), null=True, blank=True)
    power_kva = models.PositiveIntegerField(_("供电容量(kVA)"), null=True, blank=True)
    exhaust = models.BooleanField(_("排风/废气处理"), default=False)
    pure_water = models.BooleanField(_("纯化水"), default=False)
    hazchem_permit = models.BooleanField(_("危化品使用许可"), default=False)
    env_approval = models.BooleanField(_("环评批复"), default=False)
    rent_fen = models.PositiveIntegerField(_("租金(分/㎡/天)"))
    available_date = models.DateField(_("可入驻日期"))
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("核验意见"), blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("最近确认时间"), null=True, blank=True)
    expires_date = models.DateField(_("有效期至"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="park__town", enterprise="landlord_id")

    class Meta:
        verbose_name = _("空间房源")
        verbose_name_plural = _("空间房源")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "kind"], name="listing_status_kind"),
            models.Index(fields=["status", "expires_date"], name="listing_status_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(area__gt=0), name="listing_area_positive"),
            models.CheckConstraint(
                condition=Q(leased_area__gte=0) & Q(leased_area__lte=models.F("area")),
                name="listing_leased_within_area",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def vacant_area(self) -> Decimal:
        return self.area - self.leased_area

    @property
    def rent_yuan(self) -> Decimal:
        return Decimal(self.rent_fen) / 100

    @property
    def location(self) -> str:
        return " ".join(part for part in (self.building, self.floor, self.unit) if part)


class ListingFile(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        FLOOR_PLAN = "floor_plan", _("平面图")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    file = models.FileField(upload_to="space/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    scope = ScopePaths(region="listing__park__town", enterprise="listing__landlord_id")

    class Meta:
        verbose_name = _("房源附件")
        verbose_name_plural = _("房源附件")
        ordering = ["kind", "id"]

    def __str__(self):
        return self.name

    @property
    def is_image(self) -> bool:
        return not self.name.lower().endswith(".pdf")


class SpaceRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("匹配中")
        LEASED = "leased", _("已落位")
        CLOSED = "closed", _("已关闭")

    enterprise = models.ForeignKey(ENTERPRISE, on_delete=models.CASCADE, related_name="+", verbose_name=_("需求企业"))
    purpose = models.CharField(_("用途"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, blank=True)
    area_min = models.DecimalField(_("最小面积(㎡)"), **AREA)
    area_max = models.DecimalField(_("最大面积(㎡)"), null=True, blank=True, **AREA)
    # Specs as the engine's Specs fields: {"cleanroom": "gmp-c", "floor_load": 500, "pure_water": true, …}
    required = models.JSONField(_("必须满足"), default=dict, blank=True)
    preferred = models.JSONField(_("优先考虑"), default=dict, blank=True)
    max_rent_fen = models.PositiveIntegerField(_("租金上限(分/㎡/天)"), null=True, blank=True)
    move_in_date = models.DateField(_("计划入驻日期"), null=True, blank=True)
    park = models.ForeignKey(
        "enterprises.Park",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("意向园区"),
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提交时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("空间需求")
        verbose_name_plural = _("空间需求")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_max__isnull=True) | Q(area_max__gte=models.F("area_min")),
                name="space_request_area_range",
            )
        ]

    def __str__(self):
        return self.purpose


class Viewing(models.Model):
    """A visit to a listing for a request. The side named by `awaiting` confirms or proposes another time."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        CANCELLED = "cancelled", _("已取消")
        LEASED = "leased", _("已签约")
        NOT_TAKEN = "not_taken", _("未成交")

    class Side(models.TextChoices):
        LANDLORD = "landlord", _("业主")
        REQUESTER = "requester", _("需求企业")

    request = models.ForeignKey(SpaceRequest, on_delete=models.CASCADE, related_name="viewings")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="viewings")
    starts_at = models.DateTimeField(_("看房时间"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    awaiting = models.CharField(_("待谁确认"), max_length=10, choices=Side.choices, default=Side.LANDLORD)
    note = models.TextField(_("说明"), blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    outcome_at = models.DateTimeField(_("结果记录时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("预约时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    # The requesting enterprise and officers of the park's town; the landlord is added by the selectors.
    scope = ScopePaths(region="listing__park__town", enterprise="request__enterprise_id")

    class Meta:
        verbose_name = _("看房预约")
        verbose_name_plural = _("看房预约")
        ordering = ["starts_at", "id"]
        constraints = [
            # No double booking: one live viewing per listing and time slot.
            models.UniqueConstraint(
                fields=["listing", "starts_at"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="one_live_viewing_per_listing_slot",
            )
        ]

    def __str__(self):
        return f"{self.listing_id} · {self.starts_at:%Y-%m-%d %H:%M}"


class Lease(models.Model):
    """A signed lease of (part of) a listing: the take-up figures count these."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="leases")
    tenant = models.ForeignKey(
        ENTERPRISE, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("承租企业")
    )
    request = models.ForeignKey(SpaceRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="leases")
    area = models.DecimalField(_("租赁面积(㎡)"), **AREA)
    rent_fen = models.PositiveIntegerField(_("成交租金(分/㎡/天)"))
    start_date = models.DateField(_("起租日期"))
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"))

    scope = ScopePaths(region="listing__park__town", enterprise="listing__landlord_id")

    class Meta:
        verbose_name = _("租赁成交")
        verbose_name_plural = _("租赁成交")
        ordering = ["-start_date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(area__gt=0), name="lease_area_positive")]

    def __str__(self):
        return f"{self.listing_id} · {self.area} ㎡"
