"""Two fresh loads of the (small) demo write the same rows."""

import json

import pytest

from sanlian.core.models import AuditEvent, Notification, User
from sanlian.demo.services import demo_load, demo_unload
from sanlian.enterprises.models import AnnualReport, Certification, Contact, Enterprise
from sanlian.servicedesk.models import IPAsset

pytestmark = pytest.mark.django_db
SCALE = 0.05


def snapshot(audit_after: int = 0) -> dict:
    return {
        "enterprises": sorted(
            Enterprise.objects.values_list(
                "uscc", "name", "founded_date", "town__code", "cluster__code", "is_gene_related", "created_at"
            )
        ),
        "chain_nodes": sorted(
            Enterprise.chain_nodes.through.objects.values_list("enterprise__uscc", "chainnode__code")
        ),
        "reports": sorted(
            AnnualReport.objects.values_list(
                "enterprise__uscc", "year", "revenue", "tax", "rd_spend", "employees", "status", "submitted_at"
            )
        ),
        "certifications": sorted(
            Certification.objects.values_list("enterprise__uscc", "type__code", "year", "number", "valid_until_date")
        ),
        "contacts": sorted(Contact.objects.values_list("enterprise__uscc", "name", "phone", "email")),
        "users": sorted(User.objects.values_list("username", "role", "region__code", "enterprise__uscc")),
        "audit": sorted(
            (e.action, e.created_at, json.dumps(e.changes, sort_keys=True))
            for e in AuditEvent.objects.filter(pk__gt=audit_after).exclude(action__startswith="demo.")
        ),
        "notifications": sorted(Notification.objects.values_list("recipient__username", "title", "created_at")),
        "ip_assets": sorted(
            IPAsset.objects.values_list("enterprise__uscc", "kind", "number", "status", "grant_date", "expiry_date")
        ),
    }


def test_two_fresh_loads_write_the_same_rows():
    demo_load(scale=SCALE)
    first = snapshot()
    demo_unload()
    assert not Enterprise.objects.exists() and not User.objects.exists()
    # The audit trail is append-only: the second load's events are compared, the first's stay.
    unloaded = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    demo_load(scale=SCALE)
    assert snapshot(audit_after=unloaded) == first
    assert len(first["enterprises"]) > 50 and len(first["reports"]) > 200


def test_unloading_removes_everything_the_demo_wrote():
    demo_load(scale=SCALE)
    removed = demo_unload()
    assert removed["users"] == 13 and removed["enterprises"] > 50
    for model in (Enterprise, AnnualReport, Certification, Contact, User, Notification, IPAsset):
        assert not model.objects.exists(), model
    # The audit trail stays (append-only), every event still naming its actor, and the unload is on it.
    assert AuditEvent.objects.filter(action="demo.unload").count() == 1
    assert not AuditEvent.objects.filter(actor_username="", actor__isnull=True, action="auth.login").exists()
    assert AuditEvent.objects.filter(action="auth.login", actor_username="pj_officer").exists()
    # The audit page has realistic sign-in rows: logins from the town's network, a failed login, a denial.
    denial = AuditEvent.objects.get(action="permission.denied", actor_username="ent_staff")
    assert (denial.result, denial.path, denial.ip) == ("denied", "/cockpit/", "10.31.40.118")
    assert AuditEvent.objects.filter(action="auth.login_failed", result="failed").count() == 1
