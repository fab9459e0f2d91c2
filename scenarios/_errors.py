"""The one exception of the scenarios package.

Hierarchy::

    Exception
    └── ScenarioError      every problem with a scenario: missing file, YAML syntax,
                           invalid values, broken ``extends`` chains, bad overrides

A `ScenarioError` carries *all* the problems found, one line each, in the form
``FILE: field.path: problem, got VALUE`` so a person can fix a file in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence


class ScenarioError(Exception):
    """A scenario could not be loaded, validated or overridden.

    ``lines`` holds one human-readable line per problem, e.g.
    ``scenarios/bf.yaml: erp.concurrency: must be ≥ 1, got 0``.
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines: list[str] = list(lines)
        super().__init__("\n".join(self.lines))
