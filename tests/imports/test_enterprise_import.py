"""Importing enterprises: upsert by USCC, all-or-nothing or partial, scope, history, messy sheets."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sanlian.core.models import AuditEvent
from sanlian.enterprises.models import Enterprise
from sanlian.imports.engine import run_import
from sanlian.imports.kinds import EnterpriseImporter
from tests import factories

from .helpers import ENTERPRISE_HEADER, csv_bytes, enterprise_row, xlsx

pytestmark = pytest.mark.django_db


def run(actor, data, **options):
    return run_import(EnterpriseImporter(), actor=actor, data=data, filename=options.pop("filename", "e.xlsx"),
                      **options)  # fmt: skip


def test_a_new_sheet_creates_the_enterprises_with_money_in_wan_yuan_and_importing_it_again_changes_nothing(
    pujiang_officer,
):
    codes = [factories.new_uscc(), factories.new_uscc()]
    data = xlsx([ENTERPRISE_HEADER, enterprise_row(codes[0], capital="1.5"), enterprise_row(codes[1], name="乙公司")])

    first = run(pujiang_officer, data)
    second = run(pujiang_officer, data)

    assert (first.created, first.rejected, first.applied) == (2, 0, True), first.errors
    assert Enterprise.objects.get(uscc=codes[0]).registered_capital == Decimal("15000.00")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.filter(action="enterprise.create", enterprise_id__isnull=False).count() == 2


def test_a_changed_cell_updates_the_enterprise_and_records_old_and_new_in_its_history(pujiang_officer):
    existing = factories.enterprise("pujiang", name="旧名称有限公司")
    data = xlsx([ENTERPRISE_HEADER, enterprise_row(existing.uscc, name="新名称有限公司")])

    report = run(pujiang_officer, data)

    assert report.updated == 1
    event = AuditEvent.objects.filter(action="enterprise.update", enterprise_id=existing.pk).get()
    assert event.changes["name"] == ["旧名称有限公司", "新名称有限公司"]
    assert event.actor == pujiang_officer
