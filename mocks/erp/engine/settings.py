"""Settings of the ERP engine, shared by every ERP dialect: the core settings plus the
scenario's ``erp`` section (capacity model, ``$batch``-style operation limit, duplicates,
posting). A dialect subclasses ``ErpSettings`` for what is its own (e.g.
``mocks.erp.bc.BcSettings``: the company, the server page size).

The scenario's ``erp`` section (``concurrency``, ``window``, ``latency``) is accepted as is;
defaults follow REFERENCE.md (Business Central's published API limits, the first dialect).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mocks.core import CoreSettings
from mocks.faults import FaultError, Latency, parse_duration


class WindowSettings(BaseModel):
    """Sliding request window per credential (Business Central: 6,000 per 5 minutes)."""

    model_config = ConfigDict(extra="forbid")

    requests: int = Field(default=6000, ge=1)
    per: str | float = "5m"

    @property
    def seconds(self) -> float:
        """Window length in seconds."""
        return parse_duration(self.per, field="window.per")

    @field_validator("per")
    @classmethod
    def _check_per(cls, value: str | float) -> str | float:
        try:
            if parse_duration(value, field="window.per") <= 0:
                raise ValueError("must be > 0")
        except FaultError as exc:
            raise ValueError(exc.hint) from None
        return value


class BatchSettings(BaseModel):
    """The scenario's ``erp.batch``: the operation limit of ``$batch`` (the durations are
    the simulator's cost model; the mock's cost comes from its real work)."""

    model_config = ConfigDict(extra="forbid")

    max_operations: int = Field(default=100, ge=1, le=1000)
    fixed: str | float | None = None
    per_operation: str | float | None = None


class ErpSettings(CoreSettings):
    """What every mock ERP can be told; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")

    db_url: str = "sqlite:///erp.sqlite"
    capacity: bool = True
    """Switch the whole capacity model (concurrency cap, queue, window, service time)."""
    concurrency: int = Field(default=5, ge=1)
    """Requests processed at once (Business Central's older per-environment limit: 5)."""
    queue: int = Field(default=95, ge=0)
    """Requests waiting for a slot before 429 (Business Central: queue of 95)."""
    window: WindowSettings = Field(default_factory=WindowSettings)
    latency: str | float | dict[str, str | float] | None = None
    """Service time: ``"120ms"`` or ``{median, p99[, load_factor]}`` (lognormal, as in the
    scenario's ``erp.latency``); None = no added time."""
    load_factor: float = Field(default=0.5, ge=0.0)
    """Service time × (1 + load_factor × busy slots / concurrency); a ``load_factor``
    inside ``latency`` wins."""
    batch: BatchSettings = Field(default_factory=BatchSettings)
    timeout: str | float = "8m"
    """Business Central's 8-minute operation timeout; accepted for the scenario's sake (no
    operation of the mock runs that long)."""
    duplicates: Literal["accept", "reject"] = "accept"
    """A second document with the same external document number: accepted (standard
    Business Central: the number is not unique), or refused with 409 (what an extension
    making it unique does)."""
    posting: Literal["draft", "on_create"] = "draft"
    """``draft``: sales documents are created as drafts and posted by the client's
    ``Microsoft.NAV.post`` (Business Central); ``on_create``: posted as they are created."""

    @field_validator("latency")
    @classmethod
    def _check_latency(cls, value: Any) -> Any:
        if value is not None:
            try:
                Latency.parse(value)
            except FaultError as exc:
                raise ValueError(str(exc)) from None
        return value

    @property
    def effective_load_factor(self) -> float:
        """``latency.load_factor`` when given, else ``load_factor``."""
        if isinstance(self.latency, dict) and "load_factor" in self.latency:
            return float(self.latency["load_factor"])
        return self.load_factor

    @property
    def latency_model(self) -> Latency | None:
        """The parsed service-time distribution."""
        return None if self.latency is None else Latency.parse(self.latency)
