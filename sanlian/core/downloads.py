"""The one way a stored or generated file leaves the platform.

Every download view answers through `download()`: an attachment (the browser saves it, never renders it),
X-Content-Type-Options: nosniff (no guessing HTML out of a PDF), and `Content-Security-Policy: sandbox`
(were it rendered anyway, it runs no script and has no origin). Only PNG and JPEG images that pages show
in <img> go inline, and then with the image type that matches their stored extension (set by
core.uploads from the content), never a type the browser could execute.
"""

from pathlib import PurePath

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

YAML = "application/x-yaml; charset=utf-8"
INLINE_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def inline_image_type(name: str) -> str | None:
    """The image type a stored file may be shown inline with, or None (it then downloads)."""
    return INLINE_IMAGE_TYPES.get(PurePath(name or "").suffix.lower())


def protect(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def download(
    content, *, filename: str, content_type: str | None = None, inline_image: bool = False, private: bool = True
) -> HttpResponse:
    """A file response for `content` (an open binary file, streamed; bytes; or text, sent as UTF-8).

    `filename` may be Chinese: Django writes it as RFC 5987 `filename*=utf-8''…` with an ASCII fallback.
    `inline_image` asks to show the file in the page: granted only for a PNG or JPEG by its stored name.
    `private` (the default) keeps shared caches from storing a permission-checked file.
    """
    image_type = inline_image_type(filename) if inline_image else None
    if image_type:
        content_type, attachment = image_type, False
    else:
        attachment = True
    if isinstance(content, str):
        content = content.encode()
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type or "application/octet-stream")
    else:
        response = FileResponse(content, as_attachment=attachment, filename=filename, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    if private:
        response["Cache-Control"] = "private, no-store"
    return protect(response)
