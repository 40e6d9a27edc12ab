"""The .xlsx export: one sheet per figure, the same numbers as the page, money as exact yuan numbers."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from sanlian.dashboard import exports, selectors
from tests import factories
from tests.downloads import assert_safe_download

EXPORT = reverse("dashboard:export")


def _sheet(wb, title):
    return [list(row) for row in wb[title].iter_rows(values_only=True)]


@pytest.mark.django_db
class TestExport:
    @pytest.fixture
    def workbook(self, client, cluster, pujiang_officer):
        client.force_login(pujiang_officer)
        response = client.get(EXPORT, {"town": "pujiang", "year": "2023"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
        assert 'filename="cockpit-pujiang-2023.xlsx"' in response["Content-Disposition"]
        assert_safe_download(response)
        return load_workbook(BytesIO(response.content))

    def test_the_full_export_has_one_sheet_per_figure(self, workbook):
        assert workbook.sheetnames == [
            "核心指标",
            "历年营业收入",
            "历年生物医药企业数",
            "产业集群分布",
            "园区分布",
            "春申重点企业",
            "基因相关企业占比",
            "营业收入前十企业",
            "春申人才层次分布",
            "春申人才产业分布",
            "历年春申人才",
        ]

    def test_the_overview_holds_the_tile_figures(self, workbook):
        rows = dict(_sheet(workbook, "核心指标")[1:])
        assert rows["镇/街道"] == "浦江镇" and rows["年度"] == 2023
        assert rows["生物医药企业数"] == 4
        assert Decimal(str(rows["生物医药企业营业收入(元)"])) == Decimal("188000000.75")
        assert rows["占全区生物医药企业比重"] == 0.8
        assert rows["春申重点企业数"] == 2 and rows["其中生物医药企业"] == 1
        assert rows["营业收入同比增长"] == 0.5667

    def test_money_cells_are_numbers_with_a_yuan_format(self, workbook):
        sheet = workbook["历年营业收入"]
        assert [c.value for c in sheet[1]] == ["年度", "营业收入(元)", "已审核年报数", "同比增长"]
        last = sheet[6]
        assert last[0].value == 2023
        assert isinstance(last[1].value, float | int) and Decimal(str(last[1].value)) == Decimal("188000000.75")
        assert last[1].number_format == exports.money_format() == '#,##0.00"元"'
        assert last[3].value == 0.5667 and last[3].number_format == exports.RATIO_FORMAT

    def test_clusters_parks_and_key_enterprises_match_the_figures(self, workbook):
        assert _sheet(workbook, "产业集群分布")[1:] == [
            ["医疗器械与设备", 2, 158000000.5],
            ["健康医疗服务", 1, 0],
            ["化学药物与生物制品", 1, 30000000.25],
        ]
        assert _sheet(workbook, "园区分布")[-1] == ["园区外", 2, 8000000]
        assert _sheet(workbook, "春申重点企业")[-1] == [2023, 2, 1, 1, 0.5]

    def test_the_top_enterprises_keep_their_order(self, workbook):
        rows = _sheet(workbook, "营业收入前十企业")[1:]
        assert [(r[0], r[1]) for r in rows] == [
            (1, "甲基因医疗器械有限公司"),
            (2, "乙生物制药有限公司"),
            (3, "丁医疗设备有限公司"),
        ]

    def test_a_single_figure_export_has_only_that_sheet(self, client, cluster, district_officer):
        client.force_login(district_officer)
        response = client.get(EXPORT, {"town": "pujiang", "year": "2023", "figure": "by_cluster"})
        assert response.status_code == 200
        assert "cockpit-pujiang-2023-by_cluster.xlsx" in response["Content-Disposition"]
        calamine = CalamineWorkbook.from_filelike(BytesIO(response.content))
        assert calamine.sheet_names == ["产业集群分布"]
        rows = calamine.get_sheet_by_name("产业集群分布").to_python()
        assert rows[0] == ["产业集群", "生物医药企业数", "营业收入(元)"]
        assert rows[1][:2] == ["医疗器械与设备", 2]


@pytest.mark.django_db
def test_an_enterprise_name_that_looks_like_a_formula_is_written_as_text(pujiang_officer):
    admin = factories.superuser()
    ent = factories.enterprise(actor=admin, name='=HYPERLINK("http://evil.example","x")')
    from tests.dashboard.conftest import approved_report

    approved_report(ent, 2023, "1000.00", officer=pujiang_officer, author=admin)
    figures = selectors.cockpit(factories.region("pujiang"), 2023)
    wb = load_workbook(BytesIO(exports.workbook_bytes(figures, ["top_enterprises"])))
    cell = wb["营业收入前十企业"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")


def test_an_unknown_figure_key_is_refused():
    with pytest.raises(KeyError):
        exports.workbook_bytes({"town": "浦江镇", "year": 2023}, ["nonsense"])
