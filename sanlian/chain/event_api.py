"""Matchmaking events (对接会) in /api/v1, scoped like the /chain/events/ pages.

Anyone lists the open events; officers also their region's drafts and closed ones, enterprises also those
they joined. An event's participants, slots and the caller's meeting requests are for signed-in callers who
may open it. Enterprises register and ask other participants for one-to-one meetings in a slot; the
recipient accepts or declines, either side cancels. Out of reach answers 404, bad input 422 naming the field.
"""

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, PUBLIC, Pagination
from sanlian.core.permissions import has_perm, require

from . import event_selectors as selectors
from .models import Participant, Slot
from .services import events as services

router = Router(tags=["chain"])

Pk = Path(..., ge=1, le=MAX_ID)
EventStatus = Literal["draft", "open", "closed"]
MeetingStatus = Literal["requested", "accepted", "declined", "expired", "cancelled"]


class MatchEventListOut(Schema):
    id: int
    title: str
    date: date
    venue: str
    description: str
    status: EventStatus
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/chain/events/{obj['id'] if isinstance(obj, dict) else obj.pk}/"


class ParticipantOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    representative: str


class SlotOut(Schema):
    id: int
    start_at: datetime
    end_at: datetime


class MeetingOut(Schema):
    id: int
    event: int
    slot: SlotOut
    requester: ParticipantOut
    recipient: ParticipantOut
    message: str
    status: MeetingStatus
    expires_at: datetime
    answered_at: datetime | None


class MatchEventOut(MatchEventListOut):
    town: str = Field(description="主办镇代码 / town code")
    participants: list[ParticipantOut]
    slots: list[SlotOut]
    me: ParticipantOut | None = Field(description="本企业的报名 / my enterprise's registration")
    sent: list[MeetingOut]
    received: list[MeetingOut]


class RegisterIn(Schema):
    representative: str = Field("", max_length=64, description="参会代表,默认当前用户 / who attends")


class MeetingIn(Schema):
    recipient: int = Field(ge=1, le=MAX_ID, strict=True, description="洽谈对象(参会企业的报名 id)/ participant id")
    slot: int = Field(ge=1, le=MAX_ID, strict=True, description="时段 id / slot id")
    message: str = Field("", max_length=300)


class AnswerIn(Schema):
    answer: Literal["accept", "decline"]


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


def _participant(p: Participant) -> dict:
    return {"id": p.pk, "enterprise": p.enterprise_id, "enterprise_name": p.enterprise.name,
            "representative": p.representative}  # fmt: skip


def _meeting(m) -> dict:
    return {
        "id": m.pk, "event": m.event_id, "slot": m.slot, "requester": _participant(m.requester),
        "recipient": _participant(m.recipient), "message": m.message, "status": m.status,
        "expires_at": m.expires_at, "answered_at": m.answered_at,
    }  # fmt: skip


def _event(user, event) -> dict:
    me = selectors.participant_of(user=user, event=event)
    return {
        "id": event.pk, "title": event.title, "date": event.date, "venue": event.venue,
        "description": event.description, "status": event.status, "url": f"/chain/events/{event.pk}/",
        "town": event.town.code, "participants": [_participant(p) for p in selectors.participants_of(event)],
        "slots": selectors.slots_of(event), "me": _participant(me) if me else None,
        "sent": [_meeting(m) for m in selectors.requests_sent(participant=me)] if me else [],
        "received": [_meeting(m) for m in selectors.requests_received(participant=me)] if me else [],
    }  # fmt: skip


@router.get(
    "/chain/events", auth=PUBLIC, response={200: list[MatchEventListOut], **ERRORS},
    summary="对接会:报名中的公开;工作人员另见辖区草稿 / matchmaking events",
)  # fmt: skip
@paginate(Pagination)
def match_event_list(request):
    user = request.auth
    officer = user.is_authenticated and selectors.is_event_officer(user)
    member = user.is_authenticated and has_perm(user, "event.join") and bool(user.enterprise_id)
    return selectors.events_visible(user=user) if officer or member else selectors.events_public()


@router.get("/chain/events/{pk}", response={200: MatchEventOut, **ERRORS}, summary="一场对接会及我的洽谈 / one event")
def match_event_detail(request, pk: int = Pk):
    return _event(request.auth, selectors.event_for(user=request.auth, pk=pk))


@router.post(
    "/chain/events/{pk}/participants", response={201: MatchEventOut, **ERRORS},
    summary="本企业报名参会 / register my enterprise",
)  # fmt: skip
def match_event_register(request, payload: RegisterIn, pk: int = Pk):
    user = request.auth
    event = selectors.event_for(user=user, pk=pk)
    require(user, "event.join")
    services.event_register(actor=user, event=event, representative=payload.representative, now=timezone.now())
    return Status(201, _event(user, event))


@router.post(
    "/chain/events/{pk}/meetings", response={201: MeetingOut, **ERRORS},
    summary="向参会企业发起一对一洽谈邀约 / ask for a meeting",
)  # fmt: skip
def match_meeting_request(request, payload: MeetingIn, pk: int = Pk):
    user = request.auth
    event = selectors.event_for(user=user, pk=pk)
    require(user, "event.join")
    # Unknown ids reach the service as blanks, which it refuses naming the field, as the page does.
    recipient = next((p for p in selectors.participants_of(event) if p.pk == payload.recipient), None)
    slot = next((s for s in selectors.slots_of(event) if s.pk == payload.slot), None)
    meeting = services.meeting_request(
        actor=user, event=event, recipient=recipient or Participant(), slot=slot or Slot(), message=payload.message,
        now=timezone.now(),
    )  # fmt: skip
    return Status(201, _meeting(selectors.meeting_for(user=user, pk=meeting.pk)))


@router.post(
    "/chain/meetings/{pk}/answer", response={200: MeetingOut, **ERRORS}, summary="接受或婉拒邀约 / accept or decline"
)
def match_meeting_answer(request, payload: AnswerIn, pk: int = Pk):
    user = request.auth
    meeting = selectors.meeting_for(user=user, pk=pk)
    services.meeting_answer(actor=user, request=meeting, accept=payload.answer == "accept", now=timezone.now())
    return _meeting(selectors.meeting_for(user=user, pk=pk))


@router.post("/chain/meetings/{pk}/cancel", response={200: MeetingOut, **ERRORS}, summary="取消洽谈 / cancel a meeting")
def match_meeting_cancel(request, payload: CancelIn, pk: int = Pk):
    user = request.auth
    meeting = selectors.meeting_for(user=user, pk=pk)
    services.meeting_cancel(actor=user, request=meeting, reason=payload.reason, now=timezone.now())
    return _meeting(selectors.meeting_for(user=user, pk=pk))
