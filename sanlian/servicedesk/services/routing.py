"""Routing rules and SLAs of the service desk: who receives a town's requests of a category, and how fast.

A rule without a category is the town's default. Officers keep the rules of the towns in their scope; the
officer named must be able to handle that town's requests (a town officer of the town or a district officer
above it), so a rule can never route a request to somebody who cannot open it. A category's SLA is the
district's to set; a change applies to requests filed afterwards (deadlines already given stay).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanlian.core.models import OFFICER_ROLES
from sanlian.core.permissions import in_scope, require
from sanlian.core.selectors import region_prefixes
from sanlian.core.services import audit_record

from ..models import Category, RoutingRule


def _officer_covers(officer, town) -> bool:
    return (
        officer is not None
        and officer.is_active
        and officer.role in OFFICER_ROLES
        and officer.region_id is not None
        and officer.region.path in region_prefixes(town.path)
    )


@transaction.atomic
def routing_rule_set(*, actor, town, category: Category | None, officer, now: datetime) -> RoutingRule:
    """Route the town's requests of `category` (None: every category without its own rule) to `officer`."""
    require(actor, "routing.edit")
    if town is None or not in_scope(actor, town):
        raise ValidationError({"town": _("只能设置辖区内镇(街道)的分派规则")})
    if not _officer_covers(officer, town):
        raise ValidationError({"officer": _("承办人须为该镇(街道)或其所在区的服务专员")})
    rule = RoutingRule.objects.select_for_update().filter(town=town, category=category).first()
    # Usernames, not ids, in the trail: they read as who was named and stay the same across reloads.
    old = rule.officer.username if rule else None
    if rule is None:
        rule = RoutingRule.objects.create(town=town, category=category, officer=officer)
    elif old != officer.username:
        rule.officer = officer
        rule.save(update_fields=["officer"])
    audit_record(
        actor=actor,
        action="routing.set",
        target=rule,
        changes={"category": category.code if category else "*", "officer": [old, officer.username]},
        now=now,
    )
    return rule


@transaction.atomic
def routing_rule_remove(*, actor, rule: RoutingRule, now: datetime) -> None:
    require(actor, "routing.edit", rule)
    audit_record(
        actor=actor,
        action="routing.remove",
        target=rule,
        changes={"category": rule.category.code if rule.category else "*", "officer": [rule.officer.username, None]},
        now=now,
    )
    rule.delete()


ACK_DAYS = (1, 5)
RESOLVE_DAYS = (1, 60)


def _days(value, field: str, bounds: tuple[int, int], errors: dict) -> int | None:
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = _("请填写整数天数")
        return None
    if not bounds[0] <= days <= bounds[1]:
        errors[field] = _("应为 %(min)s–%(max)s 个工作日") % {"min": bounds[0], "max": bounds[1]}
        return None
    return days


@transaction.atomic
def category_sla_set(*, actor, category: Category, ack_working_days, resolve_working_days, now: datetime) -> Category:
    """Set a category's deadlines in working days: acknowledge within 1–5, resolve within 1–60 and not sooner."""
    require(actor, "sla.edit")
    errors: dict[str, str] = {}
    ack = _days(ack_working_days, "ack_working_days", ACK_DAYS, errors)
    resolve = _days(resolve_working_days, "resolve_working_days", RESOLVE_DAYS, errors)
    if ack is not None and resolve is not None and resolve < ack:
        errors["resolve_working_days"] = _("办结时限不能短于受理时限")
    if errors:
        raise ValidationError(errors)
    category = Category.objects.select_for_update().get(pk=category.pk)
    old = [category.ack_working_days, category.resolve_working_days]
    category.ack_working_days, category.resolve_working_days = ack, resolve
    category.save(update_fields=["ack_working_days", "resolve_working_days"])
    audit_record(actor=actor, action="category.sla", target=category, changes={"sla": [old, [ack, resolve]]}, now=now)
    return category
