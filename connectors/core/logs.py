"""Logging to ``TILLBENCH_LOG_DIR/connector.log`` with card numbers scrubbed from every
record (the run's logs are scanned for leaks)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from connectors.core.cards import scrub


class ScrubFilter(logging.Filter):
    """Replaces card numbers in the rendered message and drops the raw arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = scrub(message)
        record.args = None
        return True


def setup(log_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send the ``connector`` loggers (and uvicorn's) to a file and stderr; returns the file."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "connector.log"
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(threadName)s %(message)s")
    scrubber = ScrubFilter()
    handlers: list[logging.Handler] = [
        logging.FileHandler(path, encoding="utf-8"),
        logging.StreamHandler(sys.stderr),
    ]
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(scrubber)
    for name in ("connector", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers = list(handlers)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True
    return path
