"""Every write to the registry: enterprises, contacts, certifications and annual reports.

Each service takes keyword arguments, runs in one transaction, checks the permission layer and
records an audit event with the old → new values. Validation errors name the field they concern.
"""

import functools
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.locks import lock_row, refuse_unless
from sanlian.core.models import Role
from sanlian.core.permissions import has_perm, require
from sanlian.core.services import apply_changes, audit_record, jsonable, notification_send
from sanlian.core.validators import check_uscc
from sanlian.search.services import document_refresh

from .models import AnnualReport, Certification, ChainNode, Contact, Enterprise
from .signals import announce_facts_changed

ENTERPRISE_FIELDS = (
    "name",
    "name_en",
    "industry_code",
    "is_biomedical",
    "cluster",
    "is_gene_related",
    "town",
    "park",
    "founded_date",
    "registered_capital",
    "legal_representative",
    "address",
    "business_scope",
    "description",
    "is_demo",
)
# Registration facts an enterprise may not change about itself (officers keep them true).
OFFICER_ONLY_FIELDS = frozenset({"town", "is_biomedical", "cluster", "is_demo", "uscc"})
REPORT_FIELDS = (
    "revenue",
    "tax",
    "rd_spend",
    "employees",
    "rd_staff",
    "patents_invention",
    "patents_utility",
    "patents_design",
)


def _uscc_clean(*, actor, code: str, override_reason: str, exclude_pk=None) -> tuple[str, str]:
    """Return the normalised code and the override reason to store, or raise on the `uscc` field."""
    try:
        check = check_uscc(code)
    except ValidationError as exc:
        raise ValidationError({"uscc": exc.messages}) from exc
    reason = (override_reason or "").strip()
    if not check.checksum_ok:
        if not has_perm(actor, "uscc.override"):
            raise ValidationError({"uscc": _("统一社会信用代码校验位错误")})
        if not reason:
            raise ValidationError({"uscc_override_reason": _("校验位错误的代码须由工作人员填写例外说明")})
    else:
        reason = ""
    existing = Enterprise.objects.filter(uscc=check.code).exclude(pk=exclude_pk).only("pk", "name").first()
    if existing is not None:
        raise ValidationError(
            {
                "uscc": _("该统一社会信用代码已登记为「%(name)s」(编号 %(pk)s)")
                % {"name": existing.name, "pk": existing.pk}
            }
        )
    return check.code, reason


def check_place(*, actor, data: dict) -> None:
    """Town, park and cluster rules of an enterprise (manual edits and imports alike)."""
    town, park = data.get("town"), data.get("park")
    if town is not None and not town.is_town_level:
        raise ValidationError({"town": _("请选择镇或街道")})
    if town is not None and has_perm(actor, "enterprise.create") and not has_perm(actor, "region.view", town):
        raise ValidationError({"town": _("该镇/街道不在您的管辖范围内")})
    if park is not None and town is not None and park.town_id != town.pk:
        raise ValidationError({"park": _("园区「%(park)s」不在%(town)s") % {"park": park.name, "town": town.name}})
    if data.get("cluster") is not None and not data.get("is_biomedical", True):
        raise ValidationError({"cluster": _("只有生物医药企业才归入产业集群")})


def _validate(instance) -> None:
    validate_enterprise(instance)


def validate_enterprise(instance, *, resolved=(), only=None, memo: dict | None = None) -> None:
    """The model's field rules (industry code, lengths, dates, money). `resolved` names the foreign
    keys the caller has already looked up, so they are not fetched again, and `only` limits the check
    to the fields being set (the others were valid when stored): an import checks 100,000 rows.

    With `memo` (a dict the caller keeps for one import) each field checks each distinct value once:
    the same `Field.clean` as `Model.clean_fields`, whose outcome depends on the value alone.
    """
    if memo is None:
        exclude = ["uscc", "created_at", "updated_at", *resolved]
        if only is not None:
            exclude += [f.name for f in Enterprise._meta.concrete_fields if f.name not in only]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return
    errors = {}
    for field in _checked_fields(tuple(resolved)):
        if only is not None and field.name not in only:
            continue
        raw = getattr(instance, field.attname)
        if field.blank and raw in field.empty_values:
            continue
        key = (field.name, raw)
        if key not in memo:
            try:
                field.clean(raw, instance)
                memo[key] = None
            except ValidationError as exc:
                memo[key] = exc.messages
        if memo[key]:
            errors[field.name] = memo[key]
    if errors:
        raise ValidationError(errors)


@functools.cache
def _checked_fields(resolved: tuple) -> tuple:
    """The enterprise's fields `validate_enterprise` checks with a memo, in the model's order."""
    skip = {"uscc", "created_at", "updated_at", *resolved}
    return tuple(f for f in Enterprise._meta.concrete_fields if f.name not in skip)


@transaction.atomic
def enterprise_create(
    *, actor, uscc: str, data: dict, chain_nodes=(), uscc_override_reason: str = "", now: datetime | None = None
) -> Enterprise:
    require(actor, "enterprise.create")
    now = now or timezone.now()
    code, reason = _uscc_clean(actor=actor, code=uscc, override_reason=uscc_override_reason)
    unknown = set(data) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValidationError({field: _("未知字段") for field in unknown})
    check_place(actor=actor, data=data)
    enterprise = Enterprise(uscc=code, uscc_override_reason=reason, created_at=now, updated_at=now, **data)
    _validate(enterprise)
    enterprise.save()
    enterprise.chain_nodes.set(chain_nodes)
    changes = {field: [None, jsonable(value)] for field, value in data.items()}
    changes["uscc"] = [None, code]
    changes["chain_nodes"] = [None, sorted(node.code for node in chain_nodes)]
    audit_record(
        actor=actor,
        action="enterprise.create",
        target=enterprise,
        changes=changes,
        enterprise_id=enterprise.pk,
        note=reason,
        now=now,
    )
    announce_facts_changed(enterprise_id=enterprise.pk, fields=[f"enterprise.{f}" for f in changes])
    document_refresh(kind="enterprise", object_id=enterprise.pk)
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    actor,
    enterprise: Enterprise,
    data: dict,
    chain_nodes=None,
    uscc: str | None = None,
    uscc_override_reason: str = "",
    now: datetime | None = None,
) -> dict:
    """Apply the changed fields; returns {field: [old, new]} (empty when nothing changed)."""
    require(actor, "enterprise.edit", enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not has_perm(actor, "enterprise.create"):
        forbidden = {f for f in OFFICER_ONLY_FIELDS & set(data) if data[f] != getattr(enterprise, f)}
        if uscc is not None and uscc != enterprise.uscc:
            forbidden.add("uscc")
        if forbidden:
            raise ValidationError({f: _("该项由镇产业服务专员维护") for f in forbidden})
    unknown = set(data) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValidationError({field: _("未知字段") for field in unknown})
    check_place(
        actor=actor,
        data={"town": enterprise.town, "park": enterprise.park, "is_biomedical": enterprise.is_biomedical, **data},
    )
    changes = apply_changes(enterprise, data)
    if uscc is not None and uscc != enterprise.uscc:
        code, reason = _uscc_clean(
            actor=actor, code=uscc, override_reason=uscc_override_reason, exclude_pk=enterprise.pk
        )
        changes.update(apply_changes(enterprise, {"uscc": code, "uscc_override_reason": reason}))
    if chain_nodes is not None:
        old = sorted(enterprise.chain_nodes.values_list("code", flat=True))
        new = sorted(node.code for node in chain_nodes)
        if old != new:
            enterprise.chain_nodes.set(chain_nodes)
            changes["chain_nodes"] = [old, new]
    if not changes:
        return {}
    _validate(enterprise)
    enterprise.updated_at = now or timezone.now()
    enterprise.save()
    audit_record(
        actor=actor,
        action="enterprise.update",
        target=enterprise,
        changes=changes,
        enterprise_id=enterprise.pk,
        now=enterprise.updated_at,
    )
    announce_facts_changed(enterprise_id=enterprise.pk, fields=[f"enterprise.{f}" for f in changes])
    document_refresh(kind="enterprise", object_id=enterprise.pk)
    return changes


@transaction.atomic
def contact_save(
    *, actor, enterprise: Enterprise, data: dict, contact: Contact | None = None, now: datetime | None = None
) -> Contact:
    require(actor, "contact.edit", enterprise)
    contact = contact or Contact(enterprise=enterprise)
    is_new = contact.pk is None
    changes = apply_changes(contact, data)
    # Personal data never enters the audit trail in clear: only the fact that it changed.
    for field in ("phone", "email"):
        if field in changes:
            changes[field] = ["***", "***"]
    try:
        contact.full_clean(exclude=["enterprise"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    contact.save()
    audit_record(
        actor=actor,
        action="contact.create" if is_new else "contact.update",
        target=contact,
        changes=changes,
        enterprise_id=enterprise.pk,
        now=now,
    )
    return contact


@transaction.atomic
def contact_remove(*, actor, contact: Contact, now: datetime | None = None) -> None:
    """Remove a contact person: the row, and with it their name, phone and email, is deleted (PIPL art. 47).

    The audit keeps only that a contact of the enterprise was removed, never who.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    require(actor, "contact.edit", contact.enterprise)
    audit_record(
        actor=actor,
        action="contact.remove",
        target=contact,
        changes={"erased": [f for f in ("name", "title", "phone", "email") if getattr(contact, f)]},
        enterprise_id=contact.enterprise_id,
        now=now,
    )
    contact.delete()


def contact_reveal(*, actor, contact: Contact) -> dict:
    """The full phone and email of a contact; every such view is logged (PIPL)."""
    require(actor, "contact.reveal", contact)
    audit_record(actor=actor, action="contact.reveal", target=contact, enterprise_id=contact.enterprise_id)
    return {"phone": contact.phone, "email": contact.email}


@transaction.atomic
def certification_add(*, actor, enterprise: Enterprise, data: dict, now: datetime | None = None) -> Certification:
    require(actor, "certification.edit", enterprise)
    cert = Certification(enterprise=enterprise, **data)
    if not cert.issuer and cert.type_id:
        cert.issuer = cert.type.default_issuer
    if cert.valid_from_date and cert.valid_until_date and cert.valid_until_date < cert.valid_from_date:
        raise ValidationError({"valid_until_date": _("有效期至不能早于生效日期")})
    try:
        cert.full_clean(exclude=["enterprise"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    cert.save()
    audit_record(
        actor=actor,
        action="certification.add",
        target=cert,
        enterprise_id=enterprise.pk,
        changes={
            "type": [None, cert.type.name],
            "year": [None, cert.year],
            "valid_until_date": [None, str(cert.valid_until_date or "")],
        },
        now=now,
    )
    announce_facts_changed(enterprise_id=enterprise.pk, fields=["certification"])
    return cert


def check_report(report: AnnualReport) -> None:
    """The figures' rules of an annual report (manual edits and imports alike)."""
    try:
        report.full_clean(
            exclude=["enterprise", "status", "submitted_by", "reviewed_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if report.rd_staff is not None and report.employees is not None and report.rd_staff > report.employees:
        raise ValidationError({"rd_staff": _("研发人员不能多于从业人数")})


@transaction.atomic
def annual_report_save(
    *, actor, enterprise: Enterprise, year: int, data: dict, now: datetime | None = None
) -> AnnualReport:
    """Create or edit the enterprise's draft (or returned) report for a year."""
    require(actor, "report.submit", enterprise)
    report = AnnualReport.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
    if report is not None and report.status == AnnualReport.Status.APPROVED:
        raise ValidationError({"year": _("%(year)s年度的年报已审核通过,不能再次填报") % {"year": year}})
    if report is not None and report.status == AnnualReport.Status.SUBMITTED:
        raise ValidationError({"year": _("%(year)s年度的年报正在审核中") % {"year": year}})
    is_new = report is None
    report = report or AnnualReport(enterprise=enterprise, year=year)
    changes = apply_changes(report, {field: data[field] for field in REPORT_FIELDS if field in data})
    check_report(report)
    report.save()
    audit_record(
        actor=actor,
        action="report.create" if is_new else "report.update",
        target=report,
        changes=changes,
        enterprise_id=enterprise.pk,
        now=now,
    )
    return report


# action → (statuses it may leave from, status it leads to, permission)
REPORT_TRANSITIONS = {
    "submit": (
        {AnnualReport.Status.DRAFT, AnnualReport.Status.RETURNED},
        AnnualReport.Status.SUBMITTED,
        "report.submit",
    ),
    "approve": ({AnnualReport.Status.SUBMITTED}, AnnualReport.Status.APPROVED, "report.review"),
    "return": ({AnnualReport.Status.SUBMITTED}, AnnualReport.Status.RETURNED, "report.review"),
}


@transaction.atomic
def annual_report_transition(
    *, actor, report: AnnualReport, action: str, comment: str = "", now: datetime | None = None
) -> AnnualReport:
    """Move a report through draft → submitted → approved | returned, notifying the other side."""
    if action not in REPORT_TRANSITIONS:
        raise ValidationError({"action": _("未知操作")})
    sources, target, permission = REPORT_TRANSITIONS[action]
    report = lock_row(AnnualReport, report.pk, related=["enterprise"])
    require(actor, permission, report)
    refuse_unless(report, allowed=sources)
    comment = (comment or "").strip()
    if action == "return" and not comment:
        raise ValidationError({"comment": _("退回时请填写审核意见")})
    if (
        action == "approve"
        and AnnualReport.objects.filter(
            enterprise=report.enterprise_id, year=report.year, status=AnnualReport.Status.APPROVED
        )
        .exclude(pk=report.pk)
        .exists()
    ):
        raise ValidationError({"year": _("该年度已有审核通过的年报")})
    now = now or timezone.now()
    old_status = report.status
    report.status = target
    if action == "submit":
        report.submitted_at, report.submitted_by = now, actor
    else:
        report.reviewed_at, report.reviewed_by, report.review_comment = now, actor, comment
    report.save()
    audit_record(
        actor=actor,
        action=f"report.{action}",
        target=report,
        enterprise_id=report.enterprise_id,
        changes={"status": [old_status, target]},
        note=comment,
        now=now,
    )
    _notify_report(report=report, action=action, now=now)
    if target == AnnualReport.Status.APPROVED:
        announce_facts_changed(enterprise_id=report.enterprise_id, fields=["report"])
    return report


def _notify_report(*, report: AnnualReport, action: str, now) -> None:
    from sanlian.core.models import User

    enterprise = report.enterprise
    url = reverse("enterprises:detail", kwargs={"pk": enterprise.pk}) + f"#report-{report.year}"
    if action == "submit":
        officers = User.objects.filter(role=Role.TOWN_OFFICER, is_active=True, region__isnull=False).select_related(
            "region"
        )
        recipients = [u for u in officers if enterprise.town.path.startswith(u.region.path)]
        title = Text(
            gettext_lazy("%(name)s 提交了%(year)s年度年报,待审核"), {"name": enterprise.name, "year": report.year}
        )
        notification_send(recipients=recipients, title=title, url=url, now=now)
        return
    recipients = list(User.objects.filter(enterprise=enterprise, is_active=True))
    if action == "approve":
        title = Text(gettext_lazy("您的%(year)s年度年报已审核通过"), {"year": report.year})
    else:
        title = Text(gettext_lazy("您的%(year)s年度年报被退回,请修改后重新提交"), {"year": report.year})
    notification_send(recipients=recipients, title=title, body=report.review_comment, url=url, now=now)


@transaction.atomic
def chain_node_update(*, actor, node: ChainNode, data: dict) -> dict:
    """Officers keep the chain taxonomy's names and descriptions; codes stay stable."""
    require(actor, "chain.edit")
    node = ChainNode.objects.select_for_update().get(pk=node.pk)
    changes = apply_changes(node, {k: data[k] for k in ("name", "name_en", "description") if k in data})
    if changes:
        node.full_clean()
        node.save()
        audit_record(actor=actor, action="chain_node.update", target=node, changes=changes)
    return changes
