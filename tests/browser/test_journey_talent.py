"""Journey of a talent application (春申人才): the talent applies (form, materials, self-check) and sends it to
the employer, whose HR confirms and submits it; the town pre-reviews it; the district assigns a reviewer, who
scores it; the district publishes the notice (公示) and, once the notice period is over, certifies the talent;
the certificate's public verification page, opened by an anonymous visitor, shows only what it may."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.talent.helpers import PDF, id_number

NAME = "陈思远"
ID_NUMBER = id_number(date(1986, 4, 2))


@pytest.fixture
def talent_round(django_db_serialized_rollback, live_server, settings):
    """The 2023 round's document, open today (five days of notice); an employer in 浦江镇 with its HR, a talent,
    the town officer, the district officer and a district reviewer. The platform's public address (printed on
    certificates) is the test server's."""
    from sanlian.core.models import Role
    from tests import factories
    from tests.talent.helpers import open_round

    settings.SANLIAN_BASE_URL = live_server.url
    today = timezone.localdate()
    district = factories.district_officer(username="mh_talent", display_name="区人才办")
    open_round(district, open_date=today - timedelta(days=10), deadline_date=today + timedelta(days=20))
    factories.district_officer(username="mh_reviewer", display_name="评审专家甲")
    factories.officer("pujiang", username="pj_talent")
    employer = factories.enterprise("pujiang", name="浦江人才医疗器械有限公司")
    factories.enterprise_user(employer, username="hr_talent")
    factories.UserFactory(role=Role.TALENT, username="talent_chen")
    return employer


def _status(page) -> str:
    return page.locator("main p[role=status]").first.inner_text()


def _move(page, action: str, comment: str = "") -> None:
    if comment:
        page.fill("#move-comment", comment)
    page.click(f"button[name=action][value={action}]")
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("操作成功")  # the move was accepted


def _fill_application(page) -> None:
    page.select_option("#id_talent_type", "technical")
    page.select_option("#id_route", "conditions")
    page.fill("#id_name", NAME)
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_phone", "13912345678")
    page.fill("#id_contract_start_date", "2022-01-01")
    page.fill("#id_contract_end_date", "2030-12-31")
    page.fill("#id_social_insurance_months", "36")
    page.fill("#id_achievements", "主持研发三类医疗器械2项,获发明专利5件。")
    page.select_option("#id_edu_0_degree", "doctor")
    page.fill("#id_edu_0_school", "复旦大学")
    page.fill("#id_edu_0_major", "生物医学工程")
    page.fill("#id_edu_0_year", "2013")
    page.fill("#id_job_0_start", "2013-07")
    page.fill("#id_job_0_employer", "浦江人才医疗器械有限公司")
    page.fill("#id_job_0_title", "研发总监")
    page.click("section:has(#form-title) button[type=submit]")
    page.wait_for_load_state()


def _upload_materials(page) -> None:
    for key in ("id_card", "degree", "contract", "achievements"):
        page.set_input_files(
            f"#file-{key}", files=[{"name": f"{key}.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.locator("form", has=page.locator(f"#file-{key}")).locator("button").click()
        page.wait_for_selector(f"a:has-text('{key}.pdf')")


@pytest.mark.browser
def test_a_talent_is_applied_for_reviewed_certified_and_verified_publicly(pages, live_server, talent_round):
    talent, hr, town, district, reviewer = (pages.new() for _ in range(5))

    # Given the talent, who starts an application for the 精英人才 level at his employer (by its USCC)
    sign_in(talent, live_server, "talent_chen")
    talent.goto(f"{live_server.url}/talent/")
    talent.click("a:has-text('开始申报')")
    talent.select_option("#id_level", "elite")
    talent.fill("#id_employer", talent_round.uscc)
    talent.click("main form button[type=submit]")
    talent.wait_for_url("**/talent/applications/*/")
    application_url = talent.url

    # When he fills in the form and uploads the four required materials
    _fill_application(talent)
    _upload_materials(talent)

    # Then the self-check finds nothing missing, and he sends it to the employer
    assert talent.locator("section:has(#check-title) [role=alert]").count() == 0
    _move(talent, "send_to_employer")
    assert "待单位确认" in _status(talent)

    # When the employer's HR opens it from the talent home page, confirms and submits it
    sign_in(hr, live_server, "hr_talent")
    hr.goto(f"{live_server.url}/talent/")
    hr.click(f"a:has-text('{NAME}')")
    assert ID_NUMBER not in hr.locator("main").inner_text()  # masked
    _move(hr, "submit")
    assert "待镇级预审" in _status(hr)

    # And the town officer pre-reviews it and passes it on
    sign_in(town, live_server, "pj_talent")
    town.goto(f"{live_server.url}/talent/applications/")
    row = town.locator("table tbody tr", has_text="浦江人才医疗器械有限公司")
    assert "陈**" in row.inner_text() and NAME not in row.inner_text()  # masked in the list
    row.locator("a:has-text('查看')").click()
    _move(town, "town_approve", "材料齐全,符合精英人才条件。")
    assert "区级评审中" in _status(town)

    # And the district officer assigns a reviewer, who scores it on the round's sheet
    sign_in(district, live_server, "mh_talent")
    district.goto(application_url)
    district.select_option("#reviewer", label="评审专家甲")
    district.click("form[action$='/assign/'] button")

    sign_in(reviewer, live_server, "mh_reviewer")
    reviewer.goto(f"{live_server.url}/talent/reviews/")
    reviewer.click(f"a:has-text('{NAME}')")
    for code, score in (("achievements", "36"), ("innovation", "26"), ("potential", "17"), ("fit", "9")):
        reviewer.fill(f"#id_score_{code}", score)
    reviewer.fill("#id_comment", "业绩突出。")
    reviewer.click("main form button.primary")

    # And the district publishes the notice (公示), starting today
    district.goto(f"{live_server.url}/talent/rounds/2023/notice/new/")
    candidate = district.locator("table tbody tr", has_text="浦江人才医疗器械有限公司")
    assert "88.00" in candidate.inner_text()  # 36 + 26 + 17 + 9, the only reviewer's total
    candidate.locator("input[name=applications]").check()
    district.click("main form button.primary")
    district.wait_for_url("**/talent/notices/*/")
    notice_url = district.url
    assert NAME not in district.locator("main").inner_text()  # names are masked on the notice
    assert NAME[0] in district.locator("main").inner_text()

    # When the five days of notice are over, the district certifies the talent
    with time_machine.travel(timezone.now() + timedelta(days=6), tick=True):
        district.goto(application_url)
        assert "公示中" in _status(district)
        _move(district, "approve")
        assert "已认定" in _status(district)

        # Then the talent finds his certificate, with its public verification address
        talent.goto(f"{live_server.url}/talent/certificates/")
        talent.locator("table tbody tr", has_text=NAME).locator("td:first-child a").click()
        verify_url = talent.locator("dt:text-is('公开核验地址') + dd a").get_attribute("href")
        assert verify_url.startswith(f"{live_server.url}/verify/")

    # And anybody, not logged in, can verify it: masked name, level, year, valid, and nothing else
    anonymous = pages.new()
    anonymous.goto(verify_url)
    text = anonymous.locator("main").inner_text()
    assert "精英人才" in text and "2023" in text and "有效" in text
    assert NAME[0] in text and NAME not in text
    for private in ("浦江人才医疗器械有限公司", ID_NUMBER, ID_NUMBER[-4:], "13912345678", "复旦大学"):
        assert private not in text
    assert "/login/" not in anonymous.url

    public_notice = pages.new()
    public_notice.goto(notice_url)
    assert NAME not in public_notice.locator("main").inner_text()

    for page in (talent, hr, town, district, reviewer, anonymous, public_notice):
        assert page.evaluate("window.__csp") == [] and page.problems == []
