"""The audit trail: request context, sign-ins, denials, the safety net, retention and the officers' search page."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from sanlian.core import audit
from sanlian.core.models import AuditEvent, Role
from sanlian.core.services import audit_purge, audit_record, audit_records
from sanlian.core.tasks import purge_audit_events
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import Contact, Enterprise
from tests import factories
from tests.xlsx import xlsx_rows

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- client address


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        ("203.0.113.7", "", [], "203.0.113.7"),
        # Without trusted proxies the header is the client's own word: never believed.
        ("203.0.113.7", "10.9.9.9", [], "203.0.113.7"),
        ("127.0.0.1", "198.51.100.4", ["127.0.0.1"], "198.51.100.4"),
        # A client's own X-Forwarded-For entry stays on the left; the proxy appends the address it saw.
        ("127.0.0.1", "6.6.6.6, 198.51.100.4", ["127.0.0.1"], "198.51.100.4"),
        # Two layers of trusted proxies (a network and an address): the first untrusted hop from the right.
        ("10.0.0.2", "198.51.100.4, 10.0.0.9", ["10.0.0.0/8"], "198.51.100.4"),
        ("127.0.0.1", "not-an-address", ["127.0.0.1"], "127.0.0.1"),
        ("2001:db8::1", "", [], "2001:db8::1"),
    ],
)
def test_the_client_address_is_remote_addr_unless_a_trusted_proxy_forwarded_it(remote, forwarded, proxies, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(SANLIAN_TRUSTED_PROXIES=proxies):
        assert audit.client_ip(request) == expected


def test_an_audit_record_in_a_request_carries_actor_username_address_method_and_path(pujiang_officer, client):
    """Given an officer saving their message preferences behind a trusted proxy, when the service audits it,
    then the event names the officer (as written), the forwarded address, the method and the path, without
    the service passing any of them."""
    client.force_login(pujiang_officer)
    with override_settings(SANLIAN_TRUSTED_PROXIES=["127.0.0.1"]):
        client.post("/inbox/preferences/", {"desk-email": "off"}, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR="198.51.100.23")  # fmt: skip
    event = AuditEvent.objects.get(action="notification.preferences")
    assert (event.actor, event.actor_username, event.ip) == (pujiang_officer, "pj_officer", "198.51.100.23")
    assert (event.method, event.path, event.result) == ("POST", "/inbox/preferences/", "success")


def test_the_username_survives_the_accounts_deletion(pujiang_officer):
    event = audit_record(actor=pujiang_officer, action="test.act", target=pujiang_officer)
    pujiang_officer.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_username) == (None, "pj_officer")


def test_commands_and_jobs_record_no_address(pujiang_officer):
    """Outside a request (a command, a Huey job even when run in-process) there is no address."""
    event = audit_record(actor=pujiang_officer, action="test.act", target=pujiang_officer)
    assert (event.ip, event.method, event.path) == (None, "", "")
    audit_record(actor=None, action="test.old", target=pujiang_officer, now=timezone.now() - timedelta(days=400))
    with audit.as_request(user=pujiang_officer, ip="198.51.100.1", method="POST", path="/x/"):
        purge_audit_events()  # Huey runs it in-process in tests, through its hooks like a consumer
        inside = audit_record(actor=None, action="test.act", target=pujiang_officer)
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.ip is None
    assert (inside.actor, inside.ip) == (pujiang_officer, "198.51.100.1")


def test_bulk_records_take_the_context_too(pujiang_officer, pujiang_enterprise):
    with audit.as_request(user=pujiang_officer, ip="198.51.100.2", method="POST", path="/imports/1/"):
        count = audit_records(actor=None, entries=[("import.row", pujiang_enterprise, {"a": [1, 2]}, None, "")] * 3)
    rows = AuditEvent.objects.filter(action="import.row")
    assert count == 3 and rows.count() == 3
    assert set(rows.values_list("actor_username", "ip", "path", "result")) == {
        ("pj_officer", "198.51.100.2", "/imports/1/", "success")
    }


# ---------------------------------------------------------------- sign-in


def test_logins_logouts_and_failed_logins_are_recorded_without_the_password(pujiang_officer):
    client = Client(REMOTE_ADDR="198.51.100.9")
    client.post("/login/", {"username": "pj_officer", "password": "wrong-secret-42"})
    client.post("/login/", {"username": "nobody", "password": "wrong-secret-43"})
    client.post("/login/", {"username": "pj_officer", "password": "pw-123456"})
    client.post("/logout/")
    events = list(AuditEvent.objects.filter(action__startswith="auth.").order_by("id"))
    assert [(e.action, e.result, e.actor_username) for e in events] == [
        ("auth.login_failed", "failed", "pj_officer"),
        ("auth.login_failed", "failed", "nobody"),
        ("auth.login", "success", "pj_officer"),
        ("auth.logout", "success", "pj_officer"),
    ]
    assert all(e.ip == "198.51.100.9" and e.path in ("/login/", "/logout/") for e in events)
    assert events[0].target_id == str(pujiang_officer.pk) and events[1].target_id == ""
    assert not any("wrong-secret" in str(e.changes) + e.note for e in AuditEvent.objects.all())
    # The login's own last_login save is not recorded a second time by the safety net.
    assert not AuditEvent.objects.filter(action="core.user.update").exists()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=2)
def test_an_axes_lockout_is_recorded_as_denied(pujiang_officer):
    client = Client(REMOTE_ADDR="198.51.100.10")
    for _ in range(3):
        client.post("/login/", {"username": "pj_officer", "password": "wrong"})
    lockout = AuditEvent.objects.filter(action="auth.lockout").first()
    assert (lockout.result, lockout.actor_username, lockout.ip) == ("denied", "pj_officer", "198.51.100.10")


# ---------------------------------------------------------------- denials


def test_a_page_refused_with_403_is_recorded_as_denied_with_the_permission(enterprise_admin, client):
    client.force_login(enterprise_admin)
    assert client.get("/cockpit/").status_code == 403
    event = AuditEvent.objects.get(action="permission.denied")
    assert (event.result, event.actor, event.method, event.path) == ("denied", enterprise_admin, "GET", "/cockpit/")
    assert event.target_type == "page" and event.changes == {"permission": "cockpit.view"}


def test_an_api_403_is_recorded_as_denied(enterprise_admin, api_as):
    response = api_as(enterprise_admin).get("/stats")
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="permission.denied")
    assert (event.result, event.actor, event.path, event.target_type) == (
        "denied",
        enterprise_admin,
        "/api/v1/stats",
        "api",
    )
    assert event.changes == {"permission": "stats.view"}


def test_allowed_requests_record_no_denial(pujiang_officer, client):
    client.force_login(pujiang_officer)
    assert client.get("/cockpit/").status_code == 200
    assert not AuditEvent.objects.filter(result="denied").exists()


# ---------------------------------------------------------------- safety net


def test_every_model_of_the_sanlian_apps_is_covered_by_the_net_or_exempt_with_a_reason():
    models = audit.sanlian_models()
    labels = {model._meta.label_lower for model in models}
    assert len(models) > 60 and "enterprises.enterprise" in labels
    assert set(audit.NET_EXEMPT) <= labels, "an exemption names a model that no longer exists"
    assert all(len(reason) > 15 for reason in audit.NET_EXEMPT.values())
    uncovered = [
        model._meta.label_lower
        for model in models
        if model._meta.label_lower not in audit.NET_EXEMPT and not audit.net_receivers_of(model)
    ]
    assert uncovered == []
    # Exempt models carry no receivers: the audit trail keeps Django's fast bulk delete for the purge.
    assert not audit.net_receivers_of(AuditEvent)


def test_a_write_no_service_audited_is_recorded_by_the_net_at_commit(
    pujiang_enterprise, django_capture_on_commit_callbacks
):
    """Given a contact saved and deleted straight through the ORM, when the transaction commits, then the net
    records the create, the update and the delete with the enterprise and the request's context."""
    officer = factories.officer("pujiang", username="net_officer")
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture, audit.as_request(user=officer, ip="198.51.100.3"), transaction.atomic():
        contact = Contact.objects.create(enterprise=pujiang_enterprise, name="王五")
        contact.name = "王六"
        contact.save(update_fields=["name"])
        pk = contact.pk
        contact.delete()
        assert not AuditEvent.objects.filter(target_type="enterprises.contact").exists()  # not before commit
    events = AuditEvent.objects.filter(target_type="enterprises.contact", target_id=str(pk)).order_by("id")
    assert [e.action for e in events] == [
        "enterprises.contact.create", "enterprises.contact.update", "enterprises.contact.delete",
    ]  # fmt: skip
    assert events[1].changes == {"fields": ["name"]}
    assert {(e.enterprise_id, e.actor_username, e.ip) for e in events} == {
        (pujiang_enterprise.pk, "net_officer", "198.51.100.3")
    }


def test_a_write_its_service_audited_is_not_recorded_twice(
    pujiang_officer, pujiang_enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = registry.contact_save(actor=pujiang_officer, enterprise=pujiang_enterprise, data={"name": "赵六"})
    events = AuditEvent.objects.filter(target_type="enterprises.contact", target_id=str(contact.pk))
    assert [e.action for e in events] == ["contact.create"]


def test_a_rolled_back_write_leaves_no_net_event(pujiang_enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        Contact.objects.create(enterprise=pujiang_enterprise, name="回滚")
        raise RuntimeError
    assert not AuditEvent.objects.filter(target_type="enterprises.contact").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_to_many_changes_are_recorded_as_updates(pujiang_enterprise):
    """Committed for real: the enterprise's creation (audited by its service) is another transaction."""
    with transaction.atomic():
        pujiang_enterprise.chain_nodes.clear()
    event = AuditEvent.objects.get(action="enterprises.enterprise.update")
    assert event.target_id == str(pujiang_enterprise.pk) and "clear" in event.changes


def test_the_net_can_be_paused_for_bulk_loads(pujiang_enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), audit.net_paused(), transaction.atomic():
        Contact.objects.create(enterprise=pujiang_enterprise, name="演示")
    assert not AuditEvent.objects.filter(target_type="enterprises.contact").exists()


# ---------------------------------------------------------------- retention


def test_a_retention_below_180_days_refuses_to_start():
    with override_settings(SANLIAN_AUDIT_RETENTION_DAYS=179), pytest.raises(ImproperlyConfigured):
        audit.check_settings()
    with override_settings(SANLIAN_AUDIT_RETENTION_DAYS=180):
        audit.check_settings()


def test_a_trusted_proxy_that_is_no_address_refuses_to_start():
    with override_settings(SANLIAN_TRUSTED_PROXIES=["10.0.0.0/8", "proxy.local"]), pytest.raises(ImproperlyConfigured):
        audit.check_settings()


@override_settings(SANLIAN_AUDIT_RETENTION_DAYS=200)
def test_the_purge_deletes_only_rows_older_than_the_retention_and_records_itself(pujiang_officer):
    now = timezone.now()
    old = audit_record(actor=pujiang_officer, action="test.old", target=pujiang_officer, now=now - timedelta(days=201))
    kept = audit_record(
        actor=pujiang_officer, action="test.kept", target=pujiang_officer, now=now - timedelta(days=199)
    )
    assert audit_purge(now=now) == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists() and AuditEvent.objects.filter(pk=kept.pk).exists()
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.changes["deleted"] == 1 and purge.changes["days"] == 200
    assert audit_purge(now=now) == 0  # safe to run twice


def test_the_purge_command_reports_the_count(pujiang_officer):
    audit_record(actor=pujiang_officer, action="test.old", target=pujiang_officer,
                 now=timezone.now() - timedelta(days=400))  # fmt: skip
    out = StringIO()
    call_command("audit_purge", stdout=out)
    assert "1" in out.getvalue() and not AuditEvent.objects.filter(action="test.old").exists()


def test_the_orm_refuses_to_change_or_delete_an_event(pujiang_officer):
    event = audit_record(actor=pujiang_officer, action="test.act", target=pujiang_officer)
    event.note = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_the_admin_is_read_only(client):
    admin = factories.superuser()
    client.force_login(admin)
    event = audit_record(actor=admin, action="test.act", target=admin)
    assert client.get(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    assert client.post(f"/admin/core/auditevent/{event.pk}/change/", {"note": "x"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).note == ""


# ---------------------------------------------------------------- the search page


@pytest.fixture
def town_history(pujiang_officer, xinzhuang_officer, pujiang_enterprise, xinzhuang_enterprise):
    """One event per town: about each town's enterprise, and one by each town's officer about nothing scoped."""
    by_pj = audit_record(actor=pujiang_officer, action="test.pujiang", target=pujiang_enterprise,
                         enterprise_id=pujiang_enterprise.pk)  # fmt: skip
    by_xz = audit_record(actor=xinzhuang_officer, action="test.xinzhuang", target=xinzhuang_enterprise,
                         enterprise_id=xinzhuang_enterprise.pk)  # fmt: skip
    login = audit_record(actor=xinzhuang_officer, action="auth.login", target=xinzhuang_officer)
    return by_pj, by_xz, login


def _actions(response) -> set[str]:
    return {event.action for event, _changes in response.context["rows"]}


def test_a_town_officer_sees_the_towns_events_only(client, pujiang_officer, town_history):
    client.force_login(pujiang_officer)
    response = client.get("/audit/", {"action": "test."})
    assert _actions(response) == {"test.pujiang"}
    assert _actions(client.get("/audit/", {"actor": "xz_officer"})) == set()


def test_a_district_officer_sees_every_event(client, district_officer, town_history):
    client.force_login(district_officer)
    assert {"test.pujiang", "test.xinzhuang", "auth.login"} <= _actions(client.get("/audit/"))


def test_enterprise_users_may_not_search_the_audit_trail(client, enterprise_admin):
    client.force_login(enterprise_admin)
    assert client.get("/audit/").status_code == 403
    assert AuditEvent.objects.filter(action="permission.denied", path="/audit/").exists()


def test_the_filters_narrow_the_list(client, district_officer, town_history, xinzhuang_enterprise):
    client.force_login(district_officer)
    today = timezone.localdate().isoformat()
    assert _actions(client.get("/audit/", {"actor": "xz_off"})) >= {"test.xinzhuang", "auth.login"}
    assert _actions(client.get("/audit/", {"actor": "xz_off", "enterprise": xinzhuang_enterprise.pk})) == {
        "test.xinzhuang"
    }
    assert _actions(client.get("/audit/", {"target_type": "core.user", "action": "auth.login"})) == {"auth.login"}
    assert _actions(client.get("/audit/", {"result": "denied"})) == set()
    assert "test.pujiang" in _actions(client.get("/audit/", {"date_from": today, "date_to": today}))
    assert _actions(client.get("/audit/", {"date_to": "2020-01-01"})) == set()


def test_the_ip_filter_matches_the_address(client, district_officer, pujiang_officer):
    with audit.as_request(user=pujiang_officer, ip="198.51.100.77"):
        audit_record(actor=None, action="test.from_ip", target=pujiang_officer)
    client.force_login(district_officer)
    assert _actions(client.get("/audit/", {"ip": "198.51.100.77"})) == {"test.from_ip"}


def test_bad_filters_are_refused_naming_the_field(client, district_officer, town_history):
    client.force_login(district_officer)
    response = client.get("/audit/", {"ip": "300.1.2.3", "date_from": "2026-02-30", "result": "maybe"})
    form = response.context["form"]
    assert set(form.errors) == {"ip", "date_from", "result"}
    assert response.context["rows"] == []
    response = client.get("/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "date_to" in response.context["form"].errors
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_the_page_is_in_english_for_english_users(client, district_officer, town_history):
    client.force_login(district_officer)
    client.cookies["django_language"] = "en"
    body = client.get("/audit/").content.decode()
    assert "Audit log" in body and "审计日志" not in body


def test_the_list_is_paginated_with_a_constant_query_count(
    client, district_officer, pujiang_officer, django_assert_max_num_queries
):
    audit_records(actor=pujiang_officer, entries=[("test.bulk", pujiang_officer, {}, None, "")] * 60)
    client.force_login(district_officer)
    with django_assert_max_num_queries(12):
        page2 = client.get("/audit/", {"page": 2})
    assert len(page2.context["rows"]) == 25 and page2.context["page"].paginator.num_pages == 3


def test_the_export_is_the_filtered_rows_and_is_audited(client, pujiang_officer, town_history):
    client.force_login(pujiang_officer)
    response = client.get("/audit/", {"action": "test.", "format": "xlsx"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert [row[2] for row in rows[1:]] == ["test.pujiang"]
    export = AuditEvent.objects.get(action="list.export")
    assert export.changes["list"] == "core.audit" and export.changes["rows"] == 1


def test_officers_have_the_nav_entry_and_others_do_not(client, pujiang_officer, enterprise_admin):
    client.force_login(pujiang_officer)
    assert 'href="/audit/"' in client.get("/inbox/").content.decode()
    client.force_login(enterprise_admin)
    assert 'href="/audit/"' not in client.get("/inbox/").content.decode()


def test_audit_view_is_for_officers_only():
    from sanlian.core.permissions import ACTIONS

    assert ACTIONS["audit.view"] == {Role.TOWN_OFFICER, Role.DISTRICT_OFFICER}
    assert Enterprise.scope.region  # the town scope of the page follows the registry's own scope
