"""Organisations of the cluster: the industry alliance, the 知新会 think tank, the chamber's branch and others."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from sanlian.core.permissions import ScopePaths
from sanlian.enterprises.models import localized_name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ALLIANCE = "alliance", _("产业联盟")
        THINK_TANK = "think_tank", _("知新会")
        CHAMBER = "chamber", _("商会分会")
        ASSOCIATION = "association", _("协会")
        OTHER = "other", _("其他组织")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地")
    )
    description = models.TextField(_("简介"), blank=True)
    founded_date = models.DateField(_("成立日期"), null=True, blank=True)
    # The accounts that run it (联盟/商会秘书); a secretary manages only the organisations listed here.
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organisations_run", verbose_name=_("秘书")
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("社群组织")
        verbose_name_plural = _("社群组织")
        ordering = ["region__path", "name"]

    def __str__(self):
        return localized_name(self)


USER = settings.AUTH_USER_MODEL


class MemberRole(models.TextChoices):
    # Declared from the top down: the directory and the about page list leaders in this order.
    PRESIDENT = "president", _("会长")
    VICE_PRESIDENT = "vice_president", _("副会长")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    DIRECTOR = "director", _("理事")
    MEMBER = "member", _("会员")


class MemberKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业会员")
    PERSON = "person", _("个人会员")


class Member(models.Model):
    """One membership of an enterprise or a person; leaving sets `left_date` and keeps the row as history."""

    Kind = MemberKind
    Role = MemberRole

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="members", verbose_name=_("组织")
    )
    kind = models.CharField(_("会员类型"), max_length=12, choices=MemberKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("企业"),
    )  # fmt: skip
    person_name = models.CharField(_("姓名"), max_length=64, blank=True)
    person_title = models.CharField(_("职务"), max_length=100, blank=True)
    employer = models.CharField(_("工作单位"), max_length=128, blank=True)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Personal data (PIPL): encrypted at rest, masked on screen and in exports.
    mobile = EncryptedCharField(_("手机号"), max_length=32, blank=True, null=True)
    role = models.CharField(_("职务(组织内)"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_date = models.DateField(_("入会日期"))
    left_date = models.DateField(_("退会日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="organisation__region")

    class Meta:
        verbose_name = _("组织会员")
        verbose_name_plural = _("组织会员")
        ordering = ["organisation", "joined_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "enterprise"], name="member_one_active_enterprise",
                condition=models.Q(left_date__isnull=True, enterprise__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"], name="member_one_active_user",
                condition=models.Q(left_date__isnull=True, user__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["organisation", "person_name", "employer"], name="member_one_active_person",
                condition=models.Q(left_date__isnull=True, kind="person"),
            ),
            models.CheckConstraint(
                name="member_kind_has_its_party",
                condition=models.Q(kind="enterprise", enterprise__isnull=False)
                | models.Q(kind="person", enterprise__isnull=True) & ~models.Q(person_name=""),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.person_name

    @property
    def is_active(self) -> bool:
        return self.left_date is None


class JoinApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    Kind = MemberKind

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="applications", verbose_name=_("组织")
    )
    applicant = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("申请人"))
    kind = models.CharField(_("申请身份"), max_length=12, choices=MemberKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("企业"),
    )  # fmt: skip
    person_name = models.CharField(_("姓名"), max_length=64, blank=True)
    person_title = models.CharField(_("职务"), max_length=100, blank=True)
    employer = models.CharField(_("工作单位"), max_length=128, blank=True)
    mobile = EncryptedCharField(_("手机号"), max_length=32, blank=True, null=True)
    statement = models.TextField(_("申请说明"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    comment = models.TextField(_("处理意见"), blank=True)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("申请时间"))

    scope = ScopePaths(region="organisation__region")

    class Meta:
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "applicant"], name="join_application_one_pending",
                condition=models.Q(status="pending"),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.person_name


class OrgDocument(models.Model):
    class Visibility(models.TextChoices):
        MEMBERS = "members", _("仅会员可见")
        PUBLIC = "public", _("公开")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents", verbose_name=_("组织")
    )
    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(upload_to="community/orgs/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    visibility = models.CharField(_("可见范围"), max_length=10, choices=Visibility.choices)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    scope = ScopePaths(region="organisation__region")

    class Meta:
        verbose_name = _("组织文件")
        verbose_name_plural = _("组织文件")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.title
