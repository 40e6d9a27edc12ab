import pytest
from django.core.paginator import Paginator

from sanlian.core.pagination import IdsFirstPaginator
from sanlian.enterprises.models import Enterprise
from tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize("per_page,orphans", [(3, 0), (4, 1), (25, 0)])
def test_pages_by_ids_hold_the_same_rows_in_the_same_order_as_plain_pages(per_page, orphans):
    actor = factories.superuser()
    for name in ["丙", "甲", "乙", "丁", "戊", "己", "庚"]:
        factories.enterprise(actor=actor, name=f"{name}公司")
    ordered = Enterprise.objects.select_related("town").prefetch_related("chain_nodes").order_by("name", "id")
    plain, by_ids = Paginator(ordered, per_page, orphans=orphans), IdsFirstPaginator(ordered, per_page, orphans=orphans)
    assert plain.num_pages == by_ids.num_pages
    for number in plain.page_range:
        assert [e.pk for e in by_ids.page(number)] == [e.pk for e in plain.page(number)]
    first = by_ids.page(1)[0]
    assert first.town.name and [n.code for n in first.chain_nodes.all()] == ["M5"]
