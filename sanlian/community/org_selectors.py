"""Reads of organisations, their members, joining applications and documents.

`can_manage` is the one rule of who runs an organisation: superusers, officers whose region contains the
organisation's, and the secretaries listed on it. Every management page and service asks it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from sanlian.core.models import Role
from sanlian.core.permissions import has_perm

from .models import JoinApplication, Member, MemberRole, Organisation, OrgDocument

LEADER_ROLES = [r for r in MemberRole.values if r != MemberRole.MEMBER]


def can_manage(user, organisation: Organisation) -> bool:
    if not has_perm(user, "organisation.manage"):
        return False
    if user.role == Role.ORG_SECRETARY and not user.is_superuser:
        return organisation.secretaries.filter(pk=user.pk).exists()
    return has_perm(user, "organisation.manage", organisation)


def require_manager(user, organisation: Organisation) -> None:
    """Refuse, with a message naming the organisation, anyone who does not run it."""
    if not can_manage(user, organisation):
        raise PermissionDenied(_("您只能管理自己负责的组织,无权管理「%(name)s」") % {"name": organisation.name})


def active_members(organisation: Organisation):
    return organisation.members.filter(left_date__isnull=True)


def membership_of(user, organisation: Organisation) -> Member | None:
    """The user's own active membership, as a person or through their enterprise."""
    if not getattr(user, "is_authenticated", False):
        return None
    mine = Q(user=user)
    if user.is_enterprise_user and user.enterprise_id:
        mine |= Q(enterprise_id=user.enterprise_id)
    return active_members(organisation).filter(mine).first()


def can_see_members(user, organisation: Organisation) -> bool:
    return can_manage(user, organisation) or membership_of(user, organisation) is not None


def organisation_list():
    counted = Count("members", filter=Q(members__left_date__isnull=True))
    return Organisation.objects.select_related("region").annotate(member_count=counted)


def organisation_by_code(code: str) -> Organisation:
    organisation = Organisation.objects.select_related("region").filter(code=code).first()
    if organisation is None:
        raise Http404
    return organisation


def managed_organisation(user, code: str) -> Organisation:
    organisation = organisation_by_code(code)
    require_manager(user, organisation)
    return organisation


def leaders(organisation: Organisation) -> list[Member]:
    rows = active_members(organisation).filter(role__in=LEADER_ROLES).select_related("enterprise")
    order = {role: i for i, role in enumerate(MemberRole.values)}
    return sorted(rows, key=lambda m: (order[m.role], m.joined_date, m.pk))


def member_directory(organisation: Organisation, *, query: str = "", kind: str = ""):
    rows = active_members(organisation).select_related("enterprise")
    query = (query or "").strip()
    if query:
        rows = rows.filter(
            Q(enterprise__name__icontains=query) | Q(person_name__icontains=query) | Q(employer__icontains=query)
        )
    if kind in Member.Kind.values:
        rows = rows.filter(kind=kind)
    return rows.order_by("joined_date", "id")


def member_to_manage(user, pk: int) -> Member:
    member = Member.objects.select_related("organisation", "enterprise").filter(pk=pk, left_date__isnull=True).first()
    if member is None:
        raise Http404
    require_manager(user, member.organisation)
    return member


def application_queue(organisation: Organisation, *, status: str = JoinApplication.Status.PENDING):
    rows = organisation.applications.select_related("applicant", "enterprise", "decided_by")
    if status in JoinApplication.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("created_at", "id")


def application_to_decide(user, pk: int) -> JoinApplication:
    application = JoinApplication.objects.select_related("organisation").filter(pk=pk).first()
    if application is None:
        raise Http404
    require_manager(user, application.organisation)
    return application


def own_applications(user, organisation: Organisation):
    if not getattr(user, "is_authenticated", False):
        return JoinApplication.objects.none()
    return organisation.applications.filter(applicant=user).order_by("-created_at", "-id")


def own_application(user, pk: int) -> JoinApplication:
    application = JoinApplication.objects.select_related("organisation").filter(pk=pk, applicant=user).first()
    if application is None:
        raise Http404
    return application


def visible_documents(user, organisation: Organisation):
    rows = organisation.documents.all()
    if can_see_members(user, organisation):
        return rows
    return rows.filter(visibility=OrgDocument.Visibility.PUBLIC)


def document_for(user, pk: int) -> OrgDocument:
    """A public document for anyone; a members-only one for members and managers; 404 otherwise."""
    document = OrgDocument.objects.select_related("organisation").filter(pk=pk).first()
    if document is None:
        raise Http404
    if document.visibility == OrgDocument.Visibility.PUBLIC or can_see_members(user, document.organisation):
        return document
    raise Http404


def document_to_manage(user, pk: int) -> OrgDocument:
    document = OrgDocument.objects.select_related("organisation").filter(pk=pk).first()
    if document is None:
        raise Http404
    require_manager(user, document.organisation)
    return document


def pending_count(organisation: Organisation) -> int:
    return organisation.applications.filter(status=JoinApplication.Status.PENDING).count()
