"""The service-provider part of the demo (issue 6): a catalogue of fictional providers and requests through it.

Told through the real services on dates before the load date:

- 20 providers marked 演示 over every kind (IP agencies, law firms, CROs, CDMOs, testing labs, a bank's sci-tech
  branch, a VC and a guarantee company, regulatory consultants, a shared-instrument platform), 2–4 priced
  services each; five are registered demo enterprises of the matching chain node (S2, U5, M1, S5, S3+S5) and take
  their name from the registry;
- 30 desk requests through providers from the town's demo enterprises, handled by pj_officer and rated by the
  enterprise (scores 5×12, 4×10, 3×5, 2×2, 1×1), one abusive comment hidden by pj_officer;
- the showcase enterprise (ent_admin) with a rated request, a closed one waiting for its rating, one waiting for
  its confirmation, one being handled and one just submitted; two more open requests of other enterprises.

Demo enterprises act through their demo admin account (no usable password). A second run writes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from sanlian.core.models import Notification, User
from sanlian.demo.policies import _applicant as enterprise_user
from sanlian.enterprises.models import Enterprise, Region
from sanlian.servicedesk.models import Provider, ServiceRequest
from sanlian.servicedesk.services import providers as services
from sanlian.servicedesk.services import requests as desk

HOME = "pujiang"
UNREAD_DAYS = 7


@dataclass(frozen=True)
class Offer:
    name: str
    low: int  # yuan
    high: int | None
    unit: str
    days: int | None = None
    description: str = ""


@dataclass(frozen=True)
class Spec:
    kind: str
    name: str
    region: str  # the region it is managed from: HOME (pj_officer) or "minhang" (mh_officer)
    served: tuple[str, ...]
    description: str
    qualifications: str
    switchboard: str
    offers: tuple[Offer, ...]
    link: tuple[str, ...] = ()  # chain nodes: the provider is the first unlinked demo enterprise of the town on all
    contact: tuple[str, str] = ("", "")  # an individual's name and (fictional) mobile


C, H, P, S = "per_case", "per_hour", "per_project", "per_sample"
# fmt: off
CATALOGUE: tuple[Spec, ...] = (
    Spec("ip_agency", "上海浦知联知识产权代理有限公司", HOME, (HOME,),
         "专注生物医药与医疗器械领域的专利申请、布局与维权,代理人均具备生物、化学或医学背景。",
         "专利代理机构执业许可证", "021-54110001",
         (Offer("发明专利申请代理", 5_000, 12_000, C, 30, "含检索、撰写与答复审查意见"),
          Offer("实用新型专利申请代理", 2_500, 4_000, C, 20),
          Offer("PCT国际专利申请", 15_000, 30_000, C, 45),
          Offer("专利无效宣告请求与答辩", 20_000, 50_000, C, 90)),
         link=("S2",), contact=("沈佳怡", "13900000101")),
    Spec("ip_agency", "上海闵申专利商标事务所有限公司", "minhang", ("minhang",),
         "为闵行区科技企业提供专利、商标与版权一站式代理,熟悉高新技术企业认定中的知识产权要求。",
         "专利代理机构执业许可证;商标代理机构备案", "021-64120002",
         (Offer("商标注册申请", 1_500, 3_000, C, 10),
          Offer("专利检索与自由实施(FTO)分析", 20_000, 60_000, P, 30),
          Offer("高价值专利培育", 50_000, 150_000, P, 180))),
    Spec("ip_agency", "上海浦江知识产权运营服务中心", HOME, (HOME,),
         "围绕浦江生物医药集群开展专利导航、知识产权贯标和质押融资辅导。",
         "GB/T 29490 贯标辅导机构", "021-54110003",
         (Offer("知识产权管理体系(GB/T 29490)贯标辅导", 30_000, 60_000, P, 90),
          Offer("专利导航分析报告", 40_000, 100_000, P, 60),
          Offer("专利质押融资辅导", 5_000, 20_000, P, 30))),
    Spec("law_firm", "上海申衡律师事务所", "minhang", ("shanghai",),
         "医药健康行业律师团队,擅长医药合规、技术许可、投融资与股权激励。",
         "律师事务所执业许可证", "021-64120004",
         (Offer("医药合规审查", 800, 2_000, H, None, "按律师小时计费"),
          Offer("技术许可与合作开发协议", 15_000, 40_000, P, 15),
          Offer("股权激励方案设计", 50_000, 120_000, P, 30))),
    Spec("law_firm", "上海澄锦律师事务所", HOME, (HOME, "minhang"),
         "知识产权诉讼与劳动用工合规,为园区企业提供常年法律顾问服务。",
         "律师事务所执业许可证", "021-54110005",
         (Offer("专利侵权诉讼代理", 80_000, 300_000, C, None),
          Offer("常年法律顾问", 60_000, 150_000, P, 365, "按年签约"),
          Offer("劳动用工合规体检", 20_000, 50_000, P, 20)),
         contact=("顾晨", "13900000105")),
    Spec("cro", "上海浦源药物研究有限公司", HOME, (HOME, "minhang"),
         "临床前药效学与药代动力学研究,拥有SPF级动物实验设施。",
         "GLP(药物非临床研究质量管理规范)认证;AAALAC认证", "021-54110006",
         (Offer("药效学评价(小鼠皮下移植瘤模型)", 80_000, 200_000, P, 60),
          Offer("药代动力学研究", 50_000, 150_000, P, 45),
          Offer("IND申报资料撰写", 200_000, 500_000, P, 90)),
         link=("U5",)),
    Spec("cro", "上海昱衡医药临床研究有限公司", "minhang", ("shanghai",),
         "I–IV期临床试验项目管理、监查与SMO现场管理,覆盖长三角主要临床试验机构。",
         "ISO 9001", "021-64120007",
         (Offer("I期临床试验项目管理", 1_500_000, 4_000_000, P, 365),
          Offer("SMO临床研究协调员(CRC)服务", 300, 500, H),
          Offer("医疗器械临床试验", 300_000, 1_200_000, P, 270))),
    Spec("cro", "上海溯衡器械临床评价咨询有限公司", HOME, (HOME,),
         "医疗器械临床评价、同品种比对与上市后临床跟踪(PMCF)。",
         "ISO 13485 内审员团队", "021-54110008",
         (Offer("临床评价报告(CER)撰写", 30_000, 80_000, P, 45),
          Offer("上市后临床跟踪(PMCF)方案", 20_000, 50_000, P, 30))),
    Spec("cdmo", "上海浦晟生物制药技术有限公司", HOME, (HOME, "minhang"),
         "抗体与重组蛋白CDMO:细胞株构建、工艺开发与200L–2000L GMP生产。",
         "药品生产许可证(B证);GMP符合性检查", "021-54110009",
         (Offer("细胞株构建与筛选", 500_000, 1_200_000, P, 120),
          Offer("上下游工艺开发", 1_500_000, 3_000_000, P, 180),
          Offer("200L GMP中试批生产", 1_200_000, 2_500_000, P, 60)),
         link=("M1",)),
    Spec("cdmo", "上海合晟制剂技术有限公司", "minhang", ("minhang",),
         "口服固体与注射剂的处方工艺开发、一致性评价和临床样品生产。",
         "药品生产许可证(C证)", "021-64120010",
         (Offer("口服固体制剂处方工艺开发", 300_000, 800_000, P, 120),
          Offer("临床样品GMP生产", 200_000, 600_000, P, 45),
          Offer("仿制药一致性评价", 800_000, 2_000_000, P, 240))),
    Spec("testing_lab", "上海浦测医疗器械检测技术有限公司", HOME, (HOME, "minhang"),
         "医疗器械生物相容性与电气安全检测,出具CNAS/CMA报告。",
         "CNAS;CMA", "021-54110011",
         (Offer("细胞毒性检测(GB/T 16886.5)", 3_000, 8_000, S, 15),
          Offer("致敏试验(GB/T 16886.10)", 8_000, 15_000, S, 30),
          Offer("医用电气安全检测(GB 9706.1)", 20_000, 50_000, S, 30)),
         link=("S5",), contact=("陆思远", "13900000111")),
    Spec("testing_lab", "上海沪检生物材料检测中心有限公司", "minhang", ("shanghai",),
         "无菌、微生物限度、细菌内毒素与灭菌残留检测。",
         "CNAS;CMA", "021-64120012",
         (Offer("无菌检查", 800, 1_500, S, 14),
          Offer("细菌内毒素检测", 500, 1_200, S, 7),
          Offer("环氧乙烷残留量检测", 600, 1_000, S, 7))),
    Spec("testing_lab", "上海谱析分析测试技术有限公司", HOME, (HOME,),
         "药品理化分析:元素杂质、有关物质、稳定性考察与方法验证。",
         "CNAS;CMA;GMP质量体系", "021-54110013",
         (Offer("元素杂质检测(ICP-MS)", 2_000, 5_000, S, 10),
          Offer("分析方法验证", 30_000, 60_000, P, 30),
          Offer("稳定性考察(ICH Q1A)", 50_000, 120_000, P, 180))),
    Spec("financing", "上海沪联银行闵行科技支行", "minhang", ("minhang",),
         "面向科技型中小企业的信用贷款与知识产权质押融资;银行不收取服务费,利率以审批结果为准。",
         "科技特色支行", "021-64120014",
         (Offer("科创企业信用贷款", 0, 0, P, 15, "额度100万–1000万元"),
          Offer("知识产权质押贷款", 0, 0, P, 20, "评估费由合作评估机构收取"))),
    Spec("financing", "上海浦江生命健康创业投资管理有限公司", HOME, (HOME, "minhang"),
         "聚焦早期生物医药与医疗器械项目的创业投资机构,参与浦江镇产业基金管理。",
         "中国证券投资基金业协会私募基金管理人登记", "021-54110015",
         (Offer("天使轮/A轮股权融资对接", 0, 0, P, 60, "不向企业收费"),
          Offer("融资路演辅导", 5_000, 20_000, P, 14))),
    Spec("financing", "上海科融融资担保有限公司", "minhang", ("shanghai",),
         "为科技型中小企业银行贷款提供担保,年化担保费率约1%。",
         "融资担保业务经营许可证", "021-64120016",
         (Offer("科技型中小企业贷款担保", 10_000, 50_000, P, 20, "按担保金额约1%/年"),)),
    Spec("regulatory", "上海浦衡医疗器械注册咨询有限公司", HOME, (HOME, "minhang"),
         "第二、三类医疗器械与体外诊断试剂注册申报、注册检验协调和体系核查辅导。",
         "ISO 13485 辅导经验", "021-54110017",
         (Offer("第二类医疗器械注册申报", 80_000, 200_000, P, 180),
          Offer("第三类医疗器械注册申报", 200_000, 600_000, P, 365),
          Offer("注册检验协调", 10_000, 30_000, P, 60)),
         link=("S3", "S5")),
    Spec("regulatory", "上海瑞申医药注册咨询有限公司", "minhang", ("shanghai",),
         "药品NMPA与FDA注册申报,熟悉IND、NDA与510(k)流程。",
         "", "021-64120018",
         (Offer("药品临床试验申请(IND)申报", 150_000, 400_000, P, 90),
          Offer("FDA 510(k)申报", 300_000, 800_000, P, 180),
          Offer("进口医疗器械注册代理人服务", 50_000, 120_000, P, 365))),
    Spec("regulatory", "上海正航GMP合规咨询有限公司", HOME, (HOME,),
         "GMP模拟审计、质量体系建立和ISO 13485认证辅导。",
         "", "021-54110019",
         (Offer("GMP模拟审计", 30_000, 80_000, P, 15),
          Offer("ISO 13485认证辅导", 60_000, 150_000, P, 120))),
    Spec("other", "浦江生物医药公共技术服务平台", HOME, (HOME,),
         "共享大型仪器与SPF级动物房,按机时或项目收费,园区企业享受优惠。",
         "CNAS(实验室)", "021-54110020",
         (Offer("流式细胞仪共享机时", 200, 400, H),
          Offer("SPF级动物房饲养", 5_000, 20_000, P, 30),
          Offer("共聚焦显微镜共享机时", 300, 500, H))),
)

# (provider index, offer index, score, comment, days ago) of the rated requests: 5×12, 4×10, 3×5, 2×2, 1×1.
RATED: tuple[tuple[int, int, int, str, int], ...] = (
    (0, 0, 5, "撰写质量高,审查意见答复及时,一次授权。", 160), (0, 0, 5, "代理人懂技术,沟通顺畅。", 120),
    (0, 2, 4, "PCT流程专业,价格略高。", 95), (0, 1, 5, "", 60), (0, 3, 2, "无效答辩准备不够充分,对接人更换频繁。", 40),
    (1, 0, 4, "商标注册很快下证。", 150), (1, 1, 5, "FTO报告扎实,帮我们规避了风险。", 70),
    (2, 0, 4, "贯标辅导细致,顺利通过认证。", 130), (2, 2, 3, "流程说明清楚,但放款周期比预期长。", 50),
    (3, 1, 5, "合同条款把关严格,谈判中很有帮助。", 110), (3, 0, 4, "", 45),
    (4, 2, 4, "合规体检发现了几处隐患,建议可操作。", 90), (4, 1, 3, "响应一般,节假日找不到人。", 30),
    (5, 0, 5, "模型稳定,数据质量好,报告规范。", 140), (5, 1, 4, "周期控制得不错。", 80),
    (5, 0, 1, "收费不透明,纯属坑人,大家别上当!!", 35),
    (6, 2, 4, "项目经理经验丰富,中心启动快。", 125), (7, 0, 5, "CER一次通过技术审评。", 100),
    (8, 0, 5, "细胞株产量超出预期。", 155), (8, 2, 4, "生产排期紧,但质量可靠。", 65),
    (9, 0, 3, "处方开发进度有延误,最终结果尚可。", 115),
    (10, 0, 5, "检测周期短,报告当天就能出电子版。", 145), (10, 2, 5, "整改建议很具体。", 75),
    (10, 1, 4, "", 25), (11, 1, 3, "价格实惠,但样品寄送流程繁琐。", 55),
    (12, 0, 5, "方法灵敏,数据可靠。", 85), (14, 1, 2, "路演辅导内容比较泛泛,针对性不强。", 105),
    (13, 0, 5, "审批快,额度符合预期。", 135), (16, 0, 4, "注册资料准备规范,发补少。", 170),
    (19, 0, 3, "机时预约紧张,设备状态良好。", 20),
)
HIDE_REASON = "含侮辱性言辞,已联系企业核实"  # pj_officer hides the comment of the one-star rating
BODIES = {
    "ip_agency": "我司一项新产品的核心技术拟申请知识产权保护,希望了解该机构的服务流程、周期与报价,请服务台协助对接。",
    "law_firm": "我司近期有合作协议与合规方面的法律需求,希望对接熟悉医药行业的律师团队,请服务台协助。",
    "cro": "我司在研项目需要委托外部研究服务,希望了解该机构的实验能力、排期与报价,请服务台协助对接。",
    "cdmo": "我司产品进入工艺放大阶段,需委托CDMO开展开发与生产,请服务台协助对接并了解产能与排期。",
    "testing_lab": "我司产品注册前需完成相关检测,希望了解送样要求、检测周期与报价,请服务台协助对接。",
    "financing": "我司计划新一轮融资以扩充产能,希望对接该机构了解产品与申请条件,请服务台协助。",
    "regulatory": "我司产品拟申报注册,需要专业机构协助准备资料和沟通审评,请服务台协助对接。",
    "other": "我司研发团队需要使用共享仪器和实验设施,希望了解预约方式与收费标准,请服务台协助对接。",
}
# The showcase's other requests (its rated one is RATED[0]): (provider index, offer index, state, days ago).
SHOWCASE = ((16, 0, "closed", 12), (0, 0, "resolved", 6), (17, 0, "acknowledged", 3), (13, 0, "submitted", 1))
OPEN = ((11, 0, "acknowledged", 2), (4, 2, "submitted", 1))
# fmt: on


class Teller:
    def __init__(self, *, now: datetime, officers: dict[str, User], showcase_user: User | None):
        self.now, self.tz = now, timezone.get_default_timezone()
        self.officers, self.showcase_user = officers, showcase_user
        self.showcase = showcase_user.enterprise if showcase_user and showcase_user.enterprise_id else None
        demo = Enterprise.objects.filter(is_demo=True, is_biomedical=True, town__code=HOME).order_by("uscc")
        if self.showcase is not None:
            demo = demo.exclude(pk=self.showcase.pk)
        self.enterprises = list(demo.prefetch_related("chain_nodes"))
        self.regions = {r.code: r for r in Region.objects.filter(code__in=(HOME, "minhang", "shanghai"))}
        self.linked: set[int] = set()
        self.turn = 0
        self.counts = {"providers": 0, "provider_services": 0, "provider_requests": 0, "provider_ratings": 0}

    def at(self, days_ago: float, hours: float = 10) -> datetime:
        day = (self.now - timedelta(days=days_ago)).astimezone(self.tz).date()
        moment = datetime.combine(day, time(0), tzinfo=self.tz) + timedelta(hours=hours)
        return min(moment, self.now - timedelta(minutes=5))

    def _link(self, nodes: tuple[str, ...]) -> Enterprise | None:
        for enterprise in self.enterprises:
            if enterprise.pk not in self.linked and set(nodes) <= {n.code for n in enterprise.chain_nodes.all()}:
                self.linked.add(enterprise.pk)
                return enterprise
        return None

    def provider(self, spec: Spec) -> Provider:
        officer = self.officers["pj_officer" if spec.region == HOME else "mh_officer"]
        linked = self._link(spec.link) if spec.link else None
        data = {
            "name": linked.name if linked else spec.name, "kind": spec.kind, "enterprise": linked,
            "region": self.regions[spec.region], "regions_served": [self.regions[c] for c in spec.served],
            "description": spec.description, "qualifications": spec.qualifications, "switchboard": spec.switchboard,
            "email": f"service{self.counts['providers'] + 1:02d}@providers.demo.sanlian.example.com",
            "contact_name": spec.contact[0], "contact_mobile": spec.contact[1], "is_demo": True,
        }  # fmt: skip
        provider = services.provider_create(actor=officer, data=data, now=self.at(200))
        for offer in spec.offers:
            services.provider_service_create(
                actor=officer, provider=provider, now=self.at(200, 11),
                data={"name": offer.name, "description": offer.description, "price_min": str(offer.low),
                      "price_max": "" if offer.high is None else str(offer.high), "unit": offer.unit,
                      "turnaround_days": offer.days or ""},
            )  # fmt: skip
            self.counts["provider_services"] += 1
        self.counts["providers"] += 1
        return provider

    def next_customer(self) -> Enterprise | None:
        pool = [e for e in self.enterprises if e.pk not in self.linked] or self.enterprises
        if not pool:
            return None
        self.turn += 1
        return pool[(self.turn * 7) % len(pool)]  # a stride spreads the requests over the town's enterprises

    def request(self, user: User, provider: Provider, offer: int, state: str, days_ago: float) -> ServiceRequest:
        """One request through the provider taken to `state` (submitted … closed, rated is closed + rated)."""
        service = list(provider.services.order_by("id"))[offer]
        officer = self.officers["pj_officer"]
        start = self.at(days_ago, 9.5)
        data = {"title": f"委托:{service.name}", "body": BODIES[provider.kind]}
        request = desk.request_submit(actor=user, data=data, provider_service=service, now=start)
        self.counts["provider_requests"] += 1
        steps = ("acknowledged", "resolved", "closed", "rated")
        if state not in steps:
            return request
        desk.request_transition(actor=officer, request=request, action="acknowledge", now=start + timedelta(hours=2))
        reply = f"已为贵司联系{provider.name},机构将在两个工作日内与贵司对接具体需求和报价。"
        desk.request_reply(actor=officer, request=request, body=reply, now=start + timedelta(hours=26))
        if state == "acknowledged":
            return request
        resolved = start + timedelta(days=min(4, max(days_ago - 2, 1)))
        note = "机构已与企业完成需求沟通,双方已确定服务方案。"
        desk.request_transition(actor=officer, request=request, action="resolve", note=note, now=resolved)
        if state == "resolved":
            return request
        return desk.request_transition(
            actor=user, request=request, action="confirm", rating=5, now=resolved + timedelta(days=1)
        )


def load(*, users: dict[str, User], now: datetime) -> dict[str, int]:
    """Tell the provider story up to `now`; returns counts. A second run (demo providers exist) writes nothing."""
    officers = {name: users[name] for name in ("pj_officer", "mh_officer") if name in users}
    teller = Teller(now=now, officers=officers, showcase_user=users.get("ent_admin"))
    if len(officers) < 2 or Provider.objects.filter(is_demo=True).exists():
        return teller.counts
    providers = [teller.provider(spec) for spec in CATALOGUE]
    ratings = []
    for index, (p, offer, score, comment, days_ago) in enumerate(RATED):
        on_showcase = index == 0 and teller.showcase is not None
        customer = teller.showcase if on_showcase else teller.next_customer()
        if customer is None:
            break
        user = teller.showcase_user if on_showcase else enterprise_user(customer)
        request = teller.request(user, providers[p], offer, "rated", days_ago)
        rated_at = request.closed_at + timedelta(hours=3)
        ratings.append(services.provider_rate(actor=user, request=request, score=score, comment=comment, now=rated_at))
        teller.counts["provider_ratings"] += 1
    for rating in (r for r in ratings if r.score == 1 and r.comment):
        services.provider_rating_hide(
            actor=officers["pj_officer"], rating=rating, reason=HIDE_REASON, now=rating.created_at + timedelta(days=1)
        )
    if teller.showcase is not None:
        for p, offer, state, days_ago in SHOWCASE:
            teller.request(teller.showcase_user, providers[p], offer, state, days_ago)
    for p, offer, state, days_ago in OPEN:
        if (customer := teller.next_customer()) is not None:
            teller.request(enterprise_user(customer), providers[p], offer, state, days_ago)
    # The story spans months: its older inbox messages have been read.
    Notification.objects.filter(
        url__startswith="/desk/requests/", read_at__isnull=True, created_at__lt=now - timedelta(days=UNREAD_DAYS)
    ).update(read_at=now - timedelta(days=UNREAD_DAYS))
    return teller.counts


def unload() -> int:
    """Remove the demo providers (their requests go with the demo enterprises); their audit trail stays."""
    providers = Provider.objects.filter(is_demo=True)
    count, _ = providers.delete()
    return count
