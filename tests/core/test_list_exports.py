"""Every list page exports its current filter: the same rows as the page (all pages), the same scope, typed
and inert cells, streamed, audited. One small demo (scale 0.05) loaded for the module gives every list rows."""

from io import BytesIO

import pytest
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from openpyxl import load_workbook

from sanlian.chain.models import MatchEvent
from sanlian.community.models import Event, Organisation
from sanlian.core.exports import XLSX
from sanlian.core.models import AuditEvent, User
from sanlian.demo.services import demo_load
from sanlian.enterprises.models import Enterprise
from sanlian.policies.models import Application
from sanlian.servicedesk.models import IPAsset
from sanlian.space.models import Lease
from tests.xlsx import workbook_rows, xlsx_bytes, xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Rolled back rather than unloaded: the append-only audit trail would keep the module's committed events.
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load(scale=0.05)
        yield
        transaction.set_rollback(True)


def _call_with_applications():
    return {"pk": Application.objects.exclude(status="draft").values_list("call_id", flat=True).first()}


def _org():
    """The organisation the demo secretary runs."""
    return {
        "code": Organisation.objects.filter(secretaries__username="org_secretary").values_list("code", flat=True)[0]
    }


def _community_event():
    return {"pk": Event.objects.filter(registrations__isnull=False).values_list("pk", flat=True).first()}


def _event_with_documents():
    return {"pk": Event.objects.filter(documents__isnull=False).values_list("pk", flat=True).first()}


def _chain_event():
    return {"pk": MatchEvent.objects.filter(participants__isnull=False).values_list("pk", flat=True).first()}


def _listing_with_leases():
    return {"pk": Lease.objects.values_list("listing_id", flat=True).first()}


def _ip_enterprise():
    return {"enterprise_id": IPAsset.objects.values_list("enterprise_id", flat=True).first()}


# (case id, user, url name, url kwargs, filter query, the context entry holding the page's rows)
CASES = [
    ("directory", "pj_officer", "enterprises:directory", None, "biomedical=true", "page"),
    ("report review queue", "pj_officer", "enterprises:review-queue", None, "", "page"),
    ("policy library", "pj_officer", "policies:library", None, "", "page"),
    ("grants", "pj_officer", "policies:grants", None, "status=pending", "page"),
    ("calls", "mh_officer", "policies:calls", None, "", "page"),
    ("call applications", "mh_officer", "policies:call-applications", _call_with_applications, "", "page"),
    ("talent applications", "pj_officer", "talent:applications", None, "", "page"),
    ("talent certificates", "pj_officer", "talent:certificates", None, "", "page"),
    ("talent benefits", "pj_officer", "talent:benefits", None, "", "page"),
    ("key enterprises", "pj_officer", "talent:key-enterprises", None, "", "page"),
    ("talent notices", "pj_officer", "talent:notices", None, "", "page"),
    ("ambassadors", "pj_officer", "talent:ambassadors", None, "", "page"),
    ("ambassador leads", "pj_officer", "talent:leads", None, "", "page"),
    ("ambassador leaderboard", "pj_officer", "talent:leaderboard", None, "", "page"),
    ("postings", "pj_officer", "chain:postings", None, "", "page"),
    ("posting review queue", "pj_officer", "chain:review-queue", None, "", "page"),
    ("interests", "pj_officer", "chain:interests", None, "side=", "page"),
    ("match events", "pj_officer", "chain:events", None, "", "page"),
    ("match event participants", "pj_officer", "chain:event", _chain_event, "", "participants"),
    ("service requests", "pj_officer", "servicedesk:requests", None, "", "page"),
    ("visits", "pj_officer", "servicedesk:visits", None, "", "page"),
    ("routing rules", "pj_officer", "servicedesk:routing", None, "", "rules"),
    ("providers", "pj_officer", "servicedesk:providers", None, "", "page"),
    ("IP assets", "pj_officer", "servicedesk:ip", None, "", "page"),
    ("IP portfolio", "pj_officer", "servicedesk:ip-portfolio", _ip_enterprise, "", "page"),
    ("space search", "pj_officer", "space:search", None, "", "page"),
    ("space listings managed", "pj_officer", "space:manage", None, "", "page"),
    ("space leases", "pj_officer", "space:manage-listing", _listing_with_leases, "", "leases"),
    ("space requests", "pj_officer", "space:requests", None, "", "page"),
    ("organisations", "pj_officer", "orgs:list", None, "", "organisations"),
    ("member directory", "org_secretary", "orgs:members", _org, "", "page"),
    ("joining applications", "org_secretary", "orgs:applications", _org, "status=pending", "page"),
    ("community events", "pj_officer", "events:list", None, "when=past", "page"),
    ("my events", "ent_admin", "events:mine", None, "", "page"),
    ("events managed", "pj_officer", "events:manage", None, "", "page"),
    ("event registrations", "pj_officer", "events:registrations", _community_event, "", "page"),
    ("event documents", "pj_officer", "events:documents", _event_with_documents, "", "page"),
    ("news", "pj_officer", "news:list", None, "", "page"),
    ("news managed", "pj_officer", "news:manage", None, "", "page"),
    ("news drafts", "pj_officer", "news:mine", None, "", "page"),
    ("news review", "pj_officer", "news:review", None, "", "page"),
]


def _url(name, kwargs) -> str:
    return reverse(name, kwargs=kwargs() if kwargs else None)


def _page_count(response, key) -> int:
    rows = response.context[key]
    return rows.paginator.count if key == "page" else len(list(rows))


def _export(client, url, query):
    return client.get(f"{url}?{query}&format=xlsx" if query else f"{url}?format=xlsx")


@pytest.mark.parametrize(("user", "name", "kwargs", "query", "key"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_list_exports_the_rows_of_its_current_filter_as_a_streamed_audited_workbook(
    demo, client, user, name, kwargs, query, key
):
    client.force_login(User.objects.get(username=user))
    url = _url(name, kwargs)
    page = client.get(f"{url}?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "format=xlsx" in html or ".xlsx" in html  # the page links its export
    audits = AuditEvent.objects.filter(action="list.export").count()

    response = _export(client, url, query)

    assert response.status_code == 200
    assert isinstance(response, FileResponse) and response.streaming
    assert response["Content-Type"] == XLSX and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    content = xlsx_bytes(response)
    header, *body = workbook_rows(content)
    assert all(header) and len(body) == _page_count(page, key) > 0
    book = load_workbook(BytesIO(content))
    assert not [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]  # no formula
    audit = AuditEvent.objects.filter(action="list.export").latest("id")
    assert AuditEvent.objects.filter(action="list.export").count() == audits + 1
    every_sheet = sum(sheet.max_row - 1 for sheet in book)  # the space requests add a sheet of viewings
    assert audit.actor.username == user and audit.changes["rows"] == every_sheet >= len(body)
    assert audit.changes["filter"] == query and "format" not in audit.changes["filter"]


# Who may export what ---------------------------------------------------------------------------------

OUTSIDERS = [
    # (case id, outsider, url name, url kwargs, query, context key): the outsider's export equals the outsider's
    # own page (its scope), or is refused exactly like the page.
    ("directory by another town", "xz_officer", "enterprises:directory", None, "", "page"),
    ("directory by an enterprise", "ent_admin", "enterprises:directory", None, "", None),
    ("review queue by another town", "xz_officer", "enterprises:review-queue", None, "", "page"),
    (
        "call applications by an enterprise",
        "ent_admin",
        "policies:call-applications",
        _call_with_applications,
        "",
        None,
    ),
    ("talent applications by another town", "xz_officer", "talent:applications", None, "", "page"),
    ("talent applications by an enterprise", "ent_admin", "talent:applications", None, "", None),
    ("benefits by another town", "xz_officer", "talent:benefits", None, "", "page"),
    ("leads by another ambassador", "ambassador_demo", "talent:leads", None, "", "page"),
    ("visits by another town", "xz_officer", "servicedesk:visits", None, "", "page"),
    ("requests by an enterprise", "ent_admin", "servicedesk:requests", None, "", "page"),
    ("IP by another town", "xz_officer", "servicedesk:ip", None, "", "page"),
    ("IP portfolio by another town", "xz_officer", "servicedesk:ip-portfolio", _ip_enterprise, "", None),
    ("space managed by the landlord", "landlord", "space:manage", None, "", "page"),
    ("space requests by an enterprise", "ent_admin", "space:requests", None, "", "page"),
    ("members by an enterprise", "ent_staff", "orgs:members", _org, "", None),
    ("registrations by another town", "xz_officer", "events:registrations", _community_event, "", None),
    ("participants by an enterprise", "ent_admin", "chain:event", _chain_event, "", None),
    ("news managed by another town", "xz_officer", "news:manage", None, "", "page"),
]


@pytest.mark.parametrize(
    ("user", "name", "kwargs", "query", "key"), [c[1:] for c in OUTSIDERS], ids=[c[0] for c in OUTSIDERS]
)
def test_an_outsider_exports_only_what_their_own_page_shows_or_nothing(demo, client, user, name, kwargs, query, key):
    client.force_login(User.objects.get(username=user))
    url = _url(name, kwargs)
    page = client.get(f"{url}?{query}")

    response = _export(client, url, query)

    if key is None:  # the list is not theirs: refused (or sent elsewhere) like the page, never a file
        assert response.status_code in (302, 403, 404)
        assert response.get("Content-Type") != XLSX
        return
    assert page.status_code == response.status_code == 200
    _header, *body = xlsx_rows(response)
    assert len(body) == _page_count(page, key)


def test_another_towns_directory_export_holds_none_of_pujiangs_enterprises(demo, client):
    client.force_login(User.objects.get(username="xz_officer"))

    _header, *body = xlsx_rows(client.get(reverse("enterprises:directory"), {"format": "xlsx"}))

    pujiang = set(Enterprise.objects.filter(town__code="pujiang").values_list("uscc", flat=True))
    assert body and not pujiang & {row[1] for row in body}
    assert {row[2] for row in body} == {"莘庄镇"}


def test_an_anonymous_visitor_is_sent_to_log_in_before_exporting_a_public_list(demo, client):
    response = client.get(reverse("policies:library"), {"format": "xlsx"})

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_directory_export_is_every_page_of_the_filter_in_the_pages_order(demo, client):
    client.force_login(User.objects.get(username="mh_officer"))
    url = reverse("enterprises:directory")
    pages, number = [], 1
    while True:
        page = client.get(url, {"biomedical": "true", "page": number}).context["page"]
        pages += [e.uscc for e in page.object_list]
        if not page.has_next():
            break
        number += 1

    _header, *body = xlsx_rows(client.get(url, {"biomedical": "true", "format": "xlsx"}))

    assert number > 1 and [row[1] for row in body] == pages
