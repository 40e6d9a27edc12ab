"""Writes of organisations themselves (members, applications and documents have their own services)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanlian.core.models import Role
from sanlian.core.permissions import in_scope, require
from sanlian.core.services import audit_record

from ..models import Organisation

FIELDS = ("code", "name", "name_en", "kind", "region", "description", "founded_date", "is_demo")


@transaction.atomic
def organisation_create(*, actor, data: dict, secretaries=(), now: datetime) -> Organisation:
    """An officer registers an organisation of a region in their scope and names its secretaries."""
    require(actor, "organisation.create")
    errors = {}
    region = data.get("region")
    if region is None or not in_scope(actor, region):
        errors["region"] = _("只能登记辖区内的组织")
    if not str(data.get("name") or "").strip():
        errors["name"] = _("请填写名称")
    if data.get("kind") not in Organisation.Kind.values:
        errors["kind"] = _("请选择组织类型")
    if Organisation.objects.filter(code=data.get("code")).exists():
        errors["code"] = _("代码已被使用")
    wrong = [u for u in secretaries if u.role != Role.ORG_SECRETARY]
    if wrong:
        errors["secretaries"] = _("秘书须为「联盟/商会秘书」账号")
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.create(
        **{k: data[k] for k in FIELDS if k in data}, created_at=now, updated_at=now
    )
    organisation.secretaries.set(secretaries)
    audit_record(
        actor=actor,
        action="organisation.create",
        target=organisation,
        changes={"name": organisation.name, "secretaries": [u.username for u in secretaries]},
        now=now,
    )
    return organisation
