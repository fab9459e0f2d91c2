"""The root command: its version and its help."""

from typer.testing import CliRunner

from tillbench import __version__
from tillbench.cli import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"tillbench {__version__}\n"


def test_no_arguments_prints_help():
    result = runner.invoke(app, [])
    assert "scenarios" in result.output
    assert "simulate" in result.output
