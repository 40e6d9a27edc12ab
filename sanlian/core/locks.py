"""Row locks for workflow transitions.

Every transition re-reads its row with SELECT … FOR UPDATE inside the service's transaction and checks,
on that fresh copy, that the row is still in a state the transition may leave. Two officers approving
the same item at once then give one success and one clear refusal instead of two approvals (or a lost
update). PostgreSQL takes the row lock; SQLite has no row locks, but the settings open every transaction
with BEGIN IMMEDIATE, so writers take turns and the second one reads the first one's result.
"""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext as _


def lock_row(source, pk, *, related: Collection[str] = ()) -> models.Model:
    """Re-read one row with a lock held until the caller's transaction ends (`source`: model or queryset)."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_row must run inside transaction.atomic")
    queryset = source._default_manager.all() if isinstance(source, type) else source
    if related:
        # Lock only the row itself: related rows (enterprise, town…) stay free for other transactions.
        return queryset.select_for_update(of=("self",)).select_related(*related).get(pk=pk)
    return queryset.select_for_update().get(pk=pk)


def lock_for_transition(
    source, pk, *, allowed: Collection, field: str = "status", related: Collection[str] = ()
) -> models.Model:
    """Lock the row and refuse, naming the field, unless its `field` is still one of `allowed`."""
    row = lock_row(source, pk, related=related)
    refuse_unless(row, allowed=allowed, field=field)
    return row


def refuse_unless(row: models.Model, *, allowed: Collection, field: str = "status") -> None:
    """The refusal of `lock_for_transition`, for services that must lock first and check later."""
    if getattr(row, field) in allowed:
        return
    display = getattr(row, f"get_{field}_display", None)
    state = display() if display else getattr(row, field)
    raise ValidationError(
        {field: _("当前状态「%(status)s」不能执行该操作(可能已被他人处理),请刷新后重试") % {"status": state}}
    )
