"""Minimal repairs: the fewest, then cheapest, changes that reach a goal.

clingo does the search: the repair program (``lp/repair.lp``) turns the
proposal's components into a choice, and ``#minimize`` ranks by the number of
components changed, then by the cost of what is added.  All optimal repairs
are enumerated by clingo (``--opt-mode=optN``).  When no repair exists, the
unsatisfiable core over the pinned components names the pins that forbid it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import clingo

from .engine import Engine, _text
from .errors import InputError, closest, one_of
from .model import Proposal, Verdict
from .verdicts import evaluate

GOALS = {"consistent": "consistent", "credible": "credible", "low-risk": "low_risk", "feasible-now": "feasible_now"}


@dataclass(frozen=True)
class Repair:
    """One optimal repair."""

    changes: tuple[tuple[str, str, str], ...]  # (add | drop, key, value)
    components: int
    cost: int
    proposal: Proposal
    after: Verdict | None = None

    def described(self) -> list[str]:
        """The changes, one line per component: ``key: old -> new``."""
        keys = sorted({k for _, k, _ in self.changes})
        lines = []
        for key in keys:
            dropped = [v for op, k, v in self.changes if k == key and op == "drop"]
            added = [v for op, k, v in self.changes if k == key and op == "add"]
            lines.append(f"{key}: {', '.join(dropped) or '(unset)'} -> {', '.join(added) or '(unset)'}")
        return lines


@dataclass(frozen=True)
class RepairResult:
    proposal: Proposal
    goal: str
    keep: tuple[str, ...]
    max_changes: int | None
    repairs: tuple[Repair, ...]
    #: When there is no repair: the pins (and limits) that together forbid one.
    blocked_by: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.repairs)


def repair(
    repairer: Engine,
    judge: Engine,
    proposal: Proposal,
    *,
    goal: str = "credible",
    keep: Sequence[str] = (),
    max_changes: int | None = None,
    limit: int = 20,
) -> RepairResult:
    """All optimal repairs of `proposal` (up to `limit`), or why there is none."""
    if not repairer.repair:
        raise ValueError("repair needs an engine built with repair=True")
    if goal not in GOALS:
        raise InputError(
            f"'{goal}' is not a goal", key="--goal", expected=one_of(GOALS), suggestion=closest(goal, GOALS)
        )
    voc = repairer.vocabulary
    for key in keep:
        if key not in voc.components:
            raise InputError(
                f"'{key}' is not a component",
                key="--keep",
                expected=one_of(voc.components, 40),
                suggestion=closest(key, voc.components),
            )
    if max_changes is not None and not 0 <= max_changes <= 40:
        raise InputError(f"{max_changes} is out of range", key="--max-changes", expected="0 to 40")
    fn = clingo.Function
    true = [repairer.literal("orig", fn(k), fn(v)) for k, v in proposal.settings]
    true += [repairer.literal("keep", fn(k)) for k in keep]
    true.append(repairer.literal("goal", fn(GOALS[goal])))
    if max_changes is not None:
        true.append(repairer.literal("max_changes", clingo.Number(max_changes)))
    assumptions = repairer.complete(true)
    found = repairer.optimal(assumptions, "change", limit)
    if found is None:
        base = [lit for lit in true if repairer.symbol(lit).name not in ("keep", "max_changes")]
        pins = [lit for lit in true if lit not in base]
        core = {repairer.literal_of(sym) for sym in repairer.core(assumptions)}
        blocking = [lit for lit in pins if lit in core]
        # Shrink the core to a minimal set of pins: drop each pin whose absence still leaves no repair.
        for lit in list(blocking):
            trial = [p for p in blocking if p != lit]
            if not repairer.solve_raw(repairer.complete([*base, *trial]), []):
                blocking = trial
        names = []
        for lit in blocking:
            sym = repairer.symbol(lit)
            if sym.name == "keep":
                names.append(f"keep {_text(sym.arguments[0])}")
            else:
                names.append(f"at most {sym.arguments[0].number} changes")
        return RepairResult(proposal, goal, tuple(keep), max_changes, (), tuple(sorted(names)))
    repairs = []
    for atoms, costs in found:
        changes = tuple(sorted((_text(a.arguments[0]), _text(a.arguments[1]), _text(a.arguments[2])) for a in atoms))
        settings = set(proposal.settings)
        for op, k, v in changes:
            (settings.add if op == "add" else settings.discard)((k, v))
        fixed = replace(proposal, settings=tuple(sorted(settings)), open=())
        count = costs[0] if costs else 0
        cost = costs[1] if len(costs) > 1 else 0
        repairs.append(Repair(changes, count, cost, fixed, evaluate(judge, fixed)))
    repairs.sort(key=lambda r: (r.components, r.cost, r.changes))
    return RepairResult(proposal, goal, tuple(keep), max_changes, tuple(repairs))
