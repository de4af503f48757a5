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
    answer = engine.solve(engine.complete(inputs), open_aspects=bool(proposal.open))
    head = verdict_from_answer(proposal, answer)
    found = {
        name: tuple(
            Warning(_text(s.arguments[0]), _text(s.arguments[1]), _text(s.arguments[2]), holds)
            for s, holds in _atoms(answer, name, 3)
        )
        for name in ("roadmap_warning", "roadmap_note")
    }
    return replace(
        head, phases=tuple(phases), roadmap_warnings=found["roadmap_warning"], roadmap_notes=found["roadmap_note"]
    )


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


def verdict_from_answer(proposal: Proposal, answer: Answer) -> Verdict:
    flag = clingo.Function
    involves: dict[str, set[tuple[str, str]]] = {}
    for sym, _ in _atoms(answer, "involves", 3):
        cid, key, value = (_text(a) for a in sym.arguments)
        involves.setdefault(cid, set()).add((key, value))
    conflicts = tuple(
        Conflict(
            _text(s.arguments[0]),
            _text(s.arguments[1]),
            _text(s.arguments[2]),
            tuple(sorted(involves.get(_text(s.arguments[0]), ()))),
            holds,
        )
        for s, holds in _atoms(answer, "conflict", 3)
    )
    reasons: list[Reason] = []
    for s, holds in _atoms(answer, "reason", 4):
        verdict, effect, basis, text = (_text(a) for a in s.arguments)
        reasons.append(Reason(verdict, effect, basis, text, None, holds))
    for s, holds in _atoms(answer, "risk_factor", 3):
        level, basis, text = (_text(a) for a in s.arguments)
        reasons.append(Reason("risk", level, basis, text, None, holds))
    for s, holds in _atoms(answer, "obstacle", 3):
        actor, basis, text = (_text(a) for a in s.arguments)
        reasons.append(Reason("feasible_now", "con", basis, text, actor, holds))
    missing: dict[str, list[tuple[str, str]]] = {}
    for s, _ in _atoms(answer, "missing", 3):
        model, feature, claim = (_text(a) for a in s.arguments)
        missing.setdefault(model, []).append((feature, claim))
    truncated = tuple(
        Truncation(_text(s.arguments[0]), tuple(sorted(missing.get(_text(s.arguments[0]), ()))), holds)
        for s, holds in _atoms(answer, "truncated", 1)
    )
    warnings = tuple(
        Warning(_text(s.arguments[0]), _text(s.arguments[1]), _text(s.arguments[2]), holds)
        for s, holds in _atoms(answer, "warning", 3)
    )
    levels = ("low", "medium", "high")
    risk = tuple(lv for lv in levels if flag("risk", [flag(lv)]) in answer.brave)
    return Verdict(
        proposal=proposal,
        consistent=_holds(answer, flag("consistent")),
        credible=_holds(answer, flag("credible")),
        feasible_now=_holds(answer, flag("feasible_now")),
        precondition_met=_holds(answer, flag("precondition_met")),
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
