"""Journey of an enterprise admin and a town officer through a declaration (技术申报): 我的政策 shows a policy
the enterprise qualifies for and why; the enterprise opens the call, fills in the form, uploads the required
material and submits; the officer finds it among the call's applications and recommends it; the enterprise
sees the new status."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.policies.calls_data import PDF
from tests.policies.helpers import RD_RULE

CALL_TITLE = "浦江镇研发型企业专项申报"


@pytest.fixture
def declaration(django_db_serialized_rollback, live_server):
    """A published R&D policy (研发投入占比 ≥ 4 %), an enterprise at 12.5 % with last year's report approved,
    and a call open today under that policy, all made through the services."""
    from tests import factories
    from tests.policies.calls_data import make_call
    from tests.policies.helpers import approved_report, number_parameter, published_policy

    officer = factories.officer("pujiang", username="pj_decl")
    enterprise = factories.enterprise("pujiang", name="浦江申报医疗器械有限公司")
    factories.enterprise_user(enterprise, username="ent_decl")
    number_parameter(officer)
    policy = published_policy(officer)
    approved_report(enterprise, timezone.localdate().year - 1, officer)  # R&D 1.5M of 12M revenue
    today = timezone.localdate()
    make_call(
        officer,
        title=CALL_TITLE,
        policy=policy.policy,
        rule=RD_RULE,
        open_date=today - timedelta(days=5),
        close_date=today + timedelta(days=25),
    )
    return enterprise


@pytest.mark.browser
def test_an_enterprise_declares_and_the_town_recommends_it(pages, live_server, declaration):
    enterprise_page, officer_page = pages.new(), pages.new()

    # Given the enterprise's admin, signed in, on 我的政策
    sign_in(enterprise_page, live_server, "ent_decl")
    enterprise_page.goto(f"{live_server.url}/policies/mine/")

    # Then the R&D award is met, and the table says why: 12.5 % against the 4 % of the parameter
    assert "符合 1 项" in enterprise_page.locator("[role=status]").inner_text()
    card = enterprise_page.locator("section.card", has_text="浦江镇研发投入奖励")
    assert "✓ 符合" in card.locator("h2").inner_text()
    reason = card.locator("table.explanation tbody tr", has_text="rd_ratio_min")
    assert "12.5" in reason.inner_text() and "4" in reason.inner_text()

    # When she opens the call from 申报通知 and starts a declaration
    enterprise_page.goto(f"{live_server.url}/policies/calls/")
    enterprise_page.click(f"text={CALL_TITLE}")
    assert "✓ 符合" in enterprise_page.locator("#mine-title").inner_text()
    enterprise_page.click("button:has-text('我要申报')")
    enterprise_page.wait_for_url("**/policies/calls/applications/*/")

    # And fills in the form, uploads the business licence and submits
    enterprise_page.fill("#id_project", "新型可降解支架研发")
    enterprise_page.fill("#id_amount", "120.5")
    enterprise_page.click("button[name=save]")
    enterprise_page.set_input_files(
        "#file-license", files=[{"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    enterprise_page.locator("form", has=enterprise_page.locator("#file-license")).locator("button").click()
    enterprise_page.wait_for_selector("a:has-text('营业执照.pdf')")
    enterprise_page.click("button[name=submit]")

    # Then the declaration waits for the town
    status = enterprise_page.locator("main p[role=status]")
    expect(status).to_contain_text("待镇预审")
    application_url = enterprise_page.url

    # When the town officer opens the call's applications and the declaration in it
    sign_in(officer_page, live_server, "pj_decl")
    officer_page.goto(f"{live_server.url}/policies/calls/")
    officer_page.click(f"text={CALL_TITLE}")
    officer_page.click("text=申报列表")
    row = officer_page.locator("table tbody tr", has_text="浦江申报医疗器械有限公司")
    assert "待镇预审" in row.inner_text()
    row.locator("a:has-text('查看')").click()

    # Then he sees what the enterprise filled in and uploaded, and recommends it with a comment
    assert "新型可降解支架研发" in officer_page.locator("main").inner_text()
    assert officer_page.locator("a:has-text('营业执照.pdf')").count() == 1
    officer_page.fill("#review-comment", "材料齐全,同意推荐。")
    officer_page.click("button[name=action][value=recommend]")
    expect(officer_page.locator("main p[role=status]")).to_contain_text("镇已推荐")

    # And the enterprise sees the new status, the comment and the step on the timeline
    enterprise_page.goto(application_url)
    assert "镇已推荐" in enterprise_page.locator("main p[role=status]").inner_text()
    main = enterprise_page.locator("main").inner_text()
    assert "材料齐全,同意推荐。" in main
    assert "镇已推荐" in enterprise_page.locator("ol.timeline").inner_text()

    for page in (enterprise_page, officer_page):
        assert page.evaluate("window.__csp") == [] and page.problems == []
