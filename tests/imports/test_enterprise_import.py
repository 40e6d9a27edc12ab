"""Importing enterprises: upsert by USCC, all-or-nothing or partial, scope, history, messy sheets."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sanlian.core.models import AuditEvent
from sanlian.enterprises.models import Enterprise
from sanlian.imports.engine import run_import
from sanlian.imports.kinds import EnterpriseImporter
from tests import factories

from .helpers import ENTERPRISE_HEADER, csv_bytes, enterprise_row, xlsx

pytestmark = pytest.mark.django_db


def run(actor, data, **options):
    return run_import(EnterpriseImporter(), actor=actor, data=data, filename=options.pop("filename", "e.xlsx"),
                      **options)  # fmt: skip


def test_a_new_sheet_creates_the_enterprises_with_money_in_wan_yuan_and_importing_it_again_changes_nothing(
    pujiang_officer,
):
    codes = [factories.new_uscc(), factories.new_uscc()]
    data = xlsx([ENTERPRISE_HEADER, enterprise_row(codes[0], capital="1.5"), enterprise_row(codes[1], name="乙公司")])

    first = run(pujiang_officer, data)
    second = run(pujiang_officer, data)

    assert (first.created, first.rejected, first.applied) == (2, 0, True), first.errors
    assert Enterprise.objects.get(uscc=codes[0]).registered_capital == Decimal("15000.00")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.filter(action="enterprise.create", enterprise_id__isnull=False).count() == 2


def test_a_changed_cell_updates_the_enterprise_and_records_old_and_new_in_its_history(pujiang_officer):
    existing = factories.enterprise("pujiang", name="旧名称有限公司")
    data = xlsx([ENTERPRISE_HEADER, enterprise_row(existing.uscc, name="新名称有限公司")])

    report = run(pujiang_officer, data)

    assert report.updated == 1
    event = AuditEvent.objects.filter(action="enterprise.update", enterprise_id=existing.pk).get()
    assert event.changes["name"] == ["旧名称有限公司", "新名称有限公司"]
    assert event.actor == pujiang_officer


def test_one_bad_row_writes_nothing_by_default_but_the_valid_rows_with_partial(pujiang_officer):
    good, bad = factories.new_uscc(), "91310112MA1GB0000Y"
    data = xlsx([ENTERPRISE_HEADER, enterprise_row(good), enterprise_row(bad, name="坏代码公司")])

    strict = run(pujiang_officer, data)
    assert (strict.applied, strict.rejected, Enterprise.objects.filter(uscc=good).exists()) == (False, 1, False)
    partial = run(pujiang_officer, data, partial=True)

    assert (partial.applied, partial.created, partial.rejected) == (True, 1, 1)
    assert Enterprise.objects.filter(uscc=good).exists()
    assert strict.errors[0].row == 3 and strict.errors[0].column == "统一社会信用代码"


def test_a_dry_run_reports_the_counts_and_writes_nothing(pujiang_officer):
    code = factories.new_uscc()

    report = run(pujiang_officer, xlsx([ENTERPRISE_HEADER, enterprise_row(code)]), dry_run=True)

    assert (report.created, report.applied) == (1, False)
    assert not Enterprise.objects.filter(uscc=code).exists()


def test_a_uscc_registered_in_another_town_is_rejected_without_naming_that_enterprise(pujiang_officer):
    other = factories.enterprise("xinzhuang", name="莘庄保密名称有限公司")

    report = run(pujiang_officer, xlsx([ENTERPRISE_HEADER, enterprise_row(other.uscc, name="改名")]), partial=True)

    assert report.rejected == 1
    reason = report.errors[0].reason
    assert other.uscc in reason and "莘庄保密名称" not in reason
    other.refresh_from_db()
    assert other.name == "莘庄保密名称有限公司"


def test_an_officer_cannot_create_an_enterprise_in_a_town_they_do_not_cover(pujiang_officer):
    report = run(pujiang_officer, xlsx([ENTERPRISE_HEADER, enterprise_row(factories.new_uscc(), town="莘庄镇")]))

    assert report.rejected == 1 and report.errors[0].column == "所在镇/街道"


def test_the_same_uscc_twice_in_one_file_names_both_rows(pujiang_officer):
    code = factories.new_uscc()

    report = run(pujiang_officer, xlsx([ENTERPRISE_HEADER, enterprise_row(code), enterprise_row(code, name="另一家")]))

    assert report.rejected == 1
    assert report.errors[0].row == 3 and "第 2 行" in report.errors[0].reason


def test_a_header_below_a_title_merged_cells_full_width_text_and_serial_dates_are_read(pujiang_officer):
    code = factories.new_uscc()
    rows = [
        ["2024年浦江镇企业名录", None, None],
        [],
        ENTERPRISE_HEADER,
        [code.replace("9", "９"), "全角　测试有限公司", "２７６０", None, "", "是", "医疗器械与设备", 43831, "10"],
        [factories.new_uscc(), "第二家有限公司", "2760", None, "", "否", "", "2020年1月2日", "10"],
        [None] * 3,
    ]
    # The town column is merged over both data rows: Excel keeps the value in the top cell only.
    rows[3][3] = "浦江镇"
    data = xlsx(rows, merges=["A1:C1", "D4:D5"])

    report = run(pujiang_officer, data)

    assert (report.created, report.rejected) == (2, 0), report.errors
    enterprise = Enterprise.objects.get(uscc=code)
    assert (enterprise.name, enterprise.industry_code, str(enterprise.founded_date)) == (
        "全角 测试有限公司", "2760", "2020-01-01")  # fmt: skip
    assert enterprise.registered_capital == Decimal("100000.00")


def test_missing_headers_are_named_and_a_sheet_that_is_not_the_first_is_pointed_to(pujiang_officer):
    with pytest.raises(ValidationError) as missing:
        run(pujiang_officer, xlsx([["统一社会信用代码", "企业名称"], ["x", "y"]]))
    with pytest.raises(ValidationError) as elsewhere:
        run(pujiang_officer, xlsx(None, sheets={"说明": [["填表说明"]], "企业": [ENTERPRISE_HEADER]}))
    chosen = run(pujiang_officer, xlsx(None, sheets={"说明": [["x"]], "企业": [ENTERPRISE_HEADER,
                 enterprise_row(factories.new_uscc())]}), sheet="企业")  # fmt: skip

    assert "国民经济行业代码" in missing.value.message_dict["file"][0]
    assert "企业" in elsewhere.value.message_dict["file"][0]
    assert chosen.created == 1


def test_a_pdf_renamed_xlsx_and_an_oversized_file_are_refused_with_a_message(pujiang_officer, monkeypatch):
    with pytest.raises(ValidationError) as renamed:
        run(pujiang_officer, b"%PDF-1.7 not a workbook", filename="e.xlsx")
    monkeypatch.setattr("sanlian.imports.engine.MAX_IMPORT_BYTES", 10)
    with pytest.raises(ValidationError) as big:
        run(pujiang_officer, xlsx([ENTERPRISE_HEADER]))

    assert "Excel" in renamed.value.message_dict["file"][0]
    assert "MB" in big.value.message_dict["file"][0]


def test_a_formula_cell_is_reported_on_its_row_instead_of_trusting_its_cached_value(pujiang_officer):
    data = xlsx([ENTERPRISE_HEADER, enterprise_row(factories.new_uscc(), capital="=100*2")])

    report = run(pujiang_officer, data)

    assert report.rejected == 1
    assert report.errors[0].column == "注册资本(万元)" and "公式" in report.errors[0].reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_files_in_utf8_with_or_without_bom_and_in_gb18030_are_read(pujiang_officer, encoding):
    code = factories.new_uscc()

    report = run(pujiang_officer, csv_bytes([ENTERPRISE_HEADER, enterprise_row(code)], encoding), filename="e.csv")

    assert report.created == 1, report.errors
    assert Enterprise.objects.get(uscc=code).name == "上海导入测试生物科技有限公司"


def test_a_cluster_on_a_new_enterprise_not_marked_biomedical_is_refused_like_a_manual_edit(pujiang_officer):
    header = ["统一社会信用代码", "企业名称", "国民经济行业代码", "所在镇/街道", "产业集群"]
    data = xlsx([header, [factories.new_uscc(), "无标记公司", "2760", "浦江镇", "医疗器械与设备"]])

    report = run(pujiang_officer, data)

    assert report.rejected == 1 and report.errors[0].column == "产业集群"
