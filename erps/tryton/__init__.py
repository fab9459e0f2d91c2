"""Tryton 8.2 as a real ERP: its environment, cached databases and server lifecycle.

Example::

    from pathlib import Path

    import scenarios
    from erps.tryton import init_database, master_data, start_server

    work = Path("runs/tryton")
    db = init_database(master_data(scenarios.load("demo")), workdir=work)
    with start_server(db, workdir=work) as server:
        print(server.url)   # http://127.0.0.1:PORT/tillbench/ -> connectors.erp.tryton
"""

from erps.errors import ErpError
from erps.tryton.database import TrytonDatabase, cache_dir, init_database, load_database
from erps.tryton.env import TrytonEnv, ensure_env
from erps.tryton.master import master_data, spec_hash
from erps.tryton.server import TrytonServer, server_status, start_server, stop_server

__all__ = [
    "ErpError",
    "TrytonDatabase",
    "TrytonEnv",
    "TrytonServer",
    "cache_dir",
    "ensure_env",
    "init_database",
    "load_database",
    "master_data",
    "server_status",
    "spec_hash",
    "start_server",
    "stop_server",
]
