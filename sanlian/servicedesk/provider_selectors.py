"""Reads of the service-provider catalogue: who sees which provider, ratings by aggregate, filters and sort.

Every officer and enterprise user sees the listed providers of the catalogue (it serves the whole district);
a suspended provider is seen only by the officers who manage it (its `region` in their scope) and answers
404 to everyone else.
"""

from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404

from sanlian.core.permissions import get_scoped, has_perm, scope_queryset
from sanlian.enterprises.models import Region

from .models import Provider, ProviderRating, ProviderService, ServiceRequest

Status = Provider.Status
SORTS = ("rating", "name")
# The rating sort shrinks each average towards a neutral score by a few imaginary ratings, so one 5★ does
# not outrank many 4.8s: rank = (PRIOR_WEIGHT·PRIOR_SCORE + Σ scores) / (PRIOR_WEIGHT + n).
PRIOR_SCORE, PRIOR_WEIGHT = 3.0, 3


def visible_providers(user) -> QuerySet:
    if not has_perm(user, "provider.view"):
        return Provider.objects.none()
    visible = Q(status=Status.LISTED)
    if has_perm(user, "provider.edit"):
        visible |= Q(pk__in=scope_queryset(user, Provider.objects.all()).values("pk"))
    return Provider.objects.filter(visible)


def with_ratings(providers: QuerySet) -> QuerySet:
    """Average score and count per provider, each one correlated aggregate (no join that multiplies rows)."""
    ratings = ProviderRating.objects.filter(provider=OuterRef("pk")).order_by().values("provider")
    return providers.annotate(
        rating_avg=Subquery(ratings.annotate(a=Avg("score")).values("a")[:1]),
        rating_count=Coalesce(
            Subquery(ratings.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0)
        ),
    )


def _serving(region: Region) -> Q:
    """Providers serving the region: listed for it, for a region containing it, or for a part of it."""
    ancestors, node = [], region
    while node is not None:
        ancestors.append(node.pk)
        node = node.parent
    served = Region.objects.filter(Q(pk__in=ancestors) | Q(path__startswith=region.path))
    return Q(regions_served__in=served)


def catalogue(
    user, *, kind: str = "", q: str = "", price_max: Decimal | None = None, region: Region | None = None,
    status: str = "", sort: str = "rating",
) -> QuerySet:  # fmt: skip
    """The providers the user may see, filtered, with their ratings, best rated (or by name) first."""
    providers = visible_providers(user)
    if kind in Provider.Kind.values:
        providers = providers.filter(kind=kind)
    if status in Status.values:
        providers = providers.filter(status=status)
    services = ProviderService.objects.filter(provider=OuterRef("pk"), is_active=True)
    if q := q.strip():
        text = Q(name__icontains=q) | Q(description__icontains=q)
        providers = providers.filter(
            Q(name__icontains=q) | Q(description__icontains=q) | Q(qualifications__icontains=q)
            | Exists(services.filter(text))
        )  # fmt: skip
    if price_max is not None:
        providers = providers.filter(Exists(services.filter(price_min__lte=price_max)))
    if region is not None:
        providers = providers.filter(pk__in=Provider.objects.filter(_serving(region)).values("pk"))
    on_sale = Prefetch("services", queryset=ProviderService.objects.filter(is_active=True), to_attr="on_sale")
    providers = with_ratings(providers).select_related("region").prefetch_related(on_sale)
    if sort == "name":
        return providers.order_by("name", "id")
    rank = ExpressionWrapper(
        (Value(PRIOR_SCORE * PRIOR_WEIGHT) + Cast("rating_avg", FloatField()) * F("rating_count"))
        / (Value(float(PRIOR_WEIGHT)) + F("rating_count")),
        output_field=FloatField(),
    )
    providers = providers.annotate(rating_rank=rank)
    return providers.order_by(F("rating_rank").desc(nulls_last=True), "-rating_count", "name", "id")


def provider_for(user, pk: int) -> Provider:
    """One provider the user may see, with its ratings; 404 when missing or not visible."""
    provider = (
        with_ratings(visible_providers(user))
        .select_related("region", "enterprise")
        .prefetch_related("regions_served")
        .filter(pk=pk)
        .first()
    )
    if provider is None:
        raise Http404
    return provider


def provider_to_edit(user, pk: int) -> Provider:
    return get_scoped(user, "provider.edit", Provider.objects.select_related("region", "enterprise"), pk=pk)


def service_to_edit(user, pk: int) -> ProviderService:
    return get_scoped(user, "provider.edit", ProviderService.objects.select_related("provider"), pk=pk)


def rating_to_moderate(user, pk: int) -> ProviderRating:
    rating = ProviderRating.objects.select_related("provider__region").filter(pk=pk).first()
    if rating is None or not has_perm(user, "provider.edit", rating.provider):
        raise Http404
    return rating


def provider_services(provider: Provider, *, include_inactive: bool = False) -> QuerySet:
    services = provider.services.all()
    return services if include_inactive else services.filter(is_active=True)


def provider_ratings(provider: Provider) -> QuerySet:
    return provider.ratings.select_related("enterprise", "hidden_by")


def score_distribution(provider: Provider) -> list[tuple[int, int]]:
    """(score, count) for 5 … 1, one grouped query."""
    counts = dict(provider.ratings.order_by().values_list("score").annotate(n=Count("pk")))
    return [(score, counts.get(score, 0)) for score in range(5, 0, -1)]


def rateable_requests(user, provider: Provider) -> QuerySet:
    """The user's enterprise's closed requests through this provider that nobody has rated yet."""
    if not has_perm(user, "provider.rate"):
        return ServiceRequest.objects.none()
    requests = scope_queryset(user, ServiceRequest.objects.filter(provider=provider))
    return requests.filter(status=ServiceRequest.Status.CLOSED, provider_rating__isnull=True).select_related(
        "provider_service"
    )


def request_to_rate(user, provider: Provider, pk) -> ServiceRequest:
    """The user's own request through this provider (any state: the rating service says why it must wait)."""
    queryset = ServiceRequest.objects.filter(provider=provider)
    return get_scoped(user, "provider.rate", queryset, pk=pk if str(pk or "").isdigit() else 0)


def regions_for_filter() -> QuerySet:
    return Region.objects.filter(level__in=(Region.Level.DISTRICT, Region.Level.TOWN, Region.Level.STREET))
