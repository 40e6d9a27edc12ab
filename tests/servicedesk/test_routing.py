"""Routing rules: officers name who receives a town's requests; new requests follow the rules."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sanlian.core.models import AuditEvent
from sanlian.servicedesk.models import Category, RoutingRule
from sanlian.servicedesk.services import requests as desk
from sanlian.servicedesk.services.routing import category_sla_set, routing_rule_remove, routing_rule_set
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ROUTING = reverse("servicedesk:routing")


def submit(user, category="policy"):
    data = {"category": category, "title": "咨询厂房租金补贴", "body": "请问生物医药企业租用厂房的补贴如何申请?"}
    return desk.request_submit(actor=user, data=data, now=NOW)


def test_a_category_rule_wins_over_the_towns_default(pujiang_officer, district_officer, enterprise_admin):
    town = enterprise_admin.enterprise.town
    colleague = factories.officer("pujiang", username="pj_space")
    routing_rule_set(actor=pujiang_officer, town=town, category=None, officer=pujiang_officer, now=NOW)
    routing_rule_set(
        actor=pujiang_officer, town=town, category=Category.objects.get(code="space"), officer=colleague, now=NOW
    )

    assert submit(enterprise_admin, "space").assigned_to == colleague
    assert submit(enterprise_admin, "policy").assigned_to == pujiang_officer
    assert AuditEvent.objects.filter(action="routing.set").count() == 2


def test_setting_a_rule_again_changes_its_officer_instead_of_adding_one(pujiang_officer, district_officer):
    town = pujiang_officer.region
    routing_rule_set(actor=pujiang_officer, town=town, category=None, officer=pujiang_officer, now=NOW)
    routing_rule_set(actor=pujiang_officer, town=town, category=None, officer=district_officer, now=NOW)

    assert list(RoutingRule.objects.values_list("officer", flat=True)) == [district_officer.pk]


def test_an_officer_of_another_town_cannot_be_named_nor_can_another_towns_rules_be_set(
    pujiang_officer, xinzhuang_officer
):
    with pytest.raises(ValidationError) as named:
        routing_rule_set(
            actor=pujiang_officer, town=pujiang_officer.region, category=None, officer=xinzhuang_officer, now=NOW
        )
    assert "officer" in named.value.message_dict

    with pytest.raises(ValidationError) as other_town:
        routing_rule_set(
            actor=pujiang_officer, town=xinzhuang_officer.region, category=None, officer=pujiang_officer, now=NOW
        )
    assert "town" in other_town.value.message_dict
    assert not RoutingRule.objects.exists()


def test_an_enterprise_user_may_not_route(enterprise_admin, pujiang_officer):
    with pytest.raises(PermissionDenied):
        routing_rule_set(
            actor=enterprise_admin, town=pujiang_officer.region, category=None, officer=pujiang_officer, now=NOW
        )


def test_a_removed_rule_leaves_new_requests_unassigned(pujiang_officer, enterprise_admin):
    rule = routing_rule_set(actor=pujiang_officer, town=pujiang_officer.region, category=None, officer=pujiang_officer,
                            now=NOW)  # fmt: skip
    routing_rule_remove(actor=pujiang_officer, rule=rule, now=NOW)

    assert submit(enterprise_admin).assigned_to is None
    assert AuditEvent.objects.filter(action="routing.remove").exists()


class TestTheRoutingPage:
    def test_an_officer_adds_a_rule_and_sees_it_with_the_sla_table(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        response = client.post(
            ROUTING, {"town": pujiang_officer.region_id, "category": "ip", "officer": pujiang_officer.pk}
        )
        assert response.status_code == 302
        html = client.get(ROUTING).content.decode()
        assert "知识产权" in html and "办结时限(工作日)" in html
        assert RoutingRule.objects.get().category.code == "ip"

    def test_an_officer_of_another_town_is_refused_with_the_field_named_and_nothing_saved(
        self, client, pujiang_officer, xinzhuang_officer
    ):
        client.force_login(pujiang_officer)
        response = client.post(ROUTING, {"town": xinzhuang_officer.region_id, "category": "", "officer": 999999})
        assert response.status_code == 400
        assert "承办人" in response.content.decode() or "镇/街道" in response.content.decode()
        assert not RoutingRule.objects.exists()

    def test_another_towns_rule_cannot_be_removed(self, client, pujiang_officer, xinzhuang_officer):
        rule = routing_rule_set(actor=xinzhuang_officer, town=xinzhuang_officer.region, category=None,
                                officer=xinzhuang_officer, now=NOW)  # fmt: skip
        client.force_login(pujiang_officer)
        assert client.post(reverse("servicedesk:routing-remove", args=[rule.pk])).status_code == 404
        assert RoutingRule.objects.filter(pk=rule.pk).exists()

    def test_enterprise_users_are_refused_the_page(self, client, enterprise_admin):
        client.force_login(enterprise_admin)
        assert client.get(ROUTING).status_code == 403


class TestCategorySla:
    def test_a_district_officer_sets_a_sla_that_applies_to_requests_filed_afterwards(
        self, district_officer, enterprise_admin
    ):
        # Filed Monday 2026-06-15: counted from the 16th; Friday the 19th is the Dragon Boat Festival.
        before = submit(enterprise_admin)
        category_sla_set(
            actor=district_officer, category=Category.objects.get(code="policy"), ack_working_days="1",
            resolve_working_days="2", now=NOW,
        )  # fmt: skip
        after = submit(enterprise_admin)

        assert timezone.localtime(before.resolve_due_at).day == 23  # 16, 17, 18, 22, 23
        assert timezone.localtime(after.resolve_due_at).day == 17  # 16, 17
        before.refresh_from_db()
        assert timezone.localtime(before.resolve_due_at).day == 23
        assert AuditEvent.objects.filter(action="category.sla", changes__sla=[[1, 5], [1, 2]]).exists()

    @pytest.mark.parametrize(
        ("ack", "resolve", "field"),
        [("0", "5", "ack_working_days"), ("1", "61", "resolve_working_days"), ("3", "2", "resolve_working_days"),
         ("一", "5", "ack_working_days")],
    )  # fmt: skip
    def test_bad_days_are_refused_naming_the_field_and_nothing_changes(self, district_officer, ack, resolve, field):
        category = Category.objects.get(code="policy")
        with pytest.raises(ValidationError) as refused:
            category_sla_set(actor=district_officer, category=category, ack_working_days=ack,
                             resolve_working_days=resolve, now=NOW)  # fmt: skip
        assert field in refused.value.message_dict
        category.refresh_from_db()
        assert (category.ack_working_days, category.resolve_working_days) == (1, 5)

    def test_a_town_officer_sees_the_sla_but_cannot_change_it(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        assert 'name="resolve_working_days"' not in client.get(ROUTING).content.decode()
        response = client.post(reverse("servicedesk:category-sla", args=["policy"]),
                               {"ack_working_days": "1", "resolve_working_days": "2"})  # fmt: skip
        assert response.status_code == 403
        assert Category.objects.get(code="policy").resolve_working_days == 5

    def test_the_district_officer_changes_it_on_the_page_and_sees_why_a_bad_value_failed(
        self, client, district_officer
    ):
        client.force_login(district_officer)
        url = reverse("servicedesk:category-sla", args=["ip"])
        page = client.post(url, {"ack_working_days": "1", "resolve_working_days": "99"}, follow=True)
        assert "应为 1–60 个工作日" in page.content.decode()
        client.post(url, {"ack_working_days": "2", "resolve_working_days": "15"})
        assert Category.objects.filter(code="ip", ack_working_days=2, resolve_working_days=15).exists()
