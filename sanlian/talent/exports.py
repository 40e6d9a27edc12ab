"""Spreadsheet export of the officers' application list (openpyxl write-only, so memory stays flat).

Officers in scope see full names, but ID and phone numbers stay masked in the file: a spreadsheet
travels further than a screen, and an unmasked view must be a logged reveal. Applicants type their
own names and employers their own texts, so every text cell is made inert the same way as the
declaration export (sanlian.policies.call_exports): one starting with = + - @ is never a formula.
"""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sanlian.core.masking import mask_id_number, mask_phone
from sanlian.policies.call_exports import inert

from .models import Route, TalentApplication

CHUNK = 500


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def applications_workbook(applications) -> bytes:
    """One row per application of the (already scoped and filtered) queryset."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("人才申报"))
    statuses = dict(TalentApplication.Status.choices)
    genders = dict(TalentApplication.Gender.choices)
    routes = dict(Route.choices)
    sheet.append(
        [
            _("年度"),
            _("姓名"),
            _("性别"),
            _("身份证号"),
            _("手机号"),
            _("申报层次"),
            _("人才类型"),
            _("认定方式"),
            _("用人单位"),
            _("统一社会信用代码"),
            _("镇/街道"),
            _("状态"),
            _("评审平均分"),
            _("提交时间"),
        ]
    )
    types_by_round: dict[int, dict[str, str]] = {}
    for a in applications.iterator(chunk_size=CHUNK):
        types = types_by_round.setdefault(a.round_id, {t["code"]: t["name"] for t in a.round.types or []})
        row = [
            a.round.year,
            a.name,
            str(genders.get(a.gender, "")),
            mask_id_number(a.id_number or ""),
            mask_phone(a.phone or ""),
            a.level.name,
            types.get(a.talent_type, a.talent_type),
            str(routes.get(a.route, a.route)),
            a.employer.name,
            a.employer.uscc,
            a.employer.town.name,
            str(statuses.get(a.status, a.status)),
            a.score if a.score is not None else "",
            _when(a.submitted_at),
        ]
        sheet.append([inert(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
