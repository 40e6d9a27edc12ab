"""Mass assignment: a form POST or API body that creates or edits a record, with extra fields naming a status,
another enterprise or region, an owner, a reviewer, a score or a staff flag, changes none of them."""

import json

import pytest
from django.test import Client

from sanlian.chain.models import Posting
from sanlian.community.models import Article
from sanlian.core.models import ApiToken, Notification
from sanlian.servicedesk.models import ServiceRequest
from sanlian.space.models import SpaceRequest


@pytest.fixture
def extra(world):
    b = world["objects"]["enterprise"]
    b_admin = world["owners"]["ent_b"]
    return {
        "status": "published", "enterprise": b.pk, "enterprise_id": b.pk, "region": b.town_id, "town": b.town_id,
        "region_id": b.town_id, "town_id": b.town_id, "owner": b_admin.pk, "user": b_admin.pk, "user_id": b_admin.pk,
        "author": b_admin.pk, "created_by": b_admin.pk, "is_staff": True, "is_superuser": True,
        "role": "district_officer", "reviewer": b_admin.pk, "score": 100, "total": 100,
        "approved_at": "2024-01-01T00:00:00+08:00", "published_at": "2024-01-01T00:00:00+08:00", "id": 999999,
    }  # fmt: skip


def api(world, role, method, path, body):
    client = Client()
    headers = {"Authorization": f"Bearer {world['keys'][role]}"}
    return getattr(client, method)("/api/v1" + path, json.dumps(body), content_type="application/json", headers=headers)


def page(world, role) -> Client:
    client = Client()
    client.force_login(world["users"][role])
    return client


def assert_user_unchanged(user):
    role = user.role
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser and user.role == role


def undeclared(extra, *declared):
    return {k: v for k, v in extra.items() if k not in declared}


def test_editing_the_own_enterprise_through_the_api_ignores_undeclared_fields(world, db, extra):
    admin, ent_a = world["users"]["ent_admin"], world["ent_a"]
    town = ent_a.town_id
    body = {"description": "我们做器械", **undeclared(extra, "town", "status")}

    response = api(world, "ent_admin", "patch", f"/enterprises/{ent_a.pk}", body)

    ent_a.refresh_from_db()
    assert response.status_code == 200, response.content
    assert ent_a.description == "我们做器械" and ent_a.town_id == town and ent_a.pk != extra["id"]
    assert_user_unchanged(admin)


def test_an_enterprise_admin_cannot_move_the_enterprise_to_another_town(world, db):
    ent_a = world["ent_a"]

    response = api(
        world, "ent_admin", "patch", f"/enterprises/{ent_a.pk}", {"description": "搬走", "town": "xinzhuang"}
    )

    ent_a.refresh_from_db()
    assert response.status_code == 422 and "town" in response.json()["errors"]
    assert ent_a.town.code == "pujiang" and ent_a.description != "搬走"


def test_a_desk_request_posted_with_another_enterprise_and_a_status_is_the_callers_and_submitted(world, db, extra):
    body = {"category": "policy", "title": "研发补贴咨询", "body": "请问本年度研发投入补贴如何申报?", **extra}

    response = api(world, "ent_admin", "post", "/desk/requests", body)

    assert response.status_code == 201, response.content
    created = ServiceRequest.objects.get(pk=response.json()["id"])
    assert created.enterprise_id == world["ent_a"].pk and created.status == ServiceRequest.Status.SUBMITTED
    assert_user_unchanged(world["users"]["ent_admin"])


def test_a_desk_request_form_with_extra_fields_is_the_callers_and_submitted(world, db, extra):
    form = {"category": "policy", "title": "研发补贴咨询二", "body": "请问本年度研发投入补贴如何申报?", **extra}

    page(world, "ent_staff").post("/desk/requests/new/", form)

    created = ServiceRequest.objects.get(title="研发补贴咨询二")
    assert created.enterprise_id == world["ent_a"].pk and created.status == ServiceRequest.Status.SUBMITTED
    assert_user_unchanged(world["users"]["ent_staff"])


def test_a_posting_posted_as_published_for_another_enterprise_is_the_callers_draft(world, db, extra):
    body = {
        "kind": "business_request", "title": "采购一次性无菌注射器", "nodes": ["M5"],
        "description": "采购细胞培养基定制服务,要求批量稳定供货。" * 3, **extra,
    }  # fmt: skip

    response = api(world, "ent_admin", "post", "/chain/postings", body)

    assert response.status_code == 201, response.content
    created = Posting.objects.get(pk=response.json()["id"])
    assert created.enterprise_id == world["ent_a"].pk and created.status == Posting.Status.DRAFT


def test_a_space_request_posted_for_another_enterprise_is_the_callers(world, db, extra):
    response = api(world, "ent_admin", "post", "/space/requests", {"purpose": "研发中试", "area_min": "500", **extra})

    assert response.status_code == 201, response.content
    created = SpaceRequest.objects.get(pk=response.json()["id"])
    assert created.enterprise_id == world["ent_a"].pk and created.status == SpaceRequest.Status.OPEN


def test_a_news_draft_posted_as_published_stays_a_draft_of_the_officers_town(world, db, extra):
    officer = world["users"]["town_officer"]
    body = {
        "title": "浦江镇生物医药产业人才周开幕", "summary": "人才赋能", "body": "5月20日下午,活动举行。" * 3,
        "kind": "activity", "region": "pujiang", **undeclared(extra, "region"),
    }  # fmt: skip

    response = api(world, "town_officer", "post", "/news", body)

    assert response.status_code == 201, response.content
    created = Article.objects.get(pk=response.json()["id"])
    assert created.region_id == officer.region_id and created.status == Article.Status.DRAFT
    assert_user_unchanged(officer)


def test_a_token_made_with_another_users_id_is_the_callers(world, db, extra):
    page(world, "ent_admin").post("/account/tokens/", {"name": "集成", "days": "30", **extra})

    token = ApiToken.objects.get(name="集成")
    assert token.user_id == world["users"]["ent_admin"].pk


def test_marking_another_users_notification_read_leaves_it_unread(world, db):
    theirs = world["objects"]["notification"]

    page(world, "ent_admin").post("/inbox/read/", {"id": theirs.pk})

    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.filter(pk=theirs.pk, read_at__isnull=True).exists()
