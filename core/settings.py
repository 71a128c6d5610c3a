"""Platform settings, read from the environment (prefix ``SKILLPASS_``, plus ``DATABASE_URL``).

Only the composition root (``skillpass.app``) and the CLI call :func:`get_settings`; everything else
receives a :class:`Settings` instance.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "change-me-development-only"


class Settings(BaseSettings):
    """Everything the platform can be configured with."""

    # hide_input_in_errors: a refused setting must not echo the secrets it was given.
    model_config = SettingsConfigDict(env_prefix="SKILLPASS_", extra="ignore", hide_input_in_errors=True)

    environment: str = Field("development", description="development, test or production")
    database_url: str = Field(
        f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'skillpass.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "SKILLPASS_DATABASE_URL"),
        description="SQLAlchemy URL; postgresql://… switches to PostgreSQL (asyncpg).",
    )
    data_dir: Path = Field(PROJECT_ROOT / "var", description="Files the platform keeps (uploads, overlays).")
    secret_key: str = Field(DEFAULT_SECRET, description="Signs sessions and CSRF tokens.")
    master_key: str = Field(
        DEFAULT_SECRET, description="Encrypts issuer private keys at rest (any string; a key is derived)."
    )
    base_url: str = Field("http://127.0.0.1:8000", description="Public URL used in issued credentials.")
    did_web_host: str = Field("", description="Host for did:web issuer ids (default: host of base_url).")
    debug: bool = False
    database_pool: bool = Field(True, description="Pool PostgreSQL connections (tests turn it off: each test "
                                                  "client runs the app on its own event loop).")
    database_pool_size: int = Field(5, description="PostgreSQL connections each server process keeps open.")
    database_max_overflow: int = Field(5, description="Extra PostgreSQL connections a process may open in a burst.")
    database_pool_timeout: float = Field(10.0, description="Seconds a request waits for a free connection (then 500).")
    database_pool_recycle: int = Field(1800, description="Seconds after which a pooled connection is replaced.")
    api_key_touch_seconds: int = Field(300, description="An API key's last_used_at is written at most this often.")
    max_body_bytes: int = Field(8 * 1024 * 1024, description="Largest request body accepted (413 above).")
    login_attempts: int = Field(5, description="Failed sign-ins allowed per email and address per window.")
    login_window_seconds: int = 300
    session_max_age: int = 14 * 24 * 3600
    log_level: str = "INFO"
    warm_models: bool = Field(True, description="At start-up, fit the text-to-DSS mapper and build the "
                                                "candidate index in the background.")
    smtp_host: str = Field("", description="SMTP server for mail; empty: development/test write .eml files "
                                           "under {data_dir}/outbox/ instead (required elsewhere).")
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = Field(True, description="Upgrade the connection with STARTTLS (port 587).")
    smtp_tls: bool = Field(False, description="Connect with implicit TLS (port 465); STARTTLS is then unused.")
    smtp_timeout: float = 15.0
    mail_from: str = Field("skillpass <no-reply@skillpass.localhost>", description="From: of every mail.")
    confirm_token_hours: int = Field(48, description="How long an email confirmation link stays valid.")
    confirm_mails_per_hour: int = Field(3, description="Confirmation mails one account may ask for per hour.")
    orgs_per_day: int = Field(3, description="Organizations one account may create per 24 hours.")
    trust_registry_fetch: bool = Field(False, description="Let `skillpass trust refresh` download registries "
                                                          "recorded with an https URL (never on the request path).")
    org_domain_check_fetch: bool = Field(False, description="Fetch an organization's domain proof "
                                                            "(/.well-known/…) when it asks to be verified; "
                                                            "off: an operator checks it by hand.")
    webhooks_allow_private: bool = Field(False, description="Let webhook endpoints use http and private or "
                                                            "loopback addresses (tests, a local receiver); "
                                                            "off: https to public addresses only.")
    ob_consumer_enabled: bool = Field(False, description="Let learners connect another Open Badges 3.0 Host "
                                                         "and push badges to it (skillpass then calls that "
                                                         "Host on the learner's request); off: no such call.")
    ob_consumer_allow_http_loopback: bool = Field(False, description="Let a connected OB 3.0 Host be http on a "
                                                                     "loopback address (tests, a local Host); "
                                                                     "off: https to public addresses only.")
    ob_consumer_timeout: float = Field(10.0, description="Seconds one call to a connected OB 3.0 Host may take.")
    ob_consumer_max_bytes: int = Field(2 * 1024 * 1024, description="Largest answer read from a connected "
                                                                    "OB 3.0 Host (bigger: refused).")

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> "Settings":
        if self.environment not in {"development", "test"}:
            for name in ("secret_key", "master_key"):
                if getattr(self, name) == DEFAULT_SECRET or len(getattr(self, name)) < 16:
                    raise ValueError(f"SKILLPASS_{name.upper()} must be set to a strong secret outside development")
            if not self.smtp_host:
                raise ValueError("SKILLPASS_SMTP_HOST must be set outside development: without it no email "
                                 "confirmation can be sent (development and test write mails to var/outbox/)")
            if "base_url" not in self.model_fields_set:
                # every credential names it (issuer did:web, status lists): a server and its batch workers
                # that each guessed a default would sign credentials naming different hosts
                raise ValueError("SKILLPASS_BASE_URL must be set outside development: it is written into every "
                                 "credential, and the server and every worker must share it")
        return self

    @property
    def is_sqlite(self) -> bool:
        return async_database_url(self.database_url).startswith("sqlite")

    @property
    def async_database_url(self) -> str:
        return async_database_url(self.database_url)

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over https: always outside development/test (TLS ends at the proxy in front)."""
        return self.environment not in {"development", "test"} or self.base_url.startswith("https://")


def async_database_url(url: str) -> str:
    """Map plain URLs to the async drivers the platform uses (asyncpg, aiosqlite)."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql+psycopg://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain):]
    return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
