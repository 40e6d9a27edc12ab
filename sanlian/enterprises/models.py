from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from sanlian.core.fields import MoneyField
from sanlian.core.permissions import ScopePaths


def localized_name(obj) -> str:
    """Reference names follow the UI language: the English name when English is active and one exists."""
    english = (get_language() or "").startswith("en")
    return obj.name_en if english and obj.name_en else obj.name


class Region(models.Model):
    """上海市 → 闵行区 → towns and streets; `path` lets one prefix query select a whole subtree."""

    class Level(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区")
        TOWN = "town", _("镇")
        STREET = "street", _("街道")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=64, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)

    scope = ScopePaths(region="self")

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["path"]

    def __str__(self):
        return localized_name(self)

    @property
    def is_town_level(self) -> bool:
        return self.level in (self.Level.TOWN, self.Level.STREET)


class Park(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    aliases = models.CharField(_("别名"), max_length=200, blank=True)
    town = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="parks", verbose_name=_("所在镇"))

    scope = ScopePaths(region="town")

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["code"]

    def __str__(self):
        return localized_name(self)


class Cluster(models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    name_en = models.CharField(_("英文名称"), max_length=64, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")
        ordering = ["sort", "code"]

    def __str__(self):
        return localized_name(self)


class ChainNode(models.Model):
    """A link of the biomedical chain; codes U1 … S6 are stable identifiers (FACTS.md)."""

    class Stage(models.TextChoices):
        UPSTREAM = "upstream", _("上游")
        MIDSTREAM = "midstream", _("中游")
        DOWNSTREAM = "downstream", _("下游")
        SUPPORT = "support", _("支撑")

    code = models.CharField(
        _("代码"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[UMDS][0-9]{1,2}$", _("代码格式如 U1、M5、S6"))],
    )
    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)
    description = models.TextField(_("说明"), blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ["sort", "code"]

    def __str__(self):
        return f"{self.code} {localized_name(self)}"


class CertificationType(models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    default_issuer = models.CharField(_("默认认定机构"), max_length=100, blank=True)
    per_year = models.BooleanField(_("按年度认定"), default=False)

    class Meta:
        verbose_name = _("资质类型")
        verbose_name_plural = _("资质类型")
        ordering = ["code"]

    def __str__(self):
        return localized_name(self)


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=128)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    uscc_override_reason = models.TextField(_("校验位例外说明"), blank=True)
    industry_code = models.CharField(
        _("国民经济行业代码"),
        max_length=4,
        help_text=_("GB/T 4754-2017,2–4位数字"),
        validators=[RegexValidator(r"^[0-9]{2,4}$", _("行业代码应为2–4位数字(GB/T 4754-2017)"))],
    )
    is_biomedical = models.BooleanField(_("生物医药企业"), default=False)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("产业集群")
    )
    is_gene_related = models.BooleanField(_("基因相关"), default=False)
    chain_nodes = models.ManyToManyField(
        ChainNode, blank=True, related_name="enterprises", verbose_name=_("产业链环节")
    )
    town = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所在镇/街道")
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所在园区")
    )
    founded_date = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = MoneyField(_("注册资本(元)"), null=True, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    address = models.CharField(_("注册地址"), max_length=200, blank=True)
    business_scope = models.TextField(_("经营范围"), blank=True)
    description = models.TextField(_("企业简介"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="town", enterprise="pk")

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]
        indexes = [
            # A town's biomedical enterprises with every column the cockpit counts, groups and joins by:
            # the database reads them from the index alone (key columns rather than `include`, which SQLite lacks).
            models.Index(
                fields=["town", "is_biomedical", "cluster", "park", "is_gene_related", "founded_date", "id"],
                name="enterprise_town_biomedical",
            ),
            models.Index(fields=["cluster"]),
            # The directory's order, with the town for the scope filter: a page's ids come from the index alone.
            models.Index(fields=["name", "id", "town"], name="enterprise_directory_order"),
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("姓名"), max_length=64)
    title = models.CharField(_("职务"), max_length=64, blank=True)
    phone = EncryptedCharField(_("手机号"), max_length=32, blank=True, null=True)
    email = EncryptedCharField(_("电子邮箱"), max_length=128, blank=True, null=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")
        ordering = ["-is_primary", "id"]

    def __str__(self):
        return self.name


class Certification(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="certifications")
    type = models.ForeignKey(
        CertificationType, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("资质类型")
    )
    issuer = models.CharField(_("认定机构"), max_length=100)
    number = models.CharField(_("证书编号"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("认定年度"), null=True, blank=True)
    valid_from_date = models.DateField(_("生效日期"), null=True, blank=True)
    valid_until_date = models.DateField(_("有效期至"), null=True, blank=True)
    source_document = models.CharField(_("依据文件"), max_length=200, blank=True)

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("资质认定")
        verbose_name_plural = _("资质认定")
        ordering = ["-year", "-valid_from_date", "id"]
        indexes = [models.Index(fields=["type", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until_date__isnull=True)
                | Q(valid_from_date__isnull=True)
                | Q(valid_until_date__gte=models.F("valid_from_date")),
                name="certification_valid_range",
            )
        ]

    def __str__(self):
        return f"{self.type} {self.year or ''}".strip()


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    revenue = MoneyField(_("营业收入(元)"))
    tax = MoneyField(_("纳税总额(元)"))
    rd_spend = MoneyField(_("研发投入(元)"))
    employees = models.PositiveIntegerField(_("从业人数"))
    rd_staff = models.PositiveIntegerField(_("研发人员"))
    patents_invention = models.PositiveIntegerField(_("发明专利"), default=0)
    patents_utility = models.PositiveIntegerField(_("实用新型专利"), default=0)
    patents_design = models.PositiveIntegerField(_("外观设计专利"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("审核意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("提交人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审核人"),
    )

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("年报")
        verbose_name_plural = _("年报")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_report_per_enterprise_year"),
            models.CheckConstraint(condition=Q(rd_staff__lte=models.F("employees")), name="rd_staff_within_employees"),
        ]
        indexes = [
            # Serves the year's figures and lets "top enterprises by revenue" stop after N rows.
            models.Index(fields=["year", "status", "-revenue"], name="report_year_status_revenue"),
            # The approved revenue of given enterprises and years, read from the index alone (cockpit).
            models.Index(
                fields=["enterprise", "year", "revenue"], condition=Q(status="approved"), name="report_approved_revenue"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}"

    @property
    def patents_total(self) -> int:
        return self.patents_invention + self.patents_utility + self.patents_design
