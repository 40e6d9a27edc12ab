"""Joining an organisation: apply, approve into the directory, reject, withdraw; one of each at a time;
a secretary manages only their own organisation."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from sanlian.community.models import JoinApplication, Member
from sanlian.community.org_selectors import can_manage
from sanlian.community.services.memberships import (
    join_application_submit,
    join_application_transition,
    member_add,
    member_change_role,
    member_remove,
)
from sanlian.core.models import AuditEvent, Notification, Role
from tests import factories
from tests.community.org_helpers import NOW, two_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(pujiang_officer):
    return two_organisations(pujiang_officer)


def apply_as_enterprise(admin, organisation, **kwargs):
    return join_application_submit(
        actor=admin, organisation=organisation, kind="enterprise", statement="希望参与产业链协作", now=NOW, **kwargs
    )


def test_an_enterprise_admin_applies_for_the_own_enterprise_and_the_secretary_is_told(orgs, enterprise_admin):
    alliance, _, secretary, _ = orgs

    application = apply_as_enterprise(enterprise_admin, alliance)

    assert application.status == JoinApplication.Status.PENDING
    assert application.enterprise == enterprise_admin.enterprise
    assert Notification.objects.filter(recipient=secretary, url__contains="/applications/").exists()


def test_approving_creates_the_member_with_its_role_and_tells_the_applicant(orgs, enterprise_admin):
    alliance, _, secretary, _ = orgs
    application = apply_as_enterprise(enterprise_admin, alliance)

    join_application_transition(actor=secretary, application=application, action="approve", role="director", now=NOW)

    member = Member.objects.get(organisation=alliance, enterprise=enterprise_admin.enterprise)
    application.refresh_from_db()
    assert (member.role, member.joined_date, application.member) == ("director", NOW.date(), member)
    assert Notification.objects.filter(recipient=enterprise_admin, title__contains="您已加入").exists()
    assert AuditEvent.objects.filter(action="join_application.approve", target_id=str(application.pk)).exists()


def test_rejecting_needs_a_comment_and_the_applicant_reads_it(orgs, enterprise_admin):
    alliance, _, secretary, _ = orgs
    application = apply_as_enterprise(enterprise_admin, alliance)

    with pytest.raises(ValidationError) as refused:
        join_application_transition(actor=secretary, application=application, action="reject", comment=" ", now=NOW)
    join_application_transition(
        actor=secretary, application=application, action="reject", comment="请补充主营业务说明", now=NOW
    )

    assert "comment" in refused.value.message_dict
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.REJECTED
    assert Notification.objects.get(recipient=enterprise_admin, title__contains="未通过").body == "请补充主营业务说明"
    assert not Member.objects.exists()


def test_a_second_pending_application_and_an_application_of_a_member_are_refused(orgs, enterprise_admin):
    alliance, _, secretary, _ = orgs
    first = apply_as_enterprise(enterprise_admin, alliance)

    with pytest.raises(ValidationError) as twice:
        apply_as_enterprise(enterprise_admin, alliance)
    join_application_transition(actor=secretary, application=first, action="approve", now=NOW)
    with pytest.raises(ValidationError) as member_already:
        apply_as_enterprise(enterprise_admin, alliance)

    assert "待审核" in twice.value.message_dict["kind"][0]
    assert "已是该组织的会员" in member_already.value.message_dict["kind"][0]
    assert JoinApplication.objects.count() == 1


def test_a_staff_user_may_apply_only_as_a_person_with_a_name_and_a_valid_mobile(orgs, pujiang_enterprise):
    alliance = orgs[0]
    staff = factories.enterprise_user(pujiang_enterprise, role=Role.ENTERPRISE_STAFF, display_name="钱明")

    with pytest.raises(ValidationError) as as_enterprise:
        apply_as_enterprise(staff, alliance)
    with pytest.raises(ValidationError) as bad_person:
        join_application_submit(actor=staff, organisation=alliance, kind="person", statement="",
                                person={"person_name": "", "mobile": "12345"}, now=NOW)  # fmt: skip
    application = join_application_submit(
        actor=staff, organisation=alliance, kind="person", statement="从事注册申报工作十年",
        person={"person_name": "钱明", "person_title": "注册总监", "employer": "浦江测试医疗器械有限公司",
                "mobile": "13812345678"}, now=NOW,
    )  # fmt: skip

    assert "kind" in as_enterprise.value.message_dict
    assert {"person_name", "mobile", "statement"} <= set(bad_person.value.message_dict)
    assert application.mobile == "13812345678"


def test_an_officer_or_an_ambassador_cannot_apply(orgs, pujiang_officer):
    ambassador = factories.UserFactory(role=Role.AMBASSADOR)

    for user in (pujiang_officer, ambassador):
        with pytest.raises(PermissionDenied):
            join_application_submit(actor=user, organisation=orgs[0], kind="person", statement="x", now=NOW)


def test_the_applicant_withdraws_but_nobody_else_can(orgs, enterprise_admin):
    alliance, _, secretary, _ = orgs
    application = apply_as_enterprise(enterprise_admin, alliance)

    with pytest.raises(PermissionDenied):
        join_application_transition(actor=secretary, application=application, action="withdraw", now=NOW)
    join_application_transition(actor=enterprise_admin, application=application, action="withdraw", now=NOW)

    application.refresh_from_db()
    assert application.status == JoinApplication.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        join_application_transition(actor=secretary, application=application, action="approve", now=NOW)


def test_a_secretary_of_another_organisation_is_refused_with_a_message_and_nothing_changes(orgs, enterprise_admin):
    alliance, chamber, ours, theirs = orgs
    application = apply_as_enterprise(enterprise_admin, alliance)
    member = member_add(actor=ours, organisation=alliance, kind="enterprise", enterprise=enterprise_admin.enterprise,
                        role="member", joined_date=date(2024, 5, 20), now=NOW)  # fmt: skip

    refusals = [
        lambda: join_application_transition(actor=theirs, application=application, action="approve", now=NOW),
        lambda: member_change_role(actor=theirs, member=member, role="president", now=NOW),
        lambda: member_remove(actor=theirs, member=member, left_date=date(2025, 1, 1), now=NOW),
        lambda: member_add(actor=theirs, organisation=alliance, kind="person", person={"person_name": "王五"},
                           role="member", joined_date=date(2025, 1, 1), now=NOW),
    ]  # fmt: skip
    for refused in refusals:
        with pytest.raises(PermissionDenied) as denied:
            refused()
        assert "浦江镇生物医药产业联盟" in str(denied.value)

    application.refresh_from_db()
    member.refresh_from_db()
    assert (application.status, member.role, member.left_date) == ("pending", "member", None)
    assert Member.objects.count() == 1
    assert can_manage(ours, alliance) and not can_manage(theirs, alliance) and can_manage(theirs, chamber)


def test_officers_manage_organisations_in_their_area_only(orgs, pujiang_officer, xinzhuang_officer, district_officer):
    alliance = orgs[0]

    assert can_manage(pujiang_officer, alliance) and can_manage(district_officer, alliance)
    assert not can_manage(xinzhuang_officer, alliance)


def test_a_member_changes_role_and_leaves_and_may_then_join_again(orgs, enterprise_admin):
    alliance, _, secretary, _ = orgs
    member = member_add(
        actor=secretary, organisation=alliance, kind="enterprise", enterprise=enterprise_admin.enterprise,
        role="member", joined_date=date(2024, 5, 20), now=NOW,
    )  # fmt: skip

    member_change_role(actor=secretary, member=member, role="vice_president", now=NOW)
    with pytest.raises(ValidationError) as too_early:
        member_remove(actor=secretary, member=member, left_date=date(2024, 1, 1), now=NOW)
    member_remove(actor=secretary, member=member, left_date=NOW.date(), now=NOW)
    again = apply_as_enterprise(
        enterprise_admin,
        alliance,
    )

    member.refresh_from_db()
    assert (member.role, member.left_date) == ("vice_president", NOW.date())
    assert "left_date" in too_early.value.message_dict
    assert again.status == "pending"


def test_the_database_holds_one_active_membership_per_enterprise(orgs, enterprise_admin):
    alliance = orgs[0]
    row = {"organisation": alliance, "kind": "enterprise", "enterprise": enterprise_admin.enterprise,
           "joined_date": date(2024, 5, 20), "created_at": NOW, "updated_at": NOW}  # fmt: skip
    Member.objects.create(**row, left_date=date(2024, 12, 31))
    Member.objects.create(**row)

    with pytest.raises(IntegrityError):
        Member.objects.create(**row)


def test_a_persons_mobile_is_encrypted_at_rest(orgs):
    alliance, _, secretary, _ = orgs
    member = member_add(actor=secretary, organisation=alliance, kind="person", role="secretary_general",
                        person={"person_name": "唐立新", "mobile": "13900001111"}, joined_date=date(2024, 5, 20),
                        now=NOW + timedelta(days=1))  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM community_member WHERE id = %s", [member.pk])
        stored = cursor.fetchone()[0]

    assert "13900001111" not in str(stored)
