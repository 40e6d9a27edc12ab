"""An organisation's documents (charter, minutes, notices): uploaded and removed by its managers."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanlian.core.services import audit_record
from sanlian.core.uploads import checked_upload

from ..models import Organisation, OrgDocument
from ..org_selectors import require_manager

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def org_document_add(
    *, actor, organisation: Organisation, title: str, visibility: str, upload, now: datetime
) -> OrgDocument:
    require_manager(actor, organisation)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写标题")
    elif len(title) > 200:
        errors["title"] = _("标题最多 200 个字")
    if visibility not in OrgDocument.Visibility.values:
        errors["visibility"] = _("请选择可见范围")
    if upload is None:
        errors["file"] = _("请选择文件")
    if errors:
        raise ValidationError(errors)
    name, size = checked_upload(upload, field="file", max_bytes=MAX_DOCUMENT_BYTES)
    document = OrgDocument.objects.create(
        organisation=organisation,
        title=title,
        file=upload,
        name=name,
        size=size,
        visibility=visibility,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=now,
    )
    audit_record(
        actor=actor,
        action="org_document.add",
        target=document,
        changes={"organisation": organisation.code, "title": title, "visibility": visibility},
        now=now,
    )
    return document


@transaction.atomic
def org_document_remove(*, actor, document: OrgDocument, now: datetime) -> None:
    require_manager(actor, document.organisation)
    audit_record(
        actor=actor,
        action="org_document.remove",
        target=document.organisation,
        changes={"title": document.title, "name": document.name},
        now=now,
    )
    stored = document.file
    document.delete()
    # The file goes only once the row is surely gone.
    transaction.on_commit(lambda: stored.delete(save=False))
