"""Settings for the portal, read from environment variables only.

PORTAL_ENV chooses the class: development (default), test or production.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# A placeholder that production refuses, so a copied development setting never ships.
DEVELOPMENT_SECRET = "development-only-secret-not-for-production"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> tuple[str, ...]:
    """A comma-separated setting as a tuple of its non-empty, trimmed parts."""
    return tuple(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


def _mapping(name: str) -> dict[str, str]:
    """A setting like "group-a=chair, group-b=social_worker" as a dict."""
    pairs = (part.partition("=") for part in _list(name))
    return {key.strip(): value.strip() for key, _, value in pairs if key.strip() and value.strip()}


def _database_url(default_file: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / default_file}"
    # Heroku-style URLs name the old driver; the portal uses psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET)
    SQLALCHEMY_DATABASE_URI = _database_url("portal.sqlite3")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL", "").strip() or None

    SERVICE_NAME = "Family Conference Portal"
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "London Borough of Tower Hamlets")
    # Where "Exit this page" sends someone: a neutral site that says nothing about them.
    EXIT_URL = os.environ.get("EXIT_URL", "https://www.bbc.co.uk/weather")
    # The council's safeguarding and quality assurance team (practice guide: appeals).
    SQA_EMAIL = os.environ.get("SQA_EMAIL", "SQA@towerhamlets.gov.uk")
    # "In development" in the practice guide: a family may choose a safeguarding Family Group
    # Conference in place of the initial conference. Off unless the council turns it on.
    FGC_INSTEAD_OF_ICPC = _bool("FGC_INSTEAD_OF_ICPC", False)
    DATA_PROTECTION_EMAIL = os.environ.get("DATA_PROTECTION_EMAIL", "dpo@towerhamlets.gov.uk")

    # How long each kind of record is kept (UK GDPR storage limitation; the council's retention
    # schedule). `flask retention purge` deletes what is older, except a case under legal hold.
    # Rules and the meaning of "closed": portal/retention.py. Audit events are never purged.
    RETENTION_YEARS_CASE = int(os.environ.get("RETENTION_YEARS_CASE", "6") or 6)
    # A case with a plan but no conference for this long is taken as closed (reviews are at most 6 months apart).
    RETENTION_DORMANT_YEARS = int(os.environ.get("RETENTION_DORMANT_YEARS", "2") or 2)
    RETENTION_DAYS_DRAFT = int(os.environ.get("RETENTION_DAYS_DRAFT", "30") or 30)
    RETENTION_DAYS_SENT_NOTIFICATION = int(os.environ.get("RETENTION_DAYS_SENT_NOTIFICATION", "365") or 365)
    RETENTION_DAYS_TOKEN = int(os.environ.get("RETENTION_DAYS_TOKEN", "90") or 90)

    LANGUAGES = ("en", "bn", "so", "ar", "ur", "pl", "ro")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGE_COOKIE = "portal_lang"

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 12 * 60 * 60  # the absolute limit, in seconds
    # Served over HTTPS only (production); development and tests use plain http.
    HTTPS = False
    PREFERRED_URL_SCHEME = "http"

    # The portal's public address, for links in messages sent outside a web request (cron).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # GOV.UK Notify: "log" keeps messages in the log (development); "govuk" sends them.
    NOTIFY_BACKEND = os.environ.get("NOTIFY_BACKEND", "log")
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
    NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
    NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")

    # argon2-cffi's parameter profile for password hashes (portal/auth/passwords.py): RFC 9106's low-memory one.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"

    # Staff prove who they are with a code from an app (TOTP) as well as a password.
    STAFF_MFA_REQUIRED = _bool("STAFF_MFA_REQUIRED", False)
    # Staff sign in with the council's own identity provider (OpenID Connect: Microsoft Entra ID or another), off
    # unless OIDC_ISSUER is set. README, "Signing staff in with the council's identity provider"; portal/auth/council.py.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/") or None
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "").strip()
    # Only these e-mail domains may sign in (empty: any the provider vouches for).
    OIDC_ALLOWED_EMAIL_DOMAINS = tuple(domain.lower().lstrip("@") for domain in _list("OIDC_ALLOWED_EMAIL_DOMAINS"))
    # The claim that names a person for good: Entra's object id; "sub" where the provider has none.
    OIDC_IDENTITY_CLAIM = os.environ.get("OIDC_IDENTITY_CLAIM", "oid").strip() or "oid"
    # Optional: a claim listing the person's groups or app roles, and which portal role each value gives.
    OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "").strip() or None
    OIDC_ROLE_MAP = _mapping("OIDC_ROLE_MAP")
    # Create a staff account on first sign-in, from the role mapping (off: only accounts an admin created get in).
    OIDC_CREATE_ACCOUNTS = _bool("OIDC_CREATE_ACCOUNTS", False)
    # Refuse an ID token without evidence that the provider asked for a second factor (on in production).
    OIDC_REQUIRE_MFA = _bool("OIDC_REQUIRE_MFA", False)
    # The evidence: a value in `amr` (RFC 8176's "mfa"), or an `acr` (or Entra's `acrs`) value the council names.
    OIDC_MFA_AMR_VALUES = _list("OIDC_MFA_AMR_VALUES") or ("mfa",)
    OIDC_MFA_ACR_VALUES = _list("OIDC_MFA_ACR_VALUES")

    IDLE_TIMEOUT_MINUTES = 30
    ABSOLUTE_TIMEOUT_HOURS = 12
    # Sign-in attempts allowed per window, per account and per address.
    SIGN_IN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    SIGN_IN_LIMIT_PER_IP = "20 per 15 minutes"

    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # How many reverse proxies stand in front of the app. Their X-Forwarded-* headers are
    # believed for that many hops only (0: none, so a client cannot spoof its address).
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0") or 0)

    # Built assets are served for a year: their names change when their content does.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 60 * 60
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "application/manifest+json",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 300

    @classmethod
    def check(cls) -> None:
        """Refuse settings that are unsafe for this environment."""


class DevelopmentConfig(Config):
    """A laptop: plain http, a local SQLite file, demo data allowed."""

    ENV_NAME = "development"
    DEBUG = False  # the Werkzeug debugger runs code from the browser: opt in with FLASK_DEBUG


class TestConfig(Config):
    """The test suite: its own database, no rate limits unless a test turns them on."""

    ENV_NAME = "test"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = _database_url("test.sqlite3")
    RATELIMIT_ENABLED = False
    # Still argon2id, with argon2-cffi's cheapest parameters: the suite signs in thousands of times.
    PASSWORD_HASH_PROFILE = "CHEAPEST"


class ProductionConfig(Config):
    """A real deployment behind HTTPS, with PostgreSQL and Redis."""

    ENV_NAME = "production"
    HTTPS = True
    PREFERRED_URL_SCHEME = "https"
    SESSION_COOKIE_SECURE = True
    # The __Host- prefix pins the cookie to this host, over HTTPS, for every path.
    SESSION_COOKIE_NAME = "__Host-portal_session"
    STAFF_MFA_REQUIRED = _bool("STAFF_MFA_REQUIRED", True)
    OIDC_REQUIRE_MFA = _bool("OIDC_REQUIRE_MFA", True)
    LANGUAGE_COOKIE = "__Host-portal_lang"

    @classmethod
    def check(cls) -> None:
        """Production refuses to start with a missing, placeholder or short secret."""
        key = os.environ.get("SECRET_KEY", "")
        if not key or key == DEVELOPMENT_SECRET or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production."
            )
        cls.SECRET_KEY = key
        issuer = os.environ.get("OIDC_ISSUER", "").strip()
        if issuer and (not issuer.startswith("https://") or not os.environ.get("OIDC_CLIENT_ID") or not os.environ.get("OIDC_CLIENT_SECRET")):
            raise RuntimeError("OIDC_ISSUER must be an https:// address, with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET set, in production.")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    """The configuration class named by PORTAL_ENV (development when unset)."""
    name = os.environ.get("PORTAL_ENV", "development").strip().lower() or "development"
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"PORTAL_ENV must be one of {', '.join(CONFIGS)}; got {name!r}."
        ) from None
