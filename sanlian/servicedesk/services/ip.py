"""Writes of the IP portfolio (知识产权): add, edit, mark lapsed, and the upsert the .xlsx import uses.

The enterprise admin keeps its own portfolio; officers in scope do too, and only they may correct an
expiry date (otherwise it is the legal term computed from the dates). Each write runs in one
transaction, records an audit event on the enterprise's history and tells the policy module that the
enterprise's IP facts moved (after commit).
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanlian.core.models import OFFICER_ROLES
from sanlian.core.permissions import require
from sanlian.core.services import apply_changes, audit_record, jsonable
from sanlian.core.uploads import checked_upload
from sanlian.enterprises.signals import announce_facts_changed

from ..ip_numbers import PATENT_KINDS, default_expiry, filing_year, normalise_number
from ..models import IPAsset

Kind, Status = IPAsset.Kind, IPAsset.Status
FIELDS = ("kind", "number", "title", "status", "filing_date", "grant_date", "trademark_class", "co_owners")
TITLE_MAX = 200
CO_OWNERS_MAX = 300
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
CERTIFICATE_TYPES = (".pdf", ".png", ".jpg")


def _is_officer(user) -> bool:
    """Officers (and the system, actor None: the import command) may correct expiry dates."""
    if user is None:
        return True
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", None) in OFFICER_ROLES)


def _choice(value, choices, field, errors, message):
    value = str(value or "").strip()
    if value not in choices:
        errors[field] = message
    return value


def _day(value, field, errors) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = _("日期格式应为 YYYY-MM-DD")
        return None


def _trademark_class(kind, value, errors) -> int | None:
    if value in (None, ""):
        if kind == Kind.TRADEMARK:
            errors["trademark_class"] = _("商标须填写类别(1–45)")
        return None
    if kind != Kind.TRADEMARK:
        errors["trademark_class"] = _("只有商标填写类别")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= 45:
        errors["trademark_class"] = _("商标类别应为 1–45 的整数")
        return None
    return number


def _check_dates(clean: dict, today: date, errors: dict) -> None:
    kind, status = clean["kind"], clean["status"]
    filing, grant = clean["filing_date"], clean["grant_date"]
    for field in ("filing_date", "grant_date"):
        if clean[field] and clean[field] > today and field not in errors:
            errors[field] = _("日期不能晚于今天")
    if kind in PATENT_KINDS and filing is None and "filing_date" not in errors:
        errors["filing_date"] = _("专利须填写申请日")
    if status == Status.GRANTED and grant is None and "grant_date" not in errors:
        errors["grant_date"] = _("已授权/已注册的须填写授权/注册日")
    if status == Status.PENDING and grant is not None:
        errors["grant_date"] = _("申请中的不应有授权/注册日")
    if filing and grant and grant < filing and "grant_date" not in errors:
        errors["grant_date"] = _("授权/注册日不能早于申请日")
    year = filing_year(kind, clean.get("number") or "") if "number" not in errors else None
    if year and filing and filing.year != year and "filing_date" not in errors:
        errors["filing_date"] = _("申请日的年份(%(year)s)与专利号中的申请年份(%(number_year)s)不符") % {
            "year": filing.year,
            "number_year": year,
        }


def clean_ip_data(data: dict, *, today: date) -> dict:
    """The asset's fields, checked and normalised; a ValidationError names every faulty field."""
    errors: dict[str, str] = {}
    kind = _choice(data.get("kind"), Kind.values, "kind", errors, _("请选择类型"))
    clean = {"kind": kind, "number": ""}
    if "kind" not in errors:
        try:
            clean["number"] = normalise_number(kind, data.get("number"))
        except ValidationError as exc:
            errors["number"] = exc.messages[0]
    clean["title"] = " ".join(str(data.get("title") or "").split())
    if not 1 <= len(clean["title"]) <= TITLE_MAX:
        errors["title"] = _("名称应为 1–%(max)s 个字") % {"max": TITLE_MAX}
    clean["status"] = _choice(data.get("status"), Status.values, "status", errors, _("请选择状态"))
    clean["filing_date"] = _day(data.get("filing_date"), "filing_date", errors)
    clean["grant_date"] = _day(data.get("grant_date"), "grant_date", errors)
    clean["trademark_class"] = _trademark_class(kind, data.get("trademark_class"), errors)
    clean["co_owners"] = " ".join(str(data.get("co_owners") or "").split())
    if len(clean["co_owners"]) > CO_OWNERS_MAX:
        errors["co_owners"] = _("共有权人不超过 %(max)s 个字") % {"max": CO_OWNERS_MAX}
    if not {"kind", "status"} & errors.keys():
        _check_dates(clean, today, errors)
    if errors:
        raise ValidationError(errors)
    return clean


def _expiry(clean: dict, data: dict, *, actor, asset: IPAsset | None, errors: dict) -> tuple[date | None, bool]:
    """(expiry date, set by hand?): an officer's date when given, else the legal term's last day."""
    given = data.get("expiry_date")
    if given not in (None, "") and _is_officer(actor):
        expiry = _day(given, "expiry_date", errors)
        start = clean["grant_date"] or clean["filing_date"]
        if expiry and start and expiry < start:
            errors["expiry_date"] = _("有效期至不能早于申请日或授权日")
        return expiry, True
    if asset is not None and asset.expiry_manual and (not _is_officer(actor) or "expiry_date" not in data):
        return asset.expiry_date, True
    return default_expiry(clean["kind"], filing_date=clean["filing_date"], grant_date=clean["grant_date"]), False


def _check_unique(clean: dict, *, enterprise, asset: IPAsset | None) -> None:
    holder = IPAsset.objects.filter(kind=clean["kind"], number=clean["number"])
    if asset is not None:
        holder = holder.exclude(pk=asset.pk)
    other = holder.values_list("enterprise_id", flat=True).first()
    if other is None:
        return
    if other == enterprise.pk:
        raise ValidationError({"number": _("该号码已在本企业的知识产权档案中")})
    # The other holder is not named: it may be outside the caller's scope.
    raise ValidationError({"number": _("该号码已登记在其他企业名下;如有权属变更,请联系镇产业服务专员核实")})


def _checked_certificate(upload) -> str | None:
    """The stored name of an acceptable certificate scan (PDF, PNG or JPG by content, ≤ 10 MB)."""
    if not upload:
        return None
    name, _size = checked_upload(upload, field="certificate", max_bytes=CERTIFICATE_MAX_BYTES)
    if not name.endswith(CERTIFICATE_TYPES):
        raise ValidationError({"certificate": _("证书须为 PDF、PNG 或 JPG 文件")})
    return name


def _write(
    *, actor, enterprise, data: dict, asset: IPAsset | None, now: datetime, certificate=None
) -> tuple[IPAsset, str]:
    clean = clean_ip_data(data, today=timezone.localdate(now))
    errors: dict[str, str] = {}
    clean["expiry_date"], clean["expiry_manual"] = _expiry(clean, data, actor=actor, asset=asset, errors=errors)
    if errors:
        raise ValidationError(errors)
    _check_unique(clean, enterprise=enterprise, asset=asset)
    certificate_name = _checked_certificate(certificate)
    if asset is None:
        asset = IPAsset(enterprise=enterprise, created_at=now, updated_at=now, **clean)
        if certificate_name:
            asset.certificate.save(certificate_name, certificate, save=False)
        asset.save()
        changes = {field: [None, jsonable(getattr(asset, field))] for field in clean if getattr(asset, field)}
        if certificate_name:
            changes["certificate"] = [None, certificate_name]
        outcome = CREATED
    else:
        changes = apply_changes(asset, clean)
        if certificate_name:
            changes["certificate"] = [asset.certificate.name or None, certificate_name]
            asset.certificate.save(certificate_name, certificate, save=False)
        if not changes:
            return asset, UNCHANGED
        asset.updated_at = now
        asset.save()
        outcome = UPDATED
    audit_record(
        actor=actor, action=f"ip.{'create' if outcome == CREATED else 'update'}", target=asset,
        enterprise_id=enterprise.pk, changes=changes, now=now,
    )  # fmt: skip
    announce_facts_changed(enterprise_id=enterprise.pk, fields=["ip"])
    return asset, outcome


@transaction.atomic
def ip_asset_add(*, actor, enterprise, data: dict, certificate=None, now: datetime | None = None) -> IPAsset:
    """Add an asset to an enterprise's portfolio. `data`: the FIELDS, plus expiry_date (officers only);
    `certificate`: an optional uploaded scan of the certificate.
    """
    require(actor, "ip.edit", enterprise)
    asset, _outcome = _write(
        actor=actor, enterprise=enterprise, data=data, asset=None, now=now or timezone.now(), certificate=certificate
    )
    return asset


@transaction.atomic
def ip_asset_edit(*, actor, asset: IPAsset, data: dict, certificate=None, now: datetime | None = None) -> IPAsset:
    """Change an asset; fields missing from `data` keep their value; a new certificate replaces the old."""
    require(actor, "ip.edit", asset)
    asset = IPAsset.objects.select_for_update().select_related("enterprise").get(pk=asset.pk)
    merged = {field: getattr(asset, field) for field in FIELDS} | data
    asset, _outcome = _write(
        actor=actor, enterprise=asset.enterprise, data=merged, asset=asset, now=now or timezone.now(),
        certificate=certificate,
    )  # fmt: skip
    return asset


@transaction.atomic
def ip_asset_lapse(*, actor, asset: IPAsset, now: datetime | None = None) -> IPAsset:
    """Mark an asset lapsed (已失效): a patent abandoned or unpaid, a trademark not renewed."""
    return ip_asset_edit(actor=actor, asset=asset, data={"status": Status.LAPSED}, now=now)


def ip_asset_upsert(*, actor, enterprise, data: dict, now: datetime) -> tuple[IPAsset, str]:
    """Create the asset, or update the enterprise's asset of the same (kind, number): for imports.

    Returns (asset, "created" | "updated" | "unchanged"). Runs in the caller's transaction. `actor`
    None is the system (the `sanlian ip import` command run by the operator), which every scope covers.
    """
    if actor is not None:
        require(actor, "ip.edit", enterprise)
    existing = None
    kind = str(data.get("kind") or "")
    if kind in Kind.values:
        try:
            number = normalise_number(kind, data.get("number"))
        except ValidationError:
            number = None  # _write reports it on the number field
        existing = IPAsset.objects.filter(kind=kind, number=number, enterprise=enterprise).first()
    if existing is not None:
        # Columns the sheet leaves out keep their value; an officer's expiry date is not overwritten.
        merged = {field: getattr(existing, field) for field in FIELDS} | data
        return _write(actor=actor, enterprise=enterprise, data=merged, asset=existing, now=now)
    return _write(actor=actor, enterprise=enterprise, data=data, asset=None, now=now)
