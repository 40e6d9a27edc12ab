"""Matchmaking event pages (对接会): parse input → one service or selector call → render.

The list of open events is public; everything else needs a login. Officers of the town create events,
open them and generate slots; enterprise users register, request, answer and cancel meetings and
print their personal schedule; officers print every participant's schedule.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanlian.core.exports import wants_xlsx, xlsx_response
from sanlian.core.forms import apply_service_errors
from sanlian.core.permissions import has_perm, require
from sanlian.enterprises.selectors import towns_for

from . import event_selectors as selectors
from . import exports
from .event_forms import AnswerForm, CancelForm, EventForm, MeetingRequestForm, RegisterForm, SlotsForm, StatusForm
from .models import MatchEvent, MeetingRequest, Participant, Slot
from .services import events as services

PAGE_SIZE = 20


def _messages_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _form_errors(form) -> list[str]:
    return [str(m) for messages_ in form.errors.values() for m in messages_]


# Lists and details -----------------------------------------------------------------------------------


@login_not_required
def event_list(request):
    """Open events for everybody; officers also see drafts and closed events of their region."""
    user = request.user
    officer = user.is_authenticated and selectors.is_event_officer(user)
    member = user.is_authenticated and has_perm(user, "event.join") and bool(user.enterprise_id)
    public = not (officer or member)
    events = selectors.events_public() if public else selectors.events_visible(user=user)
    if wants_xlsx(request):
        return xlsx_response(
            request, list_name="chain.events", title=_("对接活动"), filename=_("对接活动") + ".xlsx",
            columns=exports.events_columns(), rows=events,
        )  # fmt: skip
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    registered = set()
    if member:
        registered = set(
            Participant.objects.filter(
                enterprise_id=user.enterprise_id, event__in=[e.pk for e in page.object_list]
            ).values_list("event_id", flat=True)
        )
    return render(
        request,
        "chain/events/list.html",
        {
            "page": page,
            "public": public,
            "can_create": officer,
            "registered": registered,
        },
    )


def _detail(
    request, event: MatchEvent, *, errors=(), status: int = 200, slot_form=None, request_form=None, register_form=None
):
    user = request.user
    now = timezone.now()
    is_officer = has_perm(user, "event.edit", event)
    me = selectors.participant_of(user=user, event=event)
    participants = selectors.participants_of(event)
    slots = selectors.slots_of(event)
    grid = selectors.slot_grid(event=event, participants=participants, slots=slots, me=me, now=now)
    if me is not None:
        grid.sort(key=lambda row: not row.is_me)  # my own row first
    is_open = event.status == MatchEvent.Status.OPEN
    can_register = (
        is_open
        and me is None
        and has_perm(user, "event.join")
        and bool(user.enterprise_id)
        and event.date >= timezone.localdate(now)
    )
    can_request = is_open and me is not None
    if can_request and request_form is None:
        initial = {}
        if request.GET.get("recipient", "").isdigit():
            initial["recipient"] = int(request.GET["recipient"])
        if request.GET.get("slot", "").isdigit():
            initial["slot"] = int(request.GET["slot"])
        request_form = MeetingRequestForm(
            initial=initial,
            participants=[p for p in participants if p.pk != me.pk],
            slots=[s for s in slots if s.start_at > now],
        )
    context = {
        "event": event,
        "is_officer": is_officer,
        "me": me,
        "participants": participants,
        "slots": slots,
        "grid": grid,
        "can_register": can_register,
        "can_request": can_request,
        "register_form": register_form or (RegisterForm() if can_register else None),
        "request_form": request_form if can_request else None,
        "slot_form": slot_form or (SlotsForm() if is_officer and event.status != MatchEvent.Status.CLOSED else None),
        "sent": selectors.requests_sent(participant=me) if me else [],
        "received": selectors.requests_received(participant=me) if me else [],
        "counts": selectors.event_counts(event) if is_officer else None,
        "errors": list(errors),
        "now": now,
        "pending": MeetingRequest.Status.REQUESTED,
        "accepted": MeetingRequest.Status.ACCEPTED,
    }
    return render(request, "chain/events/detail.html", context, status=status)


def event_detail(request, pk):
    event = selectors.event_for(user=request.user, pk=pk)
    if wants_xlsx(request):  # the participants, for the event's officers
        require(request.user, "event.edit", event)
        return xlsx_response(
            request, list_name="chain.event_participants", title=_("参会企业"),
            filename=f"event-{event.pk}-participants.xlsx", columns=exports.participants_columns(),
            rows=selectors.participants_of(event), target=event,
        )  # fmt: skip
    return _detail(request, event)


# Officers: create, edit, open/close, slots -----------------------------------------------------------


def _event_form(request, event: MatchEvent | None = None):
    user = request.user
    form = EventForm(request.POST or None, towns=towns_for(user=user), event=event)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.event_save(actor=user, data=dict(form.cleaned_data), event=event, now=timezone.now())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存") if event else _("已创建对接会(筹备中),请生成洽谈时段后开放报名"))
            return redirect("chain:event", pk=saved.pk)
    status_form = None
    if event is not None:
        status_form = StatusForm()
        status_form.fields["to_status"].choices = StatusForm.choices_for(event)
    return render(
        request,
        "chain/events/form.html",
        {"form": form, "event": event, "status_form": status_form},
        status=400 if form.is_bound else 200,
    )


def event_new(request):
    require(request.user, "event.edit")
    return _event_form(request)


def event_edit(request, pk):
    event = selectors.event_for(user=request.user, pk=pk, action="edit")
    if request.method == "POST" and "to_status" in request.POST:
        try:
            services.event_set_status(
                actor=request.user, event=event, status=request.POST["to_status"], now=timezone.now()
            )
        except ValidationError as exc:
            return _detail(request, event, errors=_messages_of(exc), status=400)
        messages.success(request, _("对接会状态已更新"))
        return redirect("chain:event", pk=event.pk)
    return _event_form(request, event)


@require_POST
def event_slots(request, pk):
    event = selectors.event_for(user=request.user, pk=pk, action="edit")
    form = SlotsForm(request.POST)
    if not form.is_valid():
        return _detail(request, event, errors=_form_errors(form), status=400, slot_form=form)
    data = form.cleaned_data
    try:
        slots = services.slots_generate(
            actor=request.user,
            event=event,
            start=data["start"],
            end=data["end"],
            minutes=data["minutes"],
            replace=data["replace"],
            now=timezone.now(),
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _detail(request, event, errors=_messages_of(exc), status=400, slot_form=form)
    messages.success(request, _("已生成 %(n)s 个洽谈时段") % {"n": len(slots)})
    return redirect("chain:event", pk=event.pk)


# Enterprises: register, request, answer, cancel ------------------------------------------------------


@require_POST
def event_register(request, pk):
    event = selectors.event_for(user=request.user, pk=pk)
    require(request.user, "event.join")
    form = RegisterForm(request.POST)
    if not form.is_valid():
        return _detail(request, event, errors=_form_errors(form), status=400, register_form=form)
    try:
        services.event_register(
            actor=request.user, event=event, representative=form.cleaned_data["representative"], now=timezone.now()
        )
    except ValidationError as exc:
        return _detail(request, event, errors=_messages_of(exc), status=400, register_form=form)
    messages.success(request, _("报名成功,现在可以向其他参会企业发起洽谈邀约"))
    return redirect("chain:event", pk=event.pk)


@require_POST
def meeting_request(request, pk):
    user = request.user
    event = selectors.event_for(user=user, pk=pk)
    require(user, "event.join")
    participants = [p for p in selectors.participants_of(event) if p.enterprise_id != user.enterprise_id]
    slots = selectors.slots_of(event)
    form = MeetingRequestForm(request.POST, participants=participants, slots=slots)
    if not form.is_valid():
        return _detail(request, event, errors=_form_errors(form), status=400, request_form=form)
    data = form.cleaned_data
    recipient = next((p for p in participants if p.pk == data["recipient"]), None)
    slot = next((s for s in slots if s.pk == data["slot"]), None)
    try:
        services.meeting_request(
            actor=user,
            event=event,
            recipient=recipient or Participant(),
            slot=slot or Slot(),
            message=data["message"],
            now=timezone.now(),
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _detail(request, event, errors=_messages_of(exc), status=400, request_form=form)
    messages.success(request, _("洽谈邀约已发出,等待对方回复"))
    return redirect("chain:event", pk=event.pk)


@require_POST
def meeting_answer(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, meeting.event, errors=_form_errors(form), status=400)
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.meeting_answer(actor=request.user, request=meeting, accept=accept, now=timezone.now())
    except ValidationError as exc:
        return _detail(request, meeting.event, errors=_messages_of(exc), status=400)
    messages.success(request, _("已接受,洽谈已加入日程") if accept else _("已婉拒"))
    return redirect("chain:event", pk=meeting.event_id)


@require_POST
def meeting_cancel(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail(request, meeting.event, errors=_form_errors(form), status=400)
    try:
        services.meeting_cancel(
            actor=request.user, request=meeting, reason=form.cleaned_data["reason"], now=timezone.now()
        )
    except ValidationError as exc:
        return _detail(request, meeting.event, errors=_messages_of(exc), status=400)
    messages.success(request, _("洽谈已取消,该时段已释放"))
    return redirect("chain:event", pk=meeting.event_id)


# Printable schedules ---------------------------------------------------------------------------------


def event_schedule(request, pk):
    """My personal schedule (an officer may ask for one participant's with ?participant=<id>)."""
    user = request.user
    event = selectors.event_for(user=user, pk=pk)
    participant = selectors.participant_of(user=user, event=event)
    if has_perm(user, "event.edit", event) and request.GET.get("participant", "").isdigit():
        participant = (
            Participant.objects.select_related("enterprise").filter(event=event, pk=request.GET["participant"]).first()
        )
    if participant is None:
        raise Http404
    return render(
        request,
        "chain/events/schedule.html",
        {
            "event": event,
            "sheets": [{"participant": participant, "lines": selectors.schedule_of(participant=participant)}],
        },
    )


def event_schedules(request, pk):
    """Every participant's schedule, one printed page each (officers)."""
    event = selectors.event_for(user=request.user, pk=pk, action="edit")
    participants = selectors.participants_of(event)
    lines = selectors.schedules(event=event)
    sheets = [{"participant": p, "lines": lines.get(p.pk, [])} for p in participants]
    return render(request, "chain/events/schedule.html", {"event": event, "sheets": sheets, "all": True})
