"""Every Huey job is retried with a delay and is safe to run twice: the second run changes nothing.

The jobs run on the small demo (scale 0.05) with the clock 40 days ahead, so that the scheduled ones find
work (overdue requests, expiring postings and listings, reminders, digests); the jobs started by a
change get their own fresh work (a notification to deliver, a queued import, a batch of certificates).
"""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from sanlian.chain import event_tasks as chain_event_tasks
from sanlian.chain import tasks as chain_tasks
from sanlian.community import tasks as community_tasks
from sanlian.community.models import DocumentBatch
from sanlian.community.services.event_documents import document_batch_start
from sanlian.core import tasks as core_tasks
from sanlian.core.jobs import task_path
from sanlian.core.models import Notification, User
from sanlian.core.services import notification_send
from sanlian.demo import imports as demo_imports
from sanlian.demo.services import demo_load
from sanlian.enterprises.models import Enterprise
from sanlian.imports import tasks as import_tasks
from sanlian.imports.services import import_job_create
from sanlian.policies import call_tasks
from sanlian.policies import tasks as policy_tasks
from sanlian.search import tasks as search_tasks
from sanlian.servicedesk import tasks as desk_tasks
from sanlian.space import tasks as space_tasks


def fingerprint() -> str:
    """A digest of every row of every table the app's models own, surrogate keys left out.

    Without the auto primary key, a row deleted and written again with the same content (the search
    index rewrites an object's documents that way) counts as unchanged; any new, lost or changed row
    still changes the digest.
    """
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            fields = [f.attname for f in model._meta.concrete_fields if not (f.primary_key and f.get_internal_type()
                      in ("AutoField", "BigAutoField"))]  # fmt: skip
            for row in sorted(repr(r) for r in model._default_manager.values_list(*fields)):
                digest.update(row.encode())
    return digest.hexdigest()


def test_every_registered_job_is_retried_after_a_delay():
    tasks = list(HUEY._registry._registry.values())

    assert len(tasks) >= 14
    assert [t.__name__ for t in tasks if not (t.default_retries >= 2 and t.default_retry_delay >= 30)] == []


@pytest.mark.django_db
def test_each_job_run_twice_does_its_work_once(settings):
    settings.SANLIAN_SMS_GATEWAY = "sanlian.core.sms.LogGateway"
    demo_load(scale=0.05)
    officer = User.objects.get(username="pj_officer")
    officer.email, officer.phone = "pj@example.cn", "13800000000"
    officer.save()
    note = notification_send(recipients=[officer], title="待办", channels=("inbox", "email", "sms"))[0]
    upload = SimpleUploadedFile(demo_imports.FILE_NAME, demo_imports.sample_sheet())
    job = import_job_create(actor=officer, kind="enterprises", upload=upload, dry_run=True)
    event = DocumentBatch.objects.order_by("pk").first().event
    batch = document_batch_start(actor=officer, event=event, kind="ambassador", people=["幂等测试"], now=timezone.now())
    some = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:5])

    jobs = [
        (core_tasks.deliver_notifications, {"notification_ids": [note.pk]}),
        (core_tasks.send_daily_digests, {}),
        (core_tasks.purge_audit_events, {}),
        (community_tasks.render_document_batch, {"batch_id": batch.pk}),
        (import_tasks.run_import_job, {"job_id": job.pk}),
        (search_tasks.refresh_documents, {"kind": "enterprise", "object_ids": some}),
        (policy_tasks.refresh_eligibility, {"enterprise_ids": some}),
        (policy_tasks.nightly_eligibility, {}),
        (call_tasks.remind_call_deadlines, {}),
        (desk_tasks.escalate_overdue_requests, {}),
        (desk_tasks.autoclose_resolved_requests, {}),
        (chain_tasks.expire_postings, {}),
        (chain_event_tasks.expire_meeting_requests, {}),
        (space_tasks.expire_space_listings, {}),
        (core_tasks.flush_outbox, {}),  # last: it runs the follow-ups the jobs above queued
    ]
    assert {task_path(t) for t, _ in jobs} == set(HUEY._registry._registry)  # none left out

    did_work, repeated = [], []
    with time_machine.travel(timezone.now() + timedelta(days=40), tick=False):
        for task, kwargs in jobs:
            before = (fingerprint(), len(mail.outbox))
            task.call_local(**kwargs)  # what the consumer runs
            first = (fingerprint(), len(mail.outbox))
            task.call_local(**kwargs)
            if first != before:
                did_work.append(task.task_class.__name__)
            if (fingerprint(), len(mail.outbox)) != first:
                repeated.append(task.task_class.__name__)

    assert repeated == []
    # The jobs given work did it (the scheduled ones depend on the demo's dates).
    assert {"deliver_notifications", "render_document_batch", "run_import_job", "flush_outbox"} <= set(did_work)
    note.refresh_from_db()
    assert note.emailed_at and note.sms_sent_at
    assert [m.to for m in mail.outbox].count(["pj@example.cn"]) >= 1
    assert Notification.objects.filter(pk=note.pk).count() == 1
