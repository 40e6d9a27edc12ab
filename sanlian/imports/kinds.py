"""The importers: enterprises (upsert by USCC), annual reports ((USCC, year)) and certifications
((USCC, type, number — or year when the number is blank)).

Each checks rows with the registry services' own rules (sanlian.enterprises.services: check_uscc,
check_place, validate_enterprise, check_report; the models' validators) against lookups preloaded in
bulk, then writes in batches with bulk audit events (the manual services' action names and
{field: [old, new]} changes) and one "facts changed" announcement per batch.

Scope: an officer imports only into the towns they cover. A USCC registered in a town outside their
scope is rejected with a message that names the USCC but not the enterprise.

Blank cells: on an update a blank optional cell keeps the stored value (sheets often leave columns
empty); on a create it leaves the field at its default.

Imported annual reports land as approved: this import is the officers' channel for the statistics
bureau's figures, reviewed before upload; an approved report is locked as in the manual service, so a
row that would change an approved report is rejected, and re-importing the same figures is unchanged.
"""

from collections.abc import Iterable
from itertools import islice

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.permissions import has_perm
from sanlian.core.rowpipe import BOOL, DATE, INT, MONEY, Column, ParsedRow
from sanlian.core.services import apply_changes, audit_records, jsonable
from sanlian.core.sheets import compact
from sanlian.core.sql import copy_insert, unsaved
from sanlian.core.validators import check_uscc
from sanlian.enterprises.models import (
    AnnualReport,
    Certification,
    CertificationType,
    Cluster,
    Enterprise,
    Park,
    Region,
)
from sanlian.enterprises.services import ENTERPRISE_FIELDS, check_place, check_report, validate_enterprise
from sanlian.enterprises.signals import announce_facts_changed_many
from sanlian.search.services import documents_refresh_later

from .engine import Importer, Row, validation_messages
from .space_kind import SpaceListingImporter
from .talent_kind import TalentImporter

BATCH = 2000
LOOKUP_CHUNK = 5000
USCC = Column("uscc", "统一社会信用代码", required=True, aliases=("信用代码", "社会信用代码", "USCC"))


def chunks(items: Iterable, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


_JSON_AS_IS = frozenset({str, int, bool})


def _names(obj, *extra) -> set[str]:
    return {compact(n) for n in (obj.code, obj.name, getattr(obj, "name_en", ""), *extra) if n}


class _Registry:
    """Towns, parks, clusters and certification types by code, name and alias (compact), and by id."""

    def __init__(self):
        towns = [r for r in Region.objects.all() if r.is_town_level]
        self.towns_by_id = {t.pk: t for t in towns}
        self.towns = {name: t for t in towns for name in _names(t)}
        parks = list(Park.objects.all())
        self.parks_by_id = {p.pk: p for p in parks}
        self.parks = {
            name: p for p in parks for name in _names(p, *p.aliases.replace(",", "、").replace(",", "、").split("、"))
        }
        clusters = list(Cluster.objects.all())
        self.clusters_by_id = {c.pk: c for c in clusters}
        self.clusters = {name: c for c in clusters for name in _names(c)}
        self._labels: dict = {}
        self._found: dict = {}
        self.memo: dict = {}  # (field, value) → field errors, for this import

    def find(self, name: str, value):
        """The town, park or cluster a cell names (by code, name or alias), or None; each distinct cell once."""
        key = (name, value)
        if key not in self._found:
            self._found[key] = getattr(self, f"{name}s").get(compact(value))
        return self._found[key]

    def jsonable(self, value):
        """`jsonable` of the audit trail, with the reference objects' names computed once."""
        if value is None or type(value) in _JSON_AS_IS:
            return value
        if isinstance(value, Region | Park | Cluster):
            key = (type(value), value.pk)
            if key not in self._labels:
                self._labels[key] = jsonable(value)
            return self._labels[key]
        return jsonable(value)


class _Scope:
    """Whether the actor covers a town; cached per town (the permission layer decides)."""

    def __init__(self, actor):
        self.actor = actor
        self._cache: dict[int, bool] = {}

    def covers(self, town) -> bool:
        if self.actor is None:
            return True
        if town.pk not in self._cache:
            self._cache[town.pk] = has_perm(self.actor, "region.view", town)
        return self._cache[town.pk]


def _existing_enterprises(usccs: list[str], fields: Iterable[str]) -> dict[str, dict]:
    found = {}
    for chunk in chunks(usccs, LOOKUP_CHUNK):
        for values in Enterprise.objects.filter(uscc__in=chunk).values(*fields):
            found[values["uscc"]] = values
    return found


def _other_town(uscc: str) -> str:
    return _("统一社会信用代码 %(uscc)s 已在其他镇/街道登记,不在您的管辖范围内,未导入") % {"uscc": uscc}


# --- Enterprises -----------------------------------------------------------------------------------

# Header labels are the Chinese headers officers' sheets carry (and the template writes), in any UI language.
ENTERPRISE_COLUMNS = (
    USCC,
    Column("name", "企业名称", required=True, aliases=("名称", "企业", "单位名称"), max_length=128),
    Column("industry_code", "国民经济行业代码", required=True, aliases=("行业代码", "行业")),
    Column("town", "所在镇/街道", required=True, aliases=("镇/街道", "所在镇", "镇街", "街镇")),
    Column("park", "所在园区", aliases=("园区",)),
    Column("is_biomedical", "生物医药企业", kind=BOOL, aliases=("是否生物医药",)),
    Column("cluster", "产业集群", aliases=("集群",)),
    Column("is_gene_related", "基因相关", kind=BOOL, aliases=("是否基因相关",)),
    Column("founded_date", "成立日期", kind=DATE, aliases=("成立时间", "注册日期")),
    Column("registered_capital", "注册资本", kind=MONEY, aliases=("注册资金",)),
    Column("legal_representative", "法定代表人", aliases=("法人", "法人代表")),
    Column("address", "注册地址", aliases=("地址", "住所")),
    Column("business_scope", "经营范围"),
    Column("name_en", "英文名称"),
    Column("description", "企业简介", aliases=("简介",)),
)
# What the sheet may set: the service's own field list, less the demo flag.
IMPORTED_FIELDS = tuple(c.field for c in ENTERPRISE_COLUMNS if c.field != "uscc")
if not set(IMPORTED_FIELDS) <= set(ENTERPRISE_FIELDS):  # a check that must survive python -O (no assert)
    raise RuntimeError("enterprise import columns name fields the enterprise service does not take")
FOREIGN_KEYS = ("town", "park", "cluster")


class EnterpriseImporter(Importer):
    kind = "enterprises"
    label = gettext_lazy("企业名录")
    permission = "enterprise.create"
    columns = ENTERPRISE_COLUMNS
    example = (
        "91310112MA1GB0000X",
        "上海示例生物科技有限公司",
        "2760",
        "浦江镇",
        "临港浦江国际科技城",
        "是",
        "医疗器械与设备",
        "否",
        "2018-05-20",
        "5000000",
        "张三",
        "上海市闵行区浦江镇示例路1号",
        "",
        "",
        "",
    )

    def key(self, row: ParsedRow):
        code = row.values.get("uscc")
        return (compact(code),) if code else None

    def check(self, rows: list[Row], *, actor, now) -> None:
        registry, scope = _Registry(), _Scope(actor)
        for row in rows:
            try:
                checked = check_uscc(row.values["uscc"])
            except ValidationError as exc:
                row.reject("uscc", exc.messages[0])
                continue
            if not checked.checksum_ok:  # an officer's override needs a written reason: manual edit only
                row.reject("uscc", _("统一社会信用代码校验位错误"))
            row.values["uscc"] = checked.code
        valid = [row for row in rows if row.ok]
        attnames = [f.attname for f in Enterprise._meta.concrete_fields]
        existing = _existing_enterprises([r.values["uscc"] for r in valid], attnames)
        for row in valid:
            self._check_row(row, registry, scope, existing.get(row.values["uscc"]), actor=actor, now=now)

    def _resolve(self, row: Row, registry: _Registry) -> dict:
        data = {}
        for name, value in row.values.items():
            if name == "uscc":
                continue
            if name in FOREIGN_KEYS:
                if value in ("", None):
                    continue
                found = registry.find(name, value)
                if found is None:
                    messages = {
                        "town": _("找不到镇/街道「%(value)s」(请填写名称或代码)"),
                        "park": _("找不到园区「%(value)s」(请填写名称、别名或代码)"),
                        "cluster": _("找不到产业集群「%(value)s」(请填写名称或代码)"),
                    }
                    row.reject(name, messages[name] % {"value": value})
                    continue
                value = found
            elif value is None or (value == "" and name not in ("name", "industry_code")):
                continue  # blank: keep the stored value (update) or the default (create)
            data[name] = value
        return data

    def _check_row(self, row: Row, registry: _Registry, scope: _Scope, existing: dict | None, *, actor, now) -> None:
        data = self._resolve(row, registry)
        if not row.ok:
            return
        code = row.values["uscc"]
        if existing is not None:
            town = registry.towns_by_id.get(existing["town_id"])
            if town is None or not scope.covers(town):
                row.reject("uscc", _other_town(code))
                return
            if self._same(existing, data):
                row.outcome, row.plan = "unchanged", None
                return
            instance = self._instance(existing, registry)
            place = {"town": instance.town, "park": instance.park, "is_biomedical": instance.is_biomedical, **data}
            changes = apply_changes(instance, data)
        else:
            instance = unsaved(Enterprise, uscc=code, created_at=now, updated_at=now, **data)
            place, changes = {"is_biomedical": instance.is_biomedical, **data}, {}
        if "town" in data and not scope.covers(data["town"]):
            row.reject("town", _("该镇/街道不在您的管辖范围内"))
            return
        try:
            check_place(actor=actor, data=place)
            validate_enterprise(instance, resolved=FOREIGN_KEYS, only=set(data), memo=registry.memo)
        except ValidationError as exc:
            for name, message in validation_messages(exc):
                row.reject(name or "uscc", message)
            return
        if existing is None:
            row.outcome = "created"
            changes = {name: [None, registry.jsonable(value)] for name, value in data.items()}
            changes["uscc"] = [None, code]
            changes["chain_nodes"] = [None, []]
        else:
            row.outcome = "updated" if changes else "unchanged"
        row.plan = (instance, changes)

    @staticmethod
    def _same(existing: dict, data: dict) -> bool:
        """Whether the row holds what is stored already (compared without building a model instance)."""
        for name, value in data.items():
            stored = existing[f"{name}_id"] if name in FOREIGN_KEYS else existing[name]
            if (value.pk if name in FOREIGN_KEYS else value) != stored:
                return False
        return True

    @staticmethod
    def _instance(values: dict, registry: _Registry) -> Enterprise:
        instance = Enterprise(**values)
        instance.town = registry.towns_by_id.get(values["town_id"])
        instance.park = registry.parks_by_id.get(values["park_id"]) if values["park_id"] else None
        instance.cluster = registry.clusters_by_id.get(values["cluster_id"]) if values["cluster_id"] else None
        return instance

    def write(self, rows: list[Row], *, actor, now, progress) -> None:
        done = 0
        written_ids = []
        for batch in chunks(rows, BATCH):
            created = [row.plan[0] for row in batch if row.outcome == "created"]
            updated = [row for row in batch if row.outcome == "updated"]
            if created:
                copy_insert(created)
            if updated:
                fields = sorted({name for row in updated for name in row.plan[1]} | {"updated_at"})
                for row in updated:
                    row.plan[0].updated_at = now
                Enterprise.objects.bulk_update([row.plan[0] for row in updated], fields, batch_size=500)
            entries = (
                ("enterprise.create" if row.outcome == "created" else "enterprise.update", row.plan[0], row.plan[1],
                 row.plan[0].pk, "")
                for row in batch
            )  # fmt: skip
            audit_records(actor=actor, entries=entries, now=now)
            changed = {f"enterprise.{name}" for row in batch for name in row.plan[1]}
            announce_facts_changed_many(enterprise_ids=[row.plan[0].pk for row in batch], fields=changed)
            written_ids += [row.plan[0].pk for row in batch]
            done += len(batch)
            progress(done)
        # One job rewrites the search documents after commit: one refresh per enterprise would tokenise inline.
        documents_refresh_later(kind="enterprise", object_ids=written_ids)


# --- Annual reports -------------------------------------------------------------------------------

REPORT_COLUMNS = (
    USCC,
    Column("year", "年度", kind=INT, required=True, aliases=("年份", "报告年度")),
    Column("revenue", "营业收入", kind=MONEY, required=True, aliases=("营收", "主营业务收入")),
    Column("tax", "纳税总额", kind=MONEY, required=True, aliases=("税收", "纳税")),
    Column("rd_spend", "研发投入", kind=MONEY, required=True, aliases=("研发费用", "研发经费")),
    Column("employees", "从业人数", kind=INT, required=True, aliases=("员工人数", "职工人数")),
    Column("rd_staff", "研发人员", kind=INT, required=True, aliases=("研发人数",)),
    Column("patents_invention", "发明专利", kind=INT),
    Column("patents_utility", "实用新型专利", kind=INT, aliases=("实用新型",)),
    Column("patents_design", "外观设计专利", kind=INT, aliases=("外观设计",)),
)
REPORT_VALUES = tuple(c.field for c in REPORT_COLUMNS if c.field not in ("uscc", "year"))


class _EnterpriseRows(Importer):
    """Rows that belong to an existing enterprise named by its USCC, in the actor's scope."""

    def _enterprises(self, rows: list[Row], actor) -> dict[str, Enterprise]:
        scope = _Scope(actor)
        codes = {row.values["uscc"] for row in rows}
        found = {}
        for chunk in chunks(sorted(codes), LOOKUP_CHUNK):
            for enterprise in Enterprise.objects.filter(uscc__in=chunk).select_related("town"):
                found[enterprise.uscc] = enterprise
        for row in rows:
            enterprise = found.get(row.values["uscc"])
            if enterprise is None:
                row.reject("uscc", _("找不到统一社会信用代码为 %(uscc)s 的企业") % {"uscc": row.values["uscc"]})
            elif not scope.covers(enterprise.town):
                row.reject("uscc", _other_town(row.values["uscc"]))
        return found

    def key(self, row: ParsedRow):
        raise NotImplementedError


class AnnualReportImporter(_EnterpriseRows):
    kind = "annual-reports"
    label = gettext_lazy("企业年报")
    permission = "report.review"
    columns = REPORT_COLUMNS
    example = ("91310112MA1GB0000X", 2024, "12000000", "800000", "1500000", 120, 30, 5, 3, 0)

    def key(self, row: ParsedRow):
        code, year = row.values.get("uscc"), row.values.get("year")
        return (compact(code), year) if code and year else None

    def check(self, rows: list[Row], *, actor, now) -> None:
        for row in rows:
            row.values["uscc"] = compact(row.values["uscc"])
        enterprises = self._enterprises(rows, actor)
        rows = [row for row in rows if row.ok]
        reports = {}
        ids = sorted({enterprises[row.values["uscc"]].pk for row in rows})
        for chunk in chunks(ids, LOOKUP_CHUNK):
            for report in AnnualReport.objects.filter(enterprise_id__in=chunk):
                reports[(report.enterprise_id, report.year)] = report
        for row in rows:
            enterprise = enterprises[row.values["uscc"]]
            year = row.values["year"]
            data = {name: row.values[name] for name in REPORT_VALUES if row.values.get(name) is not None}
            report = reports.get((enterprise.pk, year))
            is_new = report is None
            report = report or AnnualReport(enterprise=enterprise, year=year)
            changes = apply_changes(report, data)
            if not is_new and not changes and report.status == AnnualReport.Status.APPROVED:
                row.outcome, row.plan = "unchanged", None
                continue
            if not is_new and report.status == AnnualReport.Status.APPROVED:
                row.reject("year", _("%(year)s年度的年报已审核通过,不能再次填报") % {"year": year})
                continue
            if not is_new and report.status == AnnualReport.Status.SUBMITTED:
                row.reject("year", _("%(year)s年度的年报正在审核中") % {"year": year})
                continue
            try:
                check_report(report)
            except ValidationError as exc:
                for name, message in validation_messages(exc):
                    row.reject(name or "year", message)
                continue
            if is_new:
                changes = {name: [None, jsonable(value)] for name, value in data.items()}
            changes["status"] = [None if is_new else report.status, AnnualReport.Status.APPROVED]
            report.status, report.reviewed_at, report.reviewed_by = AnnualReport.Status.APPROVED, now, actor
            row.outcome, row.plan = ("created" if is_new else "updated"), (report, changes)

    def write(self, rows: list[Row], *, actor, now, progress) -> None:
        done = 0
        for batch in chunks(rows, BATCH):
            AnnualReport.objects.bulk_create([row.plan[0] for row in batch if row.outcome == "created"])
            updated = [row.plan[0] for row in batch if row.outcome == "updated"]
            if updated:
                AnnualReport.objects.bulk_update(
                    updated, [*REPORT_VALUES, "status", "reviewed_at", "reviewed_by"], batch_size=500
                )
            entries = (
                ("report.create" if row.outcome == "created" else "report.update", row.plan[0], row.plan[1],
                 row.plan[0].enterprise_id, _("导入"))
                for row in batch
            )  # fmt: skip
            audit_records(actor=actor, entries=entries, now=now)
            announce_facts_changed_many(enterprise_ids=[row.plan[0].enterprise_id for row in batch], fields=["report"])
            done += len(batch)
            progress(done)


# --- Certifications -------------------------------------------------------------------------------

CERTIFICATION_COLUMNS = (
    USCC,
    Column("type", "资质类型", required=True, aliases=("资质", "认定类型", "资质名称")),
    Column("number", "证书编号", aliases=("编号", "证书号")),
    Column("year", "认定年度", kind=INT, aliases=("年度",)),
    Column("issuer", "认定机构", aliases=("发证机关", "认定单位")),
    Column("valid_from_date", "生效日期", kind=DATE, aliases=("发证日期", "认定日期")),
    Column("valid_until_date", "有效期至", kind=DATE, aliases=("有效期", "到期日期")),
    Column("source_document", "依据文件", aliases=("文件",)),
)
CERTIFICATION_VALUES = ("issuer", "number", "year", "valid_from_date", "valid_until_date", "source_document")


class CertificationImporter(_EnterpriseRows):
    kind = "certifications"
    label = gettext_lazy("资质认定")
    permission = "certification.edit"
    columns = CERTIFICATION_COLUMNS
    example = ("91310112MA1GB0000X", "高新技术企业", "GR202431001234", 2024, "", "2024-12-01", "2027-11-30", "")

    def key(self, row: ParsedRow):
        code, kind = row.values.get("uscc"), row.values.get("type")
        if not code or not kind:
            return None
        return (compact(code), compact(kind), compact(row.values.get("number") or ""), row.values.get("year"))

    def check(self, rows: list[Row], *, actor, now) -> None:
        types = {name: t for t in CertificationType.objects.all() for name in _names(t)}
        for row in rows:
            row.values["uscc"] = compact(row.values["uscc"])
            found = types.get(compact(row.values["type"]))
            if found is None:
                row.reject("type", _("找不到资质类型「%(value)s」(请填写名称或代码)") % {"value": row.values["type"]})
            else:
                row.values["type"] = found
            if not row.values.get("number") and not row.values.get("year"):
                row.reject("number", _("证书编号与认定年度至少填写一项"))
        enterprises = self._enterprises([r for r in rows if r.ok], actor)
        rows = [row for row in rows if row.ok]
        existing = {}
        ids = sorted({enterprises[row.values["uscc"]].pk for row in rows})
        for chunk in chunks(ids, LOOKUP_CHUNK):
            for cert in Certification.objects.filter(enterprise_id__in=chunk).select_related("type"):
                existing.setdefault(self._stored_key(cert.enterprise_id, cert.type_id, cert.number, cert.year), cert)
        for row in rows:
            enterprise, kind = enterprises[row.values["uscc"]], row.values["type"]
            data = {name: row.values[name] for name in CERTIFICATION_VALUES if row.values.get(name) not in (None, "")}
            key = self._stored_key(enterprise.pk, kind.pk, data.get("number", ""), data.get("year"))
            cert = existing.get(key)
            is_new = cert is None
            cert = cert or Certification(enterprise=enterprise, type=kind)
            changes = apply_changes(cert, data)
            if not cert.issuer:
                cert.issuer = kind.default_issuer
            if cert.valid_from_date and cert.valid_until_date and cert.valid_until_date < cert.valid_from_date:
                row.reject("valid_until_date", _("有效期至不能早于生效日期"))
                continue
            try:
                cert.full_clean(exclude=["enterprise", "type"])
            except ValidationError as exc:
                for name, message in validation_messages(exc):
                    row.reject(name or "type", message)
                continue
            if is_new:
                changes = {"type": [None, kind.name], "year": [None, cert.year],
                           "valid_until_date": [None, str(cert.valid_until_date or "")]}  # fmt: skip
                row.outcome = "created"
            else:
                row.outcome = "updated" if changes else "unchanged"
            row.plan = (cert, changes)

    @staticmethod
    def _stored_key(enterprise_id, type_id, number, year):
        number = compact(number or "")
        return (enterprise_id, type_id, number) if number else (enterprise_id, type_id, "", year)

    def write(self, rows: list[Row], *, actor, now, progress) -> None:
        done = 0
        for batch in chunks(rows, BATCH):
            Certification.objects.bulk_create([row.plan[0] for row in batch if row.outcome == "created"])
            updated = [row.plan[0] for row in batch if row.outcome == "updated"]
            if updated:
                Certification.objects.bulk_update(updated, CERTIFICATION_VALUES, batch_size=500)
            entries = (
                ("certification.add" if row.outcome == "created" else "certification.update", row.plan[0],
                 row.plan[1], row.plan[0].enterprise_id, _("导入"))
                for row in batch
            )  # fmt: skip
            audit_records(actor=actor, entries=entries, now=now)
            ids = [row.plan[0].enterprise_id for row in batch]
            announce_facts_changed_many(enterprise_ids=ids, fields=["certification"])
            done += len(batch)
            progress(done)


IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls
    for cls in (EnterpriseImporter, AnnualReportImporter, CertificationImporter, TalentImporter, SpaceListingImporter)
}


def importer_for(kind: str) -> Importer:
    return IMPORTERS[kind]()
