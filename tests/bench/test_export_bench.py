"""The export benchmark's two cases run on a handful of rows and write the same rows, so bench/export.py cannot rot.

No timing is asserted here: the figures come from `python -m bench.export` on PostgreSQL at 100,000 enterprises.
"""

import pytest
from django.test import Client

from bench import dataset, registry
from bench import export as bench_export
from sanlian.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_streamed_export_and_the_in_memory_peer_write_the_whole_scoped_directory():
    dataset.generate(40, seed=7)
    town, district = registry.bench_users()
    client = Client()
    client.force_login(district)

    streamed_bytes = bench_export.streamed(client)
    peer_bytes = bench_export.in_memory(district)

    assert streamed_bytes > 0 and peer_bytes > 0
    audit = AuditEvent.objects.get(action="list.export")
    assert audit.changes["rows"] == bench_export.rows_of(district) == 40
    assert bench_export.rows_of(town) < 40
