"""The /api/v1 root: django-ninja, token auth for integrations, session auth for the browser."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.security import APIKeyCookie, HttpBearer

from sanlian.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session (CSRF-checked), so the interactive docs work after login."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api = NinjaAPI(
    title="Sanlian API",
    version="1.0.0",
    description="三链产业集群公共服务平台接口。Scoped to the caller by the same permission layer as the pages.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "permission denied", "code": "forbidden"}, status=403)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "invalid input", "errors": errors}, status=422)


# Django's LoginRequiredMiddleware must not redirect API calls: ninja authenticates them itself.
for pattern in api.urls[0]:
    callback = getattr(pattern, "callback", None)
    if callback is not None:
        login_not_required(callback)
