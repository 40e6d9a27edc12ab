"""The news part of the community demo (issue 7): ~25 articles of 2024–2026 through the real services.

- the activity report of 2024-05-20 (data/news_seed_report.txt: the source's paragraphs, its publisher's
  boilerplate left out), and other reports of the alliance, the 知新会 and the chamber's branch;
- interpretations of the demo's policies (their titles and figures as in data/policies/, all 示例);
- notices (申报通知 reminders, the talent programme round) and industry news about fictional demo
  enterprises (marked 演示); nothing is said of the real named enterprises beyond FACTS.md;
- pj_officer writes the town's articles and mh_officer publishes them; mh_officer writes the district's and
  mh_reviewer publishes them; two drafts and two articles in review wait for the officers;
- deterministic daily view counts over the 14 days before the load day, for the hot list.
Articles are keyed by title (is_demo), so a second run writes nothing new; covers are left empty.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sanlian.community.models import Article, ArticleView
from sanlian.community.services.news import article_create, article_transition
from sanlian.core.models import User
from sanlian.enterprises.models import Enterprise, Region

TZ = ZoneInfo("Asia/Shanghai")
SEED_REPORT = Path(__file__).parent / "data" / "news_seed_report.txt"
K = Article.Kind
VIEW_DAYS = 14


@dataclass(frozen=True)
class Spec:
    title: str
    kind: str
    day: date
    summary: str
    body: str
    tags: tuple[str, ...]
    region: str = "pujiang"  # "minhang": a district article, written by mh_officer
    state: str = "published"  # or "draft" / "review"
    author: str = ""  # default: pj_officer for the town, mh_officer for the district
    demo_enterprises: int = 0  # how many fictional demo enterprises of 浦江镇 the article names


def _seed() -> Spec:
    return Spec(
        "创新链、产业链、人才链深度融合 浦江镇聚集了全区近半生物医药类企业", K.ACTIVITY, date(2024, 5, 20),
        "“浦江‘链’才·共潮生”人才赋能生物医药产业发展主题活动举行,浦江镇生物医药产业人才周拉开帷幕;"
        "三大产业链公共服务平台发布,产业联盟、知新会、商会生物医药分会揭牌。",
        SEED_REPORT.read_text(encoding="utf-8").strip(), ("人才周", "人才", "产业联盟", "知新会", "商会"),
    )  # fmt: skip


SPECS = (
    Spec("浦江镇生物医药产业人才周:人才政策宣讲会举行", K.ACTIVITY, date(2024, 5, 22),
         "人才周期间,镇人才服务专员面向重点企业人事负责人宣讲春申金字塔人才计划申报要点。",
         "作为浦江镇生物医药产业人才周的一场活动,人才政策宣讲会在临港浦江国际科技城举行。\n\n"
         "宣讲围绕春申金字塔人才计划的申报条件、材料和流程展开,现场解答了企业人事负责人关心的问题。",
         ("人才周", "人才", "春申人才")),
    Spec("浦江镇生物医药产业联盟召开首次理事会", K.ACTIVITY, date(2024, 6, 18),
         "联盟成员单位讨论年度工作重点:上下游对接、公共服务共享和供需信息发布。",
         "浦江镇生物医药产业联盟召开揭牌后的首次理事会。\n\n"
         "会议商定,联盟将依托产业链公共服务平台定期发布供需信息,组织上下游对接会,推动检测、注册等公共服务共享。",
         ("产业联盟", "供需对接")),
    Spec("知新会首期沙龙:生物医药研发成果转化路径", K.ACTIVITY, date(2024, 7, 16),
         "浦江镇生物医药知新会举办首期沙龙,围绕研发成果转化与关键核心技术突破建言献策。",
         "浦江镇生物医药知新会是全市首个产业知新会。首期沙龙邀请会员围绕研发成果转化路径交流。\n\n"
         "与会代表就产学研合作、临床资源对接和中试平台建设提出建议,形成的意见将报送镇相关部门。",
         ("知新会", "成果转化")),
    Spec("商会生物医药分会走进会员企业", K.ACTIVITY, date(2024, 9, 10),
         "浦江镇商会生物医药分会组织会员企业互访,了解企业经营情况和诉求。",
         "浦江镇商会生物医药分会组织会员企业互访交流,参观生产与研发场地。\n\n"
         "分会收集了企业在用工、厂房和融资方面的诉求,将通过平台的企业诉求渠道转交相关部门办理。",
         ("商会", "企业服务")),
    Spec("产业链上下游对接会:医疗器械专场", K.ACTIVITY, date(2024, 11, 12),
         "产业联盟组织医疗器械专场对接会,器械企业与材料、检测、注册服务机构一对一洽谈。",
         "本次对接会由浦江镇生物医药产业联盟主办,聚焦医疗器械与设备产业集群。\n\n"
         "参会企业通过平台提前发布需求并预约一对一洽谈,涉及器械材料与零部件、检测认证和注册申报服务。",
         ("产业联盟", "供需对接", "医疗器械"), demo_enterprises=2),
    Spec("政策解读:浦江镇生物医药企业GMP厂房租金补贴(示例)", K.POLICY, date(2025, 3, 5),
         "对入驻临港浦江国际科技城、漕河泾开发区浦江高科技园并租用GMP厂房的生产型企业给予租金补贴。",
         "《浦江镇生物医药企业GMP厂房租金补贴》(示例)支持入驻临港浦江国际科技城、漕河泾开发区浦江高科技园,"
         "租用GMP厂房从事药品、医疗器械生产或CDMO服务的企业。\n\n"
         "补贴按实际租金的30%计算,每家每年最高100万元,连续支持3年。符合条件的企业可在平台「我的政策」中查看"
         "匹配结果及原因。",
         ("政策解读", "GMP厂房", "空间")),
    Spec("政策解读:生物医药初创企业租金补贴(示例)", K.POLICY, date(2025, 3, 12),
         "成立5年内的生物医药初创企业可申请办公研发用房租金补贴。",
         "《浦江镇生物医药初创企业租金补贴》(示例)面向成立5年内、在浦江落地的生物医药企业。\n\n"
         "补贴按实际租金的50%计算,每家每年最高10万元,最长3年。平台的空间服务可帮助初创企业寻找合适的办公研发用房。",
         ("政策解读", "初创企业", "空间")),
    Spec("政策解读:春申金字塔人才计划重点企业人才服务补贴(示例)", K.POLICY, date(2025, 4, 8),
         "名单内重点企业免申即享,每家人才服务补贴5万元,用于人才招聘、培训和生活服务。",
         "《浦江镇春申金字塔人才计划重点企业人才服务补贴》(示例)对年度重点企业给予人才服务补贴。\n\n"
         "补贴实行免申即享:名单内企业无需提交申请,由平台根据名单直接匹配。2023年,浦江镇春申金字塔人才重点企业154家,"
         "其中生物医药企业47家。",
         ("政策解读", "春申人才", "人才", "免申即享")),
    Spec("政策解读:浦江基因未来谷产业发展专项资金(示例)", K.POLICY, date(2025, 4, 22),
         "支持基因测序、细胞与基因治疗、核酸药物等基因相关企业加大研发投入。",
         "《浦江镇基因产业发展专项资金》(示例)聚焦浦江基因未来谷,按上年度研发投入的5%给予支持,最高30万元。\n\n"
         "闵行基因产业已成功申报国家级中小企业产业集群,专项资金将进一步支持基因相关企业研发创新。",
         ("政策解读", "基因", "研发")),
    Spec("政策解读:闵行区生物医药企业研发费用补贴(示例)", K.POLICY, date(2025, 5, 6),
         "研发投入强度达到所属产业集群标准的生物医药企业,可按上年度研发投入的10%获得补贴。",
         "《闵行区生物医药企业研发费用补贴》(示例)由闵行区科学技术委员会发布。\n\n"
         "对研发投入强度达到所属产业集群标准的生物医药企业,按上年度研发投入的10%给予补贴,每家最高50万元。"
         "企业可在平台查看研发投入强度的计算口径和匹配原因。",
         ("政策解读", "研发", "资金补贴"), region="minhang"),
    Spec("政策解读:闵行区重点企业人才安居资助(示例)", K.POLICY, date(2025, 5, 20),
         "重点企业的全职人才可申请人才公寓或租房补贴。",
         "《闵行区重点企业人才安居资助》(示例)支持重点企业引进和留住人才。\n\n"
         "符合条件企业的全职人才可优先配租人才公寓,或申请租房补贴,每人每月最高3000元,最长36个月。",
         ("政策解读", "人才", "安居", "春申人才"), region="minhang"),
    Spec("政策解读:创新药和创新医疗器械首发奖励(示例)", K.POLICY, date(2025, 6, 10),
         "在闵行生产并首次获批上市的创新药、创新医疗器械可获首发奖励。",
         "《闵行区创新药和创新医疗器械首发奖励》(示例)鼓励创新成果在闵行首发落地。\n\n"
         "1类创新药最高奖励500万元,第三类创新医疗器械最高300万元。",
         ("政策解读", "创新药", "医疗器械"), region="minhang"),
    Spec("关于做好2025年度高新技术企业认定申报工作的提醒", K.NOTICE, date(2025, 4, 1),
         "高新技术企业认定申报已启动,请有意向的企业在平台「申报通知」中查看要求并按时提交。",
         "2025年度高新技术企业认定申报工作已启动。\n\n"
         "请有意向的企业对照认定条件做好知识产权、研发费用和高新技术产品收入的准备,按申报通知的时间节点提交材料。",
         ("申报通知", "高新技术企业"), region="minhang"),
    Spec("关于开展2025年度专精特新中小企业申报推荐的提醒", K.NOTICE, date(2025, 5, 15),
         "专精特新中小企业申报推荐工作启动,镇产业服务专员可提供申报辅导。",
         "2025年度上海市专精特新中小企业申报推荐工作启动。\n\n"
         "浦江镇产业服务专员将为有意向的企业提供申报辅导,企业可通过平台的企业诉求渠道预约。",
         ("申报通知", "专精特新")),
    Spec("2025年度春申人才计划申报启动", K.NOTICE, date(2025, 3, 20),
         "春申人才计划申报启动:个人申报,用人单位审核并盖章提交,评审后公示。",
         "2025年度春申人才计划(闵委人〔2025〕1号)申报启动,设A、B1、B2、C1、C2、D、E等层级。\n\n"
         "申报流程为个人申报、用人单位审核、盖章提交、评审、公示、审批。持有国家或市级人才称号的人才可免申即享认定。"
         "申报人需准备身份证明、学历学位、劳动合同(剩余期限不少于3个月)和社保缴纳记录。",
         ("春申人才", "人才", "申报通知"), region="minhang"),
    Spec("浦江镇生物医药产业人才周(2025)即将开幕", K.NOTICE, date(2025, 5, 12),
         "第二届浦江镇生物医药产业人才周将举办政策宣讲、人才沙龙和供需对接等活动。",
         "继2024年首届人才周之后,浦江镇生物医药产业人才周将再次举办。\n\n"
         "人才周期间将举办人才政策宣讲、人才沙龙和产业链供需对接活动,欢迎企业通过平台报名。",
         ("人才周", "人才")),
    Spec("空间服务上线GMP厂房与实验室房源", K.INDUSTRY, date(2024, 8, 6),
         "产业链公共服务平台的空间服务开放GMP厂房、实验室房源发布和匹配。",
         "作为三大生物医药产业链公共服务平台之一,空间服务开放GMP厂房、洁净实验室和办公研发用房的发布与匹配。\n\n"
         "企业可按洁净级别、排风、纯水、承重、电力等条件查找房源并预约看房。",
         ("空间", "GMP厂房")),
    Spec("演示企业完成GMP车间扩建并投入使用(演示)", K.INDUSTRY, date(2025, 8, 19),
         "浦江镇一家演示医疗器械企业的GMP车间扩建完成,产能进一步提升。(演示数据)",
         "本文为演示数据。\n\n{names}完成GMP车间扩建并投入使用,新增洁净生产区域,用于器械组装与包装。",
         ("GMP厂房", "医疗器械"), demo_enterprises=1),
    Spec("演示企业与区内医院开展临床研究合作(演示)", K.INDUSTRY, date(2025, 10, 14),
         "两家演示企业分别与区内医疗机构签署临床研究合作协议。(演示数据)",
         "本文为演示数据。\n\n{names}分别与区内医疗机构签署临床研究合作协议,推动研发成果转化。",
         ("成果转化", "研发"), demo_enterprises=2),
    Spec("知新会年度建言:加快基因产业中试平台建设", K.ACTIVITY, date(2025, 12, 9),
         "知新会围绕浦江基因未来谷的中试平台建设形成年度建言。",
         "浦江镇生物医药知新会召开年度会议,围绕浦江基因未来谷的中试平台建设形成建言。\n\n"
         "会员建议整合园区空间与公共服务资源,降低基因相关企业的中试成本。",
         ("知新会", "基因", "成果转化")),
    Spec("产业联盟2026年度供需对接会举行", K.ACTIVITY, date(2026, 4, 21),
         "联盟年度供需对接会聚焦CDMO、检测认证与注册申报服务。",
         "浦江镇生物医药产业联盟举办2026年度供需对接会。\n\n"
         "参会企业围绕CDMO、检测认证与注册申报服务开展一对一洽谈,对接需求通过平台持续跟进。",
         ("产业联盟", "供需对接"), demo_enterprises=2),
    # Waiting for the officers.
    Spec("商会生物医药分会2026年会员大会通知(草稿)", K.NOTICE, date(2026, 11, 20),
         "分会拟于年底召开会员大会。", "浦江镇商会生物医药分会拟于年底召开会员大会,具体时间地点待定。",
         ("商会",), state="draft"),
    Spec("闵行区生物医药产业年度观察(草稿)", K.INDUSTRY, date(2026, 11, 25),
         "区生物医药产业年度观察,数据待核实。", "本文汇总全区生物医药产业年度发展情况,数据待统计部门核实后补充。",
         ("研发",), region="minhang", state="draft"),
    Spec("浦江镇生物医药产业人才周(2026)回顾", K.ACTIVITY, date(2026, 11, 28),
         "人才周期间举办政策宣讲、人才沙龙和供需对接活动。",
         "2026年浦江镇生物医药产业人才周圆满结束。\n\n人才周期间举办政策宣讲、人才沙龙和供需对接活动,企业踊跃参与。",
         ("人才周", "人才"), state="review"),
    Spec("关于2026年度春申人才计划公示的说明", K.NOTICE, date(2026, 11, 30),
         "春申人才计划评审结果将在平台人才公示栏目公示。",
         "2026年度春申人才计划评审结果将在平台「人才公示」栏目公示,公示期内如有异议可按公示说明反映。",
         ("春申人才", "人才"), state="review", author="mh_officer"),
)  # fmt: skip


def _authors(spec: Spec, users: dict[str, User]) -> tuple[User, User]:
    """(author, publisher): the district's articles are published by mh_reviewer, the town's by mh_officer."""
    author = users[spec.author or ("pj_officer" if spec.region == "pujiang" else "mh_officer")]
    publisher = users["mh_reviewer" if author.username == "mh_officer" else "mh_officer"]
    if spec.region == "pujiang" and author.username == "mh_officer":
        publisher = users["pj_officer"]
    return author, publisher


def _demo_enterprises(count: int, offset: int) -> list[Enterprise]:
    if not count:
        return []
    pool = list(Enterprise.objects.filter(is_demo=True, town__code="pujiang").order_by("uscc")[:60])
    if not pool:
        return []
    return [pool[(offset * 3 + i) % len(pool)] for i in range(min(count, len(pool)))]


def _write(spec: Spec, index: int, users: dict[str, User]) -> Article:
    author, publisher = _authors(spec, users)
    at = datetime.combine(spec.day, time(9, 30), tzinfo=TZ)
    enterprises = _demo_enterprises(spec.demo_enterprises, index)
    names = "、".join(e.name for e in enterprises) or "浦江镇演示企业"
    article = article_create(
        actor=author,
        data={"title": spec.title, "kind": spec.kind, "summary": spec.summary, "is_demo": True,
              "body": spec.body.replace("{names}", names)},
        region=Region.objects.get(code=spec.region), tags=spec.tags, enterprises=enterprises, now=at,
    )  # fmt: skip
    if spec.state in ("review", "published"):
        article_transition(actor=author, article=article, action="submit", now=at)
    if spec.state == "published":
        article_transition(actor=publisher, article=article, action="publish", now=at + timedelta(hours=2))
    return article


def _views(today: date) -> int:
    """Deterministic views over the VIEW_DAYS days before today (set, not added: a rerun changes nothing)."""
    rows = 0
    published = list(Article.objects.filter(is_demo=True, status=Article.Status.PUBLISHED).order_by("published_at"))
    for rank, article in enumerate(published):
        for back in range(1, VIEW_DAYS + 1):
            count = (rank * 7 + back * 3) % 11 + rank // 2
            _row, created = ArticleView.objects.update_or_create(
                article=article, view_date=today - timedelta(days=back), defaults={"count": count}
            )
            rows += created
    return rows


def load(*, users: dict[str, User], today: date) -> dict[str, int]:
    """The demo's articles not yet there, and the view counts; returns the counts written."""
    existing = set(Article.objects.filter(is_demo=True).values_list("title", flat=True))
    written = 0
    for index, spec in enumerate((_seed(), *SPECS)):
        if spec.title in existing or spec.day > today:
            continue
        _write(spec, index, users)
        written += 1
    return {"articles": written, "article_view_days": _views(today)}


def unload() -> int:
    count, _ = Article.objects.filter(is_demo=True).delete()
    return count
