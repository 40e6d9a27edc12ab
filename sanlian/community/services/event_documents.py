"""Certificates and letters handed out at events: a batch is started in one transaction, a Huey job renders it.

Rendering is idempotent: it draws only the documents that have no PDF yet, so running the job twice (a retry,
a second consumer) leaves one PDF per document.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanlian.core import pdf
from sanlian.core.jobs import enqueue
from sanlian.core.services import audit_record
from sanlian.talent.documents import CertificateContent, draw_certificate

from ..models import DocumentBatch, DocumentKind, Event, IssuedDocument
from .events import require_manage

# Number prefixes per kind: PJ2024-QE-0001 and so on.
KIND_CODES = {DocumentKind.QUALITY_ENTERPRISE: "QE", DocumentKind.AMBASSADOR: "GA", DocumentKind.ATTENDANCE: "AT"}
ENTERPRISE_KINDS = {DocumentKind.QUALITY_ENTERPRISE}


def verify_url(token: str) -> str:
    """Printed on paper, so built from the configured base address, never a request's host."""
    return f"{settings.SANLIAN_BASE_URL}{reverse('events:document-verify', kwargs={'token': token})}"


def _recipients(kind: str, enterprises, people) -> tuple[list, list[str]]:
    if kind in ENTERPRISE_KINDS:
        return list(dict.fromkeys(enterprises)), []
    names = [n.strip() for n in people if n and n.strip()]
    return [], list(dict.fromkeys(names))


@transaction.atomic
def document_batch_start(*, actor, event: Event, kind: str, enterprises=(), people=(), now: datetime) -> DocumentBatch:
    """Create the batch's documents (numbers and tokens, no PDF yet) and queue their rendering after commit.

    Recipients who already hold a valid document of this kind from this event are skipped.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_manage(actor, event)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("请选择文书类型")})
    firms, names = _recipients(kind, enterprises, people)
    held = IssuedDocument.objects.filter(event=event, kind=kind, revoked_at__isnull=True)
    firms = [e for e in firms if not held.filter(enterprise=e).exists()]
    names = [n for n in names if not held.filter(person_name=n).exists()]
    if not firms and not names:
        raise ValidationError({"recipients": _("请选择至少一位尚未获颁该文书的对象")})
    batch = DocumentBatch.objects.create(event=event, kind=kind, created_by=actor, created_at=now)
    prefix = f"PJ{timezone.localtime(event.starts_at).year}-{KIND_CODES[kind]}-"
    start = IssuedDocument.objects.filter(number__startswith=prefix).count() + 1
    recipients = [{"enterprise": e} for e in firms] + [{"person_name": n} for n in names]
    IssuedDocument.objects.bulk_create(
        [
            IssuedDocument(batch=batch, event=event, kind=kind, number=f"{prefix}{start + i:04d}", issued_at=now, **r)
            for i, r in enumerate(recipients)
        ]
    )
    audit_record(
        actor=actor,
        action="activity.documents",
        target=event,
        changes={"kind": kind, "count": len(recipients)},
        now=now,
    )
    from ..tasks import render_document_batch

    enqueue(render_document_batch, batch_id=batch.pk)
    return batch


def _content(document: IssuedDocument) -> CertificateContent:
    event = document.event
    issued = timezone.localdate(document.issued_at)
    issued_date = _("%(y)s年%(m)s月%(d)s日") % {"y": issued.year, "m": issued.month, "d": issued.day}
    # The town confers its honours; an attendance certificate comes from whoever organised the event.
    organiser = event.organisation.name if event.organisation_id else event.region.name
    issuer = organiser if document.kind == DocumentKind.ATTENDANCE else event.region.name
    title = document.get_kind_display()
    statement = {
        DocumentKind.QUALITY_ENTERPRISE: _("%(name)s 被评为浦江镇优质生物医药企业,特发此证。"),
        DocumentKind.AMBASSADOR: _("兹聘请 %(name)s 为浦江镇全球引才大使,特发此聘书。"),
        DocumentKind.ATTENDANCE: _("兹证明 %(name)s 参加了本次活动。"),
    }[document.kind] % {"name": document.recipient}
    rows = (
        (_("获颁对象"), document.recipient),
        (_("颁发活动"), event.title),
        (_("文书编号"), document.number),
        (_("颁发日期"), issued_date),
    )
    return CertificateContent(
        heading=event.title, title=title, statement=statement, rows=rows, issuer=issuer, issued_date=issued_date,
        number=document.number, qr_payload=verify_url(document.token), qr_caption=_("扫码核验"),
        document_title=f"{title} · {document.number}",
    )  # fmt: skip


def document_pdf(document: IssuedDocument) -> bytes:
    content = _content(document)
    return pdf.render(draw_certificate(content), pagesize=pdf.LANDSCAPE, title=content.document_title)


def document_batch_render(*, batch_id: int, now: datetime) -> int:
    """Render the batch's documents that have no PDF yet, one transaction each, so progress shows as it goes."""
    batch = DocumentBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return 0
    pending = batch.documents.filter(file="").select_related("event__organisation", "event__region", "enterprise")
    rendered = 0
    for document in pending:
        with transaction.atomic():
            locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
            if locked.file:
                continue  # another consumer drew it meanwhile
            document.file.save(f"{document.number}.pdf", ContentFile(document_pdf(document)), save=False)
            IssuedDocument.objects.filter(pk=document.pk).update(file=document.file.name)
            rendered += 1
    if not batch.documents.filter(file="").exists() and batch.finished_at is None:
        DocumentBatch.objects.filter(pk=batch.pk, finished_at__isnull=True).update(finished_at=now)
    return rendered


@transaction.atomic
def document_revoke(*, actor, document: IssuedDocument, reason: str, now: datetime) -> IssuedDocument:
    document = IssuedDocument.objects.select_for_update().select_related("event").get(pk=document.pk)
    require_manage(actor, document.event)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤销原因")})
    if document.revoked_at:
        raise ValidationError({"reason": _("该文书已撤销")})
    document.revoked_at, document.revoke_reason = now, reason.strip()[:200]
    document.save(update_fields=["revoked_at", "revoke_reason"])
    audit_record(actor=actor, action="activity.document_revoke", target=document, changes={"reason": reason}, now=now)
    return document
