"""Certificates and letters handed out at community events, rendered to PDF in batches by a Huey job."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanlian.core.permissions import ScopePaths


def new_document_token() -> str:
    # Printed as a QR on paper that leaves our hands: unguessable, so nobody can enumerate the documents.
    return secrets.token_urlsafe(18)


class DocumentKind(models.TextChoices):
    QUALITY_ENTERPRISE = "quality_enterprise", _("浦江镇优质生物医药企业证书")
    AMBASSADOR = "ambassador", _("全球引才大使聘书")
    ATTENDANCE = "attendance", _("参会证明")


class DocumentBatch(models.Model):
    """One organiser's request to issue documents of one kind to a list of recipients."""

    event = models.ForeignKey("community.Event", on_delete=models.CASCADE, related_name="document_batches")
    kind = models.CharField(_("文书类型"), max_length=24, choices=DocumentKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope = ScopePaths(region="event__region")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.event_id}/{self.kind}"


class IssuedDocument(models.Model):
    batch = models.ForeignKey(DocumentBatch, on_delete=models.CASCADE, related_name="documents")
    event = models.ForeignKey("community.Event", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书类型"), max_length=24, choices=DocumentKind.choices)
    number = models.CharField(_("编号"), max_length=32, unique=True)
    # An enterprise recipient is shown in full when verified; a person's name is masked.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("企业"),
    )  # fmt: skip
    person_name = models.CharField(_("姓名"), max_length=64, blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_document_token, editable=False)
    file = models.FileField(_("PDF 文件"), upload_to="community/documents/%Y/", blank=True)
    issued_at = models.DateTimeField(_("颁发时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    scope = ScopePaths(region="event__region", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("颁发文书")
        verbose_name_plural = _("颁发文书")
        ordering = ["number"]

    def __str__(self):
        return self.number

    @property
    def recipient(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.person_name
