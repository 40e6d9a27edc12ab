"""Test data for the ambassador tests, made through the ambassador services.

Talent applications are made as rows: their workflow service is another part of the talent work, and
these tests need only an application in a given status and of a given employer.
"""

import base64
import re
import zlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sanlian.core.models import Role, User
from sanlian.talent.models import Level, Round, TalentApplication
from sanlian.talent.services import ambassadors as services
from tests import factories

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2024, 5, 20, 10, 0, tzinfo=TZ)


def at(day: int, month: int = 6, year: int = 2024, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=TZ)


def appointment(town: str = "pujiang", **overrides) -> dict:
    data = {
        "name": "陈嘉怡",
        "organisation": "波士顿生物医药协会",
        "field": "基因治疗",
        "overseas_region": "北美",
        "town": factories.region(town),
        "appointed_date": date(2024, 5, 20),
        "term_start_date": date(2024, 5, 20),
        "term_end_date": date(2026, 5, 19),
    }
    data.update(overrides)
    return data


def appoint(officer, town: str = "pujiang", now: datetime = NOW, **overrides):
    return services.ambassador_appoint(actor=officer, data=appointment(town, **overrides), now=now)


def appoint_with_login(officer, username: str, town: str = "pujiang", **overrides):
    """An ambassador with a login of role ambassador (no usable password, as the service makes it)."""
    return appoint(officer, town, username=username, **overrides)


def other_role_user(username: str = "someone") -> User:
    return factories.UserFactory(username=username, role=Role.TALENT)


def add_lead(actor, ambassador, now: datetime = NOW, **data):
    values = {"kind": "talent", "name": "王海外", "field": "细胞治疗", "note": "波士顿博士后,有回国意向"}
    values.update(data)
    return services.lead_create(actor=actor, ambassador=ambassador, data=values, now=now)


def move(actor, lead, *statuses, now: datetime = NOW, enterprise=None, application=None, landing="talent_hired"):
    """Walk a lead through `statuses` in order, supplying what landing and certification need."""
    for status in statuses:
        extra = {}
        if status == "landed":
            extra = {"landing": landing, "enterprise": enterprise}
        elif status == "certified":
            extra = {"application": application}
        elif status == "dropped":
            extra = {"note": "对方决定留在海外"}
        lead = services.lead_transition(actor=actor, lead=lead, to_status=status, now=now, **extra)
    return lead


def talent_round(year: int = 2024) -> Round:
    existing = Round.objects.filter(year=year).first()
    if existing is not None:
        return existing
    return Round.objects.create(
        year=year,
        name=f"{year}年度春申人才计划",
        region=factories.region("minhang"),
        open_date=date(year, 4, 1),
        deadline_date=date(year, 6, 6),
        age_reference_date=date(year - 1, 12, 31),
        status=Round.Status.CLOSED,
        created_at=NOW,
        updated_at=NOW,
    )


def application(employer, status: str = TalentApplication.Status.APPROVED, name: str = "王海外", year: int = 2024):
    round_ = talent_round(year)
    level, _created = Level.objects.get_or_create(round=round_, code="c1", defaults={"name": "C1", "order": 3})
    return TalentApplication.objects.create(
        round=round_,
        level=level,
        employer=employer,
        name=name,
        status=status,
        created_at=NOW,
        updated_at=NOW,
    )


def pdf_text_contains(content: bytes, value: str) -> bool:
    """Whether a page of the PDF draws `value` (the CJK font writes text as UTF-16BE in its streams)."""
    encoded = value.encode("utf-16-be")
    for match in re.finditer(rb"<<((?:(?!<<|>>).)*)>>\s*stream\r?\n(.*?)\s*endstream", content, re.S):
        header, data = match.groups()
        try:
            if b"ASCII85Decode" in header:
                data = base64.a85decode(data.strip(), adobe=True)
            stream = zlib.decompress(data) if b"FlateDecode" in header else data
        except (ValueError, zlib.error):
            continue
        if encoded in _unescape(stream):
            return True
    return False


def _unescape(stream: bytes) -> bytes:
    """The bytes of the PDF string literals of a content stream, escapes resolved."""
    out = bytearray()
    for literal in re.finditer(rb"\(((?:\\.|[^\\)])*)\)", stream, re.S):
        raw = literal.group(1)
        i = 0
        while i < len(raw):
            char = raw[i]
            if char == 0x5C and i + 1 < len(raw):  # backslash
                nxt = raw[i + 1]
                if 0x30 <= nxt <= 0x37:
                    digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4]).group(0)
                    out.append(int(digits, 8))
                    i += 1 + len(digits)
                    continue
                out.append({ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}.get(nxt, nxt))
                i += 2
                continue
            out.append(char)
            i += 1
    return bytes(out)
