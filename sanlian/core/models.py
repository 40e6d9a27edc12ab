from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField


class Role(models.TextChoices):
    TOWN_OFFICER = "town_officer", _("镇产业服务专员")
    DISTRICT_OFFICER = "district_officer", _("区级审核员")
    ENTERPRISE_ADMIN = "enterprise_admin", _("企业管理员")
    ENTERPRISE_STAFF = "enterprise_staff", _("企业用户")
    TALENT = "talent", _("人才")
    AMBASSADOR = "ambassador", _("全球引才大使")
    ORG_SECRETARY = "org_secretary", _("联盟/商会秘书")


OFFICER_ROLES = frozenset({Role.TOWN_OFFICER, Role.DISTRICT_OFFICER})
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_STAFF})


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    # Officers are scoped to a region (district or town); enterprise users to one enterprise.
    region = models.ForeignKey(
        "enterprises.Region",
        verbose_name=_("所属区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = EncryptedCharField(_("手机号"), max_length=32, blank=True, null=True)
    # When the password was last set: officers and superusers must change it every
    # SANLIAN_PASSWORD_MAX_AGE_DAYS. Null (accounts older than the field) counts as expired for them.
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # The language the user last chose while signed in: their emails and SMS are written in it.
    language = models.CharField(_("界面语言"), max_length=16, choices=settings.LANGUAGES, blank=True)
    # 关怀版 (care mode): larger type, higher contrast, larger targets. Kept on the account so that it follows
    # the user to another device; anonymous visitors keep it in a cookie (sanlian.core.care).
    care_mode = models.BooleanField(_("关怀版"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def set_password(self, raw_password):
        # Every way a password is set (forms, admin, createsuperuser, services) stamps the change; Django's
        # silent re-hash on login does not go through here with a new password, and saves "password" only.
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES

    @property
    def is_enterprise_user(self) -> bool:
        return self.role in ENTERPRISE_ROLES


class AuditEvent(models.Model):
    """One audited act: who (and from where), when, what, old → new, and whether it went through.

    Append-only: the ORM refuses to save an existing row or delete one, and database triggers (migration
    core 00xx_audit_append_only) refuse UPDATE of the content and DELETE of rows younger than the legal
    floor of AUDIT_RETENTION_FLOOR_DAYS, whatever client sends the SQL. Only `audit_purge` deletes, and
    only rows older than SANLIAN_AUDIT_RETENTION_DAYS.
    """

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        DENIED = "denied", pgettext_lazy("audit result", "拒绝")
        FAILED = "failed", _("失败")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # The actor's username as it was at the time: the record outlives a rename or deletion of the account.
    # For a failed login it is the username tried.
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=64)
    result = models.CharField(_("结果"), max_length=8, choices=Result.choices, default=Result.SUCCESS)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64)
    # The enterprise whose history this belongs to, so a profile shows one timeline.
    enterprise_id = models.BigIntegerField(_("企业编号"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # Where there was a request: the client's address, the method and path. Jobs and commands have none.
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    method = models.CharField(_("请求方法"), max_length=8, blank=True)
    path = models.CharField(_("请求路径"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["ip", "created_at"])]

    def __str__(self):
        return f"{self.action} {self.target_type}#{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only; sanlian audit_purge removes expired ones")


# The legal floor of the audit trail's retention (等保 2.0: at least six months): the database triggers refuse
# to delete younger rows, and the platform refuses to start with SANLIAN_AUDIT_RETENTION_DAYS below it.
AUDIT_RETENTION_FLOOR_DAYS = 180


class Topic(models.TextChoices):
    """Which part of the platform a message comes from: what a user's delivery preferences are set per."""

    REGISTRY = "registry", _("企业档案与年报")
    POLICIES = "policies", _("政策与申报")
    TALENT = "talent", _("人才计划")
    CHAIN = "chain", _("产业链与供需对接")
    DESK = "desk", _("企业服务")
    SPACE = "space", _("空间服务")
    COMMUNITY = "community", _("社群、活动与新闻")
    OTHER = "other", _("其他")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("收件人"),
    )
    # title and body in the default language; the other languages' renderings, where they differ, in translations.
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    translations = models.JSONField(_("其他语言"), default=dict, blank=True)  # {"en": {"title": …, "body": …}}
    url = models.CharField(_("链接"), max_length=300, blank=True)
    channels = models.JSONField(_("渠道"), default=list)
    topic = models.CharField(_("类别"), max_length=16, choices=Topic.choices, default=Topic.OTHER)
    created_at = models.DateTimeField(_("创建时间"), db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.shown_title

    def in_language(self, code: str | None) -> tuple[str, str]:
        """(title, body) as rendered for the language `code` at send time; the default language otherwise."""
        other = self.translations.get(code or "") or {}
        return other.get("title", self.title), other.get("body", self.body)

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (the language active while a page or an API answer is built)."""
        return self.in_language(get_language())[0]

    @property
    def shown_body(self) -> str:
        return self.in_language(get_language())[1]


class NotificationPreference(models.Model):
    """How one user wants the messages of one topic: the inbox badge, email (now, in the daily digest or not at
    all) and SMS. Without a row the defaults apply: shown in the inbox, emailed at once, SMS when the sender asks.
    The inbox keeps every message whatever the choice: muting the inbox only files new ones as read."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("即时发送")
        DIGEST = "digest", _("每日摘要")
        OFF = "off", _("不发送")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    topic = models.CharField(_("类别"), max_length=16, choices=Topic.choices)
    in_app = models.BooleanField(_("站内提醒"), default=True)
    email = models.CharField(_("邮件"), max_length=16, choices=Email.choices, default=Email.IMMEDIATE)
    sms = models.BooleanField(_("短信"), default=True)

    class Meta:
        verbose_name = _("消息偏好")
        verbose_name_plural = _("消息偏好")
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_preference_per_topic")]

    def __str__(self):
        return f"{self.user_id} · {self.topic}"


class ApiToken(models.Model):
    """A bearer token for integrations; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(_("创建时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    # Every token expires (SANLIAN_API_TOKEN_DAYS by default, SANLIAN_API_TOKEN_MAX_DAYS at most).
    expires_at = models.DateTimeField(_("到期时间"))

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def status(self, now) -> str:
        """ "active", "expired" or "revoked" at `now`."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "active"


class OutboxJob(models.Model):
    """A follow-up job written in the same transaction as the change that needs it (transactional outbox).

    Handed to Huey once the transaction commits and deleted once Huey has it; a row still here means the
    queue (Redis) could not be reached: the periodic flush and `sanlian jobs_flush` hand it over again.
    """

    task = models.CharField(_("任务"), max_length=200)
    kwargs = models.JSONField(_("参数"), default=dict)
    created_at = models.DateTimeField(_("创建时间"), db_index=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_tried_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("待投递任务")
        verbose_name_plural = _("待投递任务")

    def __str__(self) -> str:
        return f"{self.task} {self.kwargs}"
