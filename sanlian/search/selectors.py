"""Reads of the search index: ranked matches the user may see, counted per kind, a page at a time.

Matching and ranking happen in the database's own full-text index (SQLite FTS5 with bm25(), PostgreSQL
tsvector @@ tsquery with ts_rank_cd); who may see a document is a WHERE clause of the same query (see
`visible`), so counts and pages never include what the user may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.core.exceptions import FullResultSet, ValidationError
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
# The bound of the work one search does, whatever the size of the index: a broad word ("医疗器械" in 40 % of
# 100,000 enterprises) is counted up to COUNT_CAP per type (shown as "500+") and only those matches are
# ranked; narrower queries, the usual case, are counted and ranked exactly.
COUNT_CAP = 500


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
            where=["search_searchdocument.tsv @@ to_tsquery('simple', %s)"],
            params=[text.tsquery(query, for_match=True)],
        )
    # The full-text table drives: its matches are read once, never probed row by row of the documents.
    return documents.extra(
        where=["search_searchdocument.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"],
        params=[text.fts5(query)],
    )


# One statement per search: the matches the user may see, per type up to COUNT_CAP + 1 (a materialised CTE
# of ids, with their rank on PostgreSQL), their counts per type, and the requested page of them ranked. Count
# rows have a NULL id.
STATEMENT = (
    "WITH pool AS MATERIALIZED ({pool}), counts AS (SELECT kind, COUNT(*) AS n FROM pool GROUP BY kind) "
    "SELECT * FROM ({page}) AS hits "
    "UNION ALL SELECT NULL, kind, n, NULL, NULL, NULL, NULL FROM counts"
)
# PostgreSQL ranks in the pool, on the row the match has just read (no second visit per match), and reads the
# shown columns for the page's rows only.
PG_PAGE = (
    "SELECT d.id, d.kind, d.object_id, d.title, d.body, d.url, top.rank FROM ("
    "SELECT id, rank FROM pool {where} ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s"
    ") AS top JOIN search_searchdocument d ON d.id = top.id"
)
SQLITE_PAGE = (  # bm25() needs the MATCH of its own query
    "SELECT d.id, d.kind, d.object_id, d.title, d.body, d.url, "  # nosec B608  # {where} is built from fixed SQL fragments, values are %s parameters
    + SQLITE_RANK
    # CROSS JOIN keeps the pool as the outer loop: bm25() is computed for the pool's rows only.
    + " AS rank FROM pool CROSS JOIN search_fts ON search_fts.rowid = pool.id "
    "JOIN search_searchdocument d ON d.id = pool.id "
    "WHERE search_fts MATCH %s {where} ORDER BY rank DESC, d.id DESC LIMIT %s OFFSET %s"
)


POOL_PART = (
    "SELECT * FROM (SELECT id, kind{rank} FROM search_searchdocument WHERE kind = %s AND ({where}) LIMIT %s) "
    "AS {code}_matches"
)


def _pool(matches: QuerySet, query: text.Query) -> tuple[str, list]:
    """The visible matches, per type a bounded subquery (a small type is read through the (kind, object_id)
    index, a huge one stops after COUNT_CAP + 1 rows). The WHERE clause is compiled once for the six."""
    sql_query = matches.query
    try:
        where, where_params = sql_query.get_compiler(connection=connection).compile(sql_query.where)
    except FullResultSet:  # no condition at all (never the case: the match is one)
        where, where_params = "1 = 1", []
    postgresql = connection.vendor == "postgresql"
    rank = f", {PG_RANK} AS rank" if postgresql else ""
    parts, params = [], []
    for code in KINDS:
        parts.append(POOL_PART.format(rank=rank, where=where, code=code))
        params.extend([*([text.tsquery(query)] if postgresql else []), code, *where_params, COUNT_CAP + 1])
    return " UNION ALL ".join(parts), params


def _run(matches: QuerySet, query: text.Query, kind: str, limit: int, offset: int):
    """(the page's documents ranked best first, kind → matches counted up to COUNT_CAP + 1)."""
    pool_sql, params = _pool(matches, query)
    if connection.vendor == "postgresql":
        page_sql = PG_PAGE.format(where="WHERE kind = %s" if kind else "")
        params += [kind] if kind else []
    else:
        page_sql = SQLITE_PAGE.format(where="AND d.kind = %s" if kind else "")
        params += [text.fts5(query)] + ([kind] if kind else [])
    params += [limit, offset]
    documents, counts = [], dict.fromkeys(KINDS, 0)
    with connection.cursor() as cursor:
        cursor.execute(STATEMENT.format(pool=pool_sql, page=page_sql), params)
        for pk, code, object_id, title, body, url, rank in cursor.fetchall():
            if pk is None:
                counts[code] = object_id
            else:
                document = SearchDocument(id=pk, kind=code, object_id=object_id, title=title, body=body, url=url)
                document.rank = rank
                documents.append(document)
    documents.sort(key=lambda d: (-(d.rank or 0), -d.pk))
    return documents, counts


class _CountedPaginator(Paginator):
    """A paginator told its count (the statement that read the page counted the matches too)."""

    def __init__(self, per_page, *, count: int):
        super().__init__([], per_page)
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
    number = _page_number(page)
    documents, found = _run(matches, query, kind, per_page, (number - 1) * per_page)
    for code, n in found.items():
        results.counts[code] = min(n, COUNT_CAP)
        if n > COUNT_CAP:
            results.capped.add(code)
    paginator = _CountedPaginator(per_page, count=results.counts[kind] if kind else results.total)
    last = paginator.num_pages
    if number > last:  # past the end: the last page, as Paginator.get_page does
        number = last
        documents, _found = _run(matches, query, kind, per_page, (number - 1) * per_page)
    results.page = Page(documents, number, paginator)
    return results


def _page_number(page) -> int:
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


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
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703  # every piece of the text is escaped above


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
