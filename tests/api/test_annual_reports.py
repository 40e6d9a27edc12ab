"""Annual reports through /api/v1: the enterprise saves and submits, the officer approves or returns."""

import pytest

from sanlian.core.models import Notification
from sanlian.enterprises.models import AnnualReport
from tests import factories

from .helpers import report

REPORT = {
    "revenue": "12000000.00",
    "tax": 800000,
    "rd_spend": "1500000.5",
    "employees": 80,
    "rd_staff": 20,
    "patents_invention": 3,
}


def test_the_enterprise_saves_submits_and_the_officer_approves(
    api_as, enterprise_admin, pujiang_officer, pujiang_enterprise
):
    company, officer = api_as(enterprise_admin), api_as(pujiang_officer)

    saved = company.put(f"/enterprises/{pujiang_enterprise.pk}/annual-reports/2023", REPORT)
    report_id = saved.json()["id"]
    submitted = company.post(f"/annual-reports/{report_id}/transition", {"action": "submit"})
    approved = officer.post(f"/annual-reports/{report_id}/transition", {"action": "approve", "comment": "数据完整"})

    assert saved.status_code == 200
    body = saved.json()
    assert (body["status"], body["year"], body["enterprise"]) == ("draft", 2023, pujiang_enterprise.pk)
    assert (body["revenue"], body["tax"], body["rd_spend"]) == ("12000000.00", "800000.00", "1500000.50")
    assert body["patents_total"] == 3
    assert submitted.json()["status"] == "submitted" and submitted.json()["submitted_at"]
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved" and approved.json()["review_comment"] == "数据完整"
    assert Notification.objects.filter(recipient=enterprise_admin, title__contains="审核通过").exists()


def test_saving_again_edits_the_same_draft(api_as, enterprise_admin, pujiang_enterprise):
    company = api_as(enterprise_admin)
    url = f"/enterprises/{pujiang_enterprise.pk}/annual-reports/2023"

    first = company.put(url, REPORT).json()
    second = company.put(url, {**REPORT, "employees": 90}).json()

    assert first["id"] == second["id"] and second["employees"] == 90
    assert AnnualReport.objects.filter(enterprise=pujiang_enterprise).count() == 1


def test_a_report_for_a_year_with_an_approved_one_is_refused(api_as, enterprise_admin, pujiang_enterprise):
    report(pujiang_enterprise, 2023)

    response = api_as(enterprise_admin).put(f"/enterprises/{pujiang_enterprise.pk}/annual-reports/2023", REPORT)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["year"]
    assert "2023" in response.json()["errors"]["year"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("revenue", "-1"), ("tax", -100), ("rd_spend", 12.5), ("revenue", "很多"), ("employees", -1)],
)
def test_negative_float_or_non_numeric_figures_are_refused_naming_the_field(
    api_as, enterprise_admin, pujiang_enterprise, field, value
):
    response = api_as(enterprise_admin).put(
        f"/enterprises/{pujiang_enterprise.pk}/annual-reports/2023", {**REPORT, field: value}
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert not AnnualReport.objects.exists()


def test_more_rd_staff_than_employees_is_refused(api_as, enterprise_admin, pujiang_enterprise):
    response = api_as(enterprise_admin).put(
        f"/enterprises/{pujiang_enterprise.pk}/annual-reports/2023", {**REPORT, "rd_staff": 81}
    )

    assert response.status_code == 422 and list(response.json()["errors"]) == ["rd_staff"]


def test_a_year_out_of_range_is_refused(api_as, enterprise_admin, pujiang_enterprise):
    response = api_as(enterprise_admin).put(f"/enterprises/{pujiang_enterprise.pk}/annual-reports/1850", REPORT)

    assert response.status_code == 422 and list(response.json()["errors"]) == ["year"]


def test_an_officer_does_not_fill_in_an_enterprises_report(api_as, pujiang_officer, pujiang_enterprise):
    response = api_as(pujiang_officer).put(f"/enterprises/{pujiang_enterprise.pk}/annual-reports/2023", REPORT)

    assert response.status_code == 403


def test_an_enterprise_cannot_file_a_report_for_another(api_as, enterprise_admin, xinzhuang_enterprise):
    response = api_as(enterprise_admin).put(f"/enterprises/{xinzhuang_enterprise.pk}/annual-reports/2023", REPORT)

    assert response.status_code == 404


def test_returning_needs_a_comment(api_as, pujiang_officer, pujiang_enterprise):
    submitted = report(pujiang_enterprise, 2023, status="submitted")
    officer = api_as(pujiang_officer)

    silent = officer.post(f"/annual-reports/{submitted.pk}/transition", {"action": "return"})
    explained = officer.post(f"/annual-reports/{submitted.pk}/transition", {"action": "return", "comment": "营收有误"})

    assert silent.status_code == 422 and list(silent.json()["errors"]) == ["comment"]
    assert explained.json()["status"] == "returned"


def test_an_unknown_action_is_refused_naming_it(api_as, pujiang_officer, pujiang_enterprise):
    submitted = report(pujiang_enterprise, 2023, status="submitted")

    response = api_as(pujiang_officer).post(f"/annual-reports/{submitted.pk}/transition", {"action": "publish"})

    assert response.status_code == 422 and list(response.json()["errors"]) == ["action"]


def test_a_transition_from_the_wrong_status_is_refused(api_as, pujiang_officer, pujiang_enterprise):
    approved = report(pujiang_enterprise, 2023)

    response = api_as(pujiang_officer).post(f"/annual-reports/{approved.pk}/transition", {"action": "approve"})

    assert response.status_code == 422 and list(response.json()["errors"]) == ["status"]


def test_the_list_filters_by_year_status_and_enterprise(api_as, district_officer, pujiang_enterprise):
    other = factories.enterprise("xinzhuang")
    r2022 = report(pujiang_enterprise, 2022)
    r2023 = report(pujiang_enterprise, 2023, status="submitted")
    theirs = report(other, 2023)
    client = api_as(district_officer)

    def ids(**params):
        return [row["id"] for row in client.get("/annual-reports", **params).json()["items"]]

    assert sorted(ids()) == sorted([r2022.pk, r2023.pk, theirs.pk])
    assert sorted(ids(year=2023)) == sorted([r2023.pk, theirs.pk])
    assert ids(status="approved", enterprise=pujiang_enterprise.pk) == [r2022.pk]
    assert client.get("/annual-reports", status="lost").status_code == 422
