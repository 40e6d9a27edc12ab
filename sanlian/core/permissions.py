"""The one permission layer: roles × region scope × own enterprise.

Every view, API endpoint, export and download asks this module. A scoped model declares where its
region and enterprise are with a class attribute `scope = ScopePaths(region=..., enterprise=...)`,
so the layer works for any app without importing it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import ENTERPRISE_ROLES, OFFICER_ROLES, Role


@dataclass(frozen=True)
class ScopePaths:
    region: str | None = None  # ORM path to a Region (which has a materialised `path`); "self" for Region
    enterprise: str | None = None  # ORM path to the enterprise id
    owner: str | None = None  # ORM path to the id of the person's own user (talent, ambassador)


OFFICERS = OFFICER_ROLES
ENTERPRISE = ENTERPRISE_ROLES
TALENT = frozenset({Role.TALENT})
AMBASSADOR = frozenset({Role.AMBASSADOR})
# Roles that see only what is theirs as a person, through the model's `owner` path.
PERSONAL = TALENT | AMBASSADOR

# action → roles allowed to attempt it; the object's scope is checked separately.
ACTIONS: dict[str, frozenset] = {
    "cockpit.view": OFFICERS,
    "enterprise.view": OFFICERS | ENTERPRISE,
    "enterprise.create": OFFICERS,
    "enterprise.edit": OFFICERS | {Role.ENTERPRISE_ADMIN},
    "enterprise.export": OFFICERS,
    "uscc.override": OFFICERS,
    "contact.reveal": OFFICERS | {Role.ENTERPRISE_ADMIN},
    "contact.edit": OFFICERS | {Role.ENTERPRISE_ADMIN},
    "certification.edit": OFFICERS,
    "report.view": OFFICERS | ENTERPRISE,
    "report.submit": ENTERPRISE,
    "report.review": OFFICERS,
    "chain.edit": OFFICERS,
    "region.view": OFFICERS | ENTERPRISE,
    "stats.view": OFFICERS,
    "policy.edit": OFFICERS,
    "policy.publish": OFFICERS,
    "policy.results": OFFICERS | ENTERPRISE,
    "policy.quick_apply": ENTERPRISE,
    "grant.view": OFFICERS,
    "grant.decide": OFFICERS,
    "call.edit": OFFICERS,
    "application.view": OFFICERS | ENTERPRISE,
    "application.edit": ENTERPRISE,
    "application.review": {Role.TOWN_OFFICER},
    "application.decide": {Role.DISTRICT_OFFICER},
    "application.export": OFFICERS,
    "talent_round.view": OFFICERS,
    "talent_round.edit": OFFICERS,
    "key_enterprise.edit": OFFICERS,
    "talent_application.view": OFFICERS | ENTERPRISE | TALENT,
    "talent_application.edit": ENTERPRISE | TALENT,
    "talent_application.confirm": ENTERPRISE,
    "talent_application.reveal": OFFICERS | ENTERPRISE | TALENT,
    "talent_application.prereview": {Role.TOWN_OFFICER},
    "talent_application.assign": {Role.DISTRICT_OFFICER},
    "talent_application.score": {Role.DISTRICT_OFFICER},
    "talent_application.decide": {Role.DISTRICT_OFFICER},
    "talent_application.export": OFFICERS,
    "talent_notice.publish": {Role.DISTRICT_OFFICER},
    "certificate.view": OFFICERS | ENTERPRISE | TALENT,
    "certificate.revoke": {Role.DISTRICT_OFFICER},
    "benefit.view": OFFICERS | ENTERPRISE | TALENT,
    "benefit.request": ENTERPRISE | TALENT,
    "benefit.decide": OFFICERS,
    "ambassador.view": OFFICERS | AMBASSADOR,
    "ambassador.edit": OFFICERS,
    "lead.view": OFFICERS | AMBASSADOR,
    "lead.edit": OFFICERS | AMBASSADOR,
    "chain.view": OFFICERS | ENTERPRISE,
    "gap.view": OFFICERS,
    "posting.view": OFFICERS | ENTERPRISE,
    "posting.edit": ENTERPRISE,
    "posting.review": OFFICERS,
    "interest.create": ENTERPRISE,
    "interest.broker": OFFICERS,
    "event.edit": OFFICERS,
    "event.join": ENTERPRISE,
    "request.view": OFFICERS | ENTERPRISE,
    "request.submit": ENTERPRISE,
    "request.handle": OFFICERS,
    "request.assign": OFFICERS,
    "routing.edit": OFFICERS,
    "sla.edit": {Role.DISTRICT_OFFICER},
    "organisation.create": OFFICERS,
    # Community events (活动); a secretary manages only the events of the organisations they run.
    "activity.manage": OFFICERS | {Role.ORG_SECRETARY},
    "activity.register": frozenset(Role),
    "article.edit": OFFICERS,
    "article.publish": OFFICERS,
    "visit.view": OFFICERS,
    "visit.record": OFFICERS,
    "provider.view": OFFICERS | ENTERPRISE,
    "provider.edit": OFFICERS,
    "provider.rate": ENTERPRISE,
    "ip.view": OFFICERS | ENTERPRISE,
    "ip.edit": OFFICERS | {Role.ENTERPRISE_ADMIN},
    "ip.import": OFFICERS,
    "space_listing.manage": OFFICERS | ENTERPRISE,
    "space_listing.verify": OFFICERS,
    "space_request.view": OFFICERS | ENTERPRISE,
    "space_request.submit": ENTERPRISE,
    "space_viewing.book": OFFICERS | ENTERPRISE,
    "space_lease.record": OFFICERS | ENTERPRISE,
    "space.stats": OFFICERS,
    # Which organisation: sanlian.community.org_selectors.can_manage (the secretaries listed on it, officers in scope).
    "organisation.manage": OFFICERS | {Role.ORG_SECRETARY},
    "organisation.apply": ENTERPRISE | TALENT,
    # The audit trail (/audit/): district officers read all of it, a town officer what concerns the town
    # (sanlian.core.audit_selectors.visible_events).
    "audit.view": OFFICERS,
}


def _follow(obj, path: str):
    if path == "self":
        return obj
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _region_path(user) -> str | None:
    if not user.region_id:
        return None
    cached = getattr(user, "_scope_region_path", None)
    if cached is None:
        cached = user.region.path
        user._scope_region_path = cached
    return cached


def scope_queryset(user, queryset):
    """Narrow a queryset of a scoped model to what the user may see."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.is_superuser:
        return queryset
    paths: ScopePaths = queryset.model.scope
    if user.role in OFFICERS and paths.region:
        region_path = _region_path(user)
        if region_path is None:
            return queryset.none()
        lookup = "path__startswith" if paths.region == "self" else f"{paths.region}__path__startswith"
        return queryset.filter(**{lookup: region_path})
    if user.role in ENTERPRISE and paths.enterprise and user.enterprise_id:
        return queryset.filter(**{paths.enterprise: user.enterprise_id})
    if user.role in PERSONAL and paths.owner:
        return queryset.filter(**{paths.owner: user.pk})
    return queryset.none()


def in_scope(user, obj) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    paths: ScopePaths = type(obj).scope
    if user.role in OFFICERS and paths.region:
        region = _follow(obj, paths.region)
        region_path = _region_path(user)
        return bool(region is not None and region_path and region.path.startswith(region_path))
    if user.role in ENTERPRISE and paths.enterprise and user.enterprise_id:
        return _follow(obj, paths.enterprise) == user.enterprise_id
    if user.role in PERSONAL and paths.owner:
        return _follow(obj, paths.owner) == user.pk
    return False


def has_perm(user, action: str, obj=None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.is_superuser and user.role not in ACTIONS[action]:
        return False
    return obj is None or in_scope(user, obj)


def require(user, action: str, obj=None) -> None:
    if not has_perm(user, action, obj):
        raise PermissionDenied(action)


def get_scoped(user, action: str, queryset: QuerySet, **lookup) -> Model:
    """One object the user may act on: 403 when the role may never do `action`, 404 when out of scope.

    Out-of-scope objects answer 404 like missing ones, so a caller cannot learn that they exist.
    """
    if not has_perm(user, action):
        raise PermissionDenied(action)
    obj = scope_queryset(user, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
