"""Settings, all read from the environment.

Defaults give the embedded set-up (SQLite, Huey on SQLite, local files under var/); production sets
DATABASE_URL, REDIS_URL, SECRET_KEY and SANLIAN_DEBUG=0.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SANLIAN_VAR_DIR", Path.cwd() / "var"))
# The embedded default keeps its SQLite files here, and Huey opens its queue at start-up.
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or os.environ.get("SANLIAN_TESTING") == "1"
# SANLIAN_ENV=production: DEBUG is off whatever SANLIAN_DEBUG says, and the block "Production" at the end of
# this file refuses to start without real keys, hosts and services.
PRODUCTION = os.environ.get("SANLIAN_ENV", "development") == "production"
DEBUG = os.environ.get("SANLIAN_DEBUG", "1") == "1" and not PRODUCTION
SECRET_KEY = os.environ.get("SECRET_KEY", "sanlian-development-key-not-for-production-use-0123456789")
# Personal data at rest (encrypted_fields): the Fernet keys derive from SECRET_KEY (+ fallbacks) and each
# salt. Both take a comma-separated list, newest first: the first pair encrypts, every pair decrypts, so a
# key is rotated by prepending the new one, running `sanlian rotate_keys`, then dropping the old one.
SECRET_KEY_FALLBACKS = [k.strip() for k in os.environ.get("SANLIAN_SECRET_KEY_FALLBACKS", "").split(",") if k.strip()]
SALT_KEY = [k.strip() for k in os.environ.get("SANLIAN_SALT_KEY", "").split(",") if k.strip()] or [
    "sanlian-development-salt"
]
ALLOWED_HOSTS = os.environ.get("SANLIAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # one-time backup codes of the second factor
    "axes",
    "huey.contrib.djhuey",
    "sanlian.core",
    "sanlian.enterprises",
    "sanlian.policies",
    "sanlian.talent",
    "sanlian.chain",
    "sanlian.servicedesk",
    "sanlian.space",
    "sanlian.community",
    "sanlian.search",
    "sanlian.dashboard",
    "sanlian.imports",
    "sanlian.demo",
    "ninja",  # django-ninja's bundled Swagger UI files: the API docs work without a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before every middleware that reads or writes the body; static files were answered above.
    "sanlian.core.middleware.CompressPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sanlian.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "sanlian.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (the idle timeout says why the user was signed out) and OTP (the gate asks is_verified).
    "sanlian.core.account_middleware.IdleSessionMiddleware",
    "sanlian.core.account_middleware.AccountGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so it sees the final response (403s of pages and of the API alike) and sets the audit context
    # (actor, client address, method, path) that every audit record of the request picks up.
    "sanlian.core.audit.AuditContextMiddleware",
]

ROOT_URLCONF = "sanlian.config.urls"
WSGI_APPLICATION = "sanlian.config.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_ENABLED = not TESTING

# Sign-in and sessions (issue 9; docs/security.md "Authentication"). 等保 2.0 level 3 asks for complexity,
# periodic change, lockout, idle timeout and a second factor for administrators; tests that exercise a rule
# switch it on with the `settings` fixture (thousands of other tests use force_login and travel in time).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "sanlian.core.passwords.ComplexityValidator", "OPTIONS": {"min_length": 8, "min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Officers and superusers change their password every this many days (None: never).
SANLIAN_PASSWORD_MAX_AGE_DAYS = None if TESTING else int(os.environ.get("SANLIAN_PASSWORD_MAX_AGE_DAYS", "90"))
# Lockout: 5 failures lock the username, from whatever address, for 30 minutes (guessing spread over many
# addresses is stopped too; the cost, that anyone can lock a known username for 30 minutes, is bounded by the
# cool-off and `sanlian axes_reset_username`).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Axes warns that username-only locking can be dodged by rotating user agents or cookies: that is true of
# combined parameters (username + agent), not of the plain username kept here, which ignores both.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Failed bearer-token attempts per client address ("count/period"); past it every bearer call gets 429.
SANLIAN_API_RATE_BAD_TOKEN = os.environ.get("SANLIAN_API_RATE_BAD_TOKEN", "20/min")
# Idle timeout: a signed-in session ends after this many minutes without a request (None: off), and the
# session cookie ends with the browser.
# The stamp check in core.account_middleware ends the session (and says why); the stored session lives five
# minutes longer, as a backstop that clearsessions can sweep.
SANLIAN_SESSION_IDLE_MINUTES = None if TESTING else 30
SESSION_COOKIE_AGE = (SANLIAN_SESSION_IDLE_MINUTES + 5) * 60 if SANLIAN_SESSION_IDLE_MINUTES else 14 * 24 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# TOTP second factor for officers and superusers.
SANLIAN_OTP_REQUIRED = not TESTING
OTP_TOTP_ISSUER = "Sanlian"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanlian.core.context_processors.navigation",
                "sanlian.core.context_processors.care_mode",
            ],
            # money, money_in, money_unit, num, pct, day, when: formats per language (issue 10)
            "builtins": ["sanlian.core.templatetags.formats"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sanlian.sqlite3'}",
        conn_max_age=int(os.environ.get("SANLIAN_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Reliability (issue 9): the test database is a file like production's, not Django's shared-cache
    # in-memory one, whose table locks fail at once ("database table is locked") instead of waiting;
    # the concurrency tests need SQLite's real locking (WAL, BEGIN IMMEDIATE, busy timeout).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_sanlian.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": "sanlian",
    # Tests run tasks in-process; the storage itself is tested against SQLite and Redis.
    "immediate": TESTING,
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if REDIS_URL:
    # A Redis host that does not answer fails a connect in seconds (not the kernel's minutes): /readyz says so.
    import redis

    HUEY.update({
        "huey_class": "huey.RedisHuey",
        "connection_pool": redis.ConnectionPool.from_url(REDIS_URL, socket_connect_timeout=3),
    })  # fmt: skip
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates, numbers and form widgets per language (sanlian/config/formats/<locale>/formats.py).
FORMAT_MODULE_PATH = ["sanlian.config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Content-hashed, compressed copies after collectstatic (sanlian/core/staticfiles.py): cached for a year.
    "staticfiles": {"BACKEND": "sanlian.core.staticfiles.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
# No URL serves MEDIA_ROOT (not even with DEBUG): every stored file goes out through a view that asks the
# permission layer, with the headers of core.downloads. In production it sits outside nginx's roots too.
MEDIA_URL = "/media/"
# Uploaded import files wait here for their job: outside MEDIA_ROOT and STATIC_ROOT, so never served.
SANLIAN_IMPORT_DIR = VAR_DIR / "imports"

EMAIL_BACKEND = os.environ.get("SANLIAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Links in emails and SMS are absolute: the platform's public address.
SANLIAN_BASE_URL = os.environ.get("SANLIAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("SANLIAN_FROM_EMAIL", "noreply@sanlian.local")
# Pluggable SMS gateway: a dotted path to a class with send(phone, text).
SANLIAN_SMS_GATEWAY = os.environ.get("SANLIAN_SMS_GATEWAY", "sanlian.core.sms.LogGateway")

# ECharts tooltips and htmx's indicator carry inline styles; scripts stay strictly same-origin (no inline
# <script>, no on*= handlers, no eval: tests/core/test_headers.py checks the templates). Nothing is embedded
# (object-src), no page may be framed (frame-ancestors), and neither <base> nor a form may point elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# The CSRF token travels in the page (forms, htmx's hx-headers), so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Request size limits, set deliberately: non-file data stays small (2.5 MB and 1,000 fields, as Django
# defaults, now explicit); at most 20 files in one request (the forms allow 5 or 10, so
# their own localised error shows first); an upload above 2.5 MB is spooled to a temporary file, not memory;
# each field's file size is checked by core.uploads (20 MB attachments, 32 MB imports), and nginx's
# client_max_body_size (40 MB, docs/deploy.md) refuses anything larger before it reaches Django.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"sanlian": {"handlers": ["console"], "level": os.environ.get("SANLIAN_LOG_LEVEL", "INFO")}},
}

SANLIAN_PAGE_SIZE = 25
SANLIAN_API_PAGE_SIZE = 50
# API tokens: the expiry a new token gets unless its owner chooses, and the longest one allowed.
SANLIAN_API_TOKEN_DAYS = int(os.environ.get("SANLIAN_API_TOKEN_DAYS", "90"))
SANLIAN_API_TOKEN_MAX_DAYS = int(os.environ.get("SANLIAN_API_TOKEN_MAX_DAYS", "365"))
# API rate limits ("count/period", period s, min, hour or day), counted in the cache (Redis in production):
# per user (token or session) and per anonymous client address. None switches a limit off.
SANLIAN_API_RATE_USER = os.environ.get("SANLIAN_API_RATE_USER", "600/min")
SANLIAN_API_RATE_ANON = os.environ.get("SANLIAN_API_RATE_ANON", "60/min")
SANLIAN_SITE_NAME = _("三链 · 产业集群公共服务平台")

if TESTING:
    # Fast hashing in tests only; production keeps Django's default PBKDF2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Space listings: a published listing must be re-confirmed by its landlord every this many days, and is
# reminded (once) this many days before it expires.
SANLIAN_SPACE_CONFIRM_DAYS = int(os.environ.get("SANLIAN_SPACE_CONFIRM_DAYS", "30"))
SANLIAN_SPACE_REMIND_DAYS = 5

# Audit trail (issue 9). Rows are kept this many days, then `sanlian audit_purge` (also a daily job) deletes
# them; at least 180 (等保 2.0), a lower value refuses to start. The client address of a request is
# REMOTE_ADDR, unless REMOTE_ADDR is one of the trusted reverse proxies listed here (comma-separated
# addresses or networks, e.g. "127.0.0.1,10.0.0.0/8"): then the right-most X-Forwarded-For address that is
# not itself a trusted proxy. Empty (the default): X-Forwarded-For is never believed.
SANLIAN_AUDIT_RETENTION_DAYS = int(os.environ.get("SANLIAN_AUDIT_RETENTION_DAYS", "365"))
SANLIAN_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("SANLIAN_TRUSTED_PROXIES", "").split(",") if p.strip()]

# Production ------------------------------------------------------------------------------------------------
# SANLIAN_ENV=production refuses to start on development defaults: every secret, the hosts, PostgreSQL and
# Redis come from the environment, and one ImproperlyConfigured names everything missing or weak at once
# (docs/deploy.md has the table). Then HTTPS only: redirect, HSTS, Secure cookies, and the scheme taken from
# the proxy's X-Forwarded-Proto (nginx overwrites it; Django is never reachable except through nginx).
if PRODUCTION:
    from urllib.parse import urlsplit

    from django.core.exceptions import ImproperlyConfigured

    _env = os.environ.get
    _problems = []
    _secret = _env("SECRET_KEY", "")
    if not _secret:
        _problems.append("SECRET_KEY is not set")
    elif len(_secret) < 50 or len(set(_secret)) < 5 or "development" in _secret or "insecure" in _secret:
        _problems.append("SECRET_KEY is weak (at least 50 random characters, not a development value)")
    _salt = _env("SANLIAN_SALT_KEY", "")
    if not _salt:
        _problems.append("SANLIAN_SALT_KEY is not set")
    elif len(_salt) < 16 or len(set(_salt)) < 5 or "development" in _salt or _salt == _secret:
        _problems.append("SANLIAN_SALT_KEY is weak (at least 16 random characters, not the SECRET_KEY)")
    _hosts = [h.strip() for h in _env("SANLIAN_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not _hosts:
        _problems.append("SANLIAN_ALLOWED_HOSTS is not set")
    elif "*" in _hosts:
        _problems.append("SANLIAN_ALLOWED_HOSTS must name the hosts, not '*'")
    if not _env("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        _problems.append("DATABASE_URL is not set to a PostgreSQL database (postgres://…)")
    if not _env("REDIS_URL", "").startswith(("redis://", "rediss://", "unix://")):
        _problems.append("REDIS_URL is not set (redis://…)")
    _base = urlsplit(_env("SANLIAN_BASE_URL", ""))
    if _base.scheme != "https" or not _base.netloc:
        _problems.append("SANLIAN_BASE_URL is not set to the platform's https:// address")
    if _problems:
        raise ImproperlyConfigured("SANLIAN_ENV=production refuses to start: " + "; ".join(_problems) + ".")

    ALLOWED_HOSTS = _hosts
    CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]
    SECURE_SSL_REDIRECT = True
    # Probes from the machine itself speak plain HTTP to gunicorn.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    if _env("SANLIAN_BEHIND_PROXY", "1") == "1":
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Entering the browsers' preload list is a decision for the owner of the parent domain (often a gov.cn
    # domain the town does not run); opt in with SANLIAN_HSTS_PRELOAD=1.
    SECURE_HSTS_PRELOAD = _env("SANLIAN_HSTS_PRELOAD", "0") == "1"
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are Secure, host-only and path=/ by the browser's rule: a sibling subdomain cannot set them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
    WHITENOISE_AUTOREFRESH = False
