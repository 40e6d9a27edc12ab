"""District review: independent scoring on the round's sheet, with conflicts of interest enforced.

A reviewer is never assigned a candidate of an employer they are tied to: a declared tie, or being a
user of that enterprise. A reviewer who discovers a tie after assignment recuses, which records the tie
for every later assignment. An application's score is the mean of the submitted scores, set once every
remaining reviewer has scored.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.models import Role
from sanlian.core.permissions import in_scope, require
from sanlian.core.services import audit_record, notification_send

from ..models import ReviewAssignment, ReviewerTie, TalentApplication
from .applications import _event, _lock

Status = TalentApplication.Status
SCORE_STEP = Decimal("0.5")


def tied(reviewer, enterprise_id: int) -> bool:
    """Whether the reviewer may not review this employer's candidates."""
    return (
        reviewer.enterprise_id == enterprise_id
        or ReviewerTie.objects.filter(reviewer=reviewer, enterprise_id=enterprise_id).exists()
    )


@transaction.atomic
def reviewer_tie_declare(*, actor, enterprise, reason: str, now: datetime | None = None) -> ReviewerTie:
    """A reviewer declares a tie to an employer (past employment, shares, family …)."""
    require(actor, "talent_application.score")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明关联关系")})
    now = now or timezone.now()
    tie, created = ReviewerTie.objects.get_or_create(
        reviewer=actor, enterprise=enterprise, defaults={"reason": reason[:200], "declared_at": now}
    )
    if created:
        audit_record(actor=actor, action="talent_review.tie", target=tie, enterprise_id=enterprise.pk, now=now)
    return tie


@transaction.atomic
def review_assign(*, actor, application: TalentApplication, reviewer, now: datetime | None = None) -> ReviewAssignment:
    application = _lock(application)
    require(actor, "talent_application.assign", application)
    if application.status != Status.DISTRICT_REVIEW:
        raise ValidationError({"status": _("只有区级评审中的申报可以分配评审人")})
    if reviewer.role != Role.DISTRICT_OFFICER or not reviewer.is_active or not in_scope(reviewer, application):
        raise ValidationError({"reviewer": _("评审人须为负责该镇的区级审核员")})
    if tied(reviewer, application.employer_id):
        raise ValidationError({"reviewer": _("%(name)s 与申报单位存在关联,须回避") % {"name": reviewer}})
    now = now or timezone.now()
    try:
        with transaction.atomic():
            assignment = ReviewAssignment.objects.create(
                application=application, reviewer=reviewer, assigned_at=now, assigned_by=actor
            )
    except IntegrityError as exc:
        raise ValidationError({"reviewer": _("已分配给该评审人")}) from exc
    audit_record(
        actor=actor,
        action="talent_review.assign",
        target=assignment,
        enterprise_id=application.employer_id,
        changes={"reviewer": reviewer.pk},
        now=now,
    )
    notification_send(
        recipients=[reviewer], title=gettext_lazy("新的人才评审任务"), url=_review_url(assignment), now=now
    )
    return assignment


def _review_url(assignment: ReviewAssignment) -> str:
    from django.urls import reverse

    return reverse("talent:review", kwargs={"pk": assignment.pk})


def _own_pending(actor, assignment: ReviewAssignment) -> ReviewAssignment:
    require(actor, "talent_application.score")
    assignment = ReviewAssignment.objects.select_for_update().select_related("application").get(pk=assignment.pk)
    if assignment.reviewer_id != actor.pk:
        raise ValidationError({"reviewer": _("只能处理分配给本人的评审")})
    if assignment.status != ReviewAssignment.Status.PENDING:
        raise ValidationError({"status": _("该评审已%(status)s") % {"status": assignment.get_status_display()}})
    if assignment.application.status != Status.DISTRICT_REVIEW:
        raise ValidationError({"status": _("该申报已不在评审阶段")})
    return assignment


@transaction.atomic
def review_recuse(*, actor, assignment: ReviewAssignment, reason: str, now: datetime | None = None):
    """The reviewer declares a conflict on an assigned candidate and steps aside."""
    assignment = _own_pending(actor, assignment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明关联关系")})
    now = now or timezone.now()
    reviewer_tie_declare(actor=actor, enterprise=assignment.application.employer, reason=reason, now=now)
    assignment.status, assignment.comment = ReviewAssignment.Status.RECUSED, reason
    assignment.save(update_fields=["status", "comment"])
    audit_record(actor=actor, action="talent_review.recuse", target=assignment, note=reason, now=now)
    _update_score(assignment.application, actor, now)
    return assignment


def clean_scores(round_, scores: dict) -> tuple[dict, Decimal]:
    """Every item of the sheet scored between 0 and its maximum, in steps of 0.5; (scores, total)."""
    errors, clean = {}, {}
    for item in round_.scoring_items.all():
        raw = scores.get(item.code)
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            errors[f"score_{item.code}"] = _("请为「%(name)s」打分") % {"name": item.name}
            continue
        if not value.is_finite() or not 0 <= value <= item.max_score or value % SCORE_STEP:
            errors[f"score_{item.code}"] = _("「%(name)s」应为 0–%(max)s 分,最小单位 0.5 分") % {
                "name": item.name,
                "max": item.max_score,
            }
            continue
        clean[item.code] = str(value)
    if errors:
        raise ValidationError(errors)
    return clean, sum((Decimal(v) for v in clean.values()), Decimal(0))


@transaction.atomic
def review_submit(*, actor, assignment: ReviewAssignment, scores: dict, comment: str = "", now=None):
    assignment = _own_pending(actor, assignment)
    clean, total = clean_scores(assignment.application.round, scores)
    now = now or timezone.now()
    assignment.scores, assignment.total = clean, total
    assignment.comment, assignment.submitted_at = (comment or "").strip()[:2000], now
    assignment.status = ReviewAssignment.Status.SUBMITTED
    assignment.save()
    audit_record(
        actor=actor,
        action="talent_review.submit",
        target=assignment,
        enterprise_id=assignment.application.employer_id,
        changes={"total": str(total)},
        now=now,
    )
    _update_score(assignment.application, actor, now)
    return assignment


def _update_score(application: TalentApplication, actor, now) -> None:
    """Once every remaining reviewer has scored, the application's score is their mean."""
    reviews = list(application.reviews.exclude(status=ReviewAssignment.Status.RECUSED))
    if not reviews or any(r.status != ReviewAssignment.Status.SUBMITTED for r in reviews):
        return
    mean = (sum(r.total for r in reviews) / len(reviews)).quantize(Decimal("0.01"))
    TalentApplication.objects.filter(pk=application.pk).update(score=mean, updated_at=now)
    _event(application, actor, "scored", application.status, application.status, str(mean), now)


def scoring_complete(application: TalentApplication) -> bool:
    reviews = [r.status for r in application.reviews.all()]
    live = [s for s in reviews if s != ReviewAssignment.Status.RECUSED]
    return bool(live) and all(s == ReviewAssignment.Status.SUBMITTED for s in live)
