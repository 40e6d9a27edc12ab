"""Pieces of /api/v1 shared by every app: money in JSON, scoped fetches, and `GET /me`."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, get_args

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from .account_middleware import AccountGateError, gate_reason
from .bad_tokens import count_failure, refuse_if_blocked
from .fields import to_yuan
from .models import Topic
from .permissions import ACTIONS, has_perm
from .services import api_token_authenticate, notification_mark_read


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`; only the key's SHA-256 is stored."""

    def authenticate(self, request, token):
        refuse_if_blocked(request)  # failed attempts are counted per address (core.bad_tokens)
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        else:
            count_failure(request)
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, so the interactive docs work after login.

    CSRF is checked on unsafe methods whenever the session cookie is sent; a request without the cookie
    (an integration with a wrong token, say) is simply unauthenticated and gets 401, not a CSRF 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        # An officer who has not finished signing in (second factor, expired password) gets a JSON 403.
        reason = gate_reason(user, now=timezone.now())
        if reason is not None:
            raise AccountGateError(reason)
        return user


def anonymous(request):
    """The last auth callback of public operations: a caller without (valid) credentials reads as anonymous."""
    return AnonymousUser()


# Public reads (news, events, organisations): a signed-in caller sees what their role adds (drafts of their
# own scope, their registration), anyone else sees what the public pages show. request.auth is always a user.
PUBLIC = [TokenAuth(), SessionAuth(), anonymous]

MONEY_PATTERN = r"^[0-9]+(\.[0-9]{1,2})?$"


def _parse_money(value):
    # JSON numbers with a fraction arrive as floats, which are inexact: only strings and integers pass.
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
        raise ValueError(_("请输入有效的金额(元)"))
    try:
        return to_yuan(value)
    except DjangoValidationError as exc:
        raise ValueError(exc.messages[0]) from None


def _money_str(value: Decimal) -> str:
    return f"{value:.2f}"


# Money on input: a decimal string or an integer number of yuan; never a float, never negative.
MoneyIn = Annotated[
    Decimal,
    BeforeValidator(_parse_money),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": MONEY_PATTERN}, {"type": "integer", "minimum": 0}],
            "description": "金额(元):十进制字符串或整数,不接受浮点数。Yuan as a decimal string or an integer.",
            "examples": ["5400000000.00"],
        }
    ),
]

# Money on output: always a decimal string with two places, e.g. "5400000000.00".
MoneyOut = Annotated[
    Decimal,
    PlainSerializer(_money_str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONEY_PATTERN,
            "description": "金额(元),两位小数的十进制字符串。Yuan as a decimal string.",
            "examples": ["5400000000.00"],
        }
    ),
]


class ErrorOut(Schema):
    detail: str
    code: str


class InvalidInputOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="字段 → 错误信息 / field → messages")


# The error answers every endpoint may give, documented so clients (and the schema tests) know them.
# 429: too many calls (per user, or per address when anonymous), with a Retry-After header.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidInputOut, 429: ErrorOut}


# Bounds of integers that reach the database: beyond them SQLite and PostgreSQL overflow (a 500, not a 422).
MAX_ID = 2**63 - 1
MAX_PAGE = 1_000_000
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]  # in a query string, where every value arrives as text
# Ids in JSON bodies are strict: lax pydantic would read true as 1 and "7" or 7.0 as 7.
BodyId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
Year = Annotated[int, Field(ge=1900, le=2100)]


class Pagination(PageNumberPagination):
    """Page-number pagination with the platform's page size; larger page sizes are capped, not refused."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, description="每页条数,超过上限时按上限返回 / capped")

    def _get_page_size(self, requested_page_size: int | None) -> int:
        # Read per request, so the settings (and tests overriding them) always apply.
        size = requested_page_size or settings.SANLIAN_API_PAGE_SIZE
        return min(size, getattr(settings, "SANLIAN_API_MAX_PAGE_SIZE", 200))


def _iso_date(value):
    # Lax pydantic would read "0" as 1970-01-01; a query date must be written as YYYY-MM-DD.
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else _bad_date()
    except ValueError:
        return _bad_date()


def _bad_date():
    raise ValueError(_("请输入有效日期(YYYY-MM-DD)"))


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def refuse_nulls(data: dict, schema: type[Schema]) -> None:
    """A PATCH (ninja's PatchDict makes every field optional *and* nullable) may not set null where the full
    schema takes no null: 422 naming the field, instead of an integrity error from the database."""
    errors = {
        name: [_("该项不能为空")]
        for name, value in data.items()
        if value is None and name in schema.model_fields and not _nullable(schema.model_fields[name].annotation)
    }
    if errors:
        raise DjangoValidationError(errors)


def _nullable(annotation) -> bool:
    return annotation is None or type(None) in get_args(annotation)


# ---------------------------------------------------------------- /me

router = Router(tags=["me"])


class RegionRef(Schema):
    code: str
    name: str
    level: str


class EnterpriseRef(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    is_superuser: bool
    region: RegionRef | None
    enterprise: EnterpriseRef | None
    permissions: list[str]


@router.get("/me", response={200: MeOut, **ERRORS}, summary="当前用户、角色与数据范围 / who am I")
def me(request):
    user = request.auth
    region = user.region if user.region_id else None
    enterprise = user.enterprise if user.enterprise_id else None
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role or "",
        "role_label": str(user.get_role_display()) if user.role else "",
        "is_superuser": user.is_superuser,
        "region": region and {"code": region.code, "name": region.name, "level": region.level},
        "enterprise": enterprise and {"id": enterprise.pk, "name": enterprise.name},
        "permissions": sorted(action for action in ACTIONS if has_perm(user, action)),
    }


# ---------------------------------------------------------------- /inbox

inbox_router = Router(tags=["inbox"])

TopicCode = Literal[tuple(Topic.values)]
# One Literal with "" included, so a bad value is reported under the field's own name.
TopicOrAny = Literal[("", *Topic.values)]


class NotificationOut(Schema):
    id: int
    topic: TopicCode
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.shown_title  # in the language of the request

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.shown_body


class InboxFilters(Schema):
    topic: TopicOrAny = Field("", description="类别 / topic")
    unread: bool = Field(False, description="仅未读 / unread only")


class MarkReadIn(Schema):
    id: BodyId | None = Field(None, description="一条消息;不给则全部标为已读 / one message, or all when absent")


class MarkedOut(Schema):
    marked: int = Field(description="标为已读的条数 / messages marked read")


@inbox_router.get("/inbox", response={200: list[NotificationOut], **ERRORS}, summary="我的消息 / my messages")
@paginate(Pagination)
def inbox_list(request, filters: Query[InboxFilters]):
    messages = request.auth.notifications.all()
    if filters.topic:
        messages = messages.filter(topic=filters.topic)
    if filters.unread:
        messages = messages.filter(read_at__isnull=True)
    return messages


@inbox_router.post("/inbox/read", response={200: MarkedOut, **ERRORS}, summary="标为已读 / mark read")
def inbox_mark_read(request, payload: MarkReadIn):
    return {"marked": notification_mark_read(user=request.auth, notification_id=payload.id)}
