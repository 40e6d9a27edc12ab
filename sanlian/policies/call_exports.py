"""The export columns of a call's applications (written and made inert by `sanlian.core.exports`).

Enterprises type the form values, so these columns are text: the shared writer makes a value starting
with = + - @ (or a tab / carriage return) inert.
"""

from django.utils.translation import gettext as _

from sanlian.core.exports import Column

from .models import Application, Outcome


def _materials(application, key: str) -> str:
    return "、".join(m.name for m in application.materials.all() if m.item == key)


def applications_columns(call) -> tuple[Column, ...]:
    """One row per application with its status, eligibility, review results, form values and materials."""
    statuses = dict(Application.Status.choices)
    outcomes = dict(Outcome.choices)
    return (
        Column(_("企业名称"), "enterprise.name"),
        Column(_("统一社会信用代码"), "enterprise.uscc"),
        Column(_("镇/街道"), "enterprise.town.name"),
        Column(_("状态"), lambda a: statuses.get(a.status, a.status)),
        Column(_("资格预判"), lambda a: outcomes.get(a.eligibility, "") if a.eligibility else ""),
        Column(_("提交时间"), "submitted_at", "datetime"),
        Column(_("预审意见"), "review_comment"),
        Column(_("区级意见"), "district_comment"),
        *[Column(f["label"], lambda a, key=f["key"]: a.data.get(key, "")) for f in call.form_fields],
        *[
            Column(_("材料:%(label)s") % {"label": m["label"]}, lambda a, key=m["key"]: _materials(a, key))
            for m in call.materials
        ],
    )
