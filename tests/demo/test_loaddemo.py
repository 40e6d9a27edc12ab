"""The full demo, loaded once for the module, reproduces FACTS.md through the cockpit selectors."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from stdnum.cn import uscc

from sanlian.core.models import AuditEvent, Notification, Role, User
from sanlian.dashboard.selectors import stats
from sanlian.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from sanlian.demo.services import demo_load
from sanlian.enterprises.models import AnnualReport, Certification, Contact, Enterprise, Region
from sanlian.enterprises.selectors import enterprise_history, reports_for_review
from sanlian.servicedesk.models import IPAsset

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Rolled back at the end rather than unloaded: the audit trail is append-only, so an unload would leave the
    # module's committed events to the tests that follow.
    with django_db_blocker.unblock(), transaction.atomic():
        result = demo_load()
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def figures(demo):
    return stats(Region.objects.get(code="pujiang"), 2023)


def counts() -> dict:
    return {
        "enterprises": Enterprise.objects.count(),
        "chain_nodes": Enterprise.chain_nodes.through.objects.count(),
        "reports": AnnualReport.objects.count(),
        "certifications": Certification.objects.count(),
        "contacts": Contact.objects.count(),
        "users": User.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "ip_assets": IPAsset.objects.count(),
    }


def test_pujiang_has_310_to_320_biomedical_enterprises_in_2023(figures):
    assert 310 <= figures["biomedical_enterprises"] <= 320


def test_their_2023_revenue_is_5_4_billion_yuan(figures):
    assert abs(figures["biomedical_revenue_yuan"] - Decimal("5.4e9")) <= Decimal("5.4e9") * Decimal("0.005")


def test_pujiang_holds_nearly_half_of_the_district(figures):
    assert figures["district"] == "闵行区"
    assert 0.45 <= figures["district_share"] <= 0.50


def test_154_key_enterprises_of_which_47_biomedical(figures):
    assert figures["key_enterprises"] == 154
    assert figures["key_enterprises_biomedical"] == 47


def test_about_two_thirds_are_gene_related(figures):
    assert 0.6 <= figures["gene_related_share"] <= 0.72


def test_the_year_selector_matters(demo):
    town = Region.objects.get(code="pujiang")
    assert stats(town, 2024)["biomedical_enterprises"] > stats(town, 2023)["biomedical_enterprises"]


def test_every_uscc_passes_stdnum(demo):
    assert all(uscc.is_valid(code) for code in Enterprise.objects.values_list("uscc", flat=True))


def test_the_named_enterprises_are_real_but_have_no_figures(demo):
    named = Enterprise.objects.filter(is_demo=False)
    assert sorted(named.values_list("name_en", flat=True)) == [
        "3D Medicines",
        "3M (Pujiang plant)",
        "Shanghai ZJ Bio-Tech Co., Ltd.",
    ]
    assert not AnnualReport.objects.filter(enterprise__in=named).exists()
    assert not Certification.objects.filter(enterprise__in=named).exists()


def test_every_role_has_an_account_with_the_demo_password(demo):
    users = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    assert {u.role for u in users} == {*Role, ""}
    for user in users.exclude(role=""):
        assert user.check_password(DEMO_PASSWORD)
        assert not user.is_staff and not user.is_superuser
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    ent_admin = User.objects.get(username="ent_admin")
    assert ent_admin.enterprise.is_demo and ent_admin.enterprise.town.code == "pujiang"


def test_officers_and_the_admin_have_the_published_totp_secret_and_fresh_passwords(demo):
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sanlian.demo.accounts import DEMO_OTP_KEY_HEX

    with_device = {"pj_officer", "mh_officer", "mh_reviewer", "xz_officer", "admin"}
    devices = TOTPDevice.objects.filter(user__username__in=[a.username for a in DEMO_ACCOUNTS], confirmed=True)
    assert {d.user.username for d in devices} == with_device
    assert {d.key for d in devices} == {DEMO_OTP_KEY_HEX}
    users = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    assert all(timezone.now() - u.password_changed_at < timezone.timedelta(days=1) for u in users)


def test_the_showcase_enterprise_has_a_history_and_the_inboxes_have_messages(demo):
    ent_admin = User.objects.get(username="ent_admin")
    officer = User.objects.get(username="pj_officer")
    actions = [row["event"].action for row in enterprise_history(enterprise=ent_admin.enterprise)]
    assert {"enterprise.create", "enterprise.update", "report.return", "report.approve", "report.submit"} <= set(
        actions
    )
    report = AnnualReport.objects.get(enterprise=ent_admin.enterprise, year=2024)
    assert report.status == AnnualReport.Status.SUBMITTED and report.submitted_by == ent_admin
    assert Notification.objects.filter(recipient=officer, title__contains="年度年报,待审核").count() == 3
    assert Notification.objects.filter(recipient=ent_admin, title__contains="退回").exists()


def test_the_pujiang_officer_has_15_reports_to_review(demo):
    officer = User.objects.get(username="pj_officer")
    assert reports_for_review(user=officer).count() == 15


def test_loading_twice_changes_nothing(demo):
    before = counts()
    revenues = sorted(AnnualReport.objects.values_list("enterprise__uscc", "year", "revenue", "status"))
    out = StringIO()
    call_command("loaddemo", stdout=out)
    assert "演示数据已存在" in out.getvalue()
    assert counts() == before
    assert sorted(AnnualReport.objects.values_list("enterprise__uscc", "year", "revenue", "status")) == revenues


def test_a_changed_demo_account_is_restored(demo):
    user = User.objects.get(username="xz_officer")
    user.set_password("something-else")
    user.role = Role.TALENT
    user.save()
    result = demo_load()
    user.refresh_from_db()
    assert result.users_updated == ["xz_officer"] and result.enterprises == 0
    assert user.role == Role.TOWN_OFFICER and user.check_password(DEMO_PASSWORD)


def test_every_bulk_row_passes_model_validation(demo):
    # Foreign keys and check constraints are left out: the database enforced them on insert.
    foreign_keys = ["enterprise", "town", "park", "cluster", "type", "submitted_by", "reviewed_by"]
    for model in (Enterprise, AnnualReport, Certification, Contact):
        for row in model.objects.all():
            row.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)


def test_the_service_desk_demo_has_requests_in_every_state_and_a_live_item_for_each_side(demo):
    from sanlian.servicedesk.models import ServiceRequest

    plain = ServiceRequest.objects.filter(provider__isnull=True)  # requests to providers have their own demo
    assert demo.desk["requests"] == plain.count() >= 35
    statuses = set(plain.values_list("status", flat=True))
    assert statuses == set(ServiceRequest.Status.values)
    assert ServiceRequest.objects.filter(escalated_at__isnull=False).count() == demo.desk["escalated"] >= 2
    assert ServiceRequest.objects.filter(events__action="autoclose").count() == demo.desk["autoclosed"] == 1
    assert ServiceRequest.objects.filter(reopened__gt=0).exists()
    ratings = set(ServiceRequest.objects.exclude(rating=None).values_list("rating", flat=True))
    assert {2, 3, 4, 5} <= ratings

    mine = ServiceRequest.objects.filter(enterprise__users__username="ent_admin")
    assert mine.filter(status=ServiceRequest.Status.RESOLVED).exists()  # ent_admin confirms and rates
    assert mine.filter(status=ServiceRequest.Status.ACKNOWLEDGED, replies__isnull=False).exists()
    space = ServiceRequest.objects.filter(category__code="space", enterprise__town__code="pujiang")
    assert set(space.values_list("assigned_to__username", flat=True)) == {"mh_officer"}  # the category's rule


def test_the_visits_demo_covers_about_a_third_of_pujiang_and_warns_of_a_recent_visit(demo):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from sanlian.servicedesk.models import Visit
    from sanlian.servicedesk.services.visits import visit_record
    from sanlian.servicedesk.visit_selectors import visit_figures

    today = timezone.localdate()
    figures = visit_figures(Region.objects.get(code="pujiang"), today.year)
    assert 30 <= figures["biomedical_share"] <= 40
    assert sum(figures["flags"].values()) >= 4

    recent = Visit.objects.filter(officer__username="mh_officer").get()
    officer = User.objects.get(username="pj_officer")
    notes = "回访企业扩产计划的落实情况。"
    with pytest.raises(ValidationError, match="陆建华"):
        visit_record(actor=officer, enterprise=recent.enterprise, data={"visited_date": today, "notes": notes})


def test_the_ip_portfolios_agree_with_the_latest_reports_and_every_asset_is_valid(demo):
    from sanlian.demo.ip_portfolio import sample_file_for_demo
    from sanlian.servicedesk.ip_import import ip_import
    from sanlian.servicedesk.ip_numbers import normalise_number

    officer = User.objects.get(username="pj_officer")
    assets = list(IPAsset.objects.select_related("enterprise"))
    assert len(assets) > 3000
    assert all(normalise_number(a.kind, a.number) == a.number for a in assets)  # canonical, check digits right
    for row in assets[:500]:
        row.full_clean(exclude=["enterprise"], validate_unique=False, validate_constraints=False)
    # Granted patents = the holdings of the enterprise's latest report, kind by kind.
    latest = AnnualReport.objects.filter(enterprise__is_biomedical=True, enterprise__is_demo=True, year=2024)
    for report in latest[:60]:
        granted = IPAsset.objects.filter(enterprise=report.enterprise_id, status="granted")
        assert granted.filter(kind="invention").count() == report.patents_invention
        assert granted.filter(kind="design").count() == report.patents_design
    # The sample sheet's dry run: eight good rows, three bad ones, nothing written.
    report = ip_import(actor=officer, data=sample_file_for_demo(today=date(2026, 1, 5)), dry_run=True)
    assert (report.created, report.rejected, report.applied) == (8, 3, False)
    assert {e.column for e in report.errors} == {"号码", "统一社会信用代码", "申请日"}


# Space service (issue 6) ------------------------------------------------------------------------------


def test_the_space_demo_lists_every_type_in_both_parks_with_work_for_the_officer(demo):
    from sanlian.space.models import Kind, Listing
    from sanlian.space.selectors import managed_listings

    listings = Listing.objects.all()
    assert listings.count() == 40 and set(listings.values_list("kind", flat=True)) == set(Kind.values)
    assert set(listings.values_list("park__code", flat=True)) == {"lingang-pujiang", "caohejing-pujiang"}
    assert all(listings.values_list("landlord__is_demo", flat=True))
    officer = User.objects.get(username="pj_officer")
    assert managed_listings(officer, Listing.Status.PENDING).count() == 4
    assert listings.filter(status=Listing.Status.EXPIRED).count() == 2
    assert listings.filter(status=Listing.Status.PUBLISHED, reminded_at__isnull=False).count() == 3
    landlord = User.objects.get(username="landlord")
    assert landlord.enterprise.is_demo and landlord.check_password(DEMO_PASSWORD)


def test_the_cockpit_space_figures_are_the_sums_of_the_records(demo):
    from django.utils import timezone

    from sanlian.space.models import Lease, Listing
    from sanlian.space.selectors import park_figures

    year = timezone.localdate().year
    for row in park_figures(Region.objects.get(code="pujiang"), year):
        on_market = Listing.objects.filter(park=row["park"], status__in=["published", "leased"])
        assert row["listed"] == sum(x.area for x in on_market)
        assert row["vacant"] == sum(x.vacant_area for x in on_market if x.status == "published")
        leases = Lease.objects.filter(listing__park=row["park"], start_date__year=year)
        assert row["taken"] == sum(x.area for x in leases) > 0


def test_ent_admins_space_request_has_explained_matches_and_viewings(demo):
    from sanlian.space.models import SpaceRequest, Viewing
    from sanlian.space.selectors import request_matches

    ent_admin = User.objects.get(username="ent_admin")
    request = SpaceRequest.objects.get(enterprise=ent_admin.enterprise)
    ranked, excluded = request_matches(request)
    assert len(ranked) >= 2 and excluded
    assert all(r.status == "met" for _listing, item in ranked for r in item.reasons if r.hard)
    statuses = set(request.viewings.values_list("status", flat=True))
    assert statuses == {Viewing.Status.REQUESTED, Viewing.Status.CONFIRMED}
    assert SpaceRequest.objects.filter(status=SpaceRequest.Status.LEASED).count() == 1
    assert Viewing.objects.filter(status=Viewing.Status.NOT_TAKEN).count() == 1


def test_loading_twice_writes_no_space_records(demo):
    from sanlian.space.models import Lease, Listing, ListingFile, SpaceRequest, Viewing

    models = (Listing, ListingFile, Lease, SpaceRequest, Viewing)
    before = [m.objects.count() for m in models]
    result = demo_load()
    assert result.space == {} and [m.objects.count() for m in models] == before
