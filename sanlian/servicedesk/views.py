"""Pages of the service desk: the enterprise's requests and the officers' queue. Parse → one call → render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanlian.core.downloads import download
from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors, error_text, flash_outcome
from sanlian.core.models import User
from sanlian.core.pagination import IdsFirstPaginator, query_without_page
from sanlian.core.permissions import has_perm, require

from . import exports, selectors
from .forms import FilterForm, MoveForm, ReplyForm, RequestForm
from .services import requests as services

Status = services.Status
PER_PAGE = 50
# The buttons each side sees: action → (label, style, asks for a note, asks for a rating)
BUTTONS = {
    "acknowledge": (gettext_lazy("受理"), "primary", False, False),
    "resolve": (gettext_lazy("办结答复"), "primary", True, False),
    "confirm": (gettext_lazy("确认办结"), "primary", False, True),
    "reopen": (gettext_lazy("未解决,重新打开"), "secondary", True, False),
    "rate": (gettext_lazy("评价"), "primary", False, True),
    "withdraw": (gettext_lazy("撤回诉求"), "secondary", False, False),
}
STEP_NAMES = {
    "submit": gettext_lazy("提交诉求"),
    "route": gettext_lazy("自动分派"),
    "assign": gettext_lazy("分派"),
    "acknowledge": gettext_lazy("受理"),
    "resolve": gettext_lazy("办结答复"),
    "confirm": gettext_lazy("企业确认办结"),
    "reopen": gettext_lazy("重新打开"),
    "rate": gettext_lazy("评价"),
    "withdraw": gettext_lazy("撤回"),
    "escalate": gettext_lazy("督办"),
    "autoclose": gettext_lazy("超时自动办结"),
}


def requests(request):
    user = request.user
    require(user, "request.view")
    now = timezone.now()
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if user.is_officer or user.is_superuser:
        found = selectors.officer_requests(
            user, now=now, status=filters.get("status", ""), category=filters.get("category", ""),
            overdue=filters.get("overdue", False), mine=filters.get("mine", False),
        )  # fmt: skip
    else:
        found = selectors.visible_requests(user)
        form = None
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="servicedesk.requests", title=_("企业诉求"), filename=_("企业诉求") + ".xlsx",
            columns=exports.requests_columns(officer=form is not None), rows=found,
        )  # fmt: skip
    page = IdsFirstPaginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "rows": [{"request": r, "overdue": selectors.is_overdue(r, now)} for r in page],
        "page": page,
        "querystring": query_without_page(request),
        "filter_form": form,
        "can_submit": has_perm(user, "request.submit"),
        "can_route": has_perm(user, "routing.edit"),
    }
    return render(request, "servicedesk/requests.html", context)


def request_new(request):
    require(request.user, "request.submit")
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_submit(
                actor=request.user, data=form.cleaned_data, attachments=request.FILES.getlist("attachments"),
                now=timezone.now(),
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("诉求已提交"))
            return redirect("servicedesk:request", pk=created.pk)
    status = 400 if form.errors else 200
    return render(request, "servicedesk/request_new.html", {"form": form}, status=status)


def request_detail(request, pk):
    user = request.user
    obj = selectors.request_for(user, pk)
    now = timezone.now()
    can_assign = obj.status in services.UNRESOLVED and has_perm(user, "request.assign", obj)
    events = list(obj.events.select_related("actor"))
    context = {
        "req": obj,
        "sla": selectors.sla_state(obj, now),
        "replies": obj.replies.select_related("author").prefetch_related("attachments"),
        "attachments": obj.attachments.filter(reply__isnull=True),
        "events": [{"event": e, "action": STEP_NAMES.get(e.action, e.action)} for e in events],
        # The officer's answer stays on top while the enterprise decides; a reopened request shows no answer.
        "answer": next((e for e in reversed(events) if e.action == "resolve"), None) if obj.resolved_at else None,
        "buttons": _buttons(user, obj, now),
        "can_reply": obj.status != Status.WITHDRAWN,
        "reply_form": ReplyForm(),
        "can_assign": can_assign,
        "officers": selectors.assignable_officers(obj) if can_assign else [],
    }
    return render(request, "servicedesk/request.html", context)


def _buttons(user, obj, now) -> list[dict]:
    side = services._side(user)
    buttons = []
    for action, (label, style, note, rating) in BUTTONS.items():
        sources, _target, owner = services.TRANSITIONS[action]
        if obj.status not in sources or side != owner:
            continue
        if action == "rate" and obj.rating is not None:
            continue
        permission = "request.handle" if owner == services.OFFICER else "request.submit"
        if has_perm(user, permission, obj):
            buttons.append({"action": action, "label": label, "style": style, "note": note, "rating": rating})
    return buttons


@require_POST
def request_move(request, pk):
    obj = selectors.request_for(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect("servicedesk:request", pk=pk)
    data = form.cleaned_data
    with flash_outcome(request, success=_("操作成功")):
        if data["action"] == "assign":
            officer = User.objects.filter(pk=data["officer"] or 0).first()
            services.request_assign(
                actor=request.user, request=obj, officer=officer, expected_assignee_id=data["expected_assignee"],
                now=timezone.now(),
            )  # fmt: skip
        else:
            services.request_transition(
                actor=request.user, request=obj, action=data["action"], note=data["note"], rating=data["rating"],
                comment=data["comment"], now=timezone.now(),
            )  # fmt: skip
    return redirect("servicedesk:request", pk=pk)


@require_POST
def request_reply(request, pk):
    obj = selectors.request_for(request.user, pk)
    form = ReplyForm(request.POST)
    form.is_valid()
    try:
        services.request_reply(
            actor=request.user, request=obj, body=form.cleaned_data.get("body", ""),
            attachments=request.FILES.getlist("attachments"), now=timezone.now(),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已回复"))
    return redirect("servicedesk:request", pk=pk)


def attachment(request, pk):
    item = selectors.attachment_for(request.user, pk)
    return download(item.file.open("rb"), filename=item.name)
