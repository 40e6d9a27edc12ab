"""Security headers on pages (CSP, referrer, opener, framing) and templates that CSP lets run."""

import re
from pathlib import Path

import pytest

import sanlian

PACKAGE = Path(sanlian.__file__).parent


def csp(response) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


@pytest.mark.django_db
def test_a_page_carries_the_strict_content_security_policy_and_the_other_headers(client):
    response = client.get("/login/")

    policy = csp(response)
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_api_docs_load_their_scripts_from_the_same_origin_only(client, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.get("/api/v1/docs")
    page = response.content.decode()

    assert response.status_code == 200 and "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>", page)
    # Only same-origin files, and the settings block that is JSON data (never executed).
    assert all('src="/static/' in attrs or 'type="application/json"' in attrs for attrs in scripts), scripts


def test_no_template_has_an_inline_script_an_event_handler_or_a_javascript_url():
    """CSP's script-src 'self' blocks them: they would silently not run."""
    offenders = []
    for path in PACKAGE.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", text):
            if "src=" not in match["attrs"] and "application/json" not in match["attrs"]:
                offenders.append(f"{path.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.name}: on*= handler")
        if re.search(r"(href|src|action)\s*=\s*[\"']\s*javascript:", text, re.I):
            offenders.append(f"{path.name}: javascript: URL")
        if re.search(r"\bhx-on", text):
            offenders.append(f"{path.name}: hx-on (evaluated script)")

    assert offenders == []
