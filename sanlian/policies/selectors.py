"""Reads of the policy library, parameters, eligibility results and the officers' lists."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sanlian.core.permissions import scope_queryset

from .models import EligibilityResult, Grant, Outcome, Parameter, ParameterValue, Policy, PolicyVersion

PUBLISHED = PolicyVersion.Status.PUBLISHED


def versions_in_force(*, as_of: date, policy_ids=None) -> list[PolicyVersion]:
    """Per policy, the version that applied on `as_of`, if the policy was in force that day.

    That is the latest version published by then (today: the published one); a policy published later
    with retroactive effect counts with its first version.
    """
    versions = PolicyVersion.objects.exclude(status=PolicyVersion.Status.DRAFT)
    if policy_ids is not None:
        versions = versions.filter(policy_id__in=list(policy_ids))
    chosen: dict[int, PolicyVersion] = {}
    for version in versions.select_related("policy").order_by("policy_id", "number"):
        published_by_then = version.published_at is None or timezone.localdate(version.published_at) <= as_of
        if version.policy_id not in chosen or published_by_then:
            chosen[version.policy_id] = version
    return sorted((v for v in chosen.values() if v.in_force_on(as_of)), key=lambda v: v.policy.code)


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    issuer: str = ""
    tag: str = ""
    status: str = ""  # "", "in_force", "expired"


def policy_library(*, filters: LibraryFilters, as_of: date) -> QuerySet:
    """Published policies for the public library, newest first."""
    versions = PolicyVersion.objects.filter(status=PUBLISHED).select_related("policy")
    if filters.q:
        versions = versions.filter(
            Q(title__icontains=filters.q)
            | Q(summary__icontains=filters.q)
            | Q(doc_number__icontains=filters.q)
            | Q(issuer__icontains=filters.q)
        )
    if filters.issuer:
        versions = versions.filter(issuer=filters.issuer)
    if filters.tag:
        # Tags are a short JSON list; a quoted match works on SQLite and PostgreSQL alike.
        versions = versions.filter(tags__icontains=f'"{filters.tag}"')
    if filters.status == "in_force":
        versions = versions.filter(effective_from_date__lte=as_of).filter(
            Q(effective_until_date__isnull=True) | Q(effective_until_date__gte=as_of)
        )
    elif filters.status == "expired":
        versions = versions.filter(effective_until_date__lt=as_of)
    return versions.order_by("-effective_from_date", "policy__code")


def library_choices() -> tuple[list[str], list[str]]:
    """(issuers, tags) of published policies, for the library's filters."""
    rows = PolicyVersion.objects.filter(status=PUBLISHED).values_list("issuer", "tags")
    issuers = sorted({issuer for issuer, _ in rows})
    tags = sorted({tag for _, tags in rows for tag in tags or []})
    return issuers, tags


def policy_public(*, code: str, number: int | None = None) -> PolicyVersion | None:
    """A published (or, with `number`, an earlier published) version of a policy."""
    versions = PolicyVersion.objects.filter(policy__code=code).exclude(status=PolicyVersion.Status.DRAFT)
    versions = versions.select_related("policy")
    if number is not None:
        return versions.filter(number=number).first()
    return versions.filter(status=PUBLISHED).first()


def published_history(policy: Policy) -> list[PolicyVersion]:
    return list(policy.versions.exclude(status=PolicyVersion.Status.DRAFT).order_by("-number"))


def policies_for_officer(user) -> QuerySet:
    return scope_queryset(user, Policy.objects.all()).prefetch_related("versions").order_by("code")


def draft_of(policy: Policy) -> PolicyVersion | None:
    return policy.versions.filter(status=PolicyVersion.Status.DRAFT).first()


def published_of(policy: Policy) -> PolicyVersion | None:
    return policy.versions.filter(status=PUBLISHED).first()


def enterprise_results(*, enterprise_id: int, as_of: date) -> list[EligibilityResult]:
    """The current result of every policy in force for one enterprise: eligible, then unknown, then the rest."""
    order = {Outcome.ELIGIBLE: 0, Outcome.UNKNOWN: 1, Outcome.NOT_ELIGIBLE: 2}
    results = EligibilityResult.objects.filter(enterprise_id=enterprise_id, superseded_at__isnull=True).filter(
        Q(version__effective_until_date__isnull=True) | Q(version__effective_until_date__gte=as_of)
    )
    results = list(results.select_related("version", "policy"))
    results.sort(key=lambda r: (order[r.outcome], r.version.title))
    return results


def enterprise_results_on(*, enterprise_id: int, moment: datetime) -> list[EligibilityResult]:
    """What the enterprise was told about each policy at `moment`, under the version in force then."""
    results = EligibilityResult.objects.filter(enterprise_id=enterprise_id, evaluated_at__lte=moment).filter(
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=moment)
    )
    return list(results.select_related("version", "policy").order_by("policy__code"))


def result_history(*, enterprise_id: int, policy_id: int) -> list[EligibilityResult]:
    return list(
        EligibilityResult.objects.filter(enterprise_id=enterprise_id, policy_id=policy_id)
        .select_related("version")
        .order_by("-evaluated_at", "-pk")
    )


def explained(results: list[EligibilityResult]) -> list[tuple[EligibilityResult, dict]]:
    """Each stored result with its readable explanation tree, rebuilt from its version's frozen rule."""
    from . import rules

    catalogue = rules.current_catalogue()
    return [(r, rules.compiled_version(r.version, catalogue).expand(r.explanation)) for r in results]


def grants_for_officer(*, user, status: str = Grant.Status.PENDING) -> QuerySet:
    grants = scope_queryset(user, Grant.objects.all()).filter(status=status)
    return grants.select_related("enterprise", "version", "policy").order_by("-created_at", "pk")


def parameters_with_values(*, as_of: date) -> list[dict]:
    """Every parameter with its values in force on `as_of` and its full history (newest first)."""
    values = ParameterValue.objects.select_related("recorded_by").order_by("-effective_date", "-recorded_at", "-pk")
    history: dict[int, list[ParameterValue]] = {}
    for value in values:
        history.setdefault(value.parameter_id, []).append(value)
    rows = []
    for parameter in Parameter.objects.order_by("name"):
        past = history.get(parameter.pk, [])
        current: dict[str, ParameterValue] = {}
        for value in past:
            if value.effective_date <= as_of and value.key not in current:
                current[value.key] = value
        rows.append({"parameter": parameter, "current": sorted(current.values(), key=lambda v: v.key), "history": past})
    return rows


def policy_counts(*, user, policy_ids) -> dict[int, dict[str, int]]:
    """Current outcome counts per policy over the enterprises in the user's scope."""
    rows = scope_queryset(user, EligibilityResult.objects.all()).filter(
        policy_id__in=list(policy_ids), superseded_at__isnull=True
    )
    counts: dict[int, dict[str, int]] = {}
    for policy_id, outcome, n in rows.values_list("policy_id", "outcome").annotate(n=Count("pk")).order_by():
        counts.setdefault(policy_id, {o.value: 0 for o in Outcome})[outcome] = n
    return counts
