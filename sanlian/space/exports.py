"""The export columns of the space lists: listings (public search and management), requests, viewings, leases.

Rents are kept in fen per ㎡ per day; the file shows yuan per ㎡ per day as a number, like the pages.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from sanlian.core.exports import Column, field, fields

from .models import Lease, Listing, SpaceRequest, Viewing


def _yuan(fen):
    return None if fen is None else Decimal(fen) / 100


def listings_columns(*, manage: bool = False) -> tuple[Column, ...]:
    """The public search shows published listings; managers also see the landlord and the review status."""
    return (
        *fields(Listing, "title", "kind"),
        Column(_("园区"), "park.name"),
        *((field(Listing, "landlord.name", _("业主/运营方")),) if manage else ()),
        *fields(Listing, "building", "floor", "unit", "area", "leased_area", "cleanroom", "floor_load", "power_kva"),
        *fields(Listing, "exhaust", "pure_water", "hazchem_permit", "env_approval"),
        Column(_("租金(元/㎡/天)"), lambda listing: _yuan(listing.rent_fen), "money"),
        *fields(Listing, "available_date"),
        *(fields(Listing, "status", "published_at", "expires_date") if manage else ()),
    )


def requests_columns() -> tuple[Column, ...]:
    return (
        *fields(SpaceRequest, "purpose"),
        field(SpaceRequest, "enterprise.name", _("需求企业")),
        *fields(SpaceRequest, "kind", "area_min", "area_max"),
        Column(_("租金上限(元/㎡/天)"), lambda r: _yuan(r.max_rent_fen), "money"),
        *fields(SpaceRequest, "move_in_date"),
        Column(_("园区"), "park.name"),
        *fields(SpaceRequest, "status", "created_at"),
    )


def viewings_columns() -> tuple[Column, ...]:
    return (
        *fields(Viewing, "starts_at"),
        Column(_("房源"), "listing.title"),
        Column(_("园区"), "listing.park.name"),
        Column(_("需求企业"), "request.enterprise.name"),
        Column(_("用途"), "request.purpose"),
        *fields(Viewing, "status", "awaiting", "note", "outcome_note"),
    )


def leases_columns() -> tuple[Column, ...]:
    return (
        field(Lease, "tenant.name", _("承租企业")),
        *fields(Lease, "area"),
        Column(_("成交租金(元/㎡/天)"), lambda lease: _yuan(lease.rent_fen), "money"),
        *fields(Lease, "start_date", "recorded_at"),
    )
