"""The service-desk part of the demo (issue 6): routing rules, enterprise requests (诉求) and officers' visits (走访).

Told through the real services on dates before the load date, the way it would have happened:

- each demo town routes its requests to its town officer (浦江镇's space requests to the district officer,
  who handles the park's GMP space with the landlords);
- about forty requests of 浦江镇's demo enterprises over the last five months, in every state: closed and
  rated (mostly 4–5, a few lower), resolved and waiting for the enterprise's confirmation, in progress with
  a thread, waiting to be acknowledged (two of them late and escalated by the hourly job), reopened,
  withdrawn, and one closed by the confirmation timeout; a few in 莘庄镇 for xz_officer;
- the showcase enterprise (ent_admin) has one answer to confirm, one in progress with a thread, one closed;
- visits by pj_officer to about a third of 浦江镇's biomedical enterprises this year, a few with red flags,
  and a recent visit by mh_officer, so pj_officer meets the "visited recently by another officer" warning.

Enterprises act through their demo admin account (no usable password), the showcase through ent_admin.
Inbox messages older than a week are shown as read. A second run writes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from sanlian.core.models import Notification, User
from sanlian.demo.policies import _applicant as enterprise_user
from sanlian.enterprises.models import Enterprise, Region
from sanlian.servicedesk.models import Category, ServiceRequest, Visit
from sanlian.servicedesk.services import requests as desk
from sanlian.servicedesk.services.routing import routing_rule_set
from sanlian.servicedesk.services.visits import visit_record

HOME = "pujiang"
UNREAD_DAYS = 7
VISIT_SHARE = 0.34  # of 浦江镇's biomedical demo enterprises visited this year


@dataclass(frozen=True)
class Item:
    category: str
    title: str
    body: str
    fate: str  # closed, resolved, acknowledged, submitted, late, reopened, withdrawn, autoclosed
    age: int  # days before the load date it was submitted
    answer: str = ""
    rating: int | None = None
    comment: str = ""
    thread: tuple[str, ...] = ()  # replies, alternately the officer's and the enterprise's
    showcase: bool = False
    town: str = HOME


# fmt: off
CATALOGUE: tuple[Item, ...] = (
    # The showcase enterprise (上海澜屿医疗科技有限公司, ent_admin)
    Item("utilities", "二期洁净车间投产前需增容用电至1250kVA",
         "我司浦江二期洁净车间(ISO 7级)预计下月投产,现有变压器容量630kVA不足,需增容至1250kVA,"
         "已向供电公司提交申请但进度不明,请协调加快办理。",
         "resolved", 6,
         answer="已协调国网闵行供电公司,增容方案已批复,施工排期在本周内,供电公司客户经理将直接联系贵司。",
         showcase=True),
    Item("talent", "申请浦江镇人才公寓2套",
         "公司新引进注册法规总监和质量负责人各1名,均为非沪籍,希望申请镇人才公寓,请告知申请条件与材料。",
         "acknowledged", 3, showcase=True,
         thread=("已受理。请提供两位人员的劳动合同和社保缴纳记录,我们将与人才公寓运营方核对房源。",
                 "劳动合同与社保记录已整理,明天上传。")),
    Item("permits", "医疗器械注册人制度下委托生产的备案咨询",
         "我司拟委托区内一家企业生产二类无源器械,想了解注册人制度下委托生产的备案流程和质量协议要求。",
         "closed", 40, answer="已组织区市场监管局现场答疑,并提供委托生产质量协议模板与备案清单。",
         rating=5, comment="答复专业,当周就安排了现场答疑。", showcase=True),
    # 浦江镇's demo enterprises
    Item("policy", "研发费用加计扣除与区级研发补贴能否同时享受",
         "企业去年研发投入约1800万元,想确认加计扣除与区研发补贴是否可以叠加,以及申报时间。",
         "closed", 120, answer="两者可以同时享受;区级补贴按年度申报通知执行,已发送政策解读。", rating=5),
    Item("policy", "高新技术企业认定辅导", "公司计划今年申报高新技术企业,知识产权数量是否满足要求?希望安排辅导。",
         "closed", 95, answer="已安排科技服务机构上门辅导,知识产权满足一类1件或二类6件以上即可。", rating=4),
    Item("policy", "专精特新中小企业申报材料咨询", "请问专精特新申报对主营业务收入占比和研发投入的要求,材料需要哪些?",
         "closed", 70, answer="已提供市经信委申报指南及材料清单,并约定申报前预审。", rating=5, comment="很及时"),
    Item("policy", "春申人才计划重点企业名额咨询", "我司2024年被认定为春申重点企业,今年可申报的人才名额有多少?",
         "closed", 52, answer="重点企业可按授权认定路径推荐本单位人才,名额以当年度计划为准,已电话说明。", rating=4),
    Item("policy", "生物医药产业专项政策兑现进度查询", "去年申报的生物医药产业专项扶持资金何时拨付?",
         "closed", 33, answer="资金已完成公示,预计本月底前拨付到账。", rating=3, comment="希望进度能主动告知"),
    Item("policy", "临床试验费用补贴的申报口径", "二类创新药开展II期临床试验,费用补贴按什么口径计算?",
         "resolved", 4, answer="按区生物医药专项政策第十二条,按实际发生费用的一定比例补贴,已附政策原文。"),
    Item("policy", "免申即享政策名单中为何没有我司", "我司符合研发投入奖励条件,但免申即享名单中没有公司名称,请核查。",
         "acknowledged", 2, thread=("已受理,正在核对贵司2024年年报中的研发投入数据。",)),
    Item("space", "寻找800平方米GMP车间(C级洁净区)",
         "我司细胞治疗产品进入临床阶段,需在浦江租赁约800平方米GMP车间,含C级洁净区,层高≥4.5米。",
         "closed", 110, answer="已推荐临港浦江国际科技城两处空间并陪同看房,企业已签约。", rating=5),
    Item("space", "湿实验室排风改造审批", "租赁的实验室需新增通风橱排风管道,物业要求提供审批意见,请协助。",
         "closed", 80, answer="已协调园区物业与环保部门,排风改造按备案方式办理。", rating=4),
    Item("space", "冷库面积不足,寻找2-8℃冷库", "公司诊断试剂冷链仓储需求增加,急需约300平方米2-8℃冷库。",
         "acknowledged", 5, thread=("已受理,正在与园区核对可租冷库资源。",)),
    Item("space", "园区停车位不足影响员工通勤", "园区员工停车位严重不足,希望协调周边停车资源或增加班车。",
         "late", 9),
    Item("talent", "外籍研发人员工作许可办理", "公司引进一名外籍高级研究员,工作许可办理需要哪些材料,能否加急?",
         "closed", 100, answer="已对接区外国人工作管理服务窗口,提供A类人才快速通道办理指引。", rating=5),
    Item("talent", "应届博士落户咨询", "新招聘的两名应届博士毕业生落户上海需要满足哪些条件?",
         "closed", 60, answer="已提供应届生落户评分办法及重点机构直接落户政策说明。", rating=4),
    Item("talent", "人才子女入学协调", "公司核心技术人员子女今年入学,希望协调就近入学。",
         "closed", 45, answer="已与镇教育部门对接,按人才子女入学政策协调安排。",
         rating=2, comment="结果与期望差距较大"),
    Item("talent", "技能人才培训补贴申领", "我司组织GMP操作人员培训,能否申请职业技能培训补贴?",
         "resolved", 3, answer="可以,按区人社局技能培训补贴办法申领,已发送申报入口与材料。"),
    Item("ip", "发明专利优先审查推荐", "公司一项抗体药物发明专利申请希望走优先审查,需要地方推荐吗?",
         "closed", 90, answer="已出具区知识产权局推荐意见,企业已提交优先审查请求。", rating=5),
    Item("ip", "商标被抢注的维权咨询", "我司产品商标在电商平台被他人抢注并销售仿冒品,如何维权?",
         "closed", 65, answer="已协助联系知识产权维权援助中心,提交无效宣告与平台投诉。", rating=4),
    Item("ip", "专利质押融资对接", "公司拥有12件发明专利,希望通过专利质押获得流动资金贷款。",
         "reopened", 30, answer="已推荐两家银行科技支行的知识产权质押产品。",
         thread=("银行评估后额度偏低,希望再推荐其他渠道。",)),
    Item("financing", "科技型中小企业贷款贴息", "公司获得一笔1000万元科技贷款,能否申请贴息?",
         "closed", 85, answer="符合区科技信贷贴息条件,已指导提交材料。", rating=5),
    Item("financing", "对接生物医药产业基金", "公司正在进行B轮融资,希望对接区内生物医药产业基金。",
         "closed", 55, answer="已推荐至区产业引导基金及两家合作子基金,安排路演。", rating=5, comment="路演安排得很好"),
    Item("financing", "首台(套)保险补偿申请", "我司医疗设备列入首台(套)目录,保险补偿如何申请?",
         "acknowledged", 6, thread=("已受理,正在与区经委确认本年度申报批次。",)),
    Item("financing", "知识产权证券化项目参与", "听说区里在组织知识产权证券化项目,我司能否参与?",
         "withdrawn", 25),
    Item("permits", "药品生产许可证变更(新增生产线)", "公司新增一条冻干粉针剂生产线,药品生产许可证变更需要多长时间?",
         "closed", 75, answer="已对接市药监局,变更审批时限20个工作日,提供材料清单。", rating=4),
    Item("permits", "危险化学品使用备案", "实验室使用少量易制毒化学品,需要办理哪些备案?",
         "closed", 48, answer="已协调区应急管理局,指导办理易制毒化学品购买备案。", rating=5),
    Item("permits", "环评批复办理进度", "新建研发中心环评报告已提交一个月,何时能批复?",
         "autoclosed", 28, answer="环评已进入技术审查,预计两周内批复,已请生态环境局关注进度。"),
    Item("permits", "消防验收预约", "装修完工,需要预约消防验收,请协助对接。",
         "submitted", 0),
    Item("utilities", "纯化水系统用水增容", "扩产后纯化水系统用水量增加,需要申请增容用水。",
         "closed", 105, answer="已协调自来水公司完成增容。", rating=5),
    Item("utilities", "厂区天然气管道接入", "新建中试车间需要接入天然气用于蒸汽锅炉。",
         "closed", 62, answer="燃气公司已完成勘察,接入工程已排期。", rating=4),
    Item("utilities", "园区道路积水影响物流", "雨天园区东侧道路严重积水,冷链车辆无法进出。",
         "late", 12),
    Item("utilities", "实验室双回路供电", "生物安全实验室需双回路供电保障,请协调供电部门。",
         "resolved", 2, answer="供电公司已完成方案设计,请确认施工时间。"),
    Item("other", "参加浦江生物医药人才周的报名", "公司希望在人才周招聘会设展位,如何报名?",
         "closed", 130, answer="已为贵司预留展位并发送参展须知。", rating=5),
    Item("other", "企业搬迁意向沟通", "因产能扩张,公司在评估迁往外区的可能,希望了解本镇的支持政策。",
         "closed", 42, answer="已上门走访并提供扩产用地与空间支持方案,企业决定留在浦江。",
         rating=5, comment="感谢挽留和支持"),
    Item("other", "园区公交线路调整建议", "建议增加地铁站至园区的接驳公交班次。",
         "acknowledged", 8, thread=("已转交镇交通办研究。",)),
    # 莘庄镇, for xz_officer
    Item("policy", "莘庄工业区研发补贴申报", "请问本年度研发补贴的申报时间和条件。",
         "closed", 50, answer="已发送申报通知和条件说明。", rating=4, town="xinzhuang"),
    Item("space", "寻找500平方米办公空间", "公司扩编,需要约500平方米办公空间。",
         "acknowledged", 4, thread=("已受理,正在筛选园区房源。",), town="xinzhuang"),
    Item("talent", "人才住房补贴申请", "核心员工申请人才住房补贴的流程。",
         "submitted", 1, town="xinzhuang"),
)

VISIT_NOTES = (
    "了解企业经营和研发进展,产能利用率约八成,提出人才公寓需求。",
    "企业新产品进入注册检验阶段,关注注册审评进度,希望获得政策辅导。",
    "企业运营平稳,计划明年扩产,需要约1000平方米GMP车间。",
    "走访了解融资进展,B轮融资已完成交割,拟扩大研发团队。",
    "企业反映原材料进口通关时间较长,希望协调海关便利措施。",
    "企业订单饱满,招聘质量管理人员存在困难,已介绍人才周招聘会。",
)
FLAGGED = (
    (("revenue_drop",), "企业反映集采降价导致今年营收下滑约三成,正在调整产品结构。"),
    (("relocation",), "企业扩产需要更大空间,正在评估外区园区的租金优惠,存在外迁可能。"),
    (("supply",), "关键进口试剂供货周期拉长,影响生产计划,希望对接本地供应商。"),
    (("layoffs", "revenue_drop"), "海外订单减少,企业计划精简约15%的人员。"),
)
# fmt: on


class Teller:
    """Acts out one request on the dates the story gives it, stopping before the load date."""

    def __init__(self, *, now: datetime, rng: random.Random, officers: dict[str, User]):
        self.now, self.rng, self.officers = now, rng, officers

    def when(self, start: datetime, hours: float) -> datetime:
        return min(start + timedelta(hours=hours), self.now - timedelta(minutes=5))

    def tell(self, item: Item, author: User) -> ServiceRequest:
        submitted = self.now - timedelta(days=item.age) + timedelta(hours=9 + self.rng.randint(0, 7))
        if item.age == 0:
            submitted = self.now - timedelta(hours=self.rng.randint(2, 6))
        data = {"category": item.category, "title": item.title, "body": item.body}
        request = desk.request_submit(actor=author, data=data, now=submitted)
        officer = request.assigned_to or self.officers[item.town]
        if item.fate in ("submitted", "late"):
            return request
        if item.fate == "withdrawn":
            return self.move(author, request, "withdraw", self.when(submitted, 20))
        acked = self.when(submitted, self.rng.choice((1.5, 3, 5, 20, 26)))
        self.move(officer, request, "acknowledge", acked)
        moment = acked
        for i, text in enumerate(item.thread if item.fate != "reopened" else ()):
            moment = self.when(moment, 6 + 12 * i)
            desk.request_reply(actor=officer if i % 2 == 0 else author, request=request, body=text, now=moment)
        if item.fate == "acknowledged":
            return request
        resolve_days = min(max(item.age - 1, 0), self.rng.choice((1, 2, 3, 4, 6, 8)))
        resolved = self.when(acked, 24 * resolve_days + 3)
        self.move(officer, request, "resolve", resolved, note=item.answer)
        if item.fate in ("resolved", "autoclosed"):
            return request
        if item.fate == "reopened":
            reopened = self.when(resolved, 30)
            return self.move(author, request, "reopen", reopened, note=item.thread[0])
        confirmed = self.when(resolved, self.rng.choice((4, 20, 28)))
        return self.move(author, request, "confirm", confirmed, rating=item.rating, comment=item.comment)

    def move(self, actor, request, action, when, **kwargs) -> ServiceRequest:
        return desk.request_transition(actor=actor, request=request, action=action, now=when, **kwargs)


def _routing(now: datetime, officers: dict[str, User], district: User) -> int:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first() or district
    rules = [(Region.objects.get(code=code), None, officer) for code, officer in officers.items()]
    rules.append((Region.objects.get(code=HOME), Category.objects.get(code="space"), district))
    for town, category, officer in rules:
        routing_rule_set(actor=admin, town=town, category=category, officer=officer, now=now - timedelta(days=200))
    return len(rules)


def _authors(rng: random.Random, showcase: Enterprise) -> dict[str, list[Enterprise]]:
    """Demo enterprises per town that file requests (the showcase's are its own)."""
    pools = {}
    for town in {item.town for item in CATALOGUE}:
        demo = Enterprise.objects.filter(is_demo=True, is_biomedical=True, town__code=town).exclude(pk=showcase.pk)
        pool = list(demo.order_by("uscc"))
        pools[town] = rng.sample(pool, min(len(pool), 40))
    return pools


def _visits(*, now: datetime, rng: random.Random, officer: User, district: User) -> int:
    """Visits to about a third of the town's biomedical demo enterprises, spread over this year."""
    today = timezone.localdate(now) - timedelta(days=1)
    start = date(today.year, 1, 5)
    span = max((today - start).days, 1)
    biomedical = list(Enterprise.objects.filter(is_demo=True, town__code=HOME, is_biomedical=True).order_by("uscc"))
    chosen = rng.sample(biomedical, round(len(biomedical) * VISIT_SHARE))
    for i, enterprise in enumerate(chosen):
        flags, notes = FLAGGED[i // 9] if i % 9 == 0 and i // 9 < len(FLAGGED) else ((), rng.choice(VISIT_NOTES))
        visited = start + timedelta(days=rng.randrange(span))
        if enterprise.founded_date and visited < enterprise.founded_date:
            visited = today
        data = {"visited_date": visited, "notes": notes, "flags": list(flags)}
        when = timezone.make_aware(datetime.combine(visited, datetime.min.time())) + timedelta(hours=17)
        visit_record(actor=officer, enterprise=enterprise, data=data, now=min(when, now), acknowledge_recent=True)
    # A district officer's recent visit: pj_officer recording one here is warned first.
    recent = chosen[-1] if chosen else None
    if recent is not None:
        notes = "陪同区领导调研企业扩产计划,企业希望加快环评审批。"
        visit_record(actor=district, enterprise=recent, data={"visited_date": today, "notes": notes}, now=now,
                     acknowledge_recent=True)  # fmt: skip
    return len(chosen) + (recent is not None)


def load(*, now: datetime, rng: random.Random, users: dict[str, User], showcase: Enterprise) -> dict[str, int]:
    if (
        ServiceRequest.objects.filter(enterprise__is_demo=True).exists()
        or Visit.objects.filter(enterprise__is_demo=True).exists()
    ):
        return {}
    officers = {HOME: users["pj_officer"], "xinzhuang": users["xz_officer"]}
    rules = _routing(now, officers, users["mh_officer"])
    teller = Teller(now=now, rng=rng, officers=officers)
    pools = _authors(rng, showcase)
    requests = []
    for i, item in enumerate(CATALOGUE):
        author = users["ent_admin"] if item.showcase else enterprise_user(pools[item.town][i % len(pools[item.town])])
        requests.append(teller.tell(item, author))
    # What the hourly and daily jobs would have done by now.
    escalated = desk.requests_escalate(now=now)
    autoclosed = desk.requests_autoclose(now=now)
    visits = _visits(now=now, rng=rng, officer=users["pj_officer"], district=users["mh_officer"])
    Notification.objects.filter(
        url__startswith="/desk/", read_at__isnull=True, created_at__lt=now - timedelta(days=UNREAD_DAYS)
    ).update(read_at=now - timedelta(days=UNREAD_DAYS))
    return {
        "routing_rules": rules,
        "requests": len(requests),
        "escalated": escalated,
        "autoclosed": autoclosed,
        "visits": visits,
    }
