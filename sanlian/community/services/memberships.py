"""Writes of an organisation's members and joining applications.

An enterprise admin applies for their own enterprise, any enterprise user or talent for themselves as a
person; one pending application per applicant and organisation. The organisation's managers
(`org_selectors.can_manage`: its secretaries, officers in scope) approve with a role — the member is created
in the same transaction — or reject with a comment; the applicant hears of it in the inbox. Members leave
by a `left_date`, so the history stays.
"""

import re
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text, choice_label
from sanlian.core.models import Role
from sanlian.core.permissions import require
from sanlian.core.services import audit_record, notification_send

from ..models import JoinApplication, Member, MemberRole, Organisation
from ..org_selectors import active_members, require_manager
from .erasure import join_application_erase_personal, member_erase_personal

MOBILE = re.compile(r"^1[3-9]\d{9}$")
MAX_STATEMENT = 2000
Status = JoinApplication.Status
Kind = Member.Kind


def _person_checked(data: dict) -> tuple[dict, dict]:
    """A person's fields, trimmed, and what is wrong with them by field."""
    person = {
        "person_name": str(data.get("person_name") or "").strip(),
        "person_title": str(data.get("person_title") or "").strip(),
        "employer": str(data.get("employer") or "").strip(),
        "mobile": str(data.get("mobile") or "").strip() or None,
    }
    errors = {}
    if not person["person_name"]:
        errors["person_name"] = _("请填写姓名")
    if len(person["person_name"]) > 64:
        errors["person_name"] = _("姓名最多 64 个字")
    if len(person["person_title"]) > 100 or len(person["employer"]) > 128:
        errors["employer"] = _("职务或工作单位过长")
    if person["mobile"] and not MOBILE.match(person["mobile"]):
        errors["mobile"] = _("请输入11位手机号")
    return person, errors


def _person(data: dict) -> dict:
    person, errors = _person_checked(data)
    if errors:
        raise ValidationError(errors)
    return person


def _already_member(organisation: Organisation, *, enterprise=None, user=None, person_name="", employer="") -> bool:
    rows = active_members(organisation)
    if enterprise is not None:
        return rows.filter(enterprise=enterprise).exists()
    if user is not None and rows.filter(user=user).exists():
        return True
    return rows.filter(kind=Kind.PERSON, person_name=person_name, employer=employer).exists()


def _check_role(role: str) -> None:
    if role not in MemberRole.values:
        raise ValidationError({"role": _("请选择会内职务")})


@transaction.atomic
def join_application_submit(
    *, actor, organisation: Organisation, kind: str, statement: str, person: dict | None = None, now: datetime
) -> JoinApplication:
    """Apply to join: as the actor's own enterprise (enterprise admins) or as a person."""
    require(actor, "organisation.apply")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    statement = (statement or "").strip()
    fields: dict = {"kind": kind}
    errors: dict = {}
    if kind == Kind.ENTERPRISE:
        if actor.role != Role.ENTERPRISE_ADMIN or not actor.enterprise_id:
            raise ValidationError({"kind": _("只有企业管理员可以以本企业名义申请入会")})
        fields["enterprise"] = actor.enterprise
        member_lookup = {"enterprise": actor.enterprise}
    elif kind == Kind.PERSON:
        checked, errors = _person_checked(person or {})
        fields.update(checked)
        member_lookup = {"user": actor, "person_name": fields["person_name"], "employer": fields["employer"]}
    else:
        raise ValidationError({"kind": _("请选择申请身份")})
    if not statement:
        errors["statement"] = _("请填写申请说明")
    elif len(statement) > MAX_STATEMENT:
        errors["statement"] = _("最多 %(n)s 个字(当前 %(count)s 个)") % {"n": MAX_STATEMENT, "count": len(statement)}
    if _already_member(organisation, **member_lookup):
        errors["kind"] = _("已是该组织的会员,无需重复申请")
    elif organisation.applications.filter(applicant=actor, status=Status.PENDING).exists():
        errors["kind"] = _("您已有一份待审核的入会申请,请等待秘书处理")
    if errors:
        raise ValidationError(errors)
    application = JoinApplication.objects.create(
        organisation=organisation, applicant=actor, statement=statement, created_at=now, **fields
    )
    audit_record(
        actor=actor,
        action="join_application.submit",
        target=application,
        changes={"organisation": organisation.code, "kind": kind, "name": application.display_name},
        now=now,
    )
    secretaries = list(organisation.secretaries.all())
    if secretaries:
        notification_send(
            recipients=secretaries,
            title=Text(
                gettext_lazy("「%(org)s」收到新的入会申请:%(name)s"),
                {"org": organisation.name, "name": application.display_name},
            ),
            url=reverse("orgs:applications", kwargs={"code": organisation.code}),
            now=now,
        )
    return application


def _create_member(*, organisation: Organisation, fields: dict, role: str, joined_date: date, now: datetime) -> Member:
    try:
        with transaction.atomic():
            return Member.objects.create(
                organisation=organisation, role=role, joined_date=joined_date, created_at=now, updated_at=now, **fields
            )
    except IntegrityError as exc:  # a concurrent approval got there first; the constraint is the last word
        raise ValidationError({"kind": _("已是该组织的会员")}) from exc


@transaction.atomic
def member_add(
    *,
    actor,
    organisation: Organisation,
    kind: str,
    role: str,
    joined_date: date,
    now: datetime,
    enterprise=None,
    person: dict | None = None,
    user=None,
) -> Member:
    """A manager enrols a member directly (founding members, leaders elected at a general meeting)."""
    require_manager(actor, organisation)
    _check_role(role)
    if kind == Kind.ENTERPRISE:
        if enterprise is None:
            raise ValidationError({"enterprise": _("请选择企业")})
        fields = {"kind": kind, "enterprise": enterprise}
        lookup = {"enterprise": enterprise}
    elif kind == Kind.PERSON:
        fields = {"kind": kind, "user": user, **_person(person or {})}
        lookup = {"user": user, "person_name": fields["person_name"], "employer": fields["employer"]}
    else:
        raise ValidationError({"kind": _("请选择会员类型")})
    if _already_member(organisation, **lookup):
        raise ValidationError({"kind": _("已是该组织的会员")})
    member = _create_member(organisation=organisation, fields=fields, role=role, joined_date=joined_date, now=now)
    audit_record(
        actor=actor,
        action="member.add",
        target=member,
        changes={"organisation": organisation.code, "name": member.display_name, "role": role},
        now=now,
    )
    return member


TRANSITIONS = {"approve": Status.APPROVED, "reject": Status.REJECTED, "withdraw": Status.WITHDRAWN}


@transaction.atomic
def join_application_transition(
    *,
    actor,
    application: JoinApplication,
    action: str,
    now: datetime,
    role: str = MemberRole.MEMBER,
    comment: str = "",
) -> JoinApplication:
    """Approve (with the member's role), reject (with a comment) or withdraw (the applicant) a pending application."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("未知操作")})
    application = JoinApplication.objects.select_for_update().select_related("organisation").get(pk=application.pk)
    organisation = application.organisation
    if action == "withdraw":
        if application.applicant_id != actor.pk:
            raise PermissionDenied(_("只能撤回自己的申请"))
    else:
        require_manager(actor, organisation)
    if application.status != Status.PENDING:
        raise ValidationError({"status": _("该申请已处理(%(s)s)") % {"s": application.get_status_display()}})
    comment = (comment or "").strip()
    if action == "reject" and not comment:
        raise ValidationError({"comment": _("请填写未通过的原因")})
    if len(comment) > MAX_STATEMENT:
        raise ValidationError(
            {"comment": _("最多 %(n)s 个字(当前 %(count)s 个)") % {"n": MAX_STATEMENT, "count": len(comment)}}
        )
    if action == "approve":
        application.member = _member_from(application, role=role, now=now)
    application.status = TRANSITIONS[action]
    application.decided_by, application.decided_at, application.comment = actor, now, comment
    application.save(update_fields=["status", "decided_by", "decided_at", "comment", "member"])
    if action == "withdraw":
        # Withdrawing the application withdraws consent: its personal fields go at once.
        join_application_erase_personal(application)
    audit_record(
        actor=actor,
        action=f"join_application.{action}",
        target=application,
        changes={
            "organisation": organisation.code,
            "status": application.status,
            "role": role if action == "approve" else "",
            "comment": comment,
        },
        now=now,
    )
    if action != "withdraw":
        _tell_applicant(application, now=now)
    return application


def _member_from(application: JoinApplication, *, role: str, now: datetime) -> Member:
    _check_role(role)
    fields = {"kind": application.kind}
    if application.kind == Kind.ENTERPRISE:
        fields["enterprise"] = application.enterprise
        lookup = {"enterprise": application.enterprise}
    else:
        fields.update(
            user=application.applicant,
            person_name=application.person_name,
            person_title=application.person_title,
            employer=application.employer,
            mobile=application.mobile,
        )
        lookup = {
            "user": application.applicant,
            "person_name": application.person_name,
            "employer": application.employer,
        }
    if _already_member(application.organisation, **lookup):
        raise ValidationError({"kind": _("已是该组织的会员")})
    joined = timezone.localtime(now).date()
    return _create_member(organisation=application.organisation, fields=fields, role=role, joined_date=joined, now=now)


def _tell_applicant(application: JoinApplication, *, now: datetime) -> None:
    names = {"org": application.organisation.name}
    if application.status == Status.APPROVED:
        title = Text(gettext_lazy("您已加入「%(org)s」"), names)
        body = Text(gettext_lazy("会内职务:%(role)s"), {"role": choice_label(application.member, "role")})
    else:
        title = Text(gettext_lazy("您加入「%(org)s」的申请未通过"), names)
        body = application.comment
    url = reverse("orgs:detail", kwargs={"code": application.organisation.code})
    notification_send(recipients=[application.applicant], title=title, body=body, url=url, now=now)


@transaction.atomic
def member_change_role(*, actor, member: Member, role: str, now: datetime) -> Member:
    member = Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    require_manager(actor, member.organisation)
    _check_role(role)
    if member.left_date is not None:
        raise ValidationError({"role": _("该会员已退会")})
    old, member.role, member.updated_at = member.role, role, now
    member.save(update_fields=["role", "updated_at"])
    audit_record(actor=actor, action="member.role", target=member, changes={"role": [old, role]}, now=now)
    return member


@transaction.atomic
def member_remove(*, actor, member: Member, left_date: date, now: datetime) -> Member:
    """The member leaves on `left_date`; the row stays as history and they may apply again later."""
    member = Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    require_manager(actor, member.organisation)
    if member.left_date is not None:
        raise ValidationError({"left_date": _("该会员已退会")})
    if left_date is None or left_date < member.joined_date:
        raise ValidationError({"left_date": _("退会日期不能早于入会日期")})
    member.left_date, member.updated_at = left_date, now
    member.save(update_fields=["left_date", "updated_at"])
    # A person who leaves withdraws consent (PIPL art. 15, 47): mobile and title go, the name is masked.
    erased = member_erase_personal(member) if member.kind == Member.Kind.PERSON else []
    audit_record(
        actor=actor,
        action="member.remove",
        target=member,
        changes={"name": member.display_name, "left_date": left_date.isoformat(), "erased": erased},
        now=now,
    )
    return member


@transaction.atomic
def member_reveal(*, actor, member: Member, now: datetime) -> str:
    """A person member's full mobile, for a manager of the organisation; every reveal is logged (PIPL)."""
    require_manager(actor, member.organisation)
    audit_record(actor=actor, action="member.reveal", target=member, changes={"field": "mobile"}, now=now)
    return member.mobile or ""
