"""The space-service part of the demo (issue 6): listings of three fictional landlords (演示) in the two parks
of 浦江镇, verified by pj_officer, with their leases, space requests, viewings and outcomes.

Told through the real services on dates before the load date, so every figure is a true one:

- 40 listings over every type (wet labs with pure water and exhaust, GMP workshops of grade C/D, offices,
  warehouses, cold stores); most published and confirmed within the last 30 days, 3 near expiry (the
  expiry job run at the load date reminds their landlords), 2 expired, 4 waiting for pj_officer's
  verification, 1 rejected with a comment, 1 draft;
- leases earlier in the load year (7 listings fully taken, 4 partly), so the cockpit's vacancy and take-up
  by park are computed from records;
- three space requests: the showcase enterprise's (ent_admin) GMP workshop with ranked matches, a viewing
  waiting for the landlord and a confirmed one; a gene company's wet lab, viewed and leased; a distributor's
  cold store, viewed and not taken.

The first landlord's admin is the demo account `landlord`; the others act through demo admin accounts
without a usable password. A second run (the landlords' listings exist) writes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanlian.core import pdf
from sanlian.core.models import Notification, User
from sanlian.core.validators import uscc_from_serial
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import Enterprise, Park, Region
from sanlian.space.models import Kind, Listing, SpaceRequest
from sanlian.space.services import listings as listing_services
from sanlian.space.services import requests as request_services

from .generator.specs import SERIAL_BASE
from .policies import _applicant as enterprise_user

LANDLORD_SERIAL = SERIAL_BASE + 900_000
REGISTERED_AT = datetime(2021, 10, 18, 10, 0, tzinfo=timezone.get_fixed_timezone(480))
UNREAD_DAYS = 7
LANDLORD_ACCOUNT = "landlord"


@dataclass(frozen=True)
class Landlord:
    key: str
    name: str
    park: str
    address: str
    description: str


LANDLORDS = (
    Landlord("L1", "上海浦江芯谷科创园运营管理有限公司", "lingang-pujiang", "上海市闵行区浦江镇芯中路 88 号",
             "园区运营方(演示):生命健康与集成电路产业载体的招商、物业和配套服务,提供湿实验室、GMP 厂房与研发办公。"),
    Landlord("L2", "上海漕浦高科技园物业管理有限公司", "caohejing-pujiang", "上海市闵行区浦江镇新骏环路 588 号",
             "园区物业公司(演示):漕河泾开发区浦江高科技园内标准厂房、研发楼与仓储物业的租赁和管理。"),
    Landlord("L3", "上海闵南医药冷链仓储有限公司", "lingang-pujiang", "上海市闵行区浦江镇江凯路 177 号",
             "医药仓储企业(演示):GSP 合规的 2–8℃ 与 -20℃ 医药冷库、常温库,可提供温湿度监控与验证报告。"),
)  # fmt: skip

# landlord, building, floor, unit, kind, area m², rent 元/㎡/天, cleanroom, floor load, kVA, flags, fate
# flags: E exhaust, W pure water, H hazardous-chemicals permit, V environmental approval
# fate: published, near (near expiry), expired, pending, rejected, draft, leased (fully), part (partly leased)
ROWS = (
    ("L1", "1号楼", "2F", "201", "wet_lab", 620, "4.80", "", 500, 250, "EWHV", "published"),
    ("L1", "1号楼", "3F", "301", "wet_lab", 880, "4.60", "iso8", 500, 320, "EWHV", "part"),
    ("L1", "1号楼", "4F", "401", "wet_lab", 450, "5.00", "iso7", 600, 200, "EWV", "published"),
    ("L1", "2号楼", "2F", "全层", "wet_lab", 1150, "4.50", "", 500, 400, "EWHV", "leased"),
    ("L1", "2号楼", "3F", "302", "wet_lab", 380, "4.90", "", 400, 150, "EWV", "near"),
    ("L1", "2号楼", "5F", "501", "wet_lab", 720, "4.70", "iso7", 500, 300, "EWHV", "pending"),
    ("L1", "3号楼", "1F", "101", "wet_lab", 300, "5.20", "", 400, 120, "EW", "published"),
    ("L1", "3号楼", "2F", "202", "wet_lab", 540, "4.40", "iso8", 500, 220, "EWV", "expired"),
    ("L1", "5号楼", "1F", "全层", "gmp_workshop", 1850, "4.20", "gmp-c", 1000, 1250, "EWHV", "published"),
    ("L1", "5号楼", "2F", "全层", "gmp_workshop", 1850, "4.00", "gmp-d", 800, 1000, "EWV", "published"),
    ("L1", "6号楼", "1F", "A区", "gmp_workshop", 1200, "4.30", "gmp-c", 1000, 800, "EWHV", "leased"),
    ("L1", "6号楼", "1F", "B区", "gmp_workshop", 980, "4.40", "gmp-b", 1000, 900, "EWHV", "pending"),
    ("L1", "6号楼", "2F", "全层", "gmp_workshop", 2400, "3.90", "gmp-d", 800, 1600, "EWV", "near"),
    ("L1", "3号楼", "5F", "全层", "office", 1100, "4.20", "", 300, 120, "", "leased"),
    ("L1", "3号楼", "6F", "601", "office", 260, "4.50", "", 250, 40, "", "published"),
    ("L1", "4号楼", "8F", "801", "office", 420, "4.30", "", 250, 60, "", "leased"),
    ("L1", "4号楼", "9F", "901", "office", 180, "4.60", "", 250, 30, "", "published"),
    ("L1", "4号楼", "10F", "全层", "office", 1300, "4.00", "", 300, 150, "", "part"),
    ("L1", "4号楼", "11F", "1102", "office", 320, "4.40", "", 250, 50, "", "draft"),
    ("L2", "A栋", "2F", "A201", "wet_lab", 500, "4.20", "", 500, 200, "EWV", "published"),
    ("L2", "A栋", "3F", "A301", "wet_lab", 760, "4.10", "iso8", 600, 260, "EWHV", "published"),
    ("L2", "A栋", "4F", "A401", "wet_lab", 420, "4.30", "", 500, 180, "EW", "rejected"),
    ("L2", "A栋", "5F", "A501", "wet_lab", 650, "4.00", "", 500, 240, "EWHV", "leased"),
    ("L2", "B栋", "1F", "全层", "gmp_workshop", 2200, "3.60", "gmp-c", 1200, 1500, "EWHV", "published"),
    ("L2", "B栋", "2F", "全层", "gmp_workshop", 2200, "3.50", "gmp-d", 1000, 1200, "EWV", "part"),
    ("L2", "B栋", "3F", "B301", "gmp_workshop", 1300, "3.80", "gmp-c", 1000, 900, "EWV", "pending"),
    ("L2", "C栋", "3F", "C301", "office", 560, "3.80", "", 300, 80, "", "published"),
    ("L2", "C栋", "4F", "全层", "office", 980, "3.60", "", 300, 100, "", "leased"),
    ("L2", "C栋", "5F", "C502", "office", 240, "4.00", "", 250, 30, "", "near"),
    ("L2", "C栋", "6F", "C601", "office", 360, "3.90", "", 250, 40, "", "expired"),
    ("L2", "D栋", "1F", "D101", "warehouse", 1600, "1.90", "", 2000, 80, "V", "published"),
    ("L2", "D栋", "1F", "D102", "warehouse", 900, "2.10", "", 2000, 60, "HV", "leased"),
    ("L3", "1号库", "1F", "常温区", "warehouse", 2800, "1.70", "", 3000, 100, "V", "part"),
    ("L3", "1号库", "2F", "阴凉区", "warehouse", 1200, "2.20", "", 2000, 120, "V", "published"),
    ("L3", "1号库", "1F", "危化品库", "warehouse", 600, "2.60", "", 2000, 60, "HV", "pending"),
    ("L3", "2号库", "1F", "2–8℃ A区", "cold_store", 800, "3.60", "", 2000, 350, "V", "published"),
    ("L3", "2号库", "1F", "2–8℃ B区", "cold_store", 500, "3.80", "", 2000, 260, "V", "published"),
    ("L3", "2号库", "2F", "-20℃ 区", "cold_store", 420, "4.20", "", 2000, 400, "V", "published"),
    ("L3", "3号库", "1F", "2–8℃ 全区", "cold_store", 1500, "3.40", "", 2500, 600, "V", "published"),
    ("L3", "3号库", "2F", "-25℃ 区", "cold_store", 360, "4.50", "", 2500, 380, "V", "published"),
)
KIND_NOTES = {
    "wet_lab": "配备通风柜排风与废气处理、集中纯化水管路,实验台与洗眼器可按需配置。",
    "gmp_workshop": "洁净区已完成验证,含人流物流通道、空调净化系统(HVAC)及压差监控,可承接无菌或医疗器械生产。",
    "office": "精装研发办公,近园区食堂与人才公寓,可分割。",
    "warehouse": "层高 9 米,配备卸货平台与叉车通道,可办理医疗器械仓储备案。",
    "cold_store": "GSP 合规,温湿度自动监测与报警,双回路供电及备用发电机,可出具温度分布验证报告。",
}


class Teller:
    def __init__(self, *, now: datetime, rng: random.Random, officer: User):
        self.now, self.rng, self.officer = now, rng, officer
        self.tz = timezone.get_default_timezone()
        self.today = timezone.localdate(now)
        self.year_start = date(self.today.year, 1, 1)
        self.tenants: list[Enterprise] = []
        self.counts = {"listings": 0, "published": 0, "pending": 0, "leases": 0, "requests": 0, "viewings": 0}

    def at(self, days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
        day = self.today - timedelta(days=days_ago)
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def this_year(self, days_ago: int) -> date:
        """A date `days_ago` before the load day, but not before the load year's first day."""
        return max(self.today - timedelta(days=days_ago), self.year_start)


def _landlords(officer: User) -> dict[str, Enterprise]:
    out = {}
    town = Region.objects.get(code="pujiang")
    for i, spec in enumerate(LANDLORDS):
        uscc = uscc_from_serial(LANDLORD_SERIAL + i)
        existing = Enterprise.objects.filter(uscc=uscc).first()
        out[spec.key] = existing or registry.enterprise_create(
            actor=officer, uscc=uscc, now=REGISTERED_AT,
            data={"name": spec.name, "industry_code": "7221", "is_biomedical": False, "cluster": None,
                  "town": town, "park": Park.objects.get(code=spec.park), "address": spec.address,
                  "description": spec.description, "is_demo": True, "founded_date": date(2018, 6, 1)},
        )  # fmt: skip
    return out


def _data(row, parks: dict, available: date) -> dict:
    _key, building, floor, unit, kind, area, rent, clean, load, kva, flags, _fate = row
    return {
        "title": f"{building} {floor} {unit} · {Kind(kind).label}",
        "available_date": available,
        "park": parks[row[0]], "building": building, "floor": floor, "unit": unit, "kind": kind,
        "area": Decimal(area), "rent_yuan": rent, "cleanroom": clean, "floor_load": load, "power_kva": kva,
        "exhaust": "E" in flags, "pure_water": "W" in flags, "hazchem_permit": "H" in flags,
        "env_approval": "V" in flags, "description": KIND_NOTES[kind],
    }  # fmt: skip


def _floor_plan(listing: Listing) -> SimpleUploadedFile:
    """A schematic floor plan as a PDF, drawn with the platform's PDF helpers (built-in CJK font)."""

    def draw(canvas, width, height):
        pdf.text(canvas, f"{listing.title} · 平面示意图(演示)", 50, 540, size=16)
        specs = f"面积 {listing.area} ㎡ · 荷载 {listing.floor_load or '—'} kg/㎡ · 供电 {listing.power_kva or '—'} kVA"
        pdf.text(canvas, specs, 50, 515, size=11)
        canvas.rect(50, 80, 740, 410)
        for x in range(50, 790, 148):
            canvas.line(x, 80, x, 490)
        pdf.text(canvas, "入口", 60, 95, size=11)

    content = pdf.render(draw, pagesize=pdf.LANDSCAPE, title=f"{listing.title} 平面示意图")
    return SimpleUploadedFile("平面图.pdf", content, content_type="application/pdf")


def _tell_listing(t: Teller, index: int, row, landlord_user: User, parks: dict) -> Listing:
    fate = row[-1]
    ages = {"pending": 2, "rejected": 12, "draft": 1, "expired": 47}
    age = ages.get(fate, t.rng.randint(40, 170))
    # Most are ready now; every fourth is still being fitted out.
    available = t.today + timedelta(days=60) if index % 4 == 3 else t.today - timedelta(days=age)
    data = _data(row, parks, available)
    listing = listing_services.listing_create(actor=landlord_user, data=data, now=t.at(age + 2, 9, 30))
    t.counts["listings"] += 1
    if fate == "draft":
        return listing
    listing_services.listing_transition(actor=landlord_user, listing=listing, action="submit", now=t.at(age + 1, 15))
    if fate == "pending":
        t.counts["pending"] += 1
        return listing
    if fate == "rejected":
        return listing_services.listing_transition(
            actor=t.officer, listing=listing, action="reject", now=t.at(age, 11),
            comment="请补充环评批复文件及消防验收意见书后重新提交。",
        )  # fmt: skip
    listing = listing_services.listing_transition(actor=t.officer, listing=listing, action="publish",
                                                  now=t.at(age, 11))  # fmt: skip
    t.counts["published"] += 1
    if row[4] in ("wet_lab", "gmp_workshop") and fate != "expired":
        listing_services.listing_file_add(actor=landlord_user, listing=listing, kind="floor_plan",
                                          upload=_floor_plan(listing), now=t.at(age, 14))  # fmt: skip
    if fate == "expired":
        return listing
    confirmed = 27 if fate == "near" else t.rng.randint(2, 20)
    if fate in ("leased", "part"):
        # Leased after publication; a partly leased listing is confirmed afterwards and stays on the market.
        _lease(t, listing, landlord_user, fate, t.rng.randint(confirmed + 1, age - 1))
        if fate == "leased":
            return listing
    return listing_services.listing_transition(actor=landlord_user, listing=listing, action="confirm",
                                               now=t.at(confirmed, 9))  # fmt: skip


def _lease(t: Teller, listing: Listing, landlord_user: User, fate: str, days: int) -> None:
    area = listing.area if fate == "leased" else (listing.area * Decimal("0.4")).quantize(Decimal("1"))
    rent = (listing.rent_yuan * Decimal("0.95")).quantize(Decimal("0.01"))
    request_services.lease_record(
        actor=landlord_user, listing=listing, tenant=t.rng.choice(t.tenants), now=t.at(days, 16),
        data={"area": area, "rent_yuan": rent, "start_date": t.this_year(max(days - 10, 1))},
    )  # fmt: skip
    t.counts["leases"] += 1


def _pick(node: str, exclude: set) -> Enterprise | None:
    rows = Enterprise.objects.filter(is_demo=True, town__code="pujiang", chain_nodes__code=node).exclude(pk__in=exclude)
    return rows.order_by("uscc").first()


def _requests(t: Teller, showcase_user: User | None, listings: list, users: dict) -> None:
    by_title = {row[1:4]: listings[i] for i, row in enumerate(ROWS)}
    if showcase_user is not None:
        mine = request_services.space_request_submit(
            actor=showcase_user, now=t.at(6, 10),
            data={"purpose": "医疗器械洁净装配与包装车间(扩产)", "kind": "gmp_workshop", "area_min": "800",
                  "area_max": "2500", "required_cleanroom": "iso7", "required_floor_load": "500",
                  "required_power_kva": "300", "preferred_pure_water": True, "preferred_env_approval": True,
                  "preferred_hazchem_permit": True, "max_rent_yuan": "4.50",
                  "move_in_date": t.today + timedelta(days=90)},
        )  # fmt: skip
        t.counts["requests"] += 1
        first = by_title[("5号楼", "1F", "全层")]
        request_services.viewing_book(actor=showcase_user, request=mine, listing=first, now=t.at(1, 16),
                                      starts_at=t.at(-3, 10), note="希望同时查看配电房与空调机房")  # fmt: skip
        second = by_title[("B栋", "1F", "全层")]
        viewing = request_services.viewing_book(actor=showcase_user, request=mine, listing=second, now=t.at(5, 11),
                                                starts_at=t.at(-2, 14))  # fmt: skip
        request_services.viewing_transition(actor=users["L2"], viewing=viewing, action="confirm", now=t.at(4, 9))
        t.counts["viewings"] += 2
    taken = {showcase_user.enterprise_id} if showcase_user is not None else set()
    gene = _pick("M6", taken)
    if gene is not None:
        req = request_services.space_request_submit(
            actor=enterprise_user(gene), now=t.at(40, 10),
            data={"purpose": "基因测序实验室(PCR 分区)", "kind": "wet_lab", "area_min": "300", "area_max": "900",
                  "required_pure_water": True, "required_exhaust": True, "required_env_approval": True,
                  "preferred_cleanroom": "iso8", "preferred_hazchem_permit": True, "max_rent_yuan": "5.00"},
        )  # fmt: skip
        lab = by_title[("A栋", "3F", "A301")]
        viewing = request_services.viewing_book(actor=t.officer, request=req, listing=lab, now=t.at(38, 10),
                                                starts_at=t.at(35, 10))  # fmt: skip
        request_services.viewing_transition(actor=users["L2"], viewing=viewing, action="confirm", now=t.at(37, 9))
        request_services.viewing_transition(
            actor=users["L2"], viewing=viewing, action="lease", note="签订三年租约", now=t.at(30, 15),
            outcome={"area": Decimal("400"), "rent_yuan": "3.95", "start_date": t.this_year(20)},
        )  # fmt: skip
        t.counts["requests"] += 1
        t.counts["viewings"] += 1
        t.counts["leases"] += 1
    distributor = _pick("D1", taken | ({gene.pk} if gene else set()))
    if distributor is not None:
        req = request_services.space_request_submit(
            actor=enterprise_user(distributor), now=t.at(20, 10),
            data={"purpose": "体外诊断试剂与医疗器械冷链仓储(2–8℃)", "kind": "cold_store", "area_min": "400",
                  "area_max": "1000", "required_env_approval": True, "required_power_kva": "250",
                  "max_rent_yuan": "4.00", "move_in_date": t.today + timedelta(days=45)},
        )  # fmt: skip
        store = by_title[("2号库", "2F", "-20℃ 区")]
        viewing = request_services.viewing_book(actor=enterprise_user(distributor), request=req, listing=store,
                                                now=t.at(18, 10), starts_at=t.at(15, 14, 30))  # fmt: skip
        request_services.viewing_transition(actor=users["L3"], viewing=viewing, action="confirm", now=t.at(17, 9))
        request_services.viewing_transition(actor=users["L3"], viewing=viewing, action="not_taken", now=t.at(14, 17),
                                            note="租金超出预算,且需 2–8℃ 温区,-20℃ 库改造周期过长")  # fmt: skip
        t.counts["requests"] += 1
        t.counts["viewings"] += 1


def load(*, now: datetime, rng: random.Random, users: dict, ensure_landlord_account) -> dict[str, int]:
    """Tell the space story up to `now`; returns counts. A second run writes nothing."""
    officer = users.get("pj_officer")
    if officer is None:
        return {}
    landlords = _landlords(officer)
    landlord_users = {
        "L1": ensure_landlord_account(landlords["L1"]),
        "L2": enterprise_user(landlords["L2"]),
        "L3": enterprise_user(landlords["L3"]),
    }
    if Listing.objects.filter(landlord__in=landlords.values()).exists():
        return {}
    t = Teller(now=now, rng=rng, officer=officer)
    t.tenants = list(Enterprise.objects.filter(is_demo=True, town__code="pujiang", is_biomedical=True)
                     .exclude(pk__in=[e.pk for e in landlords.values()]).order_by("uscc")[:40])  # fmt: skip
    if not t.tenants:
        return {}
    parks = {spec.key: Park.objects.get(code=spec.park) for spec in LANDLORDS}
    listings = [_tell_listing(t, i, row, landlord_users[row[0]], parks) for i, row in enumerate(ROWS)]
    _requests(t, users.get("ent_admin"), listings, landlord_users)
    counts = listing_services.listings_expire(now=now)
    t.counts.update({f"job_{k}": v for k, v in counts.items()})
    # The summary tells where the listings stand now (some published ones have since been leased or expired).
    mine = Listing.objects.filter(landlord__in=landlords.values())
    t.counts.update(published=mine.filter(status=Listing.Status.PUBLISHED).count(),
                    leased=mine.filter(status=Listing.Status.LEASED).count())  # fmt: skip
    # The story spans months: its older inbox messages have been read.
    Notification.objects.filter(
        url__startswith="/space/", read_at__isnull=True, created_at__lt=now - timedelta(days=UNREAD_DAYS)
    ).update(read_at=now - timedelta(days=UNREAD_DAYS))
    return t.counts


def unload() -> int:
    """Remove the space records of the demo: listings of demo landlords and requests of demo enterprises."""
    deleted, _ = SpaceRequest.objects.filter(enterprise__is_demo=True).delete()
    more, _ = Listing.objects.filter(landlord__is_demo=True).delete()
    return deleted + more
