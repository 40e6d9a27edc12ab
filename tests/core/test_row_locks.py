"""Workflow transitions lock their row: of two concurrent approvals, one wins and one is refused clearly.

Real threads, each with its own database connection, start together at a Barrier; no turn-taking is
imposed by the test. PostgreSQL orders them by the row lock (SELECT … FOR UPDATE); SQLite by its
single writer (every transaction starts with BEGIN IMMEDIATE, see settings).
"""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from sanlian.core.locks import lock_for_transition, lock_row
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import AnnualReport
from tests import factories


def race(*actions):
    """Run the actions at the same moment in threads; returns each one's result or exception, in order."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except Exception as exc:  # the refusal is the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_approving_the_same_report_at_once_give_one_approval_and_one_clear_refusal():
    enterprise = factories.enterprise("pujiang")
    admin = factories.enterprise_user(enterprise)
    officers = [factories.officer("pujiang"), factories.officer("pujiang")]
    report = registry.annual_report_save(actor=admin, enterprise=enterprise, year=2024, data=factories.report_data())
    report = registry.annual_report_transition(actor=admin, report=report, action="submit")

    outcomes = race(
        *[lambda o=o: registry.annual_report_transition(actor=o, report=report, action="approve") for o in officers]
    )

    wins = [o for o in outcomes if isinstance(o, AnnualReport)]
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(wins) == 1 and len(refusals) == 1, outcomes
    assert "已通过" in refusals[0].message_dict["status"][0]
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED and report.reviewed_by == wins[0].reviewed_by
    assert enterprise.annual_reports.count() == 1
    from sanlian.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="report.approve").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_approval_racing_a_return_gives_one_outcome_and_the_loser_is_told_the_new_state():
    enterprise = factories.enterprise("pujiang")
    admin = factories.enterprise_user(enterprise)
    officer = factories.officer("pujiang")
    report = registry.annual_report_save(actor=admin, enterprise=enterprise, year=2024, data=factories.report_data())
    report = registry.annual_report_transition(actor=admin, report=report, action="submit")

    outcomes = race(
        lambda: registry.annual_report_transition(actor=officer, report=report, action="approve"),
        lambda: registry.annual_report_transition(actor=officer, report=report, action="return", comment="补充材料"),
    )

    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refusals) == 1, outcomes
    report.refresh_from_db()
    assert report.status in (AnnualReport.Status.APPROVED, AnnualReport.Status.RETURNED)
    assert report.get_status_display() in refusals[0].message_dict["status"][0]


@pytest.mark.django_db
def test_a_transition_from_a_state_the_row_has_left_is_refused_naming_the_field_and_nothing_changes(
    pujiang_officer, enterprise_admin, pujiang_enterprise
):
    report = registry.annual_report_save(
        actor=enterprise_admin, enterprise=pujiang_enterprise, year=2024, data=factories.report_data()
    )
    stale = AnnualReport.objects.get(pk=report.pk)  # a page opened before the submission

    registry.annual_report_transition(actor=enterprise_admin, report=report, action="submit")
    registry.annual_report_transition(actor=pujiang_officer, report=report, action="approve")
    with pytest.raises(ValidationError) as refused:
        registry.annual_report_transition(actor=pujiang_officer, report=stale, action="return", comment="重填")

    assert refused.value.message_dict["status"] == ["当前状态「已通过」不能执行该操作(可能已被他人处理),请刷新后重试"]
    stale.refresh_from_db()
    assert stale.status == AnnualReport.Status.APPROVED and stale.review_comment == ""


@pytest.mark.django_db
def test_the_lock_helper_refuses_outside_a_transaction_and_checks_the_permission_before_the_state(
    xinzhuang_officer, enterprise_admin, pujiang_enterprise
):
    report = registry.annual_report_save(
        actor=enterprise_admin, enterprise=pujiang_enterprise, year=2024, data=factories.report_data()
    )
    with transaction.atomic():
        assert lock_for_transition(AnnualReport, report.pk, allowed={"draft"}).pk == report.pk
        with pytest.raises(ValidationError):
            lock_for_transition(AnnualReport.objects.filter(year=2024), report.pk, allowed={"approved"})

    # Another town's officer learns nothing about the report's state: permission first.
    with pytest.raises(PermissionDenied):
        registry.annual_report_transition(actor=xinzhuang_officer, report=report, action="approve")


def test_the_lock_helper_must_run_inside_a_transaction():
    with pytest.raises(RuntimeError):
        lock_row(AnnualReport, 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_registrations_for_the_last_seat_at_once_give_one_seat_and_one_waiting_list_place():
    from tests.community.event_helpers import published_event, register

    officer = factories.officer("pujiang")
    event = published_event(officer, capacity=2)
    register(factories.enterprise_user(factories.enterprise("pujiang")), event)  # one seat left
    people = [factories.enterprise_user(factories.enterprise("pujiang")) for _ in range(2)]

    outcomes = race(*[lambda p=p: register(p, event) for p in people])

    assert sorted(o.status for o in outcomes) == ["approved", "waitlisted"], outcomes
    assert event.registrations.filter(status="approved").count() == 2
    assert list(event.registrations.filter(status="waitlisted").values_list("waitlist_position", flat=True)) == [1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirmations_of_one_dry_run_at_once_make_one_real_import():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanlian.imports.models import ImportJob
    from sanlian.imports.services import import_job_confirm, import_job_create, import_job_run
    from tests.imports.helpers import ENTERPRISE_HEADER, enterprise_row, xlsx

    officers = [factories.officer("pujiang"), factories.officer("pujiang")]
    upload = SimpleUploadedFile("名录.xlsx", xlsx([ENTERPRISE_HEADER, enterprise_row(factories.new_uscc())]))
    dry = import_job_create(actor=officers[0], kind="enterprises", upload=upload, dry_run=True)
    dry = import_job_run(dry.pk)

    outcomes = race(*[lambda o=o: import_job_confirm(actor=o, job=dry) for o in officers])

    assert sorted(type(o).__name__ for o in outcomes) == ["ImportJob", "ValidationError"], outcomes
    refusal = next(o for o in outcomes if isinstance(o, ValidationError))
    assert refusal.message_dict["job"] == ["该预检已确认导入,请勿重复提交"]
    assert ImportJob.objects.filter(dry_run=False).count() == 1
