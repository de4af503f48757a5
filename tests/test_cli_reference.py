"""docs/cli.md is generated from `--help`, so the command-line reference cannot drift.

Refresh it with `python -m pytest tests/test_cli_reference.py --update-golden`.
"""

from __future__ import annotations

import difflib

import click
import pytest
from click.testing import CliRunner

from argmap.cli.root import main
from argmap.io.files import atomic_write
from helpers import ROOT

REFERENCE = ROOT / "docs" / "cli.md"


def reference() -> str:
    runner = CliRunner()
    parts = ["# argmap command-line reference", "", "Generated from `argmap --help`; do not edit by hand.", ""]
    ctx = click.Context(main)
    for name in [None, *sorted(main.list_commands(ctx))]:
        args = ["--help"] if name is None else [name, "--help"]
        result = runner.invoke(main, args, terminal_width=100, prog_name="argmap")
        assert result.exit_code == 0, result.output
        parts += [f"## argmap{' ' + name if name else ''}", "", "```text", result.stdout.rstrip(), "```", ""]
    return "\n".join(parts)


def test_the_cli_reference_is_up_to_date(request: pytest.FixtureRequest) -> None:
    text = reference()
    if request.config.getoption("--update-golden"):
        atomic_write(str(REFERENCE), text)
        return
    expected = REFERENCE.read_text(encoding="utf-8") if REFERENCE.is_file() else ""
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "docs/cli.md", "--help"))
        pytest.fail("docs/cli.md is stale; refresh it with --update-golden:\n" + diff, pytrace=False)
