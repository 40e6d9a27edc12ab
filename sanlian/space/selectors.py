"""Reads of the space service: public search, managed lists, requests with their ranked matches, viewings,
and the cockpit's vacancy and take-up figures by park."""

from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from sanlian.core.permissions import get_scoped, has_perm, in_scope, scope_queryset
from sanlian.engines.spacematch import GRADES, Need, Space, Specs, grade_satisfies, rank
from sanlian.enterprises.models import Park

from .models import Lease, Listing, ListingFile, SpaceRequest, Viewing

Status = Listing.Status
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def public_listings(filters: dict):
    """Published listings with vacant area, filtered as the public search form asks."""
    rows = Listing.objects.filter(status=Status.PUBLISHED, leased_area__lt=F("area")).select_related("park")
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("park"):
        rows = rows.filter(park=filters["park"])
    if filters.get("area_min"):
        rows = rows.filter(area__gte=filters["area_min"] + F("leased_area"))
    if filters.get("area_max"):
        rows = rows.filter(area__lte=filters["area_max"] + F("leased_area"))
    if filters.get("cleanroom"):
        codes = [code for code in GRADES if grade_satisfies(code, filters["cleanroom"])]
        rows = rows.filter(cleanroom__in=codes)
    if filters.get("floor_load"):
        rows = rows.filter(floor_load__gte=filters["floor_load"])
    if filters.get("power_kva"):
        rows = rows.filter(power_kva__gte=filters["power_kva"])
    for name in ("exhaust", "pure_water", "hazchem_permit", "env_approval"):
        if filters.get(name):
            rows = rows.filter(**{name: True})
    return rows.order_by("-published_at", "-id")


def listing_for_page(user, pk: int) -> Listing:
    """A published listing for anyone; any other status only for its landlord and officers in scope."""
    listing = Listing.objects.select_related("park", "landlord").filter(pk=pk).first()
    if listing is None:
        raise Http404
    if listing.status in (Status.PUBLISHED, Status.LEASED) or can_manage(user, listing):
        return listing
    raise Http404


def can_manage(user, listing: Listing) -> bool:
    return has_perm(user, "space_listing.manage", listing)


def managed_listing(user, pk: int) -> Listing:
    return get_scoped(user, "space_listing.manage", Listing.objects.select_related("park", "landlord"), pk=pk)


def managed_listings(user, status: str = ""):
    rows = scope_queryset(user, Listing.objects.select_related("park", "landlord"))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-updated_at", "-id")


def file_for(user, pk: int) -> ListingFile:
    """Files of published listings are public; the others only for those who manage the listing."""
    item = ListingFile.objects.select_related("listing", "listing__park").filter(pk=pk).first()
    if item is None:
        raise Http404
    if item.listing.status in (Status.PUBLISHED, Status.LEASED) or in_scope(user, item.listing):
        return item
    raise Http404


def visible_requests(user):
    rows = scope_queryset(user, SpaceRequest.objects.select_related("enterprise", "park"))
    return rows.order_by("-created_at", "-id")


def request_for(user, pk: int) -> SpaceRequest:
    return get_scoped(user, "space_request.view", SpaceRequest.objects.select_related("enterprise", "park"), pk=pk)


def visible_viewings(user):
    """Viewings of the user's requests or scope, plus (for a landlord's users) those of its listings."""
    base = Viewing.objects.select_related("listing", "listing__park", "request", "request__enterprise")
    rows = scope_queryset(user, base)
    if getattr(user, "is_enterprise_user", False) and user.enterprise_id:
        rows = rows | base.filter(listing__landlord_id=user.enterprise_id)
    return rows.order_by("-starts_at", "-id")


def viewing_for(user, pk: int) -> Viewing:
    viewing = visible_viewings(user).filter(pk=pk).first()
    if viewing is None:
        raise Http404
    return viewing


# -- matching --------------------------------------------------------------------------------------------


def _specs(data: dict) -> Specs:
    return Specs(**{k: v for k, v in (data or {}).items() if k in Specs.__dataclass_fields__})


def need_of(request: SpaceRequest) -> Need:
    return Need(
        kind=request.kind or None,
        area_min=request.area_min,
        area_max=request.area_max,
        required=_specs(request.required),
        preferred=_specs(request.preferred),
        max_rent_fen=request.max_rent_fen,
        move_in_date=request.move_in_date,
        parks=frozenset({request.park.code}) if request.park_id else frozenset(),
    )


def space_of(listing: Listing) -> Space:
    return Space(
        id=listing.pk,
        kind=listing.kind,
        vacant_area=listing.vacant_area,
        rent_fen=listing.rent_fen,
        available_date=listing.available_date,
        park=listing.park.code,
        town=listing.park.town.code,
        specs=Specs(
            cleanroom=listing.cleanroom or None, floor_load=listing.floor_load, power_kva=listing.power_kva,
            exhaust=listing.exhaust, pure_water=listing.pure_water, hazchem_permit=listing.hazchem_permit,
            env_approval=listing.env_approval,
        ),
    )  # fmt: skip


def request_matches(request: SpaceRequest):
    """(ranked, excluded) as lists of (listing, engine result) over published listings with vacant area."""
    listings = {
        row.pk: row
        for row in Listing.objects.filter(status=Status.PUBLISHED, leased_area__lt=F("area")).select_related(
            "park", "park__town", "landlord"
        )
    }
    result = rank([space_of(row) for row in listings.values()], need_of(request))
    return (
        [(listings[r.space.id], r) for r in result.ranked],
        [(listings[e.space.id], e) for e in result.excluded],
    )


# -- cockpit ---------------------------------------------------------------------------------------------


def _leased_in(year: int):
    return Subquery(
        Lease.objects.filter(listing__park=OuterRef("pk"), start_date__year=year)
        .values("listing__park")
        .annotate(total=Sum("area"))
        .values("total")
    )


def park_figures(town, year: int, current_year: int | None = None) -> list[dict]:
    """Per park of `town` (a Region; the cockpit has checked the officer's scope): listed m² (published or
    leased listings), vacant m² (published, not yet leased), m² leased from `year`'s leases, vacancy rate.

    One aggregate query; the leases are summed in subqueries so the listings' join does not repeat them.
    `current_year` adds the take-up of that year too (the cockpit's year is the latest reporting year).
    """
    on_market = Q(space_listings__status__in=[Status.PUBLISHED, Status.LEASED])
    parks = Park.objects.filter(town__path__startswith=town.path).annotate(
        listed=Coalesce(Sum("space_listings__area", filter=on_market), ZERO),
        vacant=Coalesce(
            Sum(F("space_listings__area") - F("space_listings__leased_area"),
                filter=Q(space_listings__status=Status.PUBLISHED)), ZERO,
        ),
        taken=Coalesce(_leased_in(year), ZERO),
        taken_now=Coalesce(_leased_in(current_year or year), ZERO),
    ).order_by("code")  # fmt: skip
    rows = []
    for park in parks:
        rate = (park.vacant * 100 / park.listed).quantize(Decimal("0.1")) if park.listed else None
        rows.append(
            {"park": park, "listed": park.listed, "vacant": park.vacant, "taken": park.taken, "rate": rate,
             "taken_now": park.taken_now}
        )  # fmt: skip
    return rows
