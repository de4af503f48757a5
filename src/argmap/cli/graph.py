"""`argmap map` and `argmap report`: the argument map, and an HTML report across proposals."""

from __future__ import annotations

import click

from ..io.files import write_output
from ..model.errors import InputError
from ..render import graph as render_graph
from ..render.html import report_html
from .root import format_option, inputs, kb_option, main, open_app, output_option


@main.command("map")
@click.argument("proposal", required=False, type=click.Path())
@format_option(*render_graph.FORMATS)
@output_option("Write the map to FILE (atomically; - for standard output) instead of printing it.")
@click.option(
    "--focus",
    "focus",
    multiple=True,
    metavar="VERDICT",
    help="Only what bears on this declared verdict: its nodes, its reasons, and every node with a path "
    "to them (repeatable).",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    metavar="N",
    help="Only nodes at most N edges from the focused verdicts' nodes (from every verdict's without --focus).",
)
@click.option(
    "--fired-only",
    is_flag=True,
    help="With a PROPOSAL: only the reasons and rules that fired for it (and what they outweighed).",
)
@kb_option
def map_command(
    proposal: str | None,
    fmt: str,
    output: str | None,
    focus: tuple[str, ...],
    depth: int | None,
    fired_only: bool,
    kb: tuple[str, ...],
    layers: tuple[str, ...],
) -> None:
    """Draw the argument map of the knowledge base, or of one proposal.

    Nodes are the claims and the conclusions (the verdicts the knowledge base
    declares, and every rule head that carries a reason); edges are read off
    the rules: a premise supports its conclusion, a negated premise (a
    defeater) attacks it.  With a PROPOSAL, the nodes that hold for it and the
    edges that fired are marked, and a conclusion that does not hold because
    what attacks it held is marked outweighed.

    --focus, --depth and --fired-only narrow the map, in every format.

    Formats: dot, svg (needs Graphviz's dot), mermaid, argdown, aif (AIF
    JSON), graphml.  Exit 0, or 2 on bad input (an unknown verdict, --fired-only
    without a proposal; and for svg without dot).
    """
    if fmt == "svg" and render_graph.dot_program() is None:
        raise InputError(render_graph.INSTALL_DOT)
    app = open_app(kb, layers)
    text = render_graph.render(app.map(proposal, focus=focus, depth=depth, fired_only=fired_only), fmt)
    write_output(output, text, inputs=inputs(app, *([proposal] if proposal else [])))


@main.command("report")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@output_option("The HTML file to write (atomically).", required=True)
@kb_option
def report_command(paths: tuple[str, ...], output: str, kb: tuple[str, ...], layers: tuple[str, ...]) -> None:
    """Write one self-contained HTML report on proposals (YAML files, or folders of them).

    A verdict table across the proposals, one column per verdict the knowledge
    base declares; for each proposal, its reasons with their quotes, its
    conflicts, warnings and notes, a roadmap's phases, what flips when its
    components are removed (and, when it does not pass, the smallest change
    that makes it pass), and its argument map (inline SVG when Graphviz's dot
    is installed).  The file makes no network request.  Exit 0, or 2 on bad
    input.
    """
    app = open_app(kb, layers)
    write_output(output, report_html(app.report(app.load_all(paths))), inputs=inputs(app, *paths))
