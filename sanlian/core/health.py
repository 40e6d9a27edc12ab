"""Readiness checks behind /readyz: the database, the cache, the Huey queue and free disk under var/.

Each check answers quickly (the services' own socket timeouts bound it) and reports only whether it passed
and, on failure, the exception's class name: no host, URL, password or message leaks to an anonymous caller.
"""

import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections

# Uploads, the SQLite files and the import queue live under var/: below this the platform stops being ready.
MIN_FREE_BYTES = 512 * 1024 * 1024


def check_database(alias: str = "default") -> dict:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache(alias: str = "default") -> dict:
    cache = caches[alias]
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != value:
        raise RuntimeError("cache did not return what was written")
    return {}


def check_queue(huey=None) -> dict:
    """The queue's storage answers; how many jobs wait (a growing number means too few consumers)."""
    if huey is None:
        from huey.contrib.djhuey import HUEY as huey
    return {"pending": huey.pending_count()}


def check_disk(path: Path | None = None, min_free: int = MIN_FREE_BYTES) -> dict:
    free = shutil.disk_usage(path or settings.VAR_DIR).free
    if free < min_free:
        raise RuntimeError("low disk space")
    return {"free_mb": free // (1024 * 1024)}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
    "disk": check_disk,
}


def readiness(checks: dict[str, Callable[[], dict]] | None = None) -> tuple[bool, dict]:
    """(all passed, {check: {"ok": bool, "ms": float, …details or "error": class name}})."""
    results, ready = {}, True
    for name, check in (checks or CHECKS).items():
        started = time.perf_counter()
        try:
            details = {"ok": True, **check()}
        except Exception as exc:  # any failure makes the instance unready; its class is all we show
            details, ready = {"ok": False, "error": type(exc).__name__}, False
        details["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = details
    return ready, results
