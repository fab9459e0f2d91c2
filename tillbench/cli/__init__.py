"""The `tillbench` command line: thin typer commands over the packages' public functions.

Each command parses its options, calls one function and renders the result. Errors the
user can fix become a one-line message per problem on stderr and exit code 2 — never a
traceback.
"""

from tillbench.cli._app import app

__all__ = ["app"]
