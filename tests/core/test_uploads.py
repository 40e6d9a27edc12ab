"""core.uploads: every uploaded file is typed by its content, limited in size, and named after its type."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sanlian.core.uploads import DOCUMENTS, TABLES, WORKBOOKS, YAML_TEXT, checked_upload

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def workbook() -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    buffer = BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def refusal(upload, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        checked_upload(upload, field="file", **kwargs)
    return caught.value.message_dict["file"][0]


def test_a_pdf_renamed_to_png_is_stored_under_its_real_type():
    upload = SimpleUploadedFile("scan.png", PDF)

    assert checked_upload(upload, field="file") == ("scan.pdf", len(PDF))
    assert upload.name == "scan.pdf"


def test_an_executable_or_an_html_page_is_refused_whatever_its_name():
    assert "不支持的文件类型" in refusal(SimpleUploadedFile("report.pdf", EXE))
    assert "不支持的文件类型" in refusal(SimpleUploadedFile("x.csv", b"<html><script>alert(1)</script>"))


def test_an_empty_or_oversized_file_is_refused_naming_the_limit():
    assert refusal(SimpleUploadedFile("a.pdf", b"")) == "文件为空"
    assert refusal(SimpleUploadedFile("a.pdf", PDF), max_bytes=10) == "文件过大(上限 0 KB)"
    assert refusal(SimpleUploadedFile("a.pdf", PDF * 100), max_bytes=1024) == "文件过大(上限 1 KB)"


def test_tables_accept_a_workbook_or_a_csv_by_its_extension_but_not_a_binary_called_csv():
    assert checked_upload(SimpleUploadedFile("名单.XLSX", workbook()), field="f", kinds=TABLES)[0] == "名单.xlsx"
    csv = SimpleUploadedFile("名单.csv", "名称\n甲\n".encode())
    assert checked_upload(csv, field="f", kinds=TABLES)[0] == "名单.csv"
    assert "CSV" in refusal(SimpleUploadedFile("名单.csv", b"a,b\x00c"), kinds=TABLES)
    assert "CSV" in refusal(SimpleUploadedFile("名单.csv", PDF), kinds=TABLES)


def test_workbooks_and_yaml_refuse_each_other():
    assert ".xlsx" in refusal(SimpleUploadedFile("a.xlsx", b"year: 2023\n"), kinds=WORKBOOKS)
    assert "YAML" in refusal(SimpleUploadedFile("a.yaml", workbook()), kinds=YAML_TEXT)
    assert checked_upload(SimpleUploadedFile("p.yml", b"year: 2023\n"), field="f", kinds=YAML_TEXT)[0] == "p.yml"
    assert "PDF" in refusal(SimpleUploadedFile("a.yaml", b"year: 2023\n"), kinds=DOCUMENTS)


@pytest.mark.django_db
def test_the_import_page_refuses_a_renamed_file_on_its_field_and_keeps_no_job(client, pujiang_officer):
    from sanlian.imports.models import ImportJob

    client.force_login(pujiang_officer)
    response = client.post("/imports/", {"kind": "enterprises", "file": SimpleUploadedFile("e.xlsx", PDF)})

    assert "仅接受 Excel 工作簿(.xlsx、.xls)或 CSV 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_policy_yaml_import_refuses_a_binary_file(client, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.post("/policies/manage/import/", {"file": SimpleUploadedFile("p.yaml", PDF)}, follow=True)

    assert "仅接受 YAML 文本文件" in response.content.decode()
