"""Journey of a supply–demand posting (供需对接): an enterprise posts a request, the town officer reviews and
publishes it, another enterprise expresses interest, the officer introduces them, and both sides see it on
the posting and in their inbox."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

TITLE = "寻求预灌封注射器灌装代工"


@pytest.fixture
def chain(django_db_serialized_rollback, live_server):
    """Two enterprises of 浦江镇 (a device maker, a filling contractor) and the town officer."""
    from tests import factories

    factories.officer("pujiang", username="pj_match")
    owner = factories.enterprise("pujiang", name="浦江需方医疗器械有限公司", chain_nodes=("M5",))
    supplier = factories.enterprise("pujiang", name="浦江供方生物制药有限公司", chain_nodes=("M2",))
    factories.enterprise_user(owner, username="ent_owner")
    factories.enterprise_user(supplier, username="ent_supplier")
    return owner, supplier


def _ok(*pages) -> None:
    for page in pages:
        assert page.evaluate("window.__csp") == [] and page.problems == []


@pytest.mark.browser
def test_a_posting_is_reviewed_answered_and_brokered_and_both_sides_see_the_introduction(pages, live_server, chain):
    owner, officer, supplier = pages.new(), pages.new(), pages.new()

    # Given the device maker's admin, who posts a technology request and submits it for review
    sign_in(owner, live_server, "ent_owner")
    owner.goto(f"{live_server.url}/chain/postings/")
    owner.click("a[href='/chain/postings/new/']")
    owner.select_option("#id_kind", "tech_request")
    owner.fill("#id_title", TITLE)
    owner.fill(
        "#id_description",
        "我司预灌封注射器年需求约50万支,寻求具备GMP资质的无菌灌装代工企业,要求具备洁净车间和质量体系。",
    )
    owner.check("input[name=nodes][value=M2]")
    owner.fill("#id_quantity", "50万支/年")
    owner.fill("#id_budget", "800000")
    owner.click("button[name=submit]")
    owner.wait_for_url("**/chain/postings/*/")
    posting_url = owner.url
    expect(owner.locator("main")).to_contain_text("待审核")

    # When the town officer opens his review queue and publishes it
    sign_in(officer, live_server, "pj_match")
    officer.goto(f"{live_server.url}/chain/postings/review/")
    officer.click(f"text={TITLE}")
    officer.fill("#review-comment", "信息完整,同意发布。")
    officer.click("button[name=action][value=publish]")
    expect(officer.locator("main")).to_contain_text("已发布")

    # Then the filling contractor finds it among the published postings and expresses interest
    sign_in(supplier, live_server, "ent_supplier")
    supplier.goto(f"{live_server.url}/chain/postings/")
    supplier.click(f"text={TITLE}")
    supplier.fill("#id_note", "我司拥有C级洁净灌装线两条,持有GMP证书,可承接年产100万支。")
    supplier.click("section:has(#interest-title) button[type=submit]")
    expect(supplier.locator("section:has(#mine-title)")).to_contain_text("待撮合")

    # When the officer opens the interests and introduces the two enterprises
    officer.goto(f"{live_server.url}/chain/postings/interests/")
    row = officer.locator("table tbody tr", has_text="浦江供方生物制药有限公司")
    assert "待撮合" in row.inner_text()
    row.locator("button[value=introduce]").click()
    expect(officer.locator("table tbody tr", has_text="浦江供方生物制药有限公司")).to_contain_text("已引荐")

    # Then the contractor sees the introduction on the posting, and both sides have it in their inbox
    supplier.goto(posting_url)
    assert "已引荐" in supplier.locator("section:has(#mine-title)").inner_text()
    supplier.goto(f"{live_server.url}/inbox/")
    assert f"已为您引荐 浦江需方医疗器械有限公司,对接「{TITLE}」" in supplier.locator("main").inner_text()

    owner.goto(f"{live_server.url}/inbox/")
    assert f"已为您引荐 浦江供方生物制药有限公司,对接「{TITLE}」" in owner.locator("main").inner_text()
    owner.goto(posting_url)
    interests = owner.locator("section:has(#interests-title)").inner_text()
    assert "浦江供方生物制药有限公司" in interests and "已引荐" in interests and "C级洁净灌装线" in interests

    _ok(owner, officer, supplier)
