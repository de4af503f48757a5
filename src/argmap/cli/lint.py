"""`argmap lint` and `argmap schema`: checking the knowledge base, and the schemas it implies."""

from __future__ import annotations

import os

import click

from .. import render
from ..fileio import atomic_write
from ..lint import CODES, ERROR, failing, lint
from ..schema import KINDS, dumps, generate
from .main import EXIT_FINDINGS, EXIT_OK, format_option, kb_option, main, open_kb, out, probe_kb

DEFAULT_PROPOSALS = "proposals"
_CODES_HELP = "\b\nCodes:\n" + "\n".join(f"  {code}  {sev:7}  {what}" for code, (sev, what) in CODES.items())


@main.command("lint", epilog=_CODES_HELP)
@kb_option
@click.option(
    "--source",
    type=click.Path(dir_okay=False),
    help="The source text: every quote must appear in it verbatim (whitespace and typographic quotes aside).",
)
@click.option(
    "--proposals",
    "proposals",
    type=click.Path(file_okay=False),
    help=f"Folder of example proposals that must load and have an answer. Default: ./{DEFAULT_PROPOSALS} if it exists.",
)
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@format_option("text", "json")
def lint_command(kb: tuple[str, ...], source: str | None, proposals: str | None, strict: bool, fmt: str) -> None:
    """Check the knowledge base: claims, quotes, predicates, docstrings, example proposals.

    Findings are `file:line: CODE message`.  Exit 0 when there is none, 1 when
    there is an error (with --strict, any finding), 2 on bad input.
    """
    if proposals is None and os.path.isdir(DEFAULT_PROPOSALS):
        proposals = DEFAULT_PROPOSALS
    probe_kb(kb)
    findings = lint(list(kb) or None, source=source, proposals=proposals)
    if fmt == "json":
        out(render.dumps([f.as_json() for f in findings]))
    else:
        errors = sum(f.severity == ERROR for f in findings)
        warnings = len(findings) - errors
        lines = [str(f) for f in findings]
        lines.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
        out("\n".join(lines) + "\n")
    raise SystemExit(EXIT_FINDINGS if failing(findings, strict=strict) else EXIT_OK)


@main.command("schema")
@click.argument("kind", type=click.Choice(KINDS), default=KINDS[0])
@kb_option
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the schema to FILE (atomically) instead of printing it.",
)
def schema_command(kind: str, kb: tuple[str, ...], output: str | None) -> None:
    """Print the JSON Schema of a proposal or scenario file, generated from the knowledge base's vocabulary."""
    text = dumps(generate(kind, open_kb(kb).engine.vocabulary))
    if output:
        atomic_write(output, text)
    else:
        out(text)
