"""Global search in /api/v1: the same ranked, scoped results as the /search/ page, with counts per type."""

from typing import Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from sanlian.core.api import ERRORS, MAX_PAGE

from . import selectors
from .documents import KINDS

router = Router(tags=["search"])

KindOrAny = Literal[("", *KINDS)]
SearchKind = Literal[tuple(KINDS)]


class SearchIn(Schema):
    q: str = Field(..., min_length=1, max_length=100, description="关键词 / words to find")
    type: KindOrAny = Field("", description="只看一种类型 / only this type")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int | None = Field(None, ge=1, description="每页条数,超过上限时按上限返回 / capped")


class HitOut(Schema):
    type: SearchKind
    type_label: str
    id: int = Field(description="对象编号 / the object's id")
    title: str
    url: str
    snippet: str = Field(description="正文摘录(纯文本)/ plain-text excerpt")
    snippet_html: str = Field(description="摘录,HTML 已转义,命中词包在 <mark> 中 / escaped excerpt with <mark>")
    rank: float


class SearchOut(Schema):
    q: str
    type: KindOrAny
    count: int = Field(description="当前类型的结果数 / results of the chosen type (all types when none)")
    counts: dict[str, int] = Field(description="各类型结果数 / results per type")
    capped: list[SearchKind] = Field(
        description="结果数达到上限(500)的类型,其数字为下限 / types whose count stopped at the cap (at least)"
    )
    page: int
    page_size: int
    items: list[HitOut]


@router.get(
    "/search", response={200: SearchOut, **ERRORS},
    summary="全站搜索(可见范围,分页)/ global search within the caller's scope",
)  # fmt: skip
def search(request, params: Query[SearchIn]):
    size = min(params.page_size or settings.SANLIAN_API_PAGE_SIZE, getattr(settings, "SANLIAN_API_MAX_PAGE_SIZE", 200))
    results = selectors.search(
        user=request.auth, q=params.q, kind=params.type, page=params.page, today=timezone.localdate(), per_page=size
    )
    hits = selectors.hits(results)
    return {
        "q": params.q, "type": params.type, "count": results.counts[params.type] if params.type else results.total,
        "counts": results.counts, "capped": sorted(results.capped),
        "page": results.page.number if results.page else 1, "page_size": size,
        "items": [
            {"type": h.kind, "type_label": h.kind_label, "id": h.object_id, "title": h.title, "url": h.url,
             "snippet": h.snippet, "snippet_html": str(h.snippet_html), "rank": h.rank}
            for h in hits
        ],
    }  # fmt: skip
