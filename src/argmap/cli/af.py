"""`argmap af` and `argmap af-kb`: abstract argumentation, answered the ICCMA way."""

from __future__ import annotations

import click

from .. import af
from ..render import dumps
from .main import format_option, main, out, probe_kb


class _Upper(click.Choice):
    """A choice of upper-case codes (PR, DC) that also takes them in lower case."""

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> object:
        return super().convert(value.upper() if isinstance(value, str) else value, param, ctx)


@main.command("af")
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--semantics",
    "-s",
    type=_Upper(af.ICCMA_SEMANTICS),
    required=True,
    help="CO complete, GR grounded, PR preferred, ST stable, SST semi-stable, STG stage, ID ideal.",
)
@click.option(
    "--task",
    "-t",
    type=_Upper(af.TASKS),
    required=True,
    help="SE some extension, EE every extension, DC credulous, DS sceptical acceptance of --arg.",
)
@click.option("--arg", "-a", "argument", metavar="A", help="The argument DC and DS decide.")
@click.option(
    "--fo",
    type=click.Choice(af.FORMATS),
    help="Input format. Default: from the extension (.apx, .tgf, .af or .i23).",
)
@click.option("--kb-framework", is_flag=True, help="Use the article's framework (facts/af.lp) instead of PATH.")
def af_command(
    path: str | None, semantics: str, task: str, argument: str | None, fo: str | None, kb_framework: bool
) -> None:
    """Solve an ICCMA task on an argumentation framework file.

    Output follows ICCMA: for apx and tgf input the 2019 style ([a,b] for SE,
    [[a,b],[c]] for EE, YES/NO for DC and DS); for i23 input the 2023 style
    (w 1 2 for SE, YES/NO with a certificate line w ... for DC and DS).
    Exit 0 with an answer (YES or NO alike), 2 on bad input.
    """
    if kb_framework == (path is not None):
        raise click.UsageError("give a framework file PATH or --kb-framework, not both or neither")
    if kb_framework and fo is not None:
        raise click.UsageError("--fo applies to a framework file, not to --kb-framework")
    if task in ("DC", "DS") and argument is None:
        raise click.UsageError(f"{task} decides an argument: add --arg A")
    if task in ("SE", "EE") and argument is not None:
        raise click.UsageError(f"{task} takes no --arg (only DC and DS do)")
    framework = af.load_article().framework if kb_framework else af.read_framework(path or "", fo)
    out(af.iccma(af.solve(framework, semantics, task, argument), framework))


@main.command("af-kb")
@click.option(
    "--semantics",
    "-s",
    "semantics",
    multiple=True,
    type=_Upper(af.ICCMA_SEMANTICS),
    help="Report only these semantics (repeatable). Default: GR ID CO PR ST SST STG.",
)
@click.option(
    "--kb",
    "kb",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Files with af_arg/2, af_by/2, af_att/2 and the claims they cite (repeatable). "
    "Default: facts/claims.lp and facts/af.lp.",
)
@format_option("text", "json")
def af_kb(semantics: tuple[str, ...], kb: tuple[str, ...], fmt: str) -> None:
    """Which of the article's positions each semantics accepts, sceptically or credulously."""
    chosen = list(dict.fromkeys(semantics)) or list(af.ICCMA_SEMANTICS)
    probe_kb(kb)
    article = af.load_article(list(kb) or None)
    report = af.acceptance(article.framework, chosen)
    if fmt == "json":
        out(dumps(af.report_json(article, report)))
    else:
        out(af.report_text(article, report))
