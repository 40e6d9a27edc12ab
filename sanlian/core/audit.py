"""The audit trail's machinery: the request context, sign-in and denial records, and the safety net.

- Context: `AuditContextMiddleware` puts the request (actor, client address, method, path) in a context
  variable, so `services.audit_record` / `audit_records` fill those in without every caller passing them.
  Huey jobs run with no context (also in immediate mode) and commands have none: their records carry no
  address.
- Sign-in: Django's and axes' signals record logins, logouts, failed logins (the username tried, never the
  password) and lockouts.
- Denials: every 403 answer, of a page or of the API, is recorded with result "denied" and its path.
- Safety net: services audit their writes in their own words. Any other ORM write (save, delete, m2m change)
  of a model of the sanlian apps is recorded as a generic `<app>.<model>.create/update/delete` event when
  its transaction commits, unless the same transaction audited that object through a service. Models whose
  writes need no record of their own are listed in NET_EXEMPT, each with the reason; a test fails for a model
  neither covered nor exempt. Bulk writes (bulk_create, QuerySet.update, plain SQL) send no signals: the
  services that use them (imports, the policy engine's results) audit them with `audit_records`.
"""

import ipaddress
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache, partial
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import AUDIT_RETENTION_FLOOR_DAYS, AuditEvent

# Models of the sanlian apps whose writes the safety net does not record, and why. Everything else is covered.
NET_EXEMPT: dict[str, str] = {
    "core.auditevent": "the audit trail itself (append-only, written only by the audit services)",
    "core.notification": "messages derived from audited acts; reading one changes only the reader's inbox",
    "policies.eligibilityresult": "derived: the rule engine's output, itself an append-only history",
    "policies.callreminder": "a daily job's idempotency marker (a reminder already sent)",
    "talent.applicationevent": "an application's own timeline, written with the audited transition",
    "talent.leadevent": "a lead's own timeline, written with the audited transition",
    "servicedesk.requestevent": "a request's own timeline, written with the audited transition",
    "community.articleview": "a page-view counter",
    "search.searchdocument": "derived: the search index, rebuilt from the objects themselves",
    "imports.importjob": "a job's progress bookkeeping; its start and outcome are audited by sanlian.imports",
}

SANLIAN_APP_PREFIX = "sanlian."


# ---------------------------------------------------------------- settings


def check_settings() -> None:
    """Refuse to start with a retention below the legal floor, or with a trusted proxy that is no address."""
    days = settings.SANLIAN_AUDIT_RETENTION_DAYS
    if days < AUDIT_RETENTION_FLOOR_DAYS:
        raise ImproperlyConfigured(
            f"SANLIAN_AUDIT_RETENTION_DAYS is {days}: the audit trail must be kept at least "
            f"{AUDIT_RETENTION_FLOOR_DAYS} days"
        )
    try:
        _networks(tuple(settings.SANLIAN_TRUSTED_PROXIES))
    except ValueError as exc:
        raise ImproperlyConfigured(f"SANLIAN_TRUSTED_PROXIES: {exc}") from None


# ---------------------------------------------------------------- request context


@dataclass(frozen=True)
class AuditContext:
    request: object
    ip: str | None
    method: str
    path: str

    def actor(self):
        user = getattr(self.request, "user", None)
        # A token-authenticated API call sets request.user in ninja's authentication, after the middleware.
        return user if user is not None and getattr(user, "is_authenticated", False) else None


_context: ContextVar[AuditContext | None] = ContextVar("sanlian_audit_context", default=None)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(value: str | None):
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or, when that is a trusted proxy (SANLIAN_TRUSTED_PROXIES), the right-most address of
    X-Forwarded-For that is not itself a trusted proxy. Addresses a client adds on the left are never read
    while a proxy we do not trust stands to their right."""
    remote = _address(request.META.get("REMOTE_ADDR"))
    trusted = _networks(tuple(settings.SANLIAN_TRUSTED_PROXIES))
    if remote is None or not any(remote in net for net in trusted):
        return str(remote) if remote is not None else None
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # a garbled hop: what is left of it cannot be trusted
        if not any(address in net for net in trusted):
            return str(address)
        remote = address
    return str(remote)


@contextmanager
def as_request(*, user=None, ip: str | None = None, method: str = "", path: str = ""):
    """Record as if inside a request by `user` from `ip` (the demo's history; a command acting for someone)."""
    request = SimpleNamespace(user=user)
    token = _context.set(AuditContext(request, ip, method, path))
    try:
        yield
    finally:
        _context.reset(token)


def current() -> AuditContext | None:
    return _context.get()


@contextmanager
def no_context():
    """Run without a request context (Huey jobs, also when run in-process): their records carry no address."""
    token = _context.set(None)
    try:
        yield
    finally:
        _context.reset(token)


def request_fields(actor=None) -> dict:
    """The actor (the given one, else the request's user), their username, and the request's address, method
    and path, as AuditEvent fields."""
    ctx = _context.get()
    if not getattr(actor, "pk", None):
        actor = ctx.actor() if ctx is not None else None
    fields = {"actor": actor, "actor_username": getattr(actor, "username", "") or ""}
    if ctx is not None:
        fields.update(ip=ctx.ip, method=ctx.method, path=ctx.path)
    return fields


class AuditContextMiddleware:
    """Sets the audit context for the request and records every 403 it answers (pages and API alike)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = AuditContext(request, client_ip(request), request.method[:8], request.path[:300])
        token = _context.set(ctx)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                denial_record(request)
            return response
        finally:
            _context.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            note_denial(request, exception)


def note_denial(request, exception) -> None:
    """Keep the permission a PermissionDenied names (e.g. "enterprise.edit") for the denial's record."""
    request._audit_denied = str(exception)[:200]


def denial_record(request) -> None:
    from .services import audit_record

    reason = getattr(request, "_audit_denied", "")
    match = getattr(request, "resolver_match", None)
    audit_record(
        actor=None,
        action="permission.denied",
        target=None,
        target_type="api" if request.path.startswith("/api/") else "page",
        target_id=(match.view_name if match else "")[:64],
        changes={"permission": reason} if reason else {},
        result=AuditEvent.Result.DENIED,
    )


# ---------------------------------------------------------------- sign-in


def _on_login(sender, request, user, **kwargs):
    from .services import audit_record

    audit_record(actor=user, action="auth.login", target=user)


def _on_logout(sender, request, user, **kwargs):
    from .services import audit_record

    if user is not None and user.pk:
        audit_record(actor=user, action="auth.logout", target=user)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    from .services import audit_record

    username = str(credentials.get("username") or "")[:150]  # Django has already masked the password
    user = apps.get_model(settings.AUTH_USER_MODEL)._default_manager.filter(username=username).first()
    audit_record(
        actor=None, action="auth.login_failed", target=user, target_type="core.user", target_id="",
        username=username, result=AuditEvent.Result.FAILED,
    )  # fmt: skip


def _on_lockout(sender, request, username, ip_address, **kwargs):
    from .services import audit_record

    username = str(username or "")[:150]
    user = apps.get_model(settings.AUTH_USER_MODEL)._default_manager.filter(username=username).first()
    audit_record(
        actor=None, action="auth.lockout", target=user, target_type="core.user", target_id="",
        username=username, result=AuditEvent.Result.DENIED,
    )  # fmt: skip


# ---------------------------------------------------------------- safety net

_paused: ContextVar[bool] = ContextVar("sanlian_audit_net_paused", default=False)


@contextmanager
def net_paused():
    """Writes inside record no generic events (loaddemo, which records its own summary event instead)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def net_is_paused() -> bool:
    return _paused.get()


class _Transaction:
    """What one transaction audited through services, until it commits.

    A sentinel callback marks the transaction: a rollback (of the transaction, or of the savepoint it was
    registered in) drops it, and the next write starts afresh. The net's own callbacks hold the record itself,
    so they still see it after the sentinel ran at commit.
    """

    def __init__(self):
        self.audited: set[tuple[str, str]] = set()
        self.sentinel = self._committed
        self.index = 0  # where the sentinel sits in connection.run_on_commit (callbacks are only appended)

    def _committed(self):
        if _local.tx is self:
            _local.tx = None

    def alive(self, connection) -> bool:
        callbacks = connection.run_on_commit
        if self.index < len(callbacks) and callbacks[self.index][1] == self.sentinel:
            return True
        for index, (_sids, func, _robust) in enumerate(callbacks):  # a savepoint rollback shortened the list
            if func == self.sentinel:
                self.index = index
                return True
        return False


class _Local(threading.local):
    tx: _Transaction | None = None


_local = _Local()


def _transaction(create: bool) -> _Transaction | None:
    """The current transaction's record; None outside a transaction."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        return None
    tx = _local.tx
    if tx is not None and tx.alive(connection):
        return tx
    if not create:
        return None
    tx = _local.tx = _Transaction()
    tx.index = len(connection.run_on_commit)
    transaction.on_commit(tx.sentinel)
    return tx


def _write(tx: _Transaction | None, entry) -> None:
    label, pk, verb, changes, enterprise_id, fields = entry
    if tx is not None and (label, pk) in tx.audited:
        return  # a service audited it in the same transaction, in its own words
    AuditEvent.objects.create(
        action=f"{label}.{verb}", target_type=label, target_id=pk, changes=changes, enterprise_id=enterprise_id,
        note="safety net", **fields,
    )  # fmt: skip


def mark_audited(label: str, pk) -> None:
    """A service audited this object in the current transaction: the net records nothing more for it."""
    tx = _transaction(create=True)
    if tx is not None:
        tx.audited.add((label, str(pk)))


def mark_audited_many(keys) -> None:
    tx = _transaction(create=True)
    if tx is not None:
        tx.audited.update((label, str(pk)) for label, pk in keys)


def _enterprise_of(instance) -> int | None:
    if instance._meta.label_lower == "enterprises.enterprise":
        return instance.pk
    return getattr(instance, "enterprise_id", None)


def _net_record(instance, verb: str, changes: dict) -> None:
    if _paused.get():
        return
    fields = {**request_fields(), "created_at": timezone.now()}
    entry = (instance._meta.label_lower, str(instance.pk), verb, changes, _enterprise_of(instance), fields)
    tx = _transaction(create=True)
    if tx is None:  # autocommit: the write is already committed, and no transaction audited it
        _write(None, entry)
        return
    # One callback per write, so a rolled-back savepoint takes its writes' callbacks with it.
    transaction.on_commit(partial(_write, tx, entry))


def _on_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return  # fixtures (loaddata) are loaded by an operator's command, not by a user
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login, recorded as auth.login
    changes = {"fields": sorted(update_fields)} if update_fields else {}
    _net_record(instance, "create" if created else "update", changes)


def _on_delete(sender, instance, **kwargs):
    _net_record(instance, "delete", {})


def _on_m2m(sender, instance, action, model, pk_set, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not _covered_label(instance._meta.label_lower):
        return
    ids = sorted(pk_set) if pk_set else []
    _net_record(instance, "update", {action.removeprefix("post_"): {model._meta.label_lower: ids}})


def sanlian_models():
    """Every concrete model of the sanlian apps."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith(SANLIAN_APP_PREFIX) and not model._meta.proxy and model._meta.managed
    ]


def _covered_label(label: str) -> bool:
    return label not in NET_EXEMPT and apps.get_app_config(label.split(".")[0]).name.startswith(SANLIAN_APP_PREFIX)


def covered_models():
    return [model for model in sanlian_models() if model._meta.label_lower not in NET_EXEMPT]


def _huey_hooks():
    from huey.contrib.djhuey import HUEY

    tokens: dict = {}

    @HUEY.pre_execute(name="sanlian_audit_no_context")
    def _enter(task):
        tokens[id(task)] = _context.set(None)

    @HUEY.post_execute(name="sanlian_audit_no_context")
    def _leave(task, task_value, exc):
        token = tokens.pop(id(task), None)
        if token is not None:
            _context.reset(token)


def connect() -> None:
    """Connect the signal receivers (CoreConfig.ready)."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(_on_login, dispatch_uid="sanlian_audit_login")
    user_logged_out.connect(_on_logout, dispatch_uid="sanlian_audit_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="sanlian_audit_login_failed")
    user_locked_out.connect(_on_lockout, dispatch_uid="sanlian_audit_lockout")
    # Per model, so models without receivers (the audit trail itself) keep Django's fast bulk delete.
    for model in covered_models():
        post_save.connect(_on_save, sender=model, dispatch_uid=f"sanlian_audit_save_{model._meta.label_lower}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"sanlian_audit_delete_{model._meta.label_lower}")
    m2m_changed.connect(_on_m2m, dispatch_uid="sanlian_audit_m2m")
    connection_created.connect(_register_sqlite_guard, dispatch_uid="sanlian_audit_sqlite_guard")
    _huey_hooks()


def net_receivers_of(model) -> bool:
    """True when the net's save and delete receivers are connected for `model`."""
    save = {id(r) for r in post_save._live_receivers(model)[0]} if post_save.has_listeners(model) else set()
    delete = {id(r) for r in post_delete._live_receivers(model)[0]} if post_delete.has_listeners(model) else set()
    return id(_on_save) in save and id(_on_delete) in delete


# ---------------------------------------------------------------- append-only guard (SQLite)

# SQLite has no session settings: its DELETE trigger asks this function, registered on every connection the
# platform opens, whether young rows may go. Any other client (the sqlite3 shell) lacks the function, so its
# DELETE of a young row fails as well. Only the test suite's flush between transactional tests allows it (on
# PostgreSQL that flush is a TRUNCATE, which row triggers do not see; production revokes TRUNCATE, see
# docs/security.md).
_erasure = {"allowed": False}


def set_test_erasure_allowed(allowed: bool) -> None:
    _erasure["allowed"] = allowed


def _guard() -> int:
    return 0 if _erasure["allowed"] else 1


def _register_sqlite_guard(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("sanlian_audit_guard", 0, _guard)
