"""Public notice (公示): the district publishes the applications it proposes to recognise.

Only fully scored applications in district review go on a notice. The notice runs for the round's
notice days from its start date; approval is possible only after it ends (application_transition).
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.permissions import in_scope, require
from sanlian.core.services import audit_record, notification_send

from ..models import Notice, Round, TalentApplication
from .applications import _event, _users
from .reviews import scoring_complete

Status = TalentApplication.Status


@transaction.atomic
def notice_publish(
    *, actor, round_: Round, application_ids: list[int], start_date: date, title: str = "", now: datetime | None = None
) -> Notice:
    require(actor, "talent_notice.publish", round_)
    now = now or timezone.now()
    if start_date < timezone.localdate(now):
        raise ValidationError({"start_date": _("公示开始日期不能早于今天")})
    ids = sorted(set(application_ids))
    if not ids:
        raise ValidationError({"applications": _("请选择要公示的申报")})
    applications = list(
        TalentApplication.objects.select_for_update().filter(round=round_, pk__in=ids).select_related("employer")
    )
    if len(applications) != len(ids):
        raise ValidationError({"applications": _("所选申报不属于本年度")})
    reasons = {a.pk: _why_not_ready(actor, a) for a in applications}
    problems = [_("%(name)s:%(why)s") % {"name": a.name, "why": reasons[a.pk]} for a in applications if reasons[a.pk]]
    if problems:
        raise ValidationError({"applications": problems})
    end_date = start_date + timedelta(days=round_.notice_days - 1)
    notice = Notice.objects.create(
        round=round_,
        title=(title or "").strip()[:200] or _("%(round)s拟认定人选公示") % {"round": round_.name},
        start_date=start_date,
        end_date=end_date,
        published_at=now,
        published_by=actor,
    )
    for application in applications:
        old = application.status
        application.status, application.notice, application.updated_at = Status.NOTICE, notice, now
        application.save(update_fields=["status", "notice", "updated_at"])
        _event(application, actor, "notice", old, Status.NOTICE, notice.title, now)
        recipients = _users(enterprise=application.employer) + (
            _users(pk=application.applicant_id) if application.applicant_id else []
        )
        notification_send(
            recipients=recipients,
            title=Text(gettext_lazy("人才申报进入公示:%(name)s"), {"name": application.name}),
            body=Text(gettext_lazy("公示期 %(start)s 至 %(end)s。"), {"start": start_date, "end": end_date}),
            url=reverse("talent:application", kwargs={"pk": application.pk}),
            now=now,
        )
    audit_record(
        actor=actor,
        action="talent_notice.publish",
        target=notice,
        changes={"applications": ids, "start": str(start_date), "end": str(end_date)},
        now=now,
    )
    return notice


def _why_not_ready(actor, application: TalentApplication) -> str:
    if not in_scope(actor, application):
        return _("不在您的管辖范围内")
    if application.status != Status.DISTRICT_REVIEW:
        return _("当前状态为「%(status)s」") % {"status": application.get_status_display()}
    if not scoring_complete(application):
        return _("评审尚未完成")
    return ""
