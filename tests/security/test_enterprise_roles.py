"""Inside one enterprise: what ACTIONS gives its admin only (editing the profile, revealing a contact's
number, adding IP assets) is refused to its staff, by page and by API, and changes nothing."""

import json

import pytest
from django.test import Client

from sanlian.enterprises import services as registry
from sanlian.enterprises.models import Contact
from sanlian.servicedesk.models import IPAsset
from tests import factories

from .walk import api_body


@pytest.fixture
def own(world, db):
    ent_a = world["ent_a"]
    contact = registry.contact_save(
        actor=factories.superuser(), enterprise=ent_a, data={"name": "王五", "phone": "13900003333"}
    )
    return ent_a, contact


def staff(world) -> Client:
    client = Client()
    client.force_login(world["users"]["ent_staff"])
    return client


def test_staff_cannot_edit_the_profile_reveal_a_contact_or_add_ip(world, own):
    ent_a, contact = own
    client = staff(world)
    description = ent_a.description

    answers = {
        "edit": client.post(f"/enterprises/{ent_a.pk}/edit/", {"description": "员工改的"}).status_code,
        "reveal": client.post(f"/enterprises/contacts/{contact.pk}/reveal/").status_code,
        "ip": client.post(f"/desk/ip/enterprise/{ent_a.pk}/new/", {"title": "员工加的"}).status_code,
    }

    ent_a.refresh_from_db()
    assert answers == {"edit": 403, "reveal": 403, "ip": 403}
    assert ent_a.description == description and not IPAsset.objects.filter(enterprise=ent_a).exists()
    assert Contact.objects.filter(enterprise=ent_a).count() == 1


def test_staff_cannot_do_it_through_the_api_either(world, own):
    ent_a, contact = own
    headers = {"Authorization": f"Bearer {world['keys']['ent_staff']}"}
    client = Client()

    edit = client.patch(
        f"/api/v1/enterprises/{ent_a.pk}",
        '{"description": "员工改的"}',
        content_type="application/json",
        headers=headers,
    )
    reveal = client.post(
        f"/api/v1/contacts/{contact.pk}/reveal", "{}", content_type="application/json", headers=headers
    )
    body = json.dumps(api_body("POST", "/enterprises/{pk}/ip"))  # schema-valid, so the role check is reached
    ip = client.post(f"/api/v1/enterprises/{ent_a.pk}/ip", body, content_type="application/json", headers=headers)

    assert (edit.status_code, reveal.status_code) == (403, 403)
    assert ip.status_code == 403 and not IPAsset.objects.filter(enterprise=ent_a).exists()


def test_the_admin_may_do_what_staff_may_not_so_the_refusals_are_the_roles(world, own):
    ent_a, contact = own
    admin = Client()
    admin.force_login(world["users"]["ent_admin"])

    assert admin.post(f"/enterprises/contacts/{contact.pk}/reveal/").status_code == 200
    assert registry.contact_reveal(actor=world["users"]["ent_admin"], contact=contact)["phone"] == "13900003333"
