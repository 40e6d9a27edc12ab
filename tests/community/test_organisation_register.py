"""Registering an organisation: in the officer's area, with secretary accounts only, audited."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanlian.community.models import Organisation
from sanlian.community.services.organisations import organisation_create
from sanlian.core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def data(region, **overrides):
    return {"code": "pj-alliance", "name": "浦江镇生物医药产业联盟", "kind": "alliance", "region": region, **overrides}


def test_an_officer_registers_an_organisation_of_the_town_with_its_secretary(pujiang_officer):
    secretary = factories.org_secretary(username="sec")

    org = organisation_create(
        actor=pujiang_officer, data=data(pujiang_officer.region), secretaries=[secretary], now=NOW
    )

    assert list(org.secretaries.all()) == [secretary]
    assert AuditEvent.objects.filter(action="organisation.create", target_id=str(org.pk)).exists()


def test_another_towns_region_a_missing_name_and_a_non_secretary_are_refused_by_field(
    pujiang_officer, xinzhuang_officer, enterprise_admin
):
    with pytest.raises(ValidationError) as refused:
        organisation_create(
            actor=pujiang_officer, data=data(xinzhuang_officer.region, name=" ", kind="club"),
            secretaries=[enterprise_admin], now=NOW,
        )  # fmt: skip

    assert {"region", "name", "kind", "secretaries"} <= set(refused.value.message_dict)
    assert not Organisation.objects.exists()


def test_an_enterprise_user_cannot_register_one(enterprise_admin):
    with pytest.raises(PermissionDenied):
        organisation_create(actor=enterprise_admin, data=data(enterprise_admin.enterprise.town), now=NOW)
