"""The space listings importer (空间房源): a park's inventory, upserted by (park, building, floor, unit).

Each row goes through the listing service's own rules (`clean_listing`: park in the officer's scope,
landlord, type, cleanroom grade, area, rent in 元/㎡/天 → fen, floor load, power; `apply_listing_fields`:
editable states, area ≥ leased area, a changed published listing back to verification). The landlord is
named by its USCC. Imported listings land as 待核验 (pending), never published unverified: an officer of
the park's town verifies each one as in the manual workflow (one notification per town per import).
A listing that is pending or leased is not changed by an import (as in the manual edit).
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.rowpipe import BOOL, CHOICE, DATE, DECIMAL, INT, Column, ParsedRow
from sanlian.core.services import audit_records, jsonable
from sanlian.core.sheets import compact
from sanlian.core.sql import unsaved
from sanlian.engines.spacematch import GRADES
from sanlian.enterprises.models import Enterprise
from sanlian.search.services import documents_refresh_later
from sanlian.space.models import Kind, Listing
from sanlian.space.services.common import actor_or_none, notify, town_officers
from sanlian.space.services.listings import BOOL_FIELDS, EDITABLE, apply_listing_fields, clean_listing

from .engine import Importer, Row, validation_messages

Status = Listing.Status
KINDS = {compact(key): value for value, label in Kind.choices for key in (value, label)}
GRADE_CHOICES = {compact(key): code for code, grade in GRADES.items() for key in (code, grade.label)}

LISTING_COLUMNS = (
    Column("park", "园区", required=True, aliases=("所在园区", "园区名称")),
    Column("building", "楼栋", required=True, aliases=("楼号", "栋"), max_length=40),
    Column("floor", "楼层", required=True, aliases=("层",), max_length=20),
    Column("unit", "单元", aliases=("房号", "室号"), max_length=40),
    Column("landlord", "业主统一社会信用代码", required=True, aliases=("业主信用代码", "运营方统一社会信用代码")),
    Column("title", "标题", required=True, aliases=("房源名称", "名称"), max_length=100),
    Column("kind", "类型", kind=CHOICE, required=True, choices=KINDS, aliases=("房源类型", "用途")),
    Column("area", "面积(㎡)", kind=DECIMAL, required=True, aliases=("面积", "建筑面积")),
    Column("rent_yuan", "租金(元/㎡/天)", kind=DECIMAL, required=True, aliases=("租金", "单价")),
    Column("available_date", "可入驻日期", kind=DATE, required=True, aliases=("可入驻时间", "交付日期")),
    Column("cleanroom", "洁净等级", kind=CHOICE, choices=GRADE_CHOICES, aliases=("洁净级别",)),
    Column("floor_load", "楼面荷载(kg/㎡)", kind=INT, aliases=("楼面荷载", "承重")),
    Column("power_kva", "供电容量(kVA)", kind=INT, aliases=("供电容量", "电力容量")),
    Column("exhaust", "排风/废气处理", kind=BOOL, aliases=("排风",)),
    Column("pure_water", "纯化水", kind=BOOL),
    Column("hazchem_permit", "危化品使用许可", kind=BOOL, aliases=("危化品许可",)),
    Column("env_approval", "环评批复", kind=BOOL, aliases=("环评",)),
    Column("description", "说明", aliases=("备注",)),
)
# The service's form fields, as a stored listing holds them (rent as yuan text, the rest as stored).
FORM_FIELDS = ("title", "building", "floor", "unit", "kind", "area", "available_date", "cleanroom", "floor_load",
               "power_kva", "description", *BOOL_FIELDS)  # fmt: skip


def _place(value) -> str:
    return compact(value or "")


class SpaceListingImporter(Importer):
    kind = "space-listings"
    label = gettext_lazy("空间房源")
    permission = "space_listing.verify"  # officers: they list on a landlord's behalf and verify
    columns = LISTING_COLUMNS
    example = ("临港浦江国际科技城", "B栋", "3F", "301", "91310112MA1GB0000X", "B栋3层湿实验室", "湿实验室", "650",
               "4.50", "2026-04-01", "ISO 7", 500, 200, "是", "是", "否", "是", "")  # fmt: skip

    def key(self, row: ParsedRow):
        values = row.values
        if not all(values.get(name) for name in ("park", "building", "floor")):
            return None
        return tuple(_place(values.get(name)) for name in ("park", "building", "floor", "unit"))

    def check(self, rows: list[Row], *, actor, now) -> None:
        from .kinds import _Registry  # the registry's lookups of towns and parks (kinds imports this module)

        parks = _Registry().parks
        codes = {compact(row.values["landlord"]) for row in rows}
        landlords = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}
        found = {}
        for row in rows:
            park = parks.get(compact(row.values["park"]))
            if park is None:
                row.reject("park", _("找不到园区「%(value)s」(请填写名称、别名或代码)") % {"value": row.values["park"]})
            landlord = landlords.get(compact(row.values["landlord"]))
            if landlord is None:
                row.reject("landlord", _("找不到统一社会信用代码为 %(uscc)s 的企业") % {"uscc": row.values["landlord"]})
            found[row.number] = (park, landlord)
        existing = self._existing({p.pk for p, _landlord in found.values() if p is not None})
        for row in rows:
            if row.ok:
                park, landlord = found[row.number]
                key = (park.pk, *(_place(row.values.get(name)) for name in ("building", "floor", "unit")))
                self._check_row(row, park, landlord, existing.get(key), actor=actor, now=now)

    @staticmethod
    def _existing(park_ids: set[int]) -> dict[tuple, Listing]:
        found = {}
        for listing in Listing.objects.filter(park_id__in=park_ids).select_related("park", "landlord").order_by("pk"):
            key = (listing.park_id, _place(listing.building), _place(listing.floor), _place(listing.unit))
            if key not in found or listing.status != Status.WITHDRAWN:  # the latest live listing of the unit
                found[key] = listing
        return found

    def _check_row(self, row: Row, park, landlord, listing: Listing | None, *, actor, now) -> None:
        stored = {}
        if listing is not None:
            stored = {name: getattr(listing, name) for name in FORM_FIELDS}
            stored["rent_yuan"] = str(listing.rent_yuan)
        # A blank optional cell keeps the stored value (update) or the default (create).
        given = {name: value for name, value in row.values.items() if value not in (None, "")}
        data = {**stored, **given, "park": park, "landlord": landlord}
        for name in ("area", "rent_yuan", "floor_load", "power_kva"):
            if data.get(name) is not None:
                data[name] = str(data[name])
        try:
            fields = clean_listing(actor, data)
            if listing is None:
                listing = unsaved(Listing, **fields, status=Status.PENDING, created_by=actor_or_none(actor),
                                  created_at=now, updated_at=now)  # fmt: skip
                changes = {name: [None, jsonable(value)] for name, value in fields.items() if value not in ("", None)}
                row.outcome, row.plan = "created", (listing, changes)
                return
            if listing.status not in EDITABLE and all(getattr(listing, n) == v for n, v in fields.items()):
                changes = {}  # the same facts again: unchanged, even while pending or leased
            else:
                changes = apply_listing_fields(listing, fields)
        except ValidationError as exc:
            for name, message in validation_messages(exc):
                row.reject({"rent_fen": "rent_yuan", "status": "park"}.get(name, name) or "park", message)
            return
        row.outcome, row.plan = ("updated" if changes else "unchanged"), (listing, changes)

    def write(self, rows: list[Row], *, actor, now, progress) -> None:
        created = [row.plan[0] for row in rows if row.outcome == "created"]
        Listing.objects.bulk_create(created, batch_size=500)
        updated = [row for row in rows if row.outcome == "updated"]
        for row in updated:
            row.plan[0].updated_at = now
        if updated:
            names = sorted({name for row in updated for name in row.plan[1]} | {"updated_at"})
            Listing.objects.bulk_update([row.plan[0] for row in updated], names, batch_size=500)
        # The manual journey's events: an officer creates the listing and submits it for verification.
        entries = []
        for row in rows:
            listing, changes = row.plan
            if row.outcome == "created":
                entries.append(("space_listing.create", listing, changes, listing.landlord_id, _("导入")))
                entries.append(("space_listing.submit", listing, {"status": [Status.DRAFT, Status.PENDING]},
                                listing.landlord_id, _("导入")))  # fmt: skip
            else:
                entries.append(("space_listing.update", listing, changes, listing.landlord_id, _("导入")))
        audit_records(actor=actor, entries=entries, now=now)
        documents_refresh_later(kind="listing", object_ids=[row.plan[0].pk for row in rows])
        progress(len(rows))
        pending = {}
        for row in rows:
            if row.plan[0].status == Status.PENDING and (row.outcome == "created" or "status" in row.plan[1]):
                pending.setdefault(row.plan[0].park.town_id, []).append(row.plan[0])
        for town_id, listings in pending.items():
            title = Text(gettext_lazy("%(count)s 条导入的空间房源待核验"), {"count": len(listings)})
            notify(town_officers(town_id), title, reverse("space:manage"), now)
