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
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name or route, route


def url_patterns() -> dict[str, str]:
    """key → route of every page pattern; the admin site is left to Django's staff check, and the API's
    operations are walked as operations (`api_operations`)."""
    found = {}
    for key, route in _walk(get_resolver()):
        if route.startswith("admin/"):
            continue
        if route.startswith("api/v1/") and key not in PAGES:
            continue  # an API operation; api:openapi-json and api:openapi-view are pages
        found[key] = route
    return found


def api_operations() -> dict[str, bool]:
    """`METHOD /path` → whether anonymous callers are let in, for every operation of every router."""
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
    if isinstance(entry, Public) and entry.args:
        return reverse(key, kwargs=entry.args(world["objects"]))
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


def api_template(key: str) -> str:
    return key.split(" ", 1)[1]


_SCHEMA = None


def _schema() -> dict:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = api.get_openapi_schema(path_prefix="")
    return _SCHEMA


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = _schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node:
        return _resolve(node["allOf"][0])
    if "anyOf" in node:
        return _resolve(next((n for n in node["anyOf"] if n.get("type") != "null"), node["anyOf"][0]))
    return node


def sample(node: dict, name: str = ""):
    """A value the schema accepts, so the request reaches the view's permission check."""
    node = _resolve(node)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return {key: sample(value, key) for key, value in props.items() if key in node.get("required", props)}
    if kind == "array":
        return []
    if kind == "integer":
        return max(node.get("minimum", 1), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if node.get("format") == "decimal" or "pattern" in node:
        return "1"
    if node.get("format") == "date":
        return "2026-01-05"
    if node.get("format") == "date-time":
        return "2026-01-05T10:00:00+08:00"
    return "改" * max(node.get("minLength", 1), 1)


def api_body(method: str, path: str) -> dict:
    """A schema-valid body for the operation plus every greedy field it does not declare."""
    operation = _schema()["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    schema = _resolve(content["schema"]) if content else {}
    body = sample(schema) if content else {}
    declared = schema.get("properties", {})
    return {**{k: v for k, v in GREEDY.items() if k not in declared}, **body}


def api_call(client, method: str, url: str, headers=None, path: str = ""):
    if method == "GET":
        return client.get(url, headers=headers or {})
    body = json.dumps(api_body(method, path))
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
