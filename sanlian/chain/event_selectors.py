"""Reads of matchmaking events: who sees which event, the slot grid, requests and printable schedules.

Officers see the events of their region in every status; enterprise users see the open events and the
ones their enterprise took part in; anonymous visitors see open events only (title, date, venue and
description, through `events_public`). Every function here runs a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from sanlian.core.permissions import has_perm, scope_queryset

from .models import Booking, MatchEvent, MeetingRequest, Participant, Slot

M = MeetingRequest.Status


def is_event_officer(user) -> bool:
    return has_perm(user, "event.edit")


def events_public() -> QuerySet[MatchEvent]:
    """Open events, soonest first: what anybody, logged in or not, may read about."""
    return (
        MatchEvent.objects.filter(status=MatchEvent.Status.OPEN)
        .only("pk", "title", "date", "venue", "description", "status")
        .order_by("date", "pk")
    )


def events_visible(*, user) -> QuerySet[MatchEvent]:
    """The events a logged-in user may open, with the number of registered enterprises."""
    if is_event_officer(user):
        events = scope_queryset(user, MatchEvent.objects.all())
    elif has_perm(user, "event.join") and user.enterprise_id:
        mine = Participant.objects.filter(enterprise_id=user.enterprise_id).values("event_id")
        events = MatchEvent.objects.filter(Q(status=MatchEvent.Status.OPEN) | Q(pk__in=mine))
    else:  # the public list is all others get (events_public); the details are for the town and its firms
        events = MatchEvent.objects.none()
    return events.select_related("town").annotate(participant_count=Count("participants")).order_by("-date", "-pk")


def event_for(*, user, pk: int, action: str = "view") -> MatchEvent:
    """One event the user may see (`action="view"`) or edit (`action="edit"`): 404 when out of reach."""
    if action == "edit":
        if not is_event_officer(user):
            raise PermissionDenied("event.edit")
        events = scope_queryset(user, MatchEvent.objects.all())
    else:
        events = events_visible(user=user)
    event = events.select_related("town", "organiser").filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def participant_of(*, user, event: MatchEvent) -> Participant | None:
    enterprise_id = getattr(user, "enterprise_id", None)
    if not enterprise_id or not has_perm(user, "event.join"):
        return None
    return Participant.objects.select_related("enterprise").filter(event=event, enterprise_id=enterprise_id).first()


def participants_of(event: MatchEvent) -> list[Participant]:
    return list(
        Participant.objects.filter(event=event).select_related("enterprise__town").order_by("enterprise__name", "pk")
    )


def slots_of(event: MatchEvent) -> list[Slot]:
    return list(Slot.objects.filter(event=event).order_by("start_at"))


def meeting_for(*, user, pk: int) -> MeetingRequest:
    """A meeting request the user's enterprise is a side of (404 otherwise)."""
    enterprise_id = getattr(user, "enterprise_id", None)
    if not has_perm(user, "event.join"):
        raise PermissionDenied("event.join")
    meeting = (
        MeetingRequest.objects.select_related("event", "slot", "requester__enterprise", "recipient__enterprise")
        .filter(pk=pk)
        .filter(Q(requester__enterprise_id=enterprise_id) | Q(recipient__enterprise_id=enterprise_id))
        .first()
    )
    if meeting is None or not enterprise_id:
        raise Http404
    return meeting


@dataclass
class GridCell:
    slot: Slot
    state: str  # "free", "busy" (the participant holds the slot), "mine" (I hold it), "past", "requested", "me"
    partner: str = ""  # officers: whom the participant meets in this slot


@dataclass
class GridRow:
    participant: Participant
    is_me: bool
    cells: list[GridCell] = field(default_factory=list)
    free_count: int = 0


def slot_grid(
    *, event: MatchEvent, participants: list[Participant], slots: list[Slot], me: Participant | None, now: datetime
) -> list[GridRow]:
    """Participants × slots: for each participant, which slots are free for a meeting with me.

    A cell is free when neither the participant nor I hold the slot and it has not started; "requested"
    when I already have a pending request with the participant for it. Three queries whatever the size.
    """
    held: dict[tuple[int, int], str] = {}
    bookings = Booking.objects.filter(slot__event=event).select_related(
        "meeting__requester__enterprise", "meeting__recipient__enterprise"
    )
    for booking in bookings:
        meeting = booking.meeting
        other = meeting.recipient if booking.participant_id == meeting.requester_id else meeting.requester
        held[(booking.participant_id, booking.slot_id)] = other.enterprise.name
    pending: set[tuple[int, int]] = set()
    if me is not None:
        for requester_id, recipient_id, slot_id in (
            MeetingRequest.objects.filter(event=event, status=M.REQUESTED)
            .filter(Q(requester=me) | Q(recipient=me))
            .values_list("requester_id", "recipient_id", "slot_id")
        ):
            pending.add((recipient_id if requester_id == me.pk else requester_id, slot_id))
    rows = []
    for participant in participants:
        is_me = me is not None and participant.pk == me.pk
        row = GridRow(participant=participant, is_me=is_me)
        for slot in slots:
            key = (participant.pk, slot.pk)
            partner = held.get(key, "")
            if key in held:
                state = "busy"
            elif slot.start_at <= now:
                state = "past"
            elif me is not None and not is_me and (me.pk, slot.pk) in held:
                state = "mine"
            elif is_me:
                state = "me"
            elif (participant.pk, slot.pk) in pending:
                state = "requested"
            else:
                state = "free"
            if state in ("free", "me"):
                row.free_count += 1
            row.cells.append(GridCell(slot=slot, state=state, partner=partner))
        rows.append(row)
    return rows


def _requests(queryset) -> list[MeetingRequest]:
    return list(
        queryset.select_related("slot", "requester__enterprise", "recipient__enterprise").order_by(
            "slot__start_at", "pk"
        )
    )


def requests_sent(*, participant: Participant) -> list[MeetingRequest]:
    return _requests(MeetingRequest.objects.filter(requester=participant))


def requests_received(*, participant: Participant) -> list[MeetingRequest]:
    return _requests(MeetingRequest.objects.filter(recipient=participant))


def event_counts(event: MatchEvent) -> dict:
    """How many requests of each status the event has (one query)."""
    counts = dict(
        MeetingRequest.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in M.values}


@dataclass
class ScheduleLine:
    slot: Slot
    other: Participant
    table: int
    meeting: MeetingRequest


def _table_numbers(event: MatchEvent) -> dict[int, int]:
    """Table numbers: the accepted meetings of each slot numbered 1, 2, … in the order they were made."""
    numbers: dict[int, int] = {}
    per_slot: dict[int, int] = {}
    for pk, slot_id in (
        MeetingRequest.objects.filter(event=event, status=M.ACCEPTED)
        .order_by("slot_id", "pk")
        .values_list("pk", "slot_id")
    ):
        per_slot[slot_id] = per_slot.get(slot_id, 0) + 1
        numbers[pk] = per_slot[slot_id]
    return numbers


def schedules(*, event: MatchEvent, participants: list[Participant] | None = None) -> dict[int, list[ScheduleLine]]:
    """participant id → that participant's accepted meetings in time order (two queries for all)."""
    bookings = (
        Booking.objects.filter(slot__event=event, meeting__status=M.ACCEPTED)
        .select_related("slot", "meeting__requester__enterprise", "meeting__recipient__enterprise")
        .order_by("slot__start_at", "pk")
    )
    if participants is not None:
        bookings = bookings.filter(participant__in=[p.pk for p in participants])
    tables = _table_numbers(event)
    lines: dict[int, list[ScheduleLine]] = {}
    for booking in bookings:
        meeting = booking.meeting
        other = meeting.recipient if booking.participant_id == meeting.requester_id else meeting.requester
        lines.setdefault(booking.participant_id, []).append(
            ScheduleLine(slot=booking.slot, other=other, table=tables.get(meeting.pk, 0), meeting=meeting)
        )
    return lines


def schedule_of(*, participant: Participant) -> list[ScheduleLine]:
    return schedules(event=participant.event, participants=[participant]).get(participant.pk, [])
