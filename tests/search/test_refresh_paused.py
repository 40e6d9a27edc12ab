"""A loader that rebuilds the index at the end pauses the per-object refreshes; everyone else gets them."""

import pytest

from sanlian.search import services
from sanlian.search.models import SearchDocument
from tests import factories

from .conftest import committed

pytestmark = pytest.mark.django_db


def test_writes_inside_a_pause_queue_no_refresh_and_writes_after_it_do():
    with committed(), services.refresh_paused():
        paused = factories.enterprise("pujiang", name="浦江暂停索引生物有限公司")
    with committed():
        indexed = factories.enterprise("pujiang", name="浦江照常索引生物有限公司")

    assert not SearchDocument.objects.filter(kind="enterprise", object_id=paused.pk).exists()
    assert SearchDocument.objects.filter(kind="enterprise", object_id=indexed.pk).exists()
