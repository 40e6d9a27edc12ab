"""Plain SQL for the few hot paths where the ORM's per-query cost outweighs the query itself.

A statement is `(sql, params)` with `%s` placeholders. `run_batch` sends several statements in one
round trip where the database driver allows it (PostgreSQL through psycopg's client-side binding,
Django's default) and one after another elsewhere (SQLite is in-process, so a round trip costs nothing).
`run_in_one_transaction` does the same with all-or-nothing effect.
"""

from collections.abc import Sequence

from django.db import connection, transaction

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
