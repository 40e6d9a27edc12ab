"""A real browser: the employer's HR reveals a masked ID number on an application, and the public
verification page of a certificate shows only what it may; both pages pass axe without serious issues."""

import os
from datetime import date

import pytest
import time_machine

from tests.browser.conftest import sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SERIOUS = {"serious", "critical"}


@pytest.fixture
def talent_data(django_db_serialized_rollback, live_server):
    from tests import factories
    from tests.talent.certificate_helpers import certified
    from tests.talent.helpers import IN_2023_WINDOW, filled, open_round

    with time_machine.travel(IN_2023_WINDOW, tick=False):
        round_ = open_round(factories.district_officer(username="mh_browser"))
        employer = factories.enterprise("pujiang")
        hr = factories.enterprise_user(employer, username="hr_browser")
        application = filled(round_, hr)
    _application, certificate = certified()
    return {"application": application, "certificate": certificate}


def _login(page, live_server, username):
    sign_in(page, live_server, username)  # the second factor too, for an officer


def _serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], [n["html"][:120] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.browser
def test_the_employer_reveals_an_id_number_in_place(page, live_server, talent_data):
    from tests.talent.helpers import id_number

    full = id_number(date(1985, 3, 14))
    _login(page, live_server, "hr_browser")
    page.goto(f"{live_server.url}/talent/applications/{talent_data['application'].pk}/")

    assert full not in page.content()
    page.click("#id_number-value button")
    page.wait_for_selector("#id_number-value .revealed")

    assert page.locator("#id_number-value .revealed").inner_text() == full
    assert page.url.endswith(f"/talent/applications/{talent_data['application'].pk}/")  # no page change
    assert page.evaluate("window.__csp") == [] and page.problems == []
    assert _serious(page) == []


@pytest.mark.browser
def test_the_public_verification_page_shows_only_the_masked_name_level_year_and_validity(
    page, live_server, talent_data
):
    certificate = talent_data["certificate"]
    application = certificate.application

    page.goto(f"{live_server.url}/verify/{certificate.token}/")

    text = page.locator("main").inner_text()
    assert application.level.name in text and str(application.round.year) in text and "有效" in text
    assert application.name not in text and application.employer.name not in text
    assert page.problems == [] and _serious(page) == []
