import os

import pytest
from django.core.cache import cache
from django.utils import translation

from sanlian.core.services import api_token_create
from sanlian.policies import rules
from tests import factories
from tests.api.client import ApiClient


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rolled-back tests may reuse audit ids, so no cached summary may outlive its test."""
    cache.clear()
    rules.clear_caches()
    yield
    cache.clear()
    rules.clear_caches()
    translation.deactivate()  # a request in English must not leave English active for the next test


@pytest.fixture(scope="session", autouse=True)
def _media_in_tmp(tmp_path_factory):
    """Uploaded files of the test run go to a temporary folder, never to the working tree's var/media."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session", autouse=True)
def _audit_flush_between_tests():
    """The flush after a transactional test empties every table. On SQLite that is a DELETE, which the audit
    trail's append-only trigger refuses for young rows unless the platform's guard allows it (on PostgreSQL a
    TRUNCATE, which row triggers do not see): the guard is off during Django's flush statements only, so any
    other deletion of young audit rows fails in tests as in production."""
    from django.db import connection

    from sanlian.core import audit

    if connection.vendor != "sqlite":
        yield
        return
    DatabaseOperations = type(connection.ops)  # noqa: N806 - a class
    flush = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        audit.set_test_erasure_allowed(True)
        try:
            return flush(self, sql_list)
        finally:
            audit.set_test_erasure_allowed(False)

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = flush


@pytest.fixture
def pujiang_officer(db):
    return factories.officer("pujiang", username="pj_officer")


@pytest.fixture
def xinzhuang_officer(db):
    return factories.officer("xinzhuang", username="xz_officer")


@pytest.fixture
def district_officer(db):
    return factories.district_officer(username="mh_officer")


@pytest.fixture
def pujiang_enterprise(db):
    return factories.enterprise("pujiang", name="浦江测试医疗器械有限公司")


@pytest.fixture
def xinzhuang_enterprise(db):
    return factories.enterprise("xinzhuang", name="莘庄测试生物有限公司")


@pytest.fixture
def enterprise_admin(pujiang_enterprise):
    return factories.enterprise_user(pujiang_enterprise, username="pj_admin")


@pytest.fixture
def redis_url():
    """Redis is always running in CI and in sessions; never skipped."""
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def api_as(db):
    """`api_as(user)`: a client speaking for `user` through a freshly made bearer token."""

    def make(user) -> ApiClient:
        _token, key = api_token_create(user=user, name="tests")
        return ApiClient(key)

    return make


@pytest.fixture
def anonymous_api(db) -> ApiClient:
    return ApiClient()
