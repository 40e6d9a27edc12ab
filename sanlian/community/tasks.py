"""Background jobs of the community; each is safe to run twice."""

from django.utils import timezone
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def render_document_batch(*, batch_id: int) -> int:
    """Draw the PDFs of a batch of event certificates and letters that have none yet."""
    from .services.event_documents import document_batch_render

    return document_batch_render(batch_id=batch_id, now=timezone.now())
