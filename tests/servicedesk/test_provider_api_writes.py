"""Asking the desk for a provider and rating it through /api/v1, as on the provider's page."""

import pytest
import time_machine

from sanlian.servicedesk.models import ProviderRating, ServiceRequest
from tests import factories

from .provider_helpers import NOW, ask, closed, provider, service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

BODY = {"title": "委托专利申请", "body": "我司有一项检测试剂盒的发明需要申请专利,请帮忙对接。"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def listed(pujiang_officer):
    created = provider(pujiang_officer)
    return created, service(pujiang_officer, created)


def test_an_enterprise_asks_the_desk_to_introduce_a_provider(api_as, listed, enterprise_admin, xinzhuang_enterprise):
    prov, svc = listed
    body = {**BODY, "provider_service": svc.pk, "enterprise": xinzhuang_enterprise.pk, "status": "closed"}

    response = api_as(enterprise_admin).post(f"/desk/providers/{prov.pk}/requests", body)

    assert response.status_code == 201, response.json()
    created = ServiceRequest.objects.get(pk=response.json()["id"])
    assert created.enterprise == enterprise_admin.enterprise and created.provider == prov
    assert created.status == "submitted"


def test_a_service_of_another_provider_is_refused_naming_it(api_as, listed, pujiang_officer, enterprise_admin):
    prov, _svc = listed
    other = service(pujiang_officer, provider(pujiang_officer, name="另一家律师事务所", kind="law_firm"), name="尽调")

    response = api_as(enterprise_admin).post(
        f"/desk/providers/{prov.pk}/requests", {**BODY, "provider_service": other.pk}
    )

    assert response.status_code == 422 and "provider_service" in response.json()["errors"]
    assert not ServiceRequest.objects.exists()


def test_an_officer_may_not_ask_for_a_provider(api_as, listed, pujiang_officer):
    prov, svc = listed

    response = api_as(pujiang_officer).post(f"/desk/providers/{prov.pk}/requests", {**BODY, "provider_service": svc.pk})

    assert response.status_code == 403


def test_the_enterprise_rates_its_closed_request_once(api_as, listed, pujiang_officer, enterprise_admin):
    prov, svc = listed
    done = closed(enterprise_admin, pujiang_officer, svc)
    client = api_as(enterprise_admin)

    first = client.post(f"/desk/providers/{prov.pk}/ratings", {"request": done.pk, "score": 5, "comment": "专业"})
    again = client.post(f"/desk/providers/{prov.pk}/ratings", {"request": done.pk, "score": 1})

    assert first.status_code == 201 and first.json()["score"] == 5
    assert again.status_code == 422 and "score" in again.json()["errors"]
    assert ProviderRating.objects.count() == 1


def test_a_request_still_open_or_a_bad_score_cannot_be_rated(api_as, listed, enterprise_admin, pujiang_officer):
    prov, svc = listed
    open_request = ask(enterprise_admin, svc)
    done = closed(enterprise_admin, pujiang_officer, svc)
    client = api_as(enterprise_admin)

    early = client.post(f"/desk/providers/{prov.pk}/ratings", {"request": open_request.pk, "score": 4})
    bad = client.post(f"/desk/providers/{prov.pk}/ratings", {"request": done.pk, "score": 9})

    assert early.status_code == 422 and "status" in early.json()["errors"]
    assert bad.status_code == 422 and "score" in bad.json()["errors"]


def test_another_enterprise_cannot_rate_someone_elses_request(api_as, listed, pujiang_officer, enterprise_admin):
    prov, svc = listed
    done = closed(enterprise_admin, pujiang_officer, svc)
    other = factories.enterprise_user(factories.enterprise("pujiang"))

    response = api_as(other).post(f"/desk/providers/{prov.pk}/ratings", {"request": done.pk, "score": 5})

    assert response.status_code == 404
    assert not ProviderRating.objects.exists()
