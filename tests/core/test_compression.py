"""Pages go out gzip-compressed to browsers that accept it; files and API answers go out as they are."""

import gzip
import io

import pytest
from django.http import FileResponse, HttpResponse, JsonResponse
from django.test import RequestFactory

from sanlian.core.middleware import CompressPagesMiddleware

BODY = "<main>" + "三链产业集群公共服务平台 " * 200 + "</main>"


def _through(response, accept="gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return CompressPagesMiddleware(lambda r: response)(request)


@pytest.mark.django_db
def test_a_page_arrives_compressed_and_unchanged(client):
    plain = client.get("/login/")
    compressed = client.get("/login/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain  # a client that does not ask gets the page as it is
    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    html = gzip.decompress(compressed.content).decode()
    assert 'name="username"' in html and len(compressed.content) < len(html.encode()) / 2


def test_html_is_compressed_json_is_not():
    assert _through(HttpResponse(BODY))["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in _through(HttpResponse(BODY), accept="identity")
    assert "Content-Encoding" not in _through(JsonResponse({"text": BODY}))


def test_files_go_out_as_they_are():
    pdf = _through(HttpResponse(BODY.encode(), content_type="application/pdf"))
    streamed = _through(FileResponse(io.BytesIO(BODY.encode()), content_type="text/html"))

    assert "Content-Encoding" not in pdf and pdf.content == BODY.encode()
    assert "Content-Encoding" not in streamed and b"".join(streamed.streaming_content) == BODY.encode()
