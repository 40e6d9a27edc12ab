"""Glue between stored rules and the engine: parameters as of a date, compiled versions, localised errors."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sanlian.core.sql import Statement, run_batch
from sanlian.engines.rules import CompiledRule, RuleError, RuleSyntaxError, compile_rule, load_yaml, resolve_params

from . import facts
from .models import Parameter, ParameterValue, PolicyVersion

# Marked for extraction here, translated when shown (rule_error_message).
RULE_ERRORS = {
    "bad_node": gettext_noop("节点格式不正确"),
    "empty_group": gettext_noop("条件组不能为空"),
    "unknown_fact": gettext_noop("未知的企业指标「%(fact)s」"),
    "unknown_param": gettext_noop("未知的参数「%(param)s」"),
    "bad_op": gettext_noop("该指标不支持运算符「%(op)s」"),
    "type_mismatch": gettext_noop("取值类型与运算符不匹配"),
    "param_key_unknown": gettext_noop("参数的分档依据不是文本指标"),
    "param_cycle": gettext_noop("参数相互引用形成循环:%(cycle)s"),
    "bad_expected": gettext_noop("预期结果只能是 eligible、not_eligible 或 unknown"),
}


def rule_error_message(error: RuleError) -> str:
    """The engine's error in the user's language, with the path of the faulty node."""
    template = RULE_ERRORS.get(error.code, gettext_noop("规则有误"))
    params = {key: str(value) for key, value in (error.params or {}).items()}
    try:
        text = _(template) % params
    except (KeyError, TypeError, ValueError):
        text = _(template)
    where = error.path or _("(根节点)")
    return _("%(where)s:%(text)s") % {"where": where, "text": text}


def yaml_or_error(text: str, field: str):
    """Parse YAML, or raise a ValidationError on `field` that gives the line number."""
    try:
        return load_yaml(text)
    except RuleSyntaxError as exc:
        message = _("YAML 格式错误(第 %(line)s 行):%(msg)s") % {"line": exc.line, "msg": exc.message}
        raise ValidationError({field: message}) from exc


def raw_params_as_of(as_of: date, known_at: datetime | None = None) -> dict:
    """Each parameter's value in force on `as_of`, as it was recorded by `known_at` (default: now)."""
    values = ParameterValue.objects.filter(effective_date__lte=as_of).select_related("parameter")
    if known_at is not None:
        values = values.filter(recorded_at__lte=known_at)
    chosen: dict[tuple[str, str], ParameterValue] = {}
    for value in values.order_by("effective_date", "recorded_at", "pk"):
        chosen[(value.parameter.name, value.key)] = value  # later effective date / later record wins
    raw: dict = {}
    for (name, key), value in chosen.items():
        if key:
            raw.setdefault(name, {})[key] = value.value
        else:
            raw[name] = value.value
    return raw


def current_catalogue():
    return facts.catalogue(Parameter.objects.all())


def params_as_of(as_of: date, known_at: datetime | None = None, catalogue=None) -> dict:
    catalogue = catalogue or current_catalogue()
    raw = raw_params_as_of(as_of, known_at)
    try:
        return resolve_params(raw, catalogue)
    except RuleError as exc:  # a stored cycle must not stop every evaluation: report it instead
        raise ValidationError({"parameters": rule_error_message(exc)}) from exc


def compile_or_error(tree, catalogue, field: str = "rule") -> CompiledRule:
    try:
        return compile_rule(tree, catalogue)
    except RuleError as exc:
        raise ValidationError({field: rule_error_message(exc)}) from exc


_COMPILED: dict[tuple[int, str], CompiledRule] = {}
_CONFIGS: dict[tuple, "Config"] = {}


def clear_caches() -> None:
    """Forget compiled rules and configurations (tests that roll back may reuse ids)."""
    _COMPILED.clear()
    _CONFIGS.clear()


@dataclass(frozen=True)
class Config:
    """Everything an evaluation needs besides the facts: published versions in force, catalogue, parameters."""

    versions: list
    compiled: list
    catalogue: object
    params: dict


def stamp_statement() -> Statement:
    """One cheap query whose answer changes whenever parameters or published versions change."""
    p, v, pv = Parameter._meta.db_table, ParameterValue._meta.db_table, PolicyVersion._meta.db_table
    sql = (
        f"SELECT * FROM (SELECT COUNT(*), MAX(id) FROM {v}) v, (SELECT COUNT(*), MAX(id) FROM {p}) p, "  # nosec B608  # names from model _meta, values as parameters
        f"(SELECT COUNT(*), MAX(published_at) FROM {pv} WHERE status = %s) pv"
    )
    return sql, [PolicyVersion.Status.PUBLISHED.value]


def config_as_of(as_of: date, stamp_rows: list[tuple] | None = None) -> Config:
    """The evaluation configuration on `as_of`, rebuilt only when parameters or publications changed.

    `stamp_rows` are the rows of `stamp_statement()` when the caller read them in its own batch.
    """
    from .selectors import versions_in_force

    if stamp_rows is None:
        [stamp_rows] = run_batch([stamp_statement()])
    key = (as_of, tuple(stamp_rows[0]))
    config = _CONFIGS.get(key)
    if config is None:
        catalogue = current_catalogue()
        versions = versions_in_force(as_of=as_of)
        config = Config(
            versions=versions,
            compiled=[compiled_version(v, catalogue) for v in versions],
            catalogue=catalogue,
            params=params_as_of(as_of, catalogue=catalogue),
        )
        if len(_CONFIGS) > 16:
            _CONFIGS.clear()
        _CONFIGS[key] = config
    return config


def compiled_version(version: PolicyVersion, catalogue) -> CompiledRule:
    """A published version's rule compiled once per process (published versions never change)."""
    key = (version.pk, _catalogue_key(catalogue))
    rule = _COMPILED.get(key)
    if rule is None:
        rule = compile_rule(version.rule, catalogue)
        if len(_COMPILED) > 2000:
            _COMPILED.clear()
        _COMPILED[key] = rule
    return rule


def _catalogue_key(catalogue) -> str:
    return "|".join(f"{p.name}:{p.type}:{p.key_fact}" for p in sorted(catalogue.params.values(), key=lambda p: p.name))
