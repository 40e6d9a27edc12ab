"""Annual reports and certifications of the fictional enterprises.

Revenues are heavy-tailed (lognormal) and grow year on year; Pujiang's biomedical revenues are then
scaled by one factor so that their approved 2023 total is exactly the reported 5.4 billion yuan, and
every other figure (tax, R&D, staff, patents) follows from the scaled revenue. Money is whole yuan as
Decimal; floats only ever describe distributions.
"""

import math
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from . import vocab
from .enterprises import archetype_of
from .specs import (
    REVENUE_TARGET,
    REVENUE_TARGET_YEAR,
    TZ,
    YEARS,
    CertificationSpec,
    EnterpriseSpec,
    ReportSpec,
    Sizes,
)

APPROVED, SUBMITTED, RETURNED, DRAFT = "approved", "submitted", "returned", "draft"
COVID_BOOST = {2020: 1.25, 2021: 1.35, 2022: 1.4}
STORY_YEARS = (2023, 2024)  # the showcase enterprise files these through the services
EXCHANGES = ("上海证券交易所", "深圳证券交易所", "香港联合交易所")
QUALITY_BIOMED_DATE = date(2024, 5, 20)
QUALITY_BIOMED_SOURCE = "浦江镇人才赋能生物医药产业发展主题活动(2024-05-20)"


def yuan(amount: float) -> Decimal:
    return Decimal(max(0, round(amount))).quantize(Decimal("0.01"))


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def moment(rng: random.Random, year: int, months: tuple[int, int], days: tuple[int, int] = (1, 28)) -> datetime:
    return datetime(year, rng.randint(*months), rng.randint(*days), rng.randint(9, 17), rng.randint(0, 59), tzinfo=TZ)


def raw_revenues(seed: int, e: EnterpriseSpec) -> dict[int, float]:
    """Unscaled revenue per year of the enterprise's life within YEARS."""
    rng = random.Random(f"{seed}:revenue:{e.serial}")
    archetype = archetype_of(e.cluster, e.archetype)
    start = e.founded_date.year
    young = start >= 2019
    median = 4_000_000 if e.is_biomedical else 6_000_000
    base = rng.lognormvariate(math.log(median), 1.5 if e.is_biomedical else 1.3)
    if start == 2024:
        base = rng.lognormvariate(math.log(800_000), 1.0)
        growth = 0.0
    elif young:
        base *= rng.uniform(0.15, 0.4)
        growth = min(1.2, max(0.0, rng.gauss(0.35, 0.2)))
    else:
        growth = min(0.45, max(-0.15, rng.gauss(0.09, 0.1)))
    if e.showcase:  # a mid-sized firm, so its profile and reports look like a typical key enterprise
        base, growth = 45_000_000.0, 0.12
    anchor = 2024 if start == 2024 else REVENUE_TARGET_YEAR
    result = {}
    for year in YEARS:
        if year < start:
            continue
        amount = base * (1 + growth) ** (year - anchor) * rng.lognormvariate(0, 0.07)
        if archetype.covid_boost:
            amount *= COVID_BOOST.get(year, 1.0)
        if year == start:  # a part year
            amount *= max(0.05, (date(year, 12, 31) - e.founded_date).days / 365)
        result[year] = max(50_000.0, amount)
    return result


def calibrated_revenues(seed: int, enterprises: list[EnterpriseSpec]) -> dict[str, dict[int, Decimal]]:
    """Whole-yuan revenues; Pujiang's biomedical 2023 total is exactly REVENUE_TARGET."""
    raw = {e.uscc: raw_revenues(seed, e) for e in enterprises if e.is_demo}
    pujiang = [e.uscc for e in enterprises if e.is_demo and e.is_biomedical and e.town == "pujiang"]
    total = sum(raw[u].get(REVENUE_TARGET_YEAR, 0.0) for u in pujiang)
    factor = float(REVENUE_TARGET) / total if total else 1.0
    calibrated = {
        uscc: {year: yuan(amount * (factor if uscc in pujiang else 1.0)) for year, amount in years.items()}
        for uscc, years in raw.items()
    }
    with_target = [u for u in pujiang if REVENUE_TARGET_YEAR in calibrated[u]]
    if with_target:
        # Rounding leaves a few yuan over or under: the largest report absorbs them.
        residual = REVENUE_TARGET - sum(calibrated[u][REVENUE_TARGET_YEAR] for u in with_target)
        largest = max(with_target, key=lambda u: (calibrated[u][REVENUE_TARGET_YEAR], u))
        calibrated[largest][REVENUE_TARGET_YEAR] += residual
    return calibrated


def report_statuses(seed: int, enterprises: list[EnterpriseSpec], sizes: Sizes) -> dict[str, str]:
    """The 2024 reports that are not approved yet: uscc → status."""
    rng = random.Random(f"{seed}:statuses")
    pujiang = [e.uscc for e in enterprises if e.is_demo and not e.showcase and e.town == "pujiang"]
    elsewhere = [e.uscc for e in enterprises if e.is_demo and e.town != "pujiang"]
    statuses = {}
    picked = rng.sample(pujiang, sizes.pujiang_submitted + sizes.pujiang_returned + sizes.pujiang_draft)
    for uscc, status in zip(
        picked,
        [SUBMITTED] * sizes.pujiang_submitted + [RETURNED] * sizes.pujiang_returned + [DRAFT] * sizes.pujiang_draft,
        strict=True,
    ):
        statuses[uscc] = status
    # 莘庄镇 (the other demo town officer) always gets some of the pending ones.
    xinzhuang = [e.uscc for e in enterprises if e.is_demo and e.town == "xinzhuang"]
    first = rng.sample(xinzhuang, min(2, len(xinzhuang), sizes.other_submitted))
    rest = rng.sample([u for u in elsewhere if u not in first], sizes.other_submitted - len(first) + sizes.other_draft)
    for uscc in first + rest[: sizes.other_submitted - len(first)]:
        statuses[uscc] = SUBMITTED
    for uscc in rest[sizes.other_submitted - len(first) :]:
        statuses[uscc] = DRAFT
    return statuses


def build_reports(
    seed: int, enterprises: list[EnterpriseSpec], sizes: Sizes, revenues: dict[str, dict[int, Decimal]]
) -> list[ReportSpec]:
    statuses = report_statuses(seed, enterprises, sizes)
    reports = []
    for e in enterprises:
        if not e.is_demo:
            continue
        rng = random.Random(f"{seed}:figures:{e.serial}")
        archetype = archetype_of(e.cluster, e.archetype)
        young = e.founded_date.year >= 2019
        tax_rate = rng.uniform(0.025, 0.08)
        rd_ratio = min(2.5, rng.lognormvariate(math.log(archetype.rd_intensity), 0.45) * (1.8 if young else 1.0))
        per_employee = rng.lognormvariate(math.log(archetype.revenue_per_employee), 0.35)
        min_staff = rng.randint(12, 50) if young and archetype.rd_intensity >= 0.25 else rng.randint(3, 10)
        staff_share = min(0.8, max(0.02, rng.lognormvariate(math.log(0.08 + archetype.rd_intensity * 0.8), 0.3)))
        k_invention = 0.05 if e.is_biomedical else 0.03
        k_utility = 0.12 if e.cluster == "devices" else (0.03 if e.is_biomedical else 0.08)
        design_rate = 0.2 if e.cluster == "devices" else 0.03
        patents = None
        for year, revenue in sorted(revenues[e.uscc].items()):
            employees = min(8000, max(min_staff, round(float(revenue) / per_employee)))
            rd_staff = min(employees, max(1, round(employees * staff_share)))
            if patents is None:  # holdings built up before the first reported year
                years_before = max(0, year - e.founded_date.year)
                patents = [
                    poisson(rng, years_before * rd_staff * k_invention * 0.6),
                    poisson(rng, years_before * rd_staff * k_utility * 0.6),
                    poisson(rng, years_before * design_rate),
                ]
            patents = [
                patents[0] + poisson(rng, rd_staff * k_invention),
                patents[1] + poisson(rng, rd_staff * k_utility),
                patents[2] + poisson(rng, design_rate),
            ]
            status = statuses.get(e.uscc, APPROVED) if year == 2024 else APPROVED
            comment, submitted_at, reviewed_at, reviewer = "", None, None, None
            if year < 2024:
                submitted_at = moment(rng, year + 1, (2, 4))
                reviewed_at = submitted_at + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 6))
            elif status == APPROVED:
                submitted_at = moment(rng, 2025, (2, 3))
                reviewed_at = submitted_at + timedelta(days=rng.randint(2, 15), hours=rng.randint(0, 6))
            elif status == SUBMITTED:
                submitted_at = moment(rng, 2025, (4, 5), (1, 15))
            elif status == RETURNED:
                submitted_at = moment(rng, 2025, (4, 4), (1, 20))
                reviewed_at = submitted_at + timedelta(days=rng.randint(3, 8), hours=rng.randint(0, 6))
                comment = rng.choice(vocab.REVIEW_COMMENTS)
            if year == 2024 and reviewed_at is not None:
                reviewer = e.town
            reports.append(
                ReportSpec(
                    uscc=e.uscc,
                    year=year,
                    revenue=revenue,
                    tax=yuan(float(revenue) * tax_rate * rng.lognormvariate(0, 0.1)),
                    rd_spend=yuan(float(revenue) * rd_ratio * rng.lognormvariate(0, 0.08)),
                    employees=employees,
                    rd_staff=rd_staff,
                    patents_invention=patents[0],
                    patents_utility=patents[1],
                    patents_design=patents[2],
                    status=SUBMITTED if e.showcase and year == 2024 else status,
                    review_comment=comment,
                    submitted_at=submitted_at,
                    reviewed_at=reviewed_at,
                    reviewer_town=reviewer,
                    via_story=e.showcase and year in STORY_YEARS,
                )
            )
    return reports


def _top(rng: random.Random, candidates: list[EnterpriseSpec], n: int, revenue_of, noise: float = 1.2):
    """The n candidates with the best revenue-plus-luck score (larger firms are likelier)."""
    scored = sorted(
        candidates, key=lambda e: (math.log(float(revenue_of(e)) + 1) + rng.gauss(0, noise), e.serial), reverse=True
    )
    return scored[:n]


def build_certifications(
    seed: int, enterprises: list[EnterpriseSpec], sizes: Sizes, revenues: dict[str, dict[int, Decimal]]
) -> list[CertificationSpec]:
    rng = random.Random(f"{seed}:certifications")
    fictional = [e for e in enterprises if e.is_demo]
    certs: list[CertificationSpec] = []

    def revenue_in(year):
        return lambda e: revenues[e.uscc].get(year) or revenues[e.uscc].get(year + 1) or Decimal(0)

    # 春申 key enterprises, per year: exact counts in 浦江镇, a share elsewhere.
    for year, total, biomedical in sizes.key_enterprises:
        existing = [e for e in fictional if e.exists_in(year)]
        bio = [e for e in existing if e.town == "pujiang" and e.is_biomedical and not e.showcase]
        other = [e for e in existing if e.town == "pujiang" and not e.is_biomedical]
        elsewhere = [e for e in existing if e.town != "pujiang"]
        showcase = [e for e in existing if e.showcase]
        chosen = (
            showcase
            + _top(rng, bio, biomedical - len(showcase), revenue_in(year))
            + _top(rng, other, total - biomedical, revenue_in(year))
            + _top(rng, elsewhere, round(len(elsewhere) * sizes.other_key_share), revenue_in(year))
        )
        for n, e in enumerate(sorted(chosen, key=lambda e: e.serial), start=1):
            certs.append(
                CertificationSpec(
                    e.uscc, "chunshen-key", "", f"MHCS-{year}-{n:04d}", year, date(year, 7, 1), date(year + 1, 6, 30)
                )
            )

    # 高新技术企业 (three-year certificates, renewed), 专精特新, 科技小巨人.
    serials: dict[tuple[str, int], int] = {}

    def number(prefix: str, year: int, width: int) -> str:
        serials[prefix, year] = serials.get((prefix, year), 0) + 1
        return f"{prefix}{year}{'31' if prefix == 'GR' else '-'}{serials[prefix, year]:0{width}d}"

    for e in fictional:
        start = e.founded_date.year
        rd_heavy = archetype_of(e.cluster, e.archetype).rd_intensity >= 0.08
        if start <= 2021 and rng.random() < (0.5 if rd_heavy else 0.25):
            first = rng.randint(max(start + 1, 2013), 2023)
            for year in range(first, 2025, 3):
                if year < 2016:
                    continue
                issued = date(year, rng.choice((11, 12)), rng.randint(1, 28))
                certs.append(
                    CertificationSpec(
                        e.uscc,
                        "hnte",
                        "",
                        number("GR", year, 5),
                        year,
                        issued,
                        issued.replace(year=year + 3) - timedelta(days=1),
                    )
                )
        if start <= 2021 and rng.random() < (0.16 if e.is_biomedical else 0.1):
            year = rng.randint(max(start + 2, 2019), 2024)
            issued = date(year, rng.choice((6, 9, 12)), rng.randint(1, 28))
            certs.append(
                CertificationSpec(
                    e.uscc,
                    "srdi",
                    "",
                    number("ZJTX", year, 4),
                    year,
                    issued,
                    issued.replace(year=year + 3) - timedelta(days=1),
                )
            )
        if start <= 2020 and rd_heavy and rng.random() < 0.08:
            year = rng.randint(max(start + 3, 2018), 2024)
            issued = date(year, rng.choice((5, 10)), rng.randint(1, 28))
            certs.append(
                CertificationSpec(
                    e.uscc,
                    "little-giant",
                    "",
                    number("XJR", year, 3),
                    year,
                    issued,
                    issued.replace(year=year + 3) - timedelta(days=1),
                )
            )
        if e.is_foreign:
            certs.append(CertificationSpec(e.uscc, "foreign", "", "", None, e.founded_date, None))

    # 浦江镇优质生物医药企业, issued at the 2024-05-20 event.
    bio_2023 = [e for e in fictional if e.town == "pujiang" and e.is_biomedical and e.exists_in(2023)]
    showcase = [e for e in bio_2023 if e.showcase]
    quality = showcase + _top(
        rng, [e for e in bio_2023 if not e.showcase], sizes.quality_biomedical - len(showcase), revenue_in(2023), 0.8
    )
    for n, e in enumerate(sorted(quality, key=lambda e: e.serial), start=1):
        certs.append(
            CertificationSpec(
                e.uscc,
                "quality-biomed",
                "",
                f"PJYZ-2024-{n:03d}",
                2024,
                QUALITY_BIOMED_DATE,
                date(2027, 5, 19),
                QUALITY_BIOMED_SOURCE,
            )
        )

    # 上市: the largest, older, domestically owned ones.
    def listable(group):
        return [e for e in group if not e.is_foreign and not e.showcase and e.founded_date.year <= 2012]

    listed = (
        _top(rng, listable(bio_2023), max(1, round(sizes.quality_biomedical / 5)), revenue_in(2023), 0.3)
        + _top(rng, listable([e for e in fictional if e.town != "pujiang"]), 3, revenue_in(2023), 0.3)
        + _top(rng, listable([e for e in fictional if not e.is_biomedical]), 2, revenue_in(2023), 0.3)
    )
    for e in listed:
        year = rng.randint(max(e.founded_date.year + 6, 2010), 2023)
        issued = date(year, rng.randint(1, 12), rng.randint(1, 28))
        certs.append(CertificationSpec(e.uscc, "listed", rng.choice(EXCHANGES), "", None, issued, None))
        e.name = e.name.replace("有限公司", "股份有限公司")
    return certs
