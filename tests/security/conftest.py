"""The walk's world is built once per module, inside a transaction rolled back at the module's end; each test
runs in a savepoint of it (pytest-django's `db`), so nothing one test does reaches the next. Each caller's
session is made once too."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built["sessions"] = {}
        for role, user in built["users"].items():
            client = Client()
            client.force_login(user)
            built["sessions"][role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield built
        transaction.set_rollback(True)
