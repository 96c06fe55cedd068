"""Settings, read from the environment with safe defaults for the embedded (SQLite) setup."""

import os
import secrets
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from tenantvoice import clock
from tenantvoice.crypto import DEV_ENCRYPTION_KEY, EncryptionKeyError, check_keys, keys_from

ROOT = Path(__file__).resolve().parent.parent

#: Secrets that must never run in production (the test and documentation values).
KNOWN_WEAK_SECRETS = {"", "dev", "test", "changeme", "secret"}


#: The privacy officer's address outside production (a placeholder nobody reads).
DEV_PRIVACY_OFFICER_EMAIL = "vie-privee@tenantvoice.local"


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete for the chosen environment."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip().lower() for item in value.split(",") if item.strip()]


def _days(name: str, default: int) -> timedelta:
    return timedelta(days=int(os.environ.get(name, str(default))))


class Config:
    """Defaults for development and the embedded deployment; every value can come from the env."""

    ENV_NAME = os.environ.get("TENANTVOICE_ENV", "development")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")  # filled in create_app
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = os.environ.get("SECRET_KEY", "")

    LANGUAGES = ["fr_CA", "en"]
    BABEL_DEFAULT_LOCALE = "fr_CA"
    BABEL_DEFAULT_TIMEZONE = "America/Montreal"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    # Sessions: a server-side row per login (see accounts.sessions); the cookie only names it.
    SESSION_COOKIE_NAME = "tv_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    #: The cookie is re-sent only when the session changes (login, a flash, a CSRF token...),
    #: not on every response: the cookie's lifetime equals the absolute lifetime below, and the
    #: idle timeout is kept server-side (the session row's last_seen_at), so re-sending it would
    #: only add ~300 bytes to each response and let a late response put back an older cookie.
    SESSION_REFRESH_EACH_REQUEST = False
    #: Idle time after which a tenant's session ends (a long meeting never comes close).
    SESSION_IDLE_TIMEOUT = timedelta(days=7)
    #: Staff sessions end sooner: they open registers and dashboards across many buildings.
    STAFF_SESSION_IDLE_TIMEOUT = timedelta(hours=12)
    #: Absolute lifetime of any session, active or not.
    SESSION_ABSOLUTE_LIFETIME = timedelta(days=30)

    # CSRF tokens live as long as the session, so a four-hour meeting never loses a form.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = False

    # Rate limits: memory for the single-process embedded setup; Redis when scaled out.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "tv")
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_ENABLED = True
    #: Redis down: keep serving (logins, /forgot, /join) with per-process in-memory counters and
    #: a warning in the log, instead of answering 500; the storage is tried again as it recovers.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True

    #: Where the app is reached (scheme, host, any path prefix): every absolute link in mail,
    #: push, printed invitation sheets and calendar feeds is built on it, never on a request's
    #: Host header. Required in production (https); development defaults to the local server.
    BASE_URL = os.environ.get("BASE_URL", "").rstrip("/")
    #: Host names the app answers to (others get 400). Empty: in production, BASE_URL's host
    #: only; elsewhere any host (the development server is reached by many names).
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS", [])
    #: How many reverse proxies (load balancer, nginx) stand in front of the app and append to
    #: X-Forwarded-For / X-Forwarded-Proto: werkzeug's ProxyFix trusts exactly that many hops,
    #: so rate limits see the client's address. 0 (the default): trust no forwarded header.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Mail: "smtp" sends, "file" writes .eml files under instance/mail (development and demo:
    # nothing leaves the machine; admins read them at /admin/mail), "memory" (tests).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    #: STARTTLS on a plain connection (port 587), or implicit TLS from the first byte (465).
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "15"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "TenantVoice <no-reply@tenantvoice.local>")

    # Outbox (tenantvoice.outbox): the worker retries a failed delivery after OUTBOX_RETRY_BASE,
    # doubling each time (at most 6 h), and gives up after OUTBOX_MAX_ATTEMPTS tries.
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_RETRY_BASE = timedelta(minutes=1)
    #: How long a worker owns a delivery it claimed; after that (it died) another one retries.
    OUTBOX_CLAIM_LEASE = timedelta(seconds=int(os.environ.get("OUTBOX_CLAIM_LEASE_SECONDS", "600")))

    #: The job queue (huey): "" keeps it in instance/huey.sqlite3 (embedded); "redis://…" in
    #: production; "memory://" in tests. Its jobs are delivery kicks and the periodic jobs.
    TASK_QUEUE_URL = os.environ.get("TASK_QUEUE_URL", "")
    TASK_QUEUE_NAME = os.environ.get("TASK_QUEUE_NAME", "tenantvoice")

    #: Secret ballots on PostgreSQL: after a close, how long the compaction waits for the
    #: transactions older than the close to end before leaving the work owed to the worker's
    #: periodic job (tenantvoice.ballots.storage). Tests wait less: the other test worker's
    #: transactions are always running, and the job's retry is what they check.
    BALLOT_COMPACT_WAIT_SECONDS = float(os.environ.get("BALLOT_COMPACT_WAIT_SECONDS", "5"))

    #: Development and tests only (refused in production): run the project clock this many
    #: seconds ahead of the system clock (behind if negative), so the worker processes a test
    #: starts read the same time as the test (tests/outbox/test_worker_process.py under
    #: TV_TEST_NOW). An offset, not an instant: a process that takes seconds to start agrees
    #: to the microsecond with the one that started it.
    CLOCK_OFFSET_SECONDS = float(os.environ.get("TENANTVOICE_CLOCK_OFFSET_SECONDS", "0"))

    # Web push: VAPID key from the environment (production, every server the same), else
    # generated once into instance/vapid_private.pem. Endpoints only on these push services.
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:no-reply@tenantvoice.local")
    PUSH_SERVICE_HOSTS = _list(
        "PUSH_SERVICE_HOSTS",
        [
            "fcm.googleapis.com",
            "updates.push.services.mozilla.com",
            "web.push.apple.com",
            "*.notify.windows.com",
        ],
    )
    #: Loopback push endpoints (a local receiver): honoured only when TESTING.
    PUSH_ALLOW_LOOPBACK = False
    #: How long a push service keeps a message for a phone that is off.
    PUSH_TTL = int(os.environ.get("PUSH_TTL", str(24 * 3600)))

    # Notifications: default quiet hours (push held until their end, Montréal time), and the
    # local hour digests go out (weekly ones on Monday).
    NOTIFY_QUIET_START = time(21, 0)
    NOTIFY_QUIET_END = time(8, 0)
    DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))

    #: Fernet key(s) encrypting TOTP secrets and the codes a session keeps server-side (comma-
    #: separated: the first encrypts, all decrypt). Empty: the public development key, which
    #: production refuses. Make one with
    #: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
    ENCRYPTION_KEY = os.environ.get("ENCRYPTION_KEY", "")

    #: Staff (OC, ISC, direction, admin) must pass a TOTP second factor. Off only in the demo,
    #: and every page says so when it is off.
    REQUIRE_STAFF_2FA = _bool("REQUIRE_STAFF_2FA", True)

    INVITATION_LIFETIME = timedelta(days=14)
    RESET_LINK_LIFETIME = timedelta(hours=1)
    RESET_CODE_LIFETIME = timedelta(hours=24)
    #: Wrong codes typed with one person's email or phone before their live reset code is held
    #: back for RESET_CODE_LOCK, twice as long after each further round of wrong tries (counted
    #: in the database: holds across addresses and processes). It is never burnt: someone who
    #: knows the person's email or phone could otherwise destroy their code on purpose.
    RESET_CODE_TRIES = 5
    RESET_CODE_LOCK = timedelta(minutes=15)

    # Retention (Law 25 s. 23, Q-09): `flask purge` (nightly) deletes what has served its purpose.
    #: Sent or abandoned mail and push (recipient, subject, times), from delivery or giving up.
    RETENTION_OUTBOX = _days("RETENTION_OUTBOX_DAYS", 30)
    #: Notifications in the app: read ones after this long, unread ones after a year.
    RETENTION_NOTIFICATIONS_READ = _days("RETENTION_NOTIFICATIONS_READ_DAYS", 90)
    RETENTION_NOTIFICATIONS = _days("RETENTION_NOTIFICATIONS_DAYS", 365)
    #: A phone's push subscription unused (no delivery, no renewal) for this long.
    RETENTION_PUSH_SUBSCRIPTIONS = _days("RETENTION_PUSH_SUBSCRIPTIONS_DAYS", 180)
    #: Reset links, counted from their use or expiry.
    RETENTION_RESET_TOKENS = _days("RETENTION_RESET_TOKENS_DAYS", 7)
    #: Officers' reset codes (who issued which, for the notice at next login), from use or expiry.
    RETENTION_RESET_CODES = _days("RETENTION_RESET_CODES_DAYS", 90)
    #: Unused invitations, from expiry or revocation; used ones stay (who joined, and when).
    RETENTION_INVITATIONS = _days("RETENTION_INVITATIONS_DAYS", 90)
    #: Incident register entries, their alerts and their audit events: at least 5 years (Law 25
    #: s. 3.8 and its regulation); 1827 days cover five years with two leap days.
    RETENTION_INCIDENTS = _days("RETENTION_INCIDENTS_DAYS", 1827)
    #: Every other audit event: 3 years (the general limitation period, Civil Code art. 2925).
    RETENTION_AUDIT = _days("RETENTION_AUDIT_DAYS", 1096)
    #: RSVPs, counted from the meeting's start: the attendance register is the record.
    RETENTION_RSVPS = _days("RETENTION_RSVPS_DAYS", 365)
    #: Counted views of small cells: long enough to see a pattern, then gone.
    RETENTION_SMALL_CELL_VIEWS = _days("RETENTION_SMALL_CELL_VIEWS_DAYS", 30)
    #: The small-cell alert: this many views of suppressed cells by one direction account…
    SMALL_CELL_ALERT_COUNT = int(os.environ.get("SMALL_CELL_ALERT_COUNT", "10"))
    #: …within this window.
    SMALL_CELL_ALERT_WINDOW = timedelta(
        minutes=int(os.environ.get("SMALL_CELL_ALERT_WINDOW_MINUTES", "60"))
    )

    #: Contact of the person in charge of privacy (Law 25, s. 3.1), shown on the privacy page.
    #: Required in production (Q-01: "title and contact details"); development and tests show
    #: the translated default (privacy/views.py), in the reader's language.
    PRIVACY_OFFICER_TITLE = os.environ.get("PRIVACY_OFFICER_TITLE", "")
    #: The privacy policy's version (privacy page, and every line of the consent log): raise it
    #: whenever the policy's text changes what is collected or why.
    PRIVACY_POLICY_VERSION = "2026-12"
    #: How long a "download my data" file waits for its owner before the worker deletes it.
    DATA_EXPORT_LIFETIME = timedelta(hours=24)
    #: Required in production (a real address people can write to); development and tests
    #: fall back to DEV_PRIVACY_OFFICER_EMAIL, which production refuses.
    PRIVACY_OFFICER_EMAIL = os.environ.get("PRIVACY_OFFICER_EMAIL", "")

    #: Flask-Compress's list, plus calendar feeds (a region's feed is hundreds of KB of text).
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/plain",
        "text/xml",
        "text/x-component",
        "text/javascript",
        "text/calendar",
        "application/x-javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "application/vnd.api+json",
        "application/xml",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/vnd.ms-fontobject",
        "application/x-font-ttf",
        "application/x-font-opentype",
        "application/x-font-truetype",
        "image/svg+xml",
        "image/x-icon",
        "image/vnd.microsoft.icon",
        "font/ttf",
        "font/eot",
        "font/otf",
        "font/opentype",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "deflate"]
    COMPRESS_REGISTER = True
    SEND_FILE_MAX_AGE_DEFAULT = timedelta(days=365)  # static URLs carry a content hash

    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    TESTING = False
    DEBUG = False


def finalize(app) -> None:
    """Fill the values that depend on the instance folder, and refuse unsafe production setups."""
    cfg = app.config
    production = cfg.get("ENV_NAME") == "production"
    instance = Path(app.instance_path)
    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        instance.mkdir(parents=True, exist_ok=True)
        cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'tenantvoice.sqlite3'}"
    uri = cfg["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):  # Heroku-style URLs
        uri = "postgresql+psycopg://" + uri[len("postgres://") :]
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    cfg["SQLALCHEMY_DATABASE_URI"] = uri

    if cfg.get("CLOCK_OFFSET_SECONDS"):
        if production:
            raise ConfigError("TENANTVOICE_CLOCK_OFFSET_SECONDS is for development and tests.")
        clock.set(datetime.now(UTC) + timedelta(seconds=cfg["CLOCK_OFFSET_SECONDS"]))

    base_url = (cfg.get("BASE_URL") or "").rstrip("/")
    if production:
        if cfg.get("SECRET_KEY", "") in KNOWN_WEAK_SECRETS or len(cfg["SECRET_KEY"]) < 32:
            raise ConfigError(
                "TENANTVOICE_ENV=production needs SECRET_KEY (32+ random characters)."
            )
        parts = urlsplit(base_url)
        if parts.scheme != "https" or not parts.hostname:
            raise ConfigError(
                "TENANTVOICE_ENV=production needs BASE_URL, the https address people reach "
                "(e.g. https://tenantvoice.example.org): links in mail are built on it."
            )
        if not cfg.get("TRUSTED_HOSTS"):
            cfg["TRUSTED_HOSTS"] = [parts.hostname]
        keys = keys_from(cfg.get("ENCRYPTION_KEY", ""))
        if not keys or DEV_ENCRYPTION_KEY in keys:
            raise ConfigError(
                "TENANTVOICE_ENV=production needs ENCRYPTION_KEY (a Fernet key of its own, not "
                "the development key): TOTP secrets are encrypted with it."
            )
        cfg["SESSION_COOKIE_SECURE"] = True
        cfg["SESSION_COOKIE_NAME"] = "__Host-tv_session"
        cfg["REQUIRE_STAFF_2FA"] = True
        cfg["DEBUG"] = False
    elif not cfg.get("SECRET_KEY"):
        # A development secret is generated once into instance/, never committed.
        instance.mkdir(parents=True, exist_ok=True)
        key_file = instance / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        cfg["SECRET_KEY"] = key_file.read_text().strip()
    if not cfg.get("ENCRYPTION_KEY"):
        cfg["ENCRYPTION_KEY"] = DEV_ENCRYPTION_KEY
    try:
        check_keys(cfg["ENCRYPTION_KEY"])
    except EncryptionKeyError as error:
        raise ConfigError(str(error)) from error
    officer = (cfg.get("PRIVACY_OFFICER_EMAIL") or "").strip()
    if production and (
        not officer or officer == DEV_PRIVACY_OFFICER_EMAIL or officer.endswith(".local")
    ):
        raise ConfigError(
            "TENANTVOICE_ENV=production needs PRIVACY_OFFICER_EMAIL, the address of the person "
            "in charge of privacy (Law 25, s. 3.1), shown on the privacy page."
        )
    cfg["PRIVACY_OFFICER_EMAIL"] = officer or DEV_PRIVACY_OFFICER_EMAIL
    cfg["PRIVACY_OFFICER_TITLE"] = (cfg.get("PRIVACY_OFFICER_TITLE") or "").strip()
    if production and not cfg["PRIVACY_OFFICER_TITLE"]:
        raise ConfigError(
            "TENANTVOICE_ENV=production needs PRIVACY_OFFICER_TITLE, the title of the person in "
            "charge of privacy (Law 25, s. 3.1), shown on the privacy page."
        )
    if str(cfg.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis://", "rediss://")):
        # A Redis that hangs must not hang every login: give up quickly and fall back.
        cfg.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1}
        )
    cfg["BASE_URL"] = base_url or "http://127.0.0.1:5000"
    # Flask (3.1) answers 400 to a request whose Host is not in this list; None: any host.
    cfg["TRUSTED_HOSTS"] = list(cfg.get("TRUSTED_HOSTS") or []) or None
