"""The member directory as a spreadsheet for an organisation's managers.

Members' names and titles are typed by applicants, so every text cell is made inert like the other exports
(sanlian.policies.call_exports.inert); a person's mobile stays masked — a file travels further than a screen.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from sanlian.core.masking import mask_phone
from sanlian.policies.call_exports import inert

CHUNK = 500


def members_workbook(members) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("会员名录"))
    sheet.append([_("会员名称"), _("会员类型"), _("会内职务"), _("职务"), _("工作单位"), _("手机号"), _("入会日期")])
    for m in members.iterator(chunk_size=CHUNK):
        row = [
            m.display_name,
            str(m.get_kind_display()),
            str(m.get_role_display()),
            m.person_title,
            m.employer or (m.enterprise.name if m.enterprise_id else ""),
            mask_phone(m.mobile or ""),
            m.joined_date.isoformat(),
        ]
        sheet.append([inert(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
