"""Importing IP portfolios from .xlsx: dry run, all-or-nothing, idempotent upsert, messy sheets, the CLI."""

import json
from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from sanlian.core.models import AuditEvent
from sanlian.servicedesk.ip_import import error_workbook, ip_import
from sanlian.servicedesk.models import IPAsset
from tests import factories

from .ip_helpers import HEADER, NOW, patent_number, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def good_rows(enterprise) -> list[list]:
    return [
        [
            enterprise.uscc,
            "发明专利",
            "ZL" + patent_number("invention", 1),
            "一种核酸提取方法",
            "已授权",
            "2023-02-01",
            "2024-05-06",
        ],
        [
            enterprise.uscc,
            "实用新型",
            patent_number("utility", 2, 2022),
            "一种采样拭子",
            "已授权",
            "2022/3/4",
            "2022年9月1日",
        ],
        [enterprise.uscc, "商标", "61234567", "澜屿", "已注册", "2021-05-06", "2022-07-14", 10],
    ]


def import_as(officer, data, **options):
    return ip_import(actor=officer, data=data, now=NOW, **options)


def test_a_dry_run_reports_each_bad_row_with_column_value_and_reason_and_writes_nothing(
    pujiang_enterprise, pujiang_officer
):
    rows = [
        *good_rows(pujiang_enterprise),
        [pujiang_enterprise.uscc, "发明专利", "202310000001.0", "校验位错误", "已授权", "2023-01-01", "2024-01-01"],
        [pujiang_enterprise.uscc, "软件著作权", "2023SR0123456", "检测分析软件", "已登记", "2023-13-45", ""],
    ]
    data = xlsx([HEADER, *rows])

    report = import_as(pujiang_officer, data, dry_run=True)

    assert (report.created, report.rejected, report.applied) == (3, 2, False)
    by_row = {e.row: e for e in report.errors}
    assert by_row[5].column == "号码" and by_row[5].value == "202310000001.0" and "校验位" in by_row[5].reason
    assert by_row[6].column == "申请日" and by_row[6].value == "2023-13-45"
    assert not IPAsset.objects.exists() and not AuditEvent.objects.filter(action__startswith="ip.").exists()
    sheet = load_workbook(BytesIO(error_workbook(report))).active
    assert [c.value for c in sheet[1]] == ["行号", "列", "值", "原因"]
    assert sheet.max_row == 3 and sheet["A2"].value == 5


def test_importing_is_all_or_nothing_unless_partial_is_asked(pujiang_enterprise, pujiang_officer):
    bad = [pujiang_enterprise.uscc, "商标", "TM-1", "坏号码", "已注册", "2021-01-01", "2022-01-01", 5]
    data = xlsx([HEADER, *good_rows(pujiang_enterprise), bad])

    refused = import_as(pujiang_officer, data)
    assert refused.rejected == 1 and not refused.applied and not IPAsset.objects.exists()

    partial = import_as(pujiang_officer, data, partial=True)
    assert partial.applied and IPAsset.objects.count() == 3


def test_the_same_file_twice_changes_nothing_and_a_changed_row_updates_its_asset(pujiang_enterprise, pujiang_officer):
    rows = good_rows(pujiang_enterprise)
    first = import_as(pujiang_officer, xlsx([HEADER, *rows]))
    assert (first.created, first.applied) == (3, True)
    events = AuditEvent.objects.filter(action__startswith="ip.").count()

    second = import_as(pujiang_officer, xlsx([HEADER, *rows]))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.filter(action__startswith="ip.").count() == events

    rows[0][4] = "已失效"
    third = import_as(pujiang_officer, xlsx([HEADER, *rows]))
    assert (third.updated, third.unchanged) == (1, 2)
    assert IPAsset.objects.get(kind="invention").status == "lapsed"
    assert AuditEvent.objects.filter(action="ip.update", actor=pujiang_officer).count() == 1


def test_a_messy_sheet_with_a_title_block_full_width_text_serial_dates_and_blank_rows_imports(
    pujiang_enterprise, pujiang_officer
):
    uscc = "".join(chr(ord(c) + 0xFEE0) for c in pujiang_enterprise.uscc)  # typed in full width
    header = ["序号", " 统一社会信用代码 ", "类  型", "号码", "名称", "状态", "申请日", "注册日", "商标类别"]
    rows = [
        [1, uscc, "商标", "第６１２３４５６７号", "澜屿　医疗", "已注册", 44322, 44756.0, "１０"],
        [None, None, None, None, None, None, None, None, None],  # a blank row inside
        [
            2,
            pujiang_enterprise.uscc.lower(),
            "发明",
            patent_number("invention", 9),
            " 一种  芯片 ",
            "授权",
            "20230201",
            "2024.05.06",
            None,
        ],
    ]
    data = xlsx([header, *rows], title_rows=3, blank_tail=5)

    report = import_as(pujiang_officer, data)

    assert report.errors == [] and report.created == 2
    mark = IPAsset.objects.get(kind="trademark")
    assert (mark.number, mark.title, mark.trademark_class) == ("61234567", "澜屿 医疗", 10)
    assert (mark.filing_date, mark.grant_date) == (date(2021, 5, 6), date(2022, 7, 14))
    assert IPAsset.objects.get(kind="invention").title == "一种 芯片"


def test_a_uscc_of_another_town_or_unknown_is_a_row_error(pujiang_officer, xinzhuang_enterprise):
    rows = [
        [xinzhuang_enterprise.uscc, "商标", "61234567", "外镇商标", "已注册", "2021-05-06", "2022-07-14", 10],
        [factories.new_uscc(), "商标", "61234568", "查无此企业", "已注册", "2021-05-06", "2022-07-14", 10],
    ]

    report = import_as(pujiang_officer, xlsx([HEADER, *rows]), dry_run=True)

    assert report.rejected == 2
    assert {e.column for e in report.errors} == {"统一社会信用代码"}
    assert all("管辖范围" in e.reason for e in report.errors)


def test_a_patent_held_by_an_enterprise_elsewhere_is_a_row_error_on_the_number(
    pujiang_enterprise, xinzhuang_enterprise, district_officer
):
    number = patent_number("invention", 77)
    rows = [
        [xinzhuang_enterprise.uscc, "发明专利", number, "莘庄的专利", "已授权", "2023-01-01", "2024-01-01"],
        [pujiang_enterprise.uscc, "发明专利", number, "同号专利", "已授权", "2023-01-01", "2024-01-01"],
    ]

    report = import_as(district_officer, xlsx([HEADER, *rows]))

    assert report.rejected == 1 and report.errors[0].row == 3 and report.errors[0].column == "号码"
    assert not IPAsset.objects.exists()


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"%PDF-1.7 this is a scanned letter, renamed to .xlsx", "Excel"),
        (b"", "为空"),
        (xlsx([["名称", "号码"], ["x", "y"]]), "表头"),
    ],
)
def test_a_file_that_is_no_usable_workbook_is_a_clear_file_error(pujiang_officer, payload, words):
    with pytest.raises(ValidationError) as exc:
        import_as(pujiang_officer, payload)
    assert words in exc.value.message_dict["file"][0]


def test_an_oversized_file_is_refused_before_reading(pujiang_officer, monkeypatch):
    monkeypatch.setattr("sanlian.servicedesk.ip_import.MAX_IMPORT_BYTES", 100)
    with pytest.raises(ValidationError) as exc:
        import_as(pujiang_officer, b"x" * 101)
    assert "过大" in exc.value.message_dict["file"][0]


def test_only_officers_import(enterprise_admin):
    with pytest.raises(PermissionDenied):
        import_as(enterprise_admin, xlsx([HEADER]))


def test_the_command_prints_json_counts_and_exits_non_zero_on_a_rejected_row(pujiang_enterprise, tmp_path, capsys):
    bad = [pujiang_enterprise.uscc, "商标", "TM-1", "坏号码", "已注册", "2021-01-01", "2022-01-01", 5]
    path = tmp_path / "ip.xlsx"
    path.write_bytes(xlsx([HEADER, *good_rows(pujiang_enterprise), bad]))

    with pytest.raises(SystemExit) as exit_:
        call_command("ip", "import", str(path), "--dry-run", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert exit_.value.code == 1
    assert {k: printed[k] for k in ("created", "updated", "unchanged", "rejected")} == {
        "created": 3, "updated": 0, "unchanged": 0, "rejected": 1,
    }  # fmt: skip
    assert printed["errors"][0]["row"] == 5 and not IPAsset.objects.exists()

    path.write_bytes(xlsx([HEADER, *good_rows(pujiang_enterprise)]))
    call_command("ip", "import", str(path), "--json")
    assert json.loads(capsys.readouterr().out)["created"] == 3 and IPAsset.objects.count() == 3


def test_the_command_refuses_a_non_excel_file_with_a_message(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("统一社会信用代码,类型\n")
    with pytest.raises(CommandError) as exc:
        call_command("ip", "import", str(path))
    assert "Excel" in str(exc.value)
