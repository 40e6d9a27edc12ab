"""Building import files in memory: .xlsx (openpyxl, merges and formulas when asked) and .csv."""

import csv
from io import BytesIO, StringIO

from openpyxl import Workbook

ENTERPRISE_HEADER = ["统一社会信用代码", "企业名称", "国民经济行业代码", "所在镇/街道", "所在园区", "生物医药企业",
                     "产业集群", "成立日期", "注册资本(万元)"]  # fmt: skip


def xlsx(rows, *, sheets: dict | None = None, merges=(), title: str = "Sheet1") -> bytes:
    """A workbook whose first sheet holds `rows` (or several named sheets); `merges` like "A1:C1"."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, sheet_rows in (sheets or {title: rows}).items():
        sheet = workbook.create_sheet(name)
        for row in sheet_rows:
            sheet.append(row)
    for merge in merges:
        workbook.worksheets[0].merge_cells(merge)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buffer = StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def enterprise_row(uscc, name="上海导入测试生物科技有限公司", town="浦江镇", park="", capital="500"):
    return [uscc, name, "2760", town, park, "是", "医疗器械与设备", "2019-03-01", capital]
