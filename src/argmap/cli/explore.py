"""`argmap explore`: search a design space for cheap packages that meet the goals."""

from __future__ import annotations

import sys

import click

from ..model.results import Package
from ..render import json as render_json
from ..render import text as render_text
from .root import EXIT_FINDINGS, EXIT_OK, kb_option, main, open_app, out


@main.command("explore")
@click.argument("space", type=click.Path())
@click.option(
    "--goal",
    "goals",
    multiple=True,
    metavar="VERDICT",
    help="A verdict every package must have good (repeatable; default: the space's goals, else the gate verdicts).",
)
@click.option(
    "--axis",
    "axes",
    multiple=True,
    metavar="VERDICT",
    help="A Pareto axis besides cost (repeatable; default: the "
    "space's axes, else every other yes/no or level verdict).",
)
@click.option(
    "--limit", type=click.IntRange(0, 10_000), default=5, show_default=True, help="How many example packages to list."
)
@click.option(
    "--optima", type=click.IntRange(1, 10_000), default=20, show_default=True, help="List at most N cheapest packages."
)
@click.option(
    "--count-limit", type=click.IntRange(1, 10**9), default=100_000, show_default=True, help="Stop counting at N."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="jsonl streams packages as clingo finds them.",
)
@kb_option
def explore_command(
    space: str,
    goals: tuple[str, ...],
    axes: tuple[str, ...],
    limit: int,
    optima: int,
    count_limit: int,
    fmt: str,
    kb: tuple[str, ...],
    layers: tuple[str, ...],
) -> None:
    """Search a design space: counts, the cheapest packages meeting the goals, a Pareto front, examples.

    clingo does the search (choice rules, #minimize, enumeration); Python
    never walks the space.  Exit 0 when some package meets the goals, 1 when none does.
    """
    from ..render.explain import explanation_text

    app = open_app(kb, layers)
    progress = sys.stderr.isatty() and fmt == "text"

    def listener(event: str, package: Package) -> None:
        if fmt == "jsonl":
            out(render_json.line({"event": event, **render_json.package_json(package)}))
            sys.stdout.flush()
        elif progress:
            click.echo(f"\r  searching... best cost so far {package.cost:<8}", err=True, nl=False)

    result = app.explore(
        space,
        goals=goals,
        axes=axes or None,
        limit=limit,
        count_limit=count_limit,
        optima=optima,
        listener=listener,
        explain=fmt == "text",
    )
    if progress:
        click.echo("\r" + " " * 40 + "\r", err=True, nl=False)
    if fmt == "json":
        out(render_json.dumps(render_json.explore_json(result)))
    elif fmt == "jsonl":
        out(render_json.line({"event": "summary", **render_json.explore_json(result)}))
    else:
        why = explanation_text(result.why).split("\n", 2)[2].strip("\n") if result.why else ""  # type: ignore[arg-type]
        out(render_text.explore_text(result, app.vocabulary, result.choices, why))
    raise SystemExit(EXIT_OK if result.cheapest else EXIT_FINDINGS)
