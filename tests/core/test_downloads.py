"""core.downloads: the one helper every file download goes through."""

import io
import re
from pathlib import Path

import sanlian
from sanlian.core.downloads import download
from tests.downloads import assert_safe_download

PACKAGE = Path(sanlian.__file__).parent


def test_a_stored_file_downloads_as_an_attachment_with_a_chinese_name():
    response = download(io.BytesIO(b"%PDF-1.4 x"), filename="通知.pdf")

    assert_safe_download(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E9%80%9A%E7%9F%A5.pdf"


def test_an_image_shown_on_a_page_goes_inline_with_its_image_type():
    response = download(io.BytesIO(b"\xff\xd8\xff"), filename="a.JPG", inline_image=True)

    assert_safe_download(response, inline_type="image/jpeg")


def test_a_file_that_is_not_a_png_or_jpeg_never_goes_inline_even_when_asked():
    for name, claimed in [("page.html", "text/html"), ("logo.svg", "image/svg+xml"), ("x.pdf", "application/pdf")]:
        response = download(io.BytesIO(b"<script>alert(1)</script>"), filename=name, inline_image=True,
                            content_type=claimed)  # fmt: skip

        assert_safe_download(response)  # attachment, sandboxed, not sniffed


def test_generated_bytes_and_text_get_the_same_headers():
    assert_safe_download(download(b"PK\x03\x04", filename="x.xlsx", content_type="application/vnd.ms-excel"))
    text = download("year: 2023\n", filename="r.yaml", content_type="application/x-yaml; charset=utf-8")
    assert_safe_download(text)
    assert text.content == b"year: 2023\n"


def test_no_view_builds_its_own_file_response():
    """A download made by hand would miss a header: FileResponse and Content-Disposition live in one module."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "downloads.py" and path.parent.name == "core":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"FileResponse\(|Content-Disposition|as_attachment", text):
            offenders.append(str(path.relative_to(PACKAGE)))

    assert offenders == []
