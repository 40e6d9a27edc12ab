"""News, events and organisations in /api/v1: public reads, writes with the pages' scopes, 404 out of scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanlian.community.models import Article, JoinApplication, Member, Registration
from sanlian.community.services import events as event_services
from sanlian.core.models import AuditEvent
from tests import factories
from tests.community.event_helpers import event_data
from tests.community.news_helpers import article_data, draft, published
from tests.community.org_helpers import organisation

from .client import ApiClient

# ---------------------------------------------------------------- news


@pytest.fixture
def reviewer(db):
    return factories.officer("pujiang", username="pj_reviewer")


def test_anyone_lists_and_reads_published_news_but_not_drafts(pujiang_officer, reviewer):
    public = published(pujiang_officer, reviewer, title="浦江人才周开幕")
    hidden = draft(pujiang_officer, title="尚未发布的草稿")
    anonymous = ApiClient()

    listed = anonymous.get("/news").json()["items"]

    assert [a["title"] for a in listed] == ["浦江人才周开幕"]
    assert anonymous.get(f"/news/{public.pk}").json()["body"].startswith("5月20日")
    assert anonymous.get(f"/news/{hidden.pk}").status_code == 404


def test_an_officer_reads_a_draft_of_their_town_and_another_towns_officer_gets_404(
    api_as, pujiang_officer, xinzhuang_officer
):
    article = draft(pujiang_officer)

    assert api_as(pujiang_officer).get(f"/news/{article.pk}").json()["status"] == "draft"
    assert api_as(xinzhuang_officer).get(f"/news/{article.pk}").status_code == 404


def test_an_officer_drafts_an_article_for_their_town(api_as, pujiang_officer):
    extra = {"status": "published", "author": 1, "is_staff": True, "is_superuser": True}
    body = {**article_data(), "region": "pujiang", "tags": ["人才", "论坛"], **extra}

    response = api_as(pujiang_officer).post("/news", body)

    assert response.status_code == 201, response.json()
    article = Article.objects.get(pk=response.json()["id"])
    assert article.status == "draft" and article.author == pujiang_officer  # status and author ignored
    pujiang_officer.refresh_from_db()
    assert not pujiang_officer.is_staff and not pujiang_officer.is_superuser
    assert sorted(response.json()["tags"]) == ["人才", "论坛"]


def test_an_officer_cannot_draft_for_another_town(api_as, pujiang_officer):
    response = api_as(pujiang_officer).post("/news", {**article_data(), "region": "xinzhuang"})

    assert response.status_code == 422
    assert "region" in response.json()["errors"]
    assert not Article.objects.exists()


def test_a_draft_without_title_or_body_is_refused_with_the_fields_named(api_as, pujiang_officer):
    response = api_as(pujiang_officer).post("/news", {"title": " ", "kind": "policy", "body": "", "region": "pujiang"})

    assert response.status_code == 422
    assert {"title", "body"} <= set(response.json()["errors"])


def test_an_enterprise_user_may_not_write_news(api_as, enterprise_admin):
    response = api_as(enterprise_admin).post("/news", {**article_data(), "region": "pujiang"})

    assert response.status_code == 403


def test_a_patch_changes_only_what_it_sends_and_keeps_the_tags(api_as, pujiang_officer):
    article = draft(pujiang_officer, tags=("人才",))

    response = api_as(pujiang_officer).patch(f"/news/{article.pk}", {"title": "新标题", "status": "published"})

    assert response.status_code == 200
    assert response.json()["title"] == "新标题" and response.json()["tags"] == ["人才"]
    assert response.json()["status"] == "draft"


def test_another_towns_officer_cannot_edit_or_move_an_article(api_as, pujiang_officer, xinzhuang_officer):
    article = draft(pujiang_officer)
    client = api_as(xinzhuang_officer)

    assert client.patch(f"/news/{article.pk}", {"title": "改"}).status_code == 404
    assert client.post(f"/news/{article.pk}/transition", {"action": "submit"}).status_code == 404


def test_an_article_is_submitted_and_published_by_another_officer(api_as, pujiang_officer, reviewer):
    article = draft(pujiang_officer)
    api_as(pujiang_officer).post(f"/news/{article.pk}/transition", {"action": "submit"})

    own = api_as(pujiang_officer).post(f"/news/{article.pk}/transition", {"action": "publish"})
    other = api_as(reviewer).post(f"/news/{article.pk}/transition", {"action": "publish"})

    assert own.status_code in (403, 422)  # four eyes: never the author
    assert other.status_code == 200 and other.json()["status"] == "published"


def test_an_unknown_transition_is_refused_naming_action(api_as, pujiang_officer):
    article = draft(pujiang_officer)

    response = api_as(pujiang_officer).post(f"/news/{article.pk}/transition", {"action": "delete"})

    assert response.status_code == 422 and "action" in response.json()["errors"]


# ---------------------------------------------------------------- events


def open_event(organiser, **overrides):
    """A published event whose registration is open now (the helpers' fixed dates are in the past)."""
    now = timezone.now()
    starts = now + timedelta(days=10)
    data = event_data(
        starts_at=starts, ends_at=starts + timedelta(hours=4), registration_opens_at=now - timedelta(days=1),
        registration_closes_at=starts - timedelta(days=1), **overrides,
    )  # fmt: skip
    event = event_services.event_create(actor=organiser, data=data, now=now)
    return event_services.event_transition(actor=organiser, event=event, action="publish", now=now)


def test_anyone_lists_published_events_and_drafts_stay_hidden(pujiang_officer):
    event = open_event(pujiang_officer)
    hidden = event_services.event_create(actor=pujiang_officer, data=event_data(title="草稿活动"), now=timezone.now())

    listed = ApiClient().get("/events").json()["items"]

    assert [e["id"] for e in listed] == [event.pk]
    assert listed[0]["seats_left"] == 2
    assert ApiClient().get(f"/events/{hidden.pk}").status_code == 404


def test_a_user_registers_sees_it_in_my_registrations_and_cancels(api_as, pujiang_officer, enterprise_admin):
    event = open_event(pujiang_officer)
    client = api_as(enterprise_admin)

    created = client.post(f"/events/{event.pk}/registrations", {"status": "approved", "user": 1})
    mine = client.get("/events/registrations").json()["items"]
    detail = client.get(f"/events/{event.pk}").json()
    cancelled = client.post(f"/events/registrations/{created.json()['id']}/cancel")

    assert created.status_code == 201 and created.json()["status"] == "approved"
    assert [r["event"] for r in mine] == [event.pk]
    assert detail["my_registration"]["id"] == created.json()["id"]
    assert cancelled.json()["status"] == "cancelled"


def test_registering_twice_is_refused(api_as, pujiang_officer, enterprise_admin):
    event = open_event(pujiang_officer)
    client = api_as(enterprise_admin)
    client.post(f"/events/{event.pk}/registrations")

    response = client.post(f"/events/{event.pk}/registrations")

    assert response.status_code == 422
    assert Registration.objects.filter(event=event).count() == 1


def test_a_user_cannot_cancel_someone_elses_registration(
    api_as, pujiang_officer, enterprise_admin, xinzhuang_enterprise
):
    event = open_event(pujiang_officer)
    registration = event_services.registration_create(actor=enterprise_admin, event=event, now=timezone.now())
    other = factories.enterprise_user(xinzhuang_enterprise)

    response = api_as(other).post(f"/events/registrations/{registration.pk}/cancel")

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "approved"


def test_only_the_organiser_lists_and_decides_registrations(
    api_as, pujiang_officer, xinzhuang_officer, enterprise_admin
):
    event = open_event(pujiang_officer, requires_approval=True)
    registration = event_services.registration_create(actor=enterprise_admin, event=event, now=timezone.now())

    assert api_as(xinzhuang_officer).get(f"/events/{event.pk}/registrations").status_code == 404
    assert (
        api_as(enterprise_admin)
        .post(f"/events/registrations/{registration.pk}/decide", {"action": "approve"})
        .status_code
        == 404
    )
    rows = api_as(pujiang_officer).get(f"/events/{event.pk}/registrations").json()["items"]
    decided = api_as(pujiang_officer).post(f"/events/registrations/{registration.pk}/decide", {"action": "approve"})

    assert [r["status"] for r in rows] == ["pending"]
    assert decided.status_code == 200 and decided.json()["status"] == "approved"


def test_the_organiser_checks_a_registration_in_at_the_door(api_as, pujiang_officer, enterprise_admin):
    now = timezone.now()
    data = event_data(
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=2),
        registration_opens_at=now - timedelta(days=2), registration_closes_at=now + timedelta(hours=1),
    )  # fmt: skip
    event = event_services.event_create(actor=pujiang_officer, data=data, now=now - timedelta(days=3))
    event_services.event_transition(actor=pujiang_officer, event=event, action="publish", now=now - timedelta(days=3))
    registration = event_services.registration_create(actor=enterprise_admin, event=event, now=now)

    bad = api_as(pujiang_officer).post(f"/events/{event.pk}/check-in", {"scanned": "nope"})
    done = api_as(pujiang_officer).post(f"/events/{event.pk}/check-in", {"scanned": registration.checkin_token})

    assert bad.status_code == 422 and "scanned" in bad.json()["errors"]
    assert done.status_code == 200 and done.json()["checked_in_at"]


# ---------------------------------------------------------------- organisations


@pytest.fixture
def alliance(pujiang_officer):
    secretary = factories.org_secretary(username="alliance_sec")
    return organisation(pujiang_officer, secretaries=[secretary]), secretary


def test_anyone_lists_and_reads_organisations(alliance):
    org, _secretary = alliance

    listed = ApiClient().get("/orgs").json()["items"]

    assert [o["code"] for o in listed] == [org.code]
    assert ApiClient().get(f"/orgs/{org.code}").json()["member_count"] == 0
    assert ApiClient().get("/orgs/nowhere").status_code == 404


def test_an_enterprise_applies_and_the_secretary_approves(api_as, alliance, enterprise_admin):
    org, secretary = alliance

    applied = api_as(enterprise_admin).post(
        f"/orgs/{org.code}/applications", {"kind": "enterprise", "statement": "希望加入联盟", "status": "approved"}
    )
    queue = api_as(secretary).get(f"/orgs/{org.code}/applications").json()["items"]
    decided = api_as(secretary).post(f"/orgs/applications/{applied.json()['id']}/decide", {"action": "approve"})

    assert applied.status_code == 201 and applied.json()["status"] == "pending"
    assert [a["id"] for a in queue] == [applied.json()["id"]]
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert Member.objects.filter(organisation=org, enterprise=enterprise_admin.enterprise).exists()


def test_an_application_without_a_statement_is_refused_naming_it(api_as, alliance, enterprise_admin):
    org, _secretary = alliance

    response = api_as(enterprise_admin).post(f"/orgs/{org.code}/applications", {"kind": "enterprise", "statement": ""})

    assert response.status_code == 422 and "statement" in response.json()["errors"]
    assert not JoinApplication.objects.exists()


def test_an_officer_may_not_apply_to_join(api_as, alliance, pujiang_officer):
    org, _secretary = alliance

    response = api_as(pujiang_officer).post(f"/orgs/{org.code}/applications", {"kind": "person", "statement": "x"})

    assert response.status_code == 403


def test_another_organisations_secretary_sees_and_decides_nothing(api_as, alliance, enterprise_admin):
    org, _secretary = alliance
    other = factories.org_secretary(username="other_sec")
    applied = api_as(enterprise_admin).post(
        f"/orgs/{org.code}/applications", {"kind": "enterprise", "statement": "加入"}
    )

    assert api_as(other).get(f"/orgs/{org.code}/applications").status_code == 404
    response = api_as(other).post(f"/orgs/applications/{applied.json()['id']}/decide", {"action": "approve"})
    assert response.status_code == 404
    assert JoinApplication.objects.get().status == "pending"


def test_the_member_directory_is_for_members_and_managers_only(
    api_as, alliance, enterprise_admin, xinzhuang_enterprise
):
    org, secretary = alliance
    applied = api_as(enterprise_admin).post(
        f"/orgs/{org.code}/applications", {"kind": "enterprise", "statement": "加入"}
    )
    api_as(secretary).post(f"/orgs/applications/{applied.json()['id']}/decide", {"action": "approve"})
    outsider = factories.enterprise_user(xinzhuang_enterprise)

    assert api_as(outsider).get(f"/orgs/{org.code}/members").status_code == 404
    assert len(api_as(enterprise_admin).get(f"/orgs/{org.code}/members").json()["items"]) == 1
    member = api_as(secretary).get(f"/orgs/{org.code}/members").json()["items"][0]
    role = api_as(secretary).post(f"/orgs/members/{member['id']}/role", {"role": "director"})
    refused = api_as(enterprise_admin).post(f"/orgs/members/{member['id']}/role", {"role": "president"})
    assert role.json()["role"] == "director" and refused.status_code == 404
    assert AuditEvent.objects.filter(action__startswith="member").exists()


def test_a_member_leaves_with_a_valid_date_only(api_as, alliance, enterprise_admin):
    org, secretary = alliance
    applied = api_as(enterprise_admin).post(
        f"/orgs/{org.code}/applications", {"kind": "enterprise", "statement": "加入"}
    )
    api_as(secretary).post(f"/orgs/applications/{applied.json()['id']}/decide", {"action": "approve"})
    member = Member.objects.get()

    bad = api_as(secretary).post(f"/orgs/members/{member.pk}/remove", {"left_date": "tomorrow"})
    good = api_as(secretary).post(f"/orgs/members/{member.pk}/remove", {"left_date": str(timezone.localdate())})

    assert bad.status_code == 422 and "left_date" in bad.json()["errors"]
    assert good.status_code == 200
    member.refresh_from_db()
    assert member.left_date == timezone.localdate()
