"""Declarations under load and over time: two officers acting at once, and the daily deadline reminders."""

import threading
from contextlib import nullcontext
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from sanlian.core.models import Notification
from sanlian.policies import services
from sanlian.policies.call_tasks import remind_call_deadlines
from sanlian.policies.models import Application, CallReminder
from sanlian.policies.services.calls import ApplicationConflict
from tests import factories

from .calls_data import TODAY, draft, make_call, submitted, user_of


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_acting_at_once_one_wins_and_the_other_gets_a_conflict(
    district_officer, pujiang_officer, pujiang_enterprise
):
    colleague = factories.officer("pujiang", username="pj_colleague", display_name="王专员")
    with time_machine.travel(TODAY, tick=False):
        application = submitted(make_call(district_officer), pujiang_enterprise)
        barrier = threading.Barrier(2)
        # PostgreSQL: both run at once and the row lock orders them. SQLite (one writer, no row locks):
        # they start together and then take turns, which is the order the lock would impose anyway.
        turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
        outcomes: dict[str, object] = {}

        def act(name, actor, action, comment=""):
            try:
                barrier.wait(timeout=10)
                with turns:
                    services.application_transition(actor=actor, application=Application(pk=application.pk),
                                                    action=action, comment=comment,
                                                    expected_status="submitted")  # fmt: skip
                outcomes[name] = "done"
            except ApplicationConflict as exc:
                outcomes[name] = exc
            finally:
                connection.close()

        threads = [
            threading.Thread(target=act, args=("recommend", pujiang_officer, "recommend")),
            threading.Thread(target=act, args=("return", colleague, "return", "请补充材料")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(outcomes) == ["recommend", "return"]
    winners = [name for name, outcome in outcomes.items() if outcome == "done"]
    losers = [outcome for outcome in outcomes.values() if isinstance(outcome, ApplicationConflict)]
    assert len(winners) == 1 and len(losers) == 1
    application.refresh_from_db()
    expected = {"recommend": ("recommended", "镇已推荐"), "return": ("returned", "退回修改")}[winners[0]]
    assert application.status == expected[0]
    assert expected[1] in losers[0].conflict_message
    assert Notification.objects.filter(title__contains="「2026年度区级科技项目申报」").count() >= 1


# Reminders ---------------------------------------------------------------------------------------------


def at(day: int, hour: int = 8) -> datetime:
    return datetime(2026, 6, day, hour, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def closing_on_the_4th(district_officer, pujiang_officer, pujiang_enterprise, xinzhuang_enterprise):
    """A call closing on 2026-06-04 with a draft, a returned and a submitted application."""
    third = factories.enterprise("pujiang", name="已提交企业")
    with time_machine.travel(TODAY, tick=False):
        call = make_call(district_officer, close_date=date(2026, 6, 4))
        draft(call, pujiang_enterprise)
        returned = submitted(call, xinzhuang_enterprise)
        xinzhuang_officer = factories.officer("xinzhuang", username="xz_reviewer")
        services.application_transition(actor=xinzhuang_officer, application=returned, action="return",
                                        comment="请补充")  # fmt: skip
        submitted(call, third)
    return call, [pujiang_enterprise, xinzhuang_enterprise], third


def reminders_to(enterprise) -> list[str]:
    return list(Notification.objects.filter(recipient=user_of(enterprise), title__contains="截止").values_list(
        "title", flat=True))  # fmt: skip


@pytest.mark.django_db
def test_reminders_go_three_days_and_one_day_before_the_close_once_each(closing_on_the_4th):
    call, waiting, done = closing_on_the_4th
    sent = {}

    for day in (1, 1, 2, 3, 3, 4, 5):
        with time_machine.travel(at(day), tick=False):
            sent.setdefault(day, []).append(services.call_reminders_send(now=timezone.now()))

    assert sent == {1: [2, 0], 2: [0], 3: [2, 0], 4: [0], 5: [0]}
    for enterprise in waiting:
        titles = reminders_to(enterprise)
        assert len(titles) == 2
        assert any("还剩 3 天" in t for t in titles) and any("还剩 1 天" in t for t in titles)
    assert reminders_to(done) == []
    assert sorted(CallReminder.objects.values_list("days_before", flat=True)) == [1, 1, 3, 3]


@pytest.mark.django_db
def test_a_missed_morning_is_caught_up_the_next_day(closing_on_the_4th):
    call, waiting, _done = closing_on_the_4th

    with time_machine.travel(at(2), tick=False):
        first = services.call_reminders_send(now=timezone.now())

    assert first == 2
    assert all("还剩 2 天" in reminders_to(e)[0] for e in waiting)


@pytest.mark.django_db
def test_the_daily_task_sends_through_the_service(closing_on_the_4th):
    _call, waiting, _done = closing_on_the_4th

    with time_machine.travel(at(3), tick=False):
        remind_call_deadlines()  # Huey runs tasks in-process under test

    assert CallReminder.objects.filter(days_before=1).count() == 2
    assert all(len(reminders_to(e)) == 1 for e in waiting)


def test_the_task_runs_at_eight_in_the_morning_local_time():
    due = lambda moment: "remind_call_deadlines" in [t.name for t in HUEY.read_periodic(moment)]  # noqa: E731
    # Huey's clock is naive UTC by default; 00:00 UTC is 08:00 in Shanghai.
    utc_eight_local = datetime(2026, 6, 1, 0, 0) if HUEY.utc else datetime(2026, 6, 1, 8, 0)

    assert due(utc_eight_local)
    assert not due(datetime(2026, 6, 1, 8, 0) if HUEY.utc else datetime(2026, 6, 1, 0, 0))
