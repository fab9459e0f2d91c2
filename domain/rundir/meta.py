"""``run.json``: what a run was (scenario, connector, clock, versions) as a typed record.

`RunMeta` holds every field a producer writes today, each checked for its type when read
(`RunMeta.read`, `RunMeta.from_dict`) so a reader never meets ``"speed": "fast"``.
**Unknown keys are preserved**: they land in `RunMeta.extra` and are written back as they
were (run.json is where producers and users add detail the contract has no field for yet;
the report lists them). Fields left None are not written, unless the mapping the record was
read from held them as null (then they are written back as null).

The run's clock: wall time w maps to simulated t = (w − ``wall_origin``) × ``speed``. A
simulation has no wall clock: its run.json says ``"speed": null`` (``wall_clock=False``);
a run.json without ``speed`` leaves it unknown (readers fall back on the scenario's).

Example::

    meta = RunMeta(run_id=run_dir.name, scenario="demo", speed=60.0, wall_origin=time.time())
    meta.write(run_dir)
    RunMeta.read(run_dir).speed  # 60.0
"""

from __future__ import annotations

import dataclasses
import json
import signal
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from domain.errors import show
from domain.rundir.errors import ContractError

__all__ = ["FILE", "ConnectorExit", "RunMeta"]

FILE = "run.json"


def _doc(doc: str, writers: str = "live, load") -> dict[str, str]:
    """A field's documentation: what it means and who writes it."""
    return {"doc": doc, "writers": writers}


@dataclasses.dataclass(frozen=True, kw_only=True)
class RunMeta:
    """The fields of ``run.json`` (module docstring); ``extra`` holds unknown keys."""

    kind: str | None = dataclasses.field(
        default=None,
        metadata=_doc(
            "simulation for the capacity model; live and load runs leave it out", "model"
        ),
    )
    run_id: str | None = dataclasses.field(
        default=None, metadata=_doc("the run directory's name", "live, model, load")
    )
    scenario: str | None = dataclasses.field(
        default=None, metadata=_doc("scenario name", "live, model, load")
    )
    seed: int | None = dataclasses.field(
        default=None, metadata=_doc("seed of the simulation", "live, model")
    )
    connector: dict[str, Any] | None = dataclasses.field(
        default=None,
        metadata=_doc(
            "the connector under test: name, command, url, erp_credential "
            "(the model: model:<mode>)",
            "live, model, load",
        ),
    )
    speed: float | None = dataclasses.field(
        default=None,
        metadata=_doc(
            "simulated seconds per wall second (> 0); null: no wall clock (a simulation)",
            "live, model, load",
        ),
    )
    wall_clock: bool = dataclasses.field(
        default=True,
        metadata={
            "doc": "not a key of its own: false when run.json says speed null",
            "writers": "model",
        },
    )
    wall_origin: float | None = dataclasses.field(
        default=None,
        metadata=_doc(
            "wall time (epoch seconds) of simulated t = 0; null in a simulation",
            "live, model, load",
        ),
    )
    sim_start: str | None = dataclasses.field(
        default=None,
        metadata=_doc("the scenario start, local time (ISO 8601), t = 0", "live, model"),
    )
    timezone: str | None = dataclasses.field(
        default=None, metadata=_doc("the stores' IANA time zone", "live")
    )
    traffic_end_t: float | None = dataclasses.field(
        default=None, metadata=_doc("simulated seconds when traffic ended", "live, model, load")
    )
    quiesce_end_t: float | None = dataclasses.field(
        default=None,
        metadata=_doc(
            "simulated seconds when the harness stopped waiting for the connector", "live, model"
        ),
    )
    converged: bool | None = dataclasses.field(
        default=None, metadata=_doc("whether drift reached 0 before the quiesce ended", "live")
    )
    versions: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("tillbench and Python versions", "live")
    )
    pos_kind: str | None = dataclasses.field(
        default=None, metadata=_doc("the POS behind the run (mock-square)")
    )
    erp_kind: str | None = dataclasses.field(
        default=None, metadata=_doc("the ERP behind the run (mock-business-central, tryton-…)")
    )
    pos: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("the POS side as the model saw it ({kind: model})", "model")
    )
    erp: dict[str, Any] | None = dataclasses.field(
        default=None,
        metadata=_doc(
            "the ERP: a real Tryton's url, database and log; the model's {kind: model}",
            "live, model",
        ),
    )
    credentials: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("principals by role (connector, harness)")
    )
    erp_credential: str | None = dataclasses.field(
        default=None,
        metadata=_doc("the connector's ERP principal (its journal rows are its API calls)"),
    )
    urls: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("pos, erp, connector and webhook URLs", "live, model")
    )
    databases: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("the mocks' databases (no passwords)", "live")
    )
    seeded: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("what the harness loaded into the mocks", "live")
    )
    workers: int | None = dataclasses.field(
        default=None, metadata=_doc("the connector's concurrent ERP writers, if set", "live")
    )
    notes: list[Any] | None = dataclasses.field(
        default=None, metadata=_doc("notes on how the run was made", "live")
    )
    faults_not_applicable: list[Any] | None = dataclasses.field(
        default=None, metadata=_doc("faults left out (id, target, kind, why)", "live")
    )
    ignored_faults: list[Any] | None = dataclasses.field(
        default=None, metadata=_doc("ids of faults nothing applied", "live")
    )
    erp_events: list[Any] | None = dataclasses.field(
        default=None, metadata=_doc("ERP-side events planned (price changes …)", "live")
    )
    connector_restarts: int | None = dataclasses.field(
        default=None, metadata=_doc("times the connector was restarted", "live")
    )
    connector_exits: list[Any] | None = dataclasses.field(
        default=None,
        metadata=_doc(
            "the connector's unexpected exits, in order: objects {wall, t, code, restarted} "
            "(wall: epoch seconds; t: simulated seconds, null to derive it from wall; code: "
            "exit status, negative for a signal; restarted: whether the harness started it "
            "again). Stops the harness asked for (SIGTERM at the end, a planned crash fault) "
            "are not exits. Verification and the report show each one",
            "live",
        ),
    )
    transactions: int | None = dataclasses.field(
        default=None, metadata=_doc("transactions the driver sent", "live")
    )
    sent_ok: int | None = dataclasses.field(
        default=None, metadata=_doc("transactions the POS accepted", "live")
    )
    driver_lag: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("the driver's lag p50, p99, max (wall s)", "live")
    )
    table_rows: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("rows collected per table")
    )
    wall_s: float | None = dataclasses.field(
        default=None, metadata=_doc("wall seconds the run took", "live")
    )
    model: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("the capacity model's settings", "model")
    )
    load: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("how the load was run (shape, rates, slo, host)", "load")
    )
    saturation: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("the saturation search's result", "load")
    )
    e2e: dict[str, Any] | None = dataclasses.field(
        default=None, metadata=_doc("end-to-end latency Locust's side measured", "load")
    )
    extra: dict[str, Any] = dataclasses.field(
        default_factory=dict,
        metadata={"doc": "keys the contract does not know, kept as they were", "writers": ""},
    )
    nulls: frozenset[str] = dataclasses.field(
        default=frozenset(),
        metadata={"doc": "known keys read as null, written back as null", "writers": ""},
    )

    def __post_init__(self) -> None:
        for name in _CHECKS:
            value = getattr(self, name)
            _check(FILE, name, value)
            if name in _FLOATS and isinstance(value, int):
                object.__setattr__(self, name, float(value))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = FILE) -> RunMeta:
        """The record of a run.json mapping; `ContractError` names a field of the wrong type."""
        known: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key in _NOT_KEYS or key not in _CHECKS:
                extra[key] = value
                continue
            _check(where, key, value)
            known[key] = value
        if "speed" in data and data["speed"] is None:
            known["wall_clock"] = False
        known["nulls"] = frozenset(k for k in known if known[k] is None)
        if isinstance(known.get("connector"), str):  # an older run.json named it plainly
            known["connector"] = {"name": known["connector"]}
        return cls(**known, extra=extra)

    @classmethod
    def read(cls, run_dir: Path) -> RunMeta | None:
        """``run_dir/run.json``, or None when there is none."""
        file = Path(run_dir) / FILE
        if not file.is_file():
            return None
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ContractError(str(file), "not valid JSON (not UTF-8 text)") from None
        except (OSError, ValueError) as error:
            raise ContractError(str(file), f"not valid JSON ({error})") from None
        if not isinstance(data, dict):
            raise ContractError(str(file), f"must hold a JSON object, got {type(data).__name__}")
        return cls.from_dict(data, where=str(file))

    def to_dict(self) -> dict[str, Any]:
        """The run.json mapping: set fields, ``speed`` null without a wall clock, extras."""
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in _NOT_KEYS or (value is None and field.name not in self.nulls):
                continue
            out[field.name] = value
        if not self.wall_clock:
            out.setdefault("speed", None)
            out.setdefault("wall_origin", None)
        return {**out, **self.extra}

    def write(self, run_dir: Path) -> Path:
        """Write ``run_dir/run.json`` (sorted keys; values JSON lacks written as text)."""
        file = Path(run_dir) / FILE
        text = json.dumps(self.to_dict(), indent=2, sort_keys=True, default=str)
        file.write_text(text + "\n", encoding="utf-8")
        return file

    @property
    def connector_name(self) -> str | None:
        """The connector's name, if recorded."""
        name = (self.connector or {}).get("name")
        return name if isinstance(name, str) else None

    @property
    def connector_credential(self) -> str | None:
        """The connector's ERP principal: ``connector.erp_credential``, else ``erp_credential``."""
        found = (self.connector or {}).get("erp_credential") or self.erp_credential
        return found if isinstance(found, str) else None

    def exits(self) -> list[ConnectorExit]:
        """``connector_exits`` as records, ``t`` derived from ``wall`` where it is null
        (and the run has a wall clock); in the order they happened."""
        found = []
        for entry in self.connector_exits or []:
            wall, t = entry.get("wall"), entry.get("t")
            if t is None and wall is not None and self.wall_origin is not None and self.speed:
                t = (float(wall) - self.wall_origin) * self.speed
            found.append(
                ConnectorExit(
                    code=int(entry["code"]),
                    t=None if t is None else float(t),
                    wall=None if wall is None else float(wall),
                    restarted=bool(entry.get("restarted", False)),
                )
            )
        return sorted(found, key=lambda e: (e.t is None, e.t or 0.0))

    def is_empty(self) -> bool:
        """Nothing recorded at all."""
        return not self.to_dict()


@dataclasses.dataclass(frozen=True, slots=True)
class ConnectorExit:
    """One unexpected exit of the connector process (``run.json`` ``connector_exits``)."""

    code: int
    """Exit status; negative: killed by that signal (``-9``: SIGKILL)."""
    t: float | None
    """Simulated seconds since the start (None: the run recorded no time for it)."""
    wall: float | None
    """Epoch seconds."""
    restarted: bool
    """Whether the harness started the connector again after it."""

    def describe(self) -> str:
        """``code 3``, ``signal 9 (SIGKILL)``."""
        if self.code >= 0:
            return f"code {self.code}"
        try:
            name = f" ({signal.Signals(-self.code).name})"
        except ValueError:
            name = ""
        return f"signal {-self.code}{name}"


_EXIT_KEYS = {
    "wall": "a number",
    "t": "a number",
    "code": "an integer",
    "restarted": "true or false",
}
_NOT_KEYS = frozenset({"wall_clock", "extra", "nulls"})
"""Fields that are not run.json keys of their own."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_KIND_CHECKS: dict[type, tuple[str, Any]] = {
    str: ("text", lambda v: isinstance(v, str)),
    int: ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    float: ("a number", _is_number),
    bool: ("true or false", lambda v: isinstance(v, bool)),
    dict: ("an object", lambda v: isinstance(v, dict)),
    list: ("a list", lambda v: isinstance(v, list)),
}


def _checks() -> dict[str, tuple[str, Any]]:
    hints = typing.get_type_hints(RunMeta)
    out: dict[str, tuple[str, Any]] = {}
    for field in dataclasses.fields(RunMeta):
        if field.name in _NOT_KEYS:
            continue
        hint = hints[field.name]
        if isinstance(hint, types.UnionType):  # X | None
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        out[field.name] = _KIND_CHECKS[typing.get_origin(hint) or hint]
    return out


_CHECKS = _checks()
_FLOATS = frozenset(name for name, (what, _) in _CHECKS.items() if what == "a number")


def _check(where: str, key: str, value: Any) -> None:
    if value is None:
        return
    if key == "connector" and isinstance(value, str):
        return
    what, ok = _CHECKS[key]
    if not ok(value):
        raise ContractError(where, f"{key}: must be {what}, got {_short(value)}", column=key)
    if key == "speed" and value <= 0:
        raise ContractError(where, f"speed: must be a number > 0, got {_short(value)}", column=key)
    if key == "connector_exits":
        for index, entry in enumerate(value):
            _check_exit(where, key, f"{key}[{index}]", entry)


def _check_exit(where: str, key: str, name: str, entry: Any) -> None:
    """One ``connector_exits`` entry: an object with an integer code, numbers or nulls for
    wall and t, and true or false for restarted."""
    if not isinstance(entry, dict):
        raise ContractError(where, f"{name}: must be an object, got {_short(entry)}", column=key)
    if "code" not in entry:
        raise ContractError(where, f"{name}.code: missing (the exit status)", column=key)
    for field, what in _EXIT_KEYS.items():
        value = entry.get(field)
        if value is None and field != "code":
            continue
        ok = _KIND_CHECKS[bool if field == "restarted" else int if field == "code" else float][1]
        if not ok(value):
            raise ContractError(
                where, f"{name}.{field}: must be {what}, got {_short(value)}", column=key
            )


def _short(value: Any) -> str:
    """``show(value)``, cut to 60 characters (an error line never carries a whole file)."""
    text = show(value)
    return text if len(text) <= 60 else text[:57] + "..."
