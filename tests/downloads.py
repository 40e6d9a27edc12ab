"""The headers every file download carries (core.downloads): asserted by each download view's test."""


def assert_safe_download(response, *, inline_type: str | None = None) -> None:
    """An attachment (or, for a shown image, inline with exactly that image type), never sniffed, sandboxed."""
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"]
    if inline_type:
        assert response["Content-Disposition"].startswith("inline")
        assert response["Content-Type"] == inline_type
    else:
        assert response["Content-Disposition"].startswith("attachment")
