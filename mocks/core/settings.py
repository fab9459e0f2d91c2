"""Settings every mock shares; dialect settings subclass ``CoreSettings``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mocks.core.auth import MAX_TOKEN_BYTES, well_formed_token
from mocks.core.errors import ConfigError
from mocks.core.redact import MASK, redact_url

S = TypeVar("S", bound="CoreSettings")


class CoreSettings(BaseModel):
    """Persistence, tokens, limits, journal and faults of one mock."""

    model_config = ConfigDict(extra="forbid")

    db_url: str = "sqlite:///mock.sqlite"
    """SQLAlchemy URL: a SQLite file (default) or ``postgresql://user:pw@host/db``."""
    admin_token: str = "tillbench-admin"
    """Bearer token of the ``/admin`` API; API tokens do not grant it."""
    api_tokens: dict[str, str] = Field(default_factory=lambda: {"tillbench-token": "default"})
    """Accepted API bearer tokens, mapped to the principal (user) they stand for."""
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    """Larger request bodies get 413."""
    journal: bool = True
    """Record every API request in the journal table."""
    journal_flush_interval: float = Field(default=0.2, gt=0.0, le=10.0)
    """Seconds a journal row may wait in memory before it is written."""
    seed: int = 0
    """Seed of the random generators (faults, latency)."""
    faults: list[dict[str, Any]] = Field(default_factory=list)
    """The scenario's ``faults`` timeline (entries for other mocks are ignored)."""
    start: datetime | None = None
    """Simulated time at which the run starts (the timeline's ``HH:MM`` refer to its day)."""
    speed: float = Field(default=1.0, gt=0.0)
    """Simulated seconds per wall second."""
    hang_seconds: float = Field(default=300.0, gt=0.0)
    """Longest time a ``hang`` outage holds a request before resetting it."""
    workers: int = Field(default=1, ge=1, le=64)
    """Processes serving this mock (``serve`` sets it); per-process limits are split by it."""
    fault_sync_interval: float = Field(default=0.5, gt=0.0)
    """Seconds between reloads of runtime faults shared by workers through the database."""

    @field_validator("admin_token")
    @classmethod
    def _admin_token_shape(cls, token: str) -> str:
        _check_token(token)
        return token

    @field_validator("api_tokens")
    @classmethod
    def _api_token_shape(cls, tokens: dict[str, str]) -> dict[str, str]:
        for token in tokens:
            _check_token(token)
        return tokens


_SECRET_FIELDS = ("admin_token", "api_tokens")


def _check_token(token: str) -> None:
    if not well_formed_token(token.encode("utf-8", "surrogatepass")):
        raise ValueError(
            f"a bearer token is 1 to {MAX_TOKEN_BYTES} characters of letters, digits and "
            "-._~+/ (then = padding)"
        )


def _shown(field: str, value: object) -> object:
    """The value a configuration error may show: secrets masked."""
    if any(secret in field for secret in _SECRET_FIELDS):
        return MASK
    if field.endswith("db_url"):
        return redact_url(value if isinstance(value, str) else repr(value))
    return value


def load_settings(model: type[S], data: object, *, where: str = "") -> S:
    """Validate ``data`` (a mapping or a model); errors name the field and the value."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data or {})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in first["loc"])
        field = ".".join(p for p in (where, loc) if p) or "settings"
        message = first["msg"].removeprefix("Value error, ")
        shown = _shown(field, first.get("input"))
        raise ConfigError(field, shown, message[:1].lower() + message[1:]) from None
