from django.conf import settings
from django.utils import timezone

from . import care
from .account_middleware import gate_reason
from .erasure import may_erase_self
from .permissions import has_perm


def navigation(request):
    user = getattr(request, "user", None)
    unread, signing_in = 0, False
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
        # An officer before the second factor (or a due password change) sees no navigation it cannot use.
        signing_in = gate_reason(user, now=timezone.now()) is not None
    return {
        "signing_in": signing_in,
        "can_delete_account": bool(user is not None and user.is_authenticated and may_erase_self(user)),
        "site_name": settings.SANLIAN_SITE_NAME,
        "unread_notifications": unread,
        "can_view_cockpit": bool(user is not None and has_perm(user, "cockpit.view")),
        "can_view_talent": bool(user is not None and has_perm(user, "talent_application.view")),
        "can_view_leads": bool(user is not None and has_perm(user, "lead.view")),
        "can_view_chain": bool(user is not None and has_perm(user, "chain.view")),
        "can_view_desk": bool(user is not None and has_perm(user, "request.view")),
        "can_view_audit": bool(user is not None and has_perm(user, "audit.view")),
        "can_view_visits": bool(user is not None and has_perm(user, "visit.view")),
        # The importers' permissions (sanlian.imports: talents, space listings), for the links to /imports/.
        "can_import_talents": bool(user is not None and has_perm(user, "talent_application.decide")),
        "can_import_space": bool(user is not None and has_perm(user, "space_listing.verify")),
    }


def care_mode(request):
    """关怀版: whether the page is drawn in care mode (the account's choice when signed in, else the cookie)."""
    return {"care_mode": care.is_on(request)}
