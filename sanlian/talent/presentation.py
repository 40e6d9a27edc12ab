"""The eligibility self-check as people read it: "劳动合同剩余期限 33 个月 · 要求 ≥ 3 个月"."""

from django.utils.translation import gettext as _

from sanlian.policies.presentation import OP_TEXT

from .facts import DEGREES
from .services.applications import TITLES


def type_names(round_) -> dict[str, str]:
    return {t["code"]: t["name"] for t in round_.types}


def readable(fact: str, value, unit: str = "", types: dict | None = None) -> str:
    if value is None:
        return _("(缺少信息)")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list | tuple):
        return "、".join(readable(fact, v, "", types) for v in value) or _("无")
    if fact == "degree":
        return str(DEGREES.get(value, value))
    if fact == "talent_type":
        return (types or {}).get(value, value)
    if fact == "titles":
        return str(TITLES.get(value, value))
    if isinstance(value, float):
        value = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value} {unit}".strip()


def check_rows(rows: list[dict], types: dict | None = None) -> list[dict]:
    """Each criterion with the applicant's value and the requirement in words."""
    shown = []
    for row in rows:
        unit = row.get("unit", "")
        requirement = readable(row["fact"], row["threshold"], unit, types)
        shown.append({
            "label": row["label"],
            "value": readable(row["fact"], row["value"], unit, types),
            "requirement": f"{OP_TEXT.get(row['op'], row['op'])} {requirement}",
            "outcome": row["outcome"],
        })  # fmt: skip
    return shown


def education(application) -> list[dict]:
    """Education rows with the degree's name instead of its code."""
    return [{**row, "degree": str(DEGREES.get(row.get("degree"), row.get("degree") or ""))}
            for row in application.education]  # fmt: skip
