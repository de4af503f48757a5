"""`argmap explore`: search a design space for credible, cheap packages."""

from __future__ import annotations

import json
import sys

import click

from .. import render
from ..explain import explain as explain_proposal
from ..explore import Exploration, Package, explore
from ..render_explain import explanation_text
from ..space import load_space
from .main import EXIT_FINDINGS, EXIT_OK, kb_option, main, open_kb, out


def _settings(p: Package) -> dict[str, object]:
    grouped: dict[str, list[str]] = {}
    for k, v in p.settings:
        grouped.setdefault(k, []).append(v)
    return {k: (v if len(v) > 1 else v[0]) for k, v in grouped.items()}


def _json(result: Exploration) -> dict[str, object]:
    return {
        "space": result.space.path,
        "title": result.space.title,
        "size": result.size,
        "binary_choices": result.space.binary_choices(),
        "consistent": result.consistent,
        "credible": result.credible,
        "counts_exact": result.counts_exact,
        "count_limit": result.count_limit,
        "cheapest": [{"cost": p.cost, "package": _settings(p)} for p in result.cheapest],
        "pareto": [
            {"cost": p.cost, "risk": p.risk, "feasible_now": p.feasible_now, "example": _settings(p.example)}
            for p in result.pareto
        ],
        "examples": [{"cost": p.cost, "package": _settings(p)} for p in result.examples],
    }


def _chosen(result: Exploration, p: Package) -> str:
    """A package as its choices (the space's fixed settings are left out)."""
    choices = result.space.choices
    return ", ".join(f"{k}={v}" for k, v in p.settings if k in choices) or "(only the fixed settings)"


def _text(result: Exploration, why: str) -> str:
    counted = "" if result.counts_exact else f" (counting stopped at {result.count_limit:,})"
    at_least = "" if result.counts_exact else "at least "
    lines = [
        result.space.title,
        f"  {result.space.path}: {result.size:,} packages ({result.space.binary_choices()} independent yes/no choices)",
        f"  consistent: {at_least}{result.consistent:,}   credible: {at_least}{result.credible:,}{counted}",
        "",
    ]
    if not result.cheapest:
        lines.append("No package in the space is credible.")
    else:
        count = len(result.cheapest)
        lines.append(
            f"Cheapest credible packages (cost {result.cheapest[0].cost}, {count} optim{'a' if count > 1 else 'um'}):"
        )
        for n, p in enumerate(result.cheapest, 1):
            lines.append(f"  {n}. " + _chosen(result, p))
    lines += ["", "Pareto front over cost, risk and feasibility now (consistent packages):"]
    for p in result.pareto:
        lines.append(
            f"  cost {p.cost:>3}  risk {p.risk:<6}  feasible now {'yes' if p.feasible_now else 'no '}  e.g. "
            + _chosen(result, p.example)
        )
    if result.examples:
        lines += ["", "Examples of credible packages:"]
        for p in result.examples:
            lines.append(f"  cost {p.cost:>3}  " + _chosen(result, p))
    if why:
        lines += ["", "Why the first optimum is credible:", *("  " + line for line in why.splitlines())]
    return "\n".join(lines) + "\n"


@main.command("explore")
@click.argument("space", type=click.Path())
@click.option(
    "--limit",
    type=click.IntRange(0, 10_000),
    default=5,
    show_default=True,
    help="How many example credible packages to list.",
)
@click.option(
    "--optima", type=click.IntRange(1, 10_000), default=20, show_default=True, help="List at most N cheapest packages."
)
@click.option(
    "--count-limit",
    type=click.IntRange(1, 10**9),
    default=100_000,
    show_default=True,
    help="Stop counting packages at N.",
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
def explore_command(space: str, limit: int, optima: int, count_limit: int, fmt: str, kb: tuple[str, ...]) -> None:
    """Search a design space: counts, the cheapest credible packages, a Pareto front, examples.

    clingo does the search (choice rules, #minimize, enumeration); Python
    never walks the space.  Exit 0 when some package is credible, 1 when none is.
    """
    app = open_kb(kb)
    design = load_space(space, app.engine.vocabulary.components)
    progress = sys.stderr.isatty() and fmt == "text"

    def listener(event: str, package: Package) -> None:
        if fmt == "jsonl":
            out(
                json.dumps({"event": event, "cost": package.cost, "package": _settings(package)}, ensure_ascii=False)
                + "\n"
            )
            sys.stdout.flush()
        elif progress:
            click.echo(f"\r  searching... best cost so far {package.cost:<8}", err=True, nl=False)

    result = explore(
        design,
        list(kb) or None,
        limit=limit,
        count_limit=count_limit,
        optima=optima,
        listener=listener,
        timeout=app.engine.timeout,
    )
    if progress:
        click.echo("\r" + " " * 40 + "\r", err=True, nl=False)
    why = ""
    if result.cheapest and fmt != "jsonl":
        traced = open_kb(kb, trace=True)
        ex = explain_proposal(
            traced.engine, result.cheapest[0].proposal(design, "optimum"), traced.claims, why="credible"
        )
        why = explanation_text(ex).split("\n", 2)[2] if fmt == "text" else ""
    if fmt == "json":
        out(render.dumps(_json(result)))
    elif fmt == "jsonl":
        out(json.dumps({"event": "summary", **_json(result)}, ensure_ascii=False) + "\n")
    else:
        out(_text(result, why))
    raise SystemExit(EXIT_OK if result.cheapest else EXIT_FINDINGS)
