"""Every place that shows a person's mobile masks it; the full value only through a logged reveal, to those
who manage the record: organisation members (page and API) and service providers' contacts (page and API)."""

from datetime import date

import pytest
from django.urls import reverse

from sanlian.community.services.memberships import member_add
from sanlian.core.models import AuditEvent
from tests.community.org_helpers import NOW, two_organisations
from tests.servicedesk.provider_helpers import provider

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
PERSON = {"person_name": "李四光", "person_title": "研究员", "employer": "复旦大学", "mobile": MOBILE}


@pytest.fixture
def orgs(pujiang_officer):
    return two_organisations(pujiang_officer)


@pytest.fixture
def member(orgs):
    alliance, _, secretary, _ = orgs
    return member_add(actor=secretary, organisation=alliance, kind="person", person=PERSON, role="member",
                      joined_date=date(2024, 5, 20), now=NOW)  # fmt: skip


@pytest.fixture
def listed(pujiang_officer):
    return provider(pujiang_officer, name="浦江演示知识产权代理有限公司", contact_name="李明", contact_mobile=MOBILE)


def reveals(action: str) -> list:
    return list(AuditEvent.objects.filter(action=action).values_list("actor__username", "changes"))


class TestMembers:
    def test_the_directory_masks_and_the_secretary_reveals_with_a_log(self, client, orgs, member):
        alliance, _, secretary, _ = orgs
        client.force_login(secretary)
        page = client.get(reverse("orgs:members", args=[alliance.code])).content.decode()
        assert "138****5678" in page and MOBILE not in page
        assert reverse("orgs:member-reveal", args=[member.pk]) in page

        revealed = client.post(reverse("orgs:member-reveal", args=[member.pk]))

        assert MOBILE in revealed.content.decode() and revealed["Cache-Control"] == "no-store"
        assert reveals("member.reveal") == [(secretary.username, {"field": "mobile"})]

    def test_another_organisation_s_secretary_cannot_reveal_and_nothing_is_logged(self, client, orgs, member):
        client.force_login(orgs[3])
        assert client.post(reverse("orgs:member-reveal", args=[member.pk])).status_code == 403
        assert reveals("member.reveal") == []

    def test_the_api_masks_the_list_and_reveals_with_a_log(self, api_as, orgs, member):
        alliance, _, secretary, theirs = orgs
        api = api_as(secretary)
        listed = api.get(f"/orgs/{alliance.code}/members").json()["items"]
        assert [row["mobile"] for row in listed] == ["138****5678"]

        assert api.post(f"/orgs/members/{member.pk}/reveal").json() == {"id": member.pk, "mobile": MOBILE}
        assert api_as(theirs).post(f"/orgs/members/{member.pk}/reveal").status_code == 404
        assert len(reveals("member.reveal")) == 1


class TestProviders:
    def test_the_page_masks_and_an_officer_reveals_with_a_log(self, client, listed, pujiang_officer):
        client.force_login(pujiang_officer)
        page = client.get(reverse("servicedesk:provider", args=[listed.pk])).content.decode()
        assert "138****5678" in page and MOBILE not in page

        revealed = client.post(reverse("servicedesk:provider-reveal", args=[listed.pk])).content.decode()

        assert MOBILE in revealed
        assert reveals("provider.reveal") == [(pujiang_officer.username, {"field": "contact_mobile"})]

    def test_an_enterprise_sees_the_mask_and_cannot_reveal(self, client, listed, enterprise_admin):
        client.force_login(enterprise_admin)
        page = client.get(reverse("servicedesk:provider", args=[listed.pk])).content.decode()
        assert "138****5678" in page and reverse("servicedesk:provider-reveal", args=[listed.pk]) not in page
        assert client.post(reverse("servicedesk:provider-reveal", args=[listed.pk])).status_code == 403
        assert reveals("provider.reveal") == []

    def test_the_api_reveals_to_an_officer_only_and_logs_it(self, api_as, listed, pujiang_officer, enterprise_admin):
        assert api_as(enterprise_admin).post(f"/desk/providers/{listed.pk}/reveal").status_code == 403
        body = api_as(pujiang_officer).post(f"/desk/providers/{listed.pk}/reveal").json()
        assert body == {"id": listed.pk, "contact_mobile": MOBILE}
        assert len(reveals("provider.reveal")) == 1
