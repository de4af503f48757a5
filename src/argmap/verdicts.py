"""Reading verdicts back from answer sets into :class:`~argmap.model.Verdict`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import clingo

from .engine import BASELINE, Answer, Engine, World, _text
from .model import ALL, NONE, SOME, Conflict, PhaseVerdict, Proposal, Reason, Truncation, Verdict, Warning


def evaluate(engine: Engine, proposal: Proposal, world: World = BASELINE, *, fired: bool = False) -> Verdict:
    """The verdicts of `proposal` under `world`, from one ground program.

    A roadmap is judged phase by phase, then once more with every phase's
    results as inputs to the roadmap rules; its headline verdicts are those
    of its final phase.
    """
    if proposal.phases:
        return _evaluate_roadmap(engine, proposal, world)
    answer = engine.solve(engine.assumptions(proposal, world), open_aspects=bool(proposal.open), fired=fired)
    return verdict_from_answer(proposal, answer)


def _evaluate_roadmap(engine: Engine, proposal: Proposal, world: World) -> Verdict:
    phases, answer = roadmap_answer(engine, proposal, world)
    return roadmap_verdict(proposal, phases, answer)


def roadmap_answer(
    engine: Engine, proposal: Proposal, world: World = BASELINE, *, fired: bool = False
) -> tuple[tuple[PhaseVerdict, ...], Answer]:
    """Each phase judged on its own, and the answer of the roadmap rules over their results."""
    fn, num = clingo.Function, clingo.Number
    phases = []
    roadmap: list[int] = []
    for i, phase in enumerate(proposal.phases, 1):
        step = replace(proposal, settings=phase.settings, phases=())
        verdict = evaluate(engine, step, world)
        phases.append(PhaseVerdict(phase, verdict))
        roadmap.append(engine.literal("roadmap_phase", num(i)))
        roadmap.append(engine.literal("phase_timing", num(i), fn(phase.timing)))
        roadmap.append(engine.literal("phase_years", num(i), num(phase.years)))
        roadmap += [engine.literal("phase_set", num(i), fn(k), fn(v)) for k, v in phase.settings]
        for name, holds in (("consistent", verdict.consistent), ("credible", verdict.credible)):
            if holds == ALL:
                roadmap.append(engine.literal("phase_verdict", num(i), fn(name)))
        roadmap += [engine.literal("phase_truncated", num(i), fn(t.model)) for t in verdict.truncated if t.holds == ALL]
    final = replace(proposal, phases=())
    inputs = [*engine.inputs(final, world), *roadmap]
    answer = engine.solve(engine.complete(inputs), open_aspects=bool(proposal.open), fired=fired)
    return tuple(phases), answer


def roadmap_verdict(proposal: Proposal, phases: tuple[PhaseVerdict, ...], answer: Answer) -> Verdict:
    """The final phase's verdicts, with every phase's and the roadmap's own findings."""
    head = verdict_from_answer(proposal, answer)
    found = {
        name: tuple(
            Warning(_text(s.arguments[0]), _text(s.arguments[1]), _text(s.arguments[2]), holds)
            for s, holds in _atoms(answer, name, 3)
        )
        for name in ("roadmap_warning", "roadmap_note")
    }
    return replace(head, phases=phases, roadmap_warnings=found["roadmap_warning"], roadmap_notes=found["roadmap_note"])


def _holds(answer: Answer, sym: clingo.Symbol) -> str:
    if sym in answer.cautious:
        return ALL
    if sym in answer.brave:
        return SOME
    return NONE


def _atoms(answer: Answer, name: str, arity: int) -> Iterable[tuple[clingo.Symbol, str]]:
    for sym in sorted(answer.brave):
        if sym.name == name and len(sym.arguments) == arity:
            yield sym, (ALL if sym in answer.cautious else SOME)


#: Shown atoms as plain Python (name, argument texts): clingo symbols are slow to
#: take apart, and a knowledge base shows the same atoms again and again.
_PLAIN: dict[clingo.Symbol, tuple[str, tuple[str, ...]]] = {}
_PLAIN_LIMIT = 200_000


def _plain(sym: clingo.Symbol) -> tuple[str, tuple[str, ...]]:
    found = _PLAIN.get(sym)
    if found is None:
        found = (sym.name, tuple(_text(a) for a in sym.arguments))
        if len(_PLAIN) < _PLAIN_LIMIT:
            _PLAIN[sym] = found
    return found


def _index(answer: Answer) -> dict[tuple[str, int], list[tuple[tuple[str, ...], str]]]:
    """The shown atoms by predicate, each with its arguments as text and how it holds, sorted."""
    out: dict[tuple[str, int], list[tuple[tuple[str, ...], str]]] = {}
    same = answer.cautious is answer.brave
    for sym in answer.brave:
        name, args = _plain(sym)
        holds = ALL if same or sym in answer.cautious else SOME
        out.setdefault((name, len(args)), []).append((args, holds))
    for rows in out.values():
        rows.sort()
    return out


def verdict_from_answer(proposal: Proposal, answer: Answer) -> Verdict:
    atoms = _index(answer)

    def rows(name: str, arity: int) -> list[tuple[tuple[str, ...], str]]:
        return atoms.get((name, arity), [])

    def holds(name: str) -> str:
        found = rows(name, 0)
        return found[0][1] if found else NONE

    involves: dict[str, set[tuple[str, str]]] = {}
    for (cid, key, value), _ in rows("involves", 3):
        involves.setdefault(cid, set()).add((key, value))
    conflicts = tuple(
        Conflict(cid, basis, why, tuple(sorted(involves.get(cid, ()))), h)
        for (cid, basis, why), h in rows("conflict", 3)
    )
    reasons = [Reason(v, e, b, t, None, h) for (v, e, b, t), h in rows("reason", 4)]
    reasons += [Reason("risk", lv, b, t, None, h) for (lv, b, t), h in rows("risk_factor", 3)]
    reasons += [Reason("feasible_now", "con", b, t, actor, h) for (actor, b, t), h in rows("obstacle", 3)]
    missing: dict[str, list[tuple[str, str]]] = {}
    for (model, feature, claim), _ in rows("missing", 3):
        missing.setdefault(model, []).append((feature, claim))
    truncated = tuple(Truncation(m, tuple(sorted(missing.get(m, ()))), h) for (m,), h in rows("truncated", 1))
    warnings = tuple(Warning(i, b, t, h) for (i, b, t), h in rows("warning", 3))
    found_risks = {level for (level,), _ in rows("risk", 1)}
    risk = tuple(lv for lv in ("low", "medium", "high") if lv in found_risks)
    return Verdict(
        proposal=proposal,
        consistent=holds("consistent"),
        credible=holds("credible"),
        feasible_now=holds("feasible_now"),
        precondition_met=holds("precondition_met"),
        risk=risk,
        conflicts=conflicts,
        reasons=tuple(sorted(reasons, key=_reason_order)),
        truncated=truncated,
        warnings=warnings,
    )


_VERDICT_ORDER = {"credible": 0, "risk": 1, "feasible_now": 2, "precondition": 3}
_EFFECT_ORDER = {"con": 0, "high": 0, "medium": 1, "pro": 2}


def _reason_order(r: Reason) -> tuple[int, int, str, str, str]:
    return (_VERDICT_ORDER.get(r.verdict, 9), _EFFECT_ORDER.get(r.effect, 9), r.basis, r.text, r.actor or "")
