"""The import demo: one dry run of an enterprise sheet by 浦江镇's officer, waiting to be confirmed.

The sheet updates three demo enterprises of 浦江镇 (a new address, registered capital in 万元), repeats
one unchanged, and has two bad rows — a USCC registered in 莘庄镇 (outside her scope), and a repeat of the
first row with an impossible date — so /imports/ shows the report with its errors. Confirming with
有错误时仍导入无误的行 updates the three.

A second dry run offers the park operator's new floor of listings (空间房源): three units of 5F in 1号楼
of 临港浦江国际科技城 for the demo landlord, one row with an unknown type (车库); confirming puts the three
in 待核验 for pj_officer to verify in 房源管理.
"""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sanlian.core.validators import uscc_from_serial
from sanlian.enterprises.models import Enterprise
from sanlian.imports.models import ImportJob
from sanlian.imports.services import import_job_create, import_job_run, job_file

from .space import LANDLORD_SERIAL

FILE_NAME = "演示-浦江镇企业名录更新.xlsx"
SPACE_FILE_NAME = "演示-浦江芯谷新增房源.xlsx"
SPACE_HEADER = ["园区", "楼栋", "楼层", "单元", "业主统一社会信用代码", "标题", "类型", "面积(㎡)",
                "租金(元/㎡/天)", "可入驻日期", "洁净等级", "楼面荷载(kg/㎡)", "供电容量(kVA)", "排风/废气处理",
                "纯化水", "环评批复"]  # fmt: skip
SPACE_ROWS = (
    ("501", "湿实验室", "560", "4.90", "ISO 8", 500, 260, "是", "是", "是"),
    ("502", "湿实验室", "480", "4.90", "", 500, 220, "是", "是", "是"),
    ("503", "办公", "300", "3.20", "", 300, 80, "否", "否", "否"),
    ("504", "车库", "200", "1.00", "", "", "", "", "", ""),
)
HEADER = ["统一社会信用代码", "企业名称", "国民经济行业代码", "所在镇/街道", "注册地址", "成立日期", "注册资本(万元)"]


def _row(enterprise: Enterprise, **changes) -> list:
    capital = enterprise.registered_capital / 10000 if enterprise.registered_capital is not None else ""
    values = {
        "address": enterprise.address, "founded": enterprise.founded_date or "", "capital": capital, **changes,
    }  # fmt: skip
    return [enterprise.uscc, enterprise.name, enterprise.industry_code, enterprise.town.name, values["address"],
            values["founded"], str(values["capital"])]  # fmt: skip


def sample_sheet() -> bytes:
    pujiang = list(Enterprise.objects.filter(is_demo=True, town__code="pujiang").select_related("town")[:4])
    other = Enterprise.objects.filter(is_demo=True, town__code="xinzhuang").select_related("town").first()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业名录"
    sheet.append(["浦江镇生物医药企业名录(2025年更新)"])
    sheet.append(HEADER)
    for index, enterprise in enumerate(pujiang[:3]):
        sheet.append(_row(enterprise, address=f"上海市闵行区浦江镇新骏环路{100 + index}号"))
    if len(pujiang) > 3:
        sheet.append(_row(pujiang[3]))
    if other is not None:
        sheet.append(_row(other, address="上海市闵行区莘庄镇示例路1号"))
    if pujiang:
        sheet.append(_row(pujiang[0], founded="2019年13月1日")[:5] + ["2019年13月1日", ""])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def space_sheet() -> bytes:
    landlord = uscc_from_serial(LANDLORD_SERIAL)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "房源"
    sheet.append(SPACE_HEADER)
    for unit, kind, area, rent, grade, load, power, exhaust, water, approval in SPACE_ROWS:
        sheet.append(["临港浦江国际科技城", "1号楼", "5F", unit, landlord, f"1号楼5层{unit} {kind}", kind, area, rent,
                      "2026-09-01", grade, load, power, exhaust, water, approval])  # fmt: skip
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def load(*, users) -> dict:
    officer = users["pj_officer"]
    count = 0
    for name, kind, sheet in ((FILE_NAME, "enterprises", sample_sheet), (SPACE_FILE_NAME, "space-listings",
                                                                          space_sheet)):  # fmt: skip
        if ImportJob.objects.filter(actor=officer, file_name=name).exists():
            continue
        job = import_job_create(actor=officer, kind=kind, upload=SimpleUploadedFile(name, sheet()), dry_run=True)
        import_job_run(job.pk)
        count += 1
    return {"import_jobs": count}


def unload(usernames) -> None:
    for job in ImportJob.objects.filter(actor__username__in=usernames):
        job_file(job).unlink(missing_ok=True)
        job.delete()
