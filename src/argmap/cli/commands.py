"""The commands on one proposal or a batch.  Each body parses options, calls the API once, and renders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Argmap
    from ..io.config import Config

from ..io.files import write_output
from ..model.errors import InputError
from ..render import json as render_json
from ..render import markdown as render_markdown
from ..render import text as render_text
from .root import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    format_option,
    inputs,
    kb_option,
    main,
    open_app,
    out,
    output_option,
)

PROPOSAL = click.Path()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@kb_option
@format_option("text", "json", "jsonl", "markdown")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when a proposal fails a gate verdict.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Split the batch across N processes (each grounds the knowledge base once).",
)
@output_option("Write the results to FILE (atomically, as they are computed; - for standard output).")
def check(
    paths: tuple[str, ...],
    kb: tuple[str, ...],
    layers: tuple[str, ...],
    fmt: str,
    exit_zero: bool,
    jobs: int,
    output: str | None,
) -> None:
    """Judge proposals (YAML files, or folders of them; default: the project config's proposals).

    Every verdict the knowledge base declares, with the reasons, claims and
    quotes behind it (--format markdown: one table row a proposal; json: one
    list, written as it grows; jsonl: one object a line).  Results stream in
    input order as they are computed, and memory does not grow with the
    number of proposals.  A file that cannot be read is reported on standard
    error and the others are still judged.  Exit 0 when every proposal passes
    the gate verdicts, 1 when one does not (unless --exit-zero), 2 when a
    file is bad.
    """
    app = open_app(kb, layers)
    targets = paths or app.config.proposals
    if not targets:
        raise click.UsageError("give proposal files or folders (or proposals = [...] in the project config)")
    tally = {"total": 0, "passed": 0, "bad": 0}
    chunks = _check_chunks(app, targets, fmt, jobs, tally)
    if output is None or output == "-":
        for chunk in chunks:
            out(chunk)
            sys.stdout.flush()  # a reader sees each proposal as soon as it is judged
    else:
        # streamed into a temporary file beside FILE, renamed over it at the end (an error or an
        # interrupt half-way leaves the old FILE as it was)
        write_output(output, chunks, inputs=inputs(app, *targets))
    if tally["bad"]:
        raise SystemExit(EXIT_INPUT)
    raise SystemExit(EXIT_OK if exit_zero or tally["passed"] == tally["total"] else EXIT_FINDINGS)


def _check_chunks(app: Argmap, targets: Sequence[str], fmt: str, jobs: int, tally: dict[str, int]) -> Iterator[str]:
    """check's output in `fmt`, one piece a proposal (in input order), as each is judged.

    Nothing is kept from one proposal to the next but the counts in `tally`
    (total, passed, bad): each verdict is rendered and let go.  A bad file is
    reported on standard error in its place and counted as bad.
    """
    # The knowledge base is loaded (and, if it is not argmap's own, probed) once, up front: an error in it
    # is reported once, not once per proposal.  With --jobs the workers' probe comes first.
    voc = app.vocabulary if jobs == 1 else None
    first = True
    unknown_keys = False
    for item in app.check_paths(targets, jobs=jobs):
        if isinstance(item, InputError):
            tally["bad"] += 1
            unknown_keys = unknown_keys or "unknown key" in str(item)
            click.echo(f"argmap: {item}", err=True)
            continue
        voc = voc or app.vocabulary
        tally["total"] += 1
        tally["passed"] += item.ok
        if fmt == "json":
            piece = ("[\n" if first else ",\n") + _indent(render_json.dumps(render_json.verdict_json(item, voc)))
        elif fmt == "jsonl":
            piece = render_json.line(render_json.verdict_json(item, voc))
        elif fmt == "markdown":
            piece = (render_markdown.header(voc) if first else "") + render_markdown.row(item)
        else:
            piece = ("" if first else "\n") + render_text.verdict_text(item, voc)
        del item  # let the verdict go before the next proposal is judged
        first = False
        yield piece
    if unknown_keys and app.kb.is_shipped and app.config.path is None:
        click.echo(
            "argmap: note: these files were read against argmap's own knowledge base, as no argmap.toml was "
            "found from this folder up; name yours with --kb, or run argmap in its project's folder",
            err=True,
        )
    if fmt == "json":
        yield "[]\n" if first else "\n]\n"
    elif fmt == "text" and tally["total"]:
        yield "\n" + render_text.summary(tally["passed"], tally["total"], voc or app.vocabulary) + "\n"


def _folder_config(folder: str) -> Config:
    """A diff side's own project config (its argmap.toml), or an empty one."""
    from ..io.config import Config, load

    path = os.path.join(folder, "argmap.toml")
    return load(path) if os.path.isfile(path) else Config()


def _indent(text: str) -> str:
    """JSON indented one level, to stand in a list (split at newlines only: a string may hold U+0085)."""
    return "\n".join("  " + line for line in text.rstrip("\n").split("\n"))


@main.command()
@kb_option
@format_option("text", "json")
def claims(kb: tuple[str, ...], layers: tuple[str, ...], fmt: str) -> None:
    """List every claim of the knowledge base with its kind, paraphrase, quotes and caveats."""
    app = open_app(kb, layers)
    items = app.claim_list()
    if fmt == "json":
        out(render_json.dumps([render_json.claim_json(c) for c in items]))
    else:
        out(render_text.claims_text(items))


@main.command()
@click.argument("proposal", type=PROPOSAL)
@click.option("--why", "why", metavar="ATOM", help="Explain why ATOM holds, e.g. a verdict's name.")
@click.option("--why-not", "why_not", metavar="ATOM", help="Explain why ATOM does not hold.")
@kb_option
@format_option("text", "tree", "json")
def explain(
    proposal: str, why: str | None, why_not: str | None, kb: tuple[str, ...], layers: tuple[str, ...], fmt: str
) -> None:
    """Explain a proposal's verdicts from the rules that fired.

    Each explanation goes down to the proposal's own components, the facts
    and the claims used, with every claim's verbatim quote and every rule's
    file:line.
    """
    from ..render import explain as render_explain

    if why and why_not:
        raise click.UsageError("give --why or --why-not, not both")
    app = open_app(kb, layers)
    try:
        ex = app.explain(proposal, why=why, why_not=why_not)
    except InputError as exc:
        atom = (why or why_not or "").strip()
        if atom and exc.path is None and exc.key is None and exc.message.startswith(f"'{atom}'"):
            exc.key = "--why" if why else "--why-not"  # about the option's atom, not the proposal file
        elif exc.path is None:
            exc.path = proposal
        raise
    if fmt == "json":
        out(render_json.dumps(render_explain.explanation_json(ex)))
    elif fmt == "tree":
        out(render_explain.explanation_tree(ex))
    else:
        out(render_explain.explanation_text(ex, app.vocabulary))


def change_options(func: object) -> object:
    """The what-if changes, shared by whatif (and documented once)."""
    for decorator in reversed(
        [
            click.option(
                "--set", "sets", multiple=True, metavar="KEY=VALUE", help="Set a component (replaces its values)."
            ),
            click.option("--add", "adds", multiple=True, metavar="KEY=VALUE", help="Add a value to a list component."),
            click.option(
                "--unset", "unsets", multiple=True, metavar="KEY[=VALUE]", help="Remove a component, or one value."
            ),
            click.option(
                "--open",
                "opens",
                multiple=True,
                metavar="KEY[=V1,V2]",
                help="Leave a component open (every completion is judged), optionally over some values.",
            ),
            click.option(
                "--reject-claim",
                "rejects",
                multiple=True,
                metavar="ID",
                help="Reject a claim; what it grounds is switched off.",
            ),
            click.option(
                "--as-of", "as_of", metavar="DATE", help="Read every actor's stance as of DATE (stances part)."
            ),
            click.option(
                "--as-of-actor",
                "actor_as_of",
                multiple=True,
                metavar="ACTOR=DATE",
                help="Read one actor's stance as of DATE.",
            ),
            click.option(
                "--stance", "stances", multiple=True, metavar="ACTOR.ISSUE=POSITION", help="Give an actor a stance."
            ),
        ]
    ):
        func = decorator(func)  # type: ignore[assignment,operator]
    return func


@main.command()
@click.argument("proposal", type=PROPOSAL)
@change_options
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
    layers: tuple[str, ...],
    fmt: str,
) -> None:
    """Compare a proposal's verdicts before and after changes.

    Changes touch the proposal (--set, --add, --unset, --open), the world
    (--as-of, --as-of-actor, --stance) or the source (--reject-claim).
    Exit 0 when the changed proposal passes the gate verdicts, 1 otherwise.
    """
    app = open_app(kb, layers)
    changes = app.changes(
        sets=sets,
        adds=adds,
        unsets=unsets,
        opens=opens,
        rejects=rejects,
        as_of=as_of,
        actor_as_of=actor_as_of,
        stances=stances,
    )
    result = app.whatif(proposal, changes)
    if fmt == "json":
        out(render_json.dumps(render_json.whatif_json(result, app.vocabulary)))
    else:
        out(render_text.whatif_text(result, app.vocabulary))
    raise SystemExit(EXIT_OK if result.after.ok else EXIT_FINDINGS)


@main.command()
@click.argument("proposal", type=PROPOSAL)
@click.option(
    "--goal",
    "goals",
    multiple=True,
    metavar="VERDICT[=VALUE]",
    help="A verdict the repaired proposal must have good (repeatable; all must hold). "
    "VERDICT=VALUE asks for a value (for a level verdict: that level or better). Default: the gate verdicts.",
)
@click.option("--max-changes", "max_changes", type=click.IntRange(0, 40), help="Change at most N components.")
@click.option("--keep", "keep", multiple=True, metavar="KEY", help="A component that must not change (repeatable).")
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="List at most N optimal repairs."
)
@kb_option
@format_option("text", "json")
def repair(
    proposal: str,
    goals: tuple[str, ...],
    max_changes: int | None,
    keep: tuple[str, ...],
    limit: int,
    kb: tuple[str, ...],
    layers: tuple[str, ...],
    fmt: str,
) -> None:
    """The smallest changes that make a proposal reach its goals.

    Repairs are ranked by the number of components changed, then by the cost
    of what they add (cost/3 in the knowledge base); clingo finds all optimal
    ones.  Exit 0 when a repair exists, 1 when none does.
    """
    app = open_app(kb, layers)
    result = app.repair(proposal, goals=goals, keep=keep, max_changes=max_changes, limit=limit)
    if fmt == "json":
        out(render_json.dumps(render_json.repair_json(result, app.vocabulary)))
    else:
        out(render_text.repair_text(result, app.vocabulary))
    raise SystemExit(EXIT_OK if result.found else EXIT_FINDINGS)


@main.command()
@click.argument("proposal", type=PROPOSAL)
@kb_option
@format_option("text", "json")
def sensitivity(proposal: str, kb: tuple[str, ...], layers: tuple[str, ...], fmt: str) -> None:
    """Which claims each verdict rests on, and which are pivotal.

    A claim is pivotal for a verdict when rejecting it alone changes the verdict.
    """
    app = open_app(kb, layers)
    result = app.sensitivity(proposal)
    if fmt == "json":
        out(render_json.dumps(render_json.sensitivity_json(result, app.vocabulary)))
    else:
        out(render_text.sensitivity_text(result, app.vocabulary))


@main.command()
@click.argument("folders", nargs=-1, type=click.Path())
@click.option("--base", "base", metavar="REV", help="Compare against the knowledge base at this git revision.")
@click.option(
    "--proposals",
    "proposals",
    multiple=True,
    type=click.Path(),
    help="Proposal files or folders to compare (repeatable; default: the project config's, else ./proposals).",
)
@click.option(
    "--scenarios",
    "scenarios",
    multiple=True,
    type=click.Path(),
    help="Scenario files or folders to compare (repeatable; default: the project config's, else ./tests/scenarios).",
)
@kb_option
@format_option("text", "json")
def diff(
    folders: tuple[str, ...],
    base: str | None,
    proposals: tuple[str, ...],
    scenarios: tuple[str, ...],
    kb: tuple[str, ...],
    layers: tuple[str, ...],
    fmt: str,
) -> None:
    """Which verdicts change between two versions of a knowledge base.

    Either --base REV (the current knowledge base, with --kb and --layer,
    against the same files at a git revision) or two folders OLD NEW, each
    holding a knowledge base (argmap.toml's kb, or rules/main.lp); --layer
    applies to both.  Exit 0 when nothing changed, 1 when a verdict changed.
    """
    from ..api import Argmap
    from ..engine.kbspec import kb_from_folder

    if base and folders:
        raise click.UsageError("give --base REV or two folders, not both")
    if not base and len(folders) != 2:
        raise click.UsageError("give --base REV, or two knowledge-base folders OLD NEW")
    if folders and kb:
        raise click.UsageError("--kb goes with --base; two folders OLD NEW each hold their knowledge base")
    app = open_app(kb, layers)
    given = bool(scenarios)
    if given:
        for path in scenarios:
            if not os.path.exists(path):
                raise InputError("no such file or folder", path=path, key="--scenarios")
    # What to compare: --proposals/--scenarios; else NEW's (or OLD's) own project config; else this folder's.
    own = [c for c in (_folder_config(f) for f in reversed(folders)) if c.proposals or c.scenarios]
    where = own[0] if own else app.config
    proposals = proposals or where.proposals or (() if own else tuple(p for p in ("proposals",) if os.path.isdir(p)))
    scenarios = (
        scenarios or where.scenarios or (() if own else tuple(p for p in ("tests/scenarios",) if os.path.isdir(p)))
    )
    if not proposals and not scenarios:
        raise InputError(
            "nothing to compare: no proposals or scenarios",
            key="diff",
            expected="--proposals or --scenarios, or an argmap.toml with proposals/scenarios in "
            + ("OLD or NEW" if folders else "the project"),
        )
    head = app
    if base:
        result = app.diff_revision(base, proposals, scenarios)
    else:
        old_config, new_config = (_folder_config(f) for f in folders)
        old = Argmap(kb_from_folder(folders[0], layers), timeout=app.timeout, config=old_config)
        head = Argmap(kb_from_folder(folders[1], layers), timeout=app.timeout, config=new_config)
        result = head.diff(old, proposals, scenarios)
    if fmt == "json":
        out(render_json.dumps(render_json.diff_json(result)))
    else:
        out(render_text.diff_text(result, head.vocabulary))
    raise SystemExit(EXIT_FINDINGS if result else EXIT_OK)
