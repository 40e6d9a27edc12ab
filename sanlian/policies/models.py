"""Policies that find enterprises: versioned policies, dated parameters, stored eligibility, calls.

History is never overwritten: a published policy version is frozen (edits make a new draft), a
parameter value is appended with its effective date and the time it was recorded, and an eligibility
result is superseded rather than updated, so "what was enterprise X told on date D, under which
version" is a query.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanlian.core.fields import MoneyField
from sanlian.core.permissions import ScopePaths

USER = settings.AUTH_USER_MODEL


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", _("符合")
    NOT_ELIGIBLE = "not_eligible", _("不符合")
    UNKNOWN = "unknown", _("待补充信息")


class Parameter(models.Model):
    """A named threshold or amount that rules refer to instead of typing the number in."""

    class Type(models.TextChoices):
        NUMBER = "number", _("数值")
        TEXT = "text", _("文本")

    name = models.SlugField(_("参数名"), max_length=64, unique=True)
    label = models.CharField(_("名称"), max_length=100)
    label_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    type = models.CharField(_("类型"), max_length=8, choices=Type.choices, default=Type.NUMBER)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    source_clause = models.CharField(_("依据条款"), max_length=300, blank=True)
    # A text fact whose value selects the keyed value (e.g. "cluster"); blank = one value for all.
    key_fact = models.CharField(_("分档依据"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        ordering = ["name"]

    def __str__(self):
        return f"{self.label} ({self.name})"


class ParameterValue(models.Model):
    """One value of a parameter from an effective date on, as recorded at `recorded_at` (append-only)."""

    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, related_name="values")
    key = models.CharField(_("分档"), max_length=64, blank=True, help_text=_("空 = 不分档;* = 其他档"))
    value = models.JSONField(_("取值"))
    effective_date = models.DateField(_("生效日期"))
    recorded_at = models.DateTimeField(_("录入时间"))
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参数取值")
        verbose_name_plural = _("参数取值")
        ordering = ["parameter", "key", "-effective_date", "-recorded_at"]
        indexes = [models.Index(fields=["parameter", "key", "effective_date", "recorded_at"], name="param_value_asof")]

    def __str__(self):
        return f"{self.parameter_id}[{self.key}] = {self.value} @ {self.effective_date}"


class Policy(models.Model):
    """A support measure (惠企政策); its content lives in versions."""

    code = models.SlugField(_("编号"), max_length=64, unique=True)
    region = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("发布区域")
    )
    created_at = models.DateTimeField(_("创建时间"))

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["code"]

    def __str__(self):
        return self.code


class PolicyVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("历史版本")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("政策名称"), max_length=200)
    title_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    issuer = models.CharField(_("发布机构"), max_length=100)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    source_clause = models.CharField(_("依据条款"), max_length=300, blank=True)
    summary = models.TextField(_("政策摘要"), blank=True)
    benefit = models.JSONField(_("支持标准"), default=dict, blank=True)
    benefit_text = models.CharField(_("支持标准说明"), max_length=300, blank=True)
    effective_from_date = models.DateField(_("生效日期"))
    effective_until_date = models.DateField(_("截止日期"), null=True, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    no_application = models.BooleanField(_("免申即享"), default=False)
    handbook_target = models.TextField(_("申报对象"), blank=True)
    handbook_conditions = models.TextField(_("申报条件"), blank=True)
    handbook_deadline = models.TextField(_("办理时限"), blank=True)
    handbook_materials = models.TextField(_("申报材料"), blank=True)
    rule = models.JSONField(_("资格规则"), default=dict)
    tests = models.JSONField(_("测试用例"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(region="policy__region")

    class Meta:
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="one_number_per_policy"),
            models.UniqueConstraint(
                fields=["policy"], condition=Q(status="published"), name="one_published_version_per_policy"
            ),
            models.UniqueConstraint(fields=["policy"], condition=Q(status="draft"), name="one_draft_per_policy"),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"

    def in_force_on(self, day) -> bool:
        return self.effective_from_date <= day and (
            self.effective_until_date is None or day <= self.effective_until_date
        )


class PolicyAttachment(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="policies/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(region="policy__region")

    class Meta:
        verbose_name = _("政策附件")
        verbose_name_plural = _("政策附件")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name


class EligibilityResult(models.Model):
    """What an enterprise was told about a policy, from `evaluated_at` until `superseded_at`."""

    # Every index costs each refresh's writes. Reads go by enterprise (served by the history and
    # current-result indexes below, which lead with it) or by policy; a version's results are looked up
    # only when a version is deleted, which published versions never are.
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", db_index=False)
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="results")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="+", db_index=False)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    # [value, threshold, outcome code] per criterion of the (frozen) version's rule, in document order;
    # selectors.explained() rebuilds the readable tree from it.
    explanation = models.JSONField(_("判定说明"))
    benefit_estimate = MoneyField(_("预计支持金额(元)"), null=True, blank=True)
    facts_as_of = models.DateField(_("数据日期"))
    evaluated_at = models.DateTimeField(_("判定时间"))
    superseded_at = models.DateTimeField(_("失效时间"), null=True, blank=True)

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("政策匹配结果")
        verbose_name_plural = _("政策匹配结果")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "policy"], condition=Q(superseded_at__isnull=True), name="one_current_result"
            )
        ]
        indexes = [
            models.Index(fields=["enterprise", "policy", "evaluated_at"], name="result_history"),
            models.Index(
                fields=["policy", "outcome"], condition=Q(superseded_at__isnull=True), name="result_current_outcome"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise_id} × {self.policy_id}: {self.outcome}"


class Grant(models.Model):
    """An enterprise to be granted a policy: found eligible (免申即享) or asking with missing data (快申快享)."""

    class Origin(models.TextChoices):
        AUTO = "auto", _("免申即享")
        QUICK = "quick", _("快申快享")

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认兑现")
        DECLINED = "declined", _("不予兑现")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="grants")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    origin = models.CharField(_("来源"), max_length=8, choices=Origin.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    amount = MoneyField(_("金额(元)"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.TextField(_("处理意见"), blank=True)

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("兑现确认")
        verbose_name_plural = _("兑现确认")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise", "version"], name="one_grant_per_policy_version")
        ]

    def __str__(self):
        return f"{self.policy_id} → {self.enterprise_id} ({self.status})"


class Call(models.Model):
    """An application call (申报通知) with a window, eligibility in the rule format, materials and form fields."""

    class Kind(models.TextChoices):
        HIGH_TECH = "high_tech", _("高新技术企业认定")
        SRDI = "srdi", _("专精特新中小企业")
        LITTLE_GIANT = "little_giant", _("科技小巨人")
        DISTRICT_PROJECT = "district_project", _("区级科技项目")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    code = models.SlugField(_("编号"), max_length=64, unique=True)
    title = models.CharField(_("申报通知"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("发布区域")
    )
    policy = models.ForeignKey(
        Policy, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls", verbose_name=_("依据政策")
    )
    issuer = models.CharField(_("发布机构"), max_length=100)
    description = models.TextField(_("通知内容"), blank=True)
    open_date = models.DateField(_("开始日期"))
    close_date = models.DateField(_("截止日期"))
    rule = models.JSONField(_("申报条件"), default=dict, blank=True)
    # [{"key", "label", "required"}]
    materials = models.JSONField(_("材料清单"), default=list, blank=True)
    # [{"key", "label", "type": text|textarea|number|date|choice, "required", "choices"?}]
    form_fields = models.JSONField(_("申报表字段"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("申报通知")
        verbose_name_plural = _("申报通知")
        ordering = ["-open_date", "code"]
        constraints = [models.CheckConstraint(condition=Q(close_date__gte=models.F("open_date")), name="call_window")]

    def __str__(self):
        return self.title

    def is_open_on(self, day) -> bool:
        return self.status == self.Status.PUBLISHED and self.open_date <= day <= self.close_date


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待镇预审")
        RETURNED = "returned", _("退回修改")
        RECOMMENDED = "recommended", _("镇已推荐")
        NOT_RECOMMENDED = "not_recommended", _("镇不推荐")
        APPROVED = "approved", _("区级通过")
        REJECTED = "rejected", _("区级未通过")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(_("申报内容"), default=dict, blank=True)
    eligibility = models.CharField(_("资格预判"), max_length=16, choices=Outcome.choices, blank=True)
    explanation = models.JSONField(_("资格说明"), default=dict, blank=True)
    review_comment = models.TextField(_("预审意见"), blank=True)
    district_comment = models.TextField(_("区级意见"), blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("预审时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("区级结果时间"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["call", "enterprise"], name="one_application_per_call")]
        indexes = [models.Index(fields=["call", "status"], name="application_call_status")]

    def __str__(self):
        return f"{self.enterprise} · {self.call}"


class ApplicationMaterial(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    item = models.CharField(_("材料"), max_length=64)
    file = models.FileField(_("文件"), upload_to="applications/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopePaths(region="application__enterprise__town", enterprise="application__enterprise_id")

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["item", "uploaded_at"]

    def __str__(self):
        return self.name


class CallReminder(models.Model):
    """A reminder already sent, so the daily job can run twice without sending twice."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "enterprise", "days_before"], name="one_reminder_per_day_mark")
        ]

    def __str__(self):
        return f"{self.call_id}/{self.enterprise_id} −{self.days_before}d"
