"""Spreadsheet export of a call's applications (openpyxl in write-only mode, so memory stays flat).

Enterprises type the form values: a text cell starting with = + - @ (or a tab / carriage return) would be
read by Excel as a formula, so such cells are prefixed with an apostrophe and stay inert text.
"""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Application, Outcome

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A cell value that a spreadsheet shows as typed, never evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def applications_workbook(call, applications) -> bytes:
    """One row per application with its status, eligibility, review results, form values and materials."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("申报列表"))
    fields = list(call.form_fields)
    items = list(call.materials)
    statuses = dict(Application.Status.choices)
    outcomes = dict(Outcome.choices)
    sheet.append(
        [
            _("企业名称"),
            _("统一社会信用代码"),
            _("镇/街道"),
            _("状态"),
            _("资格预判"),
            _("提交时间"),
            _("预审意见"),
            _("区级意见"),
            *[f["label"] for f in fields],
            *[_("材料:%(label)s") % {"label": m["label"]} for m in items],
        ]
    )
    for application in applications:
        names: dict[str, list[str]] = {}
        for material in application.materials.all():
            names.setdefault(material.item, []).append(material.name)
        row = [
            application.enterprise.name,
            application.enterprise.uscc,
            application.enterprise.town.name,
            str(statuses.get(application.status, application.status)),
            str(outcomes.get(application.eligibility, "")) if application.eligibility else "",
            _when(application.submitted_at),
            application.review_comment,
            application.district_comment,
            *[application.data.get(f["key"], "") for f in fields],
            *["、".join(names.get(m["key"], [])) for m in items],
        ]
        sheet.append([inert(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
