"""Bench clients signed in as production signs officers in: password (force_login) and the TOTP second factor,
so the figures include the second factor's per-request device lookup and nothing is redirected to it."""

BENCH_TOTP_KEY = "3132333435363738393031323334353637383930"


def signed_in(client, user):
    """`client` with `user` signed in and, for an officer or superuser, its second factor verified."""
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY

    from sanlian.core.account_services import otp_confirmed_device, otp_device_install
    from sanlian.core.models import User
    from sanlian.core.passwords import is_privileged

    if is_privileged(user):
        # A bench user's password is "fresh" (no rotation redirect); its device is made once.
        User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
        user.refresh_from_db()
        device = otp_confirmed_device(user) or otp_device_install(user=user, key_hex=BENCH_TOTP_KEY)
    client.force_login(user)
    if is_privileged(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
