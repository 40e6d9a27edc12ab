"""Helpers shared by the space services: recipients, notifications in a savepoint, input parsing."""

import logging
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from sanlian.core.models import ENTERPRISE_ROLES, Role, User
from sanlian.core.services import notification_send

log = logging.getLogger(__name__)

MAX_AREA = Decimal("1000000")
MAX_RENT_YUAN = Decimal("100")  # per m² per day: far above any Shanghai quote


def enterprise_users(enterprise_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, enterprise_id=enterprise_id, role__in=ENTERPRISE_ROLES))


def town_officers(town_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.TOWN_OFFICER, region_id=town_id))


def notify(recipients, title: str, url: str, now: datetime) -> None:
    """Notify in a savepoint: a failure is logged and never undoes the step that caused it."""
    unique = list({user.pk: user for user in recipients}.values())
    if not unique:
        return
    try:
        with transaction.atomic():
            notification_send(recipients=unique, title=title, url=url, now=now)
    except Exception:
        log.exception("space: notification %r failed", title)


def actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def parse_area(value, field: str, errors: dict, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[field] = _("此项为必填项")
        return None
    try:
        area = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors[field] = _("请输入有效的面积(㎡)")
        return None
    if not area.is_finite() or area <= 0:
        errors[field] = _("面积须大于 0")
    elif area > MAX_AREA:
        errors[field] = _("面积过大(上限 %(n)s ㎡)") % {"n": MAX_AREA}
    else:
        return area
    return None


def parse_rent(value, field: str, errors: dict, required: bool = True) -> int | None:
    """Rent in yuan per m² per day → integer fen; floats refused like money elsewhere."""
    if value in (None, ""):
        if required:
            errors[field] = _("此项为必填项")
        return None
    if isinstance(value, float):
        errors[field] = _("请输入有效的租金(元/㎡/天)")
        return None
    try:
        yuan = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = _("请输入有效的租金(元/㎡/天)")
        return None
    if not yuan.is_finite() or yuan <= 0:
        errors[field] = _("租金须大于 0")
    elif yuan > MAX_RENT_YUAN:
        errors[field] = _("租金过高(上限 %(n)s 元/㎡/天)") % {"n": MAX_RENT_YUAN}
    elif yuan != yuan.quantize(Decimal("0.01")):
        errors[field] = _("租金最多保留两位小数")
    else:
        return int(yuan * 100)
    return None


def parse_count(value, field: str, errors: dict, high: int) -> int | None:
    """An optional whole number 0…high (kg/m², kVA)."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = _("请输入整数")
        return None
    if not 0 <= number <= high:
        errors[field] = _("应在 0 到 %(n)s 之间") % {"n": high}
        return None
    return number


def clean_text(value, field: str, errors: dict, high: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if not text and required:
        errors[field] = _("此项为必填项")
    elif len(text) > high:
        errors[field] = _("最多 %(n)s 个字(当前 %(count)s 个)") % {"n": high, "count": len(text)}
    return text
