"""Writes of talent certificates: issue (once per approved application), revoke, and the PDF.

Numbers are "CS" + the round's year + "-" + a five-digit serial within that year (CS2023-00001). The
serial is the year's highest plus one; two approvals racing for the same number meet the unique
constraint, and the loser takes the next one (no lock on a shared row, so no deadlock with the
application workflow that calls `certificate_issue` while holding its own locks).
"""

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core import pdf
from sanlian.core.i18n import Text
from sanlian.core.models import User
from sanlian.core.permissions import require
from sanlian.core.services import audit_record, notification_send

from .. import documents
from ..certificate_selectors import certificate_last_number
from ..models import Certificate, TalentApplication

__all__ = ["certificate_issue", "certificate_revoke", "certificate_pdf", "certificate_number", "new_token"]

NUMBER_ATTEMPTS = 20
TOKEN_LENGTH = Certificate._meta.get_field("token").max_length
REASON_LENGTH = Certificate._meta.get_field("revoked_reason").max_length


def certificate_number(year: int, serial: int) -> str:
    return f"CS{year}-{serial:05d}"


def _next_number(year: int) -> str:
    prefix = f"CS{year}-"
    last = certificate_last_number(prefix)
    serial = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return certificate_number(year, serial)


def new_token() -> str:
    return secrets.token_urlsafe(16)[:TOKEN_LENGTH]


def _recipients(application: TalentApplication) -> list[User]:
    """The talent (when he has an account) and the employer's active users, each once."""
    users = list(User.objects.filter(enterprise_id=application.employer_id, is_active=True).order_by("pk"))
    applicant = application.applicant
    if applicant is not None and applicant.is_active and applicant.pk not in {u.pk for u in users}:
        users.insert(0, applicant)
    return users


def _url(certificate: Certificate) -> str:
    return reverse("talent:certificate", kwargs={"pk": certificate.pk})


@transaction.atomic
def certificate_issue(*, actor, application: TalentApplication, now: datetime) -> Certificate:
    """The certificate of an approved application: issued on the first call, returned as is after.

    Called by the application workflow when an application becomes approved: the caller has checked who
    may decide, so no permission is asked here; `actor` None means the system (e.g. 免申即享 imports).
    """
    application = (
        TalentApplication.objects.select_for_update(of=("self",))
        .select_related("round", "level", "employer", "applicant")
        .get(pk=application.pk)
    )
    existing = Certificate.objects.filter(application_id=application.pk).first()
    if existing is not None:
        return existing
    if application.status != TalentApplication.Status.APPROVED:
        raise ValidationError(
            {
                "status": _("只有已认定的申报才能颁发证书(当前状态:%(status)s)")
                % {"status": application.get_status_display()}
            }
        )
    certificate = None
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            # A savepoint: a number (or, once in an age, a token) taken meanwhile fails only this insert.
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    application=application,
                    number=_next_number(application.round.year),
                    token=new_token(),
                    issued_at=now,
                )
            break
        except IntegrityError:
            existing = Certificate.objects.filter(application_id=application.pk).first()
            if existing is not None:
                return existing
    if certificate is None:
        raise ValidationError({"number": _("证书编号分配繁忙,请稍后重试")})
    audit_record(
        actor=actor,
        action="certificate.issue",
        target=certificate,
        enterprise_id=application.employer_id,
        changes={"number": [None, certificate.number], "application": [None, application.pk]},
        now=now,
    )
    recipients = _recipients(application)
    if recipients:
        notification_send(
            recipients=recipients,
            title=Text(
                gettext_lazy("%(name)s 的%(round)s证书已颁发,证书编号 %(number)s"),
                {"name": application.name, "round": application.round.name, "number": certificate.number},
            ),
            url=_url(certificate),
            now=now,
        )
    return certificate


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str, now: datetime) -> Certificate:
    """Revoke a certificate with a reason; the public verification page then says 已撤销."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("application", "application__employer__town", "application__round", "application__applicant")
        .get(pk=certificate.pk)
    )
    require(actor, "certificate.revoke", certificate)
    if certificate.revoked_at is not None:
        raise ValidationError(
            {"reason": _("该证书已于 %(date)s 撤销") % {"date": timezone.localdate(certificate.revoked_at)}}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因")})
    if len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": _("撤销原因不能超过 %(n)s 个字") % {"n": REASON_LENGTH}})
    certificate.revoked_at = now
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    application = certificate.application
    audit_record(
        actor=actor,
        action="certificate.revoke",
        target=certificate,
        enterprise_id=application.employer_id,
        changes={"revoked_at": [None, now.isoformat()]},
        note=reason,
        now=now,
    )
    recipients = _recipients(application)
    if recipients:
        notification_send(
            recipients=recipients,
            title=Text(gettext_lazy("证书 %(number)s 已被撤销"), {"number": certificate.number}),
            body=reason,
            url=_url(certificate),
            now=now,
        )
    return certificate


def certificate_pdf(*, certificate: Certificate, verify_url: str) -> bytes:
    """The landscape A4 certificate, with a QR code of `verify_url` (the public verification page)."""
    content = documents.certificate_content(certificate, verify_url)
    return pdf.render(documents.draw_certificate(content), pagesize=pdf.LANDSCAPE, title=content.document_title)
