"""Tryton 8.2 as a real ERP: environment, cached databases, server, and the harness's reader.

Lifecycle: `ensure_env` (Tryton's own virtualenv beside the cache), `master_spec` (a
world's catalogue, stores, taxes and stock as a spec), `init_database` (cached by the
spec's hash), `start_server` / `stop_server`. Reading: `TrytonReader` over the harness's
own read-only `TrytonClient`, never a connector's client; `erp_tables` turns what it reads
into run-table rows.

Example::

    from pathlib import Path

    import scenarios
    from erps.tryton import TrytonClient, TrytonReader, init_database, start_server
    from tillbench.live.tryton import master_data   # the simulator's world -> master_spec

    work = Path("runs/tryton")
    db = init_database(master_data(scenarios.load("demo")), workdir=work)
    with start_server(db, workdir=work) as server:
        client = TrytonClient(server.url, user=server.user, password=server.password)
        print(TrytonReader(client).stock(["S0001"]))
"""

from erps.errors import ErpError, TrytonReadError
from erps.tryton.client import TrytonClient
from erps.tryton.collect import erp_tables
from erps.tryton.database import TrytonDatabase, init_database, load_database
from erps.tryton.env import TrytonEnv, ensure_env
from erps.tryton.master import SpecProduct, master_spec, spec_hash
from erps.tryton.paths import cache_dir, venv_dir
from erps.tryton.reader import (
    TrytonMove,
    TrytonProduct,
    TrytonReader,
    TrytonSale,
    TrytonSaleLine,
)
from erps.tryton.server import TrytonServer, server_status, start_server, stop_server

__all__ = [
    "ErpError",
    "SpecProduct",
    "TrytonClient",
    "TrytonDatabase",
    "TrytonEnv",
    "TrytonMove",
    "TrytonProduct",
    "TrytonReadError",
    "TrytonReader",
    "TrytonSale",
    "TrytonSaleLine",
    "TrytonServer",
    "cache_dir",
    "ensure_env",
    "erp_tables",
    "init_database",
    "load_database",
    "master_spec",
    "server_status",
    "spec_hash",
    "start_server",
    "stop_server",
    "venv_dir",
]
