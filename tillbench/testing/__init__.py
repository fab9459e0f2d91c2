"""tillbench from a test suite: a pytest plugin with mock POS and ERP fixtures, faults as
context managers and live runs whose verdict a test asserts on (docs/testing-your-connector.md).

Example::

    def test_sales_survive_an_erp_outage(tillbench_pos, tillbench_erp, tillbench_connector):
        tillbench_connector("python my_connector.py", pos=tillbench_pos, erp=tillbench_erp)
        with tillbench_erp.outage():
            sales = tillbench_pos.ring_sales(3)
        tillbench_erp.assert_posted_once(sales)

    def test_the_demo_passes(tillbench_run):
        tillbench_run("python my_connector.py", scenario="demo").assert_passed()

The plugin (`plugin`, entry point ``pytest11``) imports nothing heavy until a fixture is
used, so the names below load on first access. Outside pytest: `start_pos`, `start_erp`,
`start_connector`, `run_scenario`. The modules: `start` (the mocks, `MockOptions`),
`servers` (in process or as a child), `handles` (`PosHandle`, `ErpHandle`), `admin` (typed
admin API), `faults` (`Fault` context managers), `documents` (the ERP read back),
`connector`, `runs` and `results` (`RunResult`), `seeddata`, `errors`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tillbench.testing.admin import (
        ActiveFault,
        Admin,
        ErpAdmin,
        JournalRow,
        PosAdmin,
    )
    from tillbench.testing.connector import ConnectorHandle, start_connector
    from tillbench.testing.documents import ErpDocument, ErpLine
    from tillbench.testing.errors import AdminError, PluginError, SetupError, StartError
    from tillbench.testing.faults import Fault, FaultMaker, WebhookFaults
    from tillbench.testing.handles import ErpHandle, MockHandle, PosHandle
    from tillbench.testing.results import RunPaths, RunResult
    from tillbench.testing.runs import run_scenario
    from tillbench.testing.start import MockOptions, start_erp, start_pos

_HOMES = {
    "ActiveFault": "admin",
    "Admin": "admin",
    "ErpAdmin": "admin",
    "JournalRow": "admin",
    "PosAdmin": "admin",
    "ConnectorHandle": "connector",
    "start_connector": "connector",
    "ErpDocument": "documents",
    "ErpLine": "documents",
    "AdminError": "errors",
    "PluginError": "errors",
    "SetupError": "errors",
    "StartError": "errors",
    "Fault": "faults",
    "FaultMaker": "faults",
    "WebhookFaults": "faults",
    "ErpHandle": "handles",
    "MockHandle": "handles",
    "PosHandle": "handles",
    "RunPaths": "results",
    "RunResult": "results",
    "run_scenario": "runs",
    "MockOptions": "start",
    "start_erp": "start",
    "start_pos": "start",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'tillbench.testing' has no attribute {name!r}")
    return getattr(importlib.import_module(f"tillbench.testing.{home}"), name)


__all__ = [
    "ActiveFault",
    "Admin",
    "AdminError",
    "ConnectorHandle",
    "ErpAdmin",
    "ErpDocument",
    "ErpHandle",
    "ErpLine",
    "Fault",
    "FaultMaker",
    "JournalRow",
    "MockHandle",
    "MockOptions",
    "PluginError",
    "PosAdmin",
    "PosHandle",
    "RunPaths",
    "RunResult",
    "SetupError",
    "StartError",
    "WebhookFaults",
    "run_scenario",
    "start_connector",
    "start_erp",
    "start_pos",
]
