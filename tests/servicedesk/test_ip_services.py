"""Keeping an IP portfolio: add, edit, lapse, duplicates refused, scope, default terms and the audit."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from sanlian.core.models import AuditEvent, Role
from sanlian.servicedesk.models import IPAsset
from sanlian.servicedesk.services import ip as services
from tests import factories

from .ip_helpers import NOW, invention, patent_number, trademark

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def test_an_enterprise_admin_adds_a_granted_invention_with_its_legal_term(pujiang_enterprise, enterprise_admin):
    asset = services.ip_asset_add(
        actor=enterprise_admin, enterprise=pujiang_enterprise, data=invention(number="ZL 202310123456.6")
    )

    assert asset.number == "202310123456.6" and asset.status == "granted"
    assert asset.expiry_date == date(2043, 2, 28) and not asset.expiry_manual
    event = AuditEvent.objects.get(action="ip.create")
    assert event.enterprise_id == pujiang_enterprise.pk and event.changes["number"] == [None, "202310123456.6"]


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(pujiang_enterprise, enterprise_admin):
    data = invention(number="202310123456.5", title="", grant_date=date(2022, 1, 1), trademark_class=3)

    with pytest.raises(ValidationError) as exc:
        services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=data)

    assert {"number", "title", "trademark_class"} <= exc.value.message_dict.keys()
    assert not IPAsset.objects.exists() and not AuditEvent.objects.filter(action__startswith="ip.").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"grant_date": date(2022, 1, 1)}, "grant_date"),  # before filing
        ({"grant_date": None}, "grant_date"),  # granted without a grant date
        ({"status": "pending"}, "grant_date"),  # pending with a grant date
        ({"filing_date": None, "grant_date": None, "status": "pending"}, "filing_date"),
        ({"filing_date": date(2024, 3, 1), "grant_date": date(2024, 9, 1)}, "filing_date"),  # year ≠ number's
        ({"grant_date": date(2026, 7, 1)}, "grant_date"),  # in the future
        ({"status": "granted?"}, "status"),
        ({"kind": "poem"}, "kind"),
    ],
)
def test_inconsistent_dates_and_unknown_choices_name_their_field(
    pujiang_enterprise, enterprise_admin, overrides, field
):
    with pytest.raises(ValidationError) as exc:
        services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=invention(**overrides))
    assert field in exc.value.message_dict


def test_a_trademark_needs_a_class_from_1_to_45_and_runs_ten_years_from_registration(
    pujiang_enterprise, enterprise_admin
):
    with pytest.raises(ValidationError) as exc:
        services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=trademark(trademark_class=46))
    assert "trademark_class" in exc.value.message_dict

    asset = services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=trademark())
    assert asset.expiry_date == date(2032, 7, 13)


def test_the_same_number_twice_in_one_portfolio_is_refused(pujiang_enterprise, enterprise_admin):
    services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=invention())

    with pytest.raises(ValidationError) as exc:
        services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=invention(title="另一名称"))

    assert "本企业" in exc.value.message_dict["number"][0]


def test_another_enterprises_patent_is_refused_without_naming_it(pujiang_enterprise, xinzhuang_enterprise):
    services.ip_asset_add(actor=factories.superuser(), enterprise=xinzhuang_enterprise, data=invention())
    admin = factories.enterprise_user(pujiang_enterprise)

    with pytest.raises(ValidationError) as exc:
        services.ip_asset_add(actor=admin, enterprise=pujiang_enterprise, data=invention())

    message = exc.value.message_dict["number"][0]
    assert "其他企业" in message and xinzhuang_enterprise.name not in message
    assert IPAsset.objects.count() == 1


def test_an_enterprise_cannot_touch_another_portfolio_and_staff_cannot_edit(pujiang_enterprise, xinzhuang_enterprise):
    admin = factories.enterprise_user(xinzhuang_enterprise)
    staff = factories.enterprise_user(pujiang_enterprise, role=Role.ENTERPRISE_STAFF)

    for actor in (admin, staff):
        with pytest.raises(PermissionDenied):
            services.ip_asset_add(actor=actor, enterprise=pujiang_enterprise, data=invention())


def test_an_officer_out_of_scope_is_refused_and_one_in_scope_may_correct_the_expiry(
    pujiang_enterprise, xinzhuang_officer, pujiang_officer, enterprise_admin
):
    with pytest.raises(PermissionDenied):
        services.ip_asset_add(actor=xinzhuang_officer, enterprise=pujiang_enterprise, data=invention())
    asset = services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=invention())

    corrected = services.ip_asset_edit(actor=pujiang_officer, asset=asset, data={"expiry_date": date(2030, 12, 31)})

    assert corrected.expiry_date == date(2030, 12, 31) and corrected.expiry_manual
    # The enterprise's later edit keeps the officer's date; its own expiry date is not taken.
    edited = services.ip_asset_edit(
        actor=enterprise_admin, asset=asset, data={"title": "新名称", "expiry_date": date(2050, 1, 1)}
    )
    assert edited.title == "新名称" and edited.expiry_date == date(2030, 12, 31)
    # An officer who clears the date returns to the legal term.
    reset = services.ip_asset_edit(actor=pujiang_officer, asset=asset, data={"expiry_date": ""})
    assert reset.expiry_date == date(2043, 2, 28) and not reset.expiry_manual


def test_marking_lapsed_is_audited_and_an_edit_that_changes_nothing_records_nothing(
    pujiang_enterprise, enterprise_admin
):
    asset = services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=invention())

    services.ip_asset_edit(actor=enterprise_admin, asset=asset, data={"title": asset.title})
    lapsed = services.ip_asset_lapse(actor=enterprise_admin, asset=asset)

    assert lapsed.status == "lapsed"
    update = AuditEvent.objects.get(action="ip.update")
    assert update.changes == {"status": ["granted", "lapsed"]}


def test_a_pending_design_application_has_a_term_from_its_filing_date(pujiang_enterprise, enterprise_admin):
    data = {
        "kind": "design", "number": patent_number("design", 42, 2025), "title": "采血管托盘",
        "status": "pending", "filing_date": date(2025, 8, 1),
    }  # fmt: skip
    asset = services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=data)
    assert asset.expiry_date == date(2040, 7, 31)


def test_a_spreadsheet_is_no_certificate_and_an_oversized_scan_is_refused(pujiang_enterprise, enterprise_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .ip_helpers import xlsx

    sheet = SimpleUploadedFile("证书.xlsx", xlsx([["a"]]))
    with pytest.raises(ValidationError) as exc:
        services.ip_asset_add(
            actor=enterprise_admin, enterprise=pujiang_enterprise, data=invention(), certificate=sheet
        )
    assert "PDF" in exc.value.message_dict["certificate"][0]

    big = SimpleUploadedFile("证书.pdf", b"%PDF-1.4\n" + b"0" * (services.CERTIFICATE_MAX_BYTES + 1))
    with pytest.raises(ValidationError) as exc:
        services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=invention(), certificate=big)
    assert "过大" in exc.value.message_dict["certificate"][0]
    assert not IPAsset.objects.exists()
