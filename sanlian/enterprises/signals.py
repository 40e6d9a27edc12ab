"""What the registry tells other modules, without knowing them.

`facts_changed` is sent after the transaction that changed an enterprise commits, with the registry
fields that moved ("enterprise.<field>", "certification", "report"). Receivers only queue work.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.dispatch import Signal

facts_changed = Signal()  # kwargs: enterprise_ids: list[int], fields: list[str]
_quiet = threading.local()


@contextmanager
def facts_announcements_paused():
    """For bulk loads (the demo) that re-evaluate everything once at the end instead of per change."""
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = False


def announce_facts_changed(*, enterprise_id: int, fields) -> None:
    if getattr(_quiet, "on", False):
        return
    fields = sorted(fields)
    transaction.on_commit(lambda: facts_changed.send(sender=None, enterprise_ids=[enterprise_id], fields=fields))


def announce_facts_changed_many(*, enterprise_ids, fields) -> None:
    """One announcement for a batch of enterprises (imports), sent after the transaction commits."""
    if getattr(_quiet, "on", False):
        return
    ids, fields = sorted(set(enterprise_ids)), sorted(set(fields))
    if ids:
        transaction.on_commit(lambda: facts_changed.send(sender=None, enterprise_ids=ids, fields=fields))
