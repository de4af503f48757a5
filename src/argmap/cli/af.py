"""`argmap af` and `argmap af-kb`: abstract argumentation, answered the ICCMA way.

Start-up matters here (a framework clingo solves in 30 ms), so this module
imports only click, the command-line helpers and the codes of argmap.af; the
reasoner (and clingo) load when a command runs, and nothing of the engine or
the renderers loads at all.
"""

from __future__ import annotations

import os
import sys

import click

from ..af.codes import FORMATS, ICCMA_SEMANTICS, TASKS
from .root import format_option, kb_option, main, open_app, out, timeout


class _Upper(click.Choice):
    """A choice of upper-case codes (PR, DC) that also takes them in lower case."""

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> object:
        return super().convert(value.upper() if isinstance(value, str) else value, param, ctx)


def _abandon_grounding(exc: BaseException) -> None:
    """If clingo is still grounding in a helper thread (left behind at a timeout or an
    interrupt), report and exit at once: finalising the interpreter under it could crash."""
    from ..af.limits import TaskTimeoutError, busy

    if not busy():
        return
    if isinstance(exc, TaskTimeoutError):
        message, code = str(exc), 2
    elif isinstance(exc, KeyboardInterrupt):
        message, code = "interrupted", 130
    elif not isinstance(exc, Exception):
        message, code = "terminated", 143
    else:
        return
    sys.stdout.flush()
    sys.stderr.write(f"argmap: {message}\n")
    sys.stderr.flush()
    os._exit(code)


@main.command("af")
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--semantics",
    "-s",
    type=_Upper(ICCMA_SEMANTICS),
    required=True,
    help="CO complete, GR grounded, PR preferred, ST stable, SST semi-stable, STG stage, ID ideal.",
)
@click.option(
    "--task",
    "-t",
    type=_Upper(TASKS),
    required=True,
    help="SE some extension, EE every extension, DC credulous, DS sceptical acceptance of --arg.",
)
@click.option("--arg", "-a", "argument", metavar="A", help="The argument DC and DS decide.")
@click.option(
    "--fo",
    type=click.Choice(FORMATS),
    help="Input format. Default: from the extension (.apx, .tgf, .af or .i23).",
)
@click.option(
    "--kb-framework",
    is_flag=True,
    help="Use the knowledge base's own framework (af_arg/2, af_att/2) instead of PATH.",
)
@kb_option
def af_command(
    path: str | None,
    semantics: str,
    task: str,
    argument: str | None,
    fo: str | None,
    kb_framework: bool,
    kb: tuple[str, ...],
    layers: tuple[str, ...],
) -> None:
    """Solve an ICCMA task on an argumentation framework file.

    Output follows ICCMA: for apx and tgf input the 2019 style ([a,b] for SE,
    [[a,b],[c]] for EE, YES/NO for DC and DS); for i23 input the 2023 style
    (w 1 2 for SE, YES/NO with a certificate line w ... for DC and DS).
    Exit 0 with an answer (YES or NO alike), 2 on bad input or when
    `argmap --timeout` runs out (reading, grounding and solving count).
    """
    if kb_framework == (path is not None):
        raise click.UsageError("give a framework file PATH or --kb-framework, not both or neither")
    if kb_framework and fo is not None:
        raise click.UsageError("--fo applies to a framework file, not to --kb-framework")
    if task in ("DC", "DS") and argument is None:
        raise click.UsageError(f"{task} decides an argument: add --arg A")
    if task in ("SE", "EE") and argument is not None:
        raise click.UsageError(f"{task} takes no --arg (only DC and DS do)")
    from ..af.limits import Deadline

    deadline = Deadline(timeout(), path=path)
    try:
        from ..af.formats import read_framework
        from ..af.render import iccma
        from ..af.tasks import solve

        if kb_framework:
            framework = open_app(kb, layers).framework().framework
        else:
            framework = read_framework(path or "", fo, deadline)
        out(iccma(solve(framework, semantics, task, argument, deadline=deadline), framework))
    except BaseException as exc:
        _abandon_grounding(exc)
        raise


@main.command("af-kb")
@click.option(
    "--semantics",
    "-s",
    "semantics",
    multiple=True,
    type=_Upper(ICCMA_SEMANTICS),
    help="Report only these semantics (repeatable). Default: GR ID CO PR ST SST STG.",
)
@kb_option
@format_option("text", "json")
def af_kb(semantics: tuple[str, ...], kb: tuple[str, ...], layers: tuple[str, ...], fmt: str) -> None:
    """Which of the knowledge base's positions (af_arg/2, af_att/2) each semantics accepts.

    S: sceptically (in every extension); c: credulously only (in some, not all).
    """
    from ..af.article import acceptance
    from ..af.limits import Deadline
    from ..af.render import report_json, report_text

    chosen = list(dict.fromkeys(semantics)) or list(ICCMA_SEMANTICS)
    article = open_app(kb, layers).framework()
    deadline = Deadline(timeout())
    try:
        report = acceptance(article.framework, chosen, deadline)
    except BaseException as exc:
        _abandon_grounding(exc)
        raise
    if fmt == "json":
        import json

        out(json.dumps(report_json(article, report), ensure_ascii=False, indent=2) + "\n")
    else:
        out(report_text(article, report))
