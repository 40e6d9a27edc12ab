"""Reads of calls and applications, narrowed by the permission layer.

Who sees a call: an officer sees every call of his region and below (drafts included) and the published
calls of the regions above it, whose applications from his town he reviews; an enterprise user sees the
published calls of its town and of the regions above it. Applications are scoped like every enterprise
record: officers by the enterprise's town, enterprise users to their own enterprise.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from sanlian.core.models import AuditEvent
from sanlian.core.permissions import get_scoped, has_perm, scope_queryset
from sanlian.core.selectors import region_prefixes

from .models import Application, Call

PUBLISHED = Call.Status.PUBLISHED

# Audit actions of an application, as its timeline names them.
ACTION_LABELS = {
    "application.start": gettext_lazy("创建申报"),
    "application.update": gettext_lazy("保存申报内容"),
    "application.material_add": gettext_lazy("上传材料"),
    "application.submit": gettext_lazy("提交申报"),
    "application.return": gettext_lazy("镇级退回修改"),
    "application.recommend": gettext_lazy("镇级推荐"),
    "application.not_recommend": gettext_lazy("镇级不推荐"),
    "application.approve": gettext_lazy("区级审核通过"),
    "application.reject": gettext_lazy("区级审核未通过"),
}
STATUS_ACTIONS = frozenset(ACTION_LABELS) - {"application.update", "application.material_add"}


def _visible(user) -> Q | None:
    """The calls a user may see, as a filter; None when the user sees none."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Q()
    if user.is_officer and user.region_id:
        path = user.region.path
        return Q(region__path__startswith=path) | Q(status=PUBLISHED, region__path__in=region_prefixes(path))
    if user.is_enterprise_user and user.enterprise_id:
        return Q(status=PUBLISHED, region__path__in=region_prefixes(user.enterprise.town.path))
    return None


def calls_visible(*, user, status: str = "") -> QuerySet[Call]:
    where = _visible(user)
    if where is None:
        return Call.objects.none()
    calls = Call.objects.filter(where).select_related("region", "policy")
    if status:
        calls = calls.filter(status=status)
    return calls.order_by("-open_date", "code")


def call_visible(*, user, pk: int) -> Call:
    """One call the user may see; 404 otherwise (missing and out of sight look the same)."""
    call = calls_visible(user=user).filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def can_edit_call(user, call: Call | None = None) -> bool:
    return has_perm(user, "call.edit", call)


def can_work_queue(user) -> bool:
    """Officers who act on applications (town pre-review, district decision) see the per-call queues."""
    return has_perm(user, "application.review") or has_perm(user, "application.decide")


def application_counts(*, user, call_ids) -> dict[int, dict[str, int]]:
    """{call id: {status: n}} over the applications the user may see (one query)."""
    rows = scope_queryset(user, Application.objects.filter(call_id__in=list(call_ids)))
    counts: dict[int, dict[str, int]] = {}
    for call_id, status, n in rows.values_list("call_id", "status").annotate(n=Count("pk")).order_by():
        counts.setdefault(call_id, {})[status] = n
    return counts


def applications_of_enterprise(*, enterprise_id: int, call_ids) -> dict[int, Application]:
    rows = Application.objects.filter(enterprise_id=enterprise_id, call_id__in=list(call_ids))
    return {a.call_id: a for a in rows}


def applications_for_call(*, user, call: Call, status: str = "") -> QuerySet[Application]:
    """The queue of one call: the applications in the user's scope, oldest submission first."""
    rows = scope_queryset(user, Application.objects.filter(call=call)).select_related("enterprise", "enterprise__town")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("submitted_at", "created_at", "pk")


def application_scoped(*, user, pk: int, action: str = "application.view") -> Application:
    return get_scoped(
        user,
        action,
        Application.objects.select_related("call", "call__region", "enterprise", "enterprise__town"),
        pk=pk,
    )


def application_events(*, application: Application) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=Application._meta.label_lower, target_id=str(application.pk)
    ).select_related("actor")


def application_timeline(*, application: Application) -> list[dict]:
    """Status changes of an application from the audit trail, oldest first."""
    rows = []
    for event in (
        application_events(application=application).filter(action__in=STATUS_ACTIONS).order_by("created_at", "id")
    ):
        status = (event.changes.get("status") or [None, None])[1]
        rows.append(
            {
                "event": event,
                "action": ACTION_LABELS.get(event.action, event.action),
                "status": status,
                "status_label": Application.Status(status).label if status in Application.Status.values else "",
            }
        )
    return rows


def last_status_event(*, application: Application) -> AuditEvent | None:
    return (
        application_events(application=application)
        .filter(action__in=STATUS_ACTIONS)
        .order_by("-created_at", "-id")
        .first()
    )
