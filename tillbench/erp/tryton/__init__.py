"""Tryton 8.2 as a real ERP: its environment, cached databases and server lifecycle.

Example::

    from pathlib import Path

    import scenarios
    from tillbench.erp.tryton import init_database, master_data, start_server

    work = Path("runs/tryton")
    db = init_database(master_data(scenarios.load("demo")), workdir=work)
    with start_server(db, workdir=work) as server:
        print(server.url)   # http://127.0.0.1:PORT/tillbench/ -> connectors.common.tryton
"""

from tillbench.erp.errors import ErpError
from tillbench.erp.tryton.database import TrytonDatabase, cache_dir, init_database, load_database
from tillbench.erp.tryton.env import TrytonEnv, ensure_env
from tillbench.erp.tryton.master import master_data, spec_hash
from tillbench.erp.tryton.server import TrytonServer, server_status, start_server, stop_server

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
