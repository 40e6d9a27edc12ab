"""The search page: /search/?q=&type=&page= for everyone, each user seeing only what their pages show them."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from sanlian.core.forms import error_text
from sanlian.core.pagination import query_without_page

from . import selectors
from .documents import KINDS

SUGGESTIONS = ("医疗器械", "生物医药", "研发", "GMP", "细胞治疗")


def _count(results, kind: str) -> str:
    """A type's count for the filter links ("1000+" past the cap); the total when kind is empty."""
    n = results.counts[kind] if kind else results.total
    capped = kind in results.capped if kind else results.is_capped
    return f"{n}+" if capped else str(n)


@login_not_required
def search(request):
    q = (request.GET.get("q") or "").strip()
    kind = request.GET.get("type") or ""
    error = ""
    try:
        results = selectors.search(
            user=request.user, q=q, kind=kind, page=request.GET.get("page") or 1, today=timezone.localdate()
        )
    except ValidationError as exc:
        error = error_text(exc)
        results = selectors.search(user=request.user, q=q, today=timezone.localdate())
        kind = ""
    filters = [(code, str(spec.label), _count(results, code)) for code, spec in KINDS.items()]
    status = 400 if error else 200
    return render(request, "search/results.html", {
        "q": q, "kind": kind, "results": results, "hits": selectors.hits(results), "filters": filters,
        "page": results.page, "querystring": query_without_page(request), "error": error, "total": _count(results, ""),
        "searched": bool(results.query), "suggestions": SUGGESTIONS, "rank_cap": selectors.COUNT_CAP,
    }, status=status)  # fmt: skip
