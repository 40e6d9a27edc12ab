"""Provider catalogue writes: create/edit/suspend, price validation, requests through the desk, rating rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanlian.core.models import AuditEvent
from sanlian.servicedesk.models import Provider, ProviderRating, ProviderService, RoutingRule, ServiceRequest
from sanlian.servicedesk.services import providers as services
from sanlian.servicedesk.services import requests as desk
from tests import factories
from tests.servicedesk.provider_helpers import NOW, SH, ask, closed, provider, service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    """Nothing may read a real 'now' behind the services' backs."""
    with time_machine.travel(NOW, tick=False):
        yield


# -- providers ------------------------------------------------------------------------------------------------


def test_an_officer_lists_a_provider_with_its_business_contact_and_an_encrypted_mobile(pujiang_officer):
    created = provider(pujiang_officer, contact_name="王律", contact_mobile="13812345678")

    stored = Provider.objects.get(pk=created.pk)
    assert stored.status == Provider.Status.LISTED and stored.switchboard == "021-54321000"
    assert stored.contact_mobile == "13812345678"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_mobile FROM servicedesk_provider WHERE id = %s", [created.pk])
        assert "13812345678" not in str(cursor.fetchone()[0])
    assert AuditEvent.objects.filter(action="provider.create", target_id=str(created.pk)).exists()


def test_a_provider_linked_to_a_registered_firm_takes_its_name(pujiang_officer):
    firm = factories.enterprise("pujiang", name="浦江演示检测技术有限公司", chain_nodes=("S5",))

    created = provider(pujiang_officer, name="", kind="testing_lab", enterprise=firm.uscc)

    assert created.name == "浦江演示检测技术有限公司" and created.enterprise == firm


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "必填"),
        ("kind", "bank", "机构类型"),
        ("description", "短", "至少 10"),
        ("contact_mobile", "1381234", "11位手机号"),
        ("email", "not-an-email", "电子邮箱"),
        ("switchboard", "call us", "电话号码"),
        ("enterprise", "91310112MA1GBXXXX0", "统一社会信用代码"),
    ],
)
def test_bad_provider_input_is_refused_naming_the_field(pujiang_officer, field, value, message):
    with pytest.raises(ValidationError) as caught:
        provider(pujiang_officer, **{field: value})

    assert message in " ".join(caught.value.message_dict[field])
    assert not Provider.objects.exists()


def test_a_town_officer_cannot_list_a_provider_for_another_town(pujiang_officer):
    with pytest.raises(ValidationError) as caught:
        provider(pujiang_officer, region="xinzhuang")

    assert "本辖区" in caught.value.message_dict["region"][0]


def test_a_town_officer_cannot_edit_another_towns_provider_but_the_district_officer_can(
    pujiang_officer, xinzhuang_officer, district_officer
):
    listed = provider(pujiang_officer)
    data = {"name": "浦江知识产权代理事务所(普通合伙)", "kind": "ip_agency", "region": listed.region}
    data["description"] = listed.description

    with pytest.raises(PermissionDenied):
        services.provider_update(actor=xinzhuang_officer, provider=listed, data=data, now=NOW)
    updated = services.provider_update(actor=district_officer, provider=listed, data=data, now=NOW)

    assert updated.name == data["name"]
    assert AuditEvent.objects.get(action="provider.update").changes["name"][1] == data["name"]


def test_an_enterprise_user_cannot_create_a_provider(enterprise_admin):
    with pytest.raises(PermissionDenied):
        provider(enterprise_admin)


def test_a_suspension_needs_a_reason_and_can_be_undone(pujiang_officer):
    listed = provider(pujiang_officer)

    with pytest.raises(ValidationError) as caught:
        services.provider_transition(actor=pujiang_officer, provider=listed, action="suspend", now=NOW)
    assert "暂停原因" in caught.value.message_dict["reason"][0]
    suspended = services.provider_transition(
        actor=pujiang_officer, provider=listed, action="suspend", reason="资质到期待更新", now=NOW
    )
    assert suspended.status == Provider.Status.SUSPENDED
    with pytest.raises(ValidationError):
        services.provider_transition(actor=pujiang_officer, provider=listed, action="suspend", reason="再次", now=NOW)
    relisted = services.provider_transition(actor=pujiang_officer, provider=listed, action="relist", now=NOW)
    assert relisted.status == Provider.Status.LISTED
    assert AuditEvent.objects.filter(action__in=("provider.suspend", "provider.relist")).count() == 2


# -- services and prices ------------------------------------------------------------------------------------


def test_a_service_stores_its_price_range_exactly_in_fen(pujiang_officer):
    created = service(pujiang_officer, provider(pujiang_officer), price_min="5,000", price_max="12000.50")

    stored = ProviderService.objects.get(pk=created.pk)
    assert stored.price_min == Decimal("5000.00") and stored.price_max == Decimal("12000.50")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT price_max FROM servicedesk_providerservice WHERE id = %s", [created.pk])
        assert cursor.fetchone()[0] == 1_200_050


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"price_min": "9000", "price_max": "5000"}, "price_max", "不能低于最低价"),
        ({"price_min": "-1"}, "price_min", "负数"),
        ({"price_min": 5000.5}, "price_min", "浮点数"),
        ({"price_min": "五千"}, "price_min", "有效的金额"),
        ({"price_min": ""}, "price_min", "必填"),
        ({"unit": "per_day"}, "unit", "计价单位"),
        ({"turnaround_days": "0"}, "turnaround_days", "周期"),
    ],
)
def test_bad_prices_are_refused_naming_the_field_and_nothing_is_saved(pujiang_officer, overrides, field, message):
    listed = provider(pujiang_officer)

    with pytest.raises(ValidationError) as caught:
        service(pujiang_officer, listed, **overrides)

    assert message in " ".join(caught.value.message_dict[field])
    assert not ProviderService.objects.exists()


def test_a_service_without_a_maximum_is_priced_from_its_minimum(pujiang_officer):
    created = service(pujiang_officer, provider(pujiang_officer), price_max="")

    assert created.price_max is None and created.price_min == Decimal("5000.00")


# -- requests through the desk ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "category", "resolve_due"),
    [
        # 10 working days from Monday 09-29: 09-30, 10-09, 10-10, 10-11 (make-up Saturday), 10-13 … 10-17, 10-20
        ("ip_agency", "ip", (2025, 10, 20)),
        ("financing", "financing", (2025, 10, 20)),
        ("regulatory", "permits", (2025, 10, 13)),  # 5 working days
        ("testing_lab", "other", (2025, 10, 13)),
    ],
)
def test_a_request_through_a_provider_is_a_desk_request_with_the_kinds_category_and_sla(
    pujiang_officer, enterprise_admin, kind, category, resolve_due
):
    svc = service(pujiang_officer, provider(pujiang_officer, kind=kind))
    RoutingRule.objects.create(category=None, town=enterprise_admin.enterprise.town, officer=pujiang_officer)

    request = ask(enterprise_admin, svc)

    assert request.category.code == category
    assert request.provider == svc.provider and request.provider_service == svc
    assert request.assigned_to == pujiang_officer and request.status == ServiceRequest.Status.SUBMITTED
    assert timezone.localtime(request.resolve_due_at).date() == date(*resolve_due)


def test_a_suspended_providers_service_cannot_be_requested(pujiang_officer, enterprise_admin):
    svc = service(pujiang_officer, provider(pujiang_officer))
    services.provider_transition(actor=pujiang_officer, provider=svc.provider, action="suspend", reason="暂停", now=NOW)

    with pytest.raises(ValidationError) as caught:
        ask(enterprise_admin, svc)

    assert "已上架" in caught.value.message_dict["provider_service"][0]
    assert not ServiceRequest.objects.exists()


def test_a_withdrawn_service_cannot_be_requested(pujiang_officer, enterprise_admin):
    svc = service(pujiang_officer, provider(pujiang_officer))
    data = {"name": svc.name, "price_min": "5000", "price_max": "12000", "unit": "per_case", "is_active": False}
    services.provider_service_update(actor=pujiang_officer, service=svc, data=data, now=NOW)

    with pytest.raises(ValidationError):
        ask(enterprise_admin, svc)


# -- ratings --------------------------------------------------------------------------------------------------


def test_an_enterprise_rates_the_provider_of_its_closed_request_once(pujiang_officer, enterprise_admin):
    request = closed(enterprise_admin, pujiang_officer, service(pujiang_officer, provider(pujiang_officer)))
    later = NOW + timedelta(days=4)

    rating = services.provider_rate(actor=enterprise_admin, request=request, score=4, comment="响应快", now=later)

    assert (rating.score, rating.comment, rating.enterprise) == (4, "响应快", enterprise_admin.enterprise)
    with pytest.raises(ValidationError) as caught:
        services.provider_rate(actor=enterprise_admin, request=request, score=5, now=later)
    assert "重复评价" in caught.value.message_dict["score"][0]
    assert ProviderRating.objects.get().score == 4
    assert AuditEvent.objects.filter(action="provider.rate").count() == 1


def test_a_rating_before_the_request_is_closed_is_refused(pujiang_officer, enterprise_admin):
    request = ask(enterprise_admin, service(pujiang_officer, provider(pujiang_officer)))

    with pytest.raises(ValidationError) as caught:
        services.provider_rate(actor=enterprise_admin, request=request, score=5, now=NOW)

    assert "办结" in caught.value.message_dict["status"][0]
    assert not ProviderRating.objects.exists()


def test_another_enterprise_cannot_rate_the_request(pujiang_officer, enterprise_admin, pujiang_enterprise):
    request = closed(enterprise_admin, pujiang_officer, service(pujiang_officer, provider(pujiang_officer)))
    other = factories.enterprise_user(factories.enterprise("pujiang"), username="other_admin")

    with pytest.raises(ValidationError) as caught:
        services.provider_rate(actor=other, request=request, score=1, now=NOW)

    assert "本企业" in caught.value.message_dict["request"][0]
    assert not ProviderRating.objects.exists()


def test_an_officer_cannot_rate(pujiang_officer, enterprise_admin):
    request = closed(enterprise_admin, pujiang_officer, service(pujiang_officer, provider(pujiang_officer)))

    with pytest.raises(PermissionDenied):
        services.provider_rate(actor=pujiang_officer, request=request, score=5, now=NOW)


@pytest.mark.parametrize("score", [0, 6, "abc", 4.5, None])
def test_a_score_outside_one_to_five_is_refused(pujiang_officer, enterprise_admin, score):
    request = closed(enterprise_admin, pujiang_officer, service(pujiang_officer, provider(pujiang_officer)))

    with pytest.raises(ValidationError) as caught:
        services.provider_rate(actor=enterprise_admin, request=request, score=score, now=NOW)

    assert "1–5" in caught.value.message_dict["score"][0]


def test_a_plain_desk_request_has_no_provider_to_rate(pujiang_officer, enterprise_admin):
    data = {"category": "policy", "title": "政策咨询", "body": "请问研发补贴如何申报?"}
    request = desk.request_submit(actor=enterprise_admin, data=data, now=NOW)

    with pytest.raises(ValidationError) as caught:
        services.provider_rate(actor=enterprise_admin, request=request, score=5, now=NOW)

    assert "未委托" in caught.value.message_dict["request"][0]


def test_an_officer_hides_an_abusive_comment_with_a_reason_and_the_score_still_counts(
    pujiang_officer, xinzhuang_officer, enterprise_admin
):
    request = closed(enterprise_admin, pujiang_officer, service(pujiang_officer, provider(pujiang_officer)))
    rating = services.provider_rate(actor=enterprise_admin, request=request, score=1, comment="骗子!!", now=NOW)

    with pytest.raises(PermissionDenied):
        services.provider_rating_hide(actor=xinzhuang_officer, rating=rating, reason="辱骂", now=NOW)
    with pytest.raises(ValidationError):
        services.provider_rating_hide(actor=pujiang_officer, rating=rating, reason="", now=NOW)
    hidden = services.provider_rating_hide(actor=pujiang_officer, rating=rating, reason="含侮辱性言辞", now=NOW)

    assert hidden.hidden_at == NOW and hidden.hidden_by == pujiang_officer and hidden.score == 1
    assert AuditEvent.objects.get(action="provider.rating_hide").note == "含侮辱性言辞"


def test_times_are_those_passed_in(pujiang_officer):
    moment = NOW.astimezone(SH) - timedelta(days=3)

    created = services.provider_create(
        actor=pujiang_officer,
        data={"name": "某某律师事务所", "kind": "law_firm", "region": factories.region("pujiang"),
              "description": "生物医药企业合规与知识产权诉讼。"},
        now=moment,
    )  # fmt: skip

    assert created.created_at == moment
