"""`argmap lint` and `argmap schema`: checking the knowledge base, and the schemas it implies."""

from __future__ import annotations

import os

import click

from ..io.files import write_output
from ..model.errors import InputError
from ..model.lint import CODES, failing
from ..render import json as render_json
from ..render import text as render_text
from .root import EXIT_FINDINGS, EXIT_OK, format_option, inputs, kb_option, main, open_app, out, output_option

_CODES_HELP = "\b\nCodes:\n" + "\n".join(f"  {code}  {sev:7}  {what}" for code, (sev, what) in CODES.items())
KINDS = ("proposal", "scenario")


@main.command("lint", epilog=_CODES_HELP)
@kb_option
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="[ID=]FILE",
    help="A source text the quotes must appear in verbatim (repeatable; ID names it for claims with source/2). "
    "Default: the project config's [sources].",
)
@click.option(
    "--proposals",
    "proposals",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Folder of example proposals that must load and have an answer (default: the config's, else ./proposals).",
)
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@format_option("text", "json")
def lint_command(
    kb: tuple[str, ...],
    layers: tuple[str, ...],
    sources: tuple[str, ...],
    proposals: tuple[str, ...],
    strict: bool,
    fmt: str,
) -> None:
    """Check the knowledge base: claims, quotes, predicates, docstrings, the verdict contract, proposals.

    Findings are `file:line: CODE message`.  Exit 0 when there is none, 1 when
    there is an error (with --strict, any finding), 2 on bad input.
    """
    app = open_app(kb, layers)
    given: dict[str, str] = {}
    for item in sources:
        sid, sep, path = item.partition("=")
        if not sep:
            sid, path = "", item
        if sid in given:
            raise InputError(f"two sources are named '{sid or '(the default)'}'", key="--source")
        given[sid] = path
    folders = proposals or app.config.proposals or tuple(p for p in ("proposals",) if os.path.isdir(p))
    findings = app.lint(sources=given, proposals=folders)
    if fmt == "json":
        out(render_json.dumps(render_json.lint_json(findings)))
    else:
        out(render_text.lint_text(findings))
    raise SystemExit(EXIT_FINDINGS if failing(findings, strict=strict) else EXIT_OK)


@main.command("schema")
@click.argument("kind", type=click.Choice(KINDS), default=KINDS[0])
@kb_option
@output_option("Write the schema to FILE (atomically; - for standard output) instead of printing it.")
def schema_command(kind: str, kb: tuple[str, ...], layers: tuple[str, ...], output: str | None) -> None:
    """Print the JSON Schema of a proposal or scenario file, generated from the knowledge base."""
    import json

    app = open_app(kb, layers)
    text = json.dumps(app.schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_output(output, text, inputs=inputs(app))
