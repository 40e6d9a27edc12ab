"""Benefits of recognised talents: requested → granted → paid (or rejected), within the level's offer."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanlian.core.models import AuditEvent, Notification
from sanlian.talent.certificate_selectors import benefit_kinds_offered, benefits_for_officer
from sanlian.talent.models import Benefit, TalentApplication
from sanlian.talent.services.benefits import benefit_request, benefit_transition
from sanlian.talent.services.certificates import certificate_revoke
from tests import factories

from .certificate_helpers import NOW, TODAY, approved_application, certified

pytestmark = pytest.mark.django_db


def request(application, kind="housing_purchase", amount="300000", actor=None, **kwargs):
    return benefit_request(
        actor=actor or application.applicant, application=application, kind=kind, amount=amount, now=NOW, **kwargs
    )


def move(benefit, action, actor, **kwargs):
    return benefit_transition(actor=actor, benefit=benefit, action=action, now=NOW, **kwargs)


def refused(call, error=ValidationError, field=None):
    """Run `call`, expect `error` (naming `field`), and show that no benefit row and no audit event changed."""
    before = ([model_to_dict(b) for b in Benefit.objects.order_by("pk")], AuditEvent.objects.count())
    with pytest.raises(error) as caught:
        call()
    if field is not None:
        assert field in caught.value.message_dict, caught.value
    assert ([model_to_dict(b) for b in Benefit.objects.order_by("pk")], AuditEvent.objects.count()) == before
    return caught.value


@pytest.fixture
def application():
    return certified()[0]


# Requests --------------------------------------------------------------------------------------------------


class TestRequest:
    def test_a_talent_requests_a_housing_subsidy_within_the_cap_and_the_town_is_told(
        self, application, pujiang_officer
    ):
        benefit = request(application, amount="500000", note="首套住房")

        assert benefit.status == "requested" and benefit.amount_requested == Decimal("500000.00")
        assert benefit.requested_by == application.applicant and benefit.note == "首套住房"
        assert AuditEvent.objects.get(action="benefit.request").target_id == str(benefit.pk)
        assert Notification.objects.filter(recipient=pujiang_officer, url=reverse("talent:benefits")).exists()

    def test_the_employers_hr_may_request_for_its_talent(self, application):
        hr = factories.enterprise_user(application.employer)

        benefit = request(application, kind="schooling", amount=None, actor=hr)

        assert benefit.requested_by == hr and benefit.amount_requested is None

    def test_a_housing_subsidy_above_the_levels_cap_is_refused(self, application):
        error = refused(lambda: request(application, amount="500000.01"), field="amount")

        assert "500,000.00" in error.message_dict["amount"][0]

    def test_rent_is_a_monthly_amount_within_the_monthly_cap(self, application):
        refused(lambda: request(application, kind="rent", amount="5001"), field="amount")

        assert request(application, kind="rent", amount="5000").amount_requested == Decimal("5000.00")

    @pytest.mark.parametrize("amount", [None, "", "0", "-1", "abc", 1.5])
    def test_a_money_benefit_needs_a_positive_exact_amount(self, application, amount):
        refused(lambda: request(application, amount=amount), field="amount")

    def test_a_service_benefit_takes_no_amount(self, application):
        refused(lambda: request(application, kind="schooling", amount="100"), field="amount")

    def test_a_kind_the_level_does_not_offer_is_refused(self):
        application = certified(level_code="youth", housing_subsidy_max=None, medical=False)[0]
        assert benefit_kinds_offered(application.level) == ["rent", "schooling"]

        refused(lambda: request(application, kind="housing_purchase"), field="kind")
        refused(lambda: request(application, kind="medical", amount=None), field="kind")
        refused(lambda: request(application, kind="parking", amount=None), field="kind")

    def test_a_second_open_benefit_of_the_same_kind_is_refused_until_the_first_is_closed(
        self, application, pujiang_officer
    ):
        first = request(application)
        refused(lambda: request(application, amount="1000"), field="kind")
        move(first, "grant", pujiang_officer)
        refused(lambda: request(application, amount="1000"), field="kind")

        move(first, "reject", pujiang_officer, note="重复申请")

        assert request(application, amount="1000").status == "requested"

    def test_an_application_not_approved_or_without_a_certificate_gets_no_benefit(self):
        without_certificate = approved_application()
        refused(lambda: request(without_certificate), field="application")

        application = certified()[0]
        TalentApplication.objects.filter(pk=application.pk).update(status="withdrawn")
        application.refresh_from_db()
        refused(lambda: request(application), field="application")

    def test_a_revoked_certificate_gets_no_benefit(self, application, district_officer):
        certificate_revoke(actor=district_officer, certificate=application.certificate, reason="材料造假", now=NOW)

        refused(lambda: request(application), field="application")

    def test_officers_strangers_and_other_talents_may_not_request(
        self, application, pujiang_officer, xinzhuang_enterprise
    ):
        other_talent = certified()[0].applicant
        for actor in (pujiang_officer, factories.enterprise_user(xinzhuang_enterprise), other_talent):
            refused(lambda actor=actor: request(application, actor=actor), error=PermissionDenied)


# Decisions -------------------------------------------------------------------------------------------------


class TestTransition:
    def test_grant_then_pay_records_amounts_dates_and_tells_the_requester(self, application, pujiang_officer):
        benefit = request(application, amount="300000")

        move(benefit, "grant", pujiang_officer, amount="250000")
        benefit = move(benefit, "pay", pujiang_officer, amount="250000", paid_date=TODAY)

        assert benefit.status == "paid" and benefit.paid_date == TODAY
        assert (benefit.amount_granted, benefit.amount_paid) == (Decimal("250000.00"), Decimal("250000.00"))
        assert benefit.decided_by == pujiang_officer and benefit.decided_at == NOW
        assert list(
            AuditEvent.objects.filter(target_type="talent.benefit", target_id=str(benefit.pk))
            .order_by("id")
            .values_list("action", flat=True)
        ) == ["benefit.request", "benefit.grant", "benefit.pay"]
        assert Notification.objects.filter(recipient=application.applicant).count() >= 3  # issue, grant, pay

    def test_a_grant_without_an_amount_grants_what_was_asked(self, application, district_officer):
        benefit = move(request(application, amount="123456.78"), "grant", district_officer)

        assert benefit.amount_granted == Decimal("123456.78")

    def test_a_grant_above_the_request_is_refused(self, application, pujiang_officer):
        benefit = request(application, amount="300000")

        refused(lambda: move(benefit, "grant", pujiang_officer, amount="300000.01"), field="amount")

    def test_a_rejection_needs_a_reason_which_the_requester_then_reads(self, application, pujiang_officer):
        benefit = request(application)
        refused(lambda: move(benefit, "reject", pujiang_officer, note=" "), field="note")

        benefit = move(benefit, "reject", pujiang_officer, note="不符合首套住房条件")

        assert benefit.status == "rejected" and "不符合首套住房条件" in benefit.note
        told = Notification.objects.filter(recipient=application.applicant, body="不符合首套住房条件")
        assert told.count() == 1

    def test_pay_without_a_date_more_than_granted_or_dated_tomorrow_is_refused(self, application, pujiang_officer):
        benefit = move(request(application, amount="300000"), "grant", pujiang_officer, amount="200000")

        refused(lambda: move(benefit, "pay", pujiang_officer, amount="200000"), field="paid_date")
        refused(lambda: move(benefit, "pay", pujiang_officer, amount="200000.01", paid_date=TODAY), field="amount")
        tomorrow = TODAY + timedelta(days=1)
        refused(lambda: move(benefit, "pay", pujiang_officer, amount="1", paid_date=tomorrow), field="paid_date")

    def test_a_service_benefit_is_granted_and_delivered_without_amounts(self, application, pujiang_officer):
        benefit = move(request(application, kind="schooling", amount=None), "grant", pujiang_officer)

        benefit = move(benefit, "pay", pujiang_officer, paid_date=date(2023, 8, 31))

        assert benefit.status == "paid" and benefit.amount_granted is None and benefit.amount_paid is None

    def test_steps_out_of_order_are_refused(self, application, pujiang_officer):
        benefit = request(application)
        refused(lambda: move(benefit, "pay", pujiang_officer, paid_date=TODAY), field="status")
        refused(lambda: move(benefit, "archive", pujiang_officer), field="action")
        benefit = move(move(benefit, "grant", pujiang_officer), "pay", pujiang_officer, paid_date=TODAY)

        refused(lambda: move(benefit, "grant", pujiang_officer), field="status")
        refused(lambda: move(benefit, "reject", pujiang_officer, note="晚了"), field="status")

    def test_the_talent_the_employer_and_another_towns_officer_may_not_decide(self, application, xinzhuang_officer):
        benefit = request(application)
        hr = factories.enterprise_user(application.employer)

        for actor in (application.applicant, hr, xinzhuang_officer):
            refused(lambda actor=actor: move(benefit, "grant", actor), error=PermissionDenied)

    def test_nothing_is_granted_or_paid_on_a_revoked_certificate(self, application, pujiang_officer, district_officer):
        benefit = request(application)
        certificate_revoke(actor=district_officer, certificate=application.certificate, reason="材料造假", now=NOW)

        refused(lambda: move(benefit, "grant", pujiang_officer), field="application")
        assert move(benefit, "reject", pujiang_officer, note="证书已撤销").status == "rejected"


# Reads and pages --------------------------------------------------------------------------------------------


class TestPages:
    def test_the_officer_list_is_scoped_and_filters_by_status_and_kind(
        self, client, application, pujiang_officer, xinzhuang_officer
    ):
        housing = request(application)
        schooling = request(application, kind="schooling", amount=None)
        move(schooling, "grant", pujiang_officer)

        assert list(benefits_for_officer(pujiang_officer)) == [schooling, housing]
        assert list(benefits_for_officer(pujiang_officer, status="granted")) == [schooling]
        assert list(benefits_for_officer(pujiang_officer, kind="housing_purchase")) == [housing]
        assert not benefits_for_officer(xinzhuang_officer).exists()

        client.force_login(pujiang_officer)
        html = client.get(reverse("talent:benefits"), {"status": "requested"}).content.decode()
        assert reverse("talent:benefit-decide", kwargs={"pk": housing.pk}) in html
        assert reverse("talent:benefit-decide", kwargs={"pk": schooling.pk}) not in html

    def test_the_officer_lists_query_count_does_not_grow_with_the_page(self, client, pujiang_officer):
        client.force_login(pujiang_officer)

        def queries(n):
            while Benefit.objects.count() < n:
                request(certified()[0], kind="schooling", amount=None)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("talent:benefits")).status_code == 200
            return len(captured)

        assert queries(2) == queries(8)

    def test_a_talent_requests_through_the_form(self, client, application):
        client.force_login(application.applicant)
        url = reverse("talent:benefit-request", kwargs={"pk": application.pk})
        assert "购房补贴" in client.get(url).content.decode()

        response = client.post(url, {"kind": "rent", "amount": "4000", "note": ""})

        assert response.status_code == 302
        assert Benefit.objects.get().amount_requested == Decimal("4000.00")

    def test_the_request_form_shows_the_cap_error_on_the_amount_and_saves_nothing(self, client, application):
        client.force_login(application.applicant)

        response = client.post(
            reverse("talent:benefit-request", kwargs={"pk": application.pk}), {"kind": "rent", "amount": "9000"}
        )

        assert response.status_code == 400 and "5,000.00" in response.content.decode()
        assert not Benefit.objects.exists()

    def test_another_enterprises_user_cannot_open_the_request_form(self, client, application, xinzhuang_enterprise):
        client.force_login(factories.enterprise_user(xinzhuang_enterprise))

        response = client.get(reverse("talent:benefit-request", kwargs={"pk": application.pk}))

        assert response.status_code == 404

    def test_an_officer_decides_with_the_buttons_and_the_talent_sees_no_buttons(
        self, client, application, pujiang_officer
    ):
        benefit = request(application)
        decide = reverse("talent:benefit-decide", kwargs={"pk": benefit.pk})
        client.force_login(pujiang_officer)

        client.post(decide, {"action": "grant", "amount": "", "paid_date": "", "note": ""})
        client.post(decide, {"action": "pay", "amount": "", "paid_date": "2023-09-01", "note": ""})

        benefit.refresh_from_db()
        assert benefit.status == "paid" and benefit.amount_paid == Decimal("300000.00")
        client.force_login(application.applicant)
        page = client.get(reverse("talent:certificate", kwargs={"pk": application.certificate.pk})).content.decode()
        assert "已发放" in page and decide not in page
        assert client.post(decide, {"action": "reject", "note": "x"}).status_code == 403

    def test_a_refused_decision_comes_back_as_a_message(self, client, application, pujiang_officer):
        benefit = request(application)
        client.force_login(pujiang_officer)

        response = client.post(
            reverse("talent:benefit-decide", kwargs={"pk": benefit.pk}), {"action": "reject", "note": ""}, follow=True
        )

        assert "请填写不予批准的理由" in response.content.decode()
        benefit.refresh_from_db()
        assert benefit.status == "requested"
