"""The API's Swagger UI works under the strict CSP: its scripts run, it reads the schema, nothing is blocked."""

import pytest

from tests import factories


@pytest.fixture
def officer(django_db_serialized_rollback, live_server):
    """Serialized rollback restores the reference data the flush removes, for the browser tests after this one."""
    user = factories.officer("pujiang", username="pj_docs")
    user.set_password("docs-pass-1234")
    user.save()
    return user


@pytest.mark.browser
def test_the_swagger_ui_renders_the_operations_without_csp_violations(page, live_server, officer):
    # Given a logged-in officer (the docs need a session)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "pj_docs")
    page.fill("input[name=password]", "docs-pass-1234")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")

    # When the API docs open
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20_000)

    # Then the operations are listed, and the CSP blocked nothing
    assert page.locator(".opblock").count() > 10
    assert page.evaluate("window.__csp") == []
    assert page.problems == []
