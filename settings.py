"""Configuration of Pantau Koperasi NTT: one typed object read from environment variables."""
from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent

# The value shipped in the code; production refuses to start with it (see `Settings.is_default_secret`).
DEFAULT_SECRET_KEY = "pantau-koperasi-dev-secret-change-me"


class SettingsError(SystemExit):
    """Raised when an environment variable holds a value the application cannot use."""


class Settings(BaseSettings):
    """Every setting the application reads. Each field is an environment variable of the same name."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=True, extra="ignore")

    DATABASE_URL: str = Field(
        default="sqlite:///data/warehouse.db",
        description="SQLAlchemy URL of the warehouse. A relative SQLite path is relative to the project folder.",
    )
    DATA_DIR: Path = Field(default=PROJECT_DIR / "data", description="Folder for the inbox, processed/rejected files, demo files and caches.")
    BOUNDARIES_PATH: Path = Field(
        default=PROJECT_DIR / "data" / "boundaries" / "ntt_regencies.geojson",
        description="GeoJSON of the 22 kabupaten/kota boundaries (feature property `code` = Kemendagri code).",
    )
    HOST: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    PORT: int = Field(default=8050, ge=1, le=65535, description="Port the web server listens on.")
    LANGUAGE: Literal["id", "en"] = Field(default="id", description="Default interface language (id or en).")
    SCHEDULER: Literal["embedded", "off"] = Field(
        default="embedded", description="embedded: run the ingest scheduler inside `python app.py`; off: run it separately."
    )
    SECRET_KEY: str = Field(default=DEFAULT_SECRET_KEY, min_length=16, description="Key that signs sessions and cookies.")
    ENVIRONMENT: Literal["development", "production"] = Field(
        default="development", description="production refuses the default SECRET_KEY."
    )
    DEMO: Literal["auto", "off"] = Field(
        default="auto",
        description="auto: on an empty warehouse (outside production) build and load the simulated province; off: never.",
    )
    PLATFORM_API_URL: str = Field(default="", description="Base URL of the reporting platform API (empty: the source is off).")
    PLATFORM_API_TOKEN: str = Field(default="", description="Bearer token for the platform API.")
    ACCESS_CONTROL: Literal["on", "off"] = Field(
        default="on",
        description="on: log-in, roles and kabupaten scope (see README); off: every page open to everyone — only for "
                    "development and page-content tests, refused in production.",
    )
    WEB_SERVER: Literal["waitress", "werkzeug"] = Field(
        default="waitress",
        description="waitress: `python app.py` serves through waitress, a production WSGI server; werkzeug: Flask's "
                    "development server (also with --debug).",
    )
    WEB_THREADS: int = Field(
        default=0, ge=0, le=256,
        description="waitress's worker threads; 0 = four per CPU core, at least 8 (requests mostly wait on the "
                    "database and the cache).",
    )
    SESSION_IDLE_MINUTES: int = Field(
        default=60, ge=1, le=24 * 60, description="A login session ends after this many minutes without a request."
    )
    SESSION_MAX_HOURS: int = Field(
        default=10, ge=1, le=24 * 7, description="A login session ends this many hours after the login, used or not."
    )
    MAX_REQUEST_MB: float = Field(
        default=5, gt=0, le=200,
        description="Largest request body the web app reads (Dash callbacks, forms); larger ones get 413.",
    )
    CACHE_URL: str = Field(
        default="",
        description="Where query results are cached, keyed on the data version and shared by every worker: empty = "
                    "files under DATA_DIR/cache; redis://host:port/db = Redis; memory = this process only.",
    )
    INBOX_MAX_BYTES: int = Field(
        default=20_000_000, ge=1, description="Largest file (bytes) the ingest reads; a bigger one is rejected whole before parsing.")
    INBOX_MAX_ROWS: int = Field(
        default=300_000, ge=1, description="Most rows a CSV file may hold; checked before parsing.")
    INBOX_MAX_WORKBOOK_ROWS: int = Field(
        default=100_000, ge=1,
        description="Most rows an XLSX workbook (all sheets together) may hold, checked before parsing: a workbook "
                    "parses some 100 times slower than a CSV file (bigger ones: send CSV).")
    UPLOAD_MAX_MB: float = Field(
        default=10, gt=0, le=100,
        description="Largest file (MB) a user may send on the Kirim Laporan page; a bigger one is refused with a "
                    "message, before it is read.")
    UPLOAD_MAX_ROWS: int = Field(
        default=50_000, ge=1, description="Most rows a file sent on the Kirim Laporan page may hold.")
    UPLOAD_MAX_FILES: int = Field(default=10, ge=1, le=50, description="Most files sent at once on Kirim Laporan.")
    SMTP_URL: str = Field(
        default="",
        description="Mail server of the daily alert digest: smtp://host:port (plain), smtp+starttls://user:pass@host:587 "
                    "or smtps://user:pass@host:465 (TLS); empty = no e-mail is sent.")
    MAIL_FROM: str = Field(default="Pantau Koperasi NTT <pantau@localhost>", min_length=3, max_length=200,
                           description="Sender of the daily alert digest.")
    PUBLIC_URL: str = Field(
        default="",
        description="The dashboard's address as readers reach it (https://pantau.example.go.id), for the links in "
                    "e-mails; empty = http://HOST:PORT.")
    SCHEDULE_FILE: Path = Field(default=PROJECT_DIR / "ingest" / "schedule.toml", description="Sources and their cron schedules.")
    OFFICE_NAME: str = Field(
        default="Dinas Koperasi dan UKM Provinsi NTT", min_length=3, max_length=120,
        description="The office that runs the dashboard, as every page's footer names it (since 2025 the Dinas "
                    "Koperasi dan UKM; earlier Diskopnakertrans).")
    PROVINCE_NAME: str = Field(
        default="Nusa Tenggara Timur", min_length=3, max_length=80,
        description="The province the dashboard covers, as the footer names it.")

    @field_validator("CACHE_URL")
    @classmethod
    def _known_cache(cls, value: str) -> str:
        if value not in ("", "memory") and not value.startswith(("redis://", "rediss://")):
            raise ValueError("must be empty (files under DATA_DIR/cache), memory, or a redis:// URL")
        return value

    @field_validator("SMTP_URL")
    @classmethod
    def _known_smtp(cls, value: str) -> str:
        if value and not value.startswith(("smtp://", "smtps://", "smtp+starttls://")):
            raise ValueError("must be empty, smtp://host:port, smtp+starttls://user:pass@host:587 or "
                             "smtps://user:pass@host:465")
        return value

    @property
    def public_url(self) -> str:
        """Where readers reach the dashboard (PUBLIC_URL, else http://HOST:PORT), without a trailing slash."""
        return (self.PUBLIC_URL or f"http://{self.HOST}:{self.PORT}").rstrip("/")

    @field_validator("DATABASE_URL")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("DATA_DIR", "BOUNDARIES_PATH", "SCHEDULE_FILE")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value if value.is_absolute() else (PROJECT_DIR / value)

    @property
    def database_url(self) -> str:
        """DATABASE_URL with a relative SQLite path resolved against the project folder."""
        url = self.DATABASE_URL
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://" and ":memory:" not in url:
            return prefix + str(PROJECT_DIR / url[len(prefix):])
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.DATABASE_URL.startswith("sqlite")

    @property
    def is_default_secret(self) -> bool:
        return self.SECRET_KEY == DEFAULT_SECRET_KEY


def load_settings(**overrides) -> Settings:
    """Read the settings; a bad value stops start-up with a message naming the variable."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "?"
            value = err.get("input")
            lines.append(f"  {name}={value!r}: {err['msg']}")
        raise SettingsError("Configuration error (environment variable):\n" + "\n".join(lines)) from None
    if settings.ENVIRONMENT == "production" and settings.is_default_secret:
        raise SettingsError(
            "Configuration error (environment variable):\n  SECRET_KEY: the default key cannot be used when "
            "ENVIRONMENT=production; set SECRET_KEY to a long random value, e.g. " + secrets.token_hex(32)
        )
    if settings.ENVIRONMENT == "production" and settings.ACCESS_CONTROL == "off":
        raise SettingsError(
            "Configuration error (environment variable):\n  ACCESS_CONTROL: 'off' cannot be used when "
            "ENVIRONMENT=production (cooperative-level figures would be open to everyone)"
        )
    return settings


if __name__ == "__main__":  # pragma: no cover - convenience
    try:
        print(load_settings().model_dump_json(indent=2))
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)


def settings_or_exit() -> Settings:
    """The settings for a command-line command; a bad value ends the command with exit code 2 and the variable's
    name on stderr (every package's cli.py starts here)."""
    import sys

    try:
        return load_settings()
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        sys.exit(2)
