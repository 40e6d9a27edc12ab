"""Uploaded files checked by their content, not their name: allowed types and a size limit.

Every file that arrives through a form goes through `checked_upload` (services) or `checked_file` (a form's
clean_<field>): the type comes from the first bytes (a renamed executable is refused), the stored name's
extension follows that type, and the size limit is the caller's. Text formats (CSV, YAML) have no magic
number: they are accepted only under their own extension and when they contain no NUL byte.
"""

import os
from dataclasses import dataclass, field

import filetype
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What officers and enterprises attach: documents, spreadsheets, scans and photos.
ALLOWED_MIME = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    XLSX: ".xlsx",
    "application/zip": ".zip",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Kinds:
    """The types a field accepts: binary types by content, text formats by extension, and what to say."""

    mime: dict[str, str]
    refused: Promise
    text_suffixes: tuple[str, ...] = field(default=())


DOCUMENTS = Kinds(ALLOWED_MIME, gettext_lazy("不支持的文件类型:仅接受 PDF、Word、Excel、PNG、JPG 或 ZIP"))
WORKBOOKS = Kinds({XLSX: ".xlsx"}, gettext_lazy("不支持的文件类型:仅接受 Excel 工作簿(.xlsx)"))
TABLES = Kinds(
    {XLSX: ".xlsx", "application/vnd.ms-excel": ".xls"},
    gettext_lazy("不支持的文件类型:仅接受 Excel 工作簿(.xlsx、.xls)或 CSV 文件"),
    (".csv", ".txt"),
)
YAML_TEXT = Kinds({}, gettext_lazy("不支持的文件类型:仅接受 YAML 文本文件(.yaml、.yml)"), (".yaml", ".yml", ".txt"))


def size_limit_text(max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        return _("文件过大(上限 %(mb)s MB)") % {"mb": max_bytes // (1024 * 1024)}
    return _("文件过大(上限 %(kb)s KB)") % {"kb": max_bytes // 1024}


def checked_upload(
    upload, *, field: str, max_bytes: int = MAX_UPLOAD_BYTES, kinds: Kinds = DOCUMENTS
) -> tuple[str, int]:
    """(clean name, size) of an acceptable upload; a ValidationError on `field` otherwise."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: _("文件为空")})
    if size > max_bytes:
        raise ValidationError({field: size_limit_text(max_bytes)})
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    stem, suffix = os.path.splitext(os.path.basename(upload.name or "file"))
    stem = stem[:150] or "file"
    if kind is not None and kind.mime in kinds.mime:
        # The stored name's extension follows the content, so a renamed file cannot pose as another type.
        extension = kinds.mime[kind.mime]
    elif kind is None and suffix.lower() in kinds.text_suffixes and b"\x00" not in head:
        extension = suffix.lower()
    else:
        raise ValidationError({field: str(kinds.refused)})
    name = stem + extension
    upload.name = name
    return name, size


def checked_file(upload, *, max_bytes: int, kinds: Kinds):
    """For a form's clean_<field>: the upload, checked as `checked_upload` does, or the field's error."""
    if upload is None:
        return upload
    try:
        checked_upload(upload, field="file", max_bytes=max_bytes, kinds=kinds)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict["file"]) from None
    return upload
