"""Erasure of a person's data when they withdraw consent (PIPL art. 15 and 47).

`person_erase` is the account-deletion service. Core knows no domain app, so each app that keeps
personal data about a user registers an eraser at start-up (`register_eraser` in its AppConfig.ready);
an eraser deletes or irreversibly blanks that app's rows for the user (keeping what a retention rule
requires, masked) and returns counts. The audit record keeps only those counts, never the values.
"""

from collections.abc import Callable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .masking import mask_name
from .models import ApiToken, Notification, NotificationPreference
from .services import audit_record

# eraser(user=..., now=...) -> {label: count}
Eraser = Callable[..., dict[str, int]]
_ERASERS: dict[str, Eraser] = {}


def register_eraser(name: str, eraser: Eraser) -> None:
    """Register (or replace, so reloading an app is harmless) one app's eraser under `name`."""
    _ERASERS[name] = eraser


def erased_username(pk: int) -> str:
    return f"erased-{pk}"


def may_erase_self(user) -> bool:
    """Persons (enterprise users, talents, ambassadors, secretaries) may delete their own account; officers
    and superusers may not."""
    return not (user.is_superuser or user.is_officer)


@transaction.atomic
def person_erase(*, actor, user, now: datetime | None = None) -> dict[str, int]:
    """Delete a person's account data: every app's eraser runs, then the user row is anonymised.

    The row itself stays (anonymised, inactive, no usable password) because workflow history points at
    it; nothing in it identifies the person any more. Only the person or a superuser may do this.
    """
    now = now or timezone.now()
    if not (getattr(actor, "pk", None) == user.pk or getattr(actor, "is_superuser", False)):
        raise PermissionDenied("user.erase")
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.username == erased_username(user.pk):
        raise ValidationError({"user": _("该账号已注销")})
    if user.is_superuser:
        raise ValidationError({"user": _("超级管理员账号不能自助注销")})
    if actor.pk == user.pk and not may_erase_self(user):
        # An officer's account carries official acts: the administrator deactivates it instead.
        raise ValidationError({"user": _("工作人员账号不能自助注销,请联系管理员停用")})
    counts: dict[str, int] = {}
    for name in sorted(_ERASERS):
        for label, count in _ERASERS[name](user=user, now=now).items():
            counts[f"{name}.{label}"] = count
    user.username = erased_username(user.pk)
    user.display_name = mask_name(user.display_name) if user.display_name else ""
    user.first_name = user.last_name = ""
    user.email = ""
    user.phone = None
    user.is_active = False
    user.set_unusable_password()
    user.save()
    counts["core.api_tokens"] = ApiToken.objects.filter(user=user).delete()[0]
    # Notifications name people and things in their titles; they are the person's own and go with them.
    counts["core.notifications"] = Notification.objects.filter(recipient=user).delete()[0]
    NotificationPreference.objects.filter(user=user).delete()
    audit_record(actor=actor, action="user.erase", target=user, changes=counts, now=now)
    return counts
