"""The 春申 talent programme: rounds as data, key enterprises, applications, reviews, notices,
certificates, benefits, and the global talent ambassadors with their referral leads.

A round (one year of the programme) holds its levels, routes, quotas, scoring sheet, materials and
dates as rows and JSON, so a new round is configured by an officer, never coded. An application's
personal data (ID and phone numbers) is encrypted at rest; everything a reviewer or the public sees of
a person is masked unless a logged reveal says otherwise.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from sanlian.core.fields import MoneyField
from sanlian.core.permissions import ScopePaths

USER = settings.AUTH_USER_MODEL


class Route(models.TextChoices):
    CATALOGUE = "catalogue", _("目录认定")
    CONDITIONS = "conditions", _("条件认定")
    AUTHORISED = "authorised", _("授权认定")
    SPECIAL = "special", _("专项认定")
    NO_APPLICATION = "no_application", _("免申即享")


class Round(models.Model):
    """One year of the programme, configured by officers."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("申报中")
        REVIEWING = "reviewing", _("评审中")
        CLOSED = "closed", _("已结束")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    doc_number = models.CharField(_("文号"), max_length=64, blank=True)
    issuer = models.CharField(_("发布单位"), max_length=100, blank=True)
    region = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("实施区域")
    )
    description = models.TextField(_("说明"), blank=True)
    open_date = models.DateField(_("申报开始"))
    deadline_date = models.DateField(_("申报截止"))
    # Ages are counted on this date ("under 35" in 2023 = born on or after 1988-01-01 = under 35 on 2022-12-31).
    age_reference_date = models.DateField(_("年龄计算基准日"))
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    routes = models.JSONField(_("认定方式"), default=list, help_text=_("启用的认定方式代码列表"))
    # [{"code": "academic", "name": "学术"}, …]; empty when the round has levels only.
    types = models.JSONField(_("人才类型"), default=list, blank=True)
    # [{"key": "id_card", "label": "身份证", "required": true, "founders_only": false}, …]
    materials = models.JSONField(_("申报材料"), default=list, blank=True)
    # Criteria every applicant meets whatever the level (employer in the district, contract length …),
    # in the policy engine's rule format over the applicant facts of sanlian.talent.facts.
    rule = models.JSONField(_("基本条件"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("人才计划年度")
        verbose_name_plural = _("人才计划年度")
        ordering = ["-year"]

    def __str__(self):
        return self.name


class Level(models.Model):
    """A tier of a round (2023: 卓越 … 青年创新; 2025: A … E) with its criteria and benefits."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.TextField(_("认定标准"), blank=True)
    # A rule tree in the policy engine's format over the applicant facts of sanlian.talent.facts.
    rule = models.JSONField(_("资格条件"), default=dict, blank=True)
    housing_subsidy_max = MoneyField(_("购房补贴上限(元)"), null=True, blank=True)
    rent_subsidy_monthly = MoneyField(_("租房补贴(元/月)"), null=True, blank=True)
    schooling = models.BooleanField(_("子女入学服务"), default=False)
    medical = models.BooleanField(_("医疗绿色通道"), default=False)

    class Meta:
        verbose_name = _("人才层次")
        verbose_name_plural = _("人才层次")
        ordering = ["round", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="one_level_code_per_round")]

    def __str__(self):
        return self.name


class QuotaRule(models.Model):
    """At most `per_employer` applications of one position per employer in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="quotas")
    position = models.SlugField(_("岗位代码"), max_length=32)
    label = models.CharField(_("名称"), max_length=64)
    per_employer = models.PositiveSmallIntegerField(_("每家单位名额"))

    class Meta:
        verbose_name = _("名额规则")
        verbose_name_plural = _("名额规则")
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "position"], name="one_quota_per_position")]

    def __str__(self):
        return f"{self.label} ≤ {self.per_employer}"


class ScoringItem(models.Model):
    """One line of a round's scoring sheet."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scoring_items")
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("评分项"), max_length=100)
    max_score = models.PositiveSmallIntegerField(_("满分"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["round", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="one_scoring_code_per_round")]

    def __str__(self):
        return f"{self.name} ({self.max_score})"


class KeyEnterprise(models.Model):
    """The talent-programme terms of a key-enterprise designation (重点企业).

    The designation itself is the registry's certification (type 春申重点企业, with its year and source
    document), which the cockpit, `sanlian stats` and the policy facts already read; this row adds what
    only the talent programme needs.
    """

    certification = models.OneToOneField(
        "enterprises.Certification", on_delete=models.CASCADE, related_name="talent_terms"
    )
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    quota = models.PositiveSmallIntegerField(_("申报名额"), null=True, blank=True, help_text=_("空 = 不另设名额"))
    can_certify_staff = models.BooleanField(_("可自主认定本单位人才"), default=False)
    created_at = models.DateTimeField(_("创建时间"))

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("重点企业")
        verbose_name_plural = _("重点企业")
        ordering = ["-year", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="one_key_designation_per_year")]

    def __str__(self):
        return f"{self.year} · {self.enterprise_id}"


class TalentApplication(models.Model):
    """One person's application in one round, filed by the talent or the employer's HR."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("填写中")
        EMPLOYER_REVIEW = "employer_review", _("待单位确认")
        SUBMITTED = "submitted", _("待镇级预审")
        DISTRICT_REVIEW = "district_review", _("区级评审中")
        NOTICE = "notice", _("公示中")
        APPROVED = "approved", _("已认定")
        REJECTED = "rejected", _("未通过")
        RETURNED = "returned", _("退回修改")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Gender(models.TextChoices):
        FEMALE = "female", _("女")
        MALE = "male", _("男")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="applications", verbose_name=_("申报层次"))
    talent_type = models.SlugField(_("人才类型"), max_length=32, blank=True)
    route = models.CharField(_("认定方式"), max_length=16, choices=Route.choices, default=Route.CONDITIONS)
    position = models.SlugField(_("岗位"), max_length=32, blank=True, help_text=_("名额规则中的岗位代码"))
    employer = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("用人单位")
    )
    applicant = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="talent_applications"
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)

    # Personal data (PIPL): ID and phone numbers are encrypted at rest and masked on screen.
    name = models.CharField(_("姓名"), max_length=64)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True, null=True)
    # A keyed hash of the ID number: encrypted values cannot be compared, and one person may hold one
    # live application per round.
    id_digest = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedCharField(_("手机号"), max_length=32, blank=True, null=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    education = models.JSONField(_("教育经历"), default=list, blank=True)
    career = models.JSONField(_("工作经历"), default=list, blank=True)
    achievements = models.TextField(_("主要业绩"), blank=True)
    titles = models.JSONField(_("已获人才称号"), default=list, blank=True)
    is_founder = models.BooleanField(_("企业创始人"), default=False)
    contract_start_date = models.DateField(_("劳动合同起始"), null=True, blank=True)
    contract_end_date = models.DateField(_("劳动合同截止"), null=True, blank=True)
    social_insurance_months = models.PositiveSmallIntegerField(_("社保缴纳月数"), null=True, blank=True)
    tax_record_months = models.PositiveSmallIntegerField(_("个税缴纳月数"), null=True, blank=True)

    eligibility = models.CharField(_("资格预判"), max_length=16, blank=True)
    explanation = models.JSONField(_("资格说明"), default=list, blank=True)
    score = models.DecimalField(_("评审平均分"), max_digits=6, decimal_places=2, null=True, blank=True)
    town_comment = models.TextField(_("镇级预审意见"), blank=True)
    district_comment = models.TextField(_("区级意见"), blank=True)
    notice = models.ForeignKey("Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="applications")
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    town_reviewed_at = models.DateTimeField(_("预审时间"), null=True, blank=True)
    town_reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(region="employer__town", enterprise="employer_id", owner="applicant_id")

    class Meta:
        verbose_name = _("人才申报")
        verbose_name_plural = _("人才申报")
        ordering = ["-updated_at", "-id"]
        constraints = [
            # One live application per person and round (withdrawn ones do not count).
            models.UniqueConstraint(
                fields=["round", "applicant"],
                condition=Q(applicant__isnull=False) & ~Q(status="withdrawn"),
                name="one_live_application_per_talent_and_round",
            ),
            models.UniqueConstraint(
                fields=["round", "id_digest"],
                condition=~Q(id_digest="") & ~Q(status="withdrawn"),
                name="one_live_application_per_person_and_round",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="talent_app_round_status"),
            models.Index(fields=["employer", "round"], name="talent_app_employer_round"),
        ]

    def __str__(self):
        return f"{self.round.year} · {self.level} · {self.pk}"


class ApplicationMaterial(models.Model):
    application = models.ForeignKey(TalentApplication, on_delete=models.CASCADE, related_name="materials")
    item = models.CharField(_("材料"), max_length=64)
    file = models.FileField(_("文件"), upload_to="talent/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(
        region="application__employer__town", enterprise="application__employer_id", owner="application__applicant_id"
    )

    class Meta:
        verbose_name = _("人才申报材料")
        verbose_name_plural = _("人才申报材料")
        ordering = ["item", "uploaded_at"]

    def __str__(self):
        return self.name


class ApplicationEvent(models.Model):
    """A step of an application as its applicant sees it (status changes, returns, scores published)."""

    application = models.ForeignKey(TalentApplication, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("申报记录")
        verbose_name_plural = _("申报记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.application_id} · {self.action}"


class ReviewerTie(models.Model):
    """A declared tie between a reviewer and an employer: the reviewer never reviews its candidates."""

    reviewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="talent_ties")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("关联说明"), max_length=200)
    declared_at = models.DateTimeField(_("申报时间"))

    class Meta:
        verbose_name = _("评审回避关系")
        verbose_name_plural = _("评审回避关系")
        constraints = [models.UniqueConstraint(fields=["reviewer", "enterprise"], name="one_tie_per_pair")]

    def __str__(self):
        return f"{self.reviewer_id} ↔ {self.enterprise_id}"


class ReviewAssignment(models.Model):
    """One reviewer's independent scoring of one application."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待评分")
        SUBMITTED = "submitted", _("已评分")
        RECUSED = "recused", _("已回避")

    application = models.ForeignKey(TalentApplication, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="talent_reviews")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    scores = models.JSONField(_("各项得分"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    assigned_at = models.DateTimeField(_("分配时间"))
    assigned_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    scope = ScopePaths(region="application__employer__town")

    class Meta:
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        ordering = ["application", "assigned_at"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self):
        return f"{self.application_id} · {self.reviewer_id}"


class Notice(models.Model):
    """A public notice (公示) of the applications a round proposes to recognise."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("标题"), max_length=200)
    start_date = models.DateField(_("公示开始"))
    end_date = models.DateField(_("公示结束"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(region="round__region")

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return self.title


class Certificate(models.Model):
    """The certificate of an approved application, verifiable by its QR code's token."""

    application = models.OneToOneField(TalentApplication, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("证书编号"), max_length=32, unique=True)
    token = models.CharField(_("核验码"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("颁发时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    scope = ScopePaths(
        region="application__employer__town", enterprise="application__employer_id", owner="application__applicant_id"
    )

    class Meta:
        verbose_name = _("人才证书")
        verbose_name_plural = _("人才证书")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.number


class Benefit(models.Model):
    """A benefit of a recognised talent, tracked requested → granted → paid (or rejected)."""

    class Kind(models.TextChoices):
        HOUSING_PURCHASE = "housing_purchase", _("购房补贴")
        RENT = "rent", _("租房补贴")
        SCHOOLING = "schooling", _("子女入学")
        MEDICAL = "medical", _("医疗绿色通道")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("已申请")
        GRANTED = "granted", _("已批准")
        PAID = "paid", _("已发放")
        REJECTED = "rejected", _("未批准")

    application = models.ForeignKey(TalentApplication, on_delete=models.PROTECT, related_name="benefits")
    kind = models.CharField(_("待遇类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    amount_requested = MoneyField(_("申请金额(元)"), null=True, blank=True)
    amount_granted = MoneyField(_("批准金额(元)"), null=True, blank=True)
    amount_paid = MoneyField(_("发放金额(元)"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    requested_at = models.DateTimeField(_("申请时间"))
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    paid_date = models.DateField(_("发放日期"), null=True, blank=True)

    scope = ScopePaths(
        region="application__employer__town", enterprise="application__employer_id", owner="application__applicant_id"
    )

    class Meta:
        verbose_name = _("人才待遇")
        verbose_name_plural = _("人才待遇")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.application_id} · {self.kind}"


class Ambassador(models.Model):
    """A global talent ambassador (全球引才大使) appointed by a town for a term."""

    user = models.OneToOneField(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="ambassador_profile"
    )
    name = models.CharField(_("姓名"), max_length=64)
    organisation = models.CharField(_("所在机构"), max_length=200, blank=True)
    field = models.CharField(_("领域"), max_length=100)
    overseas_region = models.CharField(_("联络地区"), max_length=100)
    town = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("聘任镇(街道)")
    )
    letter_number = models.CharField(_("聘书编号"), max_length=32, unique=True)
    appointed_date = models.DateField(_("聘任日期"))
    term_start_date = models.DateField(_("任期开始"))
    term_end_date = models.DateField(_("任期结束"))
    created_at = models.DateTimeField(_("创建时间"))

    scope = ScopePaths(region="town", owner="user_id")

    class Meta:
        verbose_name = _("全球引才大使")
        verbose_name_plural = _("全球引才大使")
        ordering = ["-appointed_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end_date__gt=models.F("term_start_date")), name="ambassador_term_order"
            )
        ]

    def __str__(self):
        return self.name


class Lead(models.Model):
    """A referral: a talent or a firm an ambassador brings towards the town."""

    class Kind(models.TextChoices):
        TALENT = "talent", _("人才")
        FIRM = "firm", _("企业/项目")

    class Status(models.TextChoices):
        LEAD = "lead", _("线索")
        CONTACTED = "contacted", _("已联系")
        VISITED = "visited", _("已考察")
        LANDED = "landed", _("已落地")
        CERTIFIED = "certified", _("已认定")
        DROPPED = "dropped", _("已终止")

    class Landing(models.TextChoices):
        FIRM_FOUNDED = "firm_founded", _("创办企业")
        TALENT_HIRED = "talent_hired", _("入职企业")

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="leads")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    field = models.CharField(_("领域"), max_length=100, blank=True)
    note = models.TextField(_("情况说明"), blank=True)
    status = models.CharField(_("进展"), max_length=12, choices=Status.choices, default=Status.LEAD)
    landing = models.CharField(_("落地方式"), max_length=16, choices=Landing.choices, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    application = models.ForeignKey(
        TalentApplication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    landed_at = models.DateTimeField(_("落地时间"), null=True, blank=True)
    certified_at = models.DateTimeField(_("认定时间"), null=True, blank=True)

    scope = ScopePaths(region="ambassador__town", owner="ambassador__user_id")

    class Meta:
        verbose_name = _("引才线索")
        verbose_name_plural = _("引才线索")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["ambassador", "status"], name="lead_ambassador_status")]

    def __str__(self):
        return self.name


class LeadEvent(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原进展"), max_length=12, blank=True)
    to_status = models.CharField(_("新进展"), max_length=12)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("线索进展")
        verbose_name_plural = _("线索进展")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.lead_id} → {self.to_status}"
