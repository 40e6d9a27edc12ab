"""The account's own pages: change password, enrol and enter the TOTP second factor, backup codes."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import account_services
from .account_middleware import gate_reason
from .forms import apply_service_errors
from .passwords import is_privileged, password_expired


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = {request.get_host()}
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed, require_https=request.is_secure()):
        return candidate
    return "/"


def _verified(request, device) -> None:
    # The session now carries more trust than after the password alone: give it a new key (session fixation).
    request.session.cycle_key()
    otp_login(request, device)


def _no_store(response):
    # Secrets and backup codes are on these responses only: never cached on the way.
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def password_change(request):
    """Every user's own password change; officers and superusers are sent here when theirs is too old."""
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.user_password_change(user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            exc = ValidationError({"new_password1": exc.message_dict["password"]})
            apply_service_errors(form, exc)
        else:
            update_session_auth_hash(request, user)  # this session stays signed in; the others end
            messages.success(request, _("密码已修改"))
            return redirect(_next_url(request))
    context = {
        "form": form, "next": _next_url(request), "expired": password_expired(user, now=timezone.now()),
        "max_age_days": getattr(settings, "SANLIAN_PASSWORD_MAX_AGE_DAYS", None), "privileged": is_privileged(user),
    }  # fmt: skip
    return render(request, "core/account/password_change.html", context)


@never_cache
def otp_enrol(request):
    """First sign-in of an officer: scan the QR code (or type the secret), confirm with a code, get backup codes."""
    user = request.user
    if not is_privileged(user) or account_services.otp_confirmed_device(user) is not None:
        return redirect("account-otp-verify" if gate_reason(user, now=timezone.now()) == "otp" else "home")
    device = account_services.otp_enrol_start(user=user)
    error = ""
    if request.method == "POST":
        try:
            device, codes = account_services.otp_enrol_confirm(user=user, token=request.POST.get("token", ""))
        except ValidationError as exc:
            error = exc.message_dict["token"][0]
        else:
            _verified(request, device)
            context = {"codes": codes, "next": _next_url(request), "enrolled": True}
            return _no_store(render(request, "core/account/backup_codes.html", context))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)
    context = {
        "qr": qr, "secret": account_services.otp_secret_text(device), "error": error, "next": _next_url(request),
    }  # fmt: skip
    return _no_store(render(request, "core/account/otp_enrol.html", context))


@never_cache
def otp_verify(request):
    """The second step of an officer's sign-in: the current code of the authenticator app, or a backup code."""
    user = request.user
    if not is_privileged(user):
        return redirect("home")
    if account_services.otp_confirmed_device(user) is None:
        return redirect("account-otp-enrol")
    if user.is_verified():
        return redirect(_next_url(request))
    error = ""
    if request.method == "POST":
        device = account_services.otp_verify(user=user, token=request.POST.get("token", ""))
        if device is None:
            error = _("验证码不正确或已过期,请重新输入。多次输错后需等待一段时间才能再试。")
        else:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request, _("您使用了一个备用验证码,还剩 %(left)s 个。请尽快生成新的备用验证码。") % {"left": left}
                )
            return redirect(_next_url(request))
    context = {"error": error, "next": _next_url(request), "demo_hint": settings.DEBUG, "username": user.username}
    return render(request, "core/account/otp_verify.html", context)


@never_cache
def backup_codes(request):
    """How many backup codes are left; a POST replaces them with new ones, shown once."""
    user = request.user
    if not is_privileged(user) or account_services.otp_confirmed_device(user) is None:
        return redirect("home")
    if request.method == "POST":
        codes = account_services.otp_backup_codes_make(user=user)
        return _no_store(render(request, "core/account/backup_codes.html", {"codes": codes, "next": ""}))
    left = sum(d.token_set.count() for d in StaticDevice.objects.filter(user=user, confirmed=True))
    return render(request, "core/account/backup_codes.html", {"codes": None, "left": left})


@login_not_required
def set_language(request):
    """Django's language switch (a cookie, for visitors too), and for a signed-in user the language their
    emails and SMS follow from now on."""
    response = i18n_views.set_language(request)
    chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None and request.user.is_authenticated:
        account_services.user_language_save(user=request.user, language=chosen.value)
    return response
