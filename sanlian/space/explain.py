"""The engine's reason codes as Chinese sentences (translated like every other string)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.engines.spacematch import GRADES

from .models import Kind

TERM_NAMES = {
    "kind": gettext_lazy("房源类型"),
    "area_min": gettext_lazy("面积"),
    "area_max": gettext_lazy("面积"),
    "rent": gettext_lazy("租金"),
    "available": gettext_lazy("可入驻日期"),
    "park": gettext_lazy("园区"),
    "town": gettext_lazy("所在镇"),
    "cleanroom": gettext_lazy("洁净等级"),
    "floor_load": gettext_lazy("楼面荷载"),
    "power_kva": gettext_lazy("供电容量"),
    "exhaust": gettext_lazy("排风/废气处理"),
    "pure_water": gettext_lazy("纯化水"),
    "hazchem_permit": gettext_lazy("危化品使用许可"),
    "env_approval": gettext_lazy("环评批复"),
}
UNITS = {"floor_load": "kg/㎡", "power_kva": "kVA"}


def _num(value) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def grade_label(code) -> str:
    return GRADES[code].label if code else _("无洁净区")


def sentence(reason, park_names: dict | None = None) -> str:
    """One reason as a sentence: "洁净等级 GMP B 级,优于要求的 C 级", "楼面荷载 800 kg/㎡ ≥ 500"."""
    term, met = reason.term, reason.status == "met"
    name = TERM_NAMES[term]
    if term == "cleanroom":
        values = {"name": name, "offered": grade_label(reason.offered), "asked": grade_label(reason.asked)}
        if met and reason.margin:
            return _("%(name)s %(offered)s,优于要求的 %(asked)s") % values
        if met:
            return _("%(name)s %(offered)s,符合要求的 %(asked)s") % values
        return _("%(name)s %(offered)s,达不到要求的 %(asked)s") % values
    if term in UNITS:
        values = {"name": name, "unit": UNITS[term], "asked": _num(reason.asked)}
        if reason.offered is None:
            return _("%(name)s 未标明(要求 ≥ %(asked)s %(unit)s)") % values
        values["offered"] = _num(reason.offered)
        template = (
            _("%(name)s %(offered)s %(unit)s ≥ %(asked)s") if met else _("%(name)s %(offered)s %(unit)s < %(asked)s")
        )
        return template % values
    if term in ("exhaust", "pure_water", "hazchem_permit", "env_approval"):
        return (_("具备%(name)s") if met else _("不具备%(name)s")) % {"name": name}
    return _other_sentence(reason, name, met, park_names or {})


def _other_sentence(reason, name, met: bool, park_names: dict) -> str:
    term = reason.term
    if term in ("area_min", "area_max"):
        values = {"offered": _num(reason.offered), "asked": _num(reason.asked)}
        if term == "area_min":
            return (_("可租面积 %(offered)s ㎡ ≥ 最小需求 %(asked)s ㎡") if met
                    else _("可租面积 %(offered)s ㎡,小于最小需求 %(asked)s ㎡")) % values  # fmt: skip
        return (_("可租面积 %(offered)s ㎡ ≤ 最大需求 %(asked)s ㎡") if met
                else _("可租面积 %(offered)s ㎡,超过最大需求 %(asked)s ㎡")) % values  # fmt: skip
    if term == "rent":
        values = {"offered": _yuan(reason.offered), "asked": _yuan(reason.asked)}
        return (_("租金 %(offered)s 元/㎡/天,在预算 %(asked)s 以内") if met
                else _("租金 %(offered)s 元/㎡/天,超出预算 %(asked)s")) % values  # fmt: skip
    if term == "available":
        values = {"offered": reason.offered.isoformat(), "asked": reason.asked.isoformat()}
        return (_("%(offered)s 起可入驻,不晚于计划 %(asked)s") if met
                else _("%(offered)s 起才可入驻,晚于计划 %(asked)s")) % values  # fmt: skip
    if term == "kind":
        values = {"offered": Kind(reason.offered).label, "asked": Kind(reason.asked).label}
        return (_("类型为%(offered)s") if met else _("类型为%(offered)s,需求为%(asked)s")) % values
    values = {"name": name, "offered": park_names.get(reason.offered, reason.offered)}
    return (_("位于%(offered)s") if met else _("%(name)s不符:位于%(offered)s")) % values
