"""The commands.  Each body is one call into the API plus rendering."""

from __future__ import annotations

import click

from .. import render
from .main import EXIT_FINDINGS, EXIT_OK, format_option, kb_option, main, open_kb, out


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@kb_option
@format_option("text", "json")
def check(paths: tuple[str, ...], kb: tuple[str, ...], fmt: str) -> None:
    """Judge proposals (YAML files, or folders of them).

    Exit 0 when every proposal is consistent and credible, 1 when any is not,
    2 on bad input.
    """
    app = open_kb(kb)
    verdicts = app.check_paths(paths)
    if fmt == "json":
        out(render.dumps([render.verdict_json(v, app.claims) for v in verdicts]))
    else:
        out(render.verdicts_text(verdicts, app.claims))
    raise SystemExit(EXIT_OK if all(v.ok for v in verdicts) else EXIT_FINDINGS)


@main.command()
@kb_option
@format_option("text", "json")
def claims(kb: tuple[str, ...], fmt: str) -> None:
    """List every claim of the knowledge base with its kind, paraphrase and quote."""
    app = open_kb(kb)
    items = app.claim_list()
    if fmt == "json":
        out(render.dumps([render.claim_json(c) for c in items]))
    else:
        out(render.claims_text(items))
