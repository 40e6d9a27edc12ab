"""IP portfolios and the inbox in /api/v1: scoped like the pages, extra fields ignored, 422 with the field."""

import pytest

from sanlian.core.services import notification_send
from sanlian.servicedesk.models import IPAsset
from sanlian.servicedesk.services.ip import ip_asset_add
from tests import factories
from tests.servicedesk.ip_helpers import invention, patent_number, trademark

from .client import ApiClient


def _json(data: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


@pytest.fixture
def pujiang_asset(pujiang_enterprise):
    return ip_asset_add(actor=factories.superuser(), enterprise=pujiang_enterprise, data=invention())


def test_an_enterprise_adds_an_asset_to_its_own_portfolio(api_as, enterprise_admin, pujiang_enterprise):
    body = _json(trademark()) | {"enterprise": 999, "expiry_date": "2099-01-01"}

    response = api_as(enterprise_admin).post(f"/enterprises/{pujiang_enterprise.pk}/ip", body)

    assert response.status_code == 201, response.json()
    asset = IPAsset.objects.get()
    assert asset.enterprise == pujiang_enterprise and asset.number == "61234567"
    assert not asset.expiry_manual  # only officers correct an expiry date


def test_an_enterprise_cannot_read_or_add_to_another_enterprises_portfolio(
    api_as, enterprise_admin, xinzhuang_enterprise
):
    other = ip_asset_add(actor=factories.superuser(), enterprise=xinzhuang_enterprise, data=invention())
    client = api_as(enterprise_admin)

    assert client.get(f"/enterprises/{xinzhuang_enterprise.pk}/ip").status_code == 404
    assert client.post(f"/enterprises/{xinzhuang_enterprise.pk}/ip", _json(trademark())).status_code == 404
    assert client.get(f"/ip/assets/{other.pk}").status_code == 404
    assert client.patch(f"/ip/assets/{other.pk}", {"title": "改"}).status_code == 404
    assert [a["id"] for a in client.get("/ip/assets").json()["items"]] == []


def test_another_towns_officer_gets_404_and_the_towns_officer_sees_it(
    api_as, pujiang_asset, pujiang_officer, xinzhuang_officer
):
    assert api_as(xinzhuang_officer).get(f"/ip/assets/{pujiang_asset.pk}").status_code == 404
    assert api_as(xinzhuang_officer).get("/ip/assets").json()["items"] == []
    assert [a["id"] for a in api_as(pujiang_officer).get("/ip/assets").json()["items"]] == [pujiang_asset.pk]


def test_a_bad_number_and_a_future_date_are_refused_with_the_fields_named(api_as, enterprise_admin, pujiang_enterprise):
    body = _json(invention(number="123", filing_date="2999-01-01"))

    response = api_as(enterprise_admin).post(f"/enterprises/{pujiang_enterprise.pk}/ip", body)

    assert response.status_code == 422
    assert {"number", "filing_date"} <= set(response.json()["errors"])
    assert not IPAsset.objects.exists()


def test_a_patch_changes_only_what_it_sends(api_as, enterprise_admin, pujiang_asset):
    response = api_as(enterprise_admin).patch(f"/ip/assets/{pujiang_asset.pk}", {"title": "改进的微流控芯片"})

    assert response.status_code == 200
    assert response.json()["title"] == "改进的微流控芯片" and response.json()["number"] == pujiang_asset.number


def test_an_officer_corrects_an_expiry_date_and_marks_lapsed(api_as, pujiang_officer, pujiang_asset):
    client = api_as(pujiang_officer)

    corrected = client.patch(f"/ip/assets/{pujiang_asset.pk}", {"expiry_date": "2040-01-01"})
    lapsed = client.post(f"/ip/assets/{pujiang_asset.pk}/lapse")

    assert corrected.json()["expiry_date"] == "2040-01-01" and corrected.json()["expiry_manual"] is True
    assert lapsed.json()["status"] == "lapsed"


def test_enterprise_staff_read_but_may_not_edit(api_as, pujiang_enterprise, pujiang_asset):
    from sanlian.core.models import Role

    staff = factories.enterprise_user(pujiang_enterprise, role=Role.ENTERPRISE_STAFF)

    assert api_as(staff).get(f"/ip/assets/{pujiang_asset.pk}").status_code == 200
    assert api_as(staff).patch(f"/ip/assets/{pujiang_asset.pk}", {"title": "改"}).status_code == 403


def test_a_duplicate_number_is_refused(api_as, enterprise_admin, pujiang_enterprise, pujiang_asset):
    body = _json(invention(number=patent_number("invention")))

    response = api_as(enterprise_admin).post(f"/enterprises/{pujiang_enterprise.pk}/ip", body)

    assert response.status_code == 422 and "number" in response.json()["errors"]


def test_ip_needs_credentials(db):
    assert ApiClient().get("/ip/assets").status_code == 401


# ---------------------------------------------------------------- inbox


def test_the_inbox_lists_only_the_users_messages_and_marks_them_read(api_as, pujiang_officer, xinzhuang_officer):
    notification_send(recipients=[pujiang_officer], title="新的年报待审核")
    notification_send(recipients=[xinzhuang_officer], title="别人的消息")
    client = api_as(pujiang_officer)

    listed = client.get("/inbox", unread=True).json()["items"]
    marked = client.post("/inbox/read", {"id": listed[0]["id"]})

    assert [m["title"] for m in listed] == ["新的年报待审核"]
    assert marked.json() == {"marked": 1}
    assert client.get("/inbox", unread=True).json()["items"] == []


def test_marking_another_users_message_read_changes_nothing(api_as, pujiang_officer, xinzhuang_officer):
    notification_send(recipients=[xinzhuang_officer], title="别人的消息")
    theirs = xinzhuang_officer.notifications.get()

    assert api_as(pujiang_officer).post("/inbox/read", {"id": theirs.pk}).json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_without_an_id(api_as, pujiang_officer):
    notification_send(recipients=[pujiang_officer], title="一")
    notification_send(recipients=[pujiang_officer], title="二")

    assert api_as(pujiang_officer).post("/inbox/read").json() == {"marked": 2}


def test_an_unknown_topic_is_refused_naming_it(api_as, pujiang_officer):
    response = api_as(pujiang_officer).get("/inbox", topic="nope")

    assert response.status_code == 422 and "topic" in response.json()["errors"]
