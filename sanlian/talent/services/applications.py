"""Writes of talent applications: filing, the eligibility check, the workflow and personal data.

An application moves draft → employer_review (the talent sends it to the employer) → submitted (the
employer's HR confirms and submits it, sealed) → district_review (the town's pre-review passed) →
notice (公示, see notices.py) → approved | rejected; `returned` sends it back for edits and `withdrawn`
ends it. Every move goes through `application_transition`, which locks the row, checks role, scope and
state, records an event the applicant sees and the audit event, and notifies the next party.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import ric

from sanlian.core import formats
from sanlian.core.i18n import Text, choice_label
from sanlian.core.locks import lock_row, refuse_unless
from sanlian.core.models import Role, User
from sanlian.core.permissions import require
from sanlian.core.selectors import officers_covering
from sanlian.core.services import audit_record, notification_send
from sanlian.core.uploads import checked_upload
from sanlian.core.validators import validate_id_number
from sanlian.engines.rules import OUTCOME_NAMES, compile_rule, evaluate

from .. import facts
from ..models import ApplicationEvent, ApplicationMaterial, KeyEnterprise, Level, Round, Route, TalentApplication
from .erasure import application_erase_personal

Status = TalentApplication.Status

# Titles that recognise without an application (免申即享); codes are what `titles` stores.
TITLES = {"national": gettext_lazy("国家级人才称号"), "city": gettext_lazy("上海市人才称号")}
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
HR_EDITABLE = EDITABLE | {Status.EMPLOYER_REVIEW}
# Applications that hold a quota place and block a second application of the same person.
LIVE = frozenset(set(Status.values) - {Status.WITHDRAWN, Status.REJECTED, Status.DRAFT, Status.RETURNED})
MOBILE = re.compile(r"^1[3-9]\d{9}$")
MAX_FILES_PER_ITEM = 10
MAX_ROWS = 20

# action → (states it may start from, target state, permission)
TRANSITIONS: dict[str, tuple[frozenset, str, str]] = {
    "send_to_employer": (EDITABLE, Status.EMPLOYER_REVIEW, "talent_application.edit"),
    "submit": (HR_EDITABLE, Status.SUBMITTED, "talent_application.confirm"),
    "employer_return": (frozenset({Status.EMPLOYER_REVIEW}), Status.RETURNED, "talent_application.confirm"),
    "town_return": (frozenset({Status.SUBMITTED}), Status.RETURNED, "talent_application.prereview"),
    "town_approve": (frozenset({Status.SUBMITTED}), Status.DISTRICT_REVIEW, "talent_application.prereview"),
    "town_reject": (frozenset({Status.SUBMITTED}), Status.REJECTED, "talent_application.prereview"),
    "reject": (frozenset({Status.DISTRICT_REVIEW, Status.NOTICE}), Status.REJECTED, "talent_application.decide"),
    "approve": (frozenset({Status.NOTICE}), Status.APPROVED, "talent_application.decide"),
    "withdraw": (
        frozenset({Status.DRAFT, Status.EMPLOYER_REVIEW, Status.SUBMITTED, Status.DISTRICT_REVIEW, Status.RETURNED}),
        Status.WITHDRAWN,
        "talent_application.edit",
    ),
}
COMMENT_REQUIRED = frozenset({"employer_return", "town_return", "town_reject", "reject"})
TALENT_ACTIONS = frozenset({"send_to_employer", "withdraw"})
# Actions of the application's own side (talent or employer) are refused to officers, and the reverse.
OWN_SIDE = frozenset({"send_to_employer", "submit", "employer_return", "withdraw"})


class ApplicationConflict(ValidationError):
    """Somebody else moved the application since the caller looked at it (code "conflict")."""

    def __init__(self, message: str):
        super().__init__({"status": [ValidationError(message, code="conflict")]})
        self.conflict_message = message


def id_digest(id_number: str) -> str:
    """A keyed hash of a normalised ID number, so one person's applications can be found without decrypting."""
    key = hmac.new(settings.SECRET_KEY.encode(), b"sanlian.talent.id_number", hashlib.sha256).digest()
    return hmac.new(key, ric.compact(id_number).upper().encode(), hashlib.sha256).hexdigest()


def _now(now):
    return now or timezone.now()


def _open_error(round_: Round, today: date) -> str | None:
    if round_.status != Round.Status.OPEN or today < round_.open_date:
        return _("本年度申报尚未开放")
    if today > round_.deadline_date:
        return _("申报已于 %(date)s 截止") % {"date": formats.day(round_.deadline_date)}
    return None


@transaction.atomic
def application_start(
    *, actor, round_: Round, level: Level, employer=None, now: datetime | None = None
) -> TalentApplication:
    """A draft for the talent (employer chosen) or for the employer's HR (their own enterprise)."""
    require(actor, "talent_application.edit")
    now = _now(now)
    error = _open_error(round_, timezone.localdate(now))
    if error:
        raise ValidationError({"round": error})
    if level.round_id != round_.pk:
        raise ValidationError({"level": _("该层次不属于本年度")})
    if actor.role == Role.TALENT:
        if employer is None:
            raise ValidationError({"employer": _("请选择用人单位")})
        applicant = actor
        if TalentApplication.objects.filter(round=round_, applicant=actor).exclude(status=Status.WITHDRAWN).exists():
            raise ValidationError({"round": _("您在本年度已有申报,不能重复申报")})
    else:
        employer, applicant = actor.enterprise, None
    if employer is None:
        raise ValidationError({"employer": _("请选择用人单位")})
    application = TalentApplication.objects.create(
        round=round_,
        level=level,
        employer=employer,
        applicant=applicant,
        created_by=actor,
        name=actor.display_name if applicant else "",
        created_at=now,
        updated_at=now,
    )
    _event(application, actor, "create", "", Status.DRAFT, "", now)
    audit_record(
        actor=actor, action="talent_application.create", target=application, enterprise_id=employer.pk, now=now
    )
    return application


def _lock(application: TalentApplication) -> TalentApplication:
    return lock_row(TalentApplication, application.pk, related=["round", "level", "employer", "employer__town"])


def _editable_by(actor, application: TalentApplication) -> None:
    require(actor, "talent_application.edit", application)
    allowed = HR_EDITABLE if actor.role in (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_STAFF) else EDITABLE
    if application.status not in allowed:
        raise ValidationError(
            {"status": _("当前状态「%(status)s」不能修改") % {"status": application.get_status_display()}}
        )


def _clean_date(value, name: str, errors: dict):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[name] = _("日期格式应为 YYYY-MM-DD")
        return None


def _clean_count(value, name: str, errors: dict):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 600:
        errors[name] = _("应为 0–600 之间的整数")
        return None
    return number


def _clean_rows(value, name: str, keys: tuple[str, ...], errors: dict) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > MAX_ROWS:
        errors[name] = _("最多填写 %(n)s 条") % {"n": MAX_ROWS}
        return []
    rows = []
    for i, row in enumerate(value):
        if not isinstance(row, dict):
            errors[name] = _("第 %(n)s 条格式不正确") % {"n": i + 1}
            return []
        rows.append({key: str(row.get(key) or "").strip()[:100] for key in keys})
    return [row for row in rows if any(row.values())]


def clean_personal_data(application: TalentApplication, data: dict) -> dict:
    """The submitted form data, checked field by field; ValidationError names every faulty field."""
    errors: dict[str, str] = {}
    clean: dict = {}
    if "name" in data:
        clean["name"] = str(data["name"] or "").strip()[:64]
    if "id_number" in data:
        value = ric.compact(str(data["id_number"] or "")).upper()
        if value:
            try:
                value = validate_id_number(value)
            except ValidationError:
                errors["id_number"] = _("身份证号无效:请核对18位号码、出生日期和校验位")
            else:
                clean["birth_date"] = ric.get_birth_date(value)
                gender = TalentApplication.Gender.MALE if int(value[16]) % 2 else TalentApplication.Gender.FEMALE
                if data.get("gender") and data["gender"] != gender:
                    errors["gender"] = _("性别与身份证号不一致")
                clean["gender"] = gender
        clean["id_number"] = value or None
        clean["id_digest"] = id_digest(value) if value and "id_number" not in errors else ""
    elif "gender" in data and data["gender"] in TalentApplication.Gender.values:
        clean["gender"] = data["gender"]
    if "phone" in data:
        phone = re.sub(r"[\s-]", "", str(data["phone"] or ""))
        if phone and not MOBILE.match(phone):
            errors["phone"] = _("请输入11位手机号")
        clean["phone"] = phone or None
    if "level" in data:
        level = data["level"]
        if not isinstance(level, Level):
            level = application.round.levels.filter(code=str(level or "")).first()
        if level is None or level.round_id != application.round_id:
            errors["level"] = _("请选择本年度的申报层次")
        else:
            clean["level"] = level
    if "talent_type" in data:
        codes = [t["code"] for t in application.round.types]
        value = str(data["talent_type"] or "")
        if value and value not in codes:
            errors["talent_type"] = _("请选择本年度的人才类型")
        clean["talent_type"] = value
    if "route" in data:
        if data["route"] not in application.round.routes:
            errors["route"] = _("本年度不接受该认定方式")
        clean["route"] = data["route"]
    if "position" in data:
        clean["position"] = str(data["position"] or "").strip()[:32]
    if "titles" in data:
        titles = [t for t in (data["titles"] or []) if t]
        if any(t not in TITLES for t in titles):
            errors["titles"] = _("未知的人才称号")
        clean["titles"] = titles
    if "is_founder" in data:
        clean["is_founder"] = bool(data["is_founder"])
    if "achievements" in data:
        clean["achievements"] = str(data["achievements"] or "").strip()[:5000]
    for name in ("contract_start_date", "contract_end_date"):
        if name in data:
            clean[name] = _clean_date(data[name], name, errors)
    start, end = clean.get("contract_start_date"), clean.get("contract_end_date")
    if start and end and end < start:
        errors["contract_end_date"] = _("合同截止日期不能早于起始日期")
    for name in ("social_insurance_months", "tax_record_months"):
        if name in data:
            clean[name] = _clean_count(data[name], name, errors)
    if "education" in data:
        clean["education"] = _clean_rows(data["education"], "education", ("degree", "school", "major", "year"), errors)
        if any(row["degree"] and row["degree"] not in facts.DEGREES for row in clean.get("education", [])):
            errors["education"] = _("学位只能是:博士、硕士、学士或其他")
    if "career" in data:
        clean["career"] = _clean_rows(data["career"], "career", ("start", "end", "employer", "title"), errors)
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def application_save(*, actor, application: TalentApplication, data: dict, now: datetime | None = None):
    """Save the form; a duplicate ID number in the same round is refused."""
    application = _lock(application)
    _editable_by(actor, application)
    now = _now(now)
    clean = clean_personal_data(application, data)
    digest = clean.get("id_digest")
    if digest and _duplicate(application, digest):
        raise ValidationError({"id_number": _("该身份证号在本年度已有申报,不能重复申报")})
    changed = sorted(key for key, value in clean.items() if getattr(application, key) != value)
    for key, value in clean.items():
        setattr(application, key, value)
    application.updated_at = now
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a concurrent save of the same person
        raise ValidationError({"id_number": _("该身份证号在本年度已有申报,不能重复申报")}) from exc
    # Field names only: the audit trail must not become a copy of the personal data.
    audit_record(
        actor=actor,
        action="talent_application.save",
        target=application,
        enterprise_id=application.employer_id,
        changes={"fields": changed},
        now=now,
    )
    return application


def _duplicate(application: TalentApplication, digest: str) -> bool:
    others = TalentApplication.objects.filter(round_id=application.round_id, id_digest=digest)
    return others.exclude(pk=application.pk).exclude(status=Status.WITHDRAWN).exists()


@transaction.atomic
def application_material_add(*, actor, application: TalentApplication, item: str, upload, now=None):
    application = _lock(application)
    _editable_by(actor, application)
    keys = {m["key"] for m in application.round.materials}
    if item not in keys:
        raise ValidationError({"item": _("本年度不需要该材料")})
    if application.materials.filter(item=item).count() >= MAX_FILES_PER_ITEM:
        raise ValidationError({"file": _("每项材料最多上传 %(n)s 个文件") % {"n": MAX_FILES_PER_ITEM}})
    name, size = checked_upload(upload, field="file")
    now = _now(now)
    material = ApplicationMaterial.objects.create(
        application=application,
        item=item,
        file=upload,
        name=name[:200],
        size=size,
        uploaded_at=now,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action="talent_application.material",
        target=application,
        enterprise_id=application.employer_id,
        changes={"item": item},
        now=now,
    )
    return material


@dataclass
class Check:
    """What stands between an application and its submission, each problem with its field."""

    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    outcome: str = ""
    explanation: list = field(default_factory=list)  # rows per criterion for the page

    @property
    def ok(self) -> bool:
        return not self.problems


def _key_designation(application: TalentApplication) -> KeyEnterprise | None:
    return KeyEnterprise.objects.filter(enterprise_id=application.employer_id, year=application.round.year).first()


def _in_district(application: TalentApplication) -> bool:
    employer_path = application.employer.town.path
    return employer_path.startswith(application.round.region.path)


def application_check(application: TalentApplication, *, today: date, for_submission: bool = True) -> Check:
    """Dates, completeness, route, criteria (criterion by criterion), duplicates and quotas."""
    check = Check()
    add = check.problems.append
    round_ = application.round
    error = _open_error(round_, today)
    if error:
        add(("round", error))
    required = [("name", _("姓名")), ("id_number", _("身份证号")), ("phone", _("手机号"))]
    if round_.types:
        required.append(("talent_type", _("人才类型")))
    for name, label in required:
        if not getattr(application, name):
            add((name, _("请填写%(label)s") % {"label": label}))
    if not application.education:
        add(("education", _("请填写教育经历")))
    if not application.is_founder and not application.contract_start_date:
        add(("contract_start_date", _("请填写劳动合同起始日期")))
    _check_route(application, add)
    _check_materials(application, add)
    designation = _key_designation(application)
    _check_criteria(application, check, today, designation)
    if application.id_digest and _duplicate(application, application.id_digest):
        add(("id_number", _("该身份证号在本年度已有申报,不能重复申报")))
    if for_submission:
        _check_quotas(application, add, designation)
    return check


def _check_route(application: TalentApplication, add) -> None:
    route = application.route
    if route not in application.round.routes:
        add(("route", _("本年度不接受该认定方式")))
    elif route == Route.AUTHORISED:
        designation = _key_designation(application)
        if designation is None or not designation.can_certify_staff:
            add(("route", _("用人单位不是本年度可自主认定的重点企业,不能选择授权认定")))
    elif route == Route.NO_APPLICATION and not set(application.titles or []) & set(TITLES):
        add(("route", _("免申即享仅适用于已获国家级或上海市人才称号者")))


def _check_materials(application: TalentApplication, add) -> None:
    uploaded = set(application.materials.values_list("item", flat=True))
    for material in application.round.materials:
        needed = material["required"] and (application.is_founder or not material.get("founders_only"))
        if needed and material["key"] not in uploaded:
            add(("materials", _("请上传材料:%(label)s") % {"label": material["label"]}))


def _check_criteria(application: TalentApplication, check: Check, today: date, designation) -> None:
    catalogue = facts.catalogue()
    trees = [t for t in (application.round.rule, application.level.rule) if t]
    if not trees:
        check.outcome = "eligible"
        return
    tree = {"all": trees} if len(trees) > 1 else trees[0]
    record = facts.applicant_facts(
        application,
        as_of=today,
        employer_in_district=_in_district(application),
        employer_key_enterprise=designation is not None,
    )
    evaluation = evaluate([compile_rule(tree, catalogue)], facts.fact_table([record]), {}, explain=True)
    explained = evaluation.explain(0, 0)
    check.outcome = OUTCOME_NAMES[int(evaluation.outcomes[0][0])]
    check.explanation = _criteria_rows(explained)
    if check.outcome != "eligible":
        for row in check.explanation:
            if row["outcome"] == "not_eligible":
                check.problems.append(("criteria", _("不符合:%(label)s") % {"label": row["label"]}))
            elif row["outcome"] == "unknown":
                check.problems.append(("criteria", _("缺少信息:%(label)s") % {"label": row["label"]}))


def _criteria_rows(node) -> list[dict]:
    if node["kind"] == "criterion":
        return [node]
    rows = [row for child in node["children"] for row in _criteria_rows(child)]
    if node["kind"] == "any" and node["outcome"] == "eligible":
        # One satisfied alternative is enough: the others are not problems to report.
        return [row for row in rows if row["outcome"] == "eligible"] or rows
    return rows


def _check_quotas(application: TalentApplication, add, designation) -> None:
    live = TalentApplication.objects.filter(
        round_id=application.round_id, employer_id=application.employer_id, status__in=LIVE
    ).exclude(pk=application.pk)
    if application.position:
        rule = application.round.quotas.filter(position=application.position).first()
        if rule and live.filter(position=application.position).count() >= rule.per_employer:
            add(
                (
                    "position",
                    _("名额已用完:%(label)s每家单位限 %(n)s 名") % {"label": rule.label, "n": rule.per_employer},
                )
            )
    if designation is not None and designation.quota is not None and live.count() >= designation.quota:
        add(("employer", _("名额已用完:本单位本年度申报名额为 %(n)s 名") % {"n": designation.quota}))


def _event(application, actor, action, from_status, to_status, comment, now) -> None:
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        actor=actor if getattr(actor, "pk", None) else None,
        created_at=now,
    )


def _conflict(application: TalentApplication) -> ApplicationConflict:
    last = application.events.order_by("-created_at", "-id").select_related("actor").first()
    who = str(last.actor) if last and last.actor else _("其他用户")
    return ApplicationConflict(
        _("%(who)s 已将申报改为「%(status)s」,请刷新后再操作")
        % {"who": who, "status": application.get_status_display()}
    )


@transaction.atomic
def application_transition(
    *,
    actor,
    application: TalentApplication,
    action: str,
    comment: str = "",
    expected_status: str | None = None,
    now: datetime | None = None,
) -> TalentApplication:
    """Move an application one step; see the module docstring for the steps."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("未知操作")})
    sources, target, permission = TRANSITIONS[action]
    application = _lock(application)
    require(actor, permission, application)
    _check_side(actor, application, action)
    if expected_status and application.status != expected_status:
        raise _conflict(application)
    refuse_unless(application, allowed=sources)
    comment = (comment or "").strip()
    if action in COMMENT_REQUIRED and not comment:
        raise ValidationError({"comment": _("请填写意见")})
    now = _now(now)
    today = timezone.localdate(now)
    if action in ("send_to_employer", "submit"):
        _require_check(application, today)
    if action == "approve" and application.notice and today <= application.notice.end_date:
        raise ValidationError(
            {
                "status": _("公示期至 %(date)s 结束,公示期满后方可认定")
                % {"date": formats.day(application.notice.end_date)}
            }
        )
    _stamp(application, action, actor, comment, now)
    old = application.status
    application.status, application.updated_at = target, now
    application.save()
    changes = {"status": [old, target]}
    if action == "withdraw":
        # Withdrawal is withdrawal of consent (PIPL art. 15, 47): the personal data goes now, not later.
        changes["erased"] = application_erase_personal(application)
    _event(application, actor, action, old, target, comment, now)
    audit_record(
        actor=actor,
        action=f"talent_application.{action}",
        target=application,
        enterprise_id=application.employer_id,
        changes=changes,
        note=comment,
        now=now,
    )
    if action == "approve":
        from .certificates import certificate_issue

        certificate_issue(actor=actor, application=application, now=now)
    _notify(application=application, action=action, now=now)
    return application


def _check_side(actor, application: TalentApplication, action: str) -> None:
    """The talent only sends and withdraws; the employer never acts for the town or district."""
    if actor.role == Role.TALENT and action not in TALENT_ACTIONS:
        raise ValidationError({"action": _("该操作须由用人单位办理")})
    if actor.role == Role.TALENT and application.applicant_id != actor.pk:
        raise ValidationError({"action": _("只能操作本人的申报")})
    if action == "send_to_employer" and actor.role != Role.TALENT:
        raise ValidationError({"action": _("单位可直接确认报送")})


def _require_check(application: TalentApplication, today: date) -> None:
    check = application_check(application, today=today)
    if not check.ok:
        messages: dict[str, list[str]] = {}
        for name, message in check.problems:
            messages.setdefault(name, []).append(message)
        raise ValidationError(messages)
    application.eligibility, application.explanation = check.outcome, _stored_rows(check.explanation)


def _stored_rows(rows: list[dict]) -> list[dict]:
    keys = ("label", "unit", "op", "value", "threshold", "outcome")
    return [{key: row.get(key) for key in keys} for row in rows]


def _stamp(application: TalentApplication, action: str, actor, comment: str, now) -> None:
    if action == "submit":
        application.submitted_at, application.submitted_by = now, actor
    elif action in ("town_return", "town_approve", "town_reject"):
        application.town_reviewed_at, application.town_reviewed_by, application.town_comment = now, actor, comment
    elif action in ("reject", "approve"):
        application.decided_at, application.decided_by, application.district_comment = now, actor, comment


def _users(**lookup) -> list[User]:
    return list(User.objects.filter(is_active=True, **lookup))


def _officers(role: str, application: TalentApplication) -> list[User]:
    return officers_covering(application.employer.town.path, role)


def _notify(*, application: TalentApplication, action: str, now: datetime) -> None:
    names = {"person": application.name or gettext_lazy("申报人"), "status": choice_label(application, "status")}
    own_side = _users(enterprise=application.employer) + (
        _users(pk=application.applicant_id) if application.applicant_id else []
    )
    if action == "send_to_employer":
        title, recipients = gettext_lazy("人才申报待单位确认:%(person)s"), _users(enterprise=application.employer)
    elif action == "submit":
        title, recipients = gettext_lazy("人才申报待镇级预审:%(person)s"), _officers(Role.TOWN_OFFICER, application)
    elif action == "town_approve":
        title, recipients = gettext_lazy("人才申报待区级评审:%(person)s"), _officers(Role.DISTRICT_OFFICER, application)
        recipients += own_side
    else:
        title, recipients = gettext_lazy("人才申报「%(status)s」:%(person)s"), own_side
    unique = list({user.pk: user for user in recipients}.values())
    url = reverse("talent:application", kwargs={"pk": application.pk})
    notification_send(recipients=unique, title=Text(title, names), url=url, now=now)


@transaction.atomic
def application_reveal(*, actor, application: TalentApplication, field_name: str, now: datetime | None = None) -> str:
    """The unmasked ID or phone number, for someone entitled to it; every reveal is logged."""
    if field_name not in ("id_number", "phone"):
        raise ValidationError({"field": _("未知字段")})
    require(actor, "talent_application.reveal", application)
    audit_record(
        actor=actor,
        action="talent_application.reveal",
        target=application,
        enterprise_id=application.employer_id,
        changes={"field": field_name},
        now=_now(now),
    )
    return getattr(application, field_name) or ""


@transaction.atomic
def application_delete(*, actor, application: TalentApplication, now: datetime | None = None) -> None:
    """Delete a withdrawn application with its personal data and files (the audit keeps only the fact)."""
    application = _lock(application)
    # The talent, the employer's users and officers in scope: exactly those who may view it.
    require(actor, "talent_application.view", application)
    if application.status != Status.WITHDRAWN:
        raise ValidationError({"status": _("只能删除已撤回的申报")})
    files = [m.file for m in application.materials.all()]
    audit_record(
        actor=actor,
        action="talent_application.delete",
        target=application,
        enterprise_id=application.employer_id,
        changes={"round": application.round.year},
        now=_now(now),
    )
    application.delete()
    # Files go after the rows are gone, and only once the transaction commits.
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])
