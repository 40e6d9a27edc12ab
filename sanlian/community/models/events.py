"""Community events (活动: talent weeks, forums, trainings) with registration, waiting list, check-in and survey.

Not to be confused with the chain app's matchmaking events (对接会) with 1:1 meeting slots.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanlian.core.permissions import ScopePaths


def new_token() -> str:
    # Unguessable: the check-in QR is the only proof a person brings to the door.
    return secrets.token_urlsafe(24)


class Event(models.Model):
    class Kind(models.TextChoices):
        TALENT_WEEK = "talent_week", _("人才周")
        FORUM = "forum", _("论坛")
        TRAINING = "training", _("培训")
        ROADSHOW = "roadshow", _("路演")
        LAUNCH = "launch", _("发布会")
        OTHER = "other", _("其他活动")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")
        FINISHED = "finished", _("已结束")

    organisation = models.ForeignKey(
        "community.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="events",
        verbose_name=_("主办组织"),
    )  # fmt: skip
    region = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地")
    )
    title = models.CharField(_("活动名称"), max_length=120)
    kind = models.CharField(_("活动类型"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("活动介绍"), blank=True)
    venue = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    registration_opens_at = models.DateTimeField(_("报名开始时间"))
    registration_closes_at = models.DateTimeField(_("报名截止时间"))
    requires_approval = models.BooleanField(_("报名需审核"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人")
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self):
        return self.title


class EventSession(models.Model):
    """One item of the agenda."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("时间"))
    title = models.CharField(_("议程"), max_length=200)
    speaker = models.CharField(_("嘉宾"), max_length=200, blank=True)
    room = models.CharField(_("会场"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["starts_at", "id"]

    def __str__(self):
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已报名")
        WAITLISTED = "waitlisted", _("候补中")
        REJECTED = "rejected", _("未通过")
        CANCELLED = "cancelled", _("已取消")

    LIVE = (Status.PENDING, Status.APPROVED, Status.WAITLISTED)
    # Statuses that hold a seat: a pending one keeps its seat until decided, so approving never overfills.
    SEATED = (Status.PENDING, Status.APPROVED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("企业"),
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(_("候补顺位"), null=True, blank=True)
    checkin_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="event__region", owner="user_id")

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(status__in=["pending", "approved", "waitlisted"]),
                name="one_live_registration_per_user_and_event",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.event_id}/{self.user_id}"


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("评分(1–5)")
        CHOICE = "choice", _("单选")
        TEXT = "text", _("文字")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="survey_questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("问题"), max_length=200)
    kind = models.CharField(_("题型"), max_length=8, choices=Kind.choices)
    choices = models.JSONField(_("选项"), default=list, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class SurveyAnswer(models.Model):
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="survey_answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "registration"], name="one_answer_per_question_and_attendee"),
        ]

    def __str__(self):
        return self.value


class EventPhoto(models.Model):
    """A photo of the event, shown on its public page once the event is published (images checked by content)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="community/events/photos/%Y/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    scope = ScopePaths(region="event__region")

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.caption or self.image.name
