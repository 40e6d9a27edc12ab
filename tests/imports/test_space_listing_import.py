"""Importing space listings: upsert by (park, building, floor, unit), landing as 待核验, the listing
service's rules, scope, partial, history, the CLI and the pages."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from sanlian.core.models import AuditEvent, Notification
from sanlian.imports.engine import run_import
from sanlian.imports.space_kind import SpaceListingImporter
from sanlian.space.models import Listing
from tests import factories

from .helpers import xlsx

pytestmark = pytest.mark.django_db
HEADER = ["园区", "楼栋", "楼层", "单元", "业主统一社会信用代码", "标题", "类型", "面积(㎡)", "租金(元/㎡/天)",
          "可入驻日期", "洁净等级", "楼面荷载(kg/㎡)", "纯化水"]  # fmt: skip


def row(landlord, unit="301", park="lingang-pujiang", **overrides):
    values = {"park": park, "building": "B栋", "floor": "3F", "unit": unit, "owner": landlord.uscc,
              "title": f"B栋3层{unit}", "kind": "湿实验室", "area": "650", "rent": "4.50",
              "available": "2026-04-01", "cleanroom": "ISO 7", "load": 500, "water": "是", **overrides}  # fmt: skip
    return list(values.values())


def run(actor, rows, **options):
    return run_import(SpaceListingImporter(), actor=actor, data=xlsx([HEADER, *rows]), filename="s.xlsx", **options)


@pytest.fixture
def landlord(db):
    return factories.enterprise("pujiang", name="上海浦江科创园区运营有限公司(演示)")


def test_imported_listings_land_pending_verification_and_importing_them_again_changes_nothing(
    pujiang_officer, landlord
):
    first = run(pujiang_officer, [row(landlord, "301"), row(landlord, "302", kind="GMP 厂房", cleanroom="GMP C")])
    second = run(pujiang_officer, [row(landlord, "301"), row(landlord, "302", kind="GMP 厂房", cleanroom="GMP C")])

    assert (first.created, first.rejected, second.unchanged, second.created) == (2, 0, 2, 0), first.errors
    listing = Listing.objects.get(unit="301")
    assert (listing.status, listing.rent_fen, listing.cleanroom, listing.pure_water) == ("pending", 450, "iso7", True)
    assert Listing.objects.get(unit="302").kind == "gmp_workshop"
    events = AuditEvent.objects.filter(target_id=str(listing.pk), target_type="space.listing")
    assert sorted(events.values_list("action", flat=True)) == ["space_listing.create", "space_listing.submit"]
    assert Notification.objects.filter(recipient=pujiang_officer, title__contains="2 条导入的空间房源待核验").exists()


def test_a_changed_row_updates_a_published_listing_and_sends_it_back_to_verification(pujiang_officer, landlord):
    run(pujiang_officer, [row(landlord)])
    listing = Listing.objects.get()
    Listing.objects.filter(pk=listing.pk).update(status="published")

    report = run(pujiang_officer, [row(landlord, rent="5.00", cleanroom="")])

    listing.refresh_from_db()
    assert report.updated == 1 and (listing.rent_fen, listing.status, listing.cleanroom) == (500, "pending", "iso7")
    event = AuditEvent.objects.get(action="space_listing.update", target_id=str(listing.pk))
    assert event.changes["rent_fen"] == ["450", "500"] and event.changes["status"] == ["published", "pending"]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written_unless_partial(pujiang_officer, landlord):
    rows = [row(landlord, "301"), row(landlord, "302", park="不存在园区"), row(landlord, "303", kind="车库"),
            row(landlord, "304", rent="0"), row(landlord, "305", owner="91310112MA1GB0000Y")]  # fmt: skip

    strict = run(pujiang_officer, rows)
    assert (strict.applied, strict.rejected, Listing.objects.exists()) == (False, 4, False)
    partial = run(pujiang_officer, rows, partial=True)

    columns = {e.row: e.column for e in partial.errors}
    assert columns == {3: "园区", 4: "类型", 5: "租金(元/m2/天)", 6: "业主统一社会信用代码"}  # headers as normalised
    assert (partial.applied, partial.created) == (True, 1) and Listing.objects.get().unit == "301"


def test_a_park_outside_the_officers_towns_is_rejected_and_a_pending_listing_is_not_changed(
    pujiang_officer, xinzhuang_officer, landlord
):
    run(pujiang_officer, [row(landlord)])

    other_town = run(xinzhuang_officer, [row(landlord, "309")])
    pending = run(pujiang_officer, [row(landlord, area="700")])

    assert other_town.rejected == 1 and "辖区" in other_town.errors[0].reason
    assert pending.rejected == 1 and "待核验" in pending.errors[0].reason
    assert Listing.objects.get().area == 650


def test_sanlian_import_space_listings_prints_json(landlord, tmp_path, capsys):
    path = tmp_path / "s.xlsx"
    path.write_bytes(xlsx([HEADER, row(landlord), row(landlord, "302", area="-1")]))

    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "space-listings", str(path), "--json", "--partial")

    result = json.loads(capsys.readouterr().out)
    assert exit_info.value.code == 1 and (result["created"], result["rejected"]) == (1, 1)
    assert result["errors"][0]["row"] == 3 and result["errors"][0]["column"] == "面积(m2)"


def test_the_kind_is_offered_to_officers_and_linked_from_space_management_but_not_to_landlords(
    client, pujiang_officer, landlord
):
    client.force_login(pujiang_officer)
    page = client.get(reverse("imports:start") + "?kind=space-listings").content.decode()
    manage = client.get(reverse("space:manage")).content.decode()
    client.force_login(factories.enterprise_user(landlord))

    assert '<option value="space-listings" selected>' in page
    assert "?kind=space-listings" in manage
    assert client.get(reverse("imports:start")).status_code == 403
    assert "?kind=space-listings" not in client.get(reverse("space:manage")).content.decode()


def test_the_demo_sheet_offers_three_new_units_and_one_unknown_type(pujiang_officer):
    from sanlian.core.validators import uscc_from_serial
    from sanlian.demo.imports import space_sheet
    from sanlian.demo.space import LANDLORD_SERIAL

    factories.enterprise("pujiang", uscc=uscc_from_serial(LANDLORD_SERIAL))

    report = run_import(SpaceListingImporter(), actor=pujiang_officer, data=space_sheet(), filename="d.xlsx",
                        dry_run=True)  # fmt: skip

    assert (report.created, report.rejected, report.errors[0].column) == (3, 1, "类型")
    assert not Listing.objects.exists()
