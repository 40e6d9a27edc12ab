"""`GET /stats`: the cockpit figures of a town, computed from records, for officers of that town."""

import pytest

from sanlian.enterprises.models import Cluster
from tests import factories

from .helpers import certify, report


@pytest.fixture
def small_cluster(db):
    """Three biomedical enterprises and one other in 浦江镇, one biomedical in 莘庄镇."""
    devices, pharma = Cluster.objects.get(code="devices"), Cluster.objects.get(code="pharma-bio")
    a = factories.enterprise("pujiang", cluster=devices)
    b = factories.enterprise("pujiang", cluster=devices)
    c = factories.enterprise("pujiang", cluster=pharma)
    other = factories.enterprise("pujiang", is_biomedical=False, cluster=None, chain_nodes=())
    elsewhere = factories.enterprise("xinzhuang", cluster=pharma)
    report(a, 2023, revenue="1000000.00")
    report(b, 2023, revenue="2500000.50")
    report(c, 2023, status="submitted", revenue="9999999.00")  # not approved: not counted
    report(a, 2022, revenue="800000.00")
    report(elsewhere, 2023, revenue="7000000.00")  # another town
    certify(a, "chunshen-key", year=2023)
    certify(other, "chunshen-key", year=2023)
    certify(b, "chunshen-key", year=2022)
    return a, b, c


def test_the_figures_are_computed_from_the_records(api_as, pujiang_officer, small_cluster):
    response = api_as(pujiang_officer).get("/stats", town="pujiang", year=2023)

    assert response.status_code == 200
    stats = response.json()
    assert stats["biomedical_enterprises"] == 3
    assert stats["biomedical_revenue_yuan"] == "3500000.50"
    assert stats["district_biomedical_enterprises"] == 4
    assert stats["district_share"] == 0.75
    assert stats["clusters"] == {"医疗器械与设备": 2, "健康医疗服务": 0, "化学药物与生物制品": 1}
    assert stats["key_enterprises"] == 2
    assert stats["key_enterprises_biomedical"] == 1
    by_year = {row["year"]: row["revenue_yuan"] for row in stats["revenue_by_year"]}
    assert by_year[2022] == "800000.00" and by_year[2023] == "3500000.50"
    assert stats["top_enterprises"][0]["revenue_yuan"] == "2500000.50"


def test_the_town_may_be_named_in_chinese_and_defaults_to_the_officers_own(api_as, pujiang_officer, small_cluster):
    client = api_as(pujiang_officer)

    by_code = client.get("/stats", town="pujiang", year=2023).json()
    by_name = client.get("/stats", town="浦江镇", year=2023).json()
    by_default = client.get("/stats", year=2023).json()

    assert by_code == by_name == by_default


def test_the_year_defaults_to_the_latest_with_approved_reports(api_as, pujiang_officer, small_cluster):
    assert api_as(pujiang_officer).get("/stats").json()["year"] == 2023


def test_a_district_officer_reads_any_town(api_as, district_officer, small_cluster):
    response = api_as(district_officer).get("/stats", town="xinzhuang", year=2023)

    assert response.status_code == 200
    assert response.json()["biomedical_enterprises"] == 1
    assert response.json()["biomedical_revenue_yuan"] == "7000000.00"


def test_a_district_officer_must_name_a_town(api_as, district_officer):
    response = api_as(district_officer).get("/stats", year=2023)

    assert response.status_code == 422 and list(response.json()["errors"]) == ["town"]


def test_another_towns_figures_are_not_found_for_a_town_officer(api_as, pujiang_officer):
    assert api_as(pujiang_officer).get("/stats", town="xinzhuang", year=2023).status_code == 404


def test_an_unknown_town_is_refused_naming_it(api_as, pujiang_officer):
    response = api_as(pujiang_officer).get("/stats", town="atlantis", year=2023)

    assert response.status_code == 422 and list(response.json()["errors"]) == ["town"]


def test_a_district_is_not_a_town(api_as, district_officer):
    response = api_as(district_officer).get("/stats", town="minhang", year=2023)

    assert response.status_code == 422 and list(response.json()["errors"]) == ["town"]
