"""What drawing a chart produces: a `Chart` on disk, or a `Skipped` saying why not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Chart", "Skipped"]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart written as PNG and SVG."""

    key: str
    section: str
    title: str
    png: Path
    svg: Path
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A chart that could not be drawn, and why (shown in the report)."""

    key: str
    section: str
    title: str
    reason: str
