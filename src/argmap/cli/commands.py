"""The commands.  Each body is one call into the API plus rendering."""

from __future__ import annotations

import os

import click

from .. import render, render_explain
from ..engine import Engine
from ..errors import InputError
from ..explain import explain as explain_proposal
from ..repair import GOALS
from ..repair import repair as run_repair
from ..sensitivity import sensitivity as run_sensitivity
from ..whatif import parse_changes
from ..whatif import whatif as run_whatif
from .main import EXIT_FINDINGS, EXIT_OK, format_option, kb_option, main, open_kb, out


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@kb_option
@format_option("text", "json")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when a proposal is not consistent and credible.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Split the batch across N processes (each grounds the knowledge base once).",
)
def check(paths: tuple[str, ...], kb: tuple[str, ...], fmt: str, exit_zero: bool, jobs: int) -> None:
    """Judge proposals (YAML files, or folders of them).

    Exit 0 when every proposal is consistent and credible, 1 when any is not
    (unless --exit-zero), 2 on bad input.
    """
    app = open_kb(kb)
    verdicts = app.check_paths(paths, jobs=jobs)
    if fmt == "json":
        out(render.dumps([render.verdict_json(v, app.claims) for v in verdicts]))
    else:
        out(render.verdicts_text(verdicts, app.claims))
    raise SystemExit(EXIT_OK if exit_zero or all(v.ok for v in verdicts) else EXIT_FINDINGS)


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


@main.command()
@click.argument("proposal", type=click.Path())
@click.option("--why", "why", metavar="ATOM", help="Explain why ATOM holds, e.g. credible or risk(high).")
@click.option("--why-not", "why_not", metavar="ATOM", help="Explain why ATOM does not hold.")
@kb_option
@format_option("text", "tree", "json")
def explain(proposal: str, why: str | None, why_not: str | None, kb: tuple[str, ...], fmt: str) -> None:
    """Explain a proposal's verdicts from the rules that fired.

    Each explanation goes down to the proposal's own components, the world
    facts and the claims used, with every claim's verbatim quote and every
    rule's file:line.
    """
    if why and why_not:
        raise click.UsageError("give --why or --why-not, not both")
    app = open_kb(kb, trace=True)
    ex = explain_proposal(app.engine, app.load(proposal), app.claims, why=why, why_not=why_not)
    if fmt == "json":
        out(render.dumps(render_explain.explanation_json(ex)))
    elif fmt == "tree":
        out(render_explain.explanation_tree(ex))
    else:
        out(render_explain.explanation_text(ex))


@main.command()
@click.argument("proposal", type=click.Path())
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Set a component (replaces its values).")
@click.option("--add", "adds", multiple=True, metavar="KEY=VALUE", help="Add a value to a list component.")
@click.option("--unset", "unsets", multiple=True, metavar="KEY[=VALUE]", help="Remove a component, or one value.")
@click.option("--open", "opens", multiple=True, metavar="KEY", help="Leave a component open (strategic ambiguity).")
@click.option(
    "--reject-claim",
    "rejects",
    multiple=True,
    metavar="ID",
    help="Reject a claim of the article; everything it grounds is switched off.",
)
@click.option("--as-of", "as_of", metavar="DATE", help="Read every actor's stance as of DATE (e.g. 2025-02-28).")
@click.option(
    "--as-of-actor",
    "actor_as_of",
    multiple=True,
    metavar="ACTOR=DATE",
    help="Read one actor's stance as of DATE, e.g. us=2025-02-28.",
)
@click.option(
    "--stance",
    "stances",
    multiple=True,
    metavar="ACTOR.ISSUE=POSITION",
    help="Give an actor a stance, e.g. russia.coalition_guarantees=accept.",
)
@kb_option
@format_option("text", "json")
def whatif(
    proposal: str,
    sets: tuple[str, ...],
    adds: tuple[str, ...],
    unsets: tuple[str, ...],
    opens: tuple[str, ...],
    rejects: tuple[str, ...],
    as_of: str | None,
    actor_as_of: tuple[str, ...],
    stances: tuple[str, ...],
    kb: tuple[str, ...],
    fmt: str,
) -> None:
    """Compare a proposal's verdicts before and after changes.

    Changes touch the proposal (--set, --add, --unset, --open), the world
    (--as-of, --as-of-actor, --stance) or the article (--reject-claim).
    Exit 0 when the changed proposal is consistent and credible, 1 otherwise.
    """
    app = open_kb(kb)
    changes = parse_changes(
        app.engine.vocabulary,
        sets=sets,
        adds=adds,
        unsets=unsets,
        opens=opens,
        rejects=rejects,
        as_of=as_of,
        actor_as_of=actor_as_of,
        stances=stances,
    )
    result = run_whatif(app.engine, app.load(proposal), changes)
    if fmt == "json":
        out(render.dumps(render.whatif_json(result, app.claims)))
    else:
        out(render.whatif_text(result, app.claims))
    raise SystemExit(EXIT_OK if result.after.ok else EXIT_FINDINGS)


@main.command()
@click.argument("proposal", type=click.Path())
@click.option(
    "--goal",
    type=click.Choice(sorted(GOALS)),
    default="credible",
    show_default=True,
    help="What the repaired proposal must be.",
)
@click.option("--max-changes", "max_changes", type=click.IntRange(0, 40), help="Change at most N components.")
@click.option("--keep", "keep", multiple=True, metavar="KEY", help="A component that must not change (repeatable).")
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="List at most N optimal repairs."
)
@kb_option
@format_option("text", "json")
def repair(
    proposal: str, goal: str, max_changes: int | None, keep: tuple[str, ...], limit: int, kb: tuple[str, ...], fmt: str
) -> None:
    """The smallest changes that make a proposal reach a goal.

    Repairs are ranked by the number of components changed, then by the cost
    of what they add (facts/costs.lp); clingo finds all optimal ones.  Exit 0
    when a repair exists, 1 when none does.
    """
    app = open_kb(kb)
    result = run_repair(
        Engine(app.engine.files, repair=True, timeout=app.engine.timeout),
        app.engine,
        app.load(proposal),
        goal=goal,
        keep=keep,
        max_changes=max_changes,
        limit=limit,
    )
    if fmt == "json":
        out(render.dumps(render.repair_json(result, app.claims)))
    else:
        out(render.repair_text(result, app.claims))
    raise SystemExit(EXIT_OK if result.found else EXIT_FINDINGS)


@main.command()
@click.argument("proposal", type=click.Path())
@kb_option
@format_option("text", "json")
def sensitivity(proposal: str, kb: tuple[str, ...], fmt: str) -> None:
    """Which claims each verdict rests on, and which are pivotal.

    A claim is pivotal for a verdict when rejecting it alone flips the verdict.
    """
    app = open_kb(kb, trace=True)
    result = run_sensitivity(app.engine, app.load(proposal), app.claims)
    if fmt == "json":
        out(render.dumps(render.sensitivity_json(result, app.claims)))
    else:
        out(render.sensitivity_text(result, app.claims))


@main.command()
@click.argument("folders", nargs=-1, type=click.Path())
@click.option("--base", "base", metavar="REV", help="Compare against the knowledge base at this git revision.")
@click.option(
    "--proposals",
    "proposals",
    multiple=True,
    type=click.Path(),
    default=("proposals",),
    show_default=True,
    help="Proposal files or folders to compare (repeatable).",
)
@click.option(
    "--scenarios",
    "scenarios",
    multiple=True,
    type=click.Path(),
    default=("tests/scenarios",),
    show_default=True,
    help="Scenario files or folders to compare (repeatable).",
)
@kb_option
@format_option("text", "json")
def diff(
    folders: tuple[str, ...],
    base: str | None,
    proposals: tuple[str, ...],
    scenarios: tuple[str, ...],
    kb: tuple[str, ...],
    fmt: str,
) -> None:
    """Which verdicts change between two versions of the knowledge base.

    Either --base REV (the working knowledge base against a git revision) or
    two folders OLD NEW that each hold rules/main.lp.  Exit 0 when nothing
    changed, 1 when a verdict changed.
    """
    from .. import diff as kbdiff
    from ..api import Argmap

    if base and folders:
        raise click.UsageError("give --base REV or two folders, not both")
    ctx = click.get_current_context()
    if ctx.get_parameter_source("scenarios") is click.core.ParameterSource.DEFAULT:
        existing = tuple(p for p in scenarios if os.path.exists(p))  # the default folder may be absent
    else:
        existing = scenarios  # a path the user gave must exist
        for path in scenarios:
            if not os.path.exists(path):
                raise InputError("no such file or folder", path=path, key="--scenarios")
    if base:
        result = kbdiff.diff_revision(".", base, list(kb) or None, proposals, existing)
    elif len(folders) == 2:
        old = Argmap(kbdiff.kb_from_folder(folders[0]), trace=True)
        new = Argmap(kbdiff.kb_from_folder(folders[1]), trace=True)
        result = kbdiff.diff(old, new, kbdiff.subjects(new, proposals, existing))
    else:
        raise click.UsageError("give --base REV, or two knowledge-base folders OLD NEW")
    if fmt == "json":
        out(render.dumps(render.diff_json(result)))
    else:
        out(render.diff_text(result))
    raise SystemExit(EXIT_FINDINGS if result else EXIT_OK)
