"""Writes of declarations (技术申报): calls, applications, their materials and their review workflow.

An application moves draft → submitted → recommended | not_recommended | returned (→ submitted again)
and a recommended one → approved | rejected, through `application_transition` only: it locks the row,
checks the role, the state and (when the caller says what it saw) that nobody acted in between, records
the audit event and notifies the other side. Nothing here reads the clock except through `now`.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core import formats
from sanlian.core.i18n import Text
from sanlian.core.locks import lock_row, refuse_unless
from sanlian.core.models import Role, User
from sanlian.core.permissions import has_perm, require
from sanlian.core.selectors import officers_covering
from sanlian.core.services import apply_changes, audit_record, jsonable, notification_send
from sanlian.core.uploads import checked_upload
from sanlian.engines.rules import OUTCOME_NAMES, RuleError, compile_rule, evaluate

from .. import facts, rules
from ..call_selectors import last_status_event, region_prefixes
from ..models import Application, ApplicationMaterial, Call, CallReminder, Outcome

__all__ = [
    "ApplicationConflict",
    "CALL_FIELDS",
    "FIELD_TYPES",
    "APPLICATION_TRANSITIONS",
    "REMINDER_DAYS",
    "call_save",
    "call_eligibility",
    "calls_eligibility",
    "application_start",
    "application_save",
    "application_material_add",
    "application_transition",
    "call_reminders_send",
]

CALL_FIELDS = (
    "code",
    "title",
    "kind",
    "region",
    "policy",
    "issuer",
    "description",
    "open_date",
    "close_date",
    "rule",
    "materials",
    "form_fields",
    "status",
)
FIELD_TYPES = ("text", "textarea", "number", "date", "choice")
MATERIAL_KEYS = frozenset({"key", "label", "required"})
FORM_FIELD_KEYS = frozenset({"key", "label", "type", "required", "choices", "help"})
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Form field keys become names of inputs next to the page's own; these would clash with them.
RESERVED_KEYS = frozenset({"action", "comment", "expected_status", "item", "file", "submit", "save", "status", "next"})
TEXT_LIMITS = {"text": 500, "textarea": 5000}
MAX_FILES_PER_ITEM = 10
EDITABLE = frozenset({Application.Status.DRAFT, Application.Status.RETURNED})
REMINDER_DAYS = (3, 1)


class ApplicationConflict(ValidationError):
    """Somebody else moved the application since the caller looked at it (code "conflict")."""

    def __init__(self, message: str):
        super().__init__({"status": [ValidationError(message, code="conflict")]})
        self.code = "conflict"
        self.conflict_message = message


# Calls ---------------------------------------------------------------------------------------------


def _as_bool(value, where: str, field: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError({field: _("%(where)s:required 只能是 true 或 false") % {"where": where}})
    return value


def _label(item: dict, where: str, field: str) -> str:
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        raise ValidationError({field: _("%(where)s:缺少名称(label)") % {"where": where}})
    return label.strip()


def _key(item: dict, where: str, field: str, seen: set) -> str:
    key = item.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key) or key in RESERVED_KEYS:
        raise ValidationError(
            {field: _("%(where)s:key 须为小写英文字母开头的字母、数字或下划线(不超过 40 个字符)") % {"where": where}}
        )
    if key in seen:
        raise ValidationError({field: _("%(where)s:key「%(key)s」重复") % {"where": where, "key": key}})
    seen.add(key)
    return key


def _check_materials(value) -> list[dict]:
    """The checklist in its stored shape: [{key, label, required}] (required defaults to true)."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationError({"materials": _("材料清单应为列表")})
    seen: set[str] = set()
    checked = []
    for i, item in enumerate(value, start=1):
        where = _("第 %(i)s 项") % {"i": i}
        if not isinstance(item, dict):
            raise ValidationError({"materials": _("%(where)s:应为包含 key、label 的映射") % {"where": where}})
        unknown = set(item) - MATERIAL_KEYS
        if unknown:
            raise ValidationError(
                {"materials": _("%(where)s:未知的键 %(keys)s") % {"where": where, "keys": ", ".join(sorted(unknown))}}
            )
        checked.append(
            {
                "key": _key(item, where, "materials", seen),
                "label": _label(item, where, "materials"),
                "required": _as_bool(item.get("required", True), where, "materials"),
            }
        )
    return checked


def _check_form_fields(value) -> list[dict]:
    """The application form in its stored shape: [{key, label, type, required, choices?, help?}]."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationError({"form_fields": _("申报表字段应为列表")})
    seen: set[str] = set()
    checked = []
    for i, item in enumerate(value, start=1):
        where = _("第 %(i)s 项") % {"i": i}
        if not isinstance(item, dict):
            raise ValidationError({"form_fields": _("%(where)s:应为包含 key、label、type 的映射") % {"where": where}})
        unknown = set(item) - FORM_FIELD_KEYS
        if unknown:
            raise ValidationError(
                {"form_fields": _("%(where)s:未知的键 %(keys)s") % {"where": where, "keys": ", ".join(sorted(unknown))}}
            )
        field = {"key": _key(item, where, "form_fields", seen), "label": _label(item, where, "form_fields")}
        kind = item.get("type", "text")
        if kind not in FIELD_TYPES:
            message = _("%(where)s:type 只能是 %(types)s") % {"where": where, "types": ", ".join(FIELD_TYPES)}
            raise ValidationError({"form_fields": message})
        field["type"] = kind
        field["required"] = _as_bool(item.get("required", False), where, "form_fields")
        choices = item.get("choices")
        if kind == "choice":
            if (
                not isinstance(choices, list)
                or not choices
                or not all(isinstance(c, str) and c.strip() for c in choices)
                or len(set(choices)) != len(choices)
            ):
                message = _("%(where)s:选择题须给出不重复的选项列表(choices)") % {"where": where}
                raise ValidationError({"form_fields": message})
            field["choices"] = list(choices)
        elif choices is not None:
            raise ValidationError({"form_fields": _("%(where)s:只有选择题(choice)才有选项") % {"where": where}})
        help_text = item.get("help")
        if help_text is not None:
            if not isinstance(help_text, str):
                raise ValidationError({"form_fields": _("%(where)s:help 应为文本") % {"where": where}})
            field["help"] = help_text
        checked.append(field)
    return checked


def _check_rule(value) -> dict:
    if value in (None, "", {}):
        return {}
    if not isinstance(value, dict):
        raise ValidationError({"rule": _("申报条件应为 all / any / not 组合的条件树")})
    rules.compile_or_error(value, rules.current_catalogue(), "rule")
    return value


@transaction.atomic
def call_save(*, actor, call: Call | None = None, data: dict, now: datetime | None = None) -> Call:
    """Create a call (with `data["code"]`) or edit one; officers, within the scope of the call's region."""
    require(actor, "call.edit")
    now = now or timezone.now()
    unknown = set(data) - set(CALL_FIELDS)
    if unknown:
        raise ValidationError({field: _("未知字段") for field in unknown})
    is_new = call is None
    if is_new:
        call = Call(created_at=now, created_by=actor if getattr(actor, "pk", None) else None)
    else:
        call = Call.objects.select_for_update().get(pk=call.pk)
        require(actor, "call.edit", call)
        if "code" in data and data["code"] != call.code:
            raise ValidationError({"code": _("编号创建后不能修改")})
    data = dict(data)
    if "materials" in data:
        data["materials"] = _check_materials(data["materials"])
    if "form_fields" in data:
        data["form_fields"] = _check_form_fields(data["form_fields"])
    if "rule" in data:
        data["rule"] = _check_rule(data["rule"])
    region = data.get("region", None if is_new else call.region)
    if region is None:
        raise ValidationError({"region": _("请选择发布区域")})
    if not has_perm(actor, "call.edit", Call(region=region)):
        raise ValidationError({"region": _("该区域不在您的管辖范围内")})
    if (
        not is_new
        and data.get("status", call.status) == Call.Status.DRAFT
        and call.status == Call.Status.PUBLISHED
        and call.applications.exists()
    ):
        raise ValidationError({"status": _("已有企业申报,不能撤回为草稿")})
    if is_new:
        for field, value in data.items():
            setattr(call, field, value)
        changes = {field: [None, jsonable(value)] for field, value in data.items()}
    else:
        changes = apply_changes(call, data)
    if call.open_date and call.close_date and call.close_date < call.open_date:
        raise ValidationError({"close_date": _("截止日期不能早于开始日期")})
    try:
        call.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if not is_new and not changes:
        return call
    call.save()
    action = "call.create" if is_new else "call.update"
    if not is_new and "status" in changes and call.status == Call.Status.PUBLISHED:
        action = "call.publish"
    audit_record(
        actor=actor,
        action=action,
        target=call,
        changes=changes,
        now=now,
    )
    return call


# Eligibility ---------------------------------------------------------------------------------------


def calls_eligibility(*, calls, enterprise_id: int, as_of: date) -> dict[int, tuple[str, dict]]:
    """{call id: (outcome, explanation)} of one enterprise for several calls, in one pass of the engine.

    A call without a rule is open to every enterprise ("eligible", no explanation). A stored rule that no
    longer compiles (a parameter was removed, say) answers "unknown" rather than failing the page.
    """
    answers: dict[int, tuple[str, dict]] = {}
    compiled, pending = [], []
    catalogue = None
    for call in calls:
        if not call.rule:
            answers[call.pk] = (Outcome.ELIGIBLE.value, {})
            continue
        catalogue = catalogue or rules.current_catalogue()
        try:
            compiled.append(compile_rule(call.rule, catalogue))
        except RuleError:
            answers[call.pk] = (Outcome.UNKNOWN.value, {})
            continue
        pending.append(call)
    if not pending:
        return answers
    try:
        params = rules.params_as_of(as_of, catalogue=catalogue)
    except ValidationError:
        params = {}  # every criterion reading a parameter is then unknown
    table = facts.fact_table(as_of=as_of, catalogue=catalogue, enterprise_ids=[enterprise_id])
    if table.n == 0:
        answers.update({call.pk: (Outcome.UNKNOWN.value, {}) for call in pending})
        return answers
    evaluation = evaluate(compiled, table, params, explain=True)
    for i, call in enumerate(pending):
        answers[call.pk] = (OUTCOME_NAMES[int(evaluation.outcomes[i][0])], evaluation.explain(i, 0))
    return answers


def call_eligibility(*, call: Call, enterprise_id: int, as_of: date) -> tuple[str, dict]:
    """(outcome, explanation) of one enterprise for a call, from its facts on `as_of`."""
    return calls_eligibility(calls=[call], enterprise_id=enterprise_id, as_of=as_of)[call.pk]


# Applications ---------------------------------------------------------------------------------------


def _window_error(call: Call, today: date) -> str | None:
    if call.status != Call.Status.PUBLISHED:
        return _("该申报通知尚未发布")
    if today < call.open_date:
        return _("申报尚未开始,开始日期为 %(date)s") % {"date": formats.day(call.open_date)}
    if today > call.close_date:
        return _("申报已于 %(date)s 截止") % {"date": formats.day(call.close_date)}
    return None


def _covers(call: Call, enterprise) -> bool:
    return call.region.path in region_prefixes(enterprise.town.path)


def _not_eligible_message(call: Call) -> str:
    return _("根据现有数据,贵企业不符合「%(call)s」的申报条件,请查看逐条说明") % {"call": call.title}


@transaction.atomic
def application_start(*, actor, call: Call, enterprise, now: datetime | None = None) -> Application:
    """An enterprise user starts his enterprise's (one) application to an open call."""
    require(actor, "application.edit")
    now = now or timezone.now()
    if actor.enterprise_id != enterprise.pk:
        raise ValidationError({"enterprise": _("只能为本企业申报")})
    call = Call.objects.select_related("region").get(pk=call.pk)
    if call.status != Call.Status.PUBLISHED or not _covers(call, enterprise):
        raise ValidationError({"call": _("该申报通知不面向贵企业")})
    error = _window_error(call, timezone.localdate(now))
    if error:
        raise ValidationError({"call": error})
    if Application.objects.filter(call=call, enterprise=enterprise).exists():
        raise ValidationError({"call": _("贵企业已申报该通知,请在原申报上继续")})
    outcome, explanation = call_eligibility(call=call, enterprise_id=enterprise.pk, as_of=timezone.localdate(now))
    if outcome == Outcome.NOT_ELIGIBLE:
        raise ValidationError({"call": _not_eligible_message(call)})
    try:
        # A savepoint: a concurrent start of the same pair fails here, not the whole transaction.
        with transaction.atomic():
            application = Application.objects.create(
                call=call,
                enterprise=enterprise,
                eligibility=outcome,
                explanation=explanation,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise ValidationError({"call": _("贵企业已申报该通知,请在原申报上继续")}) from exc
    audit_record(
        actor=actor,
        action="application.start",
        target=application,
        enterprise_id=enterprise.pk,
        changes={"status": [None, application.status], "call": [None, call.code]},
        now=now,
    )
    return application


def _clean_number(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace(",", "")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_value(field: dict, value):
    """A form field's value as stored (JSON), or None when empty; ValueError with a message when invalid."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    kind = field["type"]
    if kind in ("text", "textarea"):
        if not isinstance(value, str):
            raise ValueError(_("请输入文本"))
        value = value.strip()
        limit = TEXT_LIMITS[kind]
        if len(value) > limit:
            raise ValueError(_("不能超过 %(n)s 个字") % {"n": limit})
        return value
    if kind == "number":
        try:
            return _clean_number(value)
        except ValueError:
            raise ValueError(_("请输入数字")) from None
    if kind == "date":
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return value.isoformat()
        try:
            if not isinstance(value, str) or len(value.strip()) != 10:
                raise ValueError
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(_("请输入有效日期(YYYY-MM-DD)")) from None
    if kind == "choice":
        if not isinstance(value, str) or value not in field.get("choices", []):
            raise ValueError(_("请选择给定的选项之一"))
        return value
    raise ValueError(_("未知的字段类型"))


def clean_application_data(call: Call, data: dict) -> dict:
    """Values of the call's form fields, checked and normalised; None marks a value to clear."""
    fields = {f["key"]: f for f in call.form_fields}
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for key, value in data.items():
        field = fields.get(key)
        if field is None:
            errors[key] = [_("未知字段")]
            continue
        try:
            cleaned[key] = _clean_value(field, value)
        except ValueError as exc:
            errors[key] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _lock(application: Application) -> Application:
    return lock_row(Application, application.pk, related=["call", "call__region", "enterprise", "enterprise__town"])


def _editable(application: Application) -> None:
    if application.status not in EDITABLE:
        raise ValidationError(
            {"status": _("申报已提交(%(status)s),不能修改") % {"status": application.get_status_display()}}
        )


@transaction.atomic
def application_save(*, actor, application: Application, data: dict, now: datetime | None = None) -> Application:
    """Save form values of a draft (or returned) application; empty values clear a field.

    Each value is checked against its field's type (number, date, choice, text length); whether every
    required field is filled is checked on submission, so a draft can be saved half done.
    """
    application = _lock(application)
    require(actor, "application.edit", application)
    _editable(application)
    cleaned = clean_application_data(application.call, data)
    new = {k: v for k, v in application.data.items() if k in {f["key"] for f in application.call.form_fields}}
    for key, value in cleaned.items():
        if value is None:
            new.pop(key, None)
        else:
            new[key] = value
    old = application.data
    if new == old:
        return application
    now = now or timezone.now()
    changes = {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}
    application.data = new
    application.updated_at = now
    application.save(update_fields=["data", "updated_at"])
    audit_record(
        actor=actor,
        action="application.update",
        target=application,
        enterprise_id=application.enterprise_id,
        changes=changes,
        now=now,
    )
    return application


@transaction.atomic
def application_material_add(
    *, actor, application: Application, item: str, upload, now: datetime | None = None
) -> ApplicationMaterial:
    """Attach a file to a checklist item of a draft (or returned) application; the content decides its type."""
    application = _lock(application)
    require(actor, "application.edit", application)
    _editable(application)
    if item not in {m["key"] for m in application.call.materials}:
        raise ValidationError({"item": _("该材料不在申报通知的材料清单中")})
    if application.materials.filter(item=item).count() >= MAX_FILES_PER_ITEM:
        raise ValidationError({"file": _("每项材料最多上传 %(n)s 个文件") % {"n": MAX_FILES_PER_ITEM}})
    name, size = checked_upload(upload, field="file")
    now = now or timezone.now()
    material = ApplicationMaterial.objects.create(
        application=application,
        item=item,
        file=upload,
        name=name,
        size=size,
        uploaded_at=now,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    application.updated_at = now
    application.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="application.material_add",
        target=application,
        enterprise_id=application.enterprise_id,
        changes={"item": [None, item], "file": [None, name]},
        now=now,
    )
    return material


S = Application.Status
# action → (statuses it may leave from, status it leads to, permission)
APPLICATION_TRANSITIONS = {
    "submit": (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "application.edit"),
    "return": (frozenset({S.SUBMITTED}), S.RETURNED, "application.review"),
    "recommend": (frozenset({S.SUBMITTED}), S.RECOMMENDED, "application.review"),
    "not_recommend": (frozenset({S.SUBMITTED}), S.NOT_RECOMMENDED, "application.review"),
    "approve": (frozenset({S.RECOMMENDED}), S.APPROVED, "application.decide"),
    "reject": (frozenset({S.RECOMMENDED}), S.REJECTED, "application.decide"),
}
COMMENT_REQUIRED = frozenset({"return", "not_recommend"})


def _conflict(application: Application) -> ApplicationConflict:
    event = last_status_event(application=application)
    status = application.get_status_display()
    if event is None:
        return ApplicationConflict(_("该申报的状态已变为「%(status)s」,请刷新页面后再操作") % {"status": status})
    return ApplicationConflict(
        _("该申报已由 %(who)s 于 %(when)s 处理,当前状态为「%(status)s」,请刷新页面后再操作")
        % {
            "who": event.actor or _("系统"),
            "when": formats.when(event.created_at),
            "status": status,
        }
    )


def _check_complete(application: Application) -> None:
    """Every required form field and every required checklist item is there (errors name each one)."""
    call = application.call
    errors: dict[str, list[str]] = {}
    for field in call.form_fields:
        if field.get("required") and application.data.get(field["key"]) in (None, ""):
            errors[field["key"]] = [_("「%(label)s」为必填项") % {"label": field["label"]}]
    present = set(application.materials.values_list("item", flat=True))
    missing = [m["label"] for m in call.materials if m.get("required") and m["key"] not in present]
    if missing:
        errors["materials"] = [_("请上传以下材料:%(items)s") % {"items": "、".join(missing)}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_transition(
    *,
    actor,
    application: Application,
    action: str,
    comment: str = "",
    expected_status: str | None = None,
    now: datetime | None = None,
) -> Application:
    """Move an application one step, notifying the other side.

    `expected_status` is the status the caller saw: when the locked row has moved on, the caller gets an
    ApplicationConflict naming who acted and the current status instead of acting on stale information.
    """
    if action not in APPLICATION_TRANSITIONS:
        raise ValidationError({"action": _("未知操作")})
    sources, target, permission = APPLICATION_TRANSITIONS[action]
    application = _lock(application)
    require(actor, permission, application)
    if expected_status and application.status != expected_status:
        raise _conflict(application)
    refuse_unless(application, allowed=sources)
    comment = (comment or "").strip()
    if action in COMMENT_REQUIRED and not comment:
        raise ValidationError({"comment": _("请填写意见")})
    now = now or timezone.now()
    today = timezone.localdate(now)
    call = application.call
    if action == "submit":
        error = _window_error(call, today)
        if error:
            raise ValidationError({"status": error})
        _check_complete(application)
        outcome, explanation = call_eligibility(call=call, enterprise_id=application.enterprise_id, as_of=today)
        if outcome == Outcome.NOT_ELIGIBLE:
            raise ValidationError({"status": _not_eligible_message(call)})
        application.eligibility, application.explanation = outcome, explanation
        application.submitted_at, application.submitted_by = now, actor
    elif action in ("return", "recommend", "not_recommend"):
        application.reviewed_at, application.reviewed_by, application.review_comment = now, actor, comment
    else:
        application.decided_at, application.decided_by, application.district_comment = now, actor, comment
    old_status = application.status
    application.status = target
    application.updated_at = now
    application.save()
    changes = {"status": [old_status, target]}
    if action == "submit":
        changes["eligibility"] = [None, application.eligibility]
    audit_record(
        actor=actor,
        action=f"application.{action}",
        target=application,
        enterprise_id=application.enterprise_id,
        changes=changes,
        note=comment,
        now=now,
    )
    _notify(application=application, action=action, now=now)
    return application


def _officers(role: str, enterprise) -> list[User]:
    return officers_covering(enterprise.town.path, role)


def _enterprise_users(enterprise) -> list[User]:
    return list(User.objects.filter(enterprise=enterprise, is_active=True))


def _notify(*, application: Application, action: str, now: datetime) -> None:
    enterprise, call = application.enterprise, application.call
    url = reverse("policies:application", kwargs={"pk": application.pk})
    names = {"enterprise": enterprise.name, "call": call.title, "town": enterprise.town.name}
    comment = application.review_comment if action in ("return", "recommend", "not_recommend") else ""
    if action in ("approve", "reject"):
        comment = application.district_comment
    messages = {
        "submit": [
            (
                _officers(Role.TOWN_OFFICER, enterprise),
                gettext_lazy("%(enterprise)s 提交了「%(call)s」的申报,待镇级预审"),
            )
        ],
        "return": [(_enterprise_users(enterprise), gettext_lazy("您的「%(call)s」申报被退回,请修改后重新提交"))],
        "recommend": [
            (_enterprise_users(enterprise), gettext_lazy("您的「%(call)s」申报已获镇级推荐,等待区级审核")),
            (
                _officers(Role.DISTRICT_OFFICER, enterprise),
                gettext_lazy("%(town)s推荐了 %(enterprise)s 的「%(call)s」申报,待区级审核"),
            ),
        ],
        "not_recommend": [(_enterprise_users(enterprise), gettext_lazy("您的「%(call)s」申报未获镇级推荐"))],
        "approve": [
            (_enterprise_users(enterprise), gettext_lazy("您的「%(call)s」申报已通过区级审核")),
            (_officers(Role.TOWN_OFFICER, enterprise), gettext_lazy("%(enterprise)s 的「%(call)s」申报已通过区级审核")),
        ],
        "reject": [
            (_enterprise_users(enterprise), gettext_lazy("您的「%(call)s」申报未通过区级审核")),
            (_officers(Role.TOWN_OFFICER, enterprise), gettext_lazy("%(enterprise)s 的「%(call)s」申报未通过区级审核")),
        ],
    }
    for recipients, title in messages[action]:
        if recipients:
            notification_send(recipients=recipients, title=Text(title, names), body=comment, url=url, now=now)


# Reminders -----------------------------------------------------------------------------------------


def _reminder_mark(days_left: int) -> int | None:
    """The reminder due for a call closing in `days_left` days: 1 on the last day or the day before, 3 before.

    A mark is due from its day until the close, so a day the job did not run is caught up the next day.
    """
    if days_left < 0:
        return None
    for days in sorted(REMINDER_DAYS):
        if days_left <= days:
            return days
    return None


@transaction.atomic
def call_reminders_send(*, now: datetime) -> int:
    """Remind enterprises whose application is still a draft (or returned) that a call closes soon.

    Once per (call, enterprise, days before): a CallReminder row is written with the message, and a
    second run (or a second consumer at the same time) finds it and sends nothing. Returns how many
    reminders were sent.
    """
    today = timezone.localdate(now)
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    calls = Call.objects.filter(status=Call.Status.PUBLISHED, open_date__lte=today, close_date__gte=today,
                                close_date__lte=horizon)  # fmt: skip
    sent = 0
    for call in calls:
        days_left = (call.close_date - today).days
        mark = _reminder_mark(days_left)
        if mark is None:
            continue
        waiting = (
            Application.objects.filter(call=call, status__in=EDITABLE)
            .select_related("enterprise")
            .order_by("enterprise_id")
        )
        done = set(CallReminder.objects.filter(call=call, days_before=mark).values_list("enterprise_id", flat=True))
        for application in waiting:
            if application.enterprise_id in done:
                continue
            try:
                with transaction.atomic():
                    CallReminder.objects.create(
                        call=call, enterprise=application.enterprise, days_before=mark, sent_at=now
                    )
            except IntegrityError:
                continue  # another run got there first
            recipients = _enterprise_users(application.enterprise)
            if days_left == 0:
                title = Text(gettext_lazy("「%(call)s」今天截止申报,您的申报尚未提交"), {"call": call.title})
            else:
                title = Text(
                    gettext_lazy("「%(call)s」将于 %(date)s 截止申报(还剩 %(n)s 天),您的申报尚未提交"),
                    {
                        "call": call.title,
                        "date": call.close_date.isoformat(),
                        "n": days_left,
                    },
                )
            notification_send(
                recipients=recipients,
                title=title,
                url=reverse("policies:application", kwargs={"pk": application.pk}),
                now=now,
            )
            audit_record(
                actor=None,
                action="application.remind",
                target=application,
                enterprise_id=application.enterprise_id,
                changes={"days_before": [None, mark]},
                now=now,
            )
            sent += 1
    return sent
