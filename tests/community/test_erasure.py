"""Community members and applicants who withdraw lose their personal data (PIPL art. 15 and 47): the mobile
and title are gone from the rows, the name is a mask, the audit names no value."""

from datetime import date

import pytest
from django.db import connection

from sanlian.community.models import JoinApplication, Member, Registration
from sanlian.community.services.memberships import (
    join_application_submit,
    join_application_transition,
    member_add,
    member_remove,
)
from sanlian.core.erasure import person_erase
from sanlian.core.models import AuditEvent, Role
from tests import factories
from tests.community.event_helpers import NOW as EVENT_NOW
from tests.community.event_helpers import published_event, register
from tests.community.org_helpers import NOW, two_organisations

pytestmark = pytest.mark.django_db

PERSON = {"person_name": "李四光", "person_title": "研究员", "employer": "复旦大学", "mobile": "13812345678"}


def stored(model, pk) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT person_name, person_title, mobile FROM {model._meta.db_table} WHERE id = %s",
            [pk],  # noqa: S608
        )
        return cursor.fetchone()


@pytest.fixture
def orgs(pujiang_officer):
    return two_organisations(pujiang_officer)


@pytest.fixture
def talent():
    return factories.UserFactory(role=Role.TALENT, display_name="李四光")


def apply_as_person(user, organisation):
    return join_application_submit(
        actor=user, organisation=organisation, kind="person", statement="本人从事抗体研究十年", person=PERSON, now=NOW
    )


def test_a_person_member_who_leaves_keeps_only_a_masked_name(orgs):
    alliance, _, secretary, _ = orgs
    member = member_add(actor=secretary, organisation=alliance, kind="person", person=PERSON, role="member",
                        joined_date=date(2024, 5, 20), now=NOW)  # fmt: skip
    assert Member.objects.get(pk=member.pk).mobile == "13812345678"

    member_remove(actor=secretary, member=member, left_date=NOW.date(), now=NOW)

    assert stored(Member, member.pk) == ("李**", "", None)
    logged = AuditEvent.objects.get(action="member.remove")
    assert "李四光" not in str(logged.changes) and "13812345678" not in str(logged.changes)
    assert set(logged.changes["erased"]) == {"mobile", "person_title", "person_name"}


def test_an_enterprise_member_who_leaves_keeps_its_name(orgs, enterprise_admin):
    alliance, _, secretary, _ = orgs
    member = member_add(
        actor=secretary, organisation=alliance, kind="enterprise", enterprise=enterprise_admin.enterprise,
        role="member", joined_date=date(2024, 5, 20), now=NOW,
    )  # fmt: skip
    member_remove(actor=secretary, member=member, left_date=NOW.date(), now=NOW)
    assert Member.objects.get(pk=member.pk).display_name == enterprise_admin.enterprise.name


def test_a_withdrawn_join_application_loses_its_personal_data(orgs, talent):
    application = apply_as_person(talent, orgs[0])

    join_application_transition(actor=talent, application=application, action="withdraw", now=NOW)

    assert stored(JoinApplication, application.pk) == ("李**", "", None)
    assert JoinApplication.objects.get(pk=application.pk).statement == ""


def test_deleting_the_account_erases_memberships_applications_and_cancels_registrations(orgs, talent, pujiang_officer):
    alliance, chamber, secretary, _ = orgs
    pending = apply_as_person(talent, chamber)
    approved = apply_as_person(talent, alliance)
    join_application_transition(actor=secretary, application=approved, action="approve", now=NOW)
    member = Member.objects.get(user=talent)
    registration = register(talent, published_event(pujiang_officer))

    counts = person_erase(actor=talent, user=talent, now=EVENT_NOW)

    assert counts["community.members"] == 1 and counts["community.join_applications"] == 2
    assert stored(Member, member.pk) == ("李**", "", None)
    assert Member.objects.get(pk=member.pk).left_date is not None
    assert stored(JoinApplication, pending.pk) == ("李**", "", None)
    assert JoinApplication.objects.get(pk=pending.pk).status == "withdrawn"
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CANCELLED
