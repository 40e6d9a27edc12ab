"""The IP portfolio part of the demo (issue 6): patents, trademarks and software copyrights of the
biomedical demo enterprises of 闵行区 (浦江镇's and the other towns', so district-wide rules such as the
高新技术企业认定 call's IP criterion read true figures), and a sample import sheet with a few bad rows
for the officers' dry run.

Consistent with the annual reports: an enterprise's granted invention, utility-model and design patents
are exactly the holdings of its latest report, each granted in the year its report first counts it
(holdings before the first reported year are spread over the years since founding). On top come
pending applications (mostly at pharma, biologics and gene firms), a few lapsed utility models,
trademarks for most enterprises (classes by line of business) and software copyrights for diagnostics,
sequencing, lab and instrument firms. The named enterprises have no reports and no portfolio.

The mass rows go in with `bulk_create` (like the registry's); the showcase enterprise's portfolio is
entered through the real service by ent_admin, so its profile's history shows it. Numbers are
canonical and carry correct check characters; a second run writes nothing.
"""

import itertools
import random
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook

from sanlian.enterprises.models import Enterprise
from sanlian.servicedesk.ip_numbers import check_character, default_expiry
from sanlian.servicedesk.models import IPAsset
from sanlian.servicedesk.services import ip as ip_services

from .generator import TZ, DemoPlan, EnterpriseSpec
from .story import SHOWCASE_REGISTERED_AT

Kind, Status = IPAsset.Kind, IPAsset.Status
TYPE_DIGIT = {Kind.INVENTION: "1", Kind.UTILITY: "2", Kind.DESIGN: "3"}
PATENT_FIELDS = (
    (Kind.INVENTION, "patents_invention"),
    (Kind.UTILITY, "patents_utility"),
    (Kind.DESIGN, "patents_design"),
)
# Patent serials count up from SERIAL_BASE over all enterprises (by USCC), so numbers are unique and stable;
# the sample sheet uses SAMPLE_SERIAL on.
SERIAL_BASE = 3_000_000
SAMPLE_SERIAL = 8_800_000
PHARMA = frozenset({"antibody", "cgt", "chem-innovative", "api", "excipients", "tcm", "reagents"})
SOFTWARE_FIRMS = frozenset({"ivd", "precision", "lab-services", "lab", "equipment", "testing"})
TRADEMARK_CLASSES = {
    "ivd": (10, 5, 1), "equipment": (10, 9), "surgical": (10,), "rehab": (10, 44), "lab": (9, 10),
    "additive": (10, 40), "dressings": (5, 10), "cgt": (5, 42), "antibody": (5, 42), "chem-innovative": (5,),
    "api": (1, 5), "excipients": (1,), "tcm": (5, 30), "cro": (42,), "reagents": (1, 5), "precision": (42, 44, 9),
    "lab-services": (44, 42), "hospital": (44,), "distribution": (35, 5), "wellness": (44, 30), "testing": (42,),
    "ip-hr": (45, 35),
}  # fmt: skip

# fmt: off
NUCLEIC_TARGETS = ("甲型流感病毒", "乙型肝炎病毒", "人乳头瘤病毒", "EGFR基因突变", "KRAS基因突变", "结核分枝杆菌",
                   "呼吸道合胞病毒", "BRCA1/2基因变异", "幽门螺杆菌", "结直肠癌甲基化标志物")
PROTEIN_TARGETS = ("心肌肌钙蛋白I", "降钙素原", "癌胚抗原", "N端脑钠肽前体", "甲胎蛋白")
ANTIBODY_TARGETS = ("PD-1", "PD-L1", "HER2", "CD20", "IL-17A", "TIGIT", "Claudin18.2", "CD47", "TSLP", "B7-H3")
CELL_TARGETS = ("CD19", "BCMA", "GPC3", "CLDN18.2", "CD7", "mesothelin")
COMPOUNDS = ("JAK1抑制剂", "KRAS G12C抑制剂", "BTK抑制剂", "替格瑞洛", "阿哌沙班", "GLP-1受体激动剂", "PARP抑制剂")
DEVICES = ("医用内窥镜图像处理系统", "手术机器人力反馈装置", "可降解血管支架", "3D打印多孔钛合金骨植入物",
           "智能康复外骨骼",
           "超声影像探头", "负压伤口治疗装置", "全自动生化分析仪", "一次性使用吻合器")
METHODS = ("临床试验数据管理", "药物代谢动力学样本分析", "冷链药品全程追溯", "生物样本库质量控制",
           "医学检验结果自动审核")
UTILITY_TITLES = ("采样拭子保存管", "检测试剂卡盒", "移液吸头收纳装置", "医用输液架", "便携式血氧检测仪",
                  "康复训练用握力器", "手术器械消毒盒", "细胞培养瓶固定架", "生物安全柜紫外消毒装置",
                  "超低温冰箱样本架",
                  "离心管架", "病床护栏", "医用敷料包装结构", "试剂瓶防倾倒托架")
DESIGN_TITLES = ("全自动核酸提取仪", "便携式检测仪", "试剂盒包装盒", "康复训练器", "医用推车", "血糖仪", "超声探头外壳",
                 "手术无影灯", "样本转运箱")
SOFTWARE_TITLES = ("实验室信息管理系统", "基因测序数据分析软件", "检测报告自动生成系统", "仪器数据采集软件",
                   "质控数据分析软件", "样本追溯管理系统", "生物信息分析流程软件", "设备远程运维平台")
# fmt: on


def _invention_title(rng: random.Random, archetype: str) -> str:
    if archetype in ("ivd", "reagents", "precision", "lab-services", "testing"):
        if rng.random() < 0.3:
            return f"一种{rng.choice(PROTEIN_TARGETS)}化学发光免疫检测试剂盒及其制备方法"
        target = rng.choice(NUCLEIC_TARGETS)
        return rng.choice(
            (
                f"一种检测{target}的试剂盒及其应用",
                f"{target}核酸恒温扩增检测方法",
                f"一种基于高通量测序的{target}检测方法",
            )
        )
    if archetype == "antibody":
        return rng.choice((f"抗{rng.choice(ANTIBODY_TARGETS)}单克隆抗体及其用途", "一种双特异性抗体的纯化方法"))
    if archetype == "cgt":
        return rng.choice(
            (f"一种靶向{rng.choice(CELL_TARGETS)}的嵌合抗原受体T细胞及其制备方法",
             "一种腺相关病毒载体及其在基因治疗中的应用",
             "一种mRNA脂质纳米颗粒递送系统")
        )  # fmt: skip
    if archetype in ("chem-innovative", "api", "excipients"):
        compound = rng.choice(COMPOUNDS)
        return rng.choice((f"一种{compound}的晶型及其制备方法", f"一种{compound}关键中间体的合成方法"))
    if archetype == "tcm":
        return f"一种治疗{rng.choice(('慢性胃炎', '失眠', '风湿性关节炎'))}的中药组合物及其制备方法"
    if archetype in ("equipment", "surgical", "rehab", "lab", "additive", "dressings"):
        return f"一种{rng.choice(DEVICES)}及其控制方法"
    return f"一种{rng.choice(METHODS)}方法"


def _brand(spec: EnterpriseSpec) -> str:
    """The name's distinctive part: 上海澜屿医疗科技有限公司 → 澜屿."""
    return spec.name.removeprefix("上海")[:2]


def _number(kind: str, year: int, serial: int) -> str:
    digits = f"{year}{TYPE_DIGIT[kind]}{serial:07d}"
    return f"{digits}.{check_character(digits)}"


def _wrong_check(number: str) -> str:
    return number[:-1] + ("1" if number.endswith("0") else "0")


def _day_in(rng: random.Random, year: int, earliest: date | None = None) -> date:
    start = max(date(year, 1, 2), earliest or date.min)
    end = date(year, 12, 28)
    return start if start >= end else start + timedelta(days=rng.randrange((end - start).days))


def _grant_years(spec: EnterpriseSpec, reports, field: str, rng: random.Random) -> list[int]:
    """One grant year per patent held in the latest report: the year a report first counts it."""
    years, held = [], 0
    first_year = reports[0].year
    founded = spec.founded_date.year if spec.founded_date else first_year - 5
    for report in reports:
        gained = getattr(report, field) - held
        if report is reports[0]:
            span = range(max(founded + 1, first_year - 8), first_year + 1)
            years += [rng.choice(span) if len(span) else first_year for _ in range(max(gained, 0))]
        else:
            years += [report.year] * max(gained, 0)
        held = max(held, getattr(report, field))
    return sorted(years)


def _patent(kind, spec, serial, grant_year, rng, *, status=Status.GRANTED, filing=None) -> dict:
    lag_years = {Kind.INVENTION: rng.choice((1, 2, 2, 3)), Kind.UTILITY: 1, Kind.DESIGN: 1}[kind]
    filing = filing or _day_in(rng, grant_year - lag_years, spec.founded_date)
    grant = None
    if status != Status.PENDING:
        grant = max(filing + timedelta(days=120), _day_in(rng, grant_year))
    title = {
        Kind.INVENTION: lambda: _invention_title(rng, spec.archetype),
        Kind.UTILITY: lambda: "一种" + rng.choice(UTILITY_TITLES),
        Kind.DESIGN: lambda: rng.choice(DESIGN_TITLES),
    }[kind]()
    return {"kind": kind, "number": _number(kind, filing.year, serial), "title": title, "status": status,
            "filing_date": filing, "grant_date": grant}  # fmt: skip


def _portfolio(spec: EnterpriseSpec, reports, index: int, serials, rng: random.Random) -> list[dict]:
    """The plain values of one enterprise's assets (no database); `serials` numbers its patents."""
    assets = []
    for kind, field in PATENT_FIELDS:
        for year in _grant_years(spec, reports, field, rng):
            assets.append(_patent(kind, spec, next(serials), year, rng))
    latest = reports[-1]
    if spec.archetype in PHARMA:
        pending = rng.randint(0, 3)
    else:
        pending = rng.randint(0, 1) if spec.is_gene_related or rng.random() < 0.2 else 0
    for _ in range(pending if latest.rd_staff else 0):
        filing = _day_in(rng, rng.choice((2024, 2025)), spec.founded_date)
        assets.append(
            _patent(Kind.INVENTION, spec, next(serials), filing.year, rng, status=Status.PENDING, filing=filing)
        )
    if spec.cluster == "devices" and rng.random() < 0.25 and spec.founded_date and spec.founded_date.year < 2012:
        year = rng.randint(2013, 2015)  # a utility model not renewed: lapsed before its ten years
        assets.append(_patent(Kind.UTILITY, spec, next(serials), year + 1, rng, status=Status.LAPSED))
    if rng.random() < 0.8:
        classes = TRADEMARK_CLASSES.get(spec.archetype, (35,))
        for n, trademark_class in enumerate(classes[: rng.randint(1, len(classes))]):
            first = min(max(2013, (spec.founded_date or date(2013, 1, 1)).year + 1), 2025)
            registered = _day_in(rng, rng.randint(first, 2025))
            assets.append({
                "kind": Kind.TRADEMARK, "number": str(60_000_000 + index * 10 + n), "title": _brand(spec),
                "status": Status.GRANTED, "filing_date": registered - timedelta(days=rng.randint(270, 400)),
                "grant_date": registered, "trademark_class": trademark_class,
            })  # fmt: skip
    if spec.archetype in SOFTWARE_FIRMS:
        for n in range(rng.randint(1, 5)):
            year = rng.randint(min(max(2016, (spec.founded_date or date(2016, 1, 1)).year + 1), 2025), 2025)
            assets.append({
                "kind": Kind.SOFTWARE, "number": f"{year}SR{(index * 10 + n) % 10_000_000:07d}",
                "title": f"{_brand(spec)}{rng.choice(SOFTWARE_TITLES)}V{rng.randint(1, 3)}.0",
                "status": Status.GRANTED, "filing_date": None, "grant_date": _day_in(rng, year),
            })  # fmt: skip
    return assets


def portfolios(plan: DemoPlan, rng: random.Random) -> dict[str, list[dict]]:
    """USCC → its assets' values, for the biomedical demo enterprises with annual reports."""
    result = {}
    specs = sorted((e for e in plan.enterprises if e.is_biomedical and e.is_demo), key=lambda e: e.uscc)
    serials = itertools.count(SERIAL_BASE)  # one sequence for all: a scaled-up demo has big portfolios
    for index, spec in enumerate(specs):
        reports = sorted(plan.reports_of(spec.uscc), key=lambda r: r.year)
        if reports:
            result[spec.uscc] = _portfolio(spec, reports, index, serials, rng)
    return result


def _row(enterprise_id: int, values: dict, now: datetime) -> IPAsset:
    expiry = default_expiry(values["kind"], filing_date=values["filing_date"], grant_date=values["grant_date"])
    return IPAsset(enterprise_id=enterprise_id, expiry_date=expiry, created_at=now, updated_at=now, **values)


def _showcase_tell(enterprise, assets: list[dict], admin) -> int:
    """ent_admin enters what came after its registration on the platform through the service, on the day
    after each grant (or filing); the older part of its portfolio was imported with everyone else's.
    """
    written = 0
    for values in assets:
        if IPAsset.objects.filter(kind=values["kind"], number=values["number"]).exists():
            continue
        day = (values["grant_date"] or values["filing_date"]) + timedelta(days=1)
        when = datetime.combine(day, time(10, 0), tzinfo=TZ)
        ip_services.ip_asset_add(actor=admin, enterprise=enterprise, data=values, now=when)
        written += 1
    return written


def load(*, plan: DemoPlan, users: dict, today: date, rng: random.Random) -> dict:
    """Write the portfolios that are not there yet; returns {"ip_assets": n, "ip_enterprises": n}."""
    now = timezone.make_aware(datetime.combine(today, time.min))
    planned = portfolios(plan, rng)
    ids = dict(Enterprise.objects.filter(uscc__in=planned).values_list("uscc", "pk"))
    existing = set(IPAsset.objects.values_list("kind", "number"))
    rows, written = [], 0
    for uscc, assets in planned.items():
        if uscc not in ids:
            continue
        if uscc == plan.showcase.uscc:
            recent = [a for a in assets if (a["grant_date"] or a["filing_date"]) >= SHOWCASE_REGISTERED_AT.date()]
            written += _showcase_tell(Enterprise.objects.get(pk=ids[uscc]), recent, users["ent_admin"])
            assets = [a for a in assets if a not in recent]
        rows += [_row(ids[uscc], a, now) for a in assets if (a["kind"], a["number"]) not in existing]
    IPAsset.objects.bulk_create(rows, batch_size=500)
    return {"ip_assets": len(rows) + written, "ip_enterprises": len(planned)}


def sample_workbook(*, town_usccs: list[str], other_town_uscc: str | None, today: date) -> bytes:
    """A sheet an officer of the town might receive: a title block, the header on row 3, eight good rows
    (full-width text, spaced codes, Excel serial dates, every date spelling) and three bad rows
    (a wrong check character, an enterprise of another town, an unreadable date), blank rows at the end.
    """
    a, b, c = (town_usccs * 3)[:3]
    serial = SAMPLE_SERIAL
    wb = Workbook()
    sheet = wb.active
    sheet.title = "知识产权"
    sheet.append(["浦江镇生物医药企业知识产权汇总表(示例)"])
    sheet.append([f"填报日期:{today.isoformat()}"])
    sheet.append(["统一社会信用代码", "类型", "号码", "名称", "状态", "申请日", "授权日", "商标类别", "共有权人"])

    def serial_date(d: date) -> int:
        return (d - date(1899, 12, 30)).days

    rows = [
        [a, "发明专利", "ZL" + _number(Kind.INVENTION, 2022, serial + 1), "一种检测人乳头瘤病毒的试剂盒及其应用",
         "已授权", "2022-04-11", "2024-08-20", None, None],
        [a, "实用新型", _number(Kind.UTILITY, 2024, serial + 2), "一种采样拭子保存管", "已授权",
         serial_date(date(2024, 3, 5)), serial_date(date(2024, 9, 27)), None, None],
        [b, "发明", _number(Kind.INVENTION, 2025, serial + 3), "抗TSLP单克隆抗体及其用途", "申请中", "2025/6/18",
         None, None, "复旦大学"],
        [b, "商标", "第６８８０００１２号", "示例品牌", "已注册", "2022年1月10日", "2023年2月14日", "５", None],
        [" ".join((c[:6], c[6:12], c[12:])), "软件著作权", "2024SR0880001", "样本追溯管理系统V1.0", "已登记", None,
         "2024.07.02", None, None],
        [c, "外观设计", _number(Kind.DESIGN, 2023, serial + 4), "便携式检测仪", "已授权", "20230315", "20230801",
         None, None],
        [c, "计算机软件著作权", "2025SR0880002", "检测报告自动生成系统V2.0", "已登记", None, "2025-03-09", None, None],
        [a, "实用新型", _number(Kind.UTILITY, 2023, serial + 5), "一种试剂瓶防倾倒托架", "已授权", "2023-02-01",
         "2023-07-19", None, None],
        # The bad rows: a wrong check character, an enterprise outside 浦江镇, an unreadable date.
        [b, "发明专利", _wrong_check(_number(Kind.INVENTION, 2024, serial + 6)), "一种双特异性抗体的纯化方法",
         "已授权", "2024-01-08", "2025-05-20", None, None],
        [other_town_uscc or "91310000000000000X", "商标", "68800013", "外镇品牌", "已注册", "2021-03-01",
         "2022-03-01", 10, None],
        [a, "发明专利", _number(Kind.INVENTION, 2024, serial + 7), "一种血糖仪及其控制方法", "已授权",
         "2024年13月1日", "2025-02-01", None, None],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    for _ in range(3):
        sheet.append([None] * 9)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sample_file_for_demo(*, today: date) -> bytes:
    """The sample sheet for the loaded demo: three 浦江镇 enterprises with portfolios, one of 莘庄镇."""
    with_ip = IPAsset.objects.filter(enterprise__town__code="pujiang", enterprise__is_demo=True).values("enterprise")
    town = list(Enterprise.objects.filter(pk__in=with_ip).order_by("uscc").values_list("uscc", flat=True)[:3])
    other = Enterprise.objects.filter(town__code="xinzhuang", is_demo=True).order_by("uscc").first()
    if not town:
        raise ValueError("load the demo first")
    return sample_workbook(town_usccs=town, other_town_uscc=other.uscc if other else None, today=today)
