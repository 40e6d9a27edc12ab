"""Settings, all read from the environment.

Defaults give the embedded set-up (SQLite, Huey on SQLite, local files under var/); production sets
DATABASE_URL, REDIS_URL, SECRET_KEY and SANLIAN_DEBUG=0.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SANLIAN_VAR_DIR", Path.cwd() / "var"))
# The embedded default keeps its SQLite files here, and Huey opens its queue at start-up.
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or os.environ.get("SANLIAN_TESTING") == "1"
DEBUG = os.environ.get("SANLIAN_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "sanlian-development-key-not-for-production-use-0123456789")
# Salt of the key that encrypts personal data at rest (see encrypted_fields).
SALT_KEY = os.environ.get("SANLIAN_SALT_KEY", "sanlian-development-salt")
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
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
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 1  # hours a locked-out username and address wait
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_ENABLED = not TESTING

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
            ],
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
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Uploaded import files wait here for their job: outside MEDIA_ROOT and STATIC_ROOT, so never served.
SANLIAN_IMPORT_DIR = VAR_DIR / "imports"

EMAIL_BACKEND = os.environ.get("SANLIAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Links in emails and SMS are absolute: the platform's public address.
SANLIAN_BASE_URL = os.environ.get("SANLIAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("SANLIAN_FROM_EMAIL", "noreply@sanlian.local")
# Pluggable SMS gateway: a dotted path to a class with send(phone, text).
SANLIAN_SMS_GATEWAY = os.environ.get("SANLIAN_SMS_GATEWAY", "sanlian.core.sms.LogGateway")

# ECharts tooltips carry inline style attributes; scripts stay strictly same-origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

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
