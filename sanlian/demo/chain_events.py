"""The matchmaking events of the demo (issue 5, 对接会), told through the event services.

- An upcoming 浦江镇生物医药产业链供需对接会 two weeks after the load date, open, with 20-minute slots
  from 09:00 to 12:00 and about 15 registered demo enterprises (ent_admin's among them): a dozen
  accepted meetings (the services refuse double bookings, so none exist), pending requests (three of
  them for ent_admin to answer, one sent by it), two that expired unanswered and two declined.
- A past 医疗器械 event, closed, with its meetings, so schedules and history have something to show.

Enterprises act through their demo admin accounts (sanlian.demo.policies `_applicant`, no usable
password); ent_admin acts for the showcase enterprise. Keyed by the events' titles: a second run with
the same load date writes nothing.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sanlian.chain.models import MatchEvent, MeetingRequest, Participant, Slot
from sanlian.chain.services import events as services
from sanlian.core.models import User
from sanlian.enterprises.models import Enterprise

from .policies import _applicant as enterprise_account

UPCOMING_TITLE = "%(year)s 浦江镇生物医药产业链供需对接会"
PAST_TITLE = "%(year)s 浦江镇医疗器械产业链专场对接会"
VENUE = "浦江镇生物医药产业园 · 产业服务中心三楼会议厅"
PAST_VENUE = "浦江镇 · 闵行区医疗器械创新服务中心路演厅"
UPCOMING_DESCRIPTION = (
    "围绕生物医药产业链强链、补链、延链,组织原料药与中间体、CXO 研发生产服务、医疗器械与诊断试剂、"
    "流通与临床应用等上下游企业开展一对一洽谈。报名企业可在线选择时段向其他参会企业发起洽谈邀约,"
    "对方接受后即列入双方日程;每场洽谈 20 分钟。"
)
PAST_DESCRIPTION = "医疗器械上下游(零部件、材料、检测认证、注册服务、医院采购)专场对接,每场洽谈 30 分钟。"
MESSAGES = (
    "我司有原料药及中间体采购需求,希望了解贵司产品规格与供货周期。",
    "希望了解贵司 CDMO 服务能力及近期产能排期。",
    "我司在做临床前研究,想就药效与安全性评价外包服务进行沟通。",
    "想探讨诊断试剂关键原料(抗原、抗体)的国产化替代合作。",
    "我司医疗器械产品需要注册检验与 GMP 体系咨询,希望约谈。",
    "希望洽谈冷链物流与药品流通配送合作。",
    "想了解贵司细胞培养基及一次性生物反应袋的供应情况。",
    "有意向共建联合实验室,探讨产学研合作方式。",
    "我司正在寻找精密注塑与零部件加工的本地供应商。",
    "想交流医院端临床试验资源对接与合作模式。",
)
UPCOMING_ENTERPRISES = 15  # ent_admin's among them
PAST_ENTERPRISES = 10
ACCEPTED, PAST_ACCEPTED = 12, 8
SHOWCASE_ACCEPTED = 3  # of the accepted meetings, with ent_admin's enterprise
PENDING_FOR_SHOWCASE, PENDING_FROM_SHOWCASE, PENDING_OTHERS = 3, 1, 2
EXPIRED, DECLINED, PAST_DECLINED, PAST_LAPSED = 2, 2, 2, 2


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


class _Planner:
    """Picks who meets whom when, keeping the final bookings free of double bookings."""

    def __init__(self, rng: random.Random, parts: list[Participant], slots: list[Slot]):
        self.rng, self.parts, self.slots = rng, parts, slots
        self.booked: set[tuple[int, int]] = set()  # (participant, slot) held by an accepted meeting
        self.asked: set[tuple[frozenset, int]] = set()  # (pair, slot) of every request planned

    def _free(self, a: Participant, b: Participant, slot: Slot) -> bool:
        return (
            a.pk != b.pk
            and (a.pk, slot.pk) not in self.booked
            and (b.pk, slot.pk) not in self.booked
            and (frozenset((a.pk, b.pk)), slot.pk) not in self.asked
        )

    def pick(self, *, requester=None, recipient=None, book: bool) -> tuple[Participant, Participant, Slot] | None:
        for _attempt in range(500):
            a = requester or self.rng.choice(self.parts)
            b = recipient or self.rng.choice(self.parts)
            slot = self.rng.choice(self.slots)
            if self._free(a, b, slot):
                self.asked.add((frozenset((a.pk, b.pk)), slot.pk))
                if book:
                    self.booked |= {(a.pk, slot.pk), (b.pk, slot.pk)}
                return a, b, slot
        return None


def _enterprises(rng: random.Random, showcase: Enterprise | None, count: int) -> list[Enterprise]:
    pool = list(
        Enterprise.objects.filter(is_demo=True, town__code="pujiang", is_biomedical=True)
        .exclude(pk=getattr(showcase, "pk", None))
        .order_by("uscc")[:200]
    )
    chosen = rng.sample(pool, min(len(pool), count - (1 if showcase else 0)))
    return ([showcase] if showcase else []) + chosen


def _register(event: MatchEvent, enterprises: list[Enterprise], actors: dict, first: datetime, rng) -> list:
    parts = []
    for i, enterprise in enumerate(enterprises):
        when = first + timedelta(hours=3 * i, minutes=rng.randint(0, 50))
        actor = actors[enterprise.pk]
        representative = actor.display_name or ""
        parts.append(services.event_register(actor=actor, event=event, representative=representative, now=when))
    return parts


class _Story:
    def __init__(self, *, rng: random.Random, actors: dict, parts: list[Participant], slots: list[Slot]):
        self.rng, self.actors = rng, actors
        self.planner = _Planner(rng, parts, slots)
        self.counts = {"accepted": 0, "pending": 0, "expired": 0, "declined": 0}

    def actor(self, participant: Participant) -> User:
        return self.actors[participant.enterprise_id]

    def ask(self, event, plan, when: datetime) -> MeetingRequest:
        requester, recipient, slot = plan
        return services.meeting_request(
            actor=self.actor(requester),
            event=event,
            recipient=recipient,
            slot=slot,
            message=self.rng.choice(MESSAGES),
            now=when,
        )

    def meetings(self, event, *, plans: list, first: datetime, spread_hours: int, accept: bool) -> None:
        for i, plan in enumerate(plans):
            when = first + timedelta(hours=(i * spread_hours) // max(len(plans), 1), minutes=self.rng.randint(0, 55))
            meeting = self.ask(event, plan, when)
            later = when + timedelta(hours=self.rng.randint(1, 20), minutes=self.rng.randint(0, 59))
            services.meeting_answer(actor=self.actor(plan[1]), request=meeting, accept=accept, now=later)
            self.counts["accepted" if accept else "declined"] += 1

    def plans(self, n: int, *, book: bool, requester=None, recipient=None) -> list:
        picked = (self.planner.pick(requester=requester, recipient=recipient, book=book) for _ in range(n))
        return [p for p in picked if p is not None]


def _actors(enterprises: list[Enterprise], ent_admin: User | None) -> dict[int, User]:
    actors = {e.pk: enterprise_account(e) for e in enterprises if ent_admin is None or e.pk != ent_admin.enterprise_id}
    if ent_admin is not None and ent_admin.enterprise_id:
        actors[ent_admin.enterprise_id] = ent_admin
    return actors


def _upcoming(*, now: datetime, rng: random.Random, officer: User, ent_admin: User | None, counts: dict) -> None:
    today = timezone.localdate(now)
    day = today + timedelta(days=14)
    title = UPCOMING_TITLE % {"year": day.year}
    if MatchEvent.objects.filter(title=title).exists():
        return
    created = now - timedelta(days=10)
    event = services.event_save(
        actor=officer,
        data={
            "title": title,
            "venue": VENUE,
            "date": day,
            "description": UPCOMING_DESCRIPTION,
            "request_ttl_hours": 48,
        },
        now=created,
    )
    services.slots_generate(
        actor=officer, event=event, start=time(9), end=time(12), minutes=20, now=created + timedelta(minutes=15)
    )
    event = services.event_set_status(
        actor=officer, event=event, status=MatchEvent.Status.OPEN, now=created + timedelta(days=1)
    )
    showcase = ent_admin.enterprise if ent_admin is not None and ent_admin.enterprise_id else None
    enterprises = _enterprises(rng, showcase, UPCOMING_ENTERPRISES)
    actors = _actors(enterprises, ent_admin)
    parts = _register(event, enterprises, actors, created + timedelta(days=1, hours=2), rng)
    slots = list(Slot.objects.filter(event=event).order_by("start_at"))
    story = _Story(rng=rng, actors=actors, parts=parts, slots=slots)
    mine = parts[0] if showcase else None
    # Plan every meeting first, so that no request collides with a meeting accepted after it.
    accepted = []
    if mine is not None:
        for i in range(SHOWCASE_ACCEPTED):
            side = {"requester": mine} if i % 2 else {"recipient": mine}
            accepted += story.plans(1, book=True, **side)
    accepted += story.plans(ACCEPTED - len(accepted), book=True)
    expired = story.plans(EXPIRED, book=False)
    declined = story.plans(DECLINED, book=False)
    pending = story.plans(PENDING_OTHERS, book=False)
    if mine is not None:
        pending = (
            story.plans(PENDING_FOR_SHOWCASE, book=False, recipient=mine)
            + story.plans(PENDING_FROM_SHOWCASE, book=False, requester=mine)
            + pending
        )
    # Requests nobody answered, four days before loading; the expiry job lapses them two days later.
    for i, plan in enumerate(expired):
        story.ask(event, plan, now - timedelta(days=6, hours=-i))
    counts["expired"] += services.meeting_requests_expire(now=now - timedelta(days=3, hours=20))
    story.meetings(event, plans=declined, first=now - timedelta(days=5), spread_hours=24, accept=False)
    story.meetings(event, plans=accepted, first=now - timedelta(days=5), spread_hours=96, accept=True)
    # Still waiting for an answer: sent within the last day, so they are open at load time.
    for i, plan in enumerate(pending):
        story.ask(event, plan, now - timedelta(hours=22 - 3 * i, minutes=rng.randint(0, 50)))
    story.counts["pending"] = len(pending)
    counts["events"] += 1
    counts["participants"] += len(parts)
    counts["slots"] += len(slots)
    for key in ("accepted", "pending", "declined"):
        counts[key] += story.counts[key]


def _past(*, now: datetime, rng: random.Random, officer: User, ent_admin: User | None, counts: dict) -> None:
    day = timezone.localdate(now) - timedelta(days=70)
    title = PAST_TITLE % {"year": day.year}
    if MatchEvent.objects.filter(title=title).exists():
        return
    created = _at(day - timedelta(days=24), 10)
    event = services.event_save(
        actor=officer,
        data={
            "title": title,
            "venue": PAST_VENUE,
            "date": day,
            "description": PAST_DESCRIPTION,
            "request_ttl_hours": 72,
        },
        now=created,
    )
    services.slots_generate(
        actor=officer, event=event, start=time(14), end=time(17), minutes=30, now=created + timedelta(minutes=20)
    )
    event = services.event_set_status(
        actor=officer, event=event, status=MatchEvent.Status.OPEN, now=created + timedelta(days=1)
    )
    showcase = ent_admin.enterprise if ent_admin is not None and ent_admin.enterprise_id else None
    enterprises = _enterprises(rng, showcase, PAST_ENTERPRISES)
    actors = _actors(enterprises, ent_admin)
    parts = _register(event, enterprises, actors, created + timedelta(days=2), rng)
    slots = list(Slot.objects.filter(event=event).order_by("start_at"))
    story = _Story(rng=rng, actors=actors, parts=parts, slots=slots)
    accepted = story.plans(2, book=True, requester=parts[0]) if showcase else []
    accepted += story.plans(PAST_ACCEPTED - len(accepted), book=True)
    declined = story.plans(PAST_DECLINED, book=False)
    lapsed = story.plans(PAST_LAPSED, book=False)
    first = _at(day - timedelta(days=12), 9)
    story.meetings(event, plans=declined, first=first, spread_hours=48, accept=False)
    story.meetings(event, plans=accepted, first=first, spread_hours=200, accept=True)
    for i, plan in enumerate(lapsed):
        story.ask(event, plan, _at(day - timedelta(days=1), 15 + i))
    # Closing the day after lets the last requests lapse.
    services.event_set_status(
        actor=officer, event=event, status=MatchEvent.Status.CLOSED, now=_at(day + timedelta(days=1), 9)
    )
    counts["events"] += 1
    counts["participants"] += len(parts)
    counts["slots"] += len(slots)
    counts["accepted"] += story.counts["accepted"]
    counts["declined"] += story.counts["declined"]
    counts["expired"] += len(lapsed)


def load(*, now: datetime, rng: random.Random) -> dict:
    """Write the demo's matchmaking events; returns how many events, participants, slots and requests."""
    counts = {"events": 0, "participants": 0, "slots": 0, "accepted": 0, "pending": 0, "expired": 0, "declined": 0}
    officer = User.objects.filter(username="pj_officer").first()
    if officer is None:
        return counts
    ent_admin = User.objects.select_related("enterprise").filter(username="ent_admin").first()
    _past(now=now, rng=rng, officer=officer, ent_admin=ent_admin, counts=counts)
    _upcoming(now=now, rng=rng, officer=officer, ent_admin=ent_admin, counts=counts)
    return counts
