"""Everything a mock app holds for its lifetime, reachable as ``app.state.mock``."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from mocks.core.auth import TokenRegistry
from mocks.core.commit import Committer
from mocks.core.db import Database
from mocks.core.faultsync import FaultSync
from mocks.core.gateway import Admission
from mocks.core.handlers import ErrorRenderer
from mocks.core.journal import Journal
from mocks.core.settings import CoreSettings
from mocks.faults import FaultEngine


@dataclass(slots=True)
class MockContext:
    """Shared state of one mock process: settings, database, journal, faults, tokens."""

    target: str
    settings: CoreSettings
    db: Database
    journal: Journal
    faults: FaultEngine
    fault_sync: FaultSync
    tokens: TokenRegistry
    render_error: ErrorRenderer
    rng: random.Random
    committer: Committer
    admission: Admission | None = None
    extra: dict[str, object] = field(default_factory=dict)
    now: Callable[[], float] = time.time
    """Wall time in epoch seconds (tests inject a fake); faults and the journal read it."""
