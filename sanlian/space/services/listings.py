"""Writes of space listings: create and edit, photos and floor plans, the verification workflow, expiry.

A listing moves draft → pending (submitted by its landlord or an officer on the park's behalf) → published
(an officer of the park's town verifies it) or rejected (with a comment; fix and submit again). A published
listing must be confirmed by its landlord every SANLIAN_SPACE_CONFIRM_DAYS days; the daily job reminds the
landlord once a few days before and expires it when the date passes. Leases move it to leased when fully
taken (see services.requests). Every step locks the row, records an audit event and notifies the other side.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text, choice_label
from sanlian.core.permissions import has_perm, in_scope, require
from sanlian.core.services import audit_record
from sanlian.core.uploads import checked_upload
from sanlian.engines.spacematch import GRADES
from sanlian.search.services import document_refresh

from ..models import Kind, Listing, ListingFile
from .common import (
    actor_or_none,
    clean_text,
    enterprise_users,
    notify,
    parse_area,
    parse_count,
    parse_rent,
    town_officers,
)

Status = Listing.Status
MAX_FILES = 12
MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_TYPES = {".jpg", ".png", ".pdf"}  # photos and floor plans only, judged by content
EDITABLE = frozenset({Status.DRAFT, Status.REJECTED, Status.PUBLISHED, Status.WITHDRAWN, Status.EXPIRED})
BOOL_FIELDS = ("exhaust", "pure_water", "hazchem_permit", "env_approval")

# action → (states it may start from, target state, permission it needs on the listing)
TRANSITIONS: dict[str, tuple[frozenset, str, str]] = {
    "submit": (frozenset({Status.DRAFT, Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED}), Status.PENDING,
               "space_listing.manage"),
    "publish": (frozenset({Status.PENDING}), Status.PUBLISHED, "space_listing.verify"),
    "reject": (frozenset({Status.PENDING}), Status.REJECTED, "space_listing.verify"),
    "confirm": (frozenset({Status.PUBLISHED}), Status.PUBLISHED, "space_listing.manage"),
    "withdraw": (frozenset({Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.REJECTED}), Status.WITHDRAWN,
                 "space_listing.manage"),
}  # fmt: skip


def confirm_days() -> int:
    return settings.SANLIAN_SPACE_CONFIRM_DAYS


def _url(listing: Listing) -> str:
    return reverse("space:manage-listing", kwargs={"pk": listing.pk})


def clean_listing(actor, data: dict) -> dict:
    """The listing's fields from form (or import) data; a ValidationError naming every faulty field.
    `actor` None is the system (the import CLI without --user): every park, the landlord as given.
    """
    errors: dict[str, str] = {}
    park = data.get("park")
    if park is None:
        errors["park"] = _("请选择园区")
    elif actor is not None and actor.is_officer and not actor.is_superuser and not in_scope(actor, park):
        errors["park"] = _("只能为辖区内的园区发布房源")
    on_behalf = actor is None or actor.is_officer or actor.is_superuser
    landlord = data.get("landlord") if on_behalf else actor.enterprise
    if landlord is None:
        errors["landlord"] = _("请填写业主/运营方企业(统一社会信用代码)")
    kind = str(data.get("kind") or "")
    if kind not in Kind.values:
        errors["kind"] = _("请选择房源类型")
    cleanroom = str(data.get("cleanroom") or "")
    if cleanroom and cleanroom not in GRADES:
        errors["cleanroom"] = _("未知的洁净等级")
    available = data.get("available_date")
    if not available:
        errors["available_date"] = _("此项为必填项")
    fields = {
        "park": park,
        "landlord": landlord,
        "kind": kind,
        "cleanroom": cleanroom,
        "available_date": available,
        "title": clean_text(data.get("title"), "title", errors, 100),
        "building": clean_text(data.get("building"), "building", errors, 40),
        "floor": clean_text(data.get("floor"), "floor", errors, 20),
        "unit": clean_text(data.get("unit"), "unit", errors, 40, required=False),
        "description": clean_text(data.get("description"), "description", errors, 4000, required=False),
        "area": parse_area(data.get("area"), "area", errors),
        "rent_fen": parse_rent(data.get("rent_yuan"), "rent_yuan", errors),
        "floor_load": parse_count(data.get("floor_load"), "floor_load", errors, 10000),
        "power_kva": parse_count(data.get("power_kva"), "power_kva", errors, 100000),
        **{name: bool(data.get(name)) for name in BOOL_FIELDS},
    }
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def listing_create(*, actor, data: dict, now: datetime) -> Listing:
    """A draft listing by a landlord's user (for its own enterprise) or an officer (for a park in scope)."""
    require(actor, "space_listing.manage")
    if not (actor.is_officer or actor.is_superuser) and not actor.enterprise_id:
        raise ValidationError({"landlord": _("您的账号未关联企业")})
    fields = clean_listing(actor, data)
    listing = Listing.objects.create(**fields, created_by=actor_or_none(actor), created_at=now, updated_at=now)
    audit_record_listing(actor, "space_listing.create", listing, now)
    return listing


@transaction.atomic
def listing_update(*, actor, listing: Listing, data: dict, now: datetime) -> Listing:
    """Edit a listing; a published one goes back to verification, since its verified facts changed."""
    listing = _lock(listing)
    require(actor, "space_listing.manage", listing)
    if listing.status not in EDITABLE:
        raise ValidationError({"status": _("当前状态「%(s)s」不能修改") % {"s": listing.get_status_display()}})
    fields = clean_listing(actor, {**data, "landlord": data.get("landlord") or listing.landlord})
    changes = apply_listing_fields(listing, fields)
    if changes.get("status"):
        _notify_officers(listing, now)
    listing.updated_at = now
    listing.save()
    audit_record_listing(actor, "space_listing.update", listing, now, changes=changes)
    return listing


def apply_listing_fields(listing: Listing, fields: dict) -> dict:
    """Set the cleaned fields on an editable listing; its {field: [old, new]} changes. A published listing
    that changes goes back to verification, since its verified facts changed.
    """
    if listing.status not in EDITABLE:
        raise ValidationError({"status": _("当前状态「%(s)s」不能修改") % {"s": listing.get_status_display()}})
    if fields["area"] is not None and fields["area"] < listing.leased_area:
        raise ValidationError({"area": _("面积不能小于已租面积 %(n)s ㎡") % {"n": listing.leased_area}})
    changes = {}
    for name, value in fields.items():
        old = getattr(listing, name)
        if old != value:
            changes[name] = [str(getattr(old, "pk", old)), str(getattr(value, "pk", value))]
            setattr(listing, name, value)
    if changes and listing.status == Status.PUBLISHED:
        listing.status = Status.PENDING
        changes["status"] = [Status.PUBLISHED, Status.PENDING]
    return changes


def audit_record_listing(actor, action: str, listing: Listing, now, changes=None, note: str = "") -> None:
    """Record a change of the listing; every listing write goes through here, so it also refreshes the search index."""
    audit_record(
        actor=actor, action=action, target=listing, enterprise_id=listing.landlord_id, changes=changes, note=note,
        now=now,
    )  # fmt: skip
    document_refresh(kind="listing", object_id=listing.pk)


def _lock(listing: Listing) -> Listing:
    return (
        Listing.objects.select_for_update(of=("self",))
        .select_related("park", "park__town", "landlord")
        .get(pk=listing.pk)
    )


def _notify_officers(listing: Listing, now) -> None:
    title = Text(gettext_lazy("空间房源待核验:%(title)s"), {"title": listing.title})
    notify(town_officers(listing.park.town_id), title, _url(listing), now)


@transaction.atomic
def listing_file_add(*, actor, listing: Listing, kind: str, upload, now: datetime) -> ListingFile:
    """A photo or floor plan (JPG, PNG or PDF by content, ≤ 10 MB)."""
    listing = _lock(listing)
    require(actor, "space_listing.manage", listing)
    if kind not in ListingFile.Kind.values:
        raise ValidationError({"kind": _("请选择附件类别")})
    if upload is None:
        raise ValidationError({"file": _("请选择文件")})
    if listing.files.count() >= MAX_FILES:
        raise ValidationError({"file": _("每个房源最多 %(n)s 个附件") % {"n": MAX_FILES}})
    name, size = checked_upload(upload, field="file", max_bytes=MAX_FILE_BYTES)
    if not any(name.endswith(ext) for ext in FILE_TYPES):
        raise ValidationError({"file": _("照片和平面图仅接受 JPG、PNG 或 PDF")})
    item = ListingFile.objects.create(
        listing=listing, kind=kind, file=upload, name=name, size=size, uploaded_by=actor_or_none(actor),
        uploaded_at=now,
    )  # fmt: skip
    audit_record_listing(actor, "space_listing.file_add", listing, now, note=name)
    return item


@transaction.atomic
def listing_file_remove(*, actor, item: ListingFile, now: datetime) -> None:
    listing = _lock(item.listing)
    require(actor, "space_listing.manage", listing)
    name = item.name
    item.file.delete(save=False)
    item.delete()
    audit_record_listing(actor, "space_listing.file_remove", listing, now, note=name)


@transaction.atomic
def listing_transition(*, actor, listing: Listing, action: str, comment: str = "", now: datetime) -> Listing:
    """Move a listing one step; see the module docstring for the steps."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("未知操作")})
    sources, target, permission = TRANSITIONS[action]
    listing = _lock(listing)
    require(actor, permission, listing)
    if listing.status not in sources:
        message = _("房源当前状态「%(s)s」不能执行该操作") % {"s": listing.get_status_display()}
        raise ValidationError({"status": message})
    comment = (comment or "").strip()
    if action == "reject" and not comment:
        raise ValidationError({"comment": _("请填写未通过的原因")})
    if len(comment) > 2000:
        raise ValidationError({"comment": _("最多 %(n)s 个字(当前 %(count)s 个)") % {"n": 2000, "count": len(comment)}})
    old = listing.status
    if action in ("publish", "reject"):
        listing.reviewed_by, listing.reviewed_at, listing.review_comment = actor_or_none(actor), now, comment
    if action in ("publish", "confirm"):
        listing.confirmed_at, listing.reminded_at = now, None
        listing.expires_date = timezone.localdate(now) + timedelta(days=confirm_days())
        if action == "publish":
            listing.published_at = now
    listing.status, listing.updated_at = target, now
    listing.save()
    audit_record_listing(actor, f"space_listing.{action}", listing, now, changes={"status": [old, target]},
                         note=comment)  # fmt: skip
    names = {"title": listing.title, "status": choice_label(listing, "status")}
    if action == "submit":
        _notify_officers(listing, now)
    elif action in ("publish", "reject"):
        title = Text(gettext_lazy("您的房源「%(title)s」:%(status)s"), names)
        if comment:
            title += f"({comment})"
        notify(enterprise_users(listing.landlord_id), title, _url(listing), now)
    return listing


def listings_expire(*, now: datetime) -> dict[str, int]:
    """Remind landlords (once) of listings expiring soon and expire the overdue ones; safe to run twice."""
    today = timezone.localdate(now)
    soon = today + timedelta(days=settings.SANLIAN_SPACE_REMIND_DAYS)
    counts = {"reminded": 0, "expired": 0}
    due = Listing.objects.filter(status=Status.PUBLISHED, expires_date__lte=soon)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            listing = Listing.objects.select_for_update(of=("self",)).select_related("park").get(pk=pk)
            if listing.status != Status.PUBLISHED or listing.expires_date is None:
                continue
            if listing.expires_date < today:
                _expire(listing, now)
                counts["expired"] += 1
            elif listing.reminded_at is None and listing.expires_date <= soon:
                listing.reminded_at = now
                listing.save(update_fields=["reminded_at"])
                title = Text(gettext_lazy("房源「%(title)s」将于 %(date)s 过期,请登录确认房源信息仍然有效"), {
                    "title": listing.title, "date": listing.expires_date.isoformat()})  # fmt: skip
                notify(enterprise_users(listing.landlord_id), title, _url(listing), now)
                counts["reminded"] += 1
    return counts


def _expire(listing: Listing, now) -> None:
    listing.status, listing.updated_at = Status.EXPIRED, now
    listing.save(update_fields=["status", "updated_at"])
    audit_record_listing(None, "space_listing.expire", listing, now, changes={"status": [Status.PUBLISHED,
                                                                                          Status.EXPIRED]})  # fmt: skip
    title = Text(
        gettext_lazy("房源「%(title)s」未按期确认,已过期下架;修改或重新提交核验后可再次发布"), {"title": listing.title}
    )
    notify(enterprise_users(listing.landlord_id), title, _url(listing), now)


def can_act(user, listing: Listing, action: str) -> bool:
    sources, _target, permission = TRANSITIONS[action]
    return listing.status in sources and has_perm(user, permission, listing)
