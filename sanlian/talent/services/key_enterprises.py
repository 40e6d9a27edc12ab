"""Key enterprises (重点企业) of the talent programme, designated by officers per year.

The designation itself is the registry's certification of type 春申重点企业 (KEY_ENTERPRISE_TYPE) for
the year, made through the registry's own service so that the cockpit, `sanlian stats` and the policy
facts count it; the KeyEnterprise row beside it holds the programme's terms (an application quota, the
right to certify its own staff on the authorised route). One designation per enterprise and year.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanlian.core.permissions import require
from sanlian.core.services import audit_record
from sanlian.enterprises.models import Certification, CertificationType, Enterprise, Region
from sanlian.enterprises.selectors import KEY_ENTERPRISE_TYPE
from sanlian.enterprises.services import certification_add

from ..models import KeyEnterprise

MAX_QUOTA = 1000
MIN_YEAR, MAX_YEAR = 2000, 2100


def _clean_year(year, errors: dict) -> int | None:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _("年度应为 %(low)s–%(high)s 之间的整数") % {"low": MIN_YEAR, "high": MAX_YEAR}
        return None
    return year


def _clean_quota(quota, errors: dict) -> int | None:
    if quota in (None, ""):
        return None
    if isinstance(quota, bool) or not isinstance(quota, int) or not 0 <= quota <= MAX_QUOTA:
        errors["quota"] = _("申报名额应为 0–%(high)s 之间的整数,不另设名额请留空") % {"high": MAX_QUOTA}
        return None
    return quota


def _district_name(region: Region | None) -> str:
    """The name of the district a region lies in (the region itself when it is a district or above)."""
    while region is not None and region.level not in (Region.Level.DISTRICT, Region.Level.CITY):
        region = region.parent
    return region.name if region is not None else ""


def designation_period(year: int) -> tuple[date, date]:
    """A year's designation holds from its 1 July to the next 30 June (as the registry's records do)."""
    return date(year, 7, 1), date(year + 1, 6, 30)


def _already(enterprise: Enterprise, year: int) -> ValidationError:
    return ValidationError(
        {"enterprise": _("%(name)s 已是 %(year)s 年度重点企业,不能重复认定") % {"name": enterprise.name, "year": year}}
    )


@transaction.atomic
def key_enterprise_designate(
    *,
    actor,
    enterprise: Enterprise,
    year: int,
    source_document: str,
    quota: int | None = None,
    can_certify_staff: bool = False,
    now: datetime | None = None,
) -> KeyEnterprise:
    """Designate an enterprise in the actor's scope as a key enterprise of `year`; all or nothing."""
    require(actor, "key_enterprise.edit", enterprise)
    now = now or timezone.now()
    errors: dict[str, str] = {}
    year = _clean_year(year, errors)
    quota = _clean_quota(quota, errors)
    source_document = (source_document or "").strip()
    if not source_document:
        errors["source_document"] = _("请填写认定依据文件(文号或名称)")
    elif len(source_document) > 200:
        errors["source_document"] = _("不能超过 %(n)s 个字符") % {"n": 200}
    if errors:
        raise ValidationError(errors)
    # The enterprise row is the lock: two officers designating the same firm at once wait for each other.
    enterprise = Enterprise.objects.select_for_update().select_related("town").get(pk=enterprise.pk)
    key_type = CertificationType.objects.get(code=KEY_ENTERPRISE_TYPE)
    designated = Certification.objects.filter(enterprise=enterprise, type=key_type, year=year).exists()
    if designated or KeyEnterprise.objects.filter(enterprise=enterprise, year=year).exists():
        raise _already(enterprise, year)
    valid_from, valid_until = designation_period(year)
    issuer = _district_name(enterprise.town) or _district_name(getattr(actor, "region", None))
    certification = certification_add(
        actor=actor,
        enterprise=enterprise,
        data={
            "type": key_type,
            "issuer": issuer,
            "year": year,
            "valid_from_date": valid_from,
            "valid_until_date": valid_until,
            "source_document": source_document,
        },
        now=now,
    )
    try:
        with transaction.atomic():
            terms = KeyEnterprise.objects.create(
                certification=certification,
                enterprise=enterprise,
                year=year,
                quota=quota,
                can_certify_staff=bool(can_certify_staff),
                created_at=now,
            )
    except IntegrityError as exc:  # designated concurrently despite the lock (another database session)
        raise _already(enterprise, year) from exc
    audit_record(
        actor=actor,
        action="key_enterprise.designate",
        target=terms,
        enterprise_id=enterprise.pk,
        changes={
            "year": year,
            "source_document": source_document,
            "quota": quota,
            "can_certify_staff": bool(can_certify_staff),
        },
        now=now,
    )
    return terms


@transaction.atomic
def key_enterprise_update(
    *,
    actor,
    certification: Certification,
    quota: int | None = None,
    can_certify_staff: bool = False,
    now: datetime | None = None,
) -> KeyEnterprise:
    """Set the programme terms of a designation (its quota, the right to certify its own staff).

    Designations recorded in the registry without terms (imported, or made before the programme's
    pages existed) get their terms row here.
    """
    certification = (
        Certification.objects.select_for_update().select_related("type", "enterprise", "enterprise__town")
    ).get(pk=certification.pk)
    require(actor, "key_enterprise.edit", certification.enterprise)
    if certification.type.code != KEY_ENTERPRISE_TYPE or certification.year is None:
        raise ValidationError({"certification": _("该资质不是年度重点企业认定")})
    errors: dict[str, str] = {}
    quota = _clean_quota(quota, errors)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    terms = KeyEnterprise.objects.select_for_update().filter(certification=certification).first()
    before = {"quota": None, "can_certify_staff": False}
    if terms is None:
        if KeyEnterprise.objects.filter(enterprise=certification.enterprise, year=certification.year).exists():
            raise _already(certification.enterprise, certification.year)
        terms = KeyEnterprise(
            certification=certification,
            enterprise=certification.enterprise,
            year=certification.year,
            created_at=now,
        )
    else:
        before = {"quota": terms.quota, "can_certify_staff": terms.can_certify_staff}
    terms.quota, terms.can_certify_staff = quota, bool(can_certify_staff)
    terms.save()
    after = {"quota": terms.quota, "can_certify_staff": terms.can_certify_staff}
    audit_record(
        actor=actor,
        action="key_enterprise.update",
        target=terms,
        enterprise_id=certification.enterprise_id,
        changes={key: [before[key], after[key]] for key in after if before[key] != after[key]},
        now=now,
    )
    return terms
