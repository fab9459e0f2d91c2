"""Fault specifications: one entry of a scenario's ``faults`` list or of the admin API."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from mocks.faults.durations import parse_duration
from mocks.faults.errors import FaultError
from mocks.faults.latency import Latency


class FaultKind(StrEnum):
    """What a fault does. The first four act on HTTP requests, the last four on webhooks."""

    LATENCY = "latency"
    ERROR = "error"
    OUTAGE = "outage"
    RATE_LIMIT = "rate_limit"
    DROP = "drop"
    DUPLICATE = "duplicate"
    REORDER = "reorder"
    DELAY = "delay"
    OFFLINE = "offline"
    """A store loses its link: acted out by the simulator's driver, not by the mocks."""


HTTP_KINDS = frozenset({FaultKind.LATENCY, FaultKind.ERROR, FaultKind.OUTAGE, FaultKind.RATE_LIMIT})
WEBHOOK_KINDS = frozenset({FaultKind.DROP, FaultKind.DUPLICATE, FaultKind.REORDER, FaultKind.DELAY})


class OutageMode(StrEnum):
    """How an outage answers: a 503, a TCP reset, or silence until the client gives up."""

    UNAVAILABLE = "503"
    RESET = "reset"
    HANG = "hang"


class FaultSpec(BaseModel):
    """One fault. ``at``/``for`` place it in time; the other fields depend on ``kind``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    kind: FaultKind
    target: str = "*"
    """``erp``, ``pos``, ``pos.webhooks`` …; the part before the first dot picks the mock."""
    at: str | float | None = None
    """Timeline: ``"HH:MM"`` (scenario day), ISO datetime, or offset from start (``"5h"``)."""
    for_: str | float | None = Field(
        default=None, alias="for", validation_alias=AliasChoices("for", "duration")
    )
    """Duration; simulated time on the timeline, wall seconds at runtime; None = open-ended."""
    rate: float | None = Field(default=None, ge=0.0, le=1.0)
    """Share of requests (or webhook deliveries) affected; None = all."""
    status: int | None = Field(default=None, ge=400, le=599)
    """Status of ``error`` (default 500) and ``rate_limit`` (default 429) faults."""
    mode: OutageMode = OutageMode.UNAVAILABLE
    latency: str | float | dict[str, str | float] | None = None
    """``latency`` faults: ``"200ms"`` (fixed) or ``{median, p99}`` (lognormal)."""
    factor: float | None = Field(default=None, gt=0.0, le=1.0)
    """``rate_limit`` faults: multiply the mock's request window by this factor; without
    it, affected requests get ``status`` (429) with Retry-After."""
    delay: str | float | None = None
    """``delay`` faults: extra delay before a webhook delivery (else ``latency``)."""
    phase: Literal["before", "after"] = "before"
    """``latency`` and ``error`` faults: act before the request is processed, or ``after``
    it was processed and committed (the client then sees a slow answer or an error for a
    write that did happen — the root of double posts on retry)."""
    paths: tuple[str, ...] = ()
    """Only requests whose path starts with one of these prefixes (all when empty)."""

    @field_validator("phase", mode="before")
    @classmethod
    def _phase_null_is_before(cls, value: object) -> object:
        return "before" if value is None else value

    @field_validator("kind", mode="before")
    @classmethod
    def _normalize_kind(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.removeprefix("webhook_")
            return "error" if value == "errors" else value
        return value

    @property
    def share(self) -> float:
        """``rate``, with None meaning every request."""
        return 1.0 if self.rate is None else self.rate

    @property
    def duration(self) -> float | None:
        """``for`` in seconds, or None when open-ended."""
        return None if self.for_ is None else parse_duration(self.for_, field="for")

    @property
    def latency_model(self) -> Latency:
        """The latency distribution of a ``latency`` fault."""
        if self.latency is None:
            raise FaultError("latency", None, "a latency fault needs 'latency', e.g. '200ms'")
        return Latency.parse(self.latency)

    @property
    def delay_seconds(self) -> float:
        """``delay`` (or, as scenarios write it, ``latency``) in seconds; 0 when absent."""
        if self.delay is not None:
            return parse_duration(self.delay, field="delay")
        if isinstance(self.latency, str | int | float):
            return parse_duration(self.latency, field="latency")
        return 0.0

    @property
    def mock(self) -> str:
        """The mock this fault targets (``*`` for all)."""
        return self.target.split(".", 1)[0]

    def check(self) -> FaultSpec:
        """Raise FaultError when a kind-specific field is missing or malformed."""
        _ = self.duration
        if self.kind is FaultKind.LATENCY:
            _ = self.latency_model
        if self.kind is FaultKind.DELAY:
            _ = self.delay_seconds
        return self


def parse_fault(data: Mapping[str, Any] | FaultSpec, *, where: str = "faults") -> FaultSpec:
    """Validate one fault mapping; errors read like ``faults[2].rate: must be ≤ 1, got 3``."""
    if isinstance(data, FaultSpec):
        return data.check()
    try:
        spec = FaultSpec.model_validate(dict(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        field = f"{where}.{loc}" if loc else where
        raise FaultError(field, first.get("input"), first["msg"].lower()) from None
    try:
        return spec.check()
    except FaultError as exc:
        raise FaultError(f"{where}.{exc.field}", exc.value, exc.hint) from None
