"""Writes of the global talent ambassadors (全球引才大使) and their referral leads.

An officer appoints an ambassador for a town within the officer's region; the appointment gets a letter
number "YCDS-<year>-<serial>" (serial per year of the appointment date) and, when a username is given,
a login of role ambassador. A lead moves lead → contacted → visited → landed (a firm founded or a
talent hired by an enterprise of the registry) → certified (an approved talent application of that
enterprise), or is dropped before it lands, through `lead_transition` only: it locks the row, checks
the move, records a LeadEvent and the audit event, and tells the town's officers when a lead lands or
is certified. Nothing here reads the clock except through `now`.
"""

import re
from datetime import date, datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.models import Role, User
from sanlian.core.permissions import has_perm, require
from sanlian.core.selectors import officers_covering
from sanlian.core.services import apply_changes, audit_record, jsonable, notification_send

from ..models import Ambassador, Lead, LeadEvent, TalentApplication

__all__ = [
    "AMBASSADOR_FIELDS",
    "LEAD_FIELDS",
    "LEAD_TRANSITIONS",
    "LETTER_PREFIX",
    "ambassador_appoint",
    "ambassador_update",
    "lead_create",
    "lead_transition",
    "next_statuses",
    "town_officers",
]

LETTER_PREFIX = "YCDS"
AMBASSADOR_FIELDS = (
    "name",
    "organisation",
    "field",
    "overseas_region",
    "town",
    "appointed_date",
    "term_start_date",
    "term_end_date",
)
# Fields that make (or link) the ambassador's login; not columns of Ambassador.
ACCOUNT_FIELDS = ("username", "password", "email")
# appointed_date fixes the letter number's year, so it does not change after the appointment.
UPDATABLE_FIELDS = frozenset(AMBASSADOR_FIELDS) - {"appointed_date"}
REQUIRED_FIELDS = ("name", "field", "overseas_region", "town", "appointed_date", "term_start_date", "term_end_date")
DATE_FIELDS = ("appointed_date", "term_start_date", "term_end_date")
LEAD_FIELDS = ("kind", "name", "field", "note")
LETTER_ATTEMPTS = 5

S = Lead.Status
# status → the statuses a lead may move to from it.
LEAD_TRANSITIONS: dict[str, frozenset[str]] = {
    S.LEAD: frozenset({S.CONTACTED, S.DROPPED}),
    S.CONTACTED: frozenset({S.VISITED, S.DROPPED}),
    S.VISITED: frozenset({S.LANDED, S.DROPPED}),
    S.LANDED: frozenset({S.CERTIFIED}),
    S.CERTIFIED: frozenset(),
    S.DROPPED: frozenset(),
}
PIPELINE = (S.LEAD, S.CONTACTED, S.VISITED, S.LANDED, S.CERTIFIED, S.DROPPED)


def next_statuses(status: str) -> list[str]:
    """The statuses a lead in `status` may move to, in pipeline order."""
    allowed = LEAD_TRANSITIONS.get(status, frozenset())
    return [s for s in PIPELINE if s in allowed]


# Ambassadors ----------------------------------------------------------------------------------------


def _as_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        if not isinstance(value, str) or len(value.strip()) != 10:
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError({field: _("请输入有效日期(YYYY-MM-DD)")}) from None


def _clean_text(data: dict) -> dict:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


def _check_ambassador(actor, ambassador: Ambassador) -> None:
    """The whole appointment is sound: required fields, a town in the actor's region, the term's order."""
    errors = {}
    for field in REQUIRED_FIELDS:
        value = ambassador.town_id if field == "town" else getattr(ambassador, field)
        if value in (None, ""):
            errors[field] = [_("此项为必填项")]
    if errors:
        raise ValidationError(errors)
    town = ambassador.town
    if not town.is_town_level:
        raise ValidationError({"town": _("请选择镇或街道")})
    if not has_perm(actor, "ambassador.edit", ambassador):
        raise ValidationError({"town": _("该镇(街道)不在您的管辖范围内")})
    if ambassador.term_end_date <= ambassador.term_start_date:
        raise ValidationError({"term_end_date": _("任期结束日期须晚于开始日期")})
    try:
        ambassador.full_clean(exclude=["user", "town", "letter_number"], validate_unique=False,
                              validate_constraints=False)  # fmt: skip
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _letter_serials(year: int) -> list[int]:
    prefix = f"{LETTER_PREFIX}-{year}-"
    numbers = Ambassador.objects.filter(letter_number__startswith=prefix).values_list("letter_number", flat=True)
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    return [int(m.group(1)) for m in map(pattern.match, numbers) if m]


def _save_with_letter_number(ambassador: Ambassador) -> None:
    """Insert the ambassador with the next free letter number of its year.

    Two officers appointing at once may pick the same serial; the unique index refuses the second
    insert, which then retries in its own savepoint with the number the first one left.
    """
    year = ambassador.appointed_date.year
    for _attempt in range(LETTER_ATTEMPTS):
        serial = max(_letter_serials(year), default=0) + 1
        ambassador.letter_number = f"{LETTER_PREFIX}-{year}-{serial:03d}"
        try:
            with transaction.atomic():
                ambassador.save(force_insert=True)
        except IntegrityError:
            ambassador.pk = None
            if not Ambassador.objects.filter(letter_number=ambassador.letter_number).exists():
                raise  # some other constraint failed; not a race for the number
            continue
        return
    raise ValidationError({"letter_number": _("聘书编号分配冲突,请稍后重试")})


def _account(*, ambassador: Ambassador, account: dict, now: datetime) -> User | None:
    """The login to link: a new user of role ambassador, or an existing ambassador login without a profile."""
    username = account.get("username") or ""
    password = account.get("password") or ""
    email = account.get("email") or ""
    if not username:
        if password or email:
            raise ValidationError({"username": _("设置密码或邮箱时请填写用户名")})
        return None
    if ambassador.user_id:
        raise ValidationError({"username": _("该大使已有登录账号")})
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from exc
    if len(username) > User._meta.get_field("username").max_length:
        raise ValidationError({"username": _("用户名过长")})
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        if existing.role != Role.AMBASSADOR:
            raise ValidationError({"username": _("该用户名已被其他角色的账号使用")})
        if Ambassador.objects.filter(user=existing).exists():
            raise ValidationError({"username": _("该账号已关联其他引才大使")})
        if password:
            raise ValidationError({"password": _("已有账号不能在此设置密码")})
        return existing
    user = User(
        username=username,
        role=Role.AMBASSADOR,
        display_name=ambassador.name,
        email=email,
        date_joined=now,
        is_active=True,
    )
    if email:
        try:
            user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name != "email"])
        except ValidationError as exc:
            raise ValidationError({"email": exc.message_dict.get("email", exc.messages)}) from exc
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    else:
        # The officer hands over access separately (password reset); no password is made up here.
        user.set_unusable_password()
    user.save()
    return user


def _split(data: dict, allowed) -> tuple[dict, dict]:
    unknown = set(data) - set(allowed) - set(ACCOUNT_FIELDS)
    if unknown:
        raise ValidationError({field: _("未知字段") for field in sorted(unknown)})
    data = _clean_text(data)
    fields = {k: v for k, v in data.items() if k in allowed}
    for field in DATE_FIELDS:
        if field in fields:
            fields[field] = _as_date(fields[field], field)
    for field, value in fields.items():
        if value is None and field not in DATE_FIELDS and field != "town":
            fields[field] = ""
    return fields, {k: v for k, v in data.items() if k in ACCOUNT_FIELDS}


def _welcome(*, user: User | None, ambassador: Ambassador, now: datetime) -> None:
    if user is None:
        return
    notification_send(
        recipients=[user],
        title=Text(
            gettext_lazy("您已受聘为%(town)s全球引才大使(聘书编号 %(number)s)"),
            {"town": ambassador.town.name, "number": ambassador.letter_number},
        ),
        url=reverse("talent:leads"),
        channels=("inbox",),
        now=now,
    )


@transaction.atomic
def ambassador_appoint(*, actor, data: dict, now: datetime) -> Ambassador:
    """Appoint an ambassador for a town of the actor's region (officers).

    `data`: name, organisation, field, overseas_region, town (a Region), appointed_date, term_start_date,
    term_end_date; optionally username (creates an ambassador login, or links an existing one that has
    no profile yet), password (otherwise the new login has no usable password) and email.
    """
    require(actor, "ambassador.edit")
    fields, account = _split(data, AMBASSADOR_FIELDS)
    ambassador = Ambassador(created_at=now, **fields)
    _check_ambassador(actor, ambassador)
    _save_with_letter_number(ambassador)
    user = _account(ambassador=ambassador, account=account, now=now)
    if user is not None:
        ambassador.user = user
        ambassador.save(update_fields=["user"])
    changes = {field: [None, jsonable(getattr(ambassador, field))] for field in (*AMBASSADOR_FIELDS, "letter_number")}
    if user is not None:
        changes["user"] = [None, user.username]
    audit_record(actor=actor, action="ambassador.appoint", target=ambassador, changes=changes, now=now)
    _welcome(user=user, ambassador=ambassador, now=now)
    return ambassador


@transaction.atomic
def ambassador_update(*, actor, ambassador: Ambassador, data: dict, now: datetime) -> Ambassador:
    """Edit an appointment (officers in scope): profile, town and term; `username` links a login once.

    The appointment date (and so the letter number) stays as appointed.
    """
    ambassador = Ambassador.objects.select_for_update(of=("self",)).select_related("town").get(pk=ambassador.pk)
    require(actor, "ambassador.edit", ambassador)
    if "appointed_date" in data and _as_date(data["appointed_date"], "appointed_date") != ambassador.appointed_date:
        raise ValidationError({"appointed_date": _("聘任日期决定聘书编号,聘任后不能修改")})
    fields, account = _split({k: v for k, v in data.items() if k != "appointed_date"}, UPDATABLE_FIELDS)
    old_town = ambassador.town.code
    changes = apply_changes(ambassador, fields)
    if "town" in changes:
        changes["town"] = [old_town, ambassador.town.code if ambassador.town_id else None]
    _check_ambassador(actor, ambassador)
    user = _account(ambassador=ambassador, account=account, now=now)
    if user is not None:
        ambassador.user = user
        changes["user"] = [None, user.username]
    if not changes:
        return ambassador
    ambassador.save()
    audit_record(actor=actor, action="ambassador.update", target=ambassador, changes=changes, now=now)
    _welcome(user=user, ambassador=ambassador, now=now)
    return ambassador


# Leads ----------------------------------------------------------------------------------------------


def _is_officer(actor) -> bool:
    return bool(getattr(actor, "is_superuser", False) or getattr(actor, "is_officer", False))


@transaction.atomic
def lead_create(*, actor, ambassador: Ambassador, data: dict, now: datetime) -> Lead:
    """Record a referral of an ambassador: by the ambassador themself or by an officer in scope.

    `data`: kind (talent or firm), name, field, note. An ambassador whose term has ended can no longer
    add leads (officers still can, to record what was reported late).
    """
    ambassador = Ambassador.objects.select_related("town").get(pk=ambassador.pk)
    lead = Lead(ambassador=ambassador)
    require(actor, "lead.edit", lead)
    unknown = set(data) - set(LEAD_FIELDS)
    if unknown:
        raise ValidationError({field: _("未知字段") for field in sorted(unknown)})
    data = {k: ("" if v is None else v) for k, v in _clean_text(data).items()}
    if data.get("kind") not in Lead.Kind.values:
        raise ValidationError({"kind": _("请选择线索类型(人才或企业/项目)")})
    if not data.get("name"):
        raise ValidationError({"name": _("请填写线索名称")})
    if not _is_officer(actor) and timezone.localdate(now) > ambassador.term_end_date:
        raise ValidationError({"ambassador": _("聘期已于 %(date)s 结束,不能再添加线索")
                               % {"date": ambassador.term_end_date.isoformat()}})  # fmt: skip
    for field, value in data.items():
        setattr(lead, field, value)
    lead.status = S.LEAD
    lead.created_at = lead.updated_at = now
    try:
        lead.full_clean(exclude=["ambassador", "enterprise", "application"], validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    lead.save()
    LeadEvent.objects.create(lead=lead, from_status="", to_status=S.LEAD, note=data.get("note", ""),
                             actor=_user(actor), created_at=now)  # fmt: skip
    audit_record(
        actor=actor,
        action="lead.create",
        target=lead,
        changes={**{k: [None, v] for k, v in data.items()}, "ambassador": [None, ambassador.letter_number]},
        now=now,
    )
    return lead


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _lock(lead: Lead) -> Lead:
    return (
        Lead.objects.select_for_update(of=("self",))
        .select_related("ambassador", "ambassador__town", "ambassador__user", "enterprise")
        .get(pk=lead.pk)
    )


def _status_label(status: str) -> str:
    return str(S(status).label) if status in S.values else status


def _check_landing(lead: Lead, landing, enterprise) -> None:
    if landing not in Lead.Landing.values:
        raise ValidationError({"landing": _("请选择落地方式(创办企业或入职企业)")})
    if lead.kind == Lead.Kind.FIRM and landing != Lead.Landing.FIRM_FOUNDED:
        raise ValidationError({"landing": _("企业/项目类线索只能以创办企业的方式落地")})
    if enterprise is None or getattr(enterprise, "pk", None) is None:
        raise ValidationError({"enterprise": _("请选择落地企业(须已在企业库登记)")})


def _check_certification(lead: Lead, application) -> None:
    if application is None or getattr(application, "pk", None) is None:
        raise ValidationError({"application": _("请选择已认定的人才申报")})
    application = TalentApplication.objects.filter(pk=application.pk).only("status", "employer_id").first()
    if application is None or application.status != TalentApplication.Status.APPROVED:
        raise ValidationError({"application": _("所选人才申报尚未获得认定")})
    if application.employer_id != lead.enterprise_id:
        raise ValidationError({"application": _("所选人才申报的用人单位不是该线索的落地企业")})
    if Lead.objects.filter(application_id=application.pk).exclude(pk=lead.pk).exists():
        raise ValidationError({"application": _("该人才申报已计入其他引才线索")})


@transaction.atomic
def lead_transition(
    *,
    actor,
    lead: Lead,
    to_status: str,
    note: str = "",
    landing: str | None = None,
    enterprise=None,
    application=None,
    now: datetime,
) -> Lead:
    """Move a lead one step along its pipeline (the ambassador themself or an officer in scope).

    landed needs `landing` (firm_founded or talent_hired; firm leads only found firms) and `enterprise`
    (an Enterprise of the registry); certified needs `application`, an approved TalentApplication whose
    employer is the lead's enterprise and which no other lead claims; dropped needs a `note` saying why.
    """
    lead = _lock(lead)
    require(actor, "lead.edit", lead)
    if to_status not in S.values:
        raise ValidationError({"to_status": _("未知的线索进展")})
    if to_status not in LEAD_TRANSITIONS[lead.status]:
        raise ValidationError(
            {"to_status": _("当前进展「%(from)s」不能变为「%(to)s」")
             % {"from": _status_label(lead.status), "to": _status_label(to_status)}}
        )  # fmt: skip
    note = (note or "").strip()
    if to_status != S.LANDED and (landing or enterprise is not None):
        field = "landing" if landing else "enterprise"
        raise ValidationError({field: _("只有落地时才填写落地方式和落地企业")})
    if to_status != S.CERTIFIED and application is not None:
        raise ValidationError({"application": _("只有认定时才关联人才申报")})
    if to_status == S.DROPPED and not note:
        raise ValidationError({"note": _("请说明终止原因")})
    old = {"status": lead.status}
    if to_status == S.LANDED:
        _check_landing(lead, landing, enterprise)
        old.update(landing=lead.landing, enterprise=lead.enterprise_id)
        lead.landing, lead.enterprise, lead.landed_at = landing, enterprise, now
    elif to_status == S.CERTIFIED:
        _check_certification(lead, application)
        old["application"] = lead.application_id
        lead.application, lead.certified_at = application, now
    from_status = lead.status
    lead.status = to_status
    lead.updated_at = now
    lead.save()
    LeadEvent.objects.create(lead=lead, from_status=from_status, to_status=to_status, note=note, actor=_user(actor),
                             created_at=now)  # fmt: skip
    changes = {"status": [from_status, to_status]}
    if to_status == S.LANDED:
        changes.update(landing=[old["landing"] or None, landing], enterprise=[old["enterprise"], enterprise.pk])
    elif to_status == S.CERTIFIED:
        changes["application"] = [old["application"], application.pk]
    audit_record(
        actor=actor,
        action=f"lead.{to_status}",
        target=lead,
        changes=changes,
        enterprise_id=lead.enterprise_id,
        note=note,
        now=now,
    )
    if to_status in (S.LANDED, S.CERTIFIED):
        _notify(lead=lead, actor=actor, now=now)
    return lead


def town_officers(town) -> list[User]:
    """Active town officers whose region covers the town."""
    return officers_covering(town.path, Role.TOWN_OFFICER)


def _notify(*, lead: Lead, actor, now: datetime) -> None:
    ambassador = lead.ambassador
    names = {
        "ambassador": ambassador.name,
        "lead": lead.name,
        "enterprise": lead.enterprise.name if lead.enterprise_id else "",
    }
    if lead.status == S.LANDED:
        title = Text(gettext_lazy("引才大使 %(ambassador)s 的线索「%(lead)s」已落地:%(enterprise)s"), names)
    else:
        title = Text(gettext_lazy("引才大使 %(ambassador)s 的线索「%(lead)s」已获人才认定"), names)
    actor_pk = getattr(actor, "pk", None)
    recipients = [u for u in town_officers(ambassador.town) if u.pk != actor_pk]
    if ambassador.user_id and ambassador.user_id != actor_pk and ambassador.user.is_active:
        recipients.append(ambassador.user)
    if recipients:
        notification_send(recipients=recipients, title=title, url=reverse("talent:lead", kwargs={"pk": lead.pk}),
                          now=now)  # fmt: skip
