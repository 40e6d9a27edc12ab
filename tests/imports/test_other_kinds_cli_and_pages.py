"""Annual reports and certifications imports, the CLI's JSON and exit codes, templates and the page journey."""

import json
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from sanlian.core.models import AuditEvent
from sanlian.enterprises.models import AnnualReport, Certification, Enterprise
from sanlian.imports.engine import run_import
from sanlian.imports.kinds import AnnualReportImporter, CertificationImporter
from sanlian.imports.models import ImportJob, ImportTemplate
from sanlian.imports.services import import_template_save
from tests import factories
from tests.downloads import assert_safe_download

from .helpers import ENTERPRISE_HEADER, csv_bytes, enterprise_row, xlsx

pytestmark = pytest.mark.django_db
REPORT_HEADER = ["统一社会信用代码", "年度", "营业收入(万元)", "纳税总额(万元)", "研发投入(元)", "从业人数", "研发人员"]


def test_imported_reports_land_approved_in_wan_yuan_and_a_second_import_is_unchanged(pujiang_officer):
    enterprise = factories.enterprise("pujiang")
    data = xlsx([REPORT_HEADER, [enterprise.uscc, 2024, "1200.5", "80", "1500000", 100, 20]])

    first = run_import(AnnualReportImporter(), actor=pujiang_officer, data=data, filename="r.xlsx")
    second = run_import(AnnualReportImporter(), actor=pujiang_officer, data=data, filename="r.xlsx")

    report = AnnualReport.objects.get(enterprise=enterprise, year=2024)
    assert (first.created, second.unchanged) == (1, 1)
    assert (report.revenue, report.status) == (Decimal("12005000.00"), AnnualReport.Status.APPROVED)
    assert AuditEvent.objects.filter(action="report.create", enterprise_id=enterprise.pk).count() == 1


def test_a_report_with_more_rd_staff_than_employees_or_changing_an_approved_report_is_rejected(pujiang_officer):
    enterprise = factories.enterprise("pujiang")
    run_import(AnnualReportImporter(), actor=pujiang_officer, filename="r.xlsx",
               data=xlsx([REPORT_HEADER, [enterprise.uscc, 2023, "1", "1", "1", 10, 2]]))  # fmt: skip
    data = xlsx(
        [REPORT_HEADER, [enterprise.uscc, 2024, "1", "1", "1", 10, 20], [enterprise.uscc, 2023, "2", "1", "1", 10, 2]]
    )

    report = run_import(AnnualReportImporter(), actor=pujiang_officer, data=data, filename="r.xlsx")

    reasons = {e.row: e.reason for e in report.errors}
    assert report.rejected == 2 and "研发人员" in reasons[2] and "审核通过" in reasons[3]


def test_certifications_are_matched_by_type_name_or_code_and_upserted_by_number(pujiang_officer):
    enterprise = factories.enterprise("pujiang")
    header = ["统一社会信用代码", "资质类型", "证书编号", "认定年度", "生效日期", "有效期至"]
    first = xlsx([header, [enterprise.uscc, "高新技术企业", "GR2024001", 2024, "2024-12-01", "2027-11-30"]])
    changed = xlsx([header, [enterprise.uscc, "hnte", "GR2024001", 2024, "2024-12-01", "2027-12-31"]])

    created = run_import(CertificationImporter(), actor=pujiang_officer, data=first, filename="c.xlsx")
    updated = run_import(CertificationImporter(), actor=pujiang_officer, data=changed, filename="c.xlsx")

    cert = Certification.objects.get(enterprise=enterprise)
    assert (created.created, updated.updated, str(cert.valid_until_date)) == (1, 1, "2027-12-31")
    assert cert.issuer == "上海市高新技术企业认定办公室"
    assert AuditEvent.objects.filter(action="certification.update", enterprise_id=enterprise.pk).exists()


def test_the_cli_prints_json_and_exits_non_zero_when_a_row_is_rejected(pujiang_officer, tmp_path, capsys):
    path = tmp_path / "e.xlsx"
    code = factories.new_uscc()
    path.write_bytes(xlsx([ENTERPRISE_HEADER, enterprise_row(code), enterprise_row("91310112MA1GB0000Y")]))

    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "enterprises", str(path), "--json", "--partial", "--user", pujiang_officer.username)
    result = json.loads(capsys.readouterr().out)

    assert exit_info.value.code == 1
    assert (result["created"], result["rejected"]) == (1, 1)
    assert result["errors"][0]["row"] == 3 and result["errors"][0]["column"] == "统一社会信用代码"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError) as bad_file:
        call_command("import", "enterprises", str(path), "--json")
    assert bad_file.value.returncode == 2


def test_a_saved_mapping_template_maps_unusual_headers_from_the_cli(pujiang_officer, tmp_path, capsys):
    import_template_save(actor=pujiang_officer, kind="enterprises", name="统计局格式",
                         mapping={"代码": "uscc", "单位": "name", "行业": "industry_code", "镇": "town"},
                         units={})  # fmt: skip
    code = factories.new_uscc()
    path = tmp_path / "e.xlsx"
    path.write_bytes(xlsx([["代码", "单位", "行业", "镇"], [code, "模板公司", "2760", "浦江镇"]]))

    call_command("import", "enterprises", str(path), "--json", "--template", "统计局格式")

    assert json.loads(capsys.readouterr().out)["created"] == 1
    assert Enterprise.objects.get(uscc=code).name == "模板公司"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # views queue the job through the outbox, on commit
def test_an_officer_uploads_dry_runs_confirms_and_sees_the_result_pages(client, pujiang_officer):
    client.force_login(pujiang_officer)
    code = factories.new_uscc()
    upload = SimpleUploadedFile("名录.xlsx", xlsx([ENTERPRISE_HEADER, enterprise_row(code)]))

    response = client.post(reverse("imports:start"), {"kind": "enterprises", "file": upload})
    dry = ImportJob.objects.get()
    page = client.get(response.url)
    progress = client.get(reverse("imports:progress", args=[dry.pk]))
    confirmed = client.post(reverse("imports:confirm", args=[dry.pk]))
    job = ImportJob.objects.get(dry_run=False)
    result = client.get(confirmed.url)

    assert response.status_code == 302 and (dry.status, dry.created) == ("done", 1)
    assert "预检结果" in page.content.decode() and "确认导入" in page.content.decode()
    assert "hx-get" not in progress.content.decode()  # finished: the polling stops
    assert (job.status, job.applied, job.created) == ("done", True, 1)
    assert "导入完成" in result.content.decode()
    assert Enterprise.objects.filter(uscc=code).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # views queue the job through the outbox, on commit
def test_the_error_report_and_the_template_workbook_download_as_xlsx_with_inert_cells(client, pujiang_officer):
    client.force_login(pujiang_officer)
    upload = SimpleUploadedFile("e.csv", csv_bytes([ENTERPRISE_HEADER, enterprise_row("=HYPERLINK(1)")]))
    client.post(reverse("imports:start"), {"kind": "enterprises", "file": upload})
    job = ImportJob.objects.get()

    errors_response = client.get(reverse("imports:errors", args=[job.pk]))
    template_response = client.get(reverse("imports:template", args=["annual-reports"]))
    assert_safe_download(errors_response)
    assert_safe_download(template_response)
    errors = load_workbook(BytesIO(errors_response.content)).active
    template = load_workbook(BytesIO(template_response.content)).active

    assert [c.value for c in errors[1]] == ["行号", "列", "值", "原因"]
    assert errors.cell(2, 3).value.startswith("'=")
    assert template.cell(1, 1).value == "统一社会信用代码" and template.cell(1, 3).value == "营业收入(元)"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # views queue the job through the outbox, on commit
def test_the_mapping_page_suggests_fields_and_saves_a_template_for_the_next_upload(client, pujiang_officer):
    client.force_login(pujiang_officer)
    code = factories.new_uscc()
    upload = SimpleUploadedFile(
        "e.xlsx", xlsx([["信用代码", "单位全称", "行业代码", "镇街"], [code, "甲公司", "2760", "浦江镇"]])
    )
    client.post(reverse("imports:start"), {"kind": "enterprises", "file": upload})
    job = ImportJob.objects.get()
    assert job.status == "failed" and "企业名称" in job.message

    page = client.get(reverse("imports:mapping", args=[job.pk]))
    response = client.post(
        reverse("imports:mapping", args=[job.pk]),
        {"col-0": "uscc", "col-1": "name", "col-2": "industry_code", "col-3": "town", "template_name": "甲表"},
    )

    assert '<option value="uscc" selected>' in page.content.decode()
    again = ImportJob.objects.latest("pk")
    assert response.status_code == 302 and (again.status, again.created) == ("done", 1)
    assert ImportTemplate.objects.get(name="甲表").mapping["单位全称"] == "name"


def test_an_enterprise_user_cannot_open_the_import_pages(client, enterprise_admin):
    client.force_login(enterprise_admin)

    assert client.get(reverse("imports:start")).status_code == 403


class _HugeUpload:
    """An upload that claims 50 MB and fails if anything tries to read it."""

    name, size = "big.xlsx", 50 * 1024 * 1024

    def chunks(self):
        raise AssertionError("a refused file must not be read")

    read = chunks


def test_a_50_mb_upload_is_refused_by_its_size_before_it_is_read_or_stored(pujiang_officer):
    from django.core.exceptions import ValidationError

    from sanlian.imports.services import import_job_create

    with pytest.raises(ValidationError) as refused:
        import_job_create(actor=pujiang_officer, kind="enterprises", upload=_HugeUpload())

    assert "32 MB" in refused.value.message_dict["file"][0]
    assert not ImportJob.objects.exists()


def test_sanlian_import_ip_runs_the_ip_portfolio_importer(pujiang_officer, tmp_path, capsys):
    path = tmp_path / "ip.xlsx"
    path.write_bytes(
        xlsx([["统一社会信用代码", "类型", "号码", "名称", "状态"], ["91310112MA1GB0000Y", "商标", "1", "x", "已注册"]])
    )

    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "ip", str(path), "--json", "--user", pujiang_officer.username)

    result = json.loads(capsys.readouterr().out)
    assert exit_info.value.code == 1 and result["rejected"] == 1 and result["errors"][0]["column"] == "统一社会信用代码"
