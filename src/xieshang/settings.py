"""One settings module, read from environment variables with safe development defaults."""

from __future__ import annotations

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("XIESHANG_HOME", Path.cwd()))

env = environ.Env()
if (PROJECT_DIR / ".env").exists():
    env.read_env(str(PROJECT_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="dev-insecure-xieshang-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "xieshang.conferences",
    "xieshang.people",
    "xieshang.audit",
    "xieshang.notify",
    "xieshang.duty",
    "xieshang.opinions",
    "xieshang.proposals",
    "xieshang.activities",
    "xieshang.tasks",
    "xieshang.indicators",
    "xieshang.publishing",
    "xieshang.voice",
    "xieshang.research",
    "xieshang.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xieshang.core.dbdown.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xieshang.web.middleware.CurrentConferenceMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xieshang.urls"
WSGI_APPLICATION = "xieshang.wsgi.application"
ASGI_APPLICATION = "xieshang.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xieshang.web.context.navigation",
            ],
        },
    },
]

DATA_DIR = Path(env.str("XIESHANG_DATA_DIR", default=str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'xieshang.sqlite3'}"),
}
# A connection dropped while the database restarted is noticed and replaced at the next request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # While the database is unreachable a request fails within seconds instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web process read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "xieshang.people.hashers.Argon2Hasher",  # Argon2id, OWASP's parameters (see people/hashers.py)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("XIESHANG_LOGIN_FAILURE_LIMIT", default=8)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = "登录失败次数过多，账号已暂时锁定，请 15 分钟后再试。"
AXES_ENABLED = env.bool("XIESHANG_AXES_ENABLED", default=True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("XIESHANG_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("XIESHANG_STATIC_ROOT", default=str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS: list[Path] = []
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("XIESHANG_MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    # A failed write (disk full, read-only folder) leaves no partial file and reaches the user as a message.
    "default": {"BACKEND": "xieshang.core.uploads.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: Django keeps anything above 5 MB on disk while it is read; our own limit is checked in services.
XIESHANG_MAX_UPLOAD_MB = env.int("XIESHANG_MAX_UPLOAD_MB", default=20)
# Above this many rows, a text-intelligence index, router or hot-topic list is built by the worker only
# and persisted in XIESHANG_INTEL_DIR; requests serve the last one built while the worker rebuilds it,
# at most once per XIESHANG_INTEL_REFRESH_SECONDS (core/intelcache.py).
# 200 proposals take about a second to index (jieba segments every text); 2,400 took 10 s in a request.
XIESHANG_INTEL_BACKGROUND_ROWS = env.int("XIESHANG_INTEL_BACKGROUND_ROWS", default=200)
# A background job still RUNNING after this long is taken to have lost its worker and is queued again.
XIESHANG_TASK_LEASE_SECONDS = env.int("XIESHANG_TASK_LEASE_SECONDS", default=3600)
XIESHANG_INTEL_DIR = Path(env.str("XIESHANG_INTEL_DIR", default=str(DATA_DIR / "intel")))
XIESHANG_INTEL_REFRESH_SECONDS = env.int("XIESHANG_INTEL_REFRESH_SECONDS", default=300)
# A web process keeps the most recently used of those objects while they stand for at most this many rows.
XIESHANG_INTEL_MAX_ROWS = env.int("XIESHANG_INTEL_MAX_ROWS", default=1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="xieshang@localhost")
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)

REDIS_URL = env.str("REDIS_URL", default="")
TASKS_BACKEND = env.str("XIESHANG_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND.startswith("django_tasks_rq"):
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Only behind HTTPS (off by default: `make demo` serves plain http://127.0.0.1:8000).
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=False)
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    # nginx terminates TLS and sets X-Forwarded-Proto (and strips any the client sent).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("XIESHANG_LOG_LEVEL", default="WARNING")},
}
