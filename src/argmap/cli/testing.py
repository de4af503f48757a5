"""`argmap test`: scenario files as tests, with coverage."""

from __future__ import annotations

import os

import click

from ..analysis.testing import FAILED, update_files
from ..model.errors import InputError
from ..render import testing as render_testing
from .root import EXIT_FINDINGS, EXIT_OK, kb_option, main, open_app, out

DEFAULT_SCENARIOS = ("scenarios", "tests/scenarios")


@main.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-k", "keyword", metavar="EXPR", help="Only cases matching EXPR (words, tags, and/or/not).")
@click.option("--format", "fmt", type=click.Choice(["pretty", "json", "junit"]), default="pretty", show_default=True)
@click.option("--coverage", is_flag=True, help="Report which claims and rules the passing cases exercise.")
@click.option("--threshold", type=click.FloatRange(0, 100), help="Fail when claim coverage is below PCT.")
@click.option("--update", is_flag=True, help="Rewrite failing expectations to the actual verdicts.")
@click.option("--allow-empty", is_flag=True, help="Succeed when no case is found.")
@kb_option
def test_command(
    paths: tuple[str, ...],
    keyword: str | None,
    fmt: str,
    coverage: bool,
    threshold: float | None,
    update: bool,
    allow_empty: bool,
    kb: tuple[str, ...],
    layers: tuple[str, ...],
) -> None:
    """Run scenario files (default: the project config's scenarios, else ./scenarios or ./tests/scenarios).

    Exit 0 when every case passes, 1 on a failure, an empty run or coverage
    below --threshold, 2 on bad input.
    """
    if threshold is not None and threshold != threshold:  # NaN
        raise InputError("--threshold must be a number from 0 to 100", key="--threshold")
    app = open_app(kb, layers)
    found = paths or app.config.scenarios or tuple(p for p in DEFAULT_SCENARIOS if os.path.isdir(p))[:1]
    if not found:
        raise click.UsageError("give scenario files or folders (or scenarios = [...] in the project config)")
    report = app.test(found, keyword=keyword, coverage=coverage or threshold is not None)
    if not report.results and not allow_empty:
        raise click.ClickException("no scenario case found (use --allow-empty to accept an empty run)")
    if update:
        for path in update_files(report.results):
            click.echo(f"argmap: updated {path}", err=True)
    if fmt == "json":
        out(render_testing.to_json(report, app.vocabulary))
    elif fmt == "junit":
        out(render_testing.to_junit(report))
    else:
        out(render_testing.pretty(report, app.vocabulary))
    failed = report.count(FAILED) > 0 and not update
    low = threshold is not None and report.coverage is not None and report.coverage.percent < threshold
    if low:
        click.echo(f"argmap: claim coverage {report.coverage.percent:.1f}% is below {threshold}%", err=True)  # type: ignore[union-attr]
    raise SystemExit(EXIT_FINDINGS if failed or low else EXIT_OK)
