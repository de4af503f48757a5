"""`argmap test`: scenario files as tests, with coverage."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable

import click

from ..analysis.testing import FAILED, update_files
from ..model.errors import InputError, named, visible
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
    run = app.test_run(found, keyword=keyword, coverage=coverage or threshold is not None, keep_failed=update)
    if not run.total and not allow_empty:
        raise click.ClickException("no scenario case found (use --allow-empty to accept an empty run)")
    # Each case is written as soon as it has run; only counts (and, for --update, the failures) are kept.
    voc = app.vocabulary
    if fmt == "json":
        _stream(render_testing.json_chunks(run, run, voc))
    elif fmt == "junit":
        # JUnit's counts come before its cases: the cases wait in a temporary file (in memory while small)
        with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8") as kept:
            for result in run:
                kept.write(render_testing.junit_case(result))
            kept.seek(0)
            _stream(render_testing.junit_document(run, iter(lambda: kept.read(1 << 16), "")))
    else:
        _stream(render_testing.pretty_case(result) for result in run)
        _stream([render_testing.pretty_end(run, voc)])
    left_failing = False
    if update:
        updated = update_files(run.failed)
        left_failing = bool(updated.kept)
        for path in updated.changed:
            whole = " (written out whole: its layout defeated the in-place edit; only its leading comments stay)"
            click.echo(f"argmap: updated {named(path)}{whole if path in updated.rewritten else ''}", err=True)
        for path, case, why in updated.kept:
            click.echo(f"argmap: {named(path)}: case '{visible(case)}' still fails: {why}", err=True)
    failed = run.count(FAILED) > 0 and (not update or left_failing)
    cov = run.coverage
    low = threshold is not None and cov is not None and cov.percent < threshold
    if low:
        click.echo(f"argmap: claim coverage {cov.percent:.1f}% is below {threshold}%", err=True)  # type: ignore[union-attr]
    raise SystemExit(EXIT_FINDINGS if failed or low else EXIT_OK)


def _stream(chunks: Iterable[str]) -> None:
    """Write each piece to standard output as it comes, flushed, so that a reader sees each case at once."""
    for chunk in chunks:
        out(chunk)
        sys.stdout.flush()
