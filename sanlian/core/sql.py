"""Plain SQL for the few hot paths where the ORM's per-query cost outweighs the query itself.

A statement is `(sql, params)` with `%s` placeholders. `run_batch` sends several statements in one
round trip where the database driver allows it (PostgreSQL through psycopg's client-side binding,
Django's default) and one after another elsewhere (SQLite is in-process, so a round trip costs nothing).
`run_in_one_transaction` does the same with all-or-nothing effect.
"""

from collections.abc import Sequence
from functools import partial
from itertools import islice

from django.db import connection, connections, models, transaction
from django.db.models.base import ModelState

Statement = tuple[str, Sequence]


def placeholders(count: int) -> str:
    """`%s, %s, …` for an IN list of `count` values (callers never pass an empty list)."""
    return ", ".join(["%s"] * count)


def _one_round_trip() -> bool:
    options = connection.settings_dict.get("OPTIONS", {})
    return connection.vendor == "postgresql" and not options.get("server_side_binding")


# Statements share a round trip up to this many parameters in all, so a large write (a full refresh
# stores 100,000 results) does not become one huge query text.
ROUND_TRIP_PARAMS = 20_000


def run_batch(statements: Sequence[Statement]) -> list[list[tuple]]:
    """Execute the statements in order; the rows of each (empty for statements that return none)."""
    results = []
    with connection.cursor() as cursor:
        for group in _round_trips(statements):
            if len(group) == 1:
                sql, params = group[0]
                cursor.execute(sql, list(params))
                results.append(_rows(cursor))
                continue
            cursor.execute(";\n".join(sql for sql, _ in group), [p for _, params in group for p in params])
            results.append(_rows(cursor))
            while cursor.nextset():
                results.append(_rows(cursor))
    return results


def _round_trips(statements: Sequence[Statement]) -> list[list[Statement]]:
    """The statements grouped as they go to the database: one per group unless it takes several at once."""
    if not _one_round_trip():
        return [[statement] for statement in statements]
    groups: list[list[Statement]] = []
    size = 0
    for statement in statements:
        if not groups or size + len(statement[1]) > ROUND_TRIP_PARAMS:
            groups.append([])
            size = 0
        groups[-1].append(statement)
        size += len(statement[1])
    return groups


def run_in_one_transaction(statements: Sequence[Statement]) -> list[list[tuple]]:
    """Execute the statements all or nothing; the rows of each.

    Outside any atomic block, statements that go in one query (several on PostgreSQL, one anywhere)
    run as it: the server runs a multi-statement query as a single implicit transaction, so this costs
    one round trip, commit included, where `transaction.atomic()` would add a BEGIN and a COMMIT.
    Otherwise they run inside `transaction.atomic()` (a savepoint when the caller holds a transaction).
    """
    one_query = len(_round_trips(statements)) == 1
    if one_query and connection.get_autocommit() and not connection.in_atomic_block:
        return run_batch(statements)
    with transaction.atomic():
        return run_batch(statements)


def _rows(cursor) -> list[tuple]:
    return cursor.fetchall() if cursor.description else []


_PROTOTYPES: dict = {}


def unsaved(model, **values):
    """An unsaved instance for a bulk write, ~10× cheaper than `model(**values)` (which runs each field's
    default and descriptor logic): the defaults are copied from a prototype built once per model.

    Only for values the caller sets explicitly wherever a default is mutable or time-dependent (a JSON
    dict, `timezone.now`): the prototype's default objects are shared.
    """
    prototype = _PROTOTYPES.get(model)
    if prototype is None:
        prototype = _PROTOTYPES[model] = model()
    obj = model.__new__(model)
    obj.__dict__.update(prototype.__dict__)
    obj._state = ModelState()
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


# Fields whose Python value the driver writes as is (subclasses such as MoneyField are not in the set).
_PLAIN_FIELDS = frozenset({
    models.AutoField, models.BigAutoField, models.CharField, models.TextField, models.SlugField, models.BooleanField,
    models.IntegerField, models.BigIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField, models.DateField, models.DateTimeField, models.ForeignKey,
})  # fmt: skip


def copy_insert(objs: Sequence, *, batch_size: int = 2000) -> None:
    """Insert unsaved model instances of one model, setting their primary keys, like `bulk_create`.

    On PostgreSQL the rows go through COPY (the driver formats them in C), with ids drawn from the
    table's sequence first: several times faster than bulk_create's INSERT for the large batches of an
    import. Elsewhere it is bulk_create. Values are prepared by each field (money → fen, JSON, dates).
    """
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    pk = meta.pk
    quote = connection.ops.quote_name
    fields = list(meta.concrete_fields)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        for obj, (new_id,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, new_id)
        real = connections[connection.alias]  # not the thread-local proxy, once per value
        attnames = [f.attname for f in fields]
        preps = [None if type(f) in _PLAIN_FIELDS else partial(f.get_db_prep_save, connection=real) for f in fields]
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                values = [getattr(obj, name) for name in attnames]
                copy.write_row([v if p is None or v is None else p(v) for p, v in zip(preps, values, strict=True)])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def copy_rows(model, fields: Sequence[str], rows, *, batch_size: int = 2000) -> int:
    """Insert plain rows of one model, each a sequence of values in the order of `fields` (attnames),
    the primary key left to the table's default; return the count. For writes whose instances nobody
    reads afterwards (audit events): no model instance per row on PostgreSQL, where the rows go through
    one COPY. Elsewhere it is bulk_create of unsaved instances, in batches.
    """
    if connection.vendor != "postgresql":
        return _insert_rows(model, fields, rows, batch_size=batch_size)
    meta = model._meta
    quote = connection.ops.quote_name
    by_attname = {f.attname: f for f in meta.concrete_fields}
    real = connections[connection.alias]
    preps = [
        None if type(by_attname[name]) in _PLAIN_FIELDS else partial(by_attname[name].get_db_prep_save, connection=real)
        for name in fields
    ]
    columns = ", ".join(quote(by_attname[name].column) for name in fields)
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([v if p is None or v is None else p(v) for p, v in zip(preps, row, strict=True)])
            count += 1
    return count


# Fields whose Python value SQLite's driver stores as Django would (no per-value preparation needed there).
_SQLITE_PLAIN_FIELDS = frozenset({
    models.AutoField, models.BigAutoField, models.CharField, models.TextField, models.SlugField,
    models.IntegerField, models.BigIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField, models.ForeignKey,
})  # fmt: skip


def _insert_rows(model, fields: Sequence[str], rows, *, batch_size: int) -> int:
    """copy_rows elsewhere than PostgreSQL: one multi-row INSERT per batch with the values prepared by their
    fields (JSON, dates, addresses), without an instance per row (bulk_create's per-field cost doubled an audit
    bulk write of 100,000 rows once events gained five columns)."""
    meta = model._meta
    quote = connection.ops.quote_name
    by_attname = {f.attname: f for f in meta.concrete_fields}
    real = connections[connection.alias]
    preps = [
        None if type(by_attname[name]) in _SQLITE_PLAIN_FIELDS
        else partial(by_attname[name].get_db_prep_save, connection=real)
        for name in fields
    ]  # fmt: skip
    columns = ", ".join(quote(by_attname[name].column) for name in fields)
    # SQLite takes at most 999 (older builds) or 32,766 parameters per statement.
    per_statement = max(1, min(batch_size, real.features.max_query_params // len(fields)))
    row_sql = f"({placeholders(len(fields))})"
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, per_statement)):
            params = [v if p is None or v is None else p(v) for row in batch for p, v in zip(preps, row, strict=True)]
            values = ", ".join([row_sql] * len(batch))
            # Our model's quoted table and column names; the values are parameters.
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values}"  # nosec B608  # quoted names
            cursor.execute(sql, params)
            count += len(batch)
    return count
