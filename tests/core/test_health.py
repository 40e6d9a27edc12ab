"""/healthz (liveness, cheap) and /readyz (database, cache, Huey queue, disk; 503 naming what failed)."""

import os
import subprocess
import sys

from huey import RedisHuey

from sanlian.core import health

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_answers_anonymously_without_touching_the_database(client):
    # No `db` fixture: any query here would raise.
    response = client.get("/healthz")

    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_answers_200_with_every_check_passed(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "cache", "queue", "disk"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"] == "no-store"


def test_readyz_answers_503_naming_the_cache_when_redis_is_dead(client, db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["failed"] == ["cache"]
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError", "ms": body["checks"]["cache"]["ms"]}
    assert "127.0.0.1:1" not in response.content.decode()  # no address or message leaks


def test_the_queue_check_fails_on_a_dead_redis_and_passes_on_a_live_one(redis_url):
    ready, checks = health.readiness({"queue": lambda: health.check_queue(RedisHuey("readyz-test", url=DEAD_REDIS))})
    assert not ready and checks["queue"]["error"] == "ConnectionError"

    ready, checks = health.readiness({"queue": lambda: health.check_queue(RedisHuey("readyz-test", url=redis_url))})
    assert ready and checks["queue"]["pending"] == 0


def test_the_disk_check_fails_below_its_threshold(tmp_path):
    ready, checks = health.readiness({"disk": lambda: health.check_disk(tmp_path, min_free=2**62)})

    assert not ready and checks["disk"]["error"] == "RuntimeError"
    assert health.check_disk(tmp_path, min_free=1)["free_mb"] > 0


def test_a_server_whose_redis_is_dead_answers_503_for_cache_and_queue(tmp_path):
    """The real wiring (Redis cache and RedisHuey from REDIS_URL), outside the test settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANLIAN_") and k != "DATABASE_URL"}
    env.update({"REDIS_URL": DEAD_REDIS, "SANLIAN_VAR_DIR": str(tmp_path)})
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/readyz'); print(r.status_code, sorted(r.json()['failed']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "sanlian.config.settings"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "503 ['cache', 'queue']"
