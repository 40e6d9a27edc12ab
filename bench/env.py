"""Point Django at the bench database (created if missing) before anything imports the settings."""

import os
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

DEFAULT_SIZE = 100_000
DEFAULT_SEED = 20240601
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sanlian_bench"
# Databases used by CI and other sessions; the bench truncates tables, so it never touches them.
FORBIDDEN_DATABASES = frozenset({"test", "test_test", "postgres", "template0", "template1"})


class BenchDatabaseError(RuntimeError):
    pass


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql", "postgis")


def postgres_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def check_database_url(url: str) -> None:
    """Refuse a PostgreSQL database that is not a dedicated bench database."""
    if not is_postgres(url):
        return
    name = postgres_name(url)
    if name in FORBIDDEN_DATABASES or name.startswith("test_") or "bench" not in name:
        raise BenchDatabaseError(
            f"refusing to benchmark in database {name!r}: the bench truncates the registry tables, so it runs "
            f"only in a dedicated database whose name contains 'bench' (default {DEFAULT_DATABASE_URL})"
        )


def ensure_postgres_database(url: str) -> bool:
    """Create the bench database if it does not exist; return True when it was created."""
    import psycopg
    from psycopg import sql

    name = postgres_name(url)
    parts = urlsplit(url)
    maintenance = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def configure(explicit_url: str | None = None) -> str:
    """Set the environment of a bench run and set Django up; return the database URL in use.

    DEBUG is off by default (as in production) so DEBUG-only work does not skew the figures;
    set SANLIAN_DEBUG=1 to measure the development configuration instead.
    """
    url = database_url(explicit_url)
    check_database_url(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanlian.config.settings")
    os.environ.setdefault("SANLIAN_DEBUG", "0")
    var_dir = Path(os.environ.setdefault("SANLIAN_VAR_DIR", str(Path.cwd() / "var")))
    var_dir.mkdir(parents=True, exist_ok=True)
    if is_postgres(url):
        ensure_postgres_database(url)

    # WhiteNoise warns about a missing STATIC_ROOT when DEBUG is off; static files are not measured.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    import django

    django.setup()
    return url
