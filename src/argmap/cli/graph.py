"""`argmap map` and `argmap report`: the argument map, and an HTML report across proposals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from .. import render_graph
from ..fileio import atomic_write
from ..graph import argument_map
from ..report import build_report, report_html
from .main import format_option, kb_option, main, open_kb, out


def _output_option(help_text: str, *, required: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--output",
        "-o",
        "output",
        required=required,
        type=click.Path(dir_okay=False, writable=True),
        help=help_text,
    )


@main.command("map")
@click.argument("proposal", required=False, type=click.Path())
@format_option(*render_graph.FORMATS)
@_output_option("Write the map to FILE (atomically) instead of printing it.")
@kb_option
def map_command(proposal: str | None, fmt: str, output: str | None, kb: tuple[str, ...]) -> None:
    """Draw the argument map of the knowledge base, or of one proposal.

    Nodes are the claims and the conclusions (verdicts, and every rule head
    that carries a reason); edges are read off the rules: a premise supports
    its conclusion, a negated premise (a defeater) attacks it.  With a
    PROPOSAL, the nodes that hold and the edges that fired are marked, and
    defeated conclusions are shown as such.

    Formats: dot, svg (needs Graphviz's dot), mermaid, argdown, aif (AIF
    JSON), graphml.  Exit 0, or 2 on bad input (and for svg without dot).
    """
    app = open_kb(kb, trace=proposal is not None)
    the_map = argument_map(app.engine, app.load(proposal) if proposal else None)
    text = render_graph.render(the_map, fmt)
    if output:
        atomic_write(output, text)
    else:
        out(text)


@main.command("report")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_output_option("The HTML file to write (atomically).", required=True)
@kb_option
def report_command(paths: tuple[str, ...], output: str, kb: tuple[str, ...]) -> None:
    """Write one self-contained HTML report on proposals (YAML files, or folders of them).

    A verdict table across the proposals; for each, its reasons with their
    quotes, its conflicts, what flips when its components are removed (and
    the smallest change that makes it credible), and its argument map (inline
    SVG when Graphviz's dot is installed).  The file makes no network request.
    Exit 0, or 2 on bad input.
    """
    app = open_kb(kb, trace=True)
    atomic_write(output, report_html(build_report(app.engine, app.load_all(paths))))
