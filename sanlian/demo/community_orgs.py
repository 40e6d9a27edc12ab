"""The organisations' members, joining applications and charters in the demo (issue 7, first bullet).

Told through the real services, in the order it happened: the founding members joined at the unveiling
on 2024-05-20 (FACTS.md), later ones month by month; a charter (a small PDF) per organisation.

- 产业联盟: ~40 of 浦江镇's biomedical demo enterprises, the showcase 上海澜屿医疗科技有限公司 as a 副会长,
  and its secretary 唐立新 (org_secretary) as 秘书长; three applications wait for org_secretary (the landlord's
  park company, 林一鸣 and 宋雨桐 as persons), and 钱明's personal one was turned down.
- 知新会: 20 fictional professionals of demo enterprises and service firms (non-party intellectuals and the
  new social stratum: R&D heads, lawyers, accountants, investors); their mobiles are personal data.
- 商会分会: ~30 enterprises; ent_admin's enterprise has applied and waits for the town (pending).

Keyed by the organisations: once any of them has a member, a second run writes nothing.
"""

from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from sanlian.community.models import Member, Organisation, OrgDocument
from sanlian.community.services.memberships import join_application_submit, join_application_transition, member_add
from sanlian.community.services.org_documents import org_document_add
from sanlian.core import pdf
from sanlian.core.models import User
from sanlian.enterprises.models import Enterprise

from .community import ALLIANCE, CHAMBER, THINK_TANK, UNVEILED, UNVEILED_AT

ALLIANCE_SIZE, CHAMBER_SIZE = 40, 30
FOUNDING = 12  # members of each organisation who joined at the unveiling; the rest joined month by month
ENTERPRISE_LEADERS = ("president", "vice_president", "vice_president", "director", "director", "director")

# name, title, employer (None: the n-th demo enterprise), role — fictional people.
THINK_TANK_PEOPLE = (
    ("沈知远", "首席科学家", None, "president"),
    ("顾清妍", "研发总监", None, "vice_president"),
    ("陆承泽", "合伙人律师", "上海浦锦律师事务所(演示)", "vice_president"),
    ("叶嘉禾", "注册总监", None, "secretary_general"),
    ("许以安", "质量负责人", None, "director"),
    ("方睿", "投资总监", "浦江生命科学创投(演示)", "director"),
    ("秦若溪", "医学事务经理", None, "director"),
    ("唐景行", "注册会计师", "上海浦会会计师事务所(演示)", "member"),
    ("韩书宁", "工艺开发主管", None, "member"),
    ("孔令仪", "临床运营经理", None, "member"),
    ("彭一舟", "副总经理", None, "member"),
    ("魏思齐", "知识产权顾问", "上海浦知专利代理事务所(演示)", "member"),
    ("贺文澜", "生物信息学家", None, "member"),
    ("严子墨", "GMP 合规专家", None, "member"),
    ("戴晓岚", "市场准入总监", None, "member"),
    ("俞泽川", "自由职业医学撰稿人", "自由职业(演示)", "member"),
    ("蒋问心", "数据科学负责人", None, "member"),
    ("邵明远", "设备工程经理", None, "member"),
    ("龚雅琴", "人力资源总监", None, "member"),
    ("汤逸飞", "创始人", None, "member"),
)

CHARTERS = {
    ALLIANCE: ("浦江镇生物医药产业联盟章程", "联盟章程.pdf"),
    THINK_TANK: ("浦江镇生物医药知新会章程", "知新会章程.pdf"),
    CHAMBER: ("浦江镇商会生物医药分会章程", "分会章程.pdf"),
}


def _joined(index: int, today: date) -> date:
    """Founding members on the unveiling day, then one month later per group of four, never after today."""
    if index < FOUNDING:
        return UNVEILED
    return min(UNVEILED + timedelta(days=30 * ((index - FOUNDING) // 4 + 1)), today)


def _enterprises(exclude: set[int]) -> list[Enterprise]:
    rows = Enterprise.objects.filter(is_demo=True, is_biomedical=True, town__code="pujiang").exclude(pk__in=exclude)
    return list(rows.order_by("uscc"))


def _charter(organisation: Organisation) -> bytes:
    title, _name = CHARTERS[organisation.code]

    def draw(canvas, width, height):
        pdf.text(canvas, title, width / 2, height - 100, size=20, align="centre")
        pdf.text(canvas, "(演示文件)", width / 2, height - 128, size=12, align="centre")
        lines = [
            "第一章 总则",
            f"第一条 本组织名称为{organisation.name}。",
            "第二条 本组织由浦江镇生物医药领域的企业、机构和专业人士自愿组成,",
            "        接受浦江镇人民政府的业务指导。",
            f"第三条 本组织于 {UNVEILED:%Y 年 %m 月 %d 日} 揭牌成立。",
            "第二章 会员",
            "第四条 申请加入本组织,须提交入会申请,经秘书处审核通过。",
            "第五条 会员享有参加活动、获取信息和提出建议的权利,",
            "        履行遵守章程、执行决议的义务。",
            "第三章 组织机构",
            "第六条 本组织设会长一名、副会长若干名、秘书长一名、理事若干名。",
        ]
        for i, line in enumerate(lines):
            pdf.text(canvas, line, 72, height - 180 - i * 24, size=12)

    return pdf.render(draw, title=title)


class Teller:
    def __init__(self, *, users: dict[str, User], organisations: dict[str, Organisation], today: date):
        self.users, self.orgs, self.today = users, organisations, today
        self.officer = users["pj_officer"]
        self.counts = {"members": 0, "applications": 0, "documents": 0}

    def at(self, day: date) -> datetime:
        return UNVEILED_AT + timedelta(days=(day - UNVEILED).days)

    def enterprise_members(self, code: str, enterprises: list[Enterprise], leaders=ENTERPRISE_LEADERS) -> None:
        for i, enterprise in enumerate(enterprises):
            role = leaders[i] if i < len(leaders) else "member"
            joined = _joined(i, self.today)
            member_add(actor=self.officer, organisation=self.orgs[code], kind="enterprise", enterprise=enterprise,
                       role=role, joined_date=joined, now=self.at(joined))  # fmt: skip
            self.counts["members"] += 1

    def person_member(self, code: str, index: int, person: dict, role: str, user=None) -> None:
        joined = _joined(index, self.today)
        member_add(actor=self.officer, organisation=self.orgs[code], kind="person", person=person, role=role,
                   user=user, joined_date=joined, now=self.at(joined))  # fmt: skip
        self.counts["members"] += 1

    def apply(self, code: str, username: str, statement: str, days_ago: int, person: dict | None = None):
        user = self.users.get(username) or User.objects.filter(username=username).first()
        if user is None:
            return None
        when = self.at(self.today) - timedelta(days=days_ago)
        kind = "person" if person else "enterprise"
        application = join_application_submit(actor=user, organisation=self.orgs[code], kind=kind,
                                              statement=statement, person=person, now=when)  # fmt: skip
        self.counts["applications"] += 1
        return application

    def charter(self, code: str) -> None:
        title, name = CHARTERS[code]
        upload = SimpleUploadedFile(name, _charter(self.orgs[code]), content_type="application/pdf")
        org_document_add(actor=self.officer, organisation=self.orgs[code], title=title, visibility="public",
                         upload=upload, now=UNVEILED_AT)  # fmt: skip
        self.counts["documents"] += 1


def load(*, users: dict[str, User], today: date) -> dict[str, int]:
    """Members, applications and charters of the three organisations; counts of what was written."""
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=CHARTERS)}
    teller = Teller(users=users, organisations=organisations, today=today)
    if any(code not in organisations for code in CHARTERS) or "pj_officer" not in users:
        return teller.counts
    if Member.objects.filter(organisation__in=organisations.values()).exists():
        return teller.counts
    showcase = users["ent_admin"].enterprise if "ent_admin" in users else None
    landlord = User.objects.filter(username="landlord").first()
    keep_out = {e.pk for e in (showcase, getattr(landlord, "enterprise", None)) if e is not None}
    pool = _enterprises(keep_out)

    # The alliance: the showcase is a 副会长 among the founding members; the secretary is its 秘书长.
    alliance = pool[:ALLIANCE_SIZE]
    if showcase is not None:
        alliance = [*alliance[:2], showcase, *alliance[2 : ALLIANCE_SIZE - 1]]
    teller.enterprise_members(ALLIANCE, alliance, leaders=("president", "vice_president", "vice_president"))
    secretary = users["org_secretary"]
    office = {"person_name": secretary.display_name, "person_title": "联盟秘书长", "employer": "联盟秘书处"}
    teller.person_member(ALLIANCE, 0, office, "secretary_general", secretary)

    # The chamber's branch: from the other end of the list, so the two overlap only in a mid-sized town.
    teller.enterprise_members(CHAMBER, pool[::-1][:CHAMBER_SIZE])

    for i, (name, title, employer, role) in enumerate(THINK_TANK_PEOPLE):
        employer = employer or (pool[(i * 7) % len(pool)].name if pool else "")
        person = {"person_name": name, "person_title": title, "employer": employer, "mobile": f"139002{i:05d}"}
        teller.person_member(THINK_TANK, i, person, role)

    _applications(teller, showcase)
    for code in CHARTERS:
        teller.charter(code)
    return teller.counts


def _applications(teller: Teller, showcase) -> None:
    employer = showcase.name if showcase else ""
    teller.apply(
        ALLIANCE, "landlord", "本公司运营生物医药专业园区,希望加入联盟,为会员企业提供洁净厂房和实验室空间。", 5
    )
    teller.apply(ALLIANCE, "talent", "从事体外诊断试剂研发八年,希望加入联盟专家库,参与技术交流。", 3,
                 person={"person_name": "林一鸣", "person_title": "高级研发工程师", "employer": employer})  # fmt: skip
    teller.apply(ALLIANCE, "talent_demo", "海外归国的细胞治疗研究人员,希望了解浦江镇产业链资源。", 1,
                 person={"person_name": "宋雨桐", "person_title": "博士后研究员", "employer": "(待定)"})  # fmt: skip
    teller.apply(CHAMBER, "ent_admin", "本企业为浦江镇医疗器械企业,希望加入商会分会,参与政企沟通。", 2)
    staff = {"person_name": "钱明", "person_title": "注册专员", "employer": employer}
    refused = teller.apply(ALLIANCE, "ent_staff", "希望以个人名义加入联盟。", 20, person=staff)
    if refused is not None:
        join_application_transition(
            actor=teller.users["org_secretary"], application=refused, action="reject",
            comment="贵公司已是联盟副会长单位,员工可通过企业参加联盟活动,无需以个人名义重复入会。",
            now=refused.created_at + timedelta(days=1),
        )  # fmt: skip


def unload() -> int:
    """Delete the demo organisations' document files; their rows go with the organisations."""
    documents = OrgDocument.objects.filter(organisation__is_demo=True)
    for document in documents:
        document.file.delete(save=False)
    count, _ = documents.delete()
    return count
