"""Entry point of the `tillbench` console script."""

from __future__ import annotations


def main() -> None:
    """Run the tillbench command line."""
    from tillbench.cli import app

    app()


if __name__ == "__main__":
    main()
