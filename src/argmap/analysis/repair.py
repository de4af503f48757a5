"""Minimal repairs: the fewest, then cheapest, changes that reach every goal.

clingo does the search: the repair program (``lp/repair.lp``) turns the
proposal's components into a choice, and ``#minimize`` ranks by the number of
components changed, then by the cost of what is added (``cost/3``, default 1).
All optimal repairs are enumerated by clingo (``--opt-mode=optN``).  When no
repair exists, an unsatisfiable core over the pins (``--keep``, ``--max-changes``)
is shrunk to a minimal set that forbids one.

A goal names a declared verdict: ``effective`` (it is good), ``effective=false``
(a value), ``cost=medium`` (for a level verdict: that level or better).
Several goals must all hold; the default is the knowledge base's gate verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import clingo

from ..asp.terms import text
from ..engine.control import Engine
from ..engine.judge import judge
from ..model.errors import InputError, closest, one_of
from ..model.proposal import Proposal
from ..model.results import Goal, Repair, RepairResult
from ..model.verdicts import FALSE, TRUE, Registry

_YES = {"true": TRUE, "yes": TRUE, "false": FALSE, "no": FALSE}


def parse_goal(spec: str, registry: Registry) -> Goal:
    """A goal as the user writes it (``effective``, ``cost=medium``, ``effective=no``).

    Raises:
        InputError: not a declared verdict, or not one of its values.
    """
    name, _, value = spec.strip().partition("=")
    name = name.strip().replace("-", "_")
    verdict = registry.get(name)
    if verdict is None:
        raise InputError(
            f"'{spec}' is not a verdict of this knowledge base",
            key="--goal",
            expected=one_of(registry.names),
            suggestion=closest(name, registry.names),
        )
    value = value.strip()
    if not value:
        return Goal(name)
    if verdict.kind == "bool":
        if value.lower() not in _YES:
            raise InputError(f"'{value}' is not a value of {name}", key="--goal", expected="true or false")
        return Goal(name, _YES[value.lower()])
    if value not in verdict.values:
        raise InputError(
            f"'{value}' is not a value of {name}",
            key="--goal",
            expected=one_of(verdict.values),
            suggestion=closest(value, verdict.values),
        )
    return Goal(name, value, at_most=verdict.kind == "level")


def repair(
    repairer: Engine,
    judge_engine: Engine,
    proposal: Proposal,
    *,
    goals: Sequence[str | Goal] = (),
    keep: Sequence[str] = (),
    max_changes: int | None = None,
    limit: int = 20,
) -> RepairResult:
    """All optimal repairs of `proposal` (up to `limit`), or the pins that forbid one.

    An open aspect counts as a component the repair may set: the repaired
    proposal has nothing open.

    Raises:
        InputError: an unknown goal or component, or max_changes out of range.
    """
    if repairer.mode != "repair":
        raise ValueError("repair needs an engine built with mode='repair'")
    registry = repairer.vocabulary.registry
    chosen = [g if isinstance(g, Goal) else parse_goal(g, registry) for g in goals]
    if not chosen:
        chosen = [Goal(name) for name in registry.gates]
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
    for goal in chosen:
        if goal.value is None:
            true.append(repairer.literal("goal", fn(goal.verdict)))
        elif goal.at_most:
            true.append(repairer.literal("goal_at_most", fn(goal.verdict), fn(goal.value)))
        else:
            true.append(repairer.literal("goal_value", fn(goal.verdict), fn(goal.value)))
    if max_changes is not None:
        true.append(repairer.literal("max_changes", clingo.Number(max_changes)))
    true += repairer.inputs(replace(proposal, settings=(), open=(), open_values=(), phases=()))
    assumptions = repairer.complete(true)
    found = repairer.optimal(assumptions, "change", limit)
    result_goals = tuple(chosen)
    if found is None:
        pins = [lit for lit in true if repairer.symbol(lit).name in ("keep", "max_changes")]
        base = [lit for lit in true if lit not in pins]
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
                names.append(f"keep {text(sym.arguments[0])}")
            else:
                names.append(f"at most {sym.arguments[0].number} change{'' if sym.arguments[0].number == 1 else 's'}")
        return RepairResult(proposal, result_goals, tuple(keep), max_changes, (), tuple(sorted(names)))
    repairs = []
    for atoms, costs in found:
        changes = tuple(sorted((text(a.arguments[0]), text(a.arguments[1]), text(a.arguments[2])) for a in atoms))
        settings = set(proposal.settings)
        for op, k, v in changes:
            (settings.add if op == "add" else settings.discard)((k, v))
        fixed = replace(proposal, settings=tuple(sorted(settings)), open=(), open_values=(), phases=())
        count = costs[0] if costs else 0
        cost = costs[1] if len(costs) > 1 else 0
        repairs.append(Repair(changes, count, cost, proposal, judge(judge_engine, fixed).verdict))
    repairs.sort(key=lambda r: (r.components, r.cost, r.changes))
    return RepairResult(proposal, result_goals, tuple(keep), max_changes, tuple(repairs))
