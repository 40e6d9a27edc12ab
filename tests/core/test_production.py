"""SANLIAN_ENV=production: refuses to start on development defaults, passes Django's deployment checks when
configured. Each case runs the real `sanlian` command in a subprocess with a controlled environment."""

import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "SANLIAN_ENV": "production",
    "SECRET_KEY": "k7P2-" + "x" * 10 + secrets.token_urlsafe(48),
    "SANLIAN_SALT_KEY": secrets.token_urlsafe(24),
    "SANLIAN_ALLOWED_HOSTS": "sanlian.example.gov.cn",
    # Neither is connected to by `check --deploy`: only their form is checked.
    "DATABASE_URL": "postgres://sanlian:secret@127.0.0.1:5432/sanlian",
    "REDIS_URL": "redis://127.0.0.1:6379/5",
    "SANLIAN_BASE_URL": "https://sanlian.example.gov.cn",
}
REQUIRED = ["SECRET_KEY", "SANLIAN_SALT_KEY", "SANLIAN_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "SANLIAN_BASE_URL"]


def sanlian(args: list[str], env: dict, tmp_path) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it (async.E001).
    base = {k: v for k, v in os.environ.items()
            if k not in REQUIRED and not k.startswith("SANLIAN_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # fmt: skip
    base.update({"SANLIAN_VAR_DIR": str(tmp_path), "PYTHONPATH": os.environ.get("PYTHONPATH", os.getcwd())})
    return subprocess.run(
        [sys.executable, "-m", "sanlian", *args], env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_without_its_variables_refuses_to_start_and_names_every_one(tmp_path):
    result = sanlian(["check"], {"SANLIAN_ENV": "production", "SANLIAN_DEBUG": "1"}, tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in REQUIRED:
        assert f"{name} is not set" in result.stderr


@pytest.mark.parametrize(
    "override, complaint",
    [
        ({"SECRET_KEY": "sanlian-development-key-not-for-production-use-0123456789"}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY is weak"),
        ({"SANLIAN_SALT_KEY": "sanlian-development-salt"}, "SANLIAN_SALT_KEY is weak"),
        ({"SANLIAN_ALLOWED_HOSTS": "*"}, "SANLIAN_ALLOWED_HOSTS must name the hosts"),
        ({"DATABASE_URL": "sqlite:///var/sanlian.sqlite3"}, "DATABASE_URL is not set to a PostgreSQL database"),
        ({"SANLIAN_BASE_URL": "http://sanlian.example.gov.cn"}, "SANLIAN_BASE_URL is not set to the platform's https"),
    ],
)
def test_production_refuses_a_development_or_weak_value(tmp_path, override, complaint):
    result = sanlian(["check"], {**PRODUCTION_ENV, **override}, tmp_path)

    assert result.returncode != 0
    assert complaint in result.stderr
    # Only the bad variable is named, and its value never is.
    assert result.stderr.count(" is weak") + result.stderr.count(" is not set") + result.stderr.count(" must ") == 1
    assert PRODUCTION_ENV["SECRET_KEY"] not in result.stderr


def test_a_configured_production_passes_the_deployment_checks_at_warning_level(tmp_path):
    result = sanlian(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_turns_debug_off_and_the_https_settings_on_whatever_sanlian_debug_says(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_NAME, s.CSRF_TRUSTED_ORIGINS, "
        "s.SECURE_PROXY_SSL_HEADER, s.ALLOWED_HOSTS)"
    )
    result = sanlian(["shell", "-c", code], {**PRODUCTION_ENV, "SANLIAN_DEBUG": "1"}, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "False True 31536000 True True True __Host-sessionid ['https://sanlian.example.gov.cn'] "
        "('HTTP_X_FORWARDED_PROTO', 'https') ['sanlian.example.gov.cn']"
    )
