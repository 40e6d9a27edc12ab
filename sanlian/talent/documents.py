"""The certificate PDF: what it says (a pure function, testable without reading a PDF) and how it is drawn.

The certificate belongs to its holder, so it carries the full name; the QR code leads to the public
verification page, which shows only a masked name.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.pdfbase import pdfmetrics

from sanlian.core import pdf

from .models import Certificate

__all__ = ["CertificateContent", "certificate_content", "draw_certificate", "verify_url"]


def verify_url(token: str) -> str:
    """The absolute address of a certificate's public verification page (printed, so never a request host)."""
    return f"{settings.SANLIAN_BASE_URL}{reverse('certificate-verify', kwargs={'token': token})}"


@dataclass(frozen=True)
class CertificateContent:
    heading: str  # the round's name
    title: str
    statement: str
    rows: tuple[tuple[str, str], ...]  # (label, value) lines of the body
    issuer: str
    issued_date: str
    number: str
    qr_payload: str  # exactly what the QR code encodes
    qr_caption: str
    document_title: str  # the PDF's metadata title


def _type_name(certificate: Certificate) -> str:
    application = certificate.application
    if not application.talent_type:
        return ""
    for item in application.round.types or []:
        if isinstance(item, dict) and item.get("code") == application.talent_type:
            return str(item.get("name") or "")
    return ""


def certificate_content(certificate: Certificate, verify_url: str) -> CertificateContent:
    application = certificate.application
    round_, level = application.round, application.level
    issued = timezone.localdate(certificate.issued_at)
    issued_date = _("%(y)s年%(m)s月%(d)s日") % {"y": issued.year, "m": issued.month, "d": issued.day}
    type_name = _type_name(certificate)
    rows = [(_("姓名"), application.name), (_("人才层次"), level.name)]
    if type_name:
        rows.append((_("人才类型"), type_name))
    rows += [
        (_("用人单位"), application.employer.name),
        (_("认定年度"), str(round_.year)),
        (_("证书编号"), certificate.number),
        (_("颁发日期"), issued_date),
    ]
    title = _("人才证书")
    return CertificateContent(
        heading=round_.name,
        title=title,
        statement=_("兹认定 %(name)s 入选%(round)s(%(level)s),特发此证。")
        % {"name": application.name, "round": round_.name, "level": level.name},
        rows=tuple(rows),
        issuer=round_.issuer,
        issued_date=issued_date,
        number=certificate.number,
        qr_payload=verify_url,
        qr_caption=_("扫码核验"),
        document_title=f"{round_.name} · {title} · {certificate.number}",
    )


def _fitted(value: str, max_width: float, size: float, minimum: float = 8) -> float:
    """The largest font size ≤ size at which `value` fits `max_width` (never below `minimum`).

    Called while drawing, when `pdf.render` has registered the font.
    """
    width = pdfmetrics.stringWidth(value, pdf.FONT, size)
    if width <= max_width:
        return size
    return max(minimum, size * max_width / width)


def draw_certificate(content: CertificateContent):
    """A `draw(canvas, width, height)` for sanlian.core.pdf.render painting a landscape certificate."""

    def draw(canvas, width: float, height: float) -> None:
        # A double frame, as printed certificates have.
        canvas.setStrokeColorRGB(0.62, 0.12, 0.12)
        canvas.setLineWidth(3)
        canvas.rect(22, 22, width - 44, height - 44, stroke=1, fill=0)
        canvas.setLineWidth(0.8)
        canvas.rect(32, 32, width - 64, height - 64, stroke=1, fill=0)
        canvas.setFillColorRGB(0.62, 0.12, 0.12)
        inner = width - 140
        pdf.text(canvas, content.heading, width / 2, height - 95, _fitted(content.heading, inner, 22), "centre")
        pdf.text(canvas, content.title, width / 2, height - 145, 34, "centre")
        canvas.setFillColorRGB(0, 0, 0)
        pdf.text(canvas, content.statement, width / 2, height - 190, _fitted(content.statement, inner, 15), "centre")

        qr_size = 128
        qr_x, qr_y = width - 70 - qr_size, 78
        left, label_width = 110, 80
        value_width = qr_x - 30 - (left + label_width)
        y = height - 240
        for label, value in content.rows:
            pdf.text(canvas, f"{label}\uff1a", left, y, 14)  # a full-width colon
            pdf.text(canvas, value, left + label_width, y, _fitted(value, value_width, 14))
            y -= 27

        pdf.qr_code(canvas, content.qr_payload, qr_x, qr_y, qr_size)
        pdf.text(canvas, content.qr_caption, qr_x + qr_size / 2, qr_y - 16, 11, "centre")

        right = qr_x - 40
        if content.issuer:
            pdf.text(canvas, content.issuer, right, 110, _fitted(content.issuer, 300, 15), "right")
        pdf.text(canvas, content.issued_date, right, 86, 13, "right")

    return draw
