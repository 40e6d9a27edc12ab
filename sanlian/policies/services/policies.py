"""Writes of the policy library: parameters, drafts, YAML import, publishing, attachments, grants."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.jobs import enqueue
from sanlian.core.permissions import require
from sanlian.core.services import apply_changes, audit_record, notification_send
from sanlian.core.uploads import checked_upload
from sanlian.engines.rules import RuleError, resolve_params, run_cases
from sanlian.search.services import document_refresh

from .. import rules
from ..models import Grant, Parameter, ParameterValue, Policy, PolicyAttachment, PolicyVersion
from ..tasks import refresh_eligibility

VERSION_FIELDS = (
    "title",
    "title_en",
    "issuer",
    "doc_number",
    "source_clause",
    "summary",
    "benefit",
    "benefit_text",
    "effective_from_date",
    "effective_until_date",
    "tags",
    "no_application",
    "handbook_target",
    "handbook_conditions",
    "handbook_deadline",
    "handbook_materials",
    "rule",
    "tests",
)
BENEFIT_KEYS = {"fixed", "rate", "of", "cap", "floor"}


# Parameters ---------------------------------------------------------------------------------------


def _check_param_value(parameter: Parameter, key: str, value) -> None:
    """Refuse a value of the wrong type, or one whose references would form a cycle."""
    if isinstance(value, dict):
        if set(value) != {"param"} or not isinstance(value["param"], str):
            raise ValidationError({"value": _("引用其他参数时请写成 {param: 参数名}")})
    elif parameter.type == Parameter.Type.NUMBER and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ValidationError({"value": _("参数「%(name)s」的取值必须是数值") % {"name": parameter.name}})
    elif parameter.type == Parameter.Type.TEXT and not isinstance(value, str):
        raise ValidationError({"value": _("参数「%(name)s」的取值必须是文本") % {"name": parameter.name}})
    if key and not parameter.key_fact:
        raise ValidationError({"key": _("该参数不分档,请留空")})
    raw = rules.raw_params_as_of(date.max)
    if key:
        raw.setdefault(parameter.name, {})[key] = value
    else:
        raw[parameter.name] = value
    try:
        resolve_params(raw, rules.current_catalogue())
    except RuleError as exc:
        raise ValidationError({"value": rules.rule_error_message(exc)}) from exc


@transaction.atomic
def parameter_create(*, actor, data: dict, now: datetime | None = None) -> Parameter:
    require(actor, "policy.edit")
    now = now or timezone.now()
    parameter = Parameter(created_at=now, **data)
    parameter.full_clean()
    if parameter.key_fact and rules.current_catalogue().facts.get(parameter.key_fact, None) is None:
        raise ValidationError({"key_fact": _("未知的企业指标「%(fact)s」") % {"fact": parameter.key_fact}})
    parameter.save()
    audit_record(
        actor=actor, action="parameter.create", target=parameter, changes={"name": [None, parameter.name]}, now=now
    )
    return parameter


@transaction.atomic
def parameter_value_record(
    *,
    actor,
    parameter: Parameter,
    value,
    effective_date: date,
    key: str = "",
    note: str = "",
    now: datetime | None = None,
) -> ParameterValue:
    """Append a value from `effective_date` on; earlier values stay, so past answers can be replayed."""
    require(actor, "policy.edit")
    key = (key or "").strip()
    _check_param_value(parameter, key, value)
    now = now or timezone.now()
    record = ParameterValue.objects.create(
        parameter=parameter,
        key=key,
        value=value,
        effective_date=effective_date,
        recorded_at=now,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        note=note,
    )
    audit_record(
        actor=actor,
        action="parameter.value",
        target=parameter,
        changes={"value": [None, value], "key": [None, key], "effective_date": [None, effective_date.isoformat()]},
        note=note,
        now=now,
    )
    enqueue(refresh_eligibility, parameter=parameter.name)
    return record


# Drafts and versions -------------------------------------------------------------------------------


def validate_version_data(data: dict) -> None:
    """Check a version's rule, benefit and test cases against the catalogue; raise with the faulty path."""
    catalogue = rules.current_catalogue()
    compiled = rules.compile_or_error(data.get("rule") or {}, catalogue)
    benefit = data.get("benefit") or {}
    if not isinstance(benefit, dict) or set(benefit) - BENEFIT_KEYS:
        raise ValidationError({"benefit": _("支持标准只能包含 fixed、rate、of、cap、floor")})
    if "of" in benefit and benefit["of"] not in catalogue.facts:
        raise ValidationError({"benefit": _("未知的企业指标「%(fact)s」") % {"fact": benefit["of"]}})
    tests = data.get("tests") or []
    if not isinstance(tests, list):
        raise ValidationError({"tests": _("测试用例应为列表")})
    try:
        run_cases(compiled, tests, catalogue, rules.params_as_of(timezone.localdate(), catalogue=catalogue))
    except RuleError as exc:
        raise ValidationError({"tests": rules.rule_error_message(exc)}) from exc
    until = data.get("effective_until_date")
    if until and data.get("effective_from_date") and until < data["effective_from_date"]:
        raise ValidationError({"effective_until_date": _("截止日期不能早于生效日期")})


def _draft_for_update(policy: Policy, actor, now) -> PolicyVersion:
    """The policy's draft, created from the published version when there is none."""
    draft = policy.versions.select_for_update().filter(status=PolicyVersion.Status.DRAFT).first()
    if draft:
        return draft
    base = policy.versions.filter(status=PolicyVersion.Status.PUBLISHED).first()
    number = (policy.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = PolicyVersion(policy=policy, number=number, created_at=now, created_by=actor)
    if base:
        for name in VERSION_FIELDS:
            setattr(draft, name, getattr(base, name))
    return draft


@transaction.atomic
def policy_create(*, actor, code: str, region, data: dict, now: datetime | None = None) -> PolicyVersion:
    now = now or timezone.now()
    policy = Policy(code=code, region=region, created_at=now)
    require(actor, "policy.edit", policy)
    policy.full_clean()
    validate_version_data(data)
    policy.save()
    version = PolicyVersion(policy=policy, number=1, created_at=now, created_by=actor, **data)
    version.full_clean(exclude=["policy"])
    version.save()
    audit_record(actor=actor, action="policy.create", target=version, changes={"title": [None, version.title]}, now=now)
    document_refresh(kind="policy", object_id=policy.pk)
    return version


@transaction.atomic
def policy_draft_save(*, actor, policy: Policy, data: dict, now: datetime | None = None) -> PolicyVersion:
    """Edit the policy's draft (opening one from the published version first); published versions stay frozen."""
    require(actor, "policy.edit", policy)
    now = now or timezone.now()
    draft = _draft_for_update(policy, actor, now)
    is_new = draft.pk is None
    changes = apply_changes(draft, {k: v for k, v in data.items() if k in VERSION_FIELDS})
    validate_version_data({name: getattr(draft, name) for name in VERSION_FIELDS})
    draft.full_clean(exclude=["policy"])
    draft.save()
    if is_new or changes:
        audit_record(actor=actor, action="policy.draft", target=draft, changes=changes, now=now)
    document_refresh(kind="policy", object_id=policy.pk)
    return draft


def version_from_document(document) -> tuple[str, str, dict]:
    """(code, region code, version data) from an imported YAML document, or a ValidationError."""
    if not isinstance(document, dict):
        raise ValidationError({"yaml": _("YAML 顶层应为政策字段的映射")})
    missing = [key for key in ("code", "title", "issuer", "effective_from", "rule") if not document.get(key)]
    if missing:
        raise ValidationError({"yaml": _("缺少字段:%(keys)s") % {"keys": ", ".join(missing)}})
    handbook = document.get("handbook") or {}
    data = {
        "title": str(document["title"]),
        "title_en": str(document.get("title_en") or ""),
        "issuer": str(document["issuer"]),
        "doc_number": str(document.get("doc_number") or ""),
        "source_clause": str(document.get("source_clause") or ""),
        "summary": str(document.get("summary") or ""),
        "benefit": document.get("benefit") or {},
        "benefit_text": str(document.get("benefit_text") or ""),
        "effective_from_date": _as_date(document["effective_from"], "effective_from"),
        "effective_until_date": _as_date(document.get("effective_until"), "effective_until"),
        "tags": [str(t) for t in document.get("tags") or []],
        "no_application": bool(document.get("no_application", False)),
        "handbook_target": str(handbook.get("target") or ""),
        "handbook_conditions": str(handbook.get("conditions") or ""),
        "handbook_deadline": str(handbook.get("deadline") or ""),
        "handbook_materials": str(handbook.get("materials") or ""),
        "rule": document["rule"],
        "tests": document.get("tests") or [],
    }
    return str(document["code"]), str(document.get("region") or ""), data


def version_document(version: PolicyVersion) -> dict:
    """A version as the YAML document that `policy_import_yaml` reads back."""
    document = {
        "code": version.policy.code,
        "region": version.policy.region.code,
        "title": version.title,
        "title_en": version.title_en,
        "issuer": version.issuer,
        "doc_number": version.doc_number,
        "source_clause": version.source_clause,
        "summary": version.summary,
        "benefit": version.benefit,
        "benefit_text": version.benefit_text,
        "effective_from": version.effective_from_date.isoformat(),
        "effective_until": version.effective_until_date.isoformat() if version.effective_until_date else None,
        "tags": version.tags,
        "no_application": version.no_application,
        "handbook": {
            "target": version.handbook_target,
            "conditions": version.handbook_conditions,
            "deadline": version.handbook_deadline,
            "materials": version.handbook_materials,
        },
        "rule": version.rule,
        "tests": version.tests,
    }
    return {key: value for key, value in document.items() if value not in ("", None, [], {})}


def _as_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value))
    if parsed is None:
        raise ValidationError({"yaml": _("%(field)s 不是有效日期(YYYY-MM-DD)") % {"field": field}})
    return parsed


@transaction.atomic
def policy_import_yaml(*, actor, text: str, default_region, now: datetime | None = None) -> PolicyVersion:
    """Create a policy from YAML, or replace the draft of an existing one with the same code."""
    from sanlian.enterprises.models import Region
    from sanlian.enterprises.selectors import reference_lookup

    code, region_code, data = version_from_document(rules.yaml_or_error(text, "yaml"))
    existing = Policy.objects.filter(code=code).first()
    if existing:
        return policy_draft_save(actor=actor, policy=existing, data=data, now=now)
    region = reference_lookup(Region, "yaml", region_code) if region_code else default_region
    return policy_create(actor=actor, code=code, region=region, data=data, now=now)


def tests_report(version: PolicyVersion) -> list[dict]:
    catalogue = rules.current_catalogue()
    compiled = rules.compile_or_error(version.rule, catalogue)
    params = rules.params_as_of(timezone.localdate(), catalogue=catalogue)
    return run_cases(compiled, version.tests or [], catalogue, params)


@transaction.atomic
def policy_publish(*, actor, policy: Policy, now: datetime | None = None) -> PolicyVersion:
    """Publish the draft once its test cases pass; the previous version is kept as history."""
    require(actor, "policy.publish", policy)
    now = now or timezone.now()
    Policy.objects.select_for_update().get(pk=policy.pk)
    draft = policy.versions.filter(status=PolicyVersion.Status.DRAFT).first()
    if draft is None:
        raise ValidationError({"status": _("没有待发布的草稿")})
    validate_version_data({name: getattr(draft, name) for name in VERSION_FIELDS})
    if not draft.tests:
        raise ValidationError({"tests": _("发布前至少需要一个测试用例")})
    failed = [case["name"] for case in tests_report(draft) if not case["passed"]]
    if failed:
        raise ValidationError({"tests": _("测试用例未通过:%(names)s") % {"names": "、".join(failed)}})
    previous = policy.versions.filter(status=PolicyVersion.Status.PUBLISHED).first()
    if previous:
        previous.status = PolicyVersion.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    draft.status, draft.published_at, draft.published_by = PolicyVersion.Status.PUBLISHED, now, actor
    draft.save(update_fields=["status", "published_at", "published_by"])
    audit_record(
        actor=actor,
        action="policy.publish",
        target=draft,
        changes={"version": [previous.number if previous else None, draft.number]},
        now=now,
    )
    enqueue(refresh_eligibility, policy_ids=[policy.pk])
    document_refresh(kind="policy", object_id=policy.pk)
    return draft


@transaction.atomic
def policy_attachment_add(*, actor, policy: Policy, upload, now: datetime | None = None) -> PolicyAttachment:
    require(actor, "policy.edit", policy)
    name, size = checked_upload(upload, field="file")
    attachment = PolicyAttachment.objects.create(
        policy=policy, file=upload, name=name, size=size, uploaded_at=now or timezone.now(), uploaded_by=actor
    )
    audit_record(actor=actor, action="policy.attachment", target=policy, changes={"file": [None, name]}, now=now)
    return attachment


# Grants (免申即享 / 快申快享) ---------------------------------------------------------------------------


@transaction.atomic
def grant_request_quick(*, actor, enterprise, version: PolicyVersion, note: str, now=None) -> Grant:
    """快申快享: an enterprise whose data are incomplete asks officers to check it for a policy."""
    require(actor, "policy.quick_apply", enterprise)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请说明补充的情况(如最新营收、资质)")})
    if Grant.objects.filter(policy=version.policy, enterprise=enterprise, version=version).exists():
        raise ValidationError({"note": _("已提交过该政策的申请,请勿重复提交")})
    grant = Grant.objects.create(
        policy=version.policy,
        version=version,
        enterprise=enterprise,
        origin=Grant.Origin.QUICK,
        note=note,
        created_at=now or timezone.now(),
    )
    audit_record(actor=actor, action="grant.quick", target=grant, enterprise_id=enterprise.pk, note=note, now=now)
    return grant


@transaction.atomic
def grant_decide(*, actor, grant: Grant, confirm: bool, note: str = "", amount=None, now=None) -> Grant:
    grant = Grant.objects.select_for_update().select_related("enterprise", "version").get(pk=grant.pk)
    require(actor, "grant.decide", grant)
    if grant.status != Grant.Status.PENDING:
        raise ValidationError({"status": _("该事项已被处理(当前状态:%(s)s)") % {"s": grant.get_status_display()}})
    note = (note or "").strip()
    if not confirm and not note:
        raise ValidationError({"decision_note": _("不予兑现时请填写理由")})
    now = now or timezone.now()
    old = grant.status
    grant.status = Grant.Status.CONFIRMED if confirm else Grant.Status.DECLINED
    grant.decided_at, grant.decided_by, grant.decision_note = now, actor, note
    if amount is not None:
        grant.amount = amount
    grant.save()
    audit_record(
        actor=actor,
        action="grant.decide",
        target=grant,
        enterprise_id=grant.enterprise_id,
        changes={"status": [old, grant.status]},
        note=note,
        now=now,
    )
    recipients = list(grant.enterprise.users.filter(is_active=True))
    title = Text(
        gettext_lazy("政策兑现已确认:%(t)s") if confirm else gettext_lazy("政策兑现未通过:%(t)s"),
        {"t": grant.version.title},
    )
    notification_send(recipients=recipients, title=title, body=note, url=reverse("policies:mine"), now=now)
    return grant
