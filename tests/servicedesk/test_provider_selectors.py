"""Provider catalogue reads: ratings by aggregate, filters, sort, and who sees a suspended provider."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from sanlian.servicedesk import provider_selectors as selectors
from sanlian.servicedesk.services import providers as services
from tests import factories
from tests.servicedesk.provider_helpers import NOW, closed, provider, service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def rate(user, officer, svc, score):
    request = closed(user, officer, svc)
    return services.provider_rate(actor=user, request=request, score=score, now=NOW + timedelta(days=4))


@pytest.fixture
def catalogue(pujiang_officer, district_officer):
    """An IP agency, a testing lab (in 莘庄, district-wide) and a bank branch."""
    ip = provider(pujiang_officer, name="甲知识产权代理", kind="ip_agency")
    lab = provider(
        district_officer, name="乙检测认证", kind="testing_lab", region="xinzhuang",
        regions_served=[factories.region("minhang")],
    )  # fmt: skip
    bank = provider(pujiang_officer, name="丙银行科技支行", kind="financing")
    service(pujiang_officer, ip, name="发明专利申请代理", price_min="5000", price_max="12000")
    service(district_officer, lab, name="细胞毒性检测", price_min="3000", price_max="8000", unit="per_sample")
    service(pujiang_officer, bank, name="科技履约贷", price_min="0", price_max="", unit="per_project")
    return {"ip": ip, "lab": lab, "bank": bank}


def names(rows) -> list[str]:
    return [p.name for p in rows]


def test_the_average_and_count_come_from_the_ratings(catalogue, pujiang_officer, enterprise_admin):
    ip_service = catalogue["ip"].services.get()
    for score in (5, 4, 2):
        rate(enterprise_admin, pujiang_officer, ip_service, score)

    row = selectors.provider_for(enterprise_admin, catalogue["ip"].pk)

    assert row.rating_count == 3 and Decimal(str(row.rating_avg)).quantize(Decimal("0.01")) == Decimal("3.67")
    assert selectors.score_distribution(row) == [(5, 1), (4, 1), (3, 0), (2, 1), (1, 0)]
    unrated = selectors.provider_for(enterprise_admin, catalogue["lab"].pk)
    assert unrated.rating_count == 0 and unrated.rating_avg is None


def test_a_hidden_comment_keeps_its_score_in_the_average(catalogue, pujiang_officer, enterprise_admin):
    ip_service = catalogue["ip"].services.get()
    rate(enterprise_admin, pujiang_officer, ip_service, 5)
    rating = rate(enterprise_admin, pujiang_officer, ip_service, 1)
    services.provider_rating_hide(actor=pujiang_officer, rating=rating, reason="辱骂", now=NOW)

    assert selectors.provider_for(enterprise_admin, catalogue["ip"].pk).rating_avg == 3


def test_the_catalogue_sorts_by_rating_with_unrated_last_or_by_name(catalogue, pujiang_officer, enterprise_admin):
    rate(enterprise_admin, pujiang_officer, catalogue["lab"].services.get(), 5)
    rate(enterprise_admin, pujiang_officer, catalogue["ip"].services.get(), 3)

    assert names(selectors.catalogue(enterprise_admin)) == ["乙检测认证", "甲知识产权代理", "丙银行科技支行"]
    assert names(selectors.catalogue(enterprise_admin, sort="name")) == sorted(names(catalogue.values()))


def test_one_top_rating_does_not_outrank_many_good_ones(catalogue, pujiang_officer, enterprise_admin):
    rate(enterprise_admin, pujiang_officer, catalogue["bank"].services.get(), 5)
    for score in (5, 5, 5, 4, 5, 5):
        rate(enterprise_admin, pujiang_officer, catalogue["ip"].services.get(), score)  # 4.83 over six

    ranked = names(selectors.catalogue(enterprise_admin))

    assert ranked[:2] == ["甲知识产权代理", "丙银行科技支行"]


def test_the_catalogue_filters_by_kind_service_text_budget_and_region(catalogue, enterprise_admin):
    def find(**filters):
        return set(names(selectors.catalogue(enterprise_admin, **filters)))

    assert find(kind="testing_lab") == {"乙检测认证"}
    assert find(q="专利") == {"甲知识产权代理"}
    assert find(q="细胞毒性") == {"乙检测认证"}
    assert find(price_max=Decimal("4000")) == {"乙检测认证", "丙银行科技支行"}
    # 浦江 is served by the two 浦江 providers and by the lab serving all of 闵行
    assert find(region=factories.region("pujiang")) == {"甲知识产权代理", "乙检测认证", "丙银行科技支行"}
    assert find(region=factories.region("xinzhuang")) == {"乙检测认证"}


def test_a_suspended_provider_is_seen_only_by_the_officers_who_manage_it(
    catalogue, pujiang_officer, xinzhuang_officer, district_officer, enterprise_admin
):
    ip = catalogue["ip"]
    services.provider_transition(actor=pujiang_officer, provider=ip, action="suspend", reason="核查", now=NOW)

    assert "甲知识产权代理" in names(selectors.catalogue(pujiang_officer))
    assert "甲知识产权代理" in names(selectors.catalogue(district_officer))
    assert "甲知识产权代理" not in names(selectors.catalogue(xinzhuang_officer))
    assert "甲知识产权代理" not in names(selectors.catalogue(enterprise_admin))
    with pytest.raises(Http404):
        selectors.provider_for(enterprise_admin, catalogue["ip"].pk)
    with pytest.raises(Http404):
        selectors.provider_for(xinzhuang_officer, catalogue["ip"].pk)


def test_nobody_outside_the_officer_and_enterprise_roles_sees_the_catalogue(catalogue):
    talent = factories.UserFactory(role="talent")

    assert not selectors.catalogue(talent).exists()


def test_a_catalogue_page_costs_the_same_queries_however_many_providers(catalogue, pujiang_officer, enterprise_admin):
    from sanlian.core.pagination import IdsFirstPaginator

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = IdsFirstPaginator(selectors.catalogue(enterprise_admin), 20).get_page(1)
            [(p.name, p.rating_avg, p.region.name) for p in page]
        return len(captured)

    before = page_queries()
    for n in range(5):
        provider(pujiang_officer, name=f"丁律师事务所{n}", kind="law_firm")

    assert page_queries() == before
