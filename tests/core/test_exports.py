"""The shared export writer: typed cells, inert text, masked personal data, chunked reads, a streamed response."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import FileResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sanlian.chain.models import Posting
from sanlian.chain.services import postings
from sanlian.core import exports
from sanlian.core.exports import Column, inert, workbook_bytes, xlsx_response
from sanlian.core.models import AuditEvent
from tests import factories
from tests.chain.test_postings import DESCRIPTION
from tests.downloads import assert_safe_download
from tests.xlsx import xlsx_bytes, xlsx_rows


def test_inert_prefixes_every_formula_start_also_after_spaces_and_leaves_the_rest():
    values = ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\r=1", "  =1", " +1", "正常", "a=1", 5, -3, None)

    assert [inert(v) for v in values] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\r=1",
        "'  =1",
        "' +1",
        "正常",
        "a=1",
        5,
        -3,
        None,
    ]


def test_numbers_dates_and_money_stay_typed_while_text_is_inert():
    shanghai = ZoneInfo("Asia/Shanghai")
    row = {
        "name": '=HYPERLINK("http://evil.example","x")',
        "count": -3,
        "amount": Decimal("1234.50"),
        "day": date(2024, 6, 1),
        "at": datetime(2024, 6, 1, 1, 30, tzinfo=ZoneInfo("UTC")),
        "flag": True,
        "missing": None,
    }
    columns = (
        Column("名称", "name"),
        Column("数量", "count", "int"),
        Column("金额", "amount", "money"),
        Column("日期", "day", "date"),
        Column("时间", "at", "datetime"),
        Column("标记", "flag"),
        Column("空", "missing.deeper"),
    )

    book = load_workbook(BytesIO(workbook_bytes([("表", columns, [row])])))

    cells = list(book.active.iter_rows(min_row=2))[0]
    assert cells[0].value == '\'=HYPERLINK("http://evil.example","x")' and cells[0].data_type == "s"
    assert cells[1].value == -3 and cells[1].data_type == "n"
    assert cells[2].value == Decimal("1234.5") or cells[2].value == 1234.5
    assert cells[2].number_format == "#,##0.00"
    assert cells[3].value == datetime(2024, 6, 1) and cells[3].number_format == "yyyy-mm-dd"
    local = datetime(2024, 6, 1, 1, 30, tzinfo=ZoneInfo("UTC")).astimezone(shanghai).replace(tzinfo=None)
    assert cells[4].value == local and cells[4].number_format == "yyyy-mm-dd hh:mm"
    assert cells[5].value == "是" and cells[6].value is None


@pytest.mark.django_db
def test_the_response_streams_a_temporary_file_with_a_utf8_filename_and_records_who_exported_what(rf_user):
    request, user = rf_user("/x/?q=%E7%94%9F%E7%89%A9&page=3&format=xlsx")

    response = xlsx_response(
        request, list_name="test.list", filename="企业名录.xlsx", columns=(Column("名称", "name"),),
        rows=[{"name": "甲"}, {"name": "乙"}],
    )  # fmt: skip

    assert isinstance(response, FileResponse) and response.streaming
    assert "filename*=utf-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95.xlsx" in response["Content-Disposition"]
    assert_safe_download(response)
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert xlsx_rows(response) == [("名称",), ("甲",), ("乙",)]
    audit = AuditEvent.objects.get(action="list.export")
    assert audit.actor == user and audit.changes == {"list": "test.list", "filter": "q=%E7%94%9F%E7%89%A9", "rows": 2}


@pytest.fixture
def rf_user(db):
    def make(path):
        request = RequestFactory().get(path)
        request.user = factories.officer()
        return request, request.user

    return make


@pytest.mark.django_db
def test_a_queryset_is_read_in_chunks_so_memory_does_not_grow_with_the_list(monkeypatch, pujiang_enterprise):
    # Given seven postings, each with its chain nodes prefetched
    author = factories.enterprise_user(pujiang_enterprise)
    for n in range(7):
        data = {"kind": "business_request", "title": f"采购无菌注射器{n}", "description": DESCRIPTION, "nodes": ["M5"]}
        postings.posting_create(actor=author, enterprise=pujiang_enterprise, data=data, now=timezone.now())
    rows = Posting.objects.prefetch_related("nodes").order_by("pk")
    columns = (Column("标题", "title"), Column("环节", lambda p: " ".join(n.code for n in p.nodes.all())))

    def queries(chunk: int) -> int:
        monkeypatch.setattr(exports, "CHUNK", chunk)
        with CaptureQueriesContext(connection) as ctx:
            content = workbook_bytes([("表", columns, rows)])
        assert load_workbook(BytesIO(content)).active.max_row == 8
        return len(ctx)

    # When the chunk holds 3 rows instead of 100, Then the 7 rows' prefetch runs per chunk: 3 times instead of once
    assert queries(3) - queries(100) == 2


@pytest.mark.django_db
def test_a_formula_typed_into_an_enterprise_name_arrives_inert_in_the_directory_export(client, pujiang_officer):
    factories.enterprise(name='=HYPERLINK("http://evil.example","点我")')
    factories.enterprise(name="@SUM(A1)有限公司")
    client.force_login(pujiang_officer)

    response = client.get(reverse("enterprises:directory"), {"format": "xlsx"})

    book = load_workbook(BytesIO(xlsx_bytes(response)))
    names = {cell.value: cell.data_type for (cell,) in book.active.iter_rows(min_row=2, max_col=1)}
    assert names == {'\'=HYPERLINK("http://evil.example","点我")': "s", "'@SUM(A1)有限公司": "s"}
