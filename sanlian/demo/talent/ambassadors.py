"""The global talent ambassadors of the demo and their referral leads.

FACTS.md: 浦江镇 appointed its first 全球引才大使 at the 2024-05-20 event. The four appointments go
through `ambassador_appoint` (letter numbers, audit, welcome messages); two of them are linked to the
demo logins `ambassador` and `ambassador_demo`. Their 25 leads are history written as rows with their
pipeline steps: some still leads, some contacted or visited, some dropped, a few landed at demo
enterprises (a talent hired, a firm founded) and one certified, linked to an approved application of
the enterprise it landed at, whose applicant it is.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sanlian.demo.generator import TZ
from sanlian.enterprises.models import Enterprise, Region
from sanlian.talent.models import Ambassador, Lead, LeadEvent, TalentApplication
from sanlian.talent.services.ambassadors import ambassador_appoint

APPOINTED = date(2024, 5, 20)
APPOINTED_AT = datetime(2024, 5, 20, 10, 30, tzinfo=TZ)
TERM_END = date(2027, 5, 19)
LEADS_UNTIL = date(2025, 11, 20)  # the last step of the history below


@dataclass(frozen=True)
class AmbassadorSpec:
    name: str
    organisation: str
    field: str
    overseas_region: str
    username: str = ""


AMBASSADORS = (
    AmbassadorSpec("陈嘉怡", "北美华人生物医药协会(演示)", "细胞与基因治疗", "美国波士顿", "ambassador"),
    AmbassadorSpec("高思远", "欧洲华人医疗器械工程师联合会(演示)", "高端医疗器械", "德国慕尼黑", "ambassador_demo"),
    AmbassadorSpec("李维安", "新加坡生物医药校友会(演示)", "体外诊断与精准医学", "新加坡"),
    AmbassadorSpec("沈博文", "英国剑桥华人科学家协会(演示)", "合成生物学", "英国剑桥"),
)
# How many leads each ambassador brought (in AMBASSADORS order) and the pipeline the 25 leads reached.
LEADS_PER_AMBASSADOR = (7, 8, 5, 5)
FINAL_STATUSES = ["lead"] * 6 + ["contacted"] * 6 + ["visited"] * 4 + ["dropped"] * 4
FIELDS = ("细胞治疗", "基因编辑", "分子诊断", "手术机器人", "医学影像", "抗体药物", "mRNA疫苗", "生物信息", "合成生物")
TALENT_NOTES = (
    "海外高校博士后,有回国发展意向,关注临港浦江国际科技城的人才公寓政策。",
    "跨国药企研发主管,计划携团队回国,希望了解春申人才计划认定条件。",
    "海外初创企业联合创始人,考虑在浦江基因未来谷设立研发中心。",
)
FIRM_NOTES = (
    "海外初创企业,已完成A轮融资,寻找GMP厂房与中试平台。",
    "医疗器械项目,拟在漕河泾开发区浦江高科技园落地生产线。",
)
DROP_NOTES = ("对方已接受其他城市的聘请。", "项目方暂停中国市场计划。", "家庭原因暂不回国。", "融资未到位,项目搁置。")
PIPELINE = ("lead", "contacted", "visited", "landed", "certified")
STEP_NOTES = {"contacted": "已视频沟通,介绍浦江镇产业与人才政策。", "visited": "已来浦江实地考察园区与企业。"}


@dataclass
class AmbassadorResult:
    ambassadors: int = 0
    leads: int = 0


def _demo_ambassadors():
    return Ambassador.objects.filter(appointed_date=APPOINTED, name__in=[a.name for a in AMBASSADORS])


def ensure(*, users: dict, seed: int, people) -> AmbassadorResult:
    """Appoint the ambassadors and write their leads, unless they are there already."""
    result = AmbassadorResult()
    if _demo_ambassadors().exists():
        return result
    town = Region.objects.get(code="pujiang")
    officer = users["pj_officer"]
    appointed = []
    for i, spec in enumerate(AMBASSADORS):
        data = {
            "name": spec.name,
            "organisation": spec.organisation,
            "field": spec.field,
            "overseas_region": spec.overseas_region,
            "town": town,
            "appointed_date": APPOINTED,
            "term_start_date": APPOINTED,
            "term_end_date": TERM_END,
        }
        if spec.username and spec.username in users:
            data["username"] = spec.username
        appointed.append(ambassador_appoint(actor=officer, data=data, now=APPOINTED_AT + timedelta(minutes=i)))
    result.ambassadors = len(appointed)
    result.leads = _leads(appointed, officer=officer, seed=seed, people=people)
    return result


def _landings(rng: random.Random) -> dict:
    """Where the landed leads landed, and the approved application the certified one is linked to."""
    pujiang = Enterprise.objects.filter(is_demo=True, town__code="pujiang", is_biomedical=True).order_by("uscc")
    new_firms = list(pujiang.filter(founded_date__year=2024)[:2])
    certified = (
        TalentApplication.objects.filter(
            round__year=2025,
            status=TalentApplication.Status.APPROVED,
            employer__town__code="pujiang",
            employer__is_biomedical=True,
            level__code__in=["C1", "C2", "D"],
        )
        .select_related("employer")
        .order_by("pk")
        .first()
    )
    employers = list(pujiang.filter(founded_date__year__lte=2022).exclude(pk__in=[f.pk for f in new_firms]))
    hired = rng.sample(employers, min(2, len(employers)))
    return {"firms": new_firms, "hired": hired, "certified": certified}


def _leads(ambassadors: list[Ambassador], *, officer, seed: int, people) -> int:
    rng = random.Random(f"{seed}:talent:leads")
    landings = _landings(rng)
    specs = []  # (kind, name, field, note, final status, landing, enterprise, application)
    for firm in landings["firms"]:
        specs.append(
            ("firm", firm.name.replace("上海", "").replace("有限公司", "项目"), "landed", "firm_founded", firm)
        )
    for enterprise in landings["hired"]:
        specs.append(("talent", people.name()[0], "landed", "talent_hired", enterprise))
    application = landings["certified"]
    certified = ("talent", application.name, "certified", "talent_hired", application.employer) if application else None
    statuses = list(FINAL_STATUSES)
    rows = [(kind, name, status, landing, enterprise, None) for kind, name, status, landing, enterprise in specs]
    if certified:
        rows.append((*certified, application))
    while len(rows) < sum(LEADS_PER_AMBASSADOR):
        status = statuses.pop(0) if statuses else "lead"
        kind = "firm" if rng.random() < 0.25 else "talent"
        name = f"{rng.choice(FIELDS)}项目团队" if kind == "firm" else people.name()[0]
        rows.append((kind, name, status, "", None, None))
    rng.shuffle(rows)
    owners = [a for a, n in zip(ambassadors, LEADS_PER_AMBASSADOR, strict=True) for _ in range(n)]
    leads, histories = [], []
    for ambassador, (kind, name, status, landing, enterprise, linked) in zip(owners, rows, strict=True):
        lead, history = _lead(rng, ambassador, kind, name, status, landing, enterprise, linked, officer)
        leads.append(lead)
        histories.append(history)
    Lead.objects.bulk_create(leads)
    LeadEvent.objects.bulk_create(
        [LeadEvent(lead=lead, **step) for lead, history in zip(leads, histories, strict=True) for step in history]
    )
    return len(leads)


def _lead(rng, ambassador, kind, name, status, landing, enterprise, application, officer):
    """A lead row and its steps (LeadEvent kwargs), dated between the appointment and LEADS_UNTIL."""
    steps = PIPELINE[: PIPELINE.index(status) + 1] if status in PIPELINE else ("lead", "contacted")[: rng.randint(1, 2)]
    created = datetime.combine(APPOINTED + timedelta(days=rng.randint(10, 330)), time(rng.randint(9, 20)), tzinfo=TZ)
    when = created
    times = []
    for _step in steps:
        times.append(when)
        when += timedelta(days=rng.randint(12, 60), hours=rng.randint(0, 8))
    if landing == "firm_founded" and enterprise.founded_date:  # landed once the firm was registered
        founded = datetime.combine(enterprise.founded_date + timedelta(days=7), time(10), tzinfo=TZ)
        times[steps.index("landed")] = max(times[steps.index("landed")], founded)
    if application is not None:  # certified when the application was approved
        times[-1] = max(times[-2], application.decided_at) + timedelta(days=1)
    if status == "dropped":
        times.append(when)
        steps = (*steps, "dropped")
    limit = datetime.combine(LEADS_UNTIL, time(18), tzinfo=TZ)
    if times[-1] > limit:  # squeeze a late history into the months before the last step
        shift = times[-1] - limit
        times = [max(created, t - shift) for t in times]
    by = ambassador.user
    history, previous = [], ""
    for step, at in zip(steps, times, strict=True):
        note = ""
        if step == "lead":
            note = rng.choice(TALENT_NOTES if kind == "talent" else FIRM_NOTES)
        elif step in STEP_NOTES:
            note = STEP_NOTES[step]
        elif step == "dropped":
            note = rng.choice(DROP_NOTES)
        elif step == "landed":
            note = f"已{'入职' if landing == 'talent_hired' else '注册成立'}:{enterprise.name}"
        actor = officer if step in ("landed", "certified") else by
        history.append({"from_status": previous, "to_status": step, "note": note, "actor": actor, "created_at": at})
        previous = step
    landed_at = times[steps.index("landed")] if "landed" in steps else None
    lead = Lead(
        ambassador=ambassador,
        kind=kind,
        name=name,
        field=rng.choice(FIELDS) if kind == "talent" else ambassador.field,
        note=history[0]["note"],
        status=steps[-1],
        landing=landing,
        enterprise=enterprise,
        application=application,
        created_at=created,
        updated_at=times[-1],
        landed_at=landed_at,
        certified_at=times[-1] if steps[-1] == "certified" else None,
    )
    return lead, history


def unload() -> int:
    ambassadors = _demo_ambassadors()
    count = ambassadors.count()
    ambassadors.delete()
    return count
