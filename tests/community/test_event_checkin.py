"""Checking in at the door with the personal QR, and the follow-up survey answered once by attendees."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanlian.community import event_selectors as selectors
from sanlian.community.models import SurveyAnswer
from sanlian.community.services import events as services
from tests import factories

from .event_helpers import NOW, STARTS, published_event, register

pytestmark = pytest.mark.django_db
AT_THE_DOOR = STARTS + timedelta(minutes=10)
AFTER = STARTS + timedelta(hours=5)


@pytest.fixture
def event(pujiang_officer):
    return published_event(pujiang_officer, capacity=3)


@pytest.fixture
def guest(pujiang_enterprise):
    return factories.enterprise_user(pujiang_enterprise, username="guest")


def check_in(actor, event, scanned, now=AT_THE_DOOR):
    return services.registration_check_in(actor=actor, event=event, scanned=scanned, now=now)


def refusal(actor, event, scanned, now=AT_THE_DOOR) -> str:
    with pytest.raises(ValidationError) as refused:
        check_in(actor, event, scanned, now)
    return refused.value.message_dict["token"][0]


def test_the_organiser_checks_in_a_scanned_check_in_url(pujiang_officer, event, guest):
    registration = register(guest, event)

    done = check_in(pujiang_officer, event, f"https://sanlian.example/events/checkin/{registration.checkin_token}/")

    assert done.checked_in_at == AT_THE_DOOR


def test_a_second_check_in_is_refused_and_keeps_the_first_time(pujiang_officer, event, guest):
    registration = register(guest, event)
    check_in(pujiang_officer, event, registration.checkin_token)

    message = refusal(pujiang_officer, event, registration.checkin_token, now=AT_THE_DOOR + timedelta(minutes=5))

    assert "请勿重复签到" in message
    registration.refresh_from_db()
    assert registration.checked_in_at == AT_THE_DOOR


def test_a_token_of_another_event_or_an_unknown_one_is_refused(pujiang_officer, event, guest):
    other = published_event(pujiang_officer, title="培训")
    elsewhere = register(guest, other)

    assert refusal(pujiang_officer, event, elsewhere.checkin_token) == "签到码无效或不属于本活动"
    assert refusal(pujiang_officer, event, "nonsense") == "签到码无效或不属于本活动"
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


def test_checking_in_with_another_persons_qr_is_refused(event, guest, xinzhuang_enterprise):
    registration = register(guest, event)
    someone_else = factories.enterprise_user(xinzhuang_enterprise)
    register(someone_else, event)

    assert refusal(someone_else, event, registration.checkin_token) == "不能使用他人的签到码签到"
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_person_may_check_themselves_in_with_their_own_qr(event, guest):
    registration = register(guest, event)

    assert check_in(guest, event, registration.checkin_token).checked_in_at == AT_THE_DOOR


def test_a_cancelled_or_waitlisted_registration_and_a_check_in_days_early_are_refused(pujiang_officer, guest):
    event = published_event(pujiang_officer, capacity=1)
    seated = register(guest, event)
    waiting = register(factories.officer(), event)
    assert refusal(pujiang_officer, event, seated.checkin_token, now=NOW) == "不在签到时间内"
    assert refusal(pujiang_officer, event, waiting.checkin_token) == "该报名未获通过或已取消,不能签到"

    services.registration_transition(actor=guest, registration=seated, action="cancel", now=NOW)

    assert refusal(pujiang_officer, event, seated.checkin_token) == "该报名未获通过或已取消,不能签到"


def test_attendance_counts_approved_checked_in_and_no_shows(pujiang_officer, event, guest, xinzhuang_enterprise):
    came = register(guest, event)
    register(factories.enterprise_user(xinzhuang_enterprise), event)
    check_in(pujiang_officer, event, came.checkin_token)

    figures = selectors.attendance(event)

    assert (figures["registered"], figures["approved"], figures["checked_in"], figures["no_show"]) == (2, 2, 1, 1)
    assert figures["rate"] == 50
    assert selectors.attendance(event, now=NOW)["no_show"] is None  # before the start nobody is a no-show yet


QUESTIONS = [
    {"text": "总体满意度", "kind": "rating"},
    {"text": "最有收获的环节", "kind": "choice", "choices": ["开幕式", "平台发布"]},
    {"text": "建议", "kind": "text"},
]


def answer(actor, event, answers, now=AFTER):
    questions = {q.text: q.pk for q in event.survey_questions.all()}
    keyed = {questions[text]: value for text, value in answers.items()}
    return services.survey_answer_submit(actor=actor, event=event, answers=keyed, now=now)


def test_an_attendee_answers_the_survey_once_and_organisers_see_the_aggregates(pujiang_officer, event, guest):
    services.survey_questions_set(actor=pujiang_officer, event=event, questions=QUESTIONS, now=NOW)
    check_in(guest, event, register(guest, event).checkin_token)

    answer(guest, event, {"总体满意度": "5", "最有收获的环节": "平台发布", "建议": "多办几场"})
    with pytest.raises(ValidationError, match="已填写过问卷"):
        answer(guest, event, {"总体满意度": "1", "最有收获的环节": "开幕式"})

    results = {row["question"].text: row for row in selectors.survey_results(event)}
    assert results["总体满意度"]["average"] == 5
    assert dict(results["最有收获的环节"]["distribution"]) == {"开幕式": 0, "平台发布": 1}
    assert results["建议"]["texts"] == ["多办几场"]
    assert selectors.respondents(event) == 1


def test_no_shows_early_answers_and_bad_answers_are_refused_with_nothing_saved(pujiang_officer, event, guest):
    services.survey_questions_set(actor=pujiang_officer, event=event, questions=QUESTIONS, now=NOW)
    absent = factories.officer()
    register(absent, event)
    check_in(guest, event, register(guest, event).checkin_token)

    with pytest.raises(ValidationError, match="只有签到参会的人员"):
        answer(absent, event, {"总体满意度": "4", "最有收获的环节": "开幕式"})
    with pytest.raises(ValidationError, match="活动结束后"):
        answer(guest, event, {"总体满意度": "4", "最有收获的环节": "开幕式"}, now=AT_THE_DOOR)
    with pytest.raises(ValidationError) as refused:
        answer(guest, event, {"总体满意度": "9", "最有收获的环节": "别的"})

    assert len(refused.value.message_dict) == 2
    assert not SurveyAnswer.objects.exists()


def test_only_organisers_set_the_questions(event, guest):
    with pytest.raises(PermissionDenied):
        services.survey_questions_set(actor=guest, event=event, questions=QUESTIONS, now=NOW)
