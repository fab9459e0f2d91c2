"""`tillbench mock pos|erp`: run a mock server standalone, for a connector under development."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import typer

from mocks.core import CoreSettings
from mocks.erp import dialects as erp_dialects
from mocks.pos import dialects as pos_dialects
from tillbench.cli._app import app
from tillbench.cli._errors import fail, masked, user_errors


class Mock(enum.StrEnum):
    pos = "pos"
    erp = "erp"


_REGISTRIES = {Mock.pos: pos_dialects, Mock.erp: erp_dialects}
_PORTS = {Mock.pos: 8101, Mock.erp: 8102}
_DEFAULTS = CoreSettings()
DEFAULT_TOKEN = next(iter(_DEFAULTS.api_tokens))
"""The API bearer token a mock accepts unless given --token (the mocks' own default)."""
DEFAULT_ADMIN_TOKEN = _DEFAULTS.admin_token
"""The admin API's bearer token unless given --admin-token."""


@app.command()
def mock(
    which: Annotated[
        Mock,
        typer.Argument(
            help="pos or erp; --dialect picks the vendor API (default Square v2 and "
            "Business Central v2.0)."
        ),
    ],
    port: Annotated[
        int | None,
        typer.Option(
            help="Port to listen on.",
            show_default=f"{_PORTS[Mock.pos]} pos, {_PORTS[Mock.erp]} erp",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; loopback unless you mean it.")
    ] = "127.0.0.1",
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL: sqlite:///FILE (default ./mock-WHICH.sqlite3) or "
            "postgresql://user:pw@host/db (needed for --workers > 1).",
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            help="Take the ERP's limits (erp section), the fault timeline, start, speed and seed "
            "from this scenario (file or bundled name); the timeline starts when the server does.",
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes.")] = 1,
    token: Annotated[
        list[str] | None,
        typer.Option(
            help="API bearer token to accept (repeatable: several tokens).",
            show_default=DEFAULT_TOKEN,
        ),
    ] = None,
    admin_token: Annotated[
        str, typer.Option(help="Bearer token of the admin API (/admin/...).")
    ] = DEFAULT_ADMIN_TOKEN,
    dialect: Annotated[
        str | None,
        typer.Option(
            help=f"The vendor API the mock speaks: pos {', '.join(pos_dialects.DIALECTS)}; "
            f"erp {', '.join(erp_dialects.DIALECTS)} (default pos "
            f"{pos_dialects.DEFAULT_DIALECT}, erp {erp_dialects.DEFAULT_DIALECT}).",
        ),
    ] = None,
) -> None:
    """Run the mock POS or mock ERP until Ctrl-C, with its OpenAPI docs at /docs.

    Point a connector (or its vendor SDK) at http://HOST:PORT; the admin API (journal,
    faults, clock) needs --admin-token, which API tokens do not grant.
    """
    registry = _REGISTRIES[which]
    name = dialect or registry.DEFAULT_DIALECT
    if name not in registry.DIALECTS:
        raise fail(
            f"--dialect {name}: not a {which.value} dialect; "
            f"choose one of: {', '.join(sorted(registry.DIALECTS))}"
        )
    settings: dict[str, Any] = {
        "admin_token": admin_token,
        "api_tokens": {t: f"token{i}" for i, t in enumerate(token or [DEFAULT_TOKEN])},
        "db_url": db or f"sqlite:///mock-{which.value}.sqlite3",
    }
    if workers > 1 and settings["db_url"].startswith("sqlite"):
        raise fail(
            f"--workers {workers}: several workers need a shared database; "
            "give --db postgresql://user:pw@host/db (or use one worker)"
        )
    if scenario is not None:
        settings.update(_scenario_settings(scenario, which))
    from mocks.core import serve

    listen = port or _PORTS[which]
    typer.echo(
        masked(
            f"mock {which.value} ({name}) on http://{host}:{listen} "
            f"(docs /docs, db {settings['db_url']})",
            db,
        ),
        err=True,
    )
    try:
        serve(
            registry.app_factory(name), port=listen, host=host, workers=workers, settings=settings
        )
    except Exception as exc:  # the database, the port: one line, the password masked
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise fail(masked(f"tillbench mock {which.value}: cannot start: {first}", db)) from None


def _scenario_settings(source: str, which: Mock) -> dict[str, Any]:
    import yaml

    import scenarios
    from tillbench.live.mocks import erp_settings_for

    with user_errors():
        sc = scenarios.load(source)
    resolved = yaml.safe_load(scenarios.dump(sc))
    out: dict[str, Any] = {
        "seed": sc.seed,
        "speed": sc.speed,
        "faults": resolved.get("faults") or [],
        "start": sc.start.isoformat(),
    }
    if which is Mock.erp:
        out.update(erp_settings_for(sc))
    else:
        out["currency"] = sc.currency
    return out


__all__ = ["DEFAULT_ADMIN_TOKEN", "DEFAULT_TOKEN", "mock"]
