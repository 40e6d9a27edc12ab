"""The API is scoped by the same permission layer as the pages: 404 outside the scope, 403 for a forbidden action."""

import pytest

from sanlian.core.models import Role
from sanlian.enterprises.models import AnnualReport
from tests import factories

from .helpers import report


@pytest.fixture
def both_towns(pujiang_enterprise, xinzhuang_enterprise):
    return pujiang_enterprise, xinzhuang_enterprise


class TestTownOfficer:
    def test_cannot_read_another_towns_enterprise(self, api_as, pujiang_officer, both_towns):
        _pujiang, xinzhuang = both_towns

        response = api_as(pujiang_officer).get(f"/enterprises/{xinzhuang.pk}")

        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_gets_the_same_404_for_another_towns_enterprise_as_for_a_missing_one(
        self, api_as, pujiang_officer, both_towns
    ):
        client = api_as(pujiang_officer)

        other = client.get(f"/enterprises/{both_towns[1].pk}")
        missing = client.get("/enterprises/999999")

        assert (other.status_code, other.json()) == (missing.status_code, missing.json())

    def test_does_not_see_another_towns_enterprise_in_the_list(self, api_as, pujiang_officer, both_towns):
        pujiang, _xinzhuang = both_towns
        client = api_as(pujiang_officer)

        listed = client.get("/enterprises").json()
        filtered = client.get("/enterprises", town="xinzhuang").json()

        assert [row["id"] for row in listed["items"]] == [pujiang.pk] and listed["count"] == 1
        assert filtered == {"items": [], "count": 0}

    def test_cannot_read_or_approve_another_towns_report(self, api_as, xinzhuang_officer, pujiang_enterprise):
        submitted = report(pujiang_enterprise, 2023, status="submitted")
        client = api_as(xinzhuang_officer)

        assert client.get(f"/annual-reports/{submitted.pk}").status_code == 404
        assert client.post(f"/annual-reports/{submitted.pk}/transition", {"action": "approve"}).status_code == 404
        assert client.get("/annual-reports").json()["count"] == 0
        submitted.refresh_from_db()
        assert submitted.status == AnnualReport.Status.SUBMITTED

    def test_sees_only_its_town_among_regions_and_parks(self, api_as, pujiang_officer):
        client = api_as(pujiang_officer)

        regions = client.get("/regions").json()
        parks = client.get("/parks").json()

        assert [r["code"] for r in regions] == ["pujiang"]
        assert parks and {p["town"] for p in parks} == {"pujiang"}


class TestDistrictOfficer:
    def test_sees_every_town(self, api_as, district_officer, both_towns):
        client = api_as(district_officer)

        listed = client.get("/enterprises").json()

        assert {row["id"] for row in listed["items"]} == {e.pk for e in both_towns}
        for enterprise in both_towns:
            assert client.get(f"/enterprises/{enterprise.pk}").status_code == 200

    def test_sees_every_town_of_the_district_among_regions(self, api_as, district_officer):
        codes = {r["code"] for r in api_as(district_officer).get("/regions").json()}

        assert {"minhang", "pujiang", "xinzhuang"} <= codes and "shanghai" not in codes


class TestEnterpriseUser:
    def test_reads_its_own_enterprise_only(self, api_as, enterprise_admin, both_towns):
        own, other = both_towns
        client = api_as(enterprise_admin)

        assert client.get(f"/enterprises/{own.pk}").status_code == 200
        assert client.get(f"/enterprises/{other.pk}").status_code == 404
        assert [row["id"] for row in client.get("/enterprises").json()["items"]] == [own.pk]

    def test_reads_its_own_reports_only(self, api_as, enterprise_admin, both_towns):
        own, other = both_towns
        own_report = report(own, 2023)
        other_report = report(other, 2023)
        client = api_as(enterprise_admin)

        listed = client.get("/annual-reports").json()

        assert [row["id"] for row in listed["items"]] == [own_report.pk]
        assert client.get(f"/annual-reports/{own_report.pk}").status_code == 200
        assert client.get(f"/annual-reports/{other_report.pk}").status_code == 404
        assert client.get("/annual-reports", enterprise=other.pk).json()["count"] == 0

    def test_cannot_approve_its_own_report(self, api_as, enterprise_admin, pujiang_enterprise):
        submitted = report(pujiang_enterprise, 2023, status="submitted")

        response = api_as(enterprise_admin).post(f"/annual-reports/{submitted.pk}/transition", {"action": "approve"})

        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        submitted.refresh_from_db()
        assert submitted.status == AnnualReport.Status.SUBMITTED

    def test_cannot_register_an_enterprise(self, api_as, enterprise_admin):
        response = api_as(enterprise_admin).post(
            "/enterprises", {"name": "新企业", "uscc": factories.new_uscc(), "industry_code": "2761", "town": "pujiang"}
        )

        assert response.status_code == 403

    def test_staff_cannot_edit_the_profile_but_the_admin_can(self, api_as, pujiang_enterprise):
        staff = factories.enterprise_user(pujiang_enterprise, role=Role.ENTERPRISE_STAFF)
        admin = factories.enterprise_user(pujiang_enterprise)

        refused = api_as(staff).patch(f"/enterprises/{pujiang_enterprise.pk}", {"description": "x"})
        accepted = api_as(admin).patch(f"/enterprises/{pujiang_enterprise.pk}", {"description": "我们做器械"})

        assert refused.status_code == 403
        assert accepted.status_code == 200 and accepted.json()["description"] == "我们做器械"

    def test_cannot_change_facts_officers_keep(self, api_as, enterprise_admin, pujiang_enterprise):
        response = api_as(enterprise_admin).patch(f"/enterprises/{pujiang_enterprise.pk}", {"is_biomedical": False})

        assert response.status_code == 422
        assert "is_biomedical" in response.json()["errors"]

    def test_cannot_see_stats(self, api_as, enterprise_admin):
        assert api_as(enterprise_admin).get("/stats", town="pujiang", year=2023).status_code == 403


def test_a_user_without_a_role_sees_nothing(api_as, pujiang_enterprise):
    client = api_as(factories.UserFactory())

    assert client.get("/enterprises").json() == {"items": [], "count": 0}
    assert client.get(f"/enterprises/{pujiang_enterprise.pk}").status_code == 403
