"""The walk's machinery: every URL pattern of the URLconf and every operation of the API, how to call one,
and a snapshot of the database to prove a refused call changed nothing."""

import json

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sanlian.config.api import api
from sanlian.core.api import anonymous

from .registry import API, PAGES, NoObject, Obj, Public

# Tables a refused request may legitimately write: the audit trail of denials, sessions, login throttling.
VOLATILE_TABLES = {"core_auditevent", "django_session"}
VOLATILE_APPS = {"axes", "sessions", "huey_monitor"}
# Columns a request touches on the caller's own rows whatever it asks for.
VOLATILE_COLUMNS = {"last_login", "last_used_at"}

# A greedy form body: the names of every status, action and decision field the views read, so a view that
# forgot its check would act on it, not fail on a missing field.
GREEDY = {
    "action": "approve", "status": "approved", "to": "approved", "decision": "approve", "confirm": "1",
    "accept": "1", "title": "改", "name": "改", "body": "改" * 20, "comment": "改", "reason": "改", "note": "改",
    "score": "5", "amount": "1", "role": "admin", "reviewer": "1", "visibility": "public", "recuse": "",
    "publish": "1", "notes": "改" * 20,
}  # fmt: skip


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = route
            yield key, route, pattern


def url_patterns() -> dict[str, str]:
    """key → route of every page pattern; the admin site is left to Django's staff check, and the API's
    operations are walked as operations (`api_operations`)."""
    found = {}
    for key, route, pattern in _walk(get_resolver()):
        if route.startswith("admin/"):
            continue
        if route.startswith("api/v1/") and key not in PAGES:
            continue  # an API operation; api:openapi-json and api:openapi-view are pages
        found[key] = route
    return found


def api_operations() -> dict[str, bool]:
    """"METHOD /path" → whether anonymous callers are let in, for every operation of every router."""
    found = {}
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = "/" + "/".join(part.strip("/") for part in (prefix, path) if part.strip("/"))
            for operation in path_view.operations:
                # auth=None opens an operation; NOT_SET inherits the API's token-or-session auth
                auth = operation.auth_param
                public = auth is None or (isinstance(auth, list | tuple) and anonymous in auth)
                for method in operation.methods:
                    found[f"{method} {full}"] = public
    return found


def page_url(key: str, world: dict) -> str:
    entry = PAGES[key]
    if isinstance(entry, Obj) or (isinstance(entry, Public) and entry.key):
        return reverse(key, kwargs=entry.kwargs(world["objects"][entry.key]))
    kwargs = entry.kwargs if isinstance(entry, NoObject) else {}
    if key.startswith("^"):
        return "/media/nothing.pdf"
    return reverse(key, kwargs=kwargs)


def api_url(key: str, world: dict) -> tuple[str, str]:
    method, path = key.split(" ", 1)
    entry = API[key]
    if isinstance(entry, Obj) or (isinstance(entry, Public) and entry.key):
        path = path.format(**entry.kwargs(world["objects"][entry.key]))
    elif "{" in path:
        path = path.format(code="xz-alliance")
    return method, "/api/v1" + path


def api_call(client, method: str, url: str, headers=None):
    if method == "GET":
        return client.get(url, headers=headers or {})
    body = json.dumps({**GREEDY, "score": 5, "accept": True})
    return getattr(client, method.lower())(url, data=body, content_type="application/json", headers=headers or {})


def _table_rows(model):
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE_COLUMNS]
    return list(model._default_manager.order_by("pk").values_list(*names))


def snapshot() -> dict:
    """Every row of every scoped model (and users, tokens, notifications); the row count of the rest."""
    state = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.app_label in VOLATILE_APPS or table in VOLATILE_TABLES or not model._meta.managed:
            continue
        if hasattr(model, "scope") or table in {"core_user", "core_apitoken", "core_notification"}:
            state[table] = _table_rows(model)
        else:
            state[table] = model._default_manager.count()
    return state


def changes(before: dict, after: dict) -> list[str]:
    return [table for table in before if before[table] != after.get(table)]
