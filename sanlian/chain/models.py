"""The industry chain: supplier → customer edges between chain nodes, supply–demand postings with review,
interest and brokered introductions whose signed outcomes are the realised links of the chain map, and
matchmaking events (对接会) with one-to-one meetings.

The nodes themselves are the registry's ChainNode (U1 … S6): enterprises sit on them there.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanlian.core.fields import MoneyField
from sanlian.core.permissions import ScopePaths

USER = settings.AUTH_USER_MODEL
NODE = "enterprises.ChainNode"
ENTERPRISE = "enterprises.Enterprise"


class ChainEdge(models.Model):
    """Products or services flow from the supplier node to the customer node."""

    supplier = models.ForeignKey(
        NODE, on_delete=models.CASCADE, related_name="customer_edges", verbose_name=_("供给环节")
    )
    customer = models.ForeignKey(
        NODE, on_delete=models.CASCADE, related_name="supplier_edges", verbose_name=_("需求环节")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("产业链关系")
        verbose_name_plural = _("产业链关系")
        ordering = ["supplier__sort", "customer__sort"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "customer"], name="one_edge_per_pair"),
            models.CheckConstraint(condition=~Q(supplier=F("customer")), name="edge_not_a_loop"),
        ]

    def __str__(self):
        return f"{self.supplier_id} → {self.customer_id}"


class Posting(models.Model):
    """A typed supply or demand profile of an enterprise, published after an officer's review."""

    class Kind(models.TextChoices):
        BUSINESS_OFFER = "business_offer", _("业务供给")
        BUSINESS_REQUEST = "business_request", _("业务需求")
        TECH_OFFER = "tech_offer", _("技术供给")
        TECH_REQUEST = "tech_request", _("技术需求")
        RD_COOPERATION = "rd_cooperation", _("研发合作")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待审核")
        PUBLISHED = "published", _("已发布")
        REJECTED = "rejected", _("未通过")
        EXPIRED = "expired", _("已过期")
        CLOSED = "closed", _("已关闭")

    enterprise = models.ForeignKey(ENTERPRISE, on_delete=models.CASCADE, related_name="+", verbose_name=_("发布企业"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("描述"))
    nodes = models.ManyToManyField(NODE, related_name="+", verbose_name=_("产业链环节"))
    quantity = models.CharField(_("数量/规模"), max_length=100, blank=True)
    budget = MoneyField(_("预算(元)"), null=True, blank=True)
    deadline_date = models.DateField(_("截止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    expires_date = models.DateField(_("有效期至"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("续期次数"), default=0)
    # Set when a request closes without a local partner: it feeds the gap analysis.
    no_local_partner = models.BooleanField(_("本地无合适伙伴"), default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="enterprise__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("供需信息")
        verbose_name_plural = _("供需信息")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "kind"], name="posting_status_kind"),
            models.Index(fields=["status", "expires_date"], name="posting_status_expiry"),
        ]

    def __str__(self):
        return self.title


class Interest(models.Model):
    """An enterprise's interest in another's posting; an officer brokers the introduction."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待撮合")
        INTRODUCED = "introduced", _("已引荐")
        MEETING_HELD = "meeting_held", _("已洽谈")
        SIGNED = "signed", _("已签约")
        NO_DEAL = "no_deal", _("未成交")
        DECLINED = "declined", _("未引荐")
        WITHDRAWN = "withdrawn", _("已撤回")

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="interests")
    enterprise = models.ForeignKey(ENTERPRISE, on_delete=models.CASCADE, related_name="+", verbose_name=_("意向企业"))
    note = models.TextField(_("意向说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    broker = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    introduced_at = models.DateTimeField(_("引荐时间"), null=True, blank=True)
    meeting_date = models.DateField(_("洽谈日期"), null=True, blank=True)
    signed_date = models.DateField(_("签约日期"), null=True, blank=True)
    amount = MoneyField(_("合作金额(元)"), null=True, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    # Both sides see it: the posting's owner and the interested enterprise; officers of either town.
    scope = ScopePaths(region="posting__enterprise__town", enterprise="posting__enterprise_id")

    class Meta:
        verbose_name = _("对接意向")
        verbose_name_plural = _("对接意向")
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["posting", "enterprise"], name="one_interest_per_posting")]

    def __str__(self):
        return f"{self.enterprise_id} → {self.posting_id}"


class MatchEvent(models.Model):
    """A matchmaking event (对接会) with time slots for one-to-one meetings."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("报名中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("名称"), max_length=200)
    town = models.ForeignKey("enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办镇"))
    organiser = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    venue = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    date = models.DateField(_("日期"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    # Unanswered meeting requests lapse after this many hours.
    request_ttl_hours = models.PositiveSmallIntegerField(_("邀约有效时长(小时)"), default=48)
    created_at = models.DateTimeField(_("创建时间"))

    scope = ScopePaths(region="town")

    class Meta:
        verbose_name = _("对接会")
        verbose_name_plural = _("对接会")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title


class Participant(models.Model):
    event = models.ForeignKey(MatchEvent, on_delete=models.CASCADE, related_name="participants")
    enterprise = models.ForeignKey(ENTERPRISE, on_delete=models.CASCADE, related_name="+")
    representative = models.CharField(_("参会代表"), max_length=64, blank=True)
    registered_at = models.DateTimeField(_("报名时间"))

    scope = ScopePaths(region="event__town", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("参会企业")
        verbose_name_plural = _("参会企业")
        ordering = ["event", "registered_at"]
        constraints = [models.UniqueConstraint(fields=["event", "enterprise"], name="one_registration_per_event")]

    def __str__(self):
        return f"{self.event_id} · {self.enterprise_id}"


class Slot(models.Model):
    event = models.ForeignKey(MatchEvent, on_delete=models.CASCADE, related_name="slots")
    start_at = models.DateTimeField(_("开始"))
    end_at = models.DateTimeField(_("结束"))

    class Meta:
        verbose_name = _("洽谈时段")
        verbose_name_plural = _("洽谈时段")
        ordering = ["event", "start_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "start_at"], name="one_slot_per_start"),
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="slot_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.start_at:%H:%M}–{self.end_at:%H:%M}"


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("待回复")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已婉拒")
        EXPIRED = "expired", _("已过期")
        CANCELLED = "cancelled", _("已取消")

    event = models.ForeignKey(MatchEvent, on_delete=models.CASCADE, related_name="meeting_requests")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="received_requests")
    message = models.CharField(_("留言"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    expires_at = models.DateTimeField(_("回复截止"))
    created_at = models.DateTimeField(_("发起时间"))
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    scope = ScopePaths(region="event__town")

    class Meta:
        verbose_name = _("洽谈邀约")
        verbose_name_plural = _("洽谈邀约")
        ordering = ["slot__start_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("recipient")), name="meeting_not_with_oneself"),
        ]

    def __str__(self):
        return f"{self.requester_id} → {self.recipient_id} @ {self.slot_id}"


class Booking(models.Model):
    """One participant's hold on one slot: the database refuses a double booking."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="bookings")
    meeting = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="bookings")

    class Meta:
        verbose_name = _("时段占用")
        verbose_name_plural = _("时段占用")
        constraints = [models.UniqueConstraint(fields=["slot", "participant"], name="no_double_booking")]

    def __str__(self):
        return f"{self.slot_id} · {self.participant_id}"
