"""Officers' visits (走访): recording, the recent-visit warning, bad input, scope, figures and pages."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import URLResolver, include, path, reverse
from django.utils import timezone

from sanlian.config import urls as config_urls
from sanlian.core.models import AuditEvent, Notification
from sanlian.servicedesk import urls as desk_urls
from sanlian.servicedesk import visit_selectors, visit_urls
from sanlian.servicedesk.models import Visit
from sanlian.servicedesk.services.visits import visit_record
from tests import factories

# This module is the tests' URLconf: the project's, with the visit routes under desk/visits/ until the
# desk's urls.py includes them itself.
_included = any(isinstance(p, URLResolver) and p.urlconf_module is visit_urls for p in desk_urls.urlpatterns)
_desk = list(desk_urls.urlpatterns) + ([] if _included else [path("visits/", include(visit_urls))])
urlpatterns = [p for p in config_urls.urlpatterns if str(p.pattern) != "desk/"] + [
    path("desk/", include((_desk, "servicedesk")))
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = date(2026, 6, 15)
NOTES = "企业经营平稳,产能利用率约八成,提出人才公寓需求。"


def data(**overrides) -> dict:
    return {"visited_date": TODAY, "notes": NOTES, "flags": [], **overrides}


def test_an_officer_records_a_visit_with_audit_and_red_flag_notice(pujiang_officer, pujiang_enterprise):
    colleague = factories.officer("pujiang", username="pj_colleague")
    elsewhere = factories.officer("xinzhuang", username="xz_other")
    visit = visit_record(
        actor=pujiang_officer,
        enterprise=pujiang_enterprise,
        data=data(flags=["relocation", "revenue_drop", "relocation"]),
        now=NOW,
    )
    visit.refresh_from_db()
    assert visit.officer == pujiang_officer
    assert visit.visited_date == TODAY
    assert visit.flags == ["revenue_drop", "relocation"]
    assert AuditEvent.objects.filter(action="visit.record", target_id=str(visit.pk)).exists()
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert colleague.username in notified
    assert pujiang_officer.username not in notified and elsewhere.username not in notified


def test_no_notice_without_red_flags(pujiang_officer, pujiang_enterprise):
    factories.officer("pujiang", username="pj_colleague")
    visit_record(actor=pujiang_officer, enterprise=pujiang_enterprise, data=data(), now=NOW)
    assert not Notification.objects.exists()


def test_a_recent_visit_by_another_officer_warns_then_records_when_acknowledged(pujiang_officer, pujiang_enterprise):
    colleague = factories.officer("pujiang", username="pj_colleague", display_name="王科长")
    visit_record(
        actor=colleague, enterprise=pujiang_enterprise, data=data(visited_date=TODAY - timedelta(days=10)), now=NOW
    )
    with pytest.raises(ValidationError) as exc:
        visit_record(actor=pujiang_officer, enterprise=pujiang_enterprise, data=data(), now=NOW)
    message = exc.value.message_dict["visited_date"][0]
    assert "该企业已于" in message and "王科长" in message and (TODAY - timedelta(days=10)).isoformat() in message
    assert Visit.objects.count() == 1

    visit_record(actor=pujiang_officer, enterprise=pujiang_enterprise, data=data(), now=NOW, acknowledge_recent=True)
    assert Visit.objects.count() == 2


def test_an_old_visit_by_another_officer_or_ones_own_visit_does_not_warn(pujiang_officer, pujiang_enterprise):
    colleague = factories.officer("pujiang", username="pj_colleague")
    visit_record(
        actor=colleague, enterprise=pujiang_enterprise, data=data(visited_date=TODAY - timedelta(days=45)), now=NOW
    )
    visit_record(actor=pujiang_officer, enterprise=pujiang_enterprise, data=data(), now=NOW)
    visit_record(actor=pujiang_officer, enterprise=pujiang_enterprise, data=data(), now=NOW)
    assert Visit.objects.count() == 3


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"visited_date": TODAY + timedelta(days=1)}, "visited_date", "不能晚于今天"),
        ({"visited_date": "2026-13-01"}, "visited_date", "YYYY-MM-DD"),
        ({"visited_date": date(2019, 12, 31)}, "visited_date", "成立日期"),
        ({"flags": ["revenue_drop", "bankrupt"]}, "flags", "bankrupt"),
        ({"flags": "layoffs"}, "flags", ""),
        ({"notes": "太短"}, "notes", "10"),
        ({"notes": "长" * 4001}, "notes", "4000"),
    ],
)
def test_bad_input_is_refused_with_nothing_saved(pujiang_officer, overrides, field, text):
    enterprise = factories.enterprise("pujiang", founded_date=date(2020, 1, 1))
    factories.officer("pujiang", username="pj_colleague")
    with pytest.raises(ValidationError) as exc:
        visit_record(actor=pujiang_officer, enterprise=enterprise, data=data(**overrides), now=NOW)
    assert text in " ".join(exc.value.message_dict[field])
    assert not Visit.objects.exists()
    assert not AuditEvent.objects.filter(action="visit.record").exists()
    assert not Notification.objects.exists()


def test_an_officer_cannot_record_outside_their_town(xinzhuang_officer, pujiang_enterprise, client):
    with pytest.raises(PermissionDenied):
        visit_record(actor=xinzhuang_officer, enterprise=pujiang_enterprise, data=data(), now=NOW)
    client.force_login(xinzhuang_officer)
    url = reverse("servicedesk:visit-new") + f"?enterprise={pujiang_enterprise.pk}"
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("servicedesk:visit-new"),
        {"enterprise": pujiang_enterprise.pk, "visited_date": "2026-06-01", "notes": NOTES},
    )
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_enterprise_users_cannot_record_visits(enterprise_admin, pujiang_enterprise):
    with pytest.raises(PermissionDenied):
        visit_record(actor=enterprise_admin, enterprise=pujiang_enterprise, data=data(), now=NOW)


def test_figures_are_computed_from_records(pujiang_officer, district_officer, xinzhuang_officer):
    town = factories.region("pujiang")
    bio = [factories.enterprise("pujiang") for _ in range(4)]
    other = factories.enterprise("pujiang", is_biomedical=False, cluster=None)
    far = factories.enterprise("xinzhuang")
    record = lambda actor, e, d, flags=(): visit_record(  # noqa: E731
        actor=actor, enterprise=e, data=data(visited_date=d, flags=list(flags)), now=NOW, acknowledge_recent=True
    )
    record(pujiang_officer, bio[0], date(2026, 2, 1), ["revenue_drop", "layoffs"])
    record(pujiang_officer, bio[0], date(2026, 5, 1), ["layoffs"])
    record(district_officer, bio[1], date(2026, 3, 1), ["relocation"])
    record(pujiang_officer, other, date(2026, 4, 1), ["layoffs"])
    record(pujiang_officer, bio[2], date(2025, 12, 31), ["supply"])  # last year
    record(xinzhuang_officer, far, date(2026, 3, 1), ["supply"])  # another town

    figures = visit_selectors.visit_figures(town, 2026)
    assert figures == {
        "visits": 4,
        "biomedical_visited": 2,
        "biomedical_total": 4,
        "biomedical_share": 50.0,
        "flags": {"revenue_drop": 1, "relocation": 1, "layoffs": 3, "supply": 0},
    }
    assert visit_selectors.visit_figures(town, 2025)["flags"]["supply"] == 1
    empty = visit_selectors.visit_figures(factories.region("xinzhuang"), 2024)
    assert empty["visits"] == 0 and empty["biomedical_share"] == 0.0


def test_latest_visit_per_enterprise_in_scope(pujiang_officer, xinzhuang_officer, pujiang_enterprise):
    second = factories.enterprise("pujiang")
    far = factories.enterprise("xinzhuang")
    for d in (date(2026, 1, 5), date(2026, 3, 5)):
        visit_record(actor=pujiang_officer, enterprise=pujiang_enterprise, data=data(visited_date=d), now=NOW)
    visit_record(actor=pujiang_officer, enterprise=second, data=data(visited_date=date(2026, 2, 1)), now=NOW)
    visit_record(actor=xinzhuang_officer, enterprise=far, data=data(), now=NOW)
    latest = {v.enterprise_id: v.visited_date for v in visit_selectors.latest_visits(pujiang_officer)}
    assert latest == {pujiang_enterprise.pk: date(2026, 3, 5), second.pk: date(2026, 2, 1)}


def test_the_list_shows_only_visits_in_scope_and_filters(
    client, pujiang_officer, xinzhuang_officer, pujiang_enterprise, xinzhuang_enterprise
):
    visit_record(actor=pujiang_officer, enterprise=pujiang_enterprise, data=data(flags=["supply"]), now=NOW)
    visit_record(
        actor=pujiang_officer, enterprise=pujiang_enterprise, data=data(visited_date=date(2025, 3, 1)), now=NOW
    )
    visit_record(actor=xinzhuang_officer, enterprise=xinzhuang_enterprise, data=data(), now=NOW)

    client.force_login(pujiang_officer)
    response = client.get(reverse("servicedesk:visits"))
    assert response.status_code == 200
    page = response.content.decode()
    assert pujiang_enterprise.name in page and xinzhuang_enterprise.name not in page
    assert len(response.context["rows"]) == 2

    assert len(client.get(reverse("servicedesk:visits"), {"flag": "supply"}).context["rows"]) == 1
    assert len(client.get(reverse("servicedesk:visits"), {"year": 2025}).context["rows"]) == 1
    assert len(client.get(reverse("servicedesk:visits"), {"officer": pujiang_officer.pk}).context["rows"]) == 2

    client.force_login(xinzhuang_officer)
    other_visit = Visit.objects.get(enterprise=pujiang_enterprise, flags=["supply"])
    assert client.get(reverse("servicedesk:visit", kwargs={"pk": other_visit.pk})).status_code == 404


def test_the_list_is_refused_to_enterprise_users(client, enterprise_admin):
    client.force_login(enterprise_admin)
    assert client.get(reverse("servicedesk:visits")).status_code == 403


def test_recording_through_the_page_warns_then_records_with_the_checkbox(client, pujiang_officer, pujiang_enterprise):
    colleague = factories.officer("pujiang", username="pj_colleague", display_name="王科长")
    yesterday = timezone.localdate() - timedelta(days=1)
    visit_record(actor=colleague, enterprise=pujiang_enterprise, data=data(visited_date=yesterday))
    client.force_login(pujiang_officer)
    url = reverse("servicedesk:visit-new")
    page = client.get(url, {"enterprise": pujiang_enterprise.pk})
    assert page.status_code == 200 and pujiang_enterprise.name in page.content.decode()

    form = {"enterprise": pujiang_enterprise.pk, "visited_date": timezone.localdate().isoformat(), "notes": NOTES}
    warned = client.post(url, {**form, "flags": ["layoffs"]})
    assert warned.status_code == 400
    body = warned.content.decode()
    assert "王科长" in body and "仍要记录" in body and 'type="checkbox" name="acknowledge_recent"' in body
    assert Visit.objects.count() == 1

    done = client.post(url, {**form, "flags": ["layoffs"], "acknowledge_recent": "on"})
    assert done.status_code == 302
    visit = Visit.objects.get(officer=pujiang_officer)
    assert visit.flags == ["layoffs"]
    detail = client.get(done["Location"])
    assert detail.status_code == 200 and "裁员" in detail.content.decode()


def test_an_unknown_flag_on_the_page_is_refused(client, pujiang_officer, pujiang_enterprise):
    client.force_login(pujiang_officer)
    response = client.post(
        reverse("servicedesk:visit-new"),
        {"enterprise": pujiang_enterprise.pk, "visited_date": timezone.localdate().isoformat(), "notes": NOTES,
         "flags": ["bankrupt"]},
    )  # fmt: skip
    assert response.status_code == 400 and "bankrupt" in response.content.decode()
    assert not Visit.objects.exists()
