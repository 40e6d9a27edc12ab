"""Plain-SQL batches: several statements, in order, in one call, on SQLite and PostgreSQL."""

import pytest

from sanlian.core.sql import placeholders, run_batch
from sanlian.enterprises.models import Region

pytestmark = pytest.mark.django_db


def test_a_batch_returns_the_rows_of_each_statement_in_order():
    table = Region._meta.db_table
    codes = ["pujiang", "minhang"]

    rows = run_batch(
        [
            (f"SELECT code FROM {table} WHERE code IN ({placeholders(len(codes))}) ORDER BY code", codes),
            (f"SELECT COUNT(*) FROM {table} WHERE code = %s", ["nowhere"]),
            (f"SELECT code FROM {table} WHERE code = %s", ["pujiang"]),
        ]
    )

    assert rows == [[("minhang",), ("pujiang",)], [(0,)], [("pujiang",)]]


def test_writes_in_a_batch_run_in_order_and_return_no_rows():
    table = Region._meta.db_table
    region = Region.objects.get(code="pujiang")

    rows = run_batch(
        [
            (f"UPDATE {table} SET name = %s WHERE id = %s", ["浦江镇(改)", region.pk]),
            (f"SELECT name FROM {table} WHERE id = %s", [region.pk]),
            (f"UPDATE {table} SET name = %s WHERE id = %s", ["浦江镇", region.pk]),
        ]
    )

    assert rows == [[], [("浦江镇(改)",)], []]
    region.refresh_from_db()
    assert region.name == "浦江镇"


def test_placeholders_match_the_number_of_values():
    assert placeholders(1) == "%s" and placeholders(3) == "%s, %s, %s"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_statement_undoes_the_whole_transaction():
    """Outside any atomic block, as a background task runs it: the one-query path must still be all or nothing."""
    from django.db import IntegrityError

    from sanlian.core.sql import run_in_one_transaction

    table = Region._meta.db_table
    region = Region.objects.get(code="pujiang")
    taken = Region.objects.exclude(pk=region.pk).values_list("code", flat=True).first()

    with pytest.raises(IntegrityError):
        run_in_one_transaction(
            [
                (f"UPDATE {table} SET name = %s WHERE id = %s", ["改名", region.pk]),
                (f"UPDATE {table} SET code = %s WHERE id = %s", [taken, region.pk]),  # unique code
            ]
        )

    region.refresh_from_db()
    assert region.name != "改名"


def test_many_parameters_go_in_several_round_trips(monkeypatch):
    from sanlian.core import sql

    monkeypatch.setattr(sql, "ROUND_TRIP_PARAMS", 3)
    table = Region._meta.db_table
    statements = [(f"SELECT COUNT(*) FROM {table} WHERE code IN ({placeholders(2)})", ["pujiang", "minhang"])] * 3

    assert run_batch(statements) == [[(2,)], [(2,)], [(2,)]]
