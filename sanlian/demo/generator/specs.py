"""The demo plan: plain values describing every row the demo loads (no database, no clock)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

SEED = 20240520  # the day of the news report the demo reproduces
TZ = ZoneInfo("Asia/Shanghai")
YEARS = tuple(range(2019, 2025))
# 2023年营收达到54亿元: the approved 2023 revenue of Pujiang's biomedical enterprises, to the fen.
REVENUE_TARGET_YEAR = 2023
REVENUE_TARGET = Decimal("5400000000.00")
# USCC serials of demo rows (tests use 1,000,000+, the bench 5,000,000+).
SERIAL_BASE = 3_000_000
# When the platform went live with the registry imported (created_at of the bulk rows and accounts).
IMPORTED_AT = datetime(2024, 2, 20, 9, 0, tzinfo=TZ)


def _scaled(n: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(n * scale)) if n else 0


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind; the defaults reproduce FACTS.md."""

    pujiang_biomedical: int = 311  # fictional, founded by 2023; the three named ones come on top (314)
    pujiang_biomedical_new: int = 8  # founded in 2024
    other_biomedical: int = 347  # the rest of 闵行区, founded by 2023: 314 / 661 = 47.5 %
    other_biomedical_new: int = 6
    pujiang_other: int = 392  # non-biomedical enterprises of 浦江镇, founded by 2023
    pujiang_other_new: int = 8
    # 春申 key enterprises of 浦江镇: year → (total, biomedical); 2023 is the report's 154 / 47.
    key_enterprises: tuple[tuple[int, int, int], ...] = ((2022, 138, 41), (2023, 154, 47), (2024, 161, 52))
    other_key_share: float = 0.08  # key enterprises among the other towns' biomedical ones
    # 2024 reports of 浦江镇 that are not approved yet (the showcase enterprise adds one submitted).
    pujiang_submitted: int = 14
    pujiang_returned: int = 3
    pujiang_draft: int = 5
    other_submitted: int = 5
    other_draft: int = 3
    quality_biomedical: int = 30  # 浦江镇优质生物医药企业, 2024

    def scaled(self, scale: float) -> "Sizes":
        if scale == 1:
            return self
        s = scale
        return Sizes(
            pujiang_biomedical=_scaled(self.pujiang_biomedical, s, 2),
            pujiang_biomedical_new=_scaled(self.pujiang_biomedical_new, s),
            other_biomedical=_scaled(self.other_biomedical, s),
            other_biomedical_new=_scaled(self.other_biomedical_new, s),
            pujiang_other=_scaled(self.pujiang_other, s),
            pujiang_other_new=_scaled(self.pujiang_other_new, s),
            key_enterprises=tuple(
                (year, _scaled(total, s, 2), _scaled(bio, s)) for year, total, bio in self.key_enterprises
            ),
            other_key_share=self.other_key_share,
            pujiang_submitted=_scaled(self.pujiang_submitted, s),
            pujiang_returned=_scaled(self.pujiang_returned, s),
            pujiang_draft=_scaled(self.pujiang_draft, s),
            other_submitted=_scaled(self.other_submitted, s),
            other_draft=_scaled(self.other_draft, s),
            quality_biomedical=_scaled(self.quality_biomedical, s),
        )


@dataclass(frozen=True)
class ContactSpec:
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool


@dataclass
class EnterpriseSpec:
    serial: int
    uscc: str
    name: str
    name_en: str
    industry_code: str
    is_biomedical: bool
    cluster: str | None  # cluster code
    is_gene_related: bool
    chain_nodes: tuple[str, ...]
    town: str  # region code
    park: str | None  # park code
    founded_date: date | None
    registered_capital: Decimal | None
    legal_representative: str
    address: str
    business_scope: str
    description: str
    is_demo: bool
    contacts: tuple[ContactSpec, ...] = ()
    archetype: str = ""
    is_foreign: bool = False
    showcase: bool = False

    def exists_in(self, year: int) -> bool:
        return self.founded_date is None or self.founded_date.year <= year

    @property
    def registered_at(self) -> datetime:
        """When the enterprise entered the platform: at go-live, or a week after it was founded."""
        if self.founded_date is None:
            return IMPORTED_AT
        return max(IMPORTED_AT, datetime.combine(self.founded_date + timedelta(days=7), time(10), tzinfo=TZ))


@dataclass(frozen=True)
class ReportSpec:
    uscc: str
    year: int
    revenue: Decimal
    tax: Decimal
    rd_spend: Decimal
    employees: int
    rd_staff: int
    patents_invention: int
    patents_utility: int
    patents_design: int
    status: str  # AnnualReport.Status value
    review_comment: str = ""
    submitted_at: datetime | None = None
    reviewed_at: datetime | None = None
    reviewer_town: str | None = None  # the town whose demo officer reviewed it, if any
    via_story: bool = False  # written through the services by the demo story instead

    def data(self) -> dict:
        """The fields an enterprise fills in (what `annual_report_save` takes)."""
        return {
            "revenue": self.revenue,
            "tax": self.tax,
            "rd_spend": self.rd_spend,
            "employees": self.employees,
            "rd_staff": self.rd_staff,
            "patents_invention": self.patents_invention,
            "patents_utility": self.patents_utility,
            "patents_design": self.patents_design,
        }


@dataclass(frozen=True)
class CertificationSpec:
    uscc: str
    type: str  # certification type code
    issuer: str  # "" = the type's default issuer
    number: str
    year: int | None
    valid_from_date: date | None
    valid_until_date: date | None
    source_document: str = ""


@dataclass
class DemoPlan:
    seed: int
    scale: float
    sizes: Sizes
    enterprises: list[EnterpriseSpec] = field(default_factory=list)
    reports: list[ReportSpec] = field(default_factory=list)
    certifications: list[CertificationSpec] = field(default_factory=list)

    @property
    def showcase(self) -> EnterpriseSpec:
        return next(e for e in self.enterprises if e.showcase)

    def reports_of(self, uscc: str) -> list[ReportSpec]:
        return [r for r in self.reports if r.uscc == uscc]
