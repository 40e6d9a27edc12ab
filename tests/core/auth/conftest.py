"""Account rules are off in the rest of the test run (force_login, time travel); these tests switch them on."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanlian.core.account_services import otp_device_install

PASSWORD = "pw-123456"  # the factories' password (set directly, so not checked by the validators)
KEY_HEX = "3132333435363738393031323334353637383930"  # RFC 6238's test key


@pytest.fixture
def rules_on(settings):
    settings.SANLIAN_OTP_REQUIRED = True
    settings.SANLIAN_PASSWORD_MAX_AGE_DAYS = 90
    settings.SANLIAN_SESSION_IDLE_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 35 * 60
    return settings


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (or `offset_steps` periods later), from the device's key."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def with_device(user) -> TOTPDevice:
    return otp_device_install(user=user, key_hex=KEY_HEX)


def password_login(client, username: str, password: str = PASSWORD):
    return client.post("/login/", {"username": username, "password": password})
