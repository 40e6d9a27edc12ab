"""Uploaded files checked by their content, not their name: allowed types and a size limit."""

import os

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What officers and enterprises attach: documents, spreadsheets, scans and photos.
ALLOWED_MIME = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/zip": ".zip",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def checked_upload(upload, *, field: str, max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[str, int]:
    """(clean name, size) of an acceptable upload; a ValidationError on `field` otherwise."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: _("文件为空")})
    if size > max_bytes:
        raise ValidationError({field: _("文件过大(上限 %(mb)s MB)") % {"mb": max_bytes // (1024 * 1024)}})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_MIME:
        raise ValidationError({field: _("不支持的文件类型:仅接受 PDF、Word、Excel、PNG、JPG 或 ZIP")})
    stem = os.path.splitext(os.path.basename(upload.name or "file"))[0][:150] or "file"
    # The stored name's extension follows the content, so a renamed file cannot pose as another type.
    name = stem + ALLOWED_MIME[kind.mime]
    upload.name = name
    return name, size
