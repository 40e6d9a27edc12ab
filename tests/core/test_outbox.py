"""Follow-up jobs go through the outbox: a queue (Redis) outage never fails a submission nor loses its job."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from sanlian.core.jobs import enqueue, outbox_flush
from sanlian.core.models import Notification, OutboxJob
from sanlian.core.tasks import deliver_notifications
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import AnnualReport
from tests import factories

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:6390/0"  # nothing listens there: Redis is "down"


@contextmanager
def queue_at(url: str):
    """Point the app's Huey at a RedisHuey queue at `url` (tests otherwise run tasks in-process)."""
    queue = RedisHuey("sanlian-test-outbox", url=url)
    saved = HUEY.storage, HUEY._immediate
    HUEY._immediate, HUEY.storage = False, queue.storage
    try:
        yield queue
    finally:
        HUEY.storage, HUEY._immediate = saved


@pytest.fixture
def submitted_with_redis_down(django_capture_on_commit_callbacks, pujiang_enterprise, enterprise_admin):
    factories.officer("pujiang", email="officer@example.cn")
    report = registry.annual_report_save(
        actor=enterprise_admin, enterprise=pujiang_enterprise, year=2024, data=factories.report_data()
    )
    with queue_at(CLOSED_PORT), django_capture_on_commit_callbacks(execute=True):
        report = registry.annual_report_transition(actor=enterprise_admin, report=report, action="submit")
    return report


def test_a_submission_succeeds_with_redis_down_and_its_follow_up_job_waits_in_the_outbox(submitted_with_redis_down):
    report = AnnualReport.objects.get(pk=submitted_with_redis_down.pk)
    job = OutboxJob.objects.get()

    assert report.status == AnnualReport.Status.SUBMITTED
    assert job.task == "sanlian.core.tasks.deliver_notifications"
    assert job.kwargs == {"notification_ids": list(Notification.objects.values_list("pk", flat=True))}
    assert job.attempts == 1 and "ConnectionError" in job.last_error
    assert mail.outbox == []


def test_once_redis_is_back_the_flush_enqueues_the_waiting_job_once_and_the_worker_sends_it(
    submitted_with_redis_down, redis_url
):
    with queue_at(redis_url) as queue:
        queue.storage.flush_queue()
        still_down = None
        with queue_at(CLOSED_PORT):
            still_down = outbox_flush(grace=timedelta(0))
        result = outbox_flush(grace=timedelta(0))
        again = outbox_flush(grace=timedelta(0))
        messages = [HUEY.deserialize_task(queue.storage.dequeue()) for _ in range(queue.storage.queue_size())]
        queue.storage.flush_queue()

    assert still_down == {"handed_over": 0, "waiting": 1, "failed": True}
    assert result == {"handed_over": 1, "waiting": 0, "failed": False}
    assert again == {"handed_over": 0, "waiting": 0, "failed": False}
    assert [(m.name, m.kwargs) for m in messages] == [
        ("deliver_notifications", {"notification_ids": list(Notification.objects.values_list("pk", flat=True))})
    ]
    HUEY.execute(messages[0])  # what the consumer does
    assert [m.to for m in mail.outbox] == [["officer@example.cn"]]


def test_jobs_flush_reports_json_and_fails_while_the_queue_is_still_down(submitted_with_redis_down, capsys):
    with queue_at(CLOSED_PORT), pytest.raises(CommandError) as refused:
        call_command("jobs_flush", "--all")
    assert "1" in str(refused.value)

    call_command("jobs_flush", "--all")  # tests' Huey runs in-process again: the job runs now

    assert '"handed_over": 1' in capsys.readouterr().out
    assert not OutboxJob.objects.exists() and len(mail.outbox) == 1


def test_the_flush_leaves_rows_still_being_handed_over_by_their_own_commit(submitted_with_redis_down):
    assert outbox_flush()["handed_over"] == 0  # younger than the grace period
    assert OutboxJob.objects.count() == 1


def test_an_enqueue_rolled_back_with_its_transaction_leaves_no_job(django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue(deliver_notifications, notification_ids=[1])
        raise RuntimeError("the submission failed")

    assert callbacks == [] and not OutboxJob.objects.exists()
