"""Configuring a round of the programme: one document (YAML or a dict) holds the whole round.

Officers write or import the document; it is validated as a whole (every error names its path, such
as `levels[2].rule` or `quotas[0].per_employer`) and saved in one transaction, so a round is never half
configured. Rounds that already have applications keep their levels: only dates, texts, materials and
quotas may change then.
"""

from datetime import date, datetime

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanlian.core.fields import to_yuan
from sanlian.core.permissions import require
from sanlian.core.services import audit_record
from sanlian.engines.rules import RuleError, RuleSyntaxError, compile_rule, load_yaml
from sanlian.policies.rules import rule_error_message

from .. import facts
from ..models import Level, QuotaRule, Round, Route, ScoringItem

ROUND_FIELDS = ("year", "name", "open_date", "deadline_date", "age_reference_date")
OPTIONAL_TEXT = ("name_en", "doc_number", "issuer", "description")
MONEY_KEYS = ("housing_subsidy_max", "rent_subsidy_monthly")


class RoundDocumentError(ValidationError):
    """A round document that cannot be saved; `errors` maps each path to its message."""


def _error(errors: dict, path: str, message: str) -> None:
    errors.setdefault(path, message)


def _date(value, path: str, errors: dict) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        _error(errors, path, _("日期格式应为 YYYY-MM-DD"))
        return None


def _text(item: dict, key: str, path: str, errors: dict, limit: int, required=True) -> str:
    value = item.get(key)
    if value in (None, ""):
        if required:
            _error(errors, f"{path}.{key}", _("必填"))
        return ""
    value = str(value).strip()
    if len(value) > limit:
        _error(errors, f"{path}.{key}", _("不能超过 %(n)s 个字符") % {"n": limit})
    return value


def _code(item: dict, key: str, path: str, errors: dict, seen: set) -> str:
    value = _text(item, key, path, errors, 32)
    if value and not value.replace("-", "").replace("_", "").isalnum():
        _error(errors, f"{path}.{key}", _("代码只能包含字母、数字、- 和 _"))
    elif value in seen:
        _error(errors, f"{path}.{key}", _("代码「%(code)s」重复") % {"code": value})
    seen.add(value)
    return value


def _whole(value, path: str, errors: dict, low: int = 0, high: int = 10_000) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _error(errors, path, _("应为 %(low)s–%(high)s 之间的整数") % {"low": low, "high": high})
        return None
    return value


def _rule(tree, path: str, errors: dict) -> dict:
    if tree in (None, {}):
        return {}
    try:
        compile_rule(tree, facts.catalogue())
    except RuleError as exc:
        if exc.code == "unknown_fact":
            _error(errors, path, _("未知的申报指标「%(fact)s」") % {"fact": (exc.params or {}).get("fact", "")})
        else:
            _error(errors, path, rule_error_message(exc))
    return tree


def _list(document: dict, key: str, errors: dict, required=False) -> list:
    value = document.get(key, [])
    if value is None:
        value = []
    if not isinstance(value, list) or (required and not value):
        _error(errors, key, _("应为非空列表") if required else _("应为列表"))
        return []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            _error(errors, f"{key}[{i}]", _("应为键值对"))
            return []
    return value


def clean_document(document) -> dict:
    """The validated round document, or RoundDocumentError listing every fault by path."""
    errors: dict[str, str] = {}
    if not isinstance(document, dict):
        raise RoundDocumentError({"document": _("应为键值对")})
    clean: dict = {}
    for key in ROUND_FIELDS:
        if document.get(key) in (None, ""):
            _error(errors, key, _("必填"))
    clean["year"] = _whole(document.get("year"), "year", errors, 2000, 2100) if "year" in document else None
    clean["name"] = str(document.get("name") or "").strip()
    if len(clean["name"]) > 100:
        _error(errors, "name", _("不能超过 %(n)s 个字符") % {"n": 100})
    for key in OPTIONAL_TEXT:
        clean[key] = str(document.get(key) or "").strip()
    for key in ("open_date", "deadline_date", "age_reference_date"):
        clean[key] = _date(document.get(key), key, errors) if document.get(key) else None
    if clean["open_date"] and clean["deadline_date"] and clean["deadline_date"] < clean["open_date"]:
        _error(errors, "deadline_date", _("申报截止不能早于申报开始"))
    clean["notice_days"] = _whole(document.get("notice_days", 5), "notice_days", errors, 1, 60)
    routes = document.get("routes") or [Route.CONDITIONS.value]
    if not isinstance(routes, list) or any(r not in Route.values for r in routes):
        _error(errors, "routes", _("认定方式只能是:%(codes)s") % {"codes": "、".join(Route.values)})
    clean["routes"] = routes
    clean["rule"] = _rule(document.get("rule"), "rule", errors)
    seen: set = set()
    clean["types"] = [
        {"code": _code(t, "code", f"types[{i}]", errors, seen), "name": _text(t, "name", f"types[{i}]", errors, 32)}
        for i, t in enumerate(_list(document, "types", errors))
    ]
    seen = set()
    clean["materials"] = [
        {
            "key": _code(m, "key", f"materials[{i}]", errors, seen),
            "label": _text(m, "label", f"materials[{i}]", errors, 100),
            "required": bool(m.get("required", False)),
            "founders_only": bool(m.get("founders_only", False)),
        }
        for i, m in enumerate(_list(document, "materials", errors))
    ]
    clean["levels"] = _levels(document, errors)
    clean["quotas"] = _quotas(document, errors)
    clean["scoring"] = _scoring(document, errors)
    if errors:
        raise RoundDocumentError(errors)
    return clean


def _levels(document: dict, errors: dict) -> list[dict]:
    seen: set = set()
    levels = []
    for i, item in enumerate(_list(document, "levels", errors, required=True)):
        path = f"levels[{i}]"
        level = {
            "code": _code(item, "code", path, errors, seen),
            "name": _text(item, "name", path, errors, 64),
            "name_en": _text(item, "name_en", path, errors, 100, required=False),
            "description": str(item.get("description") or "").strip(),
            "rule": _rule(item.get("rule"), f"{path}.rule", errors),
            "schooling": bool(item.get("schooling", False)),
            "medical": bool(item.get("medical", False)),
            "order": i,
        }
        for key in MONEY_KEYS:
            value = item.get(key)
            try:
                level[key] = None if value in (None, "") else to_yuan(value)
            except (ValueError, ValidationError, TypeError):
                _error(errors, f"{path}.{key}", _("金额应为不小于 0 的数字(元)"))
        levels.append(level)
    return levels


def _quotas(document: dict, errors: dict) -> list[dict]:
    seen: set = set()
    return [
        {
            "position": _code(q, "position", f"quotas[{i}]", errors, seen),
            "label": _text(q, "label", f"quotas[{i}]", errors, 64),
            "per_employer": _whole(q.get("per_employer"), f"quotas[{i}].per_employer", errors, 1, 1000),
        }
        for i, q in enumerate(_list(document, "quotas", errors))
    ]


def _scoring(document: dict, errors: dict) -> list[dict]:
    seen: set = set()
    return [
        {
            "code": _code(s, "code", f"scoring[{i}]", errors, seen),
            "name": _text(s, "name", f"scoring[{i}]", errors, 100),
            "max_score": _whole(s.get("max_score"), f"scoring[{i}].max_score", errors, 1, 1000),
            "order": i,
        }
        for i, s in enumerate(_list(document, "scoring", errors))
    ]


def parse_document(text: str) -> dict:
    """The YAML text of a round document, parsed; a syntax error names its line."""
    try:
        return load_yaml(text)
    except RuleSyntaxError as exc:
        message = _("YAML 格式错误(第 %(line)s 行):%(msg)s") % {"line": exc.line, "msg": exc.message}
        raise RoundDocumentError({"document": message}) from exc


@transaction.atomic
def round_save(*, actor, document, region, now: datetime | None = None) -> Round:
    """Create the round of the document's year, or reconfigure it; all or nothing."""
    require(actor, "talent_round.edit")
    now = now or timezone.now()
    clean = clean_document(parse_document(document) if isinstance(document, str) else document)
    existing = Round.objects.select_for_update().filter(year=clean["year"]).first()
    if existing is not None and existing.applications.exists():
        _check_levels_kept(existing, clean)
    fields = {key: clean[key] for key in (*ROUND_FIELDS, *OPTIONAL_TEXT, "notice_days", "routes", "types")}
    fields |= {"materials": clean["materials"], "rule": clean["rule"]}
    if existing is None:
        round_ = Round.objects.create(region=region, created_at=now, updated_at=now, **fields)
        action = "talent_round.create"
    else:
        round_ = existing
        for key, value in fields.items():
            setattr(round_, key, value)
        round_.updated_at = now
        round_.save()
        action = "talent_round.update"
    _replace_children(round_, clean)
    audit_record(actor=actor, action=action, target=round_, changes={"year": round_.year}, now=now)
    return round_


def _check_levels_kept(round_: Round, clean: dict) -> None:
    used = set(round_.applications.values_list("level__code", flat=True))
    kept = {level["code"] for level in clean["levels"]}
    missing = sorted(used - kept)
    if missing:
        raise RoundDocumentError({"levels": _("已有申报使用的层次不能删除:%(codes)s") % {"codes": "、".join(missing)}})


def _replace_children(round_: Round, clean: dict) -> None:
    existing = {level.code: level for level in round_.levels.all()}
    for data in clean["levels"]:
        level = existing.pop(data["code"], None) or Level(round=round_, code=data["code"])
        for key, value in data.items():
            setattr(level, key, value)
        level.save()
    Level.objects.filter(pk__in=[level.pk for level in existing.values()]).delete()
    round_.quotas.all().delete()
    QuotaRule.objects.bulk_create([QuotaRule(round=round_, **q) for q in clean["quotas"]])
    round_.scoring_items.all().delete()
    ScoringItem.objects.bulk_create([ScoringItem(round=round_, **s) for s in clean["scoring"]])


def round_document(round_: Round) -> str:
    """The round as the YAML document `round_save` takes (export, and the editor's starting text)."""
    document = {
        "year": round_.year,
        "name": round_.name,
        "name_en": round_.name_en,
        "doc_number": round_.doc_number,
        "issuer": round_.issuer,
        "description": round_.description,
        "open_date": round_.open_date.isoformat(),
        "deadline_date": round_.deadline_date.isoformat(),
        "age_reference_date": round_.age_reference_date.isoformat(),
        "notice_days": round_.notice_days,
        "routes": round_.routes,
        "rule": round_.rule or {},
        "types": round_.types,
        "materials": round_.materials,
        "levels": [
            {
                "code": level.code,
                "name": level.name,
                "name_en": level.name_en,
                "description": level.description,
                "rule": level.rule or {},
                "housing_subsidy_max": _plain(level.housing_subsidy_max),
                "rent_subsidy_monthly": _plain(level.rent_subsidy_monthly),
                "schooling": level.schooling,
                "medical": level.medical,
            }
            for level in round_.levels.all()
        ],
        "quotas": [
            {"position": q.position, "label": q.label, "per_employer": q.per_employer} for q in round_.quotas.all()
        ],
        "scoring": [{"code": s.code, "name": s.name, "max_score": s.max_score} for s in round_.scoring_items.all()],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _plain(amount):
    return None if amount is None else format(amount, "f")


@transaction.atomic
def round_set_status(*, actor, round_: Round, status: str, now: datetime | None = None) -> Round:
    require(actor, "talent_round.edit", round_)
    if status not in Round.Status.values:
        raise ValidationError({"status": _("未知状态")})
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    old = round_.status
    round_.status, round_.updated_at = status, now or timezone.now()
    round_.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="talent_round.status", target=round_, changes={"status": [old, status]}, now=now)
    return round_
