from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sanlian.core.models import AuditEvent, Notification
from sanlian.enterprises import services
from sanlian.enterprises.models import AnnualReport, Enterprise
from tests import factories


def _bad_check(code: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:-1] + next(c for c in alphabet if c != code[-1])


@pytest.mark.django_db
class TestUsccRules:
    def test_a_valid_code_is_stored_normalised(self, pujiang_officer):
        code = factories.new_uscc()
        ent = factories.enterprise(actor=pujiang_officer, uscc=code.lower())
        assert ent.uscc == code and ent.uscc_override_reason == ""

    def test_a_bad_format_is_refused_outright_even_for_officers(self, pujiang_officer):
        with pytest.raises(ValidationError) as exc:
            factories.enterprise(actor=pujiang_officer, uscc="91310112MA1234567I")
        assert "uscc" in exc.value.message_dict
        assert not Enterprise.objects.exists()

    def test_a_bad_check_character_needs_an_officers_reason(self, pujiang_officer):
        code = _bad_check(factories.new_uscc())
        with pytest.raises(ValidationError) as exc:
            factories.enterprise(actor=pujiang_officer, uscc=code)
        assert "uscc_override_reason" in exc.value.message_dict
        ent = services.enterprise_create(
            actor=pujiang_officer,
            uscc=code,
            uscc_override_reason="2015年前核发,经市场监管局核实",
            data={"name": "早期企业", "industry_code": "2761", "town": factories.region("pujiang")},
        )
        assert ent.uscc == code
        event = AuditEvent.objects.get(action="enterprise.create", target_id=str(ent.pk))
        assert event.note == "2015年前核发,经市场监管局核实" and event.actor == pujiang_officer

    def test_a_bad_check_character_is_refused_from_an_enterprise_user(self, enterprise_admin, pujiang_enterprise):
        with pytest.raises(ValidationError) as exc:
            services.enterprise_update(
                actor=enterprise_admin,
                enterprise=pujiang_enterprise,
                data={},
                uscc=_bad_check(factories.new_uscc()),
                uscc_override_reason="x",
            )
        assert "uscc" in exc.value.message_dict

    def test_a_duplicate_code_names_the_existing_enterprise(self, pujiang_officer, pujiang_enterprise):
        with pytest.raises(ValidationError) as exc:
            factories.enterprise(actor=pujiang_officer, uscc=pujiang_enterprise.uscc)
        assert "浦江测试医疗器械有限公司" in exc.value.message_dict["uscc"][0]


@pytest.mark.django_db
class TestScopeOfWrites:
    def test_a_town_officer_cannot_register_an_enterprise_in_another_town(self, pujiang_officer):
        with pytest.raises(ValidationError) as exc:
            factories.enterprise(town_code="xinzhuang", actor=pujiang_officer)
        assert "town" in exc.value.message_dict

    def test_a_park_must_lie_in_the_enterprises_town(self, pujiang_officer):
        from sanlian.enterprises.models import Park

        with pytest.raises(ValidationError) as exc:
            factories.enterprise(town_code="xinzhuang", park=Park.objects.get(code="lingang-pujiang"))
        assert "park" in exc.value.message_dict

    def test_an_enterprise_user_cannot_edit_another_enterprise(self, enterprise_admin, xinzhuang_enterprise):
        with pytest.raises(PermissionDenied):
            services.enterprise_update(actor=enterprise_admin, enterprise=xinzhuang_enterprise, data={"name": "x"})

    def test_an_enterprise_user_cannot_move_its_own_town(self, enterprise_admin, pujiang_enterprise):
        with pytest.raises(ValidationError) as exc:
            services.enterprise_update(
                actor=enterprise_admin, enterprise=pujiang_enterprise, data={"town": factories.region("qibao")}
            )
        assert "town" in exc.value.message_dict


@pytest.mark.django_db
class TestChangeHistory:
    def test_an_update_records_who_when_and_old_to_new(self, enterprise_admin, pujiang_enterprise):
        changes = services.enterprise_update(
            actor=enterprise_admin,
            enterprise=pujiang_enterprise,
            data={"address": "浦江镇新骏环路 1 号", "legal_representative": "张三"},
        )
        assert changes["address"] == ["", "浦江镇新骏环路 1 号"]
        event = AuditEvent.objects.filter(action="enterprise.update").get()
        assert event.actor == enterprise_admin and event.enterprise_id == pujiang_enterprise.pk
        assert event.changes["legal_representative"] == ["", "张三"]

    def test_an_update_that_changes_nothing_records_nothing(self, enterprise_admin, pujiang_enterprise):
        before = AuditEvent.objects.count()
        assert (
            services.enterprise_update(
                actor=enterprise_admin, enterprise=pujiang_enterprise, data={"name": pujiang_enterprise.name}
            )
            == {}
        )
        assert AuditEvent.objects.count() == before


@pytest.mark.django_db
class TestAnnualReportReview:
    def test_submit_then_approve_notifies_both_sides(
        self,
        enterprise_admin,
        pujiang_enterprise,
        pujiang_officer,
        xinzhuang_officer,
        django_capture_on_commit_callbacks,
    ):
        report = services.annual_report_save(
            actor=enterprise_admin, enterprise=pujiang_enterprise, year=2024, data=factories.report_data()
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.annual_report_transition(actor=enterprise_admin, report=report, action="submit")
        assert Notification.objects.filter(recipient=pujiang_officer).count() == 1
        assert not Notification.objects.filter(recipient=xinzhuang_officer).exists()
        with django_capture_on_commit_callbacks(execute=True):
            services.annual_report_transition(actor=pujiang_officer, report=report, action="approve")
        report.refresh_from_db()
        assert report.status == AnnualReport.Status.APPROVED and report.reviewed_by == pujiang_officer
        inbox = Notification.objects.get(recipient=enterprise_admin)
        assert "2024" in inbox.title and inbox.emailed_at is not None
        assert [m.to for m in mail.outbox] == [[pujiang_officer.email], [enterprise_admin.email]]

    def test_return_needs_a_comment_and_lets_the_enterprise_resubmit(
        self, enterprise_admin, pujiang_enterprise, pujiang_officer
    ):
        report = services.annual_report_save(
            actor=enterprise_admin, enterprise=pujiang_enterprise, year=2024, data=factories.report_data()
        )
        services.annual_report_transition(actor=enterprise_admin, report=report, action="submit")
        with pytest.raises(ValidationError) as exc:
            services.annual_report_transition(actor=pujiang_officer, report=report, action="return")
        assert "comment" in exc.value.message_dict
        services.annual_report_transition(
            actor=pujiang_officer, report=report, action="return", comment="研发投入偏高,请核实"
        )
        report = services.annual_report_save(
            actor=enterprise_admin, enterprise=pujiang_enterprise, year=2024, data={"rd_spend": Decimal("900000")}
        )
        assert report.rd_spend == Decimal("900000.00")
        assert Notification.objects.get(recipient=enterprise_admin).body == "研发投入偏高,请核实"

    def test_a_year_with_an_approved_report_is_refused(self, enterprise_admin, pujiang_enterprise, pujiang_officer):
        report = services.annual_report_save(
            actor=enterprise_admin, enterprise=pujiang_enterprise, year=2023, data=factories.report_data()
        )
        services.annual_report_transition(actor=enterprise_admin, report=report, action="submit")
        services.annual_report_transition(actor=pujiang_officer, report=report, action="approve")
        with pytest.raises(ValidationError) as exc:
            services.annual_report_save(
                actor=enterprise_admin, enterprise=pujiang_enterprise, year=2023, data=factories.report_data()
            )
        assert "year" in exc.value.message_dict

    def test_an_officer_of_another_town_cannot_review(self, enterprise_admin, pujiang_enterprise, xinzhuang_officer):
        report = services.annual_report_save(
            actor=enterprise_admin, enterprise=pujiang_enterprise, year=2024, data=factories.report_data()
        )
        services.annual_report_transition(actor=enterprise_admin, report=report, action="submit")
        with pytest.raises(PermissionDenied):
            services.annual_report_transition(actor=xinzhuang_officer, report=report, action="approve")

    @pytest.mark.parametrize("field,value", [("revenue", "-5"), ("tax", "abc"), ("rd_spend", 1.5)])
    def test_negative_or_non_numeric_money_is_refused_and_nothing_saved(
        self, enterprise_admin, pujiang_enterprise, field, value
    ):
        with pytest.raises(ValidationError) as exc:
            services.annual_report_save(
                actor=enterprise_admin,
                enterprise=pujiang_enterprise,
                year=2024,
                data=factories.report_data(**{field: value}),
            )
        assert field in exc.value.message_dict
        assert not AnnualReport.objects.exists()

    def test_more_rd_staff_than_employees_is_refused(self, enterprise_admin, pujiang_enterprise):
        with pytest.raises(ValidationError) as exc:
            services.annual_report_save(
                actor=enterprise_admin,
                enterprise=pujiang_enterprise,
                year=2024,
                data=factories.report_data(employees=10, rd_staff=11),
            )
        assert "rd_staff" in exc.value.message_dict


@pytest.mark.django_db
def test_a_certification_ending_before_it_starts_is_refused_on_the_end_date(pujiang_officer, pujiang_enterprise):
    from sanlian.enterprises.models import Certification, CertificationType

    with pytest.raises(ValidationError) as exc:
        services.certification_add(
            actor=pujiang_officer,
            enterprise=pujiang_enterprise,
            data={
                "type": CertificationType.objects.get(code="hnte"),
                "valid_from_date": "2024-01-01",
                "valid_until_date": "2023-12-31",
            },
        )
    assert "valid_until_date" in exc.value.message_dict and not Certification.objects.exists()
