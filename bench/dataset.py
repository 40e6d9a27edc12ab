"""A deterministic synthetic registry of 闵行区: enterprises, annual reports, certifications, chain nodes.

Every table has its own seeded random stream, so a given (size, seed) always yields the same rows.
On PostgreSQL rows are streamed with COPY (several times faster than INSERT); elsewhere they go
through `bulk_create` in batches. Values are model-level (money in yuan as Decimal) and are converted
by the model fields themselves, so MoneyField stores fen and encrypted fields are encrypted.

A row in `bench_dataset` (a table of the bench, outside Django's migrations) records what was loaded,
so a rerun with the same size and seed skips the load.
"""

import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial
from itertools import islice

from django.db import connection, models, transaction
from django.db.models import Max

from bench.env import DEFAULT_SEED, DEFAULT_SIZE
from sanlian.core.models import User
from sanlian.core.validators import uscc_from_serial
from sanlian.enterprises import services
from sanlian.enterprises.models import (
    AnnualReport,
    Certification,
    CertificationType,
    ChainNode,
    Cluster,
    Contact,
    Enterprise,
    Park,
    Region,
)

GENERATOR_VERSION = 2
YEARS = tuple(range(2019, 2025))
DISTRICT = "minhang"
LARGE_TOWN = "pujiang"
LARGE_TOWN_SHARE = 0.30
BIOMEDICAL_SHARE = 0.40
SERIAL_BASE = 5_000_000  # USCC serials of bench rows; the demo and tests use lower ones
BATCH = 5_000
MARKER_TABLE = "bench_dataset"
EPOCH = datetime(2024, 6, 1, tzinfo=UTC)

# (Chinese, pinyin) name cores; names are 上海 + two cores + a trade word + 有限公司.
CORES = [
    ("华瑞", "Huarui"),
    ("康泰", "Kangtai"),
    ("恒生", "Hengsheng"),
    ("金桥", "Jinqiao"),
    ("瑞宁", "Ruining"),
    ("博德", "Bode"),
    ("天元", "Tianyuan"),
    ("中科", "Zhongke"),
    ("海普", "Haipu"),
    ("联科", "Lianke"),
    ("君信", "Junxin"),
    ("复宏", "Fuhong"),
    ("浦源", "Puyuan"),
    ("申江", "Shenjiang"),
    ("星辰", "Xingchen"),
    ("安诺", "Annuo"),
    ("睿智", "Ruizhi"),
    ("百诚", "Baicheng"),
    ("明德", "Mingde"),
    ("新华", "Xinhua"),
    ("宏达", "Hongda"),
    ("嘉和", "Jiahe"),
    ("景泽", "Jingze"),
    ("悦康", "Yuekang"),
    ("汇众", "Huizhong"),
    ("益诺", "Yinuo"),
    ("臻远", "Zhenyuan"),
    ("卓越", "Zhuoyue"),
    ("鼎信", "Dingxin"),
    ("和元", "Heyuan"),
    ("凯莱", "Kailai"),
    ("启明", "Qiming"),
]
# (word, English, cluster code, industry codes, chain nodes to draw from)
BIOMEDICAL_TRADES = [
    ("生物科技", "Biotech", "pharma-bio", ["2761", "2762"], ["U2", "M3", "U5", "M1"]),
    ("生物医药", "Biopharma", "pharma-bio", ["2710", "2761"], ["M2", "M3", "M1", "U1"]),
    ("生物技术", "Biotechnology", "pharma-bio", ["2761", "7340"], ["U2", "M3", "M6"]),
    ("医疗器械", "Medical Devices", "devices", ["3581", "3584", "3589"], ["M5", "U4", "S5"]),
    ("医疗科技", "Medical Technology", "devices", ["3581", "3586"], ["M5", "U4", "U3"]),
    ("生物医疗", "Biomedical", "devices", ["3581", "3586"], ["M5", "U4"]),
    ("生物材料", "Biomaterials", "devices", ["3585", "2665"], ["U4", "M5", "U1"]),
    ("诊断技术", "Diagnostics", "devices", ["2770", "3589"], ["M5", "M6", "D2"]),
    ("医药科技", "Pharmaceutical Technology", "pharma-bio", ["2720", "2730"], ["M2", "M4", "U1"]),
    ("基因科技", "Genomics", "pharma-bio", ["7340", "2761"], ["M6", "M3", "U2"]),
    ("健康管理", "Health Management", "health-services", ["8411", "8421"], ["D2", "D3", "D4"]),
    ("医学检验", "Medical Laboratory", "health-services", ["8491", "7450"], ["D2", "S5"]),
]
OTHER_TRADES = [
    ("电子科技", "Electronics", ["3990", "3974"]),
    ("机械制造", "Machinery", ["3311", "3490"]),
    ("新材料", "New Materials", ["2651", "3039"]),
    ("信息技术", "Information Technology", ["6510", "6520"]),
    ("贸易", "Trading", ["5191", "5199"]),
    ("物流", "Logistics", ["5810", "5990"]),
    ("智能装备", "Intelligent Equipment", ["3491", "3499"]),
    ("环保科技", "Environmental Technology", ["7723", "4620"]),
    ("汽车零部件", "Auto Parts", ["3670"]),
    ("商务咨询", "Business Consulting", ["7243", "7249"]),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌辉鹏宇浩然欣怡子轩梓涵思远"
ROADS = ["沈杜公路", "江月路", "联航路", "新骏环路", "浦锦路", "陈行公路", "浦星公路", "召楼路", "恒南路", "万芳路"]
PARK_SHARES = {"lingang-pujiang": 0.40, "caohejing-pujiang": 0.20}  # of the large town's enterprises


@dataclass(frozen=True)
class LoadReport:
    size: int
    seed: int
    loaded: bool  # False when the existing data set was kept
    seconds: float  # of this load, or of the recorded one when kept
    counts: dict[str, int]


@dataclass(frozen=True)
class _Ent:
    """What the child tables need to know of an enterprise."""

    id: int
    serial: int
    founded_year: int | None
    biomedical: bool
    nodes: tuple[str, ...]
    large_town: bool
    scale: float


@dataclass(frozen=True)
class _Reference:
    """Reference rows read before any COPY starts (no query may run while a COPY is open)."""

    towns: list[Region]
    clusters: dict[str, int]
    parks: dict[str, int]
    certification_types: dict[str, CertificationType]
    chain_nodes: dict[str, int]

    @classmethod
    def load(cls) -> "_Reference":
        towns = list(
            Region.objects.filter(parent__code=DISTRICT, level__in=[Region.Level.TOWN, Region.Level.STREET]).order_by(
                "path"
            )
        )
        if not any(t.code == LARGE_TOWN for t in towns):
            raise RuntimeError("reference data missing: run migrations first")
        return cls(
            towns=towns,
            clusters={c.code: c.pk for c in Cluster.objects.all()},
            parks={p.code: p.pk for p in Park.objects.all()},
            certification_types={t.code: t for t in CertificationType.objects.all()},
            chain_nodes={n.code: n.pk for n in ChainNode.objects.all()},
        )


# -- writing -------------------------------------------------------------------------------------

# Field classes whose Python values the database driver takes as they are; any other field class
# (MoneyField, encrypted fields …) converts its values with get_db_prep_save.
_PLAIN_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.CharField,
        models.TextField,
        models.SlugField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.BigIntegerField,
        models.BooleanField,
        models.DateField,
        models.DateTimeField,
        models.ForeignKey,
    }
)


def _use_copy() -> bool:
    return connection.vendor == "postgresql"


def write_rows(model: type[models.Model], names: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """Insert rows (tuples of model-level values of the fields `names`, by attname); return the count."""
    fields = [model._meta.get_field(name) for name in names]
    if not _use_copy():
        count = 0
        iterator = iter(rows)
        while batch := list(islice(iterator, BATCH)):
            model.objects.bulk_create([model(**dict(zip(names, row, strict=True))) for row in batch])
            count += len(batch)
        return count
    preps: list[Callable | None] = [
        None if type(f) in _PLAIN_FIELDS else partial(f.get_db_prep_save, connection=connection) for f in fields
    ]
    needs_prep = any(preps)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    count = 0
    # The rows are produced lazily inside the COPY: producing them must not query the database.
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            if needs_prep:
                row = tuple(v if p is None else p(v) for p, v in zip(preps, row, strict=True))
            copy.write_row(row)
            count += 1
    return count


def _reset_sequences(*model_classes) -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# -- the marker ----------------------------------------------------------------------------------


def _ensure_marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} ("
            "size integer NOT NULL, seed bigint NOT NULL, version integer NOT NULL, "
            "seconds double precision NOT NULL, loaded_at varchar(40) NOT NULL)"
        )


def recorded_dataset() -> dict | None:
    _ensure_marker_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size, seed, version, seconds, loaded_at FROM {MARKER_TABLE}")
        row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip(("size", "seed", "version", "seconds", "loaded_at"), row, strict=True))


def _record_dataset(size: int, seed: int, seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (size, seed, version, seconds, loaded_at) VALUES (%s, %s, %s, %s, %s)",
            [size, seed, GENERATOR_VERSION, seconds, datetime.now(UTC).isoformat(timespec="seconds")],
        )


def counts() -> dict[str, int]:
    return {
        "enterprises": Enterprise.objects.count(),
        "annual_reports": AnnualReport.objects.count(),
        "certifications": Certification.objects.count(),
        "chain_node_links": Enterprise.chain_nodes.through.objects.count(),
        "contacts": Contact.objects.count(),
    }


def wipe() -> None:
    """Remove the registry rows (and, through the foreign keys, users attached to enterprises)."""
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            # Inside a transaction (a test), rows just inserted leave deferred foreign-key checks pending,
            # and TRUNCATE refuses to run until they have fired.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {quote(Enterprise._meta.db_table)} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    AnnualReport.objects.all().delete()
    Certification.objects.all().delete()
    Contact.objects.all().delete()
    Enterprise.chain_nodes.through.objects.all().delete()
    User.objects.filter(enterprise__isnull=False).delete()
    Enterprise.objects.all().delete()


# -- generation ----------------------------------------------------------------------------------


def _town_weights(towns: list[Region]) -> list[float]:
    """The large town takes LARGE_TOWN_SHARE; the others share the rest, tapering by their order."""
    others = [t for t in towns if t.code != LARGE_TOWN]
    raw = [1.0 / (1 + 0.12 * i) for i in range(len(others))]
    scale = (1 - LARGE_TOWN_SHARE) / sum(raw)
    weights = dict(zip((t.code for t in others), (r * scale for r in raw), strict=True))
    weights[LARGE_TOWN] = LARGE_TOWN_SHARE
    return [weights[t.code] for t in towns]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


ENTERPRISE_FIELDS = (
    "id",
    "name",
    "name_en",
    "uscc",
    "uscc_override_reason",
    "industry_code",
    "is_biomedical",
    "cluster_id",
    "is_gene_related",
    "town_id",
    "park_id",
    "founded_date",
    "registered_capital",
    "legal_representative",
    "address",
    "business_scope",
    "description",
    "is_demo",
    "created_at",
    "updated_at",
)


def _enterprises(
    ref: _Reference, seed: int, size: int, first_id: int, first_serial: int, meta: list[_Ent]
) -> Iterator[tuple]:
    rng = random.Random(f"{seed}:enterprises")
    towns, clusters, parks = ref.towns, ref.clusters, ref.parks
    weights = _town_weights(towns)
    park_codes = list(PARK_SHARES)
    park_weights = [*PARK_SHARES.values(), 1 - sum(PARK_SHARES.values())]
    capitals = [Decimal(n * 10_000) for n in (50, 100, 200, 500, 1000, 2000, 5000, 10000)]
    for i in range(size):
        pk, serial = first_id + i, first_serial + i
        town = rng.choices(towns, weights)[0]
        large = town.code == LARGE_TOWN
        # The large town is the biomedical hub: a higher share there.
        biomedical = rng.random() < (BIOMEDICAL_SHARE * 1.5 if large else BIOMEDICAL_SHARE * 0.8)
        c1, c2 = rng.sample(CORES, 2)
        if biomedical:
            word, word_en, cluster, industries, node_pool = rng.choice(BIOMEDICAL_TRADES)
            nodes = tuple(sorted(rng.sample(node_pool, rng.randint(1, min(3, len(node_pool))))))
            cluster_id = clusters.get(cluster)
            scope = f"{word}领域内的技术开发、技术咨询、技术服务;医疗器械经营;货物进出口。"
        else:
            word, word_en, industries = rng.choice(OTHER_TRADES)
            nodes = ("S4",) if rng.random() < 0.02 else ()
            cluster_id = None
            scope = f"{word}相关的技术开发与销售;货物进出口。"
        park_code = rng.choices([*park_codes, None], park_weights)[0] if large else None
        founded = None if rng.random() < 0.05 else _random_date(rng, date(1990, 1, 1), date(2024, 12, 31))
        created = EPOCH + timedelta(seconds=i)
        meta.append(
            _Ent(
                id=pk,
                serial=serial,
                founded_year=founded.year if founded else None,
                biomedical=biomedical,
                nodes=nodes,
                large_town=large,
                scale=rng.lognormvariate(16.5, 1.3),  # 2019 revenue in yuan; median ≈ 14.7 million
            )
        )
        yield (
            pk,
            f"上海{c1[0]}{c2[0]}{word}有限公司",
            f"Shanghai {c1[1]}{c2[1].lower()} {word_en} Co., Ltd.",
            uscc_from_serial(serial),
            "",
            rng.choice(industries),
            biomedical,
            cluster_id,
            biomedical and rng.random() < 0.08,
            town.pk,
            parks.get(park_code) if park_code else None,
            founded,
            rng.choice(capitals),
            _person(rng),
            f"上海市闵行区{town.name}{rng.choice(ROADS)}{rng.randint(1, 3000)}号",
            scope,
            "",
            False,
            created,
            created,
        )


# The figures in the order of the registry's own report fields, then the review columns.
REPORT_FIELDS = (
    "enterprise_id",
    "year",
    *services.REPORT_FIELDS,
    "status",
    "review_comment",
    "submitted_at",
    "reviewed_at",
)
_STATUSES_LAST_YEAR = (
    [AnnualReport.Status.APPROVED, AnnualReport.Status.SUBMITTED, AnnualReport.Status.DRAFT],
    [0.6, 0.25, 0.15],
)
_STATUSES_EARLIER = (
    [AnnualReport.Status.APPROVED, AnnualReport.Status.RETURNED, AnnualReport.Status.SUBMITTED],
    [0.95, 0.02, 0.03],
)


def _reports(seed: int, meta: list[_Ent]) -> Iterator[tuple]:
    rng = random.Random(f"{seed}:reports")
    last = YEARS[-1]
    for ent in meta:
        revenue = ent.scale
        for year in YEARS:
            revenue *= max(0.3, 1 + rng.gauss(0.08, 0.15))
            if ent.founded_year is not None and ent.founded_year > year:
                continue
            statuses, weights = _STATUSES_LAST_YEAR if year == last else _STATUSES_EARLIER
            status = rng.choices(statuses, weights)[0]
            rd_share = rng.uniform(0.05, 0.2) if ent.biomedical else rng.uniform(0.01, 0.06)
            employees = max(3, int(revenue / rng.uniform(400_000, 1_500_000)))
            submitted = datetime(year + 1, rng.randint(3, 5), rng.randint(1, 28), 10, tzinfo=UTC)
            reviewed = status in (AnnualReport.Status.APPROVED, AnnualReport.Status.RETURNED)
            yield (
                ent.id,
                year,
                Decimal(int(revenue)),
                Decimal(int(revenue * rng.uniform(0.02, 0.08))),
                Decimal(int(revenue * rd_share)),
                employees,
                int(employees * rng.uniform(0.05, 0.4)),
                rng.randint(0, 8) if ent.biomedical else rng.randint(0, 2),
                rng.randint(0, 12),
                rng.randint(0, 3),
                status,
                "请补充研发人员明细。" if status == AnnualReport.Status.RETURNED else "",
                None if status == AnnualReport.Status.DRAFT else submitted,
                submitted + timedelta(days=rng.randint(3, 30)) if reviewed else None,
            )


CERTIFICATION_FIELDS = (
    "enterprise_id",
    "type_id",
    "issuer",
    "number",
    "year",
    "valid_from_date",
    "valid_until_date",
    "source_document",
)
# Certifications held for a span of years: (type code, share of biomedical, share of others, years valid)
_SPAN_CERTS = [
    ("hnte", 0.35, 0.15, 3),
    ("srdi", 0.12, 0.06, 3),
    ("little-giant", 0.04, 0.01, 3),
    ("foreign", 0.06, 0.05, None),
    ("listed", 0.01, 0.004, None),
]
# Certifications awarded per year: (type code, share of biomedical, share of others, large town only)
_YEARLY_CERTS = [
    ("chunshen-key", 0.05, 0.02, False),
    ("quality-biomed", 0.12, 0.0, True),
]


def _certifications(ref: _Reference, seed: int, meta: list[_Ent]) -> Iterator[tuple]:
    rng = random.Random(f"{seed}:certifications")
    types = ref.certification_types
    for ent in meta:
        first_year = max(ent.founded_year or YEARS[0], 2010)
        for code, bio_share, other_share, span in _SPAN_CERTS:
            if code not in types or rng.random() >= (bio_share if ent.biomedical else other_share):
                continue
            start = _random_date(rng, date(min(first_year, YEARS[-1]), 1, 1), date(YEARS[-1], 12, 31))
            until = date(start.year + span, start.month, min(start.day, 28)) if span else None
            yield (
                ent.id,
                types[code].pk,
                types[code].default_issuer,
                f"{code.upper()[:2]}{start.year}{ent.serial:08d}",
                start.year,
                start,
                until,
                "",
            )
        for code, bio_share, other_share, large_only in _YEARLY_CERTS:
            if code not in types or (large_only and not ent.large_town):
                continue
            share = bio_share if ent.biomedical else other_share
            for year in YEARS:
                if (ent.founded_year is None or ent.founded_year <= year) and rng.random() < share:
                    yield (
                        ent.id,
                        types[code].pk,
                        types[code].default_issuer,
                        f"{code.upper()[:2]}{year}{ent.serial:08d}",
                        year,
                        None,
                        None,
                        f"{year}年度认定名单",
                    )


def _chain_links(ref: _Reference, meta: list[_Ent]) -> Iterator[tuple]:
    nodes = ref.chain_nodes
    for ent in meta:
        for code in ent.nodes:
            if code in nodes:
                yield (ent.id, nodes[code])


CONTACT_FIELDS = ("enterprise_id", "name", "title", "phone", "email", "is_primary")


def _contacts(seed: int, meta: list[_Ent]) -> Iterator[tuple]:
    """One primary contact for every fourth enterprise (phone and e-mail are encrypted at rest)."""
    rng = random.Random(f"{seed}:contacts")
    for ent in meta:
        if ent.serial % 4 == 0:
            yield (
                ent.id,
                _person(rng),
                rng.choice(["总经理", "董事长", "行政经理", "财务总监"]),
                f"139{ent.serial % 100_000_000:08d}",
                f"contact{ent.serial}@example.cn",
                True,
            )


def generate(size: int, seed: int = DEFAULT_SEED, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Insert `size` enterprises and their children in one transaction; return the row counts written."""
    say = progress or (lambda message: None)
    first_id = (Enterprise.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    ref = _Reference.load()
    meta: list[_Ent] = []
    written = {}
    with transaction.atomic():
        t = time.perf_counter()
        written["enterprises"] = write_rows(
            Enterprise, ENTERPRISE_FIELDS, _enterprises(ref, seed, size, first_id, SERIAL_BASE + first_id, meta)
        )
        _reset_sequences(Enterprise)
        say(f"enterprises: {written['enterprises']} rows in {time.perf_counter() - t:.1f} s")
        steps = [
            ("annual_reports", AnnualReport, REPORT_FIELDS, _reports(seed, meta)),
            ("certifications", Certification, CERTIFICATION_FIELDS, _certifications(ref, seed, meta)),
            (
                "chain_node_links",
                Enterprise.chain_nodes.through,
                ("enterprise_id", "chainnode_id"),
                _chain_links(ref, meta),
            ),
            ("contacts", Contact, CONTACT_FIELDS, _contacts(seed, meta)),
        ]
        for key, model, names, rows in steps:
            t = time.perf_counter()
            written[key] = write_rows(model, names, rows)
            say(f"{key}: {written[key]} rows in {time.perf_counter() - t:.1f} s")
    return written


def analyze() -> None:
    """Refresh planner statistics (and the visibility map) after a bulk load, as autovacuum would."""
    if connection.vendor != "postgresql":
        return
    tables = [
        Enterprise._meta.db_table,
        Enterprise.chain_nodes.through._meta.db_table,
        AnnualReport._meta.db_table,
        Certification._meta.db_table,
        Contact._meta.db_table,
        Region._meta.db_table,
        Park._meta.db_table,
    ]
    quote = connection.ops.quote_name
    # VACUUM cannot run in a transaction (e.g. inside a test); ANALYZE alone can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {quote(table)}")


def ensure_dataset(
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Load the data set of this size and seed unless it is already there."""
    say = progress or (lambda message: None)
    recorded = recorded_dataset()
    expected = {"size": size, "seed": seed, "version": GENERATOR_VERSION}
    if (
        not force
        and recorded is not None
        and {k: recorded[k] for k in expected} == expected
        and Enterprise.objects.count() == size
    ):
        say(f"data set of {size} enterprises (seed {seed}) already loaded on {recorded['loaded_at']}; kept")
        return LoadReport(size, seed, loaded=False, seconds=recorded["seconds"], counts=counts())
    say(f"loading {size} enterprises (seed {seed}) …")
    start = time.perf_counter()
    wipe()
    generate(size, seed, progress=say)
    t = time.perf_counter()
    analyze()
    say(f"analyze: {time.perf_counter() - t:.1f} s")
    seconds = round(time.perf_counter() - start, 1)
    _record_dataset(size, seed, seconds)
    return LoadReport(size, seed, loaded=True, seconds=seconds, counts=counts())
