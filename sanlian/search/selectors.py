"""Reads of the search index: ranked matches the user may see, counted per kind, a page at a time.

Matching and ranking happen in the database's own full-text index (SQLite FTS5 with bm25(), PostgreSQL
tsvector @@ tsquery with ts_rank_cd); who may see a document is a WHERE clause of the same query (see
`visible`), so counts and pages never include what the user may not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sanlian.core.models import ENTERPRISE_ROLES, OFFICER_ROLES
from sanlian.core.permissions import has_perm

from . import text
from .documents import KINDS
from .models import SearchDocument, Visibility

# Title tokens weigh four times body tokens on SQLite (bm25 column weights); PostgreSQL weighs them by
# setweight A/B in the index and ts_rank_cd's default weights (A 1.0, B 0.4).
SQLITE_RANK = "-bm25(search_fts, 4.0, 1.0)"
PG_RANK = "ts_rank_cd(search_searchdocument.tsv, to_tsquery('simple', %s), 1)"
PAGE_SIZE = 20
SNIPPET_CHARS = 90
# Bounds of the work one search does, whatever the size of the index: a broad word ("医疗器械" in 40 % of
# 100,000 enterprises) is counted up to COUNT_CAP per type (shown as "1000+") and only the first RANK_CAP
# visible matches are ranked; narrower queries, the usual case, are counted and ranked exactly.
COUNT_CAP = 1000
RANK_CAP = 1000


def visible(user, today: date) -> Q:
    """The documents the user may see: the permission layer's rules written as one WHERE clause."""
    live = Q(visible_until_date__isnull=True) | Q(visible_until_date__gte=today)
    where = Q(visibility=Visibility.PUBLIC) & live
    if not getattr(user, "is_authenticated", False):
        return where
    if user.is_superuser:
        return Q()
    members = [code for code, kind in KINDS.items() if kind.members_action and has_perm(user, kind.members_action)]
    if members:
        where |= Q(visibility=Visibility.MEMBERS, kind__in=members) & live
    if user.role in OFFICER_ROLES and user.region_id:
        where |= Q(region_path__startswith=user.region.path)
    if user.role in ENTERPRISE_ROLES and user.enterprise_id:
        where |= Q(enterprise_id=user.enterprise_id)
    return where


def _matching(documents: QuerySet, query: text.Query) -> QuerySet:
    if connection.vendor == "postgresql":
        return documents.extra(
            where=["search_searchdocument.tsv @@ to_tsquery('simple', %s)"], params=[text.tsquery(query)]
        )
    return documents.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchdocument.id", "search_fts MATCH %s"],
        params=[text.fts5(query)],
    )


PG_PAGE = (
    "WITH candidates AS MATERIALIZED ({candidates}) "
    "SELECT d.id, d.kind, d.object_id, d.title, d.body, d.url, "
    + PG_RANK.replace("search_searchdocument.", "d.")
    + " AS rank FROM search_searchdocument d JOIN candidates c ON c.id = d.id "
    "ORDER BY rank DESC, d.id DESC LIMIT %s OFFSET %s"
)
SQLITE_PAGE = (
    "WITH candidates AS MATERIALIZED ({candidates}) "
    "SELECT d.id, d.kind, d.object_id, d.title, d.body, d.url, "
    + SQLITE_RANK
    + " AS rank FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
    "WHERE search_fts MATCH %s AND search_fts.rowid IN (SELECT id FROM candidates) "
    "ORDER BY rank DESC, d.id DESC LIMIT %s OFFSET %s"
)


class _Ranked(Sequence):
    """The ranked candidates, read a page (slice) at a time by one query.

    The candidates (the first RANK_CAP visible matches) are a materialised CTE, so the rank is computed for
    them only, never for the whole index.
    """

    def __init__(self, candidates: QuerySet, query: text.Query, count: int):
        self.sql, self.params = candidates.query.sql_with_params()
        self.query, self.count = query, count

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count
        if stop <= start:
            return []
        if connection.vendor == "postgresql":
            sql, params = PG_PAGE.format(candidates=self.sql), [*self.params, text.tsquery(self.query)]
        else:
            sql, params = SQLITE_PAGE.format(candidates=self.sql), [*self.params, text.fts5(self.query)]
        return list(SearchDocument.objects.raw(sql, [*params, stop - start, start]))


def _capped_counts(matches: QuerySet) -> dict[str, int]:
    """kind → matches, counted up to COUNT_CAP + 1 per type, in one statement (one round trip).

    Each type is its own bounded subquery, so a type with few documents is counted through the
    (kind, object_id) index and a huge one stops after COUNT_CAP + 1 rows.
    """
    parts, params = [], []
    for code in KINDS:
        sql, sub_params = matches.filter(kind=code).values("id")[: COUNT_CAP + 1].query.sql_with_params()
        parts.append(f"SELECT %s AS kind, COUNT(*) AS n FROM ({sql}) AS {code}_matches")
        params.extend([code, *sub_params])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return dict(cursor.fetchall())


class _CountedPaginator(Paginator):
    """A paginator told its count (the per-kind counts already add up to it: no second COUNT query)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


@dataclass
class Results:
    q: str
    kind: str
    query: text.Query
    counts: dict[str, int] = field(default_factory=dict)  # kind → matches the user may see, every kind listed
    capped: set[str] = field(default_factory=set)  # kinds with more than COUNT_CAP matches (counts[kind] = cap)
    page: Page | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def is_capped(self) -> bool:
        return bool(self.capped)


def search(*, user, q: str, kind: str = "", page: int | str = 1, today: date, per_page: int = PAGE_SIZE) -> Results:
    """Ranked documents matching `q` that the user may see, optionally of one kind; ValidationError on a bad kind."""
    if kind and kind not in KINDS:
        raise ValidationError({"type": _("未知的搜索类型:%(kind)s") % {"kind": kind}})
    query = text.parse(q)
    results = Results(q=q, kind=kind, query=query, counts=dict.fromkeys(KINDS, 0))
    if not query:
        return results
    matches = _matching(SearchDocument.objects.filter(visible(user, today)), query)
    for code, found in _capped_counts(matches).items():
        results.counts[code] = min(found, COUNT_CAP)
        if found > COUNT_CAP:
            results.capped.add(code)
    if kind:
        matches = matches.filter(kind=kind)
    count = min(results.counts[kind] if kind else results.total, RANK_CAP)
    ranked = _Ranked(matches.values("id")[:RANK_CAP], query, count)
    results.page = _CountedPaginator(ranked, per_page, count=count).get_page(page)
    return results


def highlight(value: str, terms: list[str], width: int | None = None) -> SafeString:
    """The text (or a window of `width` characters around the first term) escaped, with the terms in <mark>."""
    if width is None:
        start, end, spans = 0, len(value), text.snippet_spans(value, terms, width=len(value) or 1)[2]
    else:
        start, end, spans = text.snippet_spans(value, terms, width=width)
    out, cursor = [], start
    if start > 0:
        out.append("…")
    for a, b in spans:
        out.append(escape(value[cursor:a]))
        out.append(f"<mark>{escape(value[a:b])}</mark>")
        cursor = b
    out.append(escape(value[cursor:end]))
    if end < len(value):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308  (every piece of the text is escaped above)


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: str
    url: str
    title_html: SafeString
    snippet_html: SafeString
    snippet: str
    rank: float


def hits(results: Results) -> list[Hit]:
    """The page's documents with their type label and highlighted title and snippet."""
    if results.page is None:
        return []
    terms = results.query.terms()
    out = []
    for document in results.page.object_list:
        start, end, _spans = text.snippet_spans(document.body, terms, width=SNIPPET_CHARS)
        out.append(
            Hit(
                kind=document.kind,
                kind_label=str(KINDS[document.kind].label),
                object_id=document.object_id,
                title=document.title,
                url=document.url,
                title_html=highlight(document.title, terms),
                snippet_html=highlight(document.body, terms, width=SNIPPET_CHARS),
                snippet=document.body[start:end],
                rank=float(document.rank or 0),
            )
        )
    return out


def kind_choices() -> list[tuple[str, str]]:
    return [(code, str(kind.label)) for code, kind in KINDS.items()]
