"""The /api/v1 root: django-ninja, token auth for integrations, session auth for the browser.

Every error answers JSON: 401 without valid credentials (never a redirect to the login page), 403 for
an action the caller's role may not take, 404 for what does not exist or is outside the caller's scope,
422 `{"detail": ..., "errors": {field: [messages]}}` for bad input.
"""

import json
import math
from pathlib import Path

import ninja
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import RequestContext, Template
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.throttling import SimpleRateThrottle

from sanlian.chain.api import router as chain_router
from sanlian.chain.event_api import router as match_events_router
from sanlian.community.api import router as community_router
from sanlian.core.account_middleware import AccountGateError
from sanlian.core.api import SessionAuth, TokenAuth, anonymous, inbox_router
from sanlian.core.api import router as core_router
from sanlian.core.audit import note_denial
from sanlian.dashboard.api import router as dashboard_router
from sanlian.enterprises.api import router as enterprises_router
from sanlian.policies.api import router as policies_router
from sanlian.policies.call_api import router as calls_router
from sanlian.search.api import router as search_router
from sanlian.servicedesk.api import router as desk_router
from sanlian.servicedesk.ip_api import router as ip_router
from sanlian.servicedesk.provider_api import router as providers_router
from sanlian.space.api import router as space_router
from sanlian.talent.api import router as talent_router

NINJA_SWAGGER_TEMPLATE = Path(ninja.__file__).parent / "templates" / "ninja" / "swagger.html"


def _signed_in(user) -> bool:
    # A public operation's caller without credentials is authenticated as AnonymousUser (core.api.PUBLIC).
    return user is not None and user.is_authenticated


class _SettingsRate(SimpleRateThrottle):
    """A cache-backed sliding-window limit whose rate is read from settings on every request, so a change of
    settings (or a test's override) applies at once. A rate of None switches the limit off."""

    setting = ""

    def __init__(self):  # the rate is read per request, not once at start-up
        self.rate = None

    def allow_request(self, request):
        self.rate = getattr(settings, self.setting, None)
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class UserRate(_SettingsRate):
    """Per authenticated user, whichever token or session they call with (SANLIAN_API_RATE_USER)."""

    setting = "SANLIAN_API_RATE_USER"

    def get_cache_key(self, request):
        user = getattr(request, "auth", None)
        return f"sanlian_api_rate_user_{user.pk}" if _signed_in(user) else None


class AnonRate(_SettingsRate):
    """Per client address for the public operations (SANLIAN_API_RATE_ANON); honours NINJA_NUM_PROXIES."""

    setting = "SANLIAN_API_RATE_ANON"

    def get_cache_key(self, request):
        if _signed_in(getattr(request, "auth", None)):
            return None
        return f"sanlian_api_rate_anon_{self.get_ident(request)}"


class LocalSwagger(Swagger):
    """Swagger UI from django-ninja's bundled files, never from a CDN (government intranets).

    Ninja itself falls back to a CDN page unless "ninja" is in INSTALLED_APPS; this always renders the
    bundled page. Its /static/ninja/ files are found once "ninja" is in INSTALLED_APPS.
    """

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": True}
        if "ninja" in settings.INSTALLED_APPS:
            return render(request, "ninja/swagger.html", context)
        # The favicons include needs the app's template directory; the page works without them.
        source = NINJA_SWAGGER_TEMPLATE.read_text().replace('{% include "ninja/favicons.html" %}', "")
        return HttpResponse(Template(source).render(RequestContext(request, context)))


class NulInBody(ValueError):
    """A JSON string of the body holds a NUL character, which PostgreSQL text cannot store."""


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class ObjectBodyParser(Parser):
    """Every request body of this API is a JSON object. Anything else (a list, a number) is refused as a bad
    body (400), rather than read as an object with every field left out, which would accept it as empty.
    A NUL character anywhere in it is refused too, as in query strings (RejectNulCharactersMiddleware): on
    PostgreSQL it would otherwise end as a server error, on SQLite as stored garbage."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        if _holds_nul(data):
            raise NulInBody("NUL in the body")
        return data


class SanlianOpenAPISchema(OpenAPISchema):
    def operation_security(self, operation):
        # A public operation (core.api.PUBLIC) takes credentials but does not need them: `{}` says so.
        result = super().operation_security(operation)
        if result is not None and anonymous in operation.auth_callbacks:
            result.append({})
        return result


class SanlianAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return SanlianOpenAPISchema(self, path_prefix)

    def _get_urls(self):
        # Ninja authenticates its views itself: Django's LoginRequiredMiddleware must not redirect them.
        # Ninja builds new view callables on every `api.urls`, so they are marked as they are built.
        urls = super()._get_urls()
        for pattern in urls:
            callback = getattr(pattern, "callback", None)
            if callback is not None:
                login_not_required(callback)
        return urls

    def get_openapi_operation_id(self, operation):
        # Short, stable ids ("enterprise_list") instead of ninja's module-qualified ones.
        return operation.view_func.__name__


api = SanlianAPI(
    title="Sanlian API",
    version="1.0.0",
    description=(
        "三链产业集群公共服务平台接口。每个调用方只能看到其权限范围内的数据(与页面相同的权限层)。\n\n"
        "The Sanlian platform API. Scoped to the caller by the same permission layer as the pages. "
        "Authenticate with `Authorization: Bearer <key>` (`sanlian create_api_token <username>`) or the "
        'browser session. Money is a decimal string of yuan, e.g. "5400000000.00"; reference codes '
        "(towns, parks, clusters, chain nodes) are the stable identifiers. Tokens expire; make and revoke "
        "your own at /account/tokens/. Calls are rate-limited per user and per anonymous address: "
        "429 with a Retry-After header when exceeded."
    ),
    auth=[TokenAuth(), SessionAuth()],
    throttle=[UserRate(), AnonRate()],
    parser=ObjectBodyParser(),
    urls_namespace="api",
    docs=LocalSwagger(settings={"deepLinking": False}),  # no link nested in the operation buttons (axe)
)

api.add_router("", core_router)
api.add_router("", enterprises_router)
api.add_router("", dashboard_router)
api.add_router("", policies_router)
api.add_router("", calls_router)
api.add_router("", talent_router)
api.add_router("", chain_router)
api.add_router("", desk_router)
api.add_router("", providers_router)
api.add_router("", space_router)
api.add_router("", community_router)
api.add_router("", ip_router)
api.add_router("", inbox_router)
api.add_router("", match_events_router)
api.add_router("", search_router)


# ---------------------------------------------------------------- errors

REQUEST_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


def _message(error: dict) -> str:
    """Pydantic's message, in the platform's language for the usual cases."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error":  # our own validators (money) carry a localised message
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    messages = {
        "missing": _("该项为必填项"),
        "int_parsing": _("请输入整数"),
        "int_type": _("请输入整数"),
        "int_from_float": _("请输入整数"),
        "bool_parsing": _("请输入 true 或 false"),
        "bool_type": _("请输入 true 或 false"),
        "string_type": _("请输入文本"),
        "list_type": _("请输入列表"),
        "date_parsing": _("请输入有效日期(YYYY-MM-DD)"),
        "date_from_datetime_parsing": _("请输入有效日期(YYYY-MM-DD)"),
        "date_type": _("请输入有效日期(YYYY-MM-DD)"),
        "literal_error": _("可选值:%(expected)s") % {"expected": ctx.get("expected", "")},
        "greater_than_equal": _("不能小于 %(ge)s") % {"ge": ctx.get("ge", "")},
        "less_than_equal": _("不能大于 %(le)s") % {"le": ctx.get("le", "")},
        "json_invalid": _("请求体不是有效的 JSON"),
    }
    return str(messages.get(kind, error["msg"]))


def _field(loc, param_names: set[str]) -> str:
    parts = [str(part) for part in loc if not isinstance(part, int)]
    if parts and parts[0] in REQUEST_SOURCES:
        parts = parts[1:]
    # A body schema's fields are reported under the view's parameter name ("payload"): drop it.
    if len(parts) > 1 and parts[0] in param_names:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def invalid_input(request, errors: dict) -> HttpResponse:
    return api.create_response(request, {"detail": _("提交的数据有误"), "errors": errors}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return invalid_input(request, errors)


@api.exception_handler(RequestValidationError)
def request_validation_error(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field(error.get("loc", ()), {"payload", "filters", "query"}), []).append(_message(error))
    return invalid_input(request, errors)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    # The 403 itself is audited by sanlian.core.audit.AuditContextMiddleware; this names the permission.
    note_denial(request, exc)
    return api.create_response(request, {"detail": _("无权执行该操作"), "code": "forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("未找到"), "code": "not_found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = api.create_response(
        request, {"detail": _("未登录或接口令牌无效"), "code": "unauthenticated"}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="sanlian"'
    return response


@api.exception_handler(AccountGateError)
def sign_in_unfinished(request, exc):
    if exc.reason == "otp":
        detail, code = _("请先在网页上完成双因素认证"), "otp_required"
    else:
        detail, code = _("密码已过期,请先在网页上修改密码"), "password_expired"
    return api.create_response(request, {"detail": detail, "code": code}, status=403)


@api.exception_handler(Throttled)
def throttled(request, exc):
    response = api.create_response(
        request, {"detail": _("请求过于频繁,请稍后再试"), "code": "rate_limited"}, status=429
    )
    response["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
    return response


@api.exception_handler(HttpError)
def http_error(request, exc):
    # Raised by ninja itself: a body that is not JSON (400), a failed CSRF check of a session request (403).
    if exc.status_code == 400 and isinstance(exc.__cause__, NulInBody):
        detail, code = _("请求体不能包含空字符(NUL)"), "invalid_body"
    elif exc.status_code == 400:
        detail, code = _("请求体须为 JSON 对象"), "bad_request"
    elif "CSRF" in str(exc):
        detail, code = _("CSRF 校验失败,请刷新页面后重试"), "csrf_failed"
    else:
        detail, code = str(exc), f"http_{exc.status_code}"
    return api.create_response(request, {"detail": detail, "code": code}, status=exc.status_code)
