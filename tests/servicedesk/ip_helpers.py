"""IP portfolio test data: valid official numbers, asset data and .xlsx sheets built with openpyxl."""

from datetime import date, datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook

from sanlian.servicedesk.ip_numbers import check_character

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.get_default_timezone())
TYPE_DIGIT = {"invention": "1", "utility": "2", "design": "3"}


def patent_number(kind: str = "invention", serial: int = 123456, year: int = 2023) -> str:
    """A CN application number with a correct check character, e.g. 202310123456.6."""
    digits = f"{year}{TYPE_DIGIT[kind]}{serial:07d}"
    return f"{digits}.{check_character(digits)}"


def invention(**overrides) -> dict:
    data = {
        "kind": "invention",
        "number": patent_number("invention"),
        "title": "一种用于核酸检测的微流控芯片",
        "status": "granted",
        "filing_date": date(2023, 3, 1),
        "grant_date": date(2024, 9, 10),
    }
    data.update(overrides)
    return data


def trademark(**overrides) -> dict:
    data = {
        "kind": "trademark",
        "number": "61234567",
        "title": "澜屿",
        "status": "granted",
        "filing_date": date(2021, 5, 6),
        "grant_date": date(2022, 7, 14),
        "trademark_class": 10,
    }
    data.update(overrides)
    return data


HEADER = ["统一社会信用代码", "类型", "号码", "名称", "状态", "申请日", "授权日", "商标类别"]


def xlsx(rows: list[list], *, title_rows: int = 0, blank_tail: int = 0) -> bytes:
    """A workbook whose first sheet holds `title_rows` title lines, the rows, then `blank_tail` blank rows."""
    workbook = Workbook()
    sheet = workbook.active
    for i in range(title_rows):
        sheet.append(["浦江镇企业知识产权汇总表" if i == 0 else None])
    for row in rows:
        sheet.append(row)
    for _ in range(blank_tail):
        sheet.cell(row=sheet.max_row + 1, column=1, value="")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
