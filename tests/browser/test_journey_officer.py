"""Journey of a town officer: the cockpit of his town, another year chosen in the filter, the cockpit's
workbook and the enterprise directory filtered by cluster, each downloaded and opened with openpyxl."""

import io

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import sign_in


@pytest.fixture
def town(django_db_serialized_rollback, live_server):
    """Pujiang's small cluster of tests/dashboard (A, B, C, D biomedical, E not), made through the services."""
    from tests import factories
    from tests.dashboard.conftest import build_cluster

    officer = factories.officer("pujiang", username="pj_journey")
    return build_cluster(officer=officer, district_officer=factories.district_officer(username="mh_journey"))


def _download(page, click) -> tuple[str, object]:
    with page.expect_download() as info:
        click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, load_workbook(io.BytesIO(handle.read()), read_only=True)


def _rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _tile(page, label: str) -> str:
    return page.locator(".kpi", has=page.locator(".label", has_text=label)).locator(".value").inner_text()


@pytest.mark.browser
def test_the_officer_filters_the_cockpit_and_the_directory_and_exports_what_he_sees(page, live_server, town):
    # Given the Pujiang officer, signed in with his password and authenticator code, on his cockpit
    sign_in(page, live_server, "pj_journey")
    page.wait_for_url(f"{live_server.url}/cockpit/")
    assert page.locator("#id_year").input_value() == "2023"  # the newest year with an approved report
    assert _tile(page, "2023年营业收入").startswith("1.88")  # A + B + D = 188,000,000.75 yuan
    page.click("#figure-top_enterprises details summary")  # the chart's data table
    assert page.locator("#figure-top_enterprises table tbody tr").count() == 3  # A, B and D

    # When he picks 2022 and asks to see it
    page.select_option("#id_year", "2022")
    page.click("#cockpit-filters button[type=submit]")
    page.wait_for_url("**/cockpit/?*year=2022*")

    # Then the figures and the tables are those of 2022: A and B only (D reported 2023 only)
    assert "2022年" in page.locator("h1").inner_text()
    assert _tile(page, "2022年营业收入").startswith("1.20")
    page.click("#figure-top_enterprises details summary")
    top = page.locator("#figure-top_enterprises table tbody tr")
    assert top.count() == 2
    assert "甲基因医疗器械有限公司" in top.nth(0).inner_text() and "乙生物制药有限公司" in top.nth(1).inner_text()

    # When he exports the whole cockpit
    name, workbook = _download(page, lambda: page.click("text=导出全部 (.xlsx)"))

    # Then the workbook holds 2022's figures
    assert name.endswith(".xlsx")
    top_sheet = _rows(workbook["营业收入前十企业"])
    assert [row[1] for row in top_sheet[1:]] == ["甲基因医疗器械有限公司", "乙生物制药有限公司"]
    assert [row[3] for row in top_sheet[1:]] == [100_000_000, 20_000_000]

    # When he opens the enterprise directory and filters it to the medical-device cluster
    page.goto(f"{live_server.url}/enterprises/")
    assert "共 5 家企业" in page.locator("[role=status]").inner_text()  # his town only: A–E
    page.select_option("#id_cluster", label="医疗器械与设备")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/enterprises/?*cluster=devices*")

    # Then he sees the two device makers of his town, and the export holds exactly those rows
    names = page.locator("table tbody td:first-child a").all_inner_texts()
    assert sorted(names) == ["丁医疗设备有限公司", "甲基因医疗器械有限公司"]
    name, workbook = _download(page, lambda: page.click("text=导出 Excel"))
    assert name.endswith(".xlsx")
    rows = _rows(workbook.worksheets[0])
    header, body = rows[0], rows[1:]
    column = header.index("企业名称")
    assert sorted(row[column] for row in body) == ["丁医疗设备有限公司", "甲基因医疗器械有限公司"]
    assert all("医疗器械与设备" in row for row in body)

    assert page.evaluate("window.__csp") == [] and page.problems == []
