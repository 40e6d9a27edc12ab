"""关怀版 (care mode), after MIIT's 《互联网网站适老化通用设计规范》: larger type, higher contrast, larger
targets, more spacing and a single column. The CSS is in sanlian.css (body.care-mode); this module decides
whether a request is in care mode and remembers the choice.

Remembered twice: a cookie for a year (anonymous visitors, and the browser after signing out) and, for a
signed-in user, `User.care_mode`, so that it follows the user to another device. While signed in the account
decides. On signing in the two are merged: care mode switched on in this browser before signing in is kept
on the account (an older visitor who turned it on at the login page must not lose it by signing in), and an
account in care mode turns it on in this browser.
"""

from . import services

COOKIE = "care_mode"
MAX_AGE = 365 * 24 * 3600


def _cookie_on(request) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


def is_on(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return bool(user.care_mode)
    return _cookie_on(request)


def remember(response, enabled: bool) -> None:
    response.set_cookie(COOKIE, "1" if enabled else "0", max_age=MAX_AGE, samesite="Lax", httponly=True)


def toggle(request, response) -> bool:
    """Switch care mode over for this request's visitor (and account); returns the new state."""
    enabled = not is_on(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        services.user_care_mode_set(user=user, enabled=enabled)
    remember(response, enabled)
    return enabled


def apply_on_sign_in(request, response, user) -> None:
    """The merge described above, for a user who has just signed in."""
    if _cookie_on(request) and not user.care_mode:
        services.user_care_mode_set(user=user, enabled=True)
    if user.care_mode or COOKIE in request.COOKIES:
        remember(response, user.care_mode)
