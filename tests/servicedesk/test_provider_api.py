"""The provider catalogue in /api/v1: scoped like the pages, money as strings, the mobile masked."""

from datetime import timedelta

import pytest
import time_machine

from sanlian.servicedesk.services import providers as services
from tests import factories
from tests.servicedesk.provider_helpers import NOW, closed, provider, service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def listed(pujiang_officer):
    created = provider(pujiang_officer, name="浦江演示知识产权代理有限公司", contact_mobile="13812345678")
    service(pujiang_officer, created)
    return created


def test_an_enterprise_lists_and_reads_a_provider_with_prices_ratings_and_a_masked_mobile(
    api_as, listed, pujiang_officer, enterprise_admin
):
    done = closed(enterprise_admin, pujiang_officer, listed.services.get())
    services.provider_rate(actor=enterprise_admin, request=done, score=4, comment="专业", now=NOW + timedelta(days=4))
    api = api_as(enterprise_admin)

    rows = api.get("/desk/providers", kind="ip_agency").json()
    detail = api.get(f"/desk/providers/{listed.pk}").json()

    assert rows["count"] == 1 and rows["items"][0]["rating_avg"] == "4.00" and rows["items"][0]["rating_count"] == 1
    assert detail["services"][0]["price_min"] == "5000.00" and detail["services"][0]["price_max"] == "12000.00"
    assert detail["contact_mobile"] == "138****5678"
    assert detail["ratings"][0]["comment"] == "专业" and detail["regions_served"] == ["pujiang"]


def test_a_hidden_comment_is_not_served(api_as, listed, pujiang_officer, enterprise_admin):
    done = closed(enterprise_admin, pujiang_officer, listed.services.get())
    rating = services.provider_rate(actor=enterprise_admin, request=done, score=1, comment="骗子", now=NOW)
    services.provider_rating_hide(actor=pujiang_officer, rating=rating, reason="辱骂", now=NOW)

    detail = api_as(enterprise_admin).get(f"/desk/providers/{listed.pk}").json()

    assert detail["ratings"][0] == {**detail["ratings"][0], "comment": "", "hidden": True, "score": 1}


def test_a_suspended_provider_answers_404_to_an_enterprise_and_200_to_its_officer(
    api_as, listed, pujiang_officer, xinzhuang_officer, enterprise_admin
):
    services.provider_transition(actor=pujiang_officer, provider=listed, action="suspend", reason="核查", now=NOW)

    assert api_as(enterprise_admin).get(f"/desk/providers/{listed.pk}").status_code == 404
    assert api_as(xinzhuang_officer).get(f"/desk/providers/{listed.pk}").status_code == 404
    assert api_as(pujiang_officer).get(f"/desk/providers/{listed.pk}").json()["status"] == "suspended"


def test_other_roles_get_403_and_bad_filters_422_naming_the_field(api_as, listed):
    talent = factories.UserFactory(role="talent")

    assert api_as(talent).get("/desk/providers").status_code == 403
    officer = api_as(factories.officer("pujiang", username="pj_x"))
    unknown = officer.get("/desk/providers", region="atlantis")
    floaty = officer.get("/desk/providers", price_max="-5")
    assert unknown.status_code == 422 and "region" in unknown.json()["errors"]
    assert floaty.status_code == 422 and "price_max" in floaty.json()["errors"]
