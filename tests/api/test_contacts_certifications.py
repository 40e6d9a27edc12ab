"""Contacts (answered masked, revealed only on a logged call) and certifications in /api/v1."""

from sanlian.core.models import AuditEvent
from sanlian.enterprises.models import Certification, Contact
from sanlian.enterprises.services import contact_save
from tests import factories

CONTACT = {"name": "王五", "title": "总经理", "phone": "13912345678", "email": "wangwu@example.cn"}


def test_an_enterprise_adds_a_contact_and_gets_it_back_masked(api_as, enterprise_admin, pujiang_enterprise):
    response = api_as(enterprise_admin).post(
        f"/enterprises/{pujiang_enterprise.pk}/contacts", {**CONTACT, "enterprise": 999}
    )

    assert response.status_code == 201, response.json()
    assert "13912345678" not in response.content.decode() and response.json()["phone"].startswith("139")
    assert Contact.objects.get().enterprise == pujiang_enterprise


def test_a_bad_phone_is_refused_naming_the_field(api_as, enterprise_admin, pujiang_enterprise):
    response = api_as(enterprise_admin).post(
        f"/enterprises/{pujiang_enterprise.pk}/contacts", {**CONTACT, "phone": "12"}
    )

    assert response.status_code == 422 and "phone" in response.json()["errors"]
    assert not Contact.objects.exists()


def test_an_enterprise_cannot_add_a_contact_to_another_enterprise(api_as, enterprise_admin, xinzhuang_enterprise):
    response = api_as(enterprise_admin).post(f"/enterprises/{xinzhuang_enterprise.pk}/contacts", CONTACT)

    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_an_officer_reveals_a_contact_in_scope_and_it_is_logged(api_as, pujiang_officer, pujiang_enterprise):
    contact = contact_save(actor=factories.superuser(), enterprise=pujiang_enterprise, data=CONTACT)

    response = api_as(pujiang_officer).post(f"/contacts/{contact.pk}/reveal")

    assert response.json() == {"id": contact.pk, "phone": "13912345678", "email": "wangwu@example.cn"}
    assert AuditEvent.objects.filter(action="contact.reveal", actor=pujiang_officer).count() == 1


def test_another_towns_officer_cannot_reveal(api_as, xinzhuang_officer, pujiang_enterprise):
    contact = contact_save(actor=factories.superuser(), enterprise=pujiang_enterprise, data=CONTACT)

    response = api_as(xinzhuang_officer).post(f"/contacts/{contact.pk}/reveal")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="contact.reveal").exists()


def test_an_officer_adds_a_certification_by_type_code(api_as, pujiang_officer, pujiang_enterprise):
    body = {"type": "hnte", "year": 2023, "valid_from_date": "2023-01-01", "valid_until_date": "2025-12-31"}

    response = api_as(pujiang_officer).post(f"/enterprises/{pujiang_enterprise.pk}/certifications", body)

    assert response.status_code == 201, response.json()
    assert response.json()["type"] == "hnte" and Certification.objects.get().enterprise == pujiang_enterprise


def test_a_certification_with_an_unknown_type_or_reversed_dates_is_refused(api_as, pujiang_officer, pujiang_enterprise):
    client = api_as(pujiang_officer)
    path = f"/enterprises/{pujiang_enterprise.pk}/certifications"

    unknown = client.post(path, {"type": "nope"})
    reversed_ = client.post(path, {"type": "hnte", "valid_from_date": "2025-01-01", "valid_until_date": "2024-01-01"})

    assert unknown.status_code == 422 and "type" in unknown.json()["errors"]
    assert reversed_.status_code == 422 and "valid_until_date" in reversed_.json()["errors"]
    assert not Certification.objects.exists()


def test_another_towns_officer_cannot_certify(api_as, xinzhuang_officer, pujiang_enterprise):
    response = api_as(xinzhuang_officer).post(f"/enterprises/{pujiang_enterprise.pk}/certifications", {"type": "hnte"})

    assert response.status_code == 404
