"""Session rules of signed-in accounts: the idle timeout, the second factor and password rotation.

Officers and superusers (core.passwords.is_privileged) must pass a TOTP second factor after the password and
change their password every SANLIAN_PASSWORD_MAX_AGE_DAYS; until they do, their session reaches only the
pages that let them do it (plus logout, static files, the language switch and healthz). API calls are left to
the API's own session auth (core.api.SessionAuth), which refuses such a session with a JSON 403; bearer tokens
are unaffected (they are made from a finished sign-in).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .passwords import is_privileged, password_expired

SEEN_KEY = "_sanlian_seen"
# The idle stamp is rewritten at most once a minute: a session write per minute, not per request.
SEEN_GRANULARITY = 60

OTP_PAGES = ("account-otp-verify", "account-otp-enrol")
PASSWORD_PAGES = ("account-password",)
ALWAYS_OPEN = ("logout", "set_language", "healthz", "care-mode")


class AccountGateError(Exception):
    """A session that has not finished signing in (second factor, expired password) calling the API."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def otp_required() -> bool:
    return getattr(settings, "SANLIAN_OTP_REQUIRED", True)


def gate_reason(user, *, now) -> str | None:
    """What a signed-in user must do before using the platform: "otp" (enrol or enter the second factor),
    "password" (the password is too old), or None."""
    if not is_privileged(user):
        return None
    if otp_required() and not user.is_verified():
        return "otp"
    if password_expired(user, now=now):
        return "password"
    return None


class IdleSessionMiddleware:
    """Ends a signed-in session after SANLIAN_SESSION_IDLE_MINUTES without a request.

    The session's own expiry (SESSION_COOKIE_AGE, the same 30 minutes) is refreshed whenever the session is
    saved; saving on every request (SESSION_SAVE_EVERY_REQUEST) would write the session row on every page and
    API call, so instead a last-seen stamp is rewritten at most once a minute and checked here to the second.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        minutes = getattr(settings, "SANLIAN_SESSION_IDLE_MINUTES", None)
        session = getattr(request, "session", None)
        if minutes and session is not None and session.get("_auth_user_id"):
            now = timezone.now().timestamp()
            seen = session.get(SEEN_KEY)
            if seen is not None and now - seen > minutes * 60:
                session.flush()
                from django.contrib.auth.models import AnonymousUser

                request.user = AnonymousUser()
                messages.info(request, _("您已超过 %(minutes)s 分钟未操作,请重新登录。") % {"minutes": minutes})
            elif seen is None or now - seen >= SEEN_GRANULARITY:
                session[SEEN_KEY] = now
        return self.get_response(request)


class AccountGateMiddleware:
    """Sends an officer or superuser who has not finished signing in to the page that finishes it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(("/api/", settings.STATIC_URL)):
            return self.get_response(request)
        reason = gate_reason(user, now=timezone.now())
        if reason is None:
            return self.get_response(request)
        match = request.resolver_match or _resolve(request.path_info)
        name = match.url_name if match else None
        if name in ALWAYS_OPEN:
            return self.get_response(request)
        if reason == "otp":
            if name in OTP_PAGES:
                return self.get_response(request)
            from .account_services import otp_confirmed_device

            target = "account-otp-verify" if otp_confirmed_device(user) else "account-otp-enrol"
        else:
            if name in PASSWORD_PAGES:
                return self.get_response(request)
            target = "account-password"
        url = reverse(target)
        if request.headers.get("HX-Request") == "true":
            # A fragment request: htmx would swap the page in place; tell it to load the page whole instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None
