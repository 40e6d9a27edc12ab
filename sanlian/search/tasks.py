"""Index work too large for the request that caused it (imports of thousands of rows)."""

from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def refresh_documents(*, kind: str, object_ids: list[int]) -> int:
    from .services import documents_write_many

    return documents_write_many(kind=kind, object_ids=object_ids)
