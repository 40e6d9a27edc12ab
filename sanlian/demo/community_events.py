"""The community events demo (issue 7): the 2024-05-20 talent week opening and three upcoming events.

FACTS.md / seed/article.txt: on 2024-05-20 afternoon 浦江镇 opened its biomedical talent week with the
"浦江'链'才·共潮生" event: certificates, the launch of three public service platforms, the unveiling of the
alliance, the 知新会 and the chamber's branch, and the first 全球引才大使. Everything is written through the
real services; events are keyed by title, so a second run writes nothing. Upcoming events are placed
relative to the load day passed in (`now`), never the clock.
"""

import io
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from sanlian.community.models import Event, IssuedDocument, Organisation, Registration
from sanlian.community.services import event_documents as documents
from sanlian.community.services import event_photos
from sanlian.community.services import events as services
from sanlian.core.models import Role, User
from sanlian.enterprises.models import Enterprise
from sanlian.talent.ambassador_selectors import ambassadors_visible

from .community import ALLIANCE
from .policies import APPLICANT_PREFIX

TZ = ZoneInfo("Asia/Shanghai")
GUEST_PREFIX = "demo_guest_"
GUESTS = 24
NO_SHOWS = 4
QUALITY_CERTIFICATES = 15  # of the talent week's guests: registered, approved, never came
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋"
GIVEN = ("晓明", "佳怡", "志强", "雅婷", "建国", "思远", "丽华", "俊杰", "文静", "浩然", "欣怡", "子涵")

# U+30FB rather than U+00B7: the PDFs' built-in CJK font has no glyph for the Latin middle dot.
TALENT_WEEK = "浦江'链'才・共潮生——浦江镇人才赋能生物医药产业发展主题活动"
FORUM = "浦江镇生物医药产业联盟会员企业交流会"
TRAINING = "生物医药企业知识产权与申报实务培训"
THINK_TANK = "浦江镇生物医药知新会季度沙龙"
OPENING = datetime(2024, 5, 20, 14, 0, tzinfo=TZ)

TALENT_WEEK_AGENDA = (
    (0, "开幕致辞,浦江镇生物医药产业人才周启动", "浦江镇领导", "主会场"),
    (20, "颁发春申金字塔人才计划浦江镇入选代表证书", "闵行区人才办", "主会场"),
    (40, "颁发浦江镇优质生物医药企业证书", "浦江镇领导", "主会场"),
    (60, "发布三大生物医药产业链公共服务平台", "浦江镇产业服务中心", "主会场"),
    (80, "揭牌:浦江镇生物医药产业联盟、生物医药知新会、商会生物医药分会", "联盟及两会代表", "主会场"),
    (100, "聘任首批全球引才大使", "浦江镇领导", "主会场"),
    (120, "人才赋能生物医药产业发展圆桌对话", "企业家与人才代表", "主会场"),
)
SURVEY = [
    {"text": "您对本次活动的总体满意度", "kind": "rating"},
    {
        "text": "您最有收获的环节",
        "kind": "choice",
        "choices": ["证书颁发", "公共服务平台发布", "三家联合体揭牌", "圆桌对话"],
    },
    {"text": "您对后续活动的建议", "kind": "text"},
]
SUGGESTIONS = ("希望多组织上下游企业对接", "建议增加政策解读专场", "希望定期举办人才沙龙", "")


def _guests(rng: random.Random) -> list[User]:
    """Demo staff of the district's demo biomedical enterprises, one each, to fill the rooms (no password)."""
    # Not the policy demo's applicant firms: their applicant is meant to be their one account.
    firms = Enterprise.objects.filter(is_demo=True, is_biomedical=True).exclude(
        users__username__startswith=APPLICANT_PREFIX
    )
    enterprises = list(firms.order_by("uscc")[:GUESTS])
    guests = []
    for number, enterprise in enumerate(enterprises, start=1):
        username = f"{GUEST_PREFIX}{number:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=Role.ENTERPRISE_STAFF, enterprise=enterprise)
            user.display_name = rng.choice(FAMILY) + rng.choice(GIVEN)
            user.set_unusable_password()
            user.save()
        guests.append(user)
    return guests


def _talent_week(users, guests, rng) -> Event:
    officer = users["pj_officer"]
    data = {
        "title": TALENT_WEEK, "kind": Event.Kind.TALENT_WEEK, "organisation": Organisation.objects.get(code=ALLIANCE),
        "venue": "浦江镇社区文化活动中心", "starts_at": OPENING, "ends_at": OPENING + timedelta(hours=3),
        "capacity": 80, "registration_opens_at": OPENING - timedelta(days=14),
        "registration_closes_at": OPENING - timedelta(days=1), "is_demo": True,
        "description": "第二届“大零号湾”国际人才月浦江镇人才赋能生物医药产业发展主题活动,"
        "同时拉开浦江镇生物医药产业人才周帷幕。",
    }  # fmt: skip
    sessions = [
        {"starts_at": OPENING + timedelta(minutes=m), "title": t, "speaker": s, "room": r}
        for m, t, s, r in TALENT_WEEK_AGENDA
    ]
    booked = OPENING - timedelta(days=10)
    event = services.event_create(actor=officer, data=data, sessions=sessions, now=booked)
    services.event_transition(actor=officer, event=event, action="publish", now=booked)
    services.survey_questions_set(actor=officer, event=event, questions=SURVEY, now=booked)
    attendees = [users["ent_admin"], users["ent_staff"], *guests]
    registrations = [
        services.registration_create(actor=a, event=event, now=booked + timedelta(hours=3 * i))
        for i, a in enumerate(attendees)
    ]
    came = registrations[: len(registrations) - NO_SHOWS]
    for i, registration in enumerate(came):
        at = OPENING - timedelta(minutes=40) + timedelta(minutes=i)
        services.registration_check_in(actor=officer, event=event, scanned=registration.checkin_token, now=at)
    services.event_transition(actor=officer, event=event, action="finish", now=OPENING + timedelta(hours=4))
    _answer_survey(event, came, rng)
    _issue_documents(event, officer, users["ent_admin"].enterprise)
    _photos(event, officer)
    return event


PHOTOS = (
    ("开幕式(演示图片)", (11, 79, 124)),
    ("春申金字塔人才计划证书颁发(演示图片)", (160, 32, 40)),
    ("三个产业组织揭牌(演示图片)", (36, 110, 72)),
)


def _photos(event: Event, officer: User) -> None:
    """Three placeholder pictures, captioned as demo images: the demo has no real photographs of the day."""
    from PIL import Image, ImageDraw

    for index, (caption, colour) in enumerate(PHOTOS):
        image = Image.new("RGB", (960, 540), colour)
        draw = ImageDraw.Draw(image)
        draw.rectangle((120, 300, 840, 420), fill=(240, 240, 240))  # a stage
        for x in range(160, 820, 110):
            draw.ellipse((x, 200, x + 60, 260), fill=(250, 220, 180))  # guests on it
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        upload = SimpleUploadedFile(f"photo-{index + 1}.png", buffer.getvalue(), content_type="image/png")
        event_photos.event_photo_add(
            actor=officer, event=event, upload=upload, caption=caption, now=OPENING + timedelta(hours=5)
        )


def _issue_documents(event: Event, officer: User, showcase: Enterprise) -> None:
    """The ceremony's certificates: the showcase and demo biomedical firms, and the ambassadors' letters.

    Drawn here rather than by the Huey job, so a fresh demo has its PDFs without a running consumer; the job
    queued after commit then finds nothing left to draw.
    """
    firms = [showcase, *Enterprise.objects.filter(is_demo=True, is_biomedical=True, town__code="pujiang")
             .exclude(pk=showcase.pk).order_by("-uscc")[: QUALITY_CERTIFICATES - 1]]  # fmt: skip
    ambassadors = [a.name for a in ambassadors_visible(user=officer).order_by("letter_number")[:4]]
    at = OPENING + timedelta(minutes=40)
    for kind, recipients in (("quality_enterprise", {"enterprises": firms}), ("ambassador", {"people": ambassadors})):
        if any(recipients.values()):
            batch = documents.document_batch_start(actor=officer, event=event, kind=kind, now=at, **recipients)
            documents.document_batch_render(batch_id=batch.pk, now=at)


def _answer_survey(event: Event, came: list[Registration], rng: random.Random) -> None:
    questions = list(event.survey_questions.all())
    # Two in three attendees answer; ratings lean high, as they do at a ceremony.
    for i, registration in enumerate(came):
        if i % 3 == 2:
            continue
        answers = {
            questions[0].pk: rng.choice("55554443"),
            questions[1].pk: rng.choice(SURVEY[1]["choices"]),
            questions[2].pk: rng.choice(SUGGESTIONS),
        }
        at = event.ends_at + timedelta(hours=2, minutes=7 * i)
        services.survey_answer_submit(actor=registration.user, event=event, answers=answers, now=at)


def _upcoming(*, actor, data: dict, sessions: list[dict], now: datetime, attendees) -> Event:
    opens = now - timedelta(days=7)
    event = services.event_create(
        actor=actor, data={**data, "registration_opens_at": opens, "is_demo": True}, sessions=sessions, now=opens
    )
    services.event_transition(actor=actor, event=event, action="publish", now=opens)
    for i, person in enumerate(attendees):
        services.registration_create(actor=person, event=event, now=opens + timedelta(hours=6 * i + 1))
    return event


def _at(now: datetime, days: int, hour: int) -> datetime:
    return datetime.combine(now.astimezone(TZ).date() + timedelta(days=days), time(hour), TZ)


def _forum(users, guests, now) -> Event:
    """Full with a waiting list; needs approval, with one registration left for the secretary to decide."""
    secretary = users["org_secretary"]
    starts = _at(now, 17, 14)
    data = {
        "title": FORUM, "kind": Event.Kind.FORUM, "organisation": Organisation.objects.get(code=ALLIANCE),
        "venue": "浦江镇生物医药产业联盟会议室(浦星公路800号)", "starts_at": starts,
        "ends_at": starts + timedelta(hours=3), "capacity": 12, "requires_approval": True,
        "registration_closes_at": starts - timedelta(days=2),
        "description": "联盟会员企业交流上下游需求、共享检测与中试资源,介绍联盟年度工作计划。",
    }  # fmt: skip
    sessions = [
        {"starts_at": starts, "title": "联盟年度工作计划", "speaker": "联盟秘书处", "room": ""},
        {"starts_at": starts + timedelta(minutes=40), "title": "会员企业需求发布与对接", "speaker": "", "room": ""},
        {"starts_at": starts + timedelta(minutes=120), "title": "共享检测与中试平台介绍", "speaker": "", "room": ""},
    ]
    attendees = [users["ent_admin"], *guests[:14]]
    event = _upcoming(actor=secretary, data=data, sessions=sessions, now=now, attendees=attendees)
    # The secretary approved all but the last seated one, which waits for a decision.
    seated = list(event.registrations.filter(status=Registration.Status.PENDING).order_by("id"))
    for registration in seated[:-1]:
        services.registration_transition(
            actor=secretary, registration=registration, action="approve", now=now - timedelta(hours=2)
        )
    return event


def _training(users, guests, now) -> Event:
    starts = _at(now, 21, 9)
    data = {
        "title": TRAINING, "kind": Event.Kind.TRAINING, "venue": "浦江镇企业服务中心培训室",
        "starts_at": starts, "ends_at": starts + timedelta(hours=3), "capacity": 40,
        "registration_closes_at": starts - timedelta(days=1),
        "description": "专利布局、高新技术企业认定与春申人才计划申报实务,现场答疑。",
    }  # fmt: skip
    sessions = [
        {"starts_at": starts, "title": "生物医药专利布局要点", "speaker": "知识产权服务机构", "room": ""},
        {"starts_at": starts + timedelta(minutes=90), "title": "高企认定与人才计划申报实务", "speaker": "", "room": ""},
    ]
    return _upcoming(actor=users["pj_officer"], data=data, sessions=sessions, now=now, attendees=guests[14:20])


def load(*, users: dict[str, User], now: datetime, rng: random.Random) -> dict[str, int]:
    """The talent week of 2024-05-20 and three upcoming events; counts of what this run created."""
    if Event.objects.filter(is_demo=True, title=TALENT_WEEK).exists():
        return {"events": 0, "event_registrations": 0, "event_documents": 0, "event_photos": 0}
    before = Registration.objects.count()
    guests = _guests(rng)
    _talent_week(users, guests, rng)
    _forum(users, guests, now)
    _training(users, guests, now)
    think_tank = Organisation.objects.get(code="pj-bio-zhixin")
    starts = _at(now, 28, 15)
    services.event_transition(
        actor=users["pj_officer"], now=now, action="publish",
        event=services.event_create(actor=users["pj_officer"], now=now, data={
            "title": THINK_TANK, "kind": Event.Kind.FORUM, "organisation": think_tank, "venue": "浦江镇知新会活动室",
            "starts_at": starts, "ends_at": starts + timedelta(hours=2), "capacity": 30, "is_demo": True,
            "registration_opens_at": now, "registration_closes_at": starts - timedelta(days=1),
            "description": "围绕生物医药研发成果转化与产业链协同建言献策。",
        }),
    )  # fmt: skip
    return {
        "events": 4,
        "event_registrations": Registration.objects.count() - before,
        "event_documents": IssuedDocument.objects.filter(event__is_demo=True).count(),
        "event_photos": len(PHOTOS),
    }


def unload() -> int:
    """Demo events and the guest accounts (before the demo enterprises they belong to go). Their audit trail
    stays: it is append-only (sanlian.core.audit), the guests' usernames kept on their events."""
    events = Event.objects.filter(is_demo=True)
    guests = User.objects.filter(username__startswith=GUEST_PREFIX)
    count, _ = events.delete()
    guests.delete()
    return count
