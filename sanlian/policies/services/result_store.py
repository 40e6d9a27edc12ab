"""Reading and writing current eligibility results in plain SQL.

Re-evaluating one enterprise after a change has a budget of 5 ms, store included. Through the ORM the
reads and writes alone took longer than that on PostgreSQL, so the refresh builds these statements
itself and sends them in one round trip with the other reads (`sanlian.core.sql.run_batch`). Values are
still converted by the model fields (`get_db_prep_value`), so money, JSON and timestamps are stored
exactly as the ORM stores them.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import connection

from sanlian.core.sql import Statement, placeholders

from ..models import EligibilityResult


class CurrentResult(NamedTuple):
    pk: int
    version_id: int
    outcome: str
    explanation: list


class NewResult(NamedTuple):
    enterprise_id: int
    policy_id: int
    version_id: int
    outcome: str
    explanation: list
    benefit_estimate: Decimal | None
    facts_as_of: date
    evaluated_at: datetime


_TABLE = EligibilityResult._meta.db_table
_FIELDS = [EligibilityResult._meta.get_field(name) for name in NewResult._fields]
_INSERT = f"INSERT INTO {_TABLE} ({', '.join(f.column for f in _FIELDS)}) VALUES "  # nosec B608  # names from model _meta, values as parameters
_ROW = f"({placeholders(len(_FIELDS))})"


def current_statement(*, enterprise_ids=None, policy_ids=None) -> Statement:
    """The current results of the given enterprises and policies (every one where None)."""
    sql = f"SELECT id, enterprise_id, policy_id, version_id, outcome, explanation FROM {_TABLE} "  # nosec B608  # names from model _meta, values as parameters
    sql += "WHERE superseded_at IS NULL"
    params = []
    for column, values in (("enterprise_id", enterprise_ids), ("policy_id", policy_ids)):
        if values is not None:
            sql += f" AND {column} IN ({placeholders(len(values))})"
            params += list(values)
    return sql, params


def current_results(rows: list[tuple]) -> dict[tuple[int, int], CurrentResult]:
    """(enterprise id, policy id) → current result, from the rows of `current_statement`."""
    return {
        (enterprise_id, policy_id): CurrentResult(pk, version_id, outcome, _json(explanation))
        for pk, enterprise_id, policy_id, version_id, outcome, explanation in rows
    }


def _json(value):
    # SQLite and Django's psycopg set-up both hand JSON over as text.
    return json.loads(value) if isinstance(value, str) else value


def write_statements(*, stale: list[int], fresh: list[NewResult], now: datetime, batch: int) -> list[Statement]:
    """Supersede the stale results, then insert the fresh ones, at most `batch` rows per statement."""
    if not stale and not fresh:
        return []
    statements = []
    if connection.vendor == "postgresql":
        # Results are derived data: the nightly refresh recomputes any lost in a crash, so this
        # transaction need not wait for its WAL flush (PostgreSQL's documented per-transaction trade-off).
        statements.append(("SET LOCAL synchronous_commit TO OFF", []))
    superseded_at = EligibilityResult._meta.get_field("superseded_at").get_db_prep_value(now, connection)
    step = _rows_per_statement(batch, 1, reserved=1)
    for start in range(0, len(stale), step):
        ids = stale[start : start + step]
        statements.append(
            (f"UPDATE {_TABLE} SET superseded_at = %s WHERE id IN ({placeholders(len(ids))})", [superseded_at, *ids])  # nosec B608  # names from model _meta, values as parameters
        )
    step = _rows_per_statement(batch, len(_FIELDS))
    for start in range(0, len(fresh), step):
        rows = fresh[start : start + step]
        params = _prepared(rows)
        statements.append((_INSERT + ", ".join([_ROW] * len(rows)), params))
    return statements


def _prepared(rows: list[NewResult]) -> list:
    """The rows' values as the model fields store them; repeated values (ids, dates) are converted once."""
    params, converted = [], {}
    for row in rows:
        for field, value in zip(_FIELDS, row, strict=True):
            if isinstance(value, list):  # the explanation: unhashable and different on every row
                params.append(field.get_db_prep_value(value, connection))
                continue
            key = (field.attname, value)
            if key not in converted:
                converted[key] = field.get_db_prep_value(value, connection)
            params.append(converted[key])
    return params


def _rows_per_statement(batch: int, width: int, reserved: int = 0) -> int:
    """At most `batch` rows, and no more parameters than the database accepts in one statement."""
    limit = connection.features.max_query_params
    return batch if limit is None else min(batch, (limit - reserved) // width)
