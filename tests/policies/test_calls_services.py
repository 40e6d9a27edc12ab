"""Declarations: calls, the application window, one application per enterprise, completeness, uploads,
and the review workflow with its roles and conflicts."""

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.query import QuerySet

from sanlian.core.models import AuditEvent, Notification
from sanlian.policies import services
from sanlian.policies.models import Application, ApplicationMaterial, Call
from sanlian.policies.services.calls import ApplicationConflict
from tests import factories

from .calls_data import (
    NOT_A_DOCUMENT,
    PNG,
    TODAY,
    call_data,
    draft,
    make_call,
    recommended,
    submitted,
    upload,
    user_of,
)
from .helpers import approved_report, number_parameter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_calls_today")]


@pytest.fixture
def district_call(district_officer):
    return make_call(district_officer)


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# Calls -----------------------------------------------------------------------------------------------


class TestCallSave:
    def test_an_officer_creates_a_call_in_his_region_with_an_audit_event(self, pujiang_officer):
        call = make_call(pujiang_officer, code="pj-hnte")

        assert call.pk and call.region.code == "pujiang" and call.created_by == pujiang_officer
        assert call.materials[1] == {"key": "audit", "label": "审计报告", "required": False}
        assert call.form_fields[2] == {"key": "start", "label": "项目开始日期", "type": "date", "required": False}
        assert AuditEvent.objects.filter(action="call.create", target_id=str(call.pk)).exists()

    def test_the_rule_is_compiled_and_its_error_names_the_node(self, pujiang_officer):
        with pytest.raises(ValidationError) as exc:
            make_call(pujiang_officer, rule={"all": [{"fact": "turnover", "op": ">=", "value": 1}]})

        assert "all[0]" in errors_of(exc)["rule"][0] and "turnover" in errors_of(exc)["rule"][0]
        assert not Call.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value", "fragment"),
        [
            ("materials", [{"key": "license"}], "label"),
            ("materials", [{"key": "a", "label": "甲"}, {"key": "a", "label": "乙"}], "重复"),
            ("materials", {"key": "a"}, "列表"),
            ("form_fields", [{"key": "x", "label": "X", "type": "choice"}], "choices"),
            ("form_fields", [{"key": "x", "label": "X", "type": "money"}], "type"),
            ("form_fields", [{"key": "X y", "label": "X", "type": "text"}], "key"),
            ("form_fields", [{"key": "comment", "label": "X", "type": "text"}], "key"),
            ("form_fields", [{"key": "x", "label": "X", "type": "text", "required": "yes"}], "required"),
            ("form_fields", [{"key": "x", "label": "X", "colour": "red"}], "colour"),
        ],
    )
    def test_materials_and_form_fields_must_have_their_shape(self, pujiang_officer, field, value, fragment):
        with pytest.raises(ValidationError) as exc:
            make_call(pujiang_officer, **{field: value})

        assert fragment in " ".join(errors_of(exc)[field])

    def test_the_window_cannot_close_before_it_opens(self, pujiang_officer):
        with pytest.raises(ValidationError) as exc:
            make_call(pujiang_officer, open_date=date(2026, 6, 1), close_date=date(2026, 5, 1))

        assert "close_date" in errors_of(exc)

    def test_an_officer_cannot_publish_for_a_region_outside_his_scope(self, pujiang_officer, xinzhuang_officer):
        with pytest.raises(ValidationError) as exc:
            services.call_save(actor=xinzhuang_officer, data=call_data(pujiang_officer))

        assert "region" in errors_of(exc)

    def test_an_officer_cannot_edit_another_towns_call_and_an_enterprise_cannot_write_calls(
        self, pujiang_officer, xinzhuang_officer, enterprise_admin
    ):
        call = make_call(pujiang_officer)

        with pytest.raises(PermissionDenied):
            services.call_save(actor=xinzhuang_officer, call=call, data={"title": "改"})
        with pytest.raises(PermissionDenied):
            services.call_save(actor=enterprise_admin, call=call, data={"title": "改"})
        with pytest.raises(PermissionDenied):
            services.call_save(actor=enterprise_admin, data=call_data(pujiang_officer))

    def test_editing_records_the_changes_and_keeps_the_code(self, pujiang_officer):
        call = make_call(pujiang_officer, code="pj-edit")

        services.call_save(actor=pujiang_officer, call=call, data={"title": "新标题"})
        with pytest.raises(ValidationError) as exc:
            services.call_save(actor=pujiang_officer, call=call, data={"code": "renamed"})

        event = AuditEvent.objects.get(action="call.update", target_id=str(call.pk))
        assert event.changes["title"][1] == "新标题"
        assert "code" in errors_of(exc)

    def test_a_published_call_with_applications_cannot_go_back_to_draft(self, pujiang_officer, pujiang_enterprise):
        call = make_call(pujiang_officer)
        draft(call, pujiang_enterprise)

        with pytest.raises(ValidationError) as exc:
            services.call_save(actor=pujiang_officer, call=call, data={"status": "draft"})

        assert "status" in errors_of(exc)


# Eligibility -----------------------------------------------------------------------------------------


class TestEligibility:
    def test_a_call_without_a_rule_is_open_to_every_enterprise(self, district_call, pujiang_enterprise):
        assert services.call_eligibility(call=district_call, enterprise_id=pujiang_enterprise.pk,
                                         as_of=TODAY.date()) == ("eligible", {})  # fmt: skip

    def test_the_rule_is_evaluated_over_the_enterprises_facts_with_an_explanation(
        self, district_officer, pujiang_officer, pujiang_enterprise, xinzhuang_enterprise
    ):
        number_parameter(pujiang_officer)
        approved_report(pujiang_enterprise, 2025, pujiang_officer)  # rd ratio 12.5 %
        call = make_call(district_officer, rule={"all": [
            {"fact": "town", "op": "==", "value": "pujiang"},
            {"fact": "rd_ratio", "op": ">=", "value": {"param": "rd_ratio_min"}},
        ]})  # fmt: skip

        outcome, explanation = services.call_eligibility(
            call=call, enterprise_id=pujiang_enterprise.pk, as_of=TODAY.date()
        )
        other, _ = services.call_eligibility(call=call, enterprise_id=xinzhuang_enterprise.pk, as_of=TODAY.date())

        assert outcome == "eligible" and explanation["kind"] == "all"
        assert explanation["children"][1]["threshold"] == 4 and explanation["children"][1]["value"] == 12.5
        assert other == "not_eligible"

    def test_a_not_eligible_enterprise_is_refused_and_an_unknown_one_may_apply(
        self, district_officer, pujiang_enterprise, xinzhuang_enterprise
    ):
        call = make_call(district_officer, rule={"all": [
            {"fact": "town", "op": "==", "value": "pujiang"},
            {"fact": "rd_ratio", "op": ">=", "value": 4},
        ]})  # fmt: skip

        with pytest.raises(ValidationError) as exc:
            services.application_start(actor=user_of(xinzhuang_enterprise), call=call, enterprise=xinzhuang_enterprise)
        application = services.application_start(
            actor=user_of(pujiang_enterprise), call=call, enterprise=pujiang_enterprise
        )

        assert "不符合" in errors_of(exc)["call"][0]
        assert application.eligibility == "unknown"  # no approved report: rd_ratio is missing


# Starting ----------------------------------------------------------------------------------------------


class TestStart:
    @pytest.mark.parametrize(
        ("open_date", "close_date", "fragment"),
        [(date(2026, 6, 2), date(2026, 6, 30), "尚未开始"), (date(2026, 5, 1), date(2026, 5, 31), "截止")],
    )
    def test_outside_the_window_starting_is_refused_and_nothing_is_saved(
        self, district_officer, pujiang_enterprise, open_date, close_date, fragment
    ):
        call = make_call(district_officer, open_date=open_date, close_date=close_date)

        with pytest.raises(ValidationError) as exc:
            services.application_start(actor=user_of(pujiang_enterprise), call=call, enterprise=pujiang_enterprise)

        assert fragment in errors_of(exc)["call"][0]
        assert not Application.objects.exists()

    def test_a_draft_call_cannot_be_applied_to(self, district_officer, pujiang_enterprise):
        call = make_call(district_officer, status="draft")

        with pytest.raises(ValidationError):
            services.application_start(actor=user_of(pujiang_enterprise), call=call, enterprise=pujiang_enterprise)

    def test_the_window_includes_its_first_and_last_day(self, district_officer, pujiang_enterprise,
                                                        xinzhuang_enterprise):  # fmt: skip
        opens_today = make_call(district_officer, open_date=date(2026, 6, 1))
        closes_today = make_call(district_officer, close_date=date(2026, 6, 1))

        assert services.application_start(actor=user_of(pujiang_enterprise), call=opens_today,
                                          enterprise=pujiang_enterprise)  # fmt: skip
        assert services.application_start(actor=user_of(xinzhuang_enterprise), call=closes_today,
                                          enterprise=xinzhuang_enterprise)  # fmt: skip

    def test_an_enterprise_applies_once_per_call(self, district_call, pujiang_enterprise):
        admin = user_of(pujiang_enterprise)
        services.application_start(actor=admin, call=district_call, enterprise=pujiang_enterprise)

        with pytest.raises(ValidationError) as exc:
            services.application_start(actor=admin, call=district_call, enterprise=pujiang_enterprise)

        assert "已申报" in errors_of(exc)["call"][0]
        assert Application.objects.count() == 1

    def test_a_concurrent_second_start_is_stopped_by_the_constraint_with_the_same_message(
        self, district_call, pujiang_enterprise
    ):
        admin = user_of(pujiang_enterprise)
        services.application_start(actor=admin, call=district_call, enterprise=pujiang_enterprise)

        # As if the other request had not committed yet when this one checked.
        with mock.patch.object(QuerySet, "exists", return_value=False), pytest.raises(ValidationError) as exc:
            services.application_start(actor=admin, call=district_call, enterprise=pujiang_enterprise)

        assert "已申报" in errors_of(exc)["call"][0]
        assert Application.objects.count() == 1

    def test_only_for_the_users_own_enterprise_and_never_by_an_officer(
        self, district_call, pujiang_enterprise, xinzhuang_enterprise, pujiang_officer
    ):
        with pytest.raises(ValidationError) as exc:
            services.application_start(actor=user_of(xinzhuang_enterprise), call=district_call,
                                       enterprise=pujiang_enterprise)  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.application_start(actor=pujiang_officer, call=district_call, enterprise=pujiang_enterprise)

        assert "本企业" in errors_of(exc)["enterprise"][0]
        assert not Application.objects.exists()

    def test_a_town_call_is_not_for_another_towns_enterprise(self, pujiang_officer, xinzhuang_enterprise):
        call = make_call(pujiang_officer)

        with pytest.raises(ValidationError):
            services.application_start(actor=user_of(xinzhuang_enterprise), call=call, enterprise=xinzhuang_enterprise)


# Filling in ----------------------------------------------------------------------------------------------


class TestSave:
    def test_values_are_checked_and_normalised_by_field_type(self, district_call, pujiang_enterprise):
        application = draft(district_call, pujiang_enterprise, data={
            "project": "  支架  ", "amount": "1,200", "start": "2026-07-01", "field": "生物医药"})  # fmt: skip

        assert application.data == {"project": "支架", "amount": 1200, "start": "2026-07-01", "field": "生物医药"}

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"amount": "abc"}, "amount"),
            ({"amount": True}, "amount"),
            ({"amount": "NaN"}, "amount"),
            ({"start": "2026-13-01"}, "start"),
            ({"start": "0"}, "start"),
            ({"field": "化学药"}, "field"),
            ({"project": "x" * 501}, "project"),
            ({"colour": "red"}, "colour"),
        ],
    )
    def test_a_wrong_value_is_refused_on_its_field(self, district_call, pujiang_enterprise, values, field):
        application = draft(district_call, pujiang_enterprise, data={}, materials=())

        with pytest.raises(ValidationError) as exc:
            services.application_save(actor=user_of(pujiang_enterprise), application=application, data=values)

        assert list(errors_of(exc)) == [field]
        application.refresh_from_db()
        assert application.data == {}

    def test_an_empty_value_clears_the_field_and_a_draft_may_stay_incomplete(self, district_call, pujiang_enterprise):
        application = draft(district_call, pujiang_enterprise)

        saved = services.application_save(actor=user_of(pujiang_enterprise), application=application,
                                          data={"project": "", "start": None, "summary": "简介"})  # fmt: skip

        assert saved.data == {"amount": 120.5, "field": "医疗器械", "summary": "简介"}
        event = AuditEvent.objects.filter(action="application.update").first()
        assert event.changes["project"] == ["新型支架研发", None]

    def test_another_enterprise_cannot_write_and_a_submitted_application_is_frozen(
        self, district_call, pujiang_enterprise, xinzhuang_enterprise
    ):
        application = submitted(district_call, pujiang_enterprise)

        with pytest.raises(PermissionDenied):
            services.application_save(actor=user_of(xinzhuang_enterprise), application=application,
                                      data={"project": "x"})  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            services.application_save(actor=user_of(pujiang_enterprise), application=application,
                                      data={"project": "x"})  # fmt: skip
        with pytest.raises(ValidationError):
            services.application_material_add(actor=user_of(pujiang_enterprise), application=application,
                                              item="audit", upload=upload())  # fmt: skip

        assert "status" in errors_of(exc)


class TestUploads:
    def test_a_png_named_pdf_is_accepted_and_stored_by_its_content(self, district_call, pujiang_enterprise):
        application = draft(district_call, pujiang_enterprise, materials=())

        material = services.application_material_add(
            actor=user_of(pujiang_enterprise), application=application, item="license",
            upload=upload("执照扫描.pdf", PNG),
        )  # fmt: skip

        assert material.name == "执照扫描.png" and material.size == len(PNG)
        assert material.file.read() == PNG

    def test_random_bytes_named_pdf_are_refused(self, district_call, pujiang_enterprise):
        application = draft(district_call, pujiang_enterprise, materials=())

        with pytest.raises(ValidationError) as exc:
            services.application_material_add(actor=user_of(pujiang_enterprise), application=application,
                                              item="license", upload=upload("执照.pdf", NOT_A_DOCUMENT))  # fmt: skip

        assert "file" in errors_of(exc)
        assert not ApplicationMaterial.objects.exists()

    def test_only_items_of_the_checklist_are_accepted(self, district_call, pujiang_enterprise):
        application = draft(district_call, pujiang_enterprise, materials=())

        with pytest.raises(ValidationError) as exc:
            services.application_material_add(actor=user_of(pujiang_enterprise), application=application,
                                              item="passport", upload=upload())  # fmt: skip

        assert "item" in errors_of(exc)


# Submitting -------------------------------------------------------------------------------------------


class TestSubmit:
    def test_required_fields_and_materials_must_be_there(self, district_call, pujiang_enterprise):
        application = draft(district_call, pujiang_enterprise, data={"project": "支架"}, materials=("audit",))

        with pytest.raises(ValidationError) as exc:
            services.application_transition(actor=user_of(pujiang_enterprise), application=application,
                                            action="submit")  # fmt: skip

        errors = errors_of(exc)
        assert set(errors) == {"amount", "materials"}
        assert "申请金额" in errors["amount"][0] and "营业执照" in errors["materials"][0]
        application.refresh_from_db()
        assert application.status == "draft" and application.submitted_at is None

    def test_a_complete_application_is_submitted_with_its_eligibility_and_the_town_is_told(
        self, district_call, pujiang_enterprise, pujiang_officer, xinzhuang_officer, district_officer
    ):
        application = submitted(district_call, pujiang_enterprise)

        assert application.status == "submitted" and application.submitted_at == TODAY
        assert application.eligibility == "eligible"
        notes = Notification.objects.filter(title__contains="待镇级预审")
        assert [n.recipient for n in notes] == [pujiang_officer]
        assert notes[0].url == f"/policies/calls/applications/{application.pk}/"
        event = AuditEvent.objects.get(action="application.submit")
        assert event.changes["status"] == ["draft", "submitted"] and event.enterprise_id == pujiang_enterprise.pk

    @pytest.mark.parametrize("close", [date(2026, 5, 31)])
    def test_after_the_close_nothing_is_submitted(self, district_officer, pujiang_enterprise, close):
        call = make_call(district_officer)
        application = draft(call, pujiang_enterprise)
        services.call_save(actor=district_officer, call=call, data={"close_date": close})

        with pytest.raises(ValidationError) as exc:
            services.application_transition(actor=user_of(pujiang_enterprise), application=application,
                                            action="submit")  # fmt: skip

        assert "截止" in errors_of(exc)["status"][0]
        application.refresh_from_db()
        assert application.status == "draft"

    def test_eligibility_is_checked_again_on_submission(self, district_officer, pujiang_enterprise):
        call = make_call(district_officer)
        application = draft(call, pujiang_enterprise)
        services.call_save(actor=district_officer, call=call,
                           data={"rule": {"fact": "town", "op": "==", "value": "xinzhuang"}})  # fmt: skip

        with pytest.raises(ValidationError) as exc:
            services.application_transition(actor=user_of(pujiang_enterprise), application=application,
                                            action="submit")  # fmt: skip

        assert "不符合" in errors_of(exc)["status"][0]


# The review workflow ---------------------------------------------------------------------------------

ROLES = ("enterprise", "town", "other_town", "district")


@pytest.fixture
def actors(pujiang_enterprise, pujiang_officer, xinzhuang_officer, district_officer):
    return {
        "enterprise": user_of(pujiang_enterprise),
        "town": pujiang_officer,
        "other_town": xinzhuang_officer,
        "district": district_officer,
    }


def at_status(status, call, enterprise, town_officer, district_officer):
    if status == "draft":
        return draft(call, enterprise)
    if status == "submitted":
        return submitted(call, enterprise)
    if status == "recommended":
        return recommended(call, enterprise, town_officer)
    raise AssertionError(status)


TRANSITIONS = [
    # action, from, allowed role, target
    ("submit", "draft", "enterprise", "submitted"),
    ("return", "submitted", "town", "returned"),
    ("recommend", "submitted", "town", "recommended"),
    ("not_recommend", "submitted", "town", "not_recommended"),
    ("approve", "recommended", "district", "approved"),
    ("reject", "recommended", "district", "rejected"),
]


@pytest.mark.parametrize(("action", "source", "allowed", "target"), TRANSITIONS)
@pytest.mark.parametrize("role", ROLES)
def test_each_transition_is_taken_by_its_role_only(
    actors, district_call, pujiang_enterprise, pujiang_officer, district_officer, action, source, allowed, target, role
):
    application = at_status(source, district_call, pujiang_enterprise, pujiang_officer, district_officer)
    act = lambda: services.application_transition(  # noqa: E731
        actor=actors[role], application=application, action=action, comment="意见"
    )

    if role == allowed:
        moved = act()
        assert moved.status == target
        assert AuditEvent.objects.filter(action=f"application.{action}", note="意见",
                                         target_id=str(application.pk)).exists()  # fmt: skip
    else:
        with pytest.raises(PermissionDenied):
            act()
        application.refresh_from_db()
        assert application.status == source


@pytest.mark.parametrize(
    ("action", "source"),
    [("approve", "submitted"), ("recommend", "draft"), ("recommend", "recommended"), ("submit", "submitted")],
)
def test_a_transition_from_the_wrong_status_is_refused(
    actors, district_call, pujiang_enterprise, pujiang_officer, district_officer, action, source
):
    application = at_status(source, district_call, pujiang_enterprise, pujiang_officer, district_officer)
    actor = {"approve": "district", "recommend": "town", "submit": "enterprise"}[action]

    with pytest.raises(ValidationError) as exc:
        services.application_transition(actor=actors[actor], application=application, action=action)

    assert "status" in errors_of(exc)


@pytest.mark.parametrize("action", ["return", "not_recommend"])
def test_returning_or_not_recommending_needs_a_comment(district_call, pujiang_enterprise, pujiang_officer, action):
    application = submitted(district_call, pujiang_enterprise)

    with pytest.raises(ValidationError) as exc:
        services.application_transition(actor=pujiang_officer, application=application, action=action, comment="  ")

    assert "comment" in errors_of(exc)


def test_a_returned_application_is_corrected_and_submitted_again(district_call, pujiang_enterprise, pujiang_officer):
    application = submitted(district_call, pujiang_enterprise)
    services.application_transition(actor=pujiang_officer, application=application, action="return",
                                    comment="请补充审计报告")  # fmt: skip
    admin = user_of(pujiang_enterprise)

    services.application_material_add(actor=admin, application=application, item="audit", upload=upload())
    again = services.application_transition(actor=admin, application=application, action="submit")

    assert again.status == "submitted" and again.review_comment == "请补充审计报告"
    assert Notification.objects.filter(recipient=admin, title__contains="退回", body="请补充审计报告").exists()


def test_the_whole_way_notifies_each_other_side(
    district_call, pujiang_enterprise, pujiang_officer, district_officer, xinzhuang_officer
):
    application = recommended(district_call, pujiang_enterprise, pujiang_officer)
    services.application_transition(actor=district_officer, application=application, action="approve",
                                    comment="同意立项")  # fmt: skip

    application.refresh_from_db()
    admin = user_of(pujiang_enterprise)
    assert application.status == "approved" and application.decided_by == district_officer
    assert application.district_comment == "同意立项" and application.reviewed_by == pujiang_officer
    assert Notification.objects.filter(recipient=district_officer, title__contains="待区级审核").exists()
    assert Notification.objects.filter(recipient=admin, title__contains="已通过区级审核").exists()
    assert Notification.objects.filter(recipient=pujiang_officer, title__contains="已通过区级审核").exists()
    assert not Notification.objects.filter(recipient=xinzhuang_officer).exists()


def test_an_unknown_action_is_refused(district_call, pujiang_enterprise):
    application = draft(district_call, pujiang_enterprise)

    with pytest.raises(ValidationError) as exc:
        services.application_transition(actor=user_of(pujiang_enterprise), application=application, action="publish")

    assert "action" in errors_of(exc)


class TestConflict:
    def test_acting_on_a_status_that_has_moved_on_names_who_acted(self, district_call, pujiang_enterprise,
                                                                   pujiang_officer):  # fmt: skip
        colleague = factories.officer("pujiang", username="pj_colleague", display_name="王专员")
        application = submitted(district_call, pujiang_enterprise)
        services.application_transition(actor=colleague, application=application, action="recommend",
                                        expected_status="submitted")  # fmt: skip

        with pytest.raises(ApplicationConflict) as exc:
            services.application_transition(actor=pujiang_officer, application=application, action="return",
                                            comment="补充", expected_status="submitted")  # fmt: skip

        assert exc.value.code == "conflict"
        assert isinstance(exc.value, ValidationError)
        message = exc.value.conflict_message
        assert "王专员" in message and "镇已推荐" in message and "2026年6月1日 09:00" in message
        assert exc.value.message_dict == {"status": [message]}
        application.refresh_from_db()
        assert application.status == "recommended" and application.review_comment == ""

    def test_the_expected_status_that_still_holds_lets_the_action_through(self, district_call, pujiang_enterprise,
                                                                           pujiang_officer):  # fmt: skip
        application = submitted(district_call, pujiang_enterprise)

        moved = services.application_transition(actor=pujiang_officer, application=application, action="recommend",
                                                expected_status="submitted")  # fmt: skip

        assert moved.status == "recommended"
