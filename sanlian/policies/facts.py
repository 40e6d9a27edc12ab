"""Enterprise facts that policy rules read: the catalogue (unit, source) and the fact table builder.

A fact is computed from the registry on a date (`as_of`); nothing here reads the clock. Figures come
from the latest approved annual report that is at most two years old (reports for year Y are filed
during Y+1), and a fact with no such source is missing, which the engine reports as unknown.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.utils.translation import gettext_lazy as _

from sanlian.core.sql import Statement, placeholders, run_batch
from sanlian.engines.rules import Catalogue, FactSpec, FactTable, ParamSpec
from sanlian.enterprises.models import (
    AnnualReport,
    Certification,
    CertificationType,
    ChainNode,
    Cluster,
    Enterprise,
    Park,
    Region,
)
from sanlian.enterprises.selectors import KEY_ENTERPRISE_TYPE
from sanlian.servicedesk.models import IPAsset

REPORT_SOURCE = _("最近一期审核通过的年报")
REGISTRY_SOURCE = _("企业档案")
CERT_SOURCE = _("企业资质(按判定日有效)")
IP_SOURCE = _("知识产权档案")


@dataclass(frozen=True)
class FactDef:
    name: str
    type: str
    label: object
    unit: object = ""
    source: object = REGISTRY_SOURCE
    # Registry fields whose change may change this fact (drives incremental re-evaluation).
    reads: tuple[str, ...] = ()


FACTS: tuple[FactDef, ...] = (
    FactDef("town", "text", _("所在镇(街道)"), reads=("enterprise.town",)),
    FactDef("park", "text", _("所在园区"), reads=("enterprise.park",)),
    FactDef("cluster", "text", _("产业集群"), reads=("enterprise.cluster",)),
    FactDef("is_biomedical", "bool", _("生物医药企业"), reads=("enterprise.is_biomedical",)),
    FactDef("is_gene_related", "bool", _("基因相关"), reads=("enterprise.is_gene_related",)),
    FactDef("chain_nodes", "set", _("产业链环节"), reads=("enterprise.chain_nodes",)),
    FactDef("years_since_founding", "number", _("成立年限"), _("年"), reads=("enterprise.founded_date",)),
    FactDef("report_year", "number", _("年报年度"), "", REPORT_SOURCE, ("report",)),
    FactDef("revenue_last_year", "number", _("上年度营业收入"), _("元"), REPORT_SOURCE, ("report",)),
    FactDef("revenue_growth", "number", _("营业收入增长率"), "%", REPORT_SOURCE, ("report",)),
    FactDef("tax_last_year", "number", _("上年度纳税总额"), _("元"), REPORT_SOURCE, ("report",)),
    FactDef("rd_spend_last_year", "number", _("上年度研发投入"), _("元"), REPORT_SOURCE, ("report",)),
    FactDef("rd_ratio", "number", _("研发投入占营收比例"), "%", REPORT_SOURCE, ("report",)),
    FactDef("employees", "number", _("从业人数"), _("人"), REPORT_SOURCE, ("report",)),
    FactDef("rd_staff_ratio", "number", _("研发人员占比"), "%", REPORT_SOURCE, ("report",)),
    FactDef("invention_patents_3y", "number", _("近三年新增发明专利"), _("件"), REPORT_SOURCE, ("report",)),
    FactDef("certifications", "set", _("有效资质"), source=CERT_SOURCE, reads=("certification",)),
    FactDef("key_enterprise_years", "set", _("春申重点企业年度"), source=CERT_SOURCE, reads=("certification",)),
    # In force on the evaluation date: granted (registered), granted by then and not past its expiry.
    FactDef("invention_patents", "number", _("有效发明专利"), _("件"), IP_SOURCE, ("ip",)),
    FactDef("utility_patents", "number", _("有效实用新型专利"), _("件"), IP_SOURCE, ("ip",)),
    FactDef("design_patents", "number", _("有效外观设计专利"), _("件"), IP_SOURCE, ("ip",)),
    FactDef("trademarks", "number", _("有效注册商标"), _("件"), IP_SOURCE, ("ip",)),
    FactDef("software_copyrights", "number", _("软件著作权"), _("件"), IP_SOURCE, ("ip",)),
)
# IP kind (servicedesk.IPAsset.Kind) → fact. An enterprise with no IP record at all has these facts
# missing (unknown), not zero: an empty portfolio means "not recorded", never "holds none".
IP_FACTS = {
    "invention": "invention_patents",
    "utility": "utility_patents",
    "design": "design_patents",
    "trademark": "trademarks",
    "software": "software_copyrights",
}
FACTS_BY_NAME = {f.name: f for f in FACTS}


def facts_for_changes(changed: list[str]) -> set[str]:
    """The facts that a change of the given registry fields may move."""
    return {f.name for f in FACTS if set(f.reads) & set(changed)}


def catalogue(params=()) -> Catalogue:
    """The engine's catalogue: every fact, and the given Parameter rows as parameters."""
    facts = {f.name: FactSpec(f.name, f.type, str(f.unit), str(f.label), str(f.source)) for f in FACTS}
    specs = {p.name: ParamSpec(p.name, p.type, p.unit, p.label, p.source_clause, p.key_fact or None) for p in params}
    return Catalogue(facts=facts, params=specs)


def _years_between(start: date, end: date) -> float:
    return round((end - start).days / 365.25, 2)


def _pct(part, whole):
    if part is None or not whole:
        return None
    return round(float(part) * 100 / float(whole), 2)


def _report_facts(reports: list[dict], as_of: date) -> dict:
    """Facts from an enterprise's approved reports (newest first), or {} when none is recent enough."""
    recent = [r for r in reports if r["year"] >= as_of.year - 2]
    if not recent:
        return {}
    latest = recent[0]
    by_year = {r["year"]: r for r in reports}
    previous = by_year.get(latest["year"] - 1)
    three_back = by_year.get(latest["year"] - 3)
    return {
        "report_year": latest["year"],
        "revenue_last_year": float(latest["revenue"]),
        "revenue_growth": (
            round((float(latest["revenue"]) / float(previous["revenue"]) - 1) * 100, 2)
            if previous and previous["revenue"]
            else None
        ),
        "tax_last_year": float(latest["tax"]),
        "rd_spend_last_year": float(latest["rd_spend"]),
        "rd_ratio": _pct(latest["rd_spend"], latest["revenue"]),
        "employees": latest["employees"],
        "rd_staff_ratio": _pct(latest["rd_staff"], latest["employees"]),
        # Reports carry patents held; the gain over three years is what was granted in them.
        "invention_patents_3y": (
            max(0, latest["patents_invention"] - three_back["patents_invention"]) if three_back else None
        ),
    }


def fact_statements(*, as_of: date, enterprise_ids=None) -> list[Statement]:
    """The reads behind the fact records, for callers that send them in one batch with their own."""
    ids = None if enterprise_ids is None else list(enterprise_ids)
    tables, narrowing = _tables(), _Narrowing(ids)
    approved = [AnnualReport.Status.APPROVED.value, as_of.year]
    day = as_of.isoformat()  # compared with DATE columns: a literal both SQLite and PostgreSQL accept
    return [
        (template.format(t=tables, where=narrowing), [*params, *(ids or ())])
        for template, params in (
            (_ENTERPRISES, ()),
            (_CHAIN_NODES, ()),
            (_CERTIFICATIONS, ()),
            (_APPROVED_REPORTS, approved),
            (_IP_ASSETS, ["granted", day, day]),
        )
    ]


def fact_records(rows: list[list[tuple]], as_of: date) -> tuple[list[int], list[dict]]:
    """(ids, records) with the facts on `as_of`, from the rows of `fact_statements`."""
    enterprises, chain_nodes, certifications, approved_reports, ip_counts = rows
    nodes = defaultdict(list)
    for enterprise_id, code in chain_nodes:
        nodes[enterprise_id].append(code)
    certs, key_years = _certifications(certifications, as_of)
    reports = _reports(approved_reports)
    ip = _ip_facts(ip_counts)
    records = []
    for pk, town, park, cluster, biomedical, gene, founded in enterprises:
        record = {
            "town": town,
            "park": park,
            "cluster": cluster,
            "is_biomedical": bool(biomedical),
            "is_gene_related": bool(gene),
            "chain_nodes": nodes.get(pk, ()),
            "years_since_founding": _years_between(founded, as_of) if founded else None,
            "certifications": certs.get(pk, ()),
            "key_enterprise_years": key_years.get(pk, ()),
        }
        record.update(_report_facts(reports.get(pk, []), as_of))
        record.update(ip.get(pk, {}))
        records.append(record)
    return [r[0] for r in enterprises], records


def enterprise_fact_records(*, as_of: date, enterprise_ids=None) -> tuple[list[int], list[dict]]:
    """(ids, records) of every enterprise (or the given ones), with their facts on `as_of`."""
    if enterprise_ids is not None and not len(enterprise_ids):
        return [], []
    return fact_records(run_batch(fact_statements(as_of=as_of, enterprise_ids=enterprise_ids)), as_of)


def fact_table(*, as_of: date, catalogue: Catalogue, enterprise_ids=None) -> FactTable:
    ids, records = enterprise_fact_records(as_of=as_of, enterprise_ids=enterprise_ids)
    return FactTable.from_records(records, catalogue, ids=ids)


# The fact readers are plain SQL: re-evaluating one enterprise after a change is on the hot path (target
# ≤ 5 ms, store included), and compiling four ORM queries cost more than running them. Codes are read by
# scalar subqueries rather than joins, which PostgreSQL plans in a third of the time. `{where:column}`
# narrows to the given enterprise ids; `{t[...]}` are the models' table names.
_ENTERPRISES = """
    SELECT e.id,
        (SELECT code FROM {t[region]} WHERE id = e.town_id),
        (SELECT code FROM {t[park]} WHERE id = e.park_id),
        (SELECT code FROM {t[cluster]} WHERE id = e.cluster_id),
        e.is_biomedical, e.is_gene_related, e.founded_date
    FROM {t[enterprise]} e WHERE 1 = 1 {where:e.id} ORDER BY e.id
"""
_CHAIN_NODES = """
    SELECT en.enterprise_id, node.code
    FROM {t[enterprise_nodes]} en JOIN {t[chain_node]} node ON node.id = en.chainnode_id
    WHERE 1 = 1 {where:en.enterprise_id}
"""
_CERTIFICATIONS = """
    SELECT c.enterprise_id, ct.code, c.year, c.valid_from_date, c.valid_until_date
    FROM {t[certification]} c JOIN {t[certification_type]} ct ON ct.id = c.type_id
    WHERE 1 = 1 {where:c.enterprise_id}
"""
_APPROVED_REPORTS = """
    SELECT r.enterprise_id, r.year, r.revenue, r.tax, r.rd_spend, r.employees, r.rd_staff, r.patents_invention
    FROM {t[annual_report]} r WHERE r.status = %s AND r.year <= %s {where:r.enterprise_id}
    ORDER BY r.enterprise_id, r.year DESC
"""

# Per enterprise and kind: how many assets are in force on the date (and, by the row's presence, that
# the enterprise has IP records at all).
_IP_ASSETS = """
    SELECT a.enterprise_id, a.kind,
        SUM(CASE WHEN a.status = %s AND (a.grant_date IS NULL OR a.grant_date <= %s)
            AND (a.expiry_date IS NULL OR a.expiry_date >= %s) THEN 1 ELSE 0 END)
    FROM {t[ip_asset]} a WHERE 1 = 1 {where:a.enterprise_id}
    GROUP BY a.enterprise_id, a.kind
"""


class _Narrowing:
    """Formats `{where:column}` as `AND column IN (%s, …)` for the given ids, or as nothing."""

    def __init__(self, ids):
        self.ids = ids

    def __format__(self, column):
        return "" if self.ids is None else f"AND {column} IN ({placeholders(len(self.ids))})"


@cache
def _tables() -> dict:
    return {
        "enterprise": Enterprise._meta.db_table,
        "enterprise_nodes": Enterprise.chain_nodes.through._meta.db_table,
        "chain_node": ChainNode._meta.db_table,
        "region": Region._meta.db_table,
        "park": Park._meta.db_table,
        "cluster": Cluster._meta.db_table,
        "certification": Certification._meta.db_table,
        "certification_type": CertificationType._meta.db_table,
        "annual_report": AnnualReport._meta.db_table,
        "ip_asset": IPAsset._meta.db_table,
    }


def _certifications(rows, as_of: date):
    """Certification codes valid on `as_of`, and the years of key-enterprise recognition, per enterprise."""
    certs, key_years = defaultdict(set), defaultdict(set)
    for enterprise_id, code, year, valid_from, valid_until in rows:
        if (valid_from is None or valid_from <= as_of) and (valid_until is None or as_of <= valid_until):
            certs[enterprise_id].add(code)
        if code == KEY_ENTERPRISE_TYPE and year is not None:
            key_years[enterprise_id].add(str(year))
    return certs, key_years


def _yuan(fen):
    return None if fen is None else fen / 100


def _reports(rows) -> dict[int, list[dict]]:
    """Approved reports per enterprise, newest first, amounts in yuan (stored as integer fen)."""
    reports = defaultdict(list)
    for enterprise_id, year, revenue, tax, rd_spend, employees, rd_staff, patents in rows:
        reports[enterprise_id].append(
            {
                "year": year,
                "revenue": _yuan(revenue),
                "tax": _yuan(tax),
                "rd_spend": _yuan(rd_spend),
                "employees": employees,
                "rd_staff": rd_staff,
                "patents_invention": patents,
            }
        )
    return reports


def _ip_facts(rows) -> dict[int, dict]:
    """The IP facts of each enterprise with at least one IP record (0 for kinds it has none of)."""
    facts = {}
    for enterprise_id, kind, in_force in rows:
        counts = facts.setdefault(enterprise_id, dict.fromkeys(IP_FACTS.values(), 0))
        if kind in IP_FACTS:
            counts[IP_FACTS[kind]] += int(in_force or 0)
    return facts
