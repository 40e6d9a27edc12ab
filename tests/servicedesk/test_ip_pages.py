"""The IP portfolio's pages: the list, a portfolio, add/edit/lapse, the import with its error report, scope."""

from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sanlian.core.models import Role
from sanlian.servicedesk.ip_import import ip_import
from sanlian.servicedesk.models import IPAsset
from sanlian.servicedesk.services import ip as services
from tests import factories
from tests.downloads import assert_safe_download

from .ip_helpers import HEADER, NOW, invention, patent_number, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def held(enterprise, **overrides):
    return services.ip_asset_add(actor=factories.superuser(), enterprise=enterprise, data=invention(**overrides))


def test_the_enterprise_profile_shows_the_ip_summary_with_a_link(client, pujiang_enterprise, enterprise_admin):
    held(pujiang_enterprise)
    client.force_login(enterprise_admin)

    page = client.get(f"/enterprises/{pujiang_enterprise.pk}/").content.decode()

    assert "知识产权概况" in page and f"/desk/ip/enterprise/{pujiang_enterprise.pk}/" in page


def test_an_enterprise_admin_adds_an_asset_through_the_form(client, pujiang_enterprise, enterprise_admin):
    client.force_login(enterprise_admin)
    url = f"/desk/ip/enterprise/{pujiang_enterprise.pk}/new/"
    assert client.get(url).status_code == 200
    form = {
        **invention(),
        "filing_date": "2023-03-01",
        "grant_date": "2024-09-10",
        "trademark_class": "",
        "co_owners": "",
    }

    response = client.post(url, form)

    assert response.status_code == 302
    assert IPAsset.objects.get().enterprise == pujiang_enterprise
    portfolio = client.get(response["Location"]).content.decode()
    assert "202310123456.6" in portfolio and "2043年2月28日" in portfolio


def test_a_bad_number_comes_back_on_its_field_in_chinese_and_english(client, pujiang_enterprise, enterprise_admin):
    client.force_login(enterprise_admin)
    url = f"/desk/ip/enterprise/{pujiang_enterprise.pk}/new/"
    form = {**invention(number="202310123456.1"), "filing_date": "2023-03-01", "grant_date": "2024-09-10"}

    response = client.post(url, form)
    assert response.status_code == 400 and "校验位" in response.content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "check character" in english


def test_editing_and_marking_lapsed_from_the_portfolio(client, pujiang_enterprise, enterprise_admin):
    asset = held(pujiang_enterprise)
    client.force_login(enterprise_admin)
    assert client.get(f"/desk/ip/{asset.pk}/edit/").status_code == 200

    response = client.post(f"/desk/ip/{asset.pk}/lapse/")

    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == "lapsed"


def test_out_of_scope_portfolios_and_assets_answer_404(client, pujiang_enterprise, xinzhuang_officer):
    asset = held(pujiang_enterprise)
    other_admin = factories.enterprise_user(factories.enterprise("xinzhuang"))
    for user in (xinzhuang_officer, other_admin):
        client.force_login(user)
        for url in (
            f"/desk/ip/enterprise/{pujiang_enterprise.pk}/",
            f"/desk/ip/enterprise/{pujiang_enterprise.pk}/new/",
            f"/desk/ip/{asset.pk}/edit/",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"/desk/ip/{asset.pk}/lapse/").status_code == 404
        assert asset.number not in client.get("/desk/ip/").content.decode()


def test_staff_see_the_portfolio_but_cannot_edit_and_enterprises_cannot_import(client, pujiang_enterprise):
    asset = held(pujiang_enterprise)
    staff = factories.enterprise_user(pujiang_enterprise, role=Role.ENTERPRISE_STAFF)
    client.force_login(staff)

    assert client.get(f"/desk/ip/enterprise/{pujiang_enterprise.pk}/").status_code == 200
    assert client.get(f"/desk/ip/{asset.pk}/edit/").status_code == 403
    assert client.get("/desk/ip/import/").status_code == 403


def test_officers_list_the_town_filter_by_kind_and_reach_the_import(client, pujiang_enterprise, pujiang_officer):
    held(pujiang_enterprise)
    held(pujiang_enterprise, number=patent_number("invention", 5), title="第二件专利")
    client.force_login(pujiang_officer)

    page = client.get("/desk/ip/?kind=invention").content.decode()
    assert "第二件专利" in page and "/desk/ip/import/" in page
    assert "第二件专利" not in client.get("/desk/ip/?kind=trademark").content.decode()
    assert "/desk/ip/" in client.get("/cockpit/").content.decode()  # the navigation entry


def test_the_import_page_runs_a_dry_run_and_offers_the_errors_as_xlsx(client, pujiang_enterprise, pujiang_officer):
    client.force_login(pujiang_officer)
    rows = [
        [
            pujiang_enterprise.uscc,
            "发明专利",
            patent_number("invention", 8),
            "一种检测方法",
            "已授权",
            "2023-01-05",
            "2024-02-01",
        ],
        [pujiang_enterprise.uscc, "发明专利", "202310000008.0", "校验位错误", "已授权", "2023-01-05", "2024-02-01"],
    ]
    upload = SimpleUploadedFile("知识产权.xlsx", xlsx([HEADER, *rows]))

    response = client.post("/desk/ip/import/", {"file": upload, "dry_run": "on"})

    text = response.content.decode()
    assert response.status_code == 200 and "预检结果" in text and "校验位" in text
    assert not IPAsset.objects.exists()
    download = client.get("/desk/ip/import/errors.xlsx")
    assert_safe_download(download)
    sheet = load_workbook(BytesIO(download.content)).active
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet["A2"].value == 3 and sheet["B2"].value == "号码"


def test_a_renamed_non_excel_file_is_refused_on_the_file_field(client, pujiang_officer):
    client.force_login(pujiang_officer)
    upload = SimpleUploadedFile("名单.xlsx", b"%PDF-1.4 not a workbook")

    response = client.post("/desk/ip/import/", {"file": upload})

    assert response.status_code == 400 and "仅接受 Excel 工作簿(.xlsx)" in response.content.decode()


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def test_a_certificate_scan_is_kept_and_downloadable_only_in_scope(
    client, pujiang_enterprise, enterprise_admin, xinzhuang_officer
):
    client.force_login(enterprise_admin)
    form = {**invention(), "filing_date": "2023-03-01", "grant_date": "2024-09-10"}
    form["certificate"] = SimpleUploadedFile("证书.pdf", PDF, content_type="application/pdf")

    assert client.post(f"/desk/ip/enterprise/{pujiang_enterprise.pk}/new/", form).status_code == 302
    asset = IPAsset.objects.get()
    download = client.get(f"/desk/ip/{asset.pk}/certificate/")
    assert_safe_download(download)

    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "202310123456.6.pdf" in download["Content-Disposition"]
    client.force_login(xinzhuang_officer)
    assert client.get(f"/desk/ip/{asset.pk}/certificate/").status_code == 404


def test_a_certificate_that_is_not_a_scan_is_refused_on_its_field_and_nothing_is_saved(
    client, pujiang_enterprise, enterprise_admin
):
    client.force_login(enterprise_admin)
    form = {**invention(), "filing_date": "2023-03-01", "grant_date": "2024-09-10"}
    form["certificate"] = SimpleUploadedFile(
        "证书.pdf", b"MZ\x90\x00 an executable renamed", content_type="application/pdf"
    )

    response = client.post(f"/desk/ip/enterprise/{pujiang_enterprise.pk}/new/", form)

    assert response.status_code == 400 and "证书文件" in response.content.decode()
    assert not IPAsset.objects.exists()


def test_the_import_template_has_the_columns_and_its_example_row_passes_a_dry_run_but_for_the_code(
    client, pujiang_officer
):
    client.force_login(pujiang_officer)

    response = client.get("/desk/ip/import/template.xlsx")
    assert_safe_download(response)

    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:7] == tuple(HEADER[:7])
    report = ip_import(actor=pujiang_officer, data=response.content, dry_run=True)
    assert report.rejected == 1 and [e.column for e in report.errors] == ["统一社会信用代码"]
