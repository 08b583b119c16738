"""Settings every service reads from `NEWSROOM_*` environment variables."""

from __future__ import annotations

import difflib
import fcntl
import os
import socket
import uuid
from pathlib import Path
from typing import Final, Literal, Self
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX: Final = "NEWSROOM_"
HARNESS_VARIABLES: Final = frozenset(
    {"NEWSROOM_TEST_REDIS_URL", "NEWSROOM_TEST_BACKEND", "NEWSROOM_REQUIRE_DOCKER"}
)
"""Read by the test harness, not by the services (README, Settings)."""
LOG_LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

EMBEDDED_URL_FILE: Final = "valkey.url"
"""In NEWSROOM_DATA_DIR while `newsroom up` runs its embedded server: how other commands find it."""
LOCK_FILE: Final = "newsroom.lock"
"""Held (flock) by the `newsroom up` that runs the embedded server in NEWSROOM_DATA_DIR."""


def _locked(path: Path) -> bool:
    """Whether a live process holds the flock on `path` (a crashed holder releases it)."""
    try:
        with path.open("a") as f:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(f, fcntl.LOCK_UN)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


MAX_CLAIM_IDLE_MS: Final = 30 * 24 * 3_600_000
"""30 days: the server takes idle times up to 2^63 ms, and a hand-back asks for ten times this."""

REDIS_URL_SCHEMES: Final = ("redis://", "rediss://", "unix://")
"""What redis-py connects with (Valkey answers on the same URLs)."""


class SettingsError(Exception):
    """The environment does not describe a valid configuration; the message names each variable."""


class NewsroomSettings(BaseSettings):
    """One typed view of the environment; services subclass it for their own knobs."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, env_ignore_empty=True, extra="ignore")

    redis_url: str | None = Field(
        default=None, description="Redis/Valkey URL; unset means `newsroom up` starts an embedded Valkey."
    )
    data_dir: Path = Field(default=Path(".newsroom"), description="Embedded server data (AOF) and run files.")
    timezone: str = Field(default="UTC", description="Newsroom time zone for naive datetimes.")
    host: str = Field(default="127.0.0.1", description="Address the HTTP servers bind to.")
    ingest_port: int = Field(default=8001, ge=1, le=65_535)
    enrich_port: int = Field(default=8002, ge=1, le=65_535)
    publish_port: int = Field(default=8003, ge=1, le=65_535)
    public_base_url: str = Field(
        default="", description="Base of article URLs; defaults to http://<host>:<publish_port>."
    )
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING, ERROR or CRITICAL.")
    consumer_name: str | None = Field(default=None, description="Unique per process; derived if unset.")
    batch_size: int = Field(default=64, ge=1, le=10_000, description="Entries per XREADGROUP.")
    block_ms: int = Field(
        default=500,
        ge=1,
        le=10_000,
        description="XREADGROUP BLOCK time; at most 10 s, since a consumer says it is alive between reads.",
    )
    max_attempts: int = Field(default=5, ge=1, description="Deliveries before an entry is dead-lettered.")
    retry_base_ms: int = Field(default=200, ge=0, description="First retry delay; doubles per attempt.")
    retry_max_ms: int = Field(default=10_000, ge=0)
    claim_idle_ms: int = Field(
        default=30_000,
        ge=100,
        le=MAX_CLAIM_IDLE_MS,
        description="Idle time after which another consumer's entry is reclaimed.",
    )
    claim_interval_ms: int = Field(default=2_000, ge=50, description="How often to look for such entries.")
    consumer_gc_idle_ms: int = Field(
        default=3_600_000, ge=1_000, description="Consumers idle this long and holding nothing are removed."
    )
    retention_ms: int = Field(
        default=7 * 24 * 3_600_000,
        ge=0,
        description="Acknowledged entries younger than this are kept for replay; older are trimmed.",
    )
    shutdown_timeout_s: float = Field(default=10.0, gt=0, description="Grace period on SIGTERM.")
    appendfsync: Literal["everysec", "always", "no"] = Field(
        default="everysec", description="AOF fsync policy of the embedded server."
    )
    enrich_enabled: bool = Field(
        default=True, description="Off forwards articles unenriched (the relay benchmark)."
    )
    fault_poison: str = Field(default="", description="Testing only: see newsroom_shared.faults.")
    fault_flaky: str = Field(default="", description="Testing only: see newsroom_shared.faults.")
    fault_stages: str = Field(default="", description="Testing only: see newsroom_shared.faults.")
    max_request_bytes: int = Field(
        default=1_048_576,
        ge=1,
        le=4 * 1024 * 1024,
        description="Largest accepted request body; at most 4 MiB, the importers' own limit.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {value!r}") from e
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(REDIS_URL_SCHEMES):
            raise ValueError(f"must start with one of {', '.join(REDIS_URL_SCHEMES)}")
        url = urlsplit(value)
        try:
            url.port  # noqa: B018 - read for its check: a number in 0..65535
        except ValueError as e:
            raise ValueError(f"has a bad port: {e}") from None
        path = url.path.strip("/") or "0"
        if url.scheme != "unix" and not (path.isascii() and path.isdigit()):
            raise ValueError(f"the database after the host must be a number (got {path!r})")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _absolute_http_url(cls, value: str) -> str:
        url = urlsplit(value)
        if value and (url.scheme not in ("http", "https") or not url.netloc or url.query or url.fragment):
            raise ValueError(
                "must be an absolute http(s) URL without query or fragment, e.g. https://news.example.com"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"unknown log level {value!r}; expected one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.retry_max_ms < self.retry_base_ms:
            raise ValueError(
                f"NEWSROOM_RETRY_MAX_MS ({self.retry_max_ms}) is below "
                f"NEWSROOM_RETRY_BASE_MS ({self.retry_base_ms})"
            )
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def resolved_redis_url(self) -> str:
        """The server to use: NEWSROOM_REDIS_URL, else the embedded one a running `newsroom up` in
        the same NEWSROOM_DATA_DIR announced (so `newsroom dlq` works beside `make demo`)."""
        if self.redis_url:
            return self.redis_url
        announced = self.data_dir / EMBEDDED_URL_FILE
        if announced.is_file() and _locked(self.data_dir / LOCK_FILE):  # else left by a killed `up`
            return announced.read_text().strip()
        raise SettingsError(
            "NEWSROOM_REDIS_URL is not set and no `newsroom up` is running in NEWSROOM_DATA_DIR "
            f"({self.data_dir}): start one, or point NEWSROOM_REDIS_URL at a Redis/Valkey server"
        )

    def unique_consumer_name(self, service: str) -> str:
        """Host + pid + random suffix, so replicas and restarts never share a pending list."""
        if self.consumer_name:
            return self.consumer_name
        return f"{service}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"

    def publish_base_url(self) -> str:
        return self.public_base_url.rstrip("/") or http_base(self.host, self.publish_port)


def http_base(host: str, port: int) -> str:
    """http://host:port, with an IPv6 address in brackets."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def unknown_variables() -> list[str]:
    """A misspelt variable would otherwise be ignored and its default used without a word."""
    names = {PREFIX + name.upper() for name in NewsroomSettings.model_fields}
    found = []
    for variable in sorted(os.environ):
        if variable.startswith(PREFIX) and variable not in names | HARNESS_VARIABLES:
            close = difflib.get_close_matches(variable, sorted(names), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            found.append(f"unknown setting {variable}{hint} (README, Settings)")
    return found


def load_settings() -> NewsroomSettings:
    """The settings, or a SettingsError naming each variable that is wrong and why."""
    lines = [f"  environment: {u}" for u in unknown_variables()]
    try:
        settings = NewsroomSettings()
    except ValidationError as e:
        for err in e.errors():
            where = PREFIX + ".".join(str(p) for p in err["loc"]).upper() if err["loc"] else "environment"
            given = f" (got {err['input']!r})" if err["loc"] else ""
            lines.append(f"  {where}: {err['msg'].removeprefix('Value error, ')}{given}")
    if lines:
        raise SettingsError("invalid configuration:\n" + "\n".join(lines))
    return settings
