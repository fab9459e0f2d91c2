"""``python -m domain.rundir --markdown``: print ``docs/run-tables.md`` from the contract."""

from __future__ import annotations

import argparse
import sys

from domain.rundir._markdown import COMMAND, markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m domain.rundir",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=f"The run-directory contract. Regenerate the docs: {COMMAND}",
    )
    parser.add_argument("--markdown", action="store_true", help="print docs/run-tables.md")
    args = parser.parse_args(argv)
    if not args.markdown:
        parser.print_help()
        return 2
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
