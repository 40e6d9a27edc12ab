"""Talent applications end to end: filing, checks that say what fails, the workflow, personal data."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanlian.core.models import AuditEvent, Notification
from sanlian.talent.models import ApplicationMaterial, TalentApplication
from sanlian.talent.services import applications, notices, reviews
from tests import factories

from .helpers import IN_2023_WINDOW, filled, id_number, move, open_round, talent_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_window")]


@pytest.fixture
def in_window():
    with time_machine.travel(IN_2023_WINDOW, tick=False):
        yield


@pytest.fixture
def round_2023(district_officer):
    return open_round(district_officer)


@pytest.fixture
def hr(pujiang_enterprise):
    return factories.enterprise_user(pujiang_enterprise, username="pj_hr")


def problems(application) -> list[str]:
    return [
        message for _field, message in applications.application_check(application, today=date(2023, 5, 20)).problems
    ]


def test_the_whole_journey_ends_with_a_certificate(
    round_2023, pujiang_enterprise, hr, pujiang_officer, district_officer
):
    talent = talent_user(display_name="张三丰")
    application = filled(round_2023, talent, employer=pujiang_enterprise)
    move(application, talent, "send_to_employer")
    move(application, hr, "submit")
    move(application, pujiang_officer, "town_approve", "材料齐全")
    reviewer = factories.district_officer(username="reviewer_a")
    assignment = reviews.review_assign(actor=district_officer, application=application, reviewer=reviewer)
    reviews.review_submit(
        actor=reviewer, assignment=assignment, scores={"achievements": 35, "innovation": 25, "potential": 18, "fit": 9}
    )
    notice = notices.notice_publish(
        actor=district_officer, round_=round_2023, application_ids=[application.pk], start_date=date(2023, 5, 22)
    )
    assert notice.end_date == date(2023, 5, 26)  # five notice days

    with time_machine.travel(datetime(2023, 5, 27, 9, tzinfo=timezone.get_default_timezone()), tick=False):
        approved = move(application, district_officer, "approve")

    assert approved.status == "approved" and approved.score == 87
    assert approved.certificate.number.startswith("CS2023-")
    steps = list(approved.events.values_list("action", flat=True))
    assert steps == ["create", "send_to_employer", "submit", "town_approve", "scored", "notice", "approve"]
    assert Notification.objects.filter(recipient=talent, title__contains="已认定").exists()


def test_the_check_says_exactly_which_criterion_fails(round_2023, pujiang_enterprise):
    talent = talent_user()
    application = filled(round_2023, talent, level="young", employer=pujiang_enterprise,
                         contract_start_date=date(2022, 1, 1), contract_end_date=date(2023, 12, 31))  # fmt: skip

    found = problems(application)

    assert "不符合:35周岁以下(1988年1月1日及以后出生)" in found
    assert "不符合:全职劳动合同3年及以上" in found
    assert "不符合:具有国内领先技术的企业创始人" in found
    with pytest.raises(ValidationError) as refused:
        move(application, talent, "send_to_employer")
    assert "criteria" in refused.value.message_dict
    application.refresh_from_db()
    assert application.status == "draft"


def test_born_on_the_first_day_of_1988_counts_as_under_35(round_2023, pujiang_enterprise):
    young = filled(round_2023, talent_user(), level="young", employer=pujiang_enterprise,
                   id_number=id_number(date(1988, 1, 1)))  # fmt: skip
    older = filled(round_2023, talent_user(), level="young", employer=pujiang_enterprise,
                   id_number=id_number(date(1987, 12, 31), serial="456"))  # fmt: skip

    assert problems(young) == []
    assert "不符合:35周岁以下(1988年1月1日及以后出生)" in problems(older)


def test_a_founder_needs_no_contract_but_the_founders_materials(round_2023, pujiang_enterprise):
    application = filled(round_2023, talent_user(), employer=pujiang_enterprise, is_founder=True,
                         contract_start_date=None, contract_end_date=None)  # fmt: skip

    assert problems(application) == ["请上传材料:企业营业执照(创始人)"]


def test_an_employer_outside_the_district_is_refused(round_2023):
    elsewhere = factories.enterprise("pujiang")
    elsewhere.town = factories.region("shanghai")
    elsewhere.save(update_fields=["town"])
    application = filled(round_2023, talent_user(), employer=elsewhere)

    assert "不符合:用人单位在闵行区注册纳税" in problems(application)


def test_a_submission_after_the_deadline_is_refused_and_nothing_changes(round_2023, pujiang_enterprise, hr):
    application = filled(round_2023, hr)

    after_deadline = datetime(2023, 6, 7, 9, tzinfo=timezone.get_default_timezone())
    with time_machine.travel(after_deadline, tick=False), pytest.raises(ValidationError) as refused:
        move(application, hr, "submit")

    assert refused.value.message_dict["round"] == ["申报已于 2023年6月6日 截止"]
    application.refresh_from_db()
    assert application.status == "draft" and application.submitted_at is None


def test_one_person_one_live_application_per_round(round_2023, pujiang_enterprise, hr):
    filled(round_2023, hr)
    second = applications.application_start(actor=hr, round_=round_2023, level=round_2023.levels.get(code="elite"))

    with pytest.raises(ValidationError) as refused:
        applications.application_save(actor=hr, application=second, data={"id_number": id_number(date(1985, 3, 14))})

    assert refused.value.message_dict["id_number"] == ["该身份证号在本年度已有申报,不能重复申报"]
    second.refresh_from_db()
    assert second.id_number is None


def test_a_used_quota_is_refused_with_the_rule_named(round_2023, pujiang_enterprise, hr):
    first = filled(round_2023, hr, position="company_head")
    move(first, hr, "submit")
    second = filled(round_2023, hr, position="company_head", id_number=id_number(date(1980, 1, 2), serial="777"))

    with pytest.raises(ValidationError) as refused:
        move(second, hr, "submit")

    assert refused.value.message_dict["position"] == ["名额已用完:企业负责人每家单位限 1 名"]


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"id_number": "310112198513140000"}, "id_number", "身份证号无效:请核对18位号码、出生日期和校验位"),
        ({"id_number": "31011219850230123X"}, "id_number", "身份证号无效:请核对18位号码、出生日期和校验位"),
        ({"phone": "12345"}, "phone", "请输入11位手机号"),
        ({"contract_end_date": "2020-01-01"}, "contract_end_date", "合同截止日期不能早于起始日期"),
        ({"education": [{"degree": "phd"}]}, "education", "学位只能是:博士、硕士、学士或其他"),
        ({"route": "authorised_by_me"}, "route", "本年度不接受该认定方式"),
    ],
)
def test_bad_personal_data_is_refused_field_by_field(round_2023, hr, bad, field, message):
    application = filled(round_2023, hr)
    before = (application.id_number, application.phone, application.contract_end_date)

    with pytest.raises(ValidationError) as refused:
        applications.application_save(
            actor=hr, application=application, data={**bad, "contract_start_date": "2021-01-01"}
        )

    assert refused.value.message_dict[field] == [message]
    application.refresh_from_db()
    assert (application.id_number, application.phone, application.contract_end_date) == before


def test_the_id_number_gives_birth_date_and_gender_and_is_stored_encrypted(round_2023, hr):
    application = filled(round_2023, hr)

    assert application.birth_date == date(1985, 3, 14) and application.gender == "male"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM talent_talentapplication WHERE id = %s", [application.pk])
        stored = cursor.fetchone()[0]
    assert "198503" not in stored


def test_a_talent_cannot_act_for_the_employer_or_on_someone_else(round_2023, pujiang_enterprise):
    talent, stranger = talent_user(), talent_user()
    application = filled(round_2023, talent, employer=pujiang_enterprise)

    with pytest.raises(PermissionDenied):
        move(application, talent, "submit")
    with pytest.raises(PermissionDenied):
        move(application, stranger, "withdraw")
    application.refresh_from_db()
    assert application.status == "draft"


def test_an_unmasked_view_is_logged(round_2023, hr, pujiang_officer):
    application = filled(round_2023, hr)

    value = applications.application_reveal(actor=pujiang_officer, application=application, field_name="id_number")

    assert value == id_number(date(1985, 3, 14))
    event = AuditEvent.objects.get(action="talent_application.reveal")
    assert event.actor == pujiang_officer and event.changes == {"field": "id_number"}


def test_deleting_a_withdrawn_application_removes_its_personal_data_and_files(round_2023, hr):
    application = filled(round_2023, hr)
    storage_name = ApplicationMaterial.objects.filter(application=application).first().file.name
    from django.core.files.storage import default_storage
    from django.test import TestCase

    with pytest.raises(ValidationError):
        applications.application_delete(actor=hr, application=application)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the files go with the withdrawal already
        move(application, hr, "withdraw")
        applications.application_delete(actor=hr, application=application)

    assert not TalentApplication.objects.filter(pk=application.pk).exists()
    assert not default_storage.exists(storage_name)
    logged = AuditEvent.objects.get(action="talent_application.delete")
    assert "张三丰" not in str(logged.changes) and "198503" not in str(logged.changes)


def test_approval_waits_for_the_end_of_the_notice(round_2023, hr, pujiang_officer, district_officer):
    application = filled(round_2023, hr)
    move(application, hr, "submit")
    move(application, pujiang_officer, "town_approve")
    reviewer = factories.district_officer(username="reviewer_b")
    assignment = reviews.review_assign(actor=district_officer, application=application, reviewer=reviewer)
    reviews.review_submit(actor=reviewer, assignment=assignment, scores={"achievements": 30, "innovation": 20,
                                                                          "potential": 10, "fit": 5})  # fmt: skip
    notices.notice_publish(actor=district_officer, round_=round_2023, application_ids=[application.pk],
                           start_date=date(2023, 5, 20))  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        move(application, district_officer, "approve")

    assert refused.value.message_dict["status"] == ["公示期至 2023年5月24日 结束,公示期满后方可认定"]
    with time_machine.travel(IN_2023_WINDOW + timedelta(days=5), tick=False):
        assert move(application, district_officer, "approve").status == "approved"
