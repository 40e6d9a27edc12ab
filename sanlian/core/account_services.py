"""Writes of the account itself: password change, deactivation, the TOTP second factor and its backup codes.

Passwords, TOTP secrets and backup codes never reach the audit trail: only the fact and the time do.
"""

from base64 import b32encode
from binascii import unhexlify
from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiToken, User
from .services import audit_record, jsonable

BACKUP_CODES = 10
TOTP_NAME = "totp"
BACKUP_NAME = "backup"


@transaction.atomic
def user_password_change(*, user, password: str, now: datetime | None = None) -> User:
    """Set a new password (checked against AUTH_PASSWORD_VALIDATORS; a ValidationError names `password`) and
    stamp password_changed_at. Other sessions of the user end, as Django ties sessions to the password hash."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    now = now or timezone.now()
    before = user.password_changed_at
    user.set_password(password)
    user.password_changed_at = now
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(
        actor=user, action="user.password_change", target=user,
        changes={"password_changed_at": [jsonable(before), jsonable(now)]}, now=now,
    )  # fmt: skip
    return user


def _sessions_of(user_id: int, *, now: datetime) -> list[str]:
    # Database sessions are not indexed by user: decode the live ones. Idle sessions expire after 30 minutes,
    # so the live set stays small (a few per signed-in user).
    keys = []
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def user_deactivate(*, actor, user, now: datetime | None = None) -> User:
    """Disable an account: it can no longer sign in, its open sessions are deleted and its API tokens revoked
    (so that reactivating it does not bring old tokens back). Deactivating twice changes nothing more."""
    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = {}
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        changes["is_active"] = [True, False]
    return _cut_off(actor=actor, user=user, changes=changes, now=now)


def user_deactivated(*, actor, user, now: datetime | None = None) -> User:
    """After an account was saved inactive elsewhere (Django's admin form): end its sessions and tokens."""
    now = now or timezone.now()
    with transaction.atomic():
        return _cut_off(actor=actor, user=user, changes={"is_active": [True, False]}, now=now)


def _cut_off(*, actor, user, changes: dict, now: datetime) -> User:
    sessions = _sessions_of(user.pk, now=now)
    Session.objects.filter(session_key__in=sessions).delete()
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    if changes or sessions or revoked:
        audit_record(
            actor=actor, action="user.deactivate", target=user, changes=changes,
            note=f"sessions={len(sessions)} tokens={revoked}", now=now,
        )  # fmt: skip
    return user


# ---------------------------------------------------------------- TOTP second factor


def otp_confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def otp_enrol_start(*, user) -> TOTPDevice:
    """The user's pending (unconfirmed) TOTP device, made on first call: its secret stays the same while the
    user scans it, so reloading the page does not invalidate a code already added to the app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def otp_enrol_confirm(*, user, token: str, now: datetime | None = None) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app. Returns the device and the backup codes (shown once);
    a wrong code raises a ValidationError naming `token` and is audited."""
    now = now or timezone.now()
    with transaction.atomic():  # committed even when the code is wrong: the device's failure count is kept
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        verified = device is not None and device.verify_token((token or "").strip())
        if not verified:
            audit_record(actor=user, action="otp.enrol_failed", target=user, now=now)
    if not verified:
        raise ValidationError({"token": _("验证码不正确或已过期,请输入验证器应用中当前显示的 6 位数字。")})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        audit_record(actor=user, action="otp.enrol", target=user, changes={"device": [None, device.name]}, now=now)
        return device, _backup_codes_replace(user=user, now=now)


def otp_backup_codes_make(*, user, now: datetime | None = None) -> list[str]:
    """New one-time backup codes, replacing any earlier ones; returned once, stored as given (django-otp)."""
    with transaction.atomic():
        return _backup_codes_replace(user=user, now=now or timezone.now())


def _backup_codes_replace(*, user, now: datetime) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit_record(actor=user, action="otp.backup_codes", target=user, note=f"codes={len(codes)}", now=now)
    return codes


def otp_verify(*, user, token: str, now: datetime | None = None):
    """The confirmed device (TOTP or backup codes) that accepts `token`, or None. Failures and the use of a
    backup code are audited; django-otp throttles each device after repeated failures."""
    now = now or timezone.now()
    token = (token or "").strip().replace(" ", "")
    with transaction.atomic():
        matched = None
        if token:
            for device in devices_for_user(user, confirmed=True, for_verify=True):
                if device.verify_token(token):
                    matched = device
                    break
    with transaction.atomic():
        if matched is None:
            audit_record(actor=user, action="otp.verify_failed", target=user, now=now)
        elif isinstance(matched, StaticDevice):
            left = matched.token_set.count()
            audit_record(actor=user, action="otp.backup_code_used", target=user, note=f"left={left}", now=now)
    return matched


def otp_secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def otp_device_install(*, user, key_hex: str) -> TOTPDevice:
    """Give the user one confirmed TOTP device with a known key (the demo's published secret)."""
    unhexlify(key_hex)  # a bad key fails here, not at the first login
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is not None and device.key == key_hex:
        return device
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key_hex, confirmed=True)


def user_language_save(*, user, language: str) -> bool:
    """Remember the interface language a signed-in user chose, so their emails and SMS are written in it;
    returns whether it changed. An unknown code changes nothing."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return False
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    return True
