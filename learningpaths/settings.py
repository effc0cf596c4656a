"""One settings module, configured by environment variables.

With no environment variables at all, the defaults serve development and tests: DEBUG on, an
embedded SQLite database under ``var/``, a throwaway secret key. Production (``DEBUG=0``) refuses
to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.

Every environment variable the code reads (here, in ``wsgi.py``/``asgi.py``, ``runtime/assets.py``
and ``deploy/gunicorn.conf.py``) is in one table, with its default and accepted values:
``docs/deploy.md``, section "Environment variables" (``tests/site/core/test_settings.py`` checks
that none is missing). Booleans take "1"/"true"/"yes"/"on" or "0"/"false"/"no"/"off"; lists are
comma-separated.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from learningpaths import layout

BASE_DIR = layout.BASE_DIR
PACKAGE_DIR = layout.PACKAGE_DIR

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; anything outside the accepted words is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE - {''})}; got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list, dropping empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The lesson runtime starts Python from a memory snapshot kept in the browser (static/js/runtime/worker.js).
RUNTIME_SNAPSHOT = env_bool("RUNTIME_SNAPSHOT", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (export SECRET_KEY=...).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (export ALLOWED_HOSTS=example.org).")

VAR_DIR = layout.var_dir()
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content" if layout.CHECKOUT else Path.cwd() / "content"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "learningpaths.core",
    "learningpaths.accounts",
    "learningpaths.paths",
    "learningpaths.learning",
    "learningpaths.classroom",
    "learningpaths.demos",
    "learningpaths.runtime",
    "learningpaths.api",
    "learningpaths.preview",
    "learningpaths.lti",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "learningpaths.core.middleware.SecurityHeadersMiddleware",
    "learningpaths.core.db_outage.DatabaseOutageMiddleware",  # 503 + Retry-After when the DB is down
    "learningpaths.core.db_outage.NulCharacterMiddleware",  # NUL in URLs/JSON: 400/404, not a PostgreSQL 500
    "learningpaths.lti.middleware.LtiFrameMiddleware",  # a launched session may be framed by its platform
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "learningpaths.api.middleware.ApiTokenMiddleware",  # API tokens on the file routes (core/credentials.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "learningpaths.urls"
WSGI_APPLICATION = "learningpaths.wsgi.application"

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
                "learningpaths.preview.context_processors.preview",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The embedded SQLite database lives in VAR_DIR; SQLite cannot create the folder itself.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # With persistent connections (CONN_MAX_AGE > 0), check a reused connection before a
        # request's first query: one broken by a database restart or failover while the process
        # was idle is replaced instead of failing that request with a 503.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many students at once on the embedded database: a write transaction that starts as a reader
    # and later needs the write lock fails at once with "database is locked" (a 503 for that
    # student), whatever the timeout. IMMEDIATE takes the write lock at BEGIN, so writers queue
    # for up to `timeout` seconds instead.
    # WAL (write-ahead log): readers never wait for the writer nor the writer for readers, and a
    # commit appends to the log instead of rewriting pages, so page views stay fast while progress
    # is written. It is safe here because the database is on one machine's local disk and every
    # process that opens it runs on that machine (WAL's shared memory does not work over a network
    # file system: never put VAR_DIR on NFS). synchronous=NORMAL is the setting WAL is made for: no
    # fsync per commit; a crash of the application loses nothing, a power cut or an OS crash at
    # worst the last commits, never the database. Backups: `sqlite3 db.sqlite3 ".backup ..."`, never a plain copy
    # (the log beside the file holds the latest commits), see docs/deploy.md.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20, init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "paths:catalogue"
LOGOUT_REDIRECT_URL = "paths:catalogue"

LANGUAGE_CODE = "en"
# Each language by its own name in the switcher (an endonym is not translated); a language named in
# a sentence or on a card is translated by Django's own catalogue (paths/templatetags/paths.py).
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The site's own files (css, js, site), then the generated ones (vendor/, engine/): one folder in a
# checkout, two when installed from a wheel (see learningpaths/layout.py).
STATIC_BUILD_DIR = layout.static_build_dir()
STATICFILES_DIRS = list(dict.fromkeys([layout.SITE_STATIC_DIR, STATIC_BUILD_DIR]))
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Content assets are stored by content hash, so a rejected build never overwrites a live file.
CONTENT_ASSET_ROOT = MEDIA_ROOT / "content"
COMPILE_CACHE_DIR = VAR_DIR / "compile-cache"
# manage.py preview: look at the files by a stat walk instead of inotify (network or FUSE mounts).
PREVIEW_POLL = env_bool("PREVIEW_POLL", False)

# Hosts whose pages content may embed in an <iframe> (everything else is removed by the sanitiser).
IFRAME_ALLOWLIST = env_list(
    "IFRAME_ALLOWLIST",
    [
        "www.youtube.com",
        "youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "dwengo.org",
        "www.dwengo.org",
        "kiks.ilabt.imec.be",
        "blockly.dwengo.org",
    ],
)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Our loggers (learningpaths.*) at LOG_LEVEL to stderr, which systemd sends to the journal; other
# libraries' records reach stderr from WARNING up. Django's own loggers keep their defaults.
# (They propagate to the root's handler rather than having their own, so pytest's caplog sees them.)
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"learningpaths": {"level": LOG_LEVEL}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
TEACHER_INVITE_CODE = os.environ.get("TEACHER_INVITE_CODE", "")

# The cache holds the rate-limit counters (sign-in, demos). Per process by default; several app
# servers share one: CACHE_URL=redis://host:6379/0 or CACHE_URL=db (after `manage.py createcachetable`).
_CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
    if _CACHE_URL.startswith(("redis://", "rediss://"))
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "lp_cache"}
    if _CACHE_URL == "db"
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Static files: WhiteNoise serves them compressed with far-future caching in production.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
WHITENOISE_MAX_AGE = 3600

# Security. Production (DEBUG off) gets secure cookies and HSTS; behind a TLS-terminating proxy,
# set SECURE_PROXY_SSL_HEADER via SECURE_PROXY=1.
# Database sessions and Django's model backend, each with its per-request read done by one prepared
# query (accounts/sessions.py, accounts/backends.py): a third of a signed-in page's CPU otherwise.
SESSION_ENGINE = "learningpaths.accounts.sessions"
AUTHENTICATION_BACKENDS = ["learningpaths.accounts.backends.ModelBackend"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the page's JavaScript reads it to post answers
CSRF_FAILURE_VIEW = "learningpaths.core.handlers.csrf_failure"  # JSON for JSON routes, Django's page otherwise
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("SECURE_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# LTI 1.3 (docs/lti.md): platform calls (scores, rosters) on a worker thread after the commit, or
# right after it in the request when off (tests); seconds each call to a platform may take; login
# initiations and launches per minute per address (a class behind one NAT launches at once).
LTI_BACKGROUND = env_bool("LTI_BACKGROUND", True)
LTI_HTTP_TIMEOUT = int(os.environ.get("LTI_HTTP_TIMEOUT", "10"))
LTI_ADDRESS_RATE_LIMIT = int(os.environ.get("LTI_ADDRESS_RATE_LIMIT", "600"))

# Server demos (ONNX Runtime): requests per minute per user/address, and seconds per request.
DEMO_RATE_LIMIT = int(os.environ.get("DEMO_RATE_LIMIT", "120"))
# Requests per minute per address, whatever the cookies say: a class behind one NAT fits under it.
DEMO_ADDRESS_RATE_LIMIT = int(os.environ.get("DEMO_ADDRESS_RATE_LIMIT", str(40 * DEMO_RATE_LIMIT)))
# Visitors without an account (answers kept in their session, see learning/answerers.py): answers
# per minute per session (else address), per address (a class behind one NAT), and in all per visitor.
VISITOR_ANSWER_RATE_LIMIT = int(os.environ.get("VISITOR_ANSWER_RATE_LIMIT", "30"))
VISITOR_ANSWER_ADDRESS_RATE_LIMIT = int(os.environ.get("VISITOR_ANSWER_ADDRESS_RATE_LIMIT", "900"))
VISITOR_MAX_ANSWERS = int(os.environ.get("VISITOR_MAX_ANSWERS", "500"))
DEMO_TIMEOUT = float(os.environ.get("DEMO_TIMEOUT", "2.0"))
# Seconds a batch waits for more requests; 0 runs whatever is queued at once (best for small models).
DEMO_BATCH_WINDOW = float(os.environ.get("DEMO_BATCH_WINDOW", "0"))
DEMO_PROVIDERS = os.environ.get("DEMO_PROVIDERS", "auto")  # "auto" (CUDA when present) or "cpu"
DEMO_MODELS_DIR = Path(os.environ.get("DEMO_MODELS_DIR", VAR_DIR / "models"))

# Single sign-on with OpenID Connect (accounts/sso.py, docs/sso.md). SSO_PROVIDERS names the providers
# by slug ("entra,google"); each reads SSO_<SLUG>_ISSUER (the discovery document is at
# <issuer>/.well-known/openid-configuration unless SSO_<SLUG>_DISCOVERY_URL says otherwise),
# _CLIENT_ID, _CLIENT_SECRET, _NAME (the button's "Sign in with ..."), _SCOPES, _TEACHER_CLAIM and
# _TEACHER_VALUES (the claim, and its values, that make someone a teacher) and _EMAIL_LINKING.
_SSO_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,29}")


def _sso_provider(slug: str) -> dict:
    if not _SSO_SLUG.fullmatch(slug):
        raise ImproperlyConfigured(f"SSO_PROVIDERS: {slug!r} is not a slug (a-z, 0-9 and '-', at most 30)")
    prefix = f"SSO_{slug.upper().replace('-', '_')}_"

    def read(name: str, default: str | None = None) -> str:
        value = os.environ.get(prefix + name, default)
        if value is None or not value.strip():
            raise ImproperlyConfigured(f"{prefix}{name} must be set for the provider {slug!r} (docs/sso.md)")
        return value.strip()

    issuer = read("ISSUER").rstrip("/")
    discovery = read("DISCOVERY_URL", issuer + "/.well-known/openid-configuration")
    host = urlsplit(discovery).hostname or ""
    if not discovery.startswith("https://") and host not in ("localhost", "127.0.0.1", "::1"):
        raise ImproperlyConfigured(f"{prefix}DISCOVERY_URL must be https:// (plain http only on loopback)")
    return {
        "slug": slug,
        "name": read("NAME", slug),
        "issuer": issuer,
        "discovery_url": discovery,
        "client_id": read("CLIENT_ID"),
        "client_secret": read("CLIENT_SECRET"),
        "scopes": read("SCOPES", "openid profile email"),
        "teacher_claim": os.environ.get(prefix + "TEACHER_CLAIM", "").strip(),
        "teacher_values": env_list(prefix + "TEACHER_VALUES", []),
        "email_linking": env_bool(prefix + "EMAIL_LINKING", False),
    }


SSO_PROVIDERS = [_sso_provider(slug) for slug in dict.fromkeys(env_list("SSO_PROVIDERS", []))]
