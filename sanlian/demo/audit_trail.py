"""The demo's sign-in history for the audit page: a morning of logins from the town's network, a mistyped
password, and an enterprise user refused the cockpit. Written once, with the story (the showcase's first load),
at fixed times before the load day, so two loads on one day write the same rows."""

from datetime import datetime, timedelta

from sanlian.core import audit
from sanlian.core.models import AuditEvent, User
from sanlian.core.services import audit_record

# (hours before the load day, username, action, client address, path)
SIGN_INS = (
    (15.5, "pj_officer", "auth.login", "10.31.8.24", "/login/"),
    (15.2, "ent_admin", "auth.login", "10.31.40.117", "/login/"),
    (14.9, "ent_staff", "auth.login_failed", "10.31.40.118", "/login/"),
    (14.8, "ent_staff", "auth.login", "10.31.40.118", "/login/"),
    (14.7, "ent_staff", "permission.denied", "10.31.40.118", "/cockpit/"),
    (13.0, "mh_officer", "auth.login", "10.30.1.5", "/login/"),
    (11.0, "pj_officer", "auth.logout", "10.31.8.24", "/logout/"),
)


def load(*, users: dict[str, User], now: datetime) -> int:
    """Record the sign-in history; returns the number of events."""
    for hours, username, action, ip, path in SIGN_INS:
        user = users[username]
        at = now - timedelta(hours=hours)
        method = "GET" if action == "permission.denied" else "POST"
        with audit.as_request(user=None, ip=ip, method=method, path=path):
            if action == "auth.login_failed":
                audit_record(actor=None, action=action, target=user, username=username,
                             result=AuditEvent.Result.FAILED, now=at)  # fmt: skip
            elif action == "permission.denied":
                audit_record(actor=user, action=action, target=None, target_type="page",
                             target_id="dashboard:cockpit", changes={"permission": "cockpit.view"},
                             result=AuditEvent.Result.DENIED, now=at)  # fmt: skip
            else:
                audit_record(actor=user, action=action, target=user, now=at)
    return len(SIGN_INS)
