"""Spreadsheet export of the directory (openpyxl in write-only mode, so memory stays flat)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

YUAN = "#,##0.00"


def directory_workbook(enterprises, *, revenue_year: int) -> bytes:
    """Rows of the directory, each with its `revenue_of_year` annotation."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("企业名录"))
    sheet.append(
        [
            _("企业名称"),
            _("统一社会信用代码"),
            _("镇/街道"),
            _("园区"),
            _("产业集群"),
            _("行业代码"),
            _("生物医药"),
            _("基因相关"),
            _("产业链环节"),
            _("成立日期"),
            _("%(year)s年营业收入(元)") % {"year": revenue_year},
        ]
    )
    for ent in enterprises:
        sheet.append(
            [
                ent.name,
                ent.uscc,
                ent.town.name,
                ent.park.name if ent.park else "",
                ent.cluster.name if ent.cluster else "",
                ent.industry_code,
                _("是") if ent.is_biomedical else _("否"),
                _("是") if ent.is_gene_related else _("否"),
                " ".join(node.code for node in ent.chain_nodes.all()),
                ent.founded_date,
                ent.revenue_of_year,
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
