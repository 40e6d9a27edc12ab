"""The organisation pages: public list and about page, the directory for members and managers, the
managers' queue, documents and export; another organisation's secretary is turned away."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanlian.community.models import JoinApplication, Member, OrgDocument
from sanlian.community.services.memberships import join_application_submit, member_add
from sanlian.community.services.org_documents import org_document_add
from sanlian.core.views import landing_url
from tests import factories
from tests.community.org_helpers import MINIMAL_PDF, NOW, two_organisations
from tests.downloads import assert_safe_download
from tests.xlsx import xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(pujiang_officer):
    return two_organisations(pujiang_officer)


def pdf(name="章程.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def enrol(secretary, organisation, enterprise, role="member"):
    return member_add(actor=secretary, organisation=organisation, kind="enterprise", enterprise=enterprise,
                      role=role, joined_date=date(2024, 5, 20), now=NOW)  # fmt: skip


def test_anonymous_visitors_see_the_list_the_leaders_and_public_documents_only(client, orgs, pujiang_enterprise):
    alliance, _, secretary, _ = orgs
    enrol(secretary, alliance, pujiang_enterprise, role="president")
    org_document_add(
        actor=secretary, organisation=alliance, title="联盟章程", visibility="public", upload=pdf(), now=NOW
    )
    org_document_add(actor=secretary, organisation=alliance, title="理事会纪要", visibility="members",
                     upload=pdf("纪要.pdf"), now=NOW)  # fmt: skip

    listing = client.get(reverse("orgs:list"))
    about = client.get(reverse("orgs:detail", args=[alliance.code]))

    assert listing.status_code == 200 and "浦江镇商会生物医药分会" in listing.text
    assert "浦江测试医疗器械有限公司" in about.text and "会长" in about.text
    assert "联盟章程" in about.text and "理事会纪要" not in about.text
    members_only = OrgDocument.objects.get(title="理事会纪要")
    assert client.get(reverse("orgs:document", args=[members_only.pk])).status_code == 404
    public = OrgDocument.objects.get(title="联盟章程")
    download = client.get(reverse("orgs:document", args=[public.pk]))
    assert_safe_download(download)
    assert client.get(reverse("orgs:members", args=[alliance.code])).status_code == 302  # to the login page


def test_a_member_sees_the_directory_and_members_only_documents_but_no_export(client, orgs, enterprise_admin):
    alliance, _, secretary, _ = orgs
    enrol(secretary, alliance, enterprise_admin.enterprise)
    org_document_add(actor=secretary, organisation=alliance, title="理事会纪要", visibility="members",
                     upload=pdf(), now=NOW)  # fmt: skip
    client.force_login(enterprise_admin)

    about = client.get(reverse("orgs:detail", args=[alliance.code]))
    directory = client.get(reverse("orgs:members", args=[alliance.code]))
    export = client.get(reverse("orgs:members", args=[alliance.code]), {"format": "xlsx"})

    assert "理事会纪要" in about.text and "您已是本组织会员" in about.text
    assert directory.status_code == 200 and "浦江测试医疗器械有限公司" in directory.text
    assert export.status_code == 403


def test_a_logged_in_non_member_is_refused_the_directory(client, orgs, xinzhuang_enterprise):
    client.force_login(factories.enterprise_user(xinzhuang_enterprise))

    assert client.get(reverse("orgs:members", args=[orgs[0].code])).status_code == 403


def test_the_directory_is_searchable_and_paginated(client, orgs, pujiang_officer):
    alliance, _, secretary, _ = orgs
    for i in range(35):
        enrol(secretary, alliance, factories.enterprise(name=f"浦江演示生物{i:02d}有限公司"))
    client.force_login(secretary)

    first = client.get(reverse("orgs:members", args=[alliance.code]))
    second = client.get(reverse("orgs:members", args=[alliance.code]), {"page": 2})
    found = client.get(reverse("orgs:members", args=[alliance.code]), {"q": "生物07"})

    assert "共 35 名会员" in first.text and "浦江演示生物34有限公司" in second.text
    assert "浦江演示生物07有限公司" in found.text and "浦江演示生物08有限公司" not in found.text


def test_the_export_masks_mobiles_and_makes_formula_like_names_inert(client, orgs):
    alliance, _, secretary, _ = orgs
    member_add(actor=secretary, organisation=alliance, kind="person", role="director", joined_date=date(2024, 6, 1),
               person={"person_name": "=HYPERLINK(\"x\")", "employer": "@evil", "mobile": "13912345678"},
               now=NOW)  # fmt: skip
    client.force_login(secretary)

    response = client.get(reverse("orgs:members", args=[alliance.code]), {"format": "xlsx"})

    rows = xlsx_rows(response)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert rows[1][0] == '\'=HYPERLINK("x")' and rows[1][4] == "'@evil"
    assert rows[1][5] == "139****5678"


def test_an_enterprise_admin_applies_through_the_page_and_sees_it_pending(client, orgs, enterprise_admin):
    alliance = orgs[0]
    client.force_login(enterprise_admin)

    refused = client.post(reverse("orgs:apply", args=[alliance.code]), {"kind": "enterprise", "statement": ""})
    sent = client.post(reverse("orgs:apply", args=[alliance.code]), {"kind": "enterprise", "statement": "申请加入"})
    about = client.get(reverse("orgs:detail", args=[alliance.code]))

    assert refused.status_code == 400 and "申请说明" in refused.text
    assert sent.status_code == 302
    assert "待审核" in about.text


def test_the_secretary_approves_from_the_queue_with_a_role(client, orgs, enterprise_admin):
    alliance, _, secretary, _ = orgs
    application = join_application_submit(actor=enterprise_admin, organisation=alliance, kind="enterprise",
                                          statement="申请加入", now=NOW)  # fmt: skip
    client.force_login(secretary)

    queue = client.get(reverse("orgs:applications", args=[alliance.code]))
    decide = reverse("orgs:application-decide", args=[application.pk])
    unknown = client.post(decide, {"action": "approve", "role": "chairman"}, follow=True)
    assert "请选择会内职务" in unknown.text and not Member.objects.exists()
    client.post(decide, {"action": "approve", "role": "director"})

    assert "申请加入" in queue.text
    assert Member.objects.get(organisation=alliance).role == "director"


def test_another_secretary_is_turned_away_from_every_management_page_and_changes_nothing(
    client, orgs, enterprise_admin
):
    alliance, _, _, theirs = orgs
    application = join_application_submit(actor=enterprise_admin, organisation=alliance, kind="enterprise",
                                          statement="申请加入", now=NOW)  # fmt: skip
    client.force_login(theirs)

    pages = [reverse(name, args=[alliance.code]) for name in ("orgs:applications", "orgs:documents", "orgs:members")]
    decide = client.post(reverse("orgs:application-decide", args=[application.pk]), {"action": "approve"})
    upload = client.post(reverse("orgs:documents", args=[alliance.code]),
                         {"title": "伪造", "visibility": "public", "file": pdf()})  # fmt: skip

    refusals = [client.get(url) for url in pages]
    assert [r.status_code for r in refusals] == [403, 403, 403]
    assert "无权管理「浦江镇生物医药产业联盟」" in refusals[0].text
    assert (decide.status_code, upload.status_code) == (403, 403)
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.PENDING
    assert not Member.objects.exists() and not OrgDocument.objects.exists()


def test_documents_are_uploaded_checked_by_content_and_removed(client, orgs):
    alliance, _, secretary, _ = orgs
    client.force_login(secretary)
    url = reverse("orgs:documents", args=[alliance.code])

    fake = client.post(url, {"title": "章程", "visibility": "public",
                             "file": SimpleUploadedFile("章程.pdf", b"MZ not a pdf")})  # fmt: skip
    client.post(url, {"title": "联盟章程", "visibility": "public", "file": pdf()})
    document = OrgDocument.objects.get()
    client.post(reverse("orgs:document-remove", args=[document.pk]))

    assert fake.status_code == 400 and "不支持的文件类型" in fake.text
    assert document.name == "章程.pdf"
    assert not OrgDocument.objects.exists()


def test_members_change_role_and_leave_from_the_directory(client, orgs, pujiang_enterprise):
    alliance, _, secretary, _ = orgs
    member = enrol(secretary, alliance, pujiang_enterprise)
    client.force_login(secretary)

    client.post(reverse("orgs:member-role", args=[member.pk]), {"role": "vice_president"})
    client.post(reverse("orgs:member-remove", args=[member.pk]), {"left_date": "2025-03-03"})

    member.refresh_from_db()
    assert (member.role, member.left_date) == ("vice_president", date(2025, 3, 3))


def test_a_secretary_lands_on_the_own_organisation(orgs):
    alliance, _, secretary, _ = orgs

    assert landing_url(secretary) == reverse("orgs:detail", args=[alliance.code])


def test_the_directory_page_costs_the_same_queries_for_five_members_or_thirty(client, orgs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alliance, _, secretary, _ = orgs
    client.force_login(secretary)
    url = reverse("orgs:members", args=[alliance.code])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(5):
        enrol(secretary, alliance, factories.enterprise())
    few = queries()
    for _ in range(25):
        enrol(secretary, alliance, factories.enterprise())

    assert queries() == few
