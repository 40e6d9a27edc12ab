"""Journey of a request (接诉即办): the enterprise files it with an attachment; the routing rule gives it to the
town officer, who acknowledges it, replies and answers it; the enterprise confirms and rates it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.policies.calls_data import PDF

TITLE = "新建车间申请增容用电至800kVA"


@pytest.fixture
def desk(django_db_serialized_rollback, live_server):
    """浦江镇's utilities requests are routed to 周敏; an enterprise of the town with its admin."""
    from sanlian.servicedesk.models import Category, RoutingRule
    from tests import factories

    officer = factories.officer("pujiang", username="pj_desk", display_name="周敏")
    RoutingRule.objects.create(category=Category.objects.get(code="utilities"), town=officer.region, officer=officer)
    enterprise = factories.enterprise("pujiang", name="浦江诉求医疗器械有限公司")
    factories.enterprise_user(enterprise, username="ent_desk")
    return officer


def _status(page) -> str:
    return page.locator("main p[role=status]").inner_text()


def _expect_status(page, label: str) -> None:
    """Wait for the page that a button led to, then check its status line."""
    expect(page.locator("main p[role=status]")).to_contain_text(label)


@pytest.mark.browser
def test_a_request_is_filed_handled_resolved_confirmed_and_rated(pages, live_server, desk):
    enterprise_page, officer_page = pages.new(), pages.new()

    # Given the enterprise admin, who files a utilities request with a PDF from 企业诉求
    sign_in(enterprise_page, live_server, "ent_desk")
    enterprise_page.goto(f"{live_server.url}/desk/requests/")
    enterprise_page.click("a[href='/desk/requests/new/']")
    enterprise_page.select_option("#id_category", "utilities")
    enterprise_page.fill("#id_title", TITLE)
    enterprise_page.fill("#id_body", "二期洁净车间下月投产,现有容量不足,请协调供电公司增容。")
    enterprise_page.set_input_files(
        "#id_attachments", files=[{"name": "用电申请.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    enterprise_page.click("main form button[type=submit]")
    enterprise_page.wait_for_url("**/desk/requests/*/")
    request_url = enterprise_page.url

    # Then it waits to be acknowledged, assigned to 周敏 by the routing rule
    _expect_status(enterprise_page, "待受理")
    assert "周敏" in _status(enterprise_page)
    assert enterprise_page.locator("a:has-text('用电申请.pdf')").count() == 1

    # When 周敏 finds it in her queue and acknowledges it
    sign_in(officer_page, live_server, "pj_desk")
    officer_page.goto(f"{live_server.url}/desk/requests/")
    officer_page.click(f"text={TITLE}")
    officer_page.click("form:has(input[name=action][value=acknowledge]) button")
    _expect_status(officer_page, "办理中")

    # And replies in the thread, then answers it (办结答复, with a note)
    officer_page.fill("#id_body", "已联系供电公司,下周三现场踏勘。")
    officer_page.click("form[action$='/reply/'] button")
    officer_page.fill("#note-resolve", "供电公司已完成增容方案,下月10日前送电。")
    officer_page.click("form:has(input[name=action][value=resolve]) button")
    _expect_status(officer_page, "待企业确认")

    # Then the enterprise sees the reply and the answer on top, confirms and rates it
    enterprise_page.goto(request_url)
    assert "待企业确认" in _status(enterprise_page)
    assert "已联系供电公司,下周三现场踏勘。" in enterprise_page.locator("section:has(#thread-title)").inner_text()
    assert "下月10日前送电" in enterprise_page.locator("section:has(#answer-title)").inner_text()
    enterprise_page.select_option("#rating-confirm", "5")
    enterprise_page.fill("#comment-confirm", "响应迅速")
    enterprise_page.click("form:has(input[name=action][value=confirm]) button")

    # And the request is closed with its rating, which the officer sees too
    _expect_status(enterprise_page, "已办结")
    assert "5 / 5 · 响应迅速" in enterprise_page.locator("section:has(#sla-title)").inner_text()
    officer_page.reload()
    assert "已办结" in _status(officer_page)
    assert "5 / 5 · 响应迅速" in officer_page.locator("section:has(#sla-title)").inner_text()

    for page in (enterprise_page, officer_page):
        assert page.evaluate("window.__csp") == [] and page.problems == []
