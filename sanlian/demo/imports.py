"""The import demo: one dry run of an enterprise sheet by 浦江镇's officer, waiting to be confirmed.

The sheet updates three demo enterprises of 浦江镇 (a new address, registered capital in 万元), repeats
one unchanged, and has two bad rows — a USCC registered in 莘庄镇 (outside her scope), and a repeat of the
first row with an impossible date — so /imports/ shows the report with its errors. Confirming with
有错误时仍导入无误的行 updates the three.
"""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sanlian.enterprises.models import Enterprise
from sanlian.imports.models import ImportJob
from sanlian.imports.services import import_job_create, import_job_run, job_file

FILE_NAME = "演示-浦江镇企业名录更新.xlsx"
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


def load(*, users) -> dict:
    officer = users["pj_officer"]
    if ImportJob.objects.filter(actor=officer, file_name=FILE_NAME).exists():
        return {"import_jobs": 0}
    upload = SimpleUploadedFile(FILE_NAME, sample_sheet())
    job = import_job_create(actor=officer, kind="enterprises", upload=upload, dry_run=True)
    import_job_run(job.pk)
    return {"import_jobs": 1}


def unload(usernames) -> None:
    for job in ImportJob.objects.filter(actor__username__in=usernames):
        job_file(job).unlink(missing_ok=True)
        job.delete()
