"""Rule trees and explanations as people read them: "研发投入占营收比例 3.8 % vs ≥ 4 %".

Labels and units come from the fact catalogue in the reader's language, so stored explanations
(which keep only names and numbers) read well in Chinese and English alike.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sanlian.core import formats

from .facts import FACTS_BY_NAME

OP_TEXT = {
    ">=": "≥",
    ">": ">",
    "<=": "≤",
    "<": "<",
    "==": "=",
    "!=": "≠",
    "in": "∈",
    "not in": "∉",
    "contains": "∋",
    "not contains": "∌",
    "contains any": "∋",
}
GROUP_TEXT = {
    "all": gettext_noop("以下条件全部满足"),
    "any": gettext_noop("以下条件满足其一"),
    "not": gettext_noop("不满足以下条件"),
}


# Facts whose values are reference codes, shown by their names.
CODED_FACTS = {"town", "park", "cluster", "chain_nodes", "certifications"}


def code_names() -> dict[str, str]:
    """Reference code → name in the reader's language (towns, parks, clusters, chain nodes, certifications)."""
    from sanlian.enterprises.models import CertificationType, ChainNode, Cluster, Park, Region
    from sanlian.enterprises.models import localized_name as _localized

    names: dict[str, str] = {}
    for model in (Region, Park, Cluster, CertificationType):
        for item in model.objects.all():
            names[item.code] = _localized(item)
    for node in ChainNode.objects.all():
        names[node.code] = f"{node.code} {_localized(node)}"
    return names


def _named(fact_name: str, value, names: dict | None):
    if names is None or fact_name not in CODED_FACTS:
        return value
    if isinstance(value, list | tuple | set):
        return [names.get(v, v) for v in value]
    return names.get(value, value) if isinstance(value, str) else value


def fact_label(name: str) -> str:
    fact = FACTS_BY_NAME.get(name)
    return str(fact.label) if fact else name


def format_value(fact_name: str, value, names: dict | None = None) -> str:
    """A fact value with its unit; money in the unit its size calls for (万元, 亿元, CNY million); codes by names."""
    value = _named(fact_name, value, names)
    if value is None:
        return _("(缺少数据)")
    fact = FACTS_BY_NAME.get(fact_name)
    unit = str(fact.unit) if fact else ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list | tuple | set):
        return "、".join(str(v) for v in value) if value else _("无")
    if isinstance(value, int | float | Decimal):
        if unit == str(_("元")):
            return formats.money(Decimal(str(value)))
        # Years and other small whole numbers read better without a thousands separator.
        grouping = "," if abs(value) >= 10_000 else ""
        number = f"{value:{grouping}.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:{grouping}}"
        return f"{number} {unit}".strip()
    return str(value)


def criterion_text(node: dict, names: dict | None = None) -> str:
    """ "研发投入占营收比例 ≥ 4 %" for a criterion of a rule tree or of an explanation."""
    threshold = node.get("threshold", node.get("value"))
    if isinstance(threshold, dict) and "param" in threshold:
        threshold = None
    threshold = _named(node["fact"], threshold, names)
    op = OP_TEXT.get(node["op"], node["op"])
    shown = (
        format_value(node["fact"], threshold) if threshold is not None else _("参数 %(p)s") % {"p": node.get("param")}
    )
    if node["op"] in ("contains", "not contains", "contains any", "in", "not in", "==", "!=") and threshold is not None:
        shown = "、".join(map(str, threshold)) if isinstance(threshold, list) else str(threshold)
        if isinstance(threshold, bool):
            shown = _("是") if threshold else _("否")
    return node.get("label") or f"{fact_label(node['fact'])} {op} {shown}"


def explanation_rows(tree: dict, depth: int = 0, names: dict | None = None) -> list[dict]:
    """Flatten an explanation tree into table rows (groups as headings, criteria with value and margin)."""
    if not tree:
        return []
    names = code_names() if names is None else names
    if tree.get("kind") == "criterion":
        return [_criterion_row(tree, depth, names)]
    rows = [{"kind": "group", "depth": depth, "text": _(GROUP_TEXT[tree["kind"]]), "outcome": tree["outcome"]}]
    for child in tree.get("children", []):
        rows.extend(explanation_rows(child, depth + 1, names))
    return rows


def _criterion_row(node: dict, depth: int, names: dict) -> dict:
    threshold = format_value(node["fact"], node.get("threshold"), names)
    margin = node.get("margin")
    margin_text = ""
    if margin is not None and node["op"] in (">=", ">", "<=", "<"):
        sign = "+" if margin >= 0 else "−"
        margin_text = f"{sign}{format_value(node['fact'], abs(margin))}"
    return {
        "kind": "criterion",
        "depth": depth,
        "text": criterion_text(node, names),
        "label": fact_label(node["fact"]),
        "value": format_value(node["fact"], node.get("value"), names),
        "threshold": f"{OP_TEXT.get(node['op'], node['op'])} {threshold}",
        "param": node.get("param") or "",
        "source": node.get("param_source") or "",
        "margin": margin_text,
        "outcome": node["outcome"],
        "missing": node.get("value") is None,
    }


def missing_facts(tree: dict) -> list[str]:
    """Labels of the facts whose absence left the result unknown (what 快申快享 asks for)."""
    found: list[str] = []
    if tree.get("kind") == "criterion":
        if tree.get("value") is None and tree.get("outcome") == "unknown":
            found.append(fact_label(tree["fact"]))
        return found
    for child in tree.get("children", []):
        for label in missing_facts(child):
            if label not in found:
                found.append(label)
    return found


def rule_rows(tree, params: dict, depth: int = 0, names: dict | None = None) -> list[dict]:
    """A rule tree (no enterprise) as rows, with parameters shown at their current value."""
    if not isinstance(tree, dict) or not tree:
        return []
    names = code_names() if names is None else names
    for kind in ("all", "any"):
        if kind in tree:
            rows = [{"kind": "group", "depth": depth, "text": _(GROUP_TEXT[kind])}]
            for child in tree[kind]:
                rows.extend(rule_rows(child, params, depth + 1, names))
            return rows
    if "not" in tree:
        return [
            {"kind": "group", "depth": depth, "text": _(GROUP_TEXT["not"])},
            *rule_rows(tree["not"], params, depth + 1, names),
        ]
    node = dict(tree)
    value = node.get("value")
    if isinstance(value, dict) and "param" in value:
        node["param"] = value["param"]
        current = params.get(value["param"])
        node["threshold"] = current if not isinstance(current, dict) else None
        node["keyed"] = current if isinstance(current, dict) else None
    else:
        node["threshold"] = value
    return [
        {
            "kind": "criterion",
            "depth": depth,
            "text": criterion_text(node, names),
            "param": node.get("param", ""),
            "keyed": node.get("keyed"),
        }
    ]
