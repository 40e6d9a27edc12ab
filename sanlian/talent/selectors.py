"""Reads of the talent programme for the applicant, employer, town and reviewer pages."""

from django.db.models import Count, QuerySet

from sanlian.core.masking import mask_id_number, mask_name, mask_phone
from sanlian.core.models import Role, User
from sanlian.core.permissions import get_scoped, has_perm, scope_queryset
from sanlian.core.selectors import region_prefixes

from .models import ReviewAssignment, Round, TalentApplication

Status = TalentApplication.Status


def open_rounds() -> QuerySet:
    return Round.objects.filter(status=Round.Status.OPEN).prefetch_related("levels").order_by("-year")


def _visible(user, queryset: QuerySet) -> QuerySet:
    """Scoped applications; a talent's draft stays with the talent until sent to the employer."""
    queryset = scope_queryset(user, queryset)
    if user.role in (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_STAFF):
        queryset = queryset.exclude(applicant__isnull=False, status=Status.DRAFT)
    return queryset


def my_applications(user) -> QuerySet:
    """The talent's own applications, or the employer's, newest first."""
    applications = _visible(user, TalentApplication.objects.all())
    return applications.select_related("round", "level", "employer").order_by("-round__year", "-updated_at")


def officer_queue(user) -> QuerySet:
    """What waits for this officer: the town's pre-reviews, the district's reviews and decisions."""
    waiting = {Role.TOWN_OFFICER: [Status.SUBMITTED], Role.DISTRICT_OFFICER: [Status.DISTRICT_REVIEW, Status.NOTICE]}
    applications = scope_queryset(user, TalentApplication.objects.filter(status__in=waiting.get(user.role, [])))
    return applications.select_related("round", "level", "employer", "employer__town").order_by("submitted_at", "pk")


def application_for(user, pk: int) -> TalentApplication:
    queryset = TalentApplication.objects.select_related(
        "round", "round__region", "level", "employer", "employer__town", "applicant", "notice"
    )
    if user.role in (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_STAFF):
        queryset = queryset.exclude(applicant__isnull=False, status=Status.DRAFT)
    return get_scoped(user, "talent_application.view", queryset, pk=pk)


def masked(application: TalentApplication) -> dict:
    return {
        "name": application.name,
        "id_number": mask_id_number(application.id_number or ""),
        "phone": mask_phone(application.phone or ""),
    }


def public_name(application: TalentApplication) -> str:
    return mask_name(application.name)


def reviews_visible(user, application: TalentApplication) -> list[ReviewAssignment]:
    """Scores are independent: a reviewer who has not scored yet sees only their own assignment; the
    deciding district sees all; applicants and employers see none."""
    reviews = list(application.reviews.select_related("reviewer").order_by("assigned_at", "pk"))
    own = [r for r in reviews if r.reviewer_id == user.pk]
    if any(r.status == ReviewAssignment.Status.PENDING for r in own):
        return own
    if has_perm(user, "talent_application.decide", application):
        return reviews
    return own


def assignments_of(user) -> QuerySet:
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("application", "application__round", "application__level", "application__employer")
        .order_by("status", "-assigned_at")
    )


def assignment_for(user, pk: int) -> ReviewAssignment:
    queryset = ReviewAssignment.objects.select_related(
        "application", "application__round", "application__level", "application__employer"
    )
    return get_scoped(user, "talent_application.score", queryset.filter(reviewer=user), pk=pk)


def reviewers_for(application: TalentApplication) -> QuerySet:
    """District officers who could review the application (conflicts are refused by the service)."""
    covering = region_prefixes(application.employer.town.path)
    reviewers = User.objects.filter(role=Role.DISTRICT_OFFICER, is_active=True, region__path__in=covering)
    return reviewers.order_by("display_name", "username")


def status_counts(queryset) -> dict[str, int]:
    return dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
