"""An enterprise removes a contact person: the row with the name, phone and email is gone, the audit names
no value, and only those who may edit the enterprise's contacts can do it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from sanlian.core.models import AuditEvent
from sanlian.enterprises import services
from sanlian.enterprises.models import Contact
from tests import factories

pytestmark = pytest.mark.django_db

DATA = {"name": "王芳", "title": "总经理", "phone": "13812345678", "email": "wang@example.cn"}


def rows_with_the_contact() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM enterprises_contact WHERE name = %s", ["王芳"])
        return cursor.fetchone()[0]


def test_the_enterprise_admin_removes_a_contact_from_the_profile(client, enterprise_admin, pujiang_enterprise):
    contact = services.contact_save(actor=enterprise_admin, enterprise=pujiang_enterprise, data=DATA)
    client.force_login(enterprise_admin)
    page = client.get(reverse("enterprises:detail", args=[pujiang_enterprise.pk])).content.decode()
    assert reverse("enterprises:contact-remove", args=[contact.pk]) in page

    response = client.post(reverse("enterprises:contact-remove", args=[contact.pk]))

    assert response.status_code == 302 and rows_with_the_contact() == 0
    logged = AuditEvent.objects.get(action="contact.remove")
    assert logged.actor == enterprise_admin and logged.enterprise_id == pujiang_enterprise.pk
    assert set(logged.changes["erased"]) == {"name", "title", "phone", "email"}
    assert "王芳" not in str(logged.changes) and "13812345678" not in str(logged.changes)


def test_staff_and_other_enterprises_cannot_remove_it(
    client, enterprise_admin, pujiang_enterprise, xinzhuang_enterprise
):
    contact = services.contact_save(actor=enterprise_admin, enterprise=pujiang_enterprise, data=DATA)
    staff = factories.enterprise_user(pujiang_enterprise, role="enterprise_staff")
    with pytest.raises(PermissionDenied):
        services.contact_remove(actor=staff, contact=contact)
    client.force_login(factories.enterprise_user(xinzhuang_enterprise))
    assert client.post(reverse("enterprises:contact-remove", args=[contact.pk])).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_the_api_removes_a_contact_and_answers_404_out_of_scope(api_as, enterprise_admin, pujiang_enterprise):
    contact = services.contact_save(actor=enterprise_admin, enterprise=pujiang_enterprise, data=DATA)
    outsider = factories.enterprise_user(factories.enterprise("xinzhuang"))
    assert api_as(outsider).post(f"/contacts/{contact.pk}/remove").status_code == 404

    assert api_as(enterprise_admin).post(f"/contacts/{contact.pk}/remove").json() == {"id": contact.pk}
    assert rows_with_the_contact() == 0 and AuditEvent.objects.filter(action="contact.remove").count() == 1
