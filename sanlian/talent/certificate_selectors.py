"""Reads of certificates and benefits, narrowed by the permission layer.

The public verification answer is deliberately tiny: a masked name, the level, the year and whether the
certificate still stands. Nothing that identifies the person further (employer, ID, phone) leaves here.
"""

from django.db.models import QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from sanlian.core.masking import mask_name
from sanlian.core.permissions import scope_queryset

from .models import Benefit, Certificate, Level, TalentApplication

__all__ = [
    "MONEY_KINDS",
    "FLAG_KINDS",
    "benefit_kinds_offered",
    "benefit_cap",
    "certificate_public",
    "certificate_last_number",
    "certificates_for_user",
    "benefits_for_officer",
    "benefits_for_application",
]

K = Benefit.Kind
# Money benefits and the level field holding their cap (rent: a monthly amount).
MONEY_KINDS = {K.HOUSING_PURCHASE: "housing_subsidy_max", K.RENT: "rent_subsidy_monthly"}
# Service benefits and the level flag that offers them.
FLAG_KINDS = {K.SCHOOLING: "schooling", K.MEDICAL: "medical"}


def benefit_kinds_offered(level: Level) -> list[str]:
    """The benefit kinds a level offers, in the order of Benefit.Kind."""
    offered = []
    for kind in K.values:
        if kind in MONEY_KINDS:
            if getattr(level, MONEY_KINDS[kind]) is not None:
                offered.append(kind)
        elif getattr(level, FLAG_KINDS[kind]):
            offered.append(kind)
    return offered


def benefit_cap(level: Level, kind: str):
    """The level's cap (Decimal yuan) for a money kind; None for service kinds or when not offered."""
    field = MONEY_KINDS.get(kind)
    return getattr(level, field) if field else None


def certificate_public(token: str) -> dict | None:
    """What the public verification page may show of a certificate, or None for an unknown token."""
    if not token:
        return None
    row = (
        Certificate.objects.filter(token=token)
        .values("application__name", "application__level__name", "application__round__year", "revoked_at")
        .first()
    )
    if row is None:
        return None
    revoked_at = row["revoked_at"]
    return {
        "masked_name": mask_name(row["application__name"]),
        "level": row["application__level__name"],
        "year": row["application__round__year"],
        "status": "revoked" if revoked_at else "valid",
        "revoked_date": timezone.localdate(revoked_at) if revoked_at else None,
    }


def certificate_last_number(prefix: str) -> str | None:
    """The highest certificate number starting with `prefix` (longer serials sort after shorter ones)."""
    return (
        Certificate.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )


def certificates_for_user(user) -> QuerySet[Certificate]:
    """The certificates a user may see: officers by region, HR by employer, a talent his own."""
    queryset = Certificate.objects.select_related(
        "application", "application__round", "application__level", "application__employer"
    ).order_by("-issued_at", "-id")
    return scope_queryset(user, queryset)


def benefits_for_officer(user, status: str | None = None, kind: str | None = None) -> QuerySet[Benefit]:
    """Benefits in the user's scope, newest request first, optionally of one status and one kind."""
    queryset = Benefit.objects.select_related(
        "application", "application__level", "application__employer__town", "application__round", "requested_by"
    ).order_by("-requested_at", "-id")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return scope_queryset(user, queryset)


def benefits_for_application(application: TalentApplication) -> QuerySet[Benefit]:
    return (
        Benefit.objects.filter(application=application)
        .select_related("application__employer__town", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )
