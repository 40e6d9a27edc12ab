"""Writes of space requests, viewings and leases.

An enterprise files a request (purpose, type, area range, required and preferred specs, budget, move-in
date, park) and sees ranked listings (selectors.request_matches). It — or an officer of its town — books a
viewing of a published listing at a half-hour slot; the side the viewing waits for (the landlord first)
confirms it or proposes another time, which then waits for the other side; either side may cancel. No
two live viewings of one listing share a slot (the listing row is locked, and a partial unique constraint
backs it up). After a confirmed viewing the landlord or an officer records the outcome: leased (area, rent,
start date → a Lease; the listing's leased area grows and the listing becomes leased when fully taken; the
request becomes leased) or not taken with a reason.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.locks import lock_row
from sanlian.core.permissions import has_perm, require
from sanlian.core.services import audit_record
from sanlian.engines.spacematch import BOOL_SPECS, GRADES
from sanlian.search.services import document_refresh

from ..models import Kind, Lease, Listing, SpaceRequest, Viewing
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

VStatus = Viewing.Status
Side = Viewing.Side
LIVE = frozenset({VStatus.REQUESTED, VStatus.CONFIRMED})
SLOT_MINUTES = (0, 30)
COUNT_SPECS = {"floor_load": 10000, "power_kva": 100000}


def _request_url(request: SpaceRequest) -> str:
    return reverse("space:request", kwargs={"pk": request.pk})


# -- requests --------------------------------------------------------------------------------------------


def _clean_specs(data: dict, prefix: str, errors: dict) -> dict:
    """Specs from `<prefix>_cleanroom`, `<prefix>_floor_load`, … as the engine's Specs keyword arguments."""
    specs: dict = {}
    cleanroom = str(data.get(f"{prefix}_cleanroom") or "")
    if cleanroom and cleanroom not in GRADES:
        errors[f"{prefix}_cleanroom"] = _("未知的洁净等级")
    elif cleanroom:
        specs["cleanroom"] = cleanroom
    for name, high in COUNT_SPECS.items():
        value = parse_count(data.get(f"{prefix}_{name}"), f"{prefix}_{name}", errors, high)
        if value:
            specs[name] = value
    specs.update({name: True for name in BOOL_SPECS if data.get(f"{prefix}_{name}")})
    return specs


@transaction.atomic
def space_request_submit(*, actor, data: dict, now: datetime) -> SpaceRequest:
    """An enterprise user's space request for their enterprise; the town's officers are told."""
    require(actor, "space_request.submit")
    if not actor.enterprise_id:
        raise ValidationError({"enterprise": _("您的账号未关联企业")})
    errors: dict[str, str] = {}
    kind = str(data.get("kind") or "")
    if kind and kind not in Kind.values:
        errors["kind"] = _("请选择房源类型")
    fields = {
        "purpose": clean_text(data.get("purpose"), "purpose", errors, 200),
        "kind": kind,
        "area_min": parse_area(data.get("area_min"), "area_min", errors),
        "area_max": parse_area(data.get("area_max"), "area_max", errors, required=False),
        "required": _clean_specs(data, "required", errors),
        "preferred": _clean_specs(data, "preferred", errors),
        "max_rent_fen": parse_rent(data.get("max_rent_yuan"), "max_rent_yuan", errors, required=False),
        "move_in_date": data.get("move_in_date") or None,
        "park": data.get("park") or None,
    }
    if fields["area_min"] and fields["area_max"] and fields["area_max"] < fields["area_min"]:
        errors["area_max"] = _("最大面积不能小于最小面积")
    if fields["move_in_date"] and fields["move_in_date"] < timezone.localdate(now):
        errors["move_in_date"] = _("计划入驻日期不能早于今天")
    if errors:
        raise ValidationError(errors)
    request = SpaceRequest.objects.create(
        enterprise_id=actor.enterprise_id, **fields, created_by=actor_or_none(actor), created_at=now, updated_at=now
    )
    audit_record(actor=actor, action="space_request.submit", target=request, enterprise_id=actor.enterprise_id, now=now)
    title = Text(
        gettext_lazy("新的空间需求:%(enterprise)s · %(purpose)s"),
        {
            "enterprise": actor.enterprise,
            "purpose": request.purpose,
        },
    )
    notify(town_officers(actor.enterprise.town_id), title, _request_url(request), now)
    return request


@transaction.atomic
def space_request_close(*, actor, request: SpaceRequest, now: datetime) -> SpaceRequest:
    request = lock_row(SpaceRequest, request.pk)
    require(actor, "space_request.view", request)
    if request.status != SpaceRequest.Status.OPEN:
        raise ValidationError({"status": _("当前状态「%(s)s」不能关闭") % {"s": request.get_status_display()}})
    request.status, request.updated_at = SpaceRequest.Status.CLOSED, now
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="space_request.close", target=request, enterprise_id=request.enterprise_id, now=now
    )
    return request


# -- viewings --------------------------------------------------------------------------------------------


def viewing_side(user, viewing: Viewing) -> str | None:
    """landlord, requester or officer: who the user acts as on this viewing (None: nobody)."""
    if user.enterprise_id and user.is_enterprise_user:
        if user.enterprise_id == viewing.listing.landlord_id:
            return Side.LANDLORD
        if user.enterprise_id == viewing.request.enterprise_id:
            return Side.REQUESTER
        return None
    if has_perm(user, "space_viewing.book", viewing):
        return "officer"
    return None


def _check_slot(starts_at, now, errors: dict) -> None:
    if starts_at is None:
        errors["starts_at"] = _("请选择看房时间")
    elif starts_at <= now:
        errors["starts_at"] = _("看房时间须晚于当前时间")
    else:
        local = timezone.localtime(starts_at)
        if local.minute not in SLOT_MINUTES or local.second or not 8 <= local.hour < 18:
            errors["starts_at"] = _("看房时段为 8:00–18:00 的整点或半点")


def _slot_taken(listing_id: int, starts_at, exclude: int | None = None) -> bool:
    live = Viewing.objects.filter(listing_id=listing_id, starts_at=starts_at, status__in=LIVE)
    return live.exclude(pk=exclude).exists() if exclude else live.exists()


def _save_viewing(viewing: Viewing, **save) -> None:
    """Save inside a savepoint: the partial unique constraint refuses a slot another booking just took."""
    try:
        with transaction.atomic():
            viewing.save(**save)
    except IntegrityError as exc:
        raise ValidationError({"starts_at": _("该时段已有其他预约,请选择其他时间")}) from exc


@transaction.atomic
def viewing_book(*, actor, request: SpaceRequest, listing: Listing, starts_at, note: str = "", now: datetime):
    """Book a viewing of a published listing for an open request; the landlord is asked to confirm."""
    request = SpaceRequest.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=request.pk)
    require(actor, "space_viewing.book", request)
    # Locking the listing serialises bookings of its slots.
    listing = Listing.objects.select_for_update(of=("self",)).select_related("park").get(pk=listing.pk)
    errors: dict[str, str] = {}
    if request.status != SpaceRequest.Status.OPEN:
        errors["request"] = _("需求已落位或关闭,不能预约看房")
    if listing.status != Listing.Status.PUBLISHED:
        errors["listing"] = _("该房源当前不可预约")
    _check_slot(starts_at, now, errors)
    note = clean_text(note, "note", errors, 1000, required=False)
    if not errors and _slot_taken(listing.pk, starts_at):
        errors["starts_at"] = _("该时段已有其他预约,请选择其他时间")
    if errors:
        raise ValidationError(errors)
    viewing = Viewing(request=request, listing=listing, starts_at=starts_at, note=note, awaiting=Side.LANDLORD,
                      created_by=actor_or_none(actor), created_at=now, updated_at=now)  # fmt: skip
    _save_viewing(viewing)
    audit_record(actor=actor, action="space_viewing.book", target=viewing, enterprise_id=request.enterprise_id, now=now)
    when = timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
    title = Text(gettext_lazy("看房预约:%(enterprise)s 希望于 %(when)s 查看「%(title)s」") , {
        "enterprise": request.enterprise, "when": when, "title": listing.title})  # fmt: skip
    notify(enterprise_users(listing.landlord_id), title, _request_url(request), now)
    if actor.is_officer:
        notify(enterprise_users(request.enterprise_id), title, _request_url(request), now)
    return viewing


def _lock_viewing(viewing: Viewing) -> Viewing:
    return lock_row(Viewing, viewing.pk, related=["listing", "listing__park", "request", "request__enterprise"])


def _other_side_users(viewing: Viewing, side: str) -> list:
    if side == Side.LANDLORD:
        return enterprise_users(viewing.request.enterprise_id)
    if side == Side.REQUESTER:
        return enterprise_users(viewing.listing.landlord_id)
    return enterprise_users(viewing.request.enterprise_id) + enterprise_users(viewing.listing.landlord_id)


@transaction.atomic
def viewing_transition(
    *, actor, viewing: Viewing, action: str, starts_at=None, note: str = "", outcome: dict | None = None,
    now: datetime,
) -> Viewing:  # fmt: skip
    """confirm / propose (another time) by the side awaited (or an officer); cancel by either side;
    lease / not_taken after a confirmed viewing, by the landlord or an officer."""
    viewing = _lock_viewing(viewing)
    side = viewing_side(actor, viewing)
    if side is None:
        require(actor, "space_viewing.book", viewing)  # 403 or 404 as the permission layer decides
        raise ValidationError({"action": _("您无权执行该操作")})
    note = (note or "").strip()[:1000]
    old = viewing.status
    if action in ("confirm", "propose"):
        _answer(viewing, side, action, starts_at, now)
    elif action == "cancel":
        if viewing.status not in LIVE:
            raise ValidationError({"status": _("当前状态「%(s)s」不能取消") % {"s": viewing.get_status_display()}})
        viewing.status = VStatus.CANCELLED
    elif action in ("lease", "not_taken"):
        _outcome(actor, viewing, side, action, note, outcome or {}, now)
    else:
        raise ValidationError({"action": _("未知操作")})
    if note and action not in ("lease", "not_taken"):  # an outcome's note is its outcome_note
        viewing.note = note
    viewing.updated_at = now
    _save_viewing(viewing)
    audit_record(
        actor=actor, action=f"space_viewing.{action}", target=viewing, enterprise_id=viewing.request.enterprise_id,
        changes={"status": [old, viewing.status]}, note=note, now=now,
    )  # fmt: skip
    when = timezone.localtime(viewing.starts_at).strftime("%Y-%m-%d %H:%M")
    title = Text(gettext_lazy("看房预约「%(title)s」%(when)s:%(status)s") , {
        "title": viewing.listing.title, "when": when, "status": _status_text(viewing)})  # fmt: skip
    notify(_other_side_users(viewing, side), title, _request_url(viewing.request), now)
    return viewing


def _status_text(viewing: Viewing) -> str:
    if viewing.status == VStatus.REQUESTED:
        return _("提议新的时间,待%(side)s确认") % {"side": viewing.get_awaiting_display()}
    return viewing.get_status_display()


def _answer(viewing: Viewing, side: str, action: str, starts_at, now) -> None:
    if viewing.status != VStatus.REQUESTED:
        message = _("看房预约当前状态「%(s)s」不能执行该操作") % {"s": viewing.get_status_display()}
        raise ValidationError({"status": message})
    if side != "officer" and side != viewing.awaiting:
        raise ValidationError({"action": _("正在等待对方确认")})
    if action == "confirm":
        viewing.status = VStatus.CONFIRMED
        return
    errors: dict[str, str] = {}
    _check_slot(starts_at, now, errors)
    if not errors and _slot_taken(viewing.listing_id, starts_at, exclude=viewing.pk):
        errors["starts_at"] = _("该时段已有其他预约,请选择其他时间")
    if errors:
        raise ValidationError(errors)
    viewing.starts_at = starts_at
    # An officer proposes on behalf of the side awaited; the other side answers next.
    viewing.awaiting = Side.REQUESTER if viewing.awaiting == Side.LANDLORD else Side.LANDLORD


def _outcome(actor, viewing: Viewing, side: str, action: str, note: str, outcome: dict, now) -> None:
    if side not in (Side.LANDLORD, "officer") or not has_perm(actor, "space_lease.record"):
        raise ValidationError({"action": _("成交结果由业主或服务专员记录")})
    if viewing.status != VStatus.CONFIRMED:
        raise ValidationError({"status": _("看房确认后才能记录结果")})
    if action == "not_taken":
        if not note:
            raise ValidationError({"note": _("请填写未成交的原因")})
        viewing.status, viewing.outcome_note, viewing.outcome_at = VStatus.NOT_TAKEN, note, now
        return
    lease_record(actor=actor, listing=viewing.listing, request=viewing.request, data=outcome, now=now)
    viewing.status, viewing.outcome_note, viewing.outcome_at = VStatus.LEASED, note, now


# -- leases ----------------------------------------------------------------------------------------------


def lease_record(*, actor, listing: Listing, data: dict, request: SpaceRequest | None = None, tenant=None,
                 now: datetime) -> Lease:  # fmt: skip
    """A signed lease: the listing's leased area grows (leased when fully taken), the request is leased."""
    with transaction.atomic():
        listing = Listing.objects.select_for_update(of=("self",)).get(pk=listing.pk)
        require(actor, "space_lease.record", listing)
        errors: dict[str, str] = {}
        area = parse_area(data.get("area"), "area", errors)
        rent_fen = parse_rent(data.get("rent_yuan"), "rent_yuan", errors)
        start: date | None = data.get("start_date") or None
        if start is None:
            errors["start_date"] = _("此项为必填项")
        if area is not None and area > listing.vacant_area:
            errors["area"] = _("租赁面积超过可租面积 %(n)s ㎡") % {"n": listing.vacant_area}
        if listing.status not in (Listing.Status.PUBLISHED, Listing.Status.EXPIRED, Listing.Status.WITHDRAWN):
            errors["listing"] = _("当前状态「%(s)s」不能记录成交") % {"s": listing.get_status_display()}
        if errors:
            raise ValidationError(errors)
        tenant_id = request.enterprise_id if request is not None else getattr(tenant, "pk", None)
        lease = Lease.objects.create(
            listing=listing, tenant_id=tenant_id, request=request, area=area, rent_fen=rent_fen, start_date=start,
            recorded_by=actor_or_none(actor), recorded_at=now,
        )  # fmt: skip
        old = listing.status
        listing.leased_area += area
        if listing.leased_area >= listing.area:
            listing.status = Listing.Status.LEASED
        listing.updated_at = now
        listing.save(update_fields=["leased_area", "status", "updated_at"])
        if request is not None:
            SpaceRequest.objects.filter(pk=request.pk).update(status=SpaceRequest.Status.LEASED, updated_at=now)
        audit_record(
            actor=actor, action="space_lease.record", target=lease, enterprise_id=listing.landlord_id,
            changes={"leased_area": [str(listing.leased_area - area), str(listing.leased_area)],
                     "status": [old, listing.status]}, now=now,
        )  # fmt: skip
        document_refresh(kind="listing", object_id=listing.pk)
        return lease
