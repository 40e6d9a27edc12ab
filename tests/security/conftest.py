"""The walk's world is built once per module, inside a transaction rolled back at the module's end; each test
runs in a savepoint of it (pytest-django's `db`), so nothing one test does reaches the next."""

import pytest
from django.db import transaction

from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)
