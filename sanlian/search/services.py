"""Writes of the search index: refresh one object's document after its transaction commits, or rebuild a kind.

The writing services of the six apps call `document_refresh(kind=..., object_id=...)` once, whatever they
changed (create, edit, publish, withdraw, delete): after commit the object is read again and its document
written, or removed when the object is gone or has nothing to show. A failure to index is logged and does
not undo the write it follows (robust on_commit): `sanlian search_reindex` repairs the index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from itertools import islice

from django.db import connection, transaction

from .documents import BODY_CHARS, KINDS, Doc
from .models import SearchDocument
from .text import document_tokens

logger = logging.getLogger(__name__)
REINDEX_BATCH = 1000
_refresh_paused = ContextVar("search_refresh_paused", default=False)


@contextmanager
def refresh_paused():
    """Skip the per-object refreshes inside: for a loader that rebuilds the whole index once at the end."""
    token = _refresh_paused.set(True)
    try:
        yield
    finally:
        _refresh_paused.reset(token)


def _row(kind: str, object_id: int, doc: Doc) -> SearchDocument:
    title_tokens, body_tokens = document_tokens(f"{doc.title}\n{doc.title_extra}", doc.body)
    return SearchDocument(
        kind=kind,
        object_id=object_id,
        title=doc.title[:300],
        body=doc.body[:BODY_CHARS],
        url=doc.url,
        title_tokens=title_tokens,
        body_tokens=body_tokens,
        visibility=doc.visibility,
        region_path=doc.region_path,
        enterprise_id=doc.enterprise_id,
        visible_until_date=doc.visible_until_date,
    )


FIELDS = [
    "title", "body", "url", "title_tokens", "body_tokens", "visibility", "region_path", "enterprise_id",
    "visible_until_date",
]  # fmt: skip


def document_write(*, kind: str, object_id: int) -> SearchDocument | None:
    """Write the object's document now (or delete it); the document, or None when there is none."""
    spec = KINDS[kind]
    obj = spec.queryset().filter(pk=object_id).prefetch_related(*spec.prefetch).first()
    doc = spec.document(obj) if obj is not None else None
    if doc is None:
        SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()
        return None
    row = _row(kind, object_id, doc)
    document, _created = SearchDocument.objects.update_or_create(
        kind=kind, object_id=object_id, defaults={name: getattr(row, name) for name in FIELDS}
    )
    return document


def _write_logged(kind: str, object_id: int) -> None:
    try:
        document_write(kind=kind, object_id=object_id)
    except Exception:  # the write it follows has committed; the index is repaired by search_reindex
        logger.exception("search index: could not refresh %s %s", kind, object_id)


def document_refresh(*, kind: str, object_id: int) -> None:
    """Refresh the object's document once the current transaction commits (at once outside one)."""
    if kind not in KINDS:
        raise ValueError(f"unknown search kind {kind!r}")
    if not _refresh_paused.get():
        transaction.on_commit(partial(_write_logged, kind, object_id))


def _documents(kind: str, object_ids: list[int] | None, batch: int):
    """The documents of a kind's objects (all, or those ids), built from the database in chunks."""
    spec = KINDS[kind]
    objects = spec.queryset()
    if object_ids is not None:
        objects = objects.filter(pk__in=object_ids)
    objects = objects.prefetch_related(*spec.prefetch).order_by("pk").iterator(chunk_size=batch)
    while chunk := list(islice(objects, batch)):
        yield [_row(kind, obj.pk, doc) for obj in chunk if (doc := spec.document(obj)) is not None]


def documents_write_many(*, kind: str, object_ids: Iterable[int], batch: int = REINDEX_BATCH) -> int:
    """Rewrite the documents of many objects of one kind in batches; the number of documents written.

    For writers that change thousands of objects at once (imports), where one refresh per object would
    cost a query and a tokenisation pass each.
    """
    ids = sorted(set(object_ids))
    written = 0
    for start in range(0, len(ids), batch):
        chunk_ids = ids[start : start + batch]
        with transaction.atomic():
            SearchDocument.objects.filter(kind=kind, object_id__in=chunk_ids).delete()
            for rows in _documents(kind, chunk_ids, batch):
                SearchDocument.objects.bulk_create(rows, batch_size=batch)
                written += len(rows)
    return written


def documents_refresh_later(*, kind: str, object_ids: Iterable[int]) -> None:
    """Queue a Huey job rewriting the objects' documents once the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown search kind {kind!r}")
    ids = sorted(set(object_ids))
    if not ids or _refresh_paused.get():
        return
    from sanlian.core.jobs import enqueue

    from .tasks import refresh_documents  # the task module imports this one

    enqueue(refresh_documents, kind=kind, object_ids=ids)


def reindex(*, kinds: Iterable[str] | None = None, batch: int = REINDEX_BATCH) -> dict[str, int]:
    """Rebuild the documents of the kinds (all by default) from the database; kind → documents written."""
    written: dict[str, int] = {}
    for kind in kinds or KINDS:
        with transaction.atomic():
            SearchDocument.objects.filter(kind=kind).delete()
            count = 0
            for rows in _documents(kind, None, batch):
                SearchDocument.objects.bulk_create(rows, batch_size=batch)
                count += len(rows)
        written[kind] = count
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, so the planner sees how common each type is
            cursor.execute("ANALYZE search_searchdocument")
            # Merge the GIN pending lists the bulk insert filled: every search reads them in full until then.
            for index in ("search_doc_tsv", "search_doc_public_tsv"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    return written
