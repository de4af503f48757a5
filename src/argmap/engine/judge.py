"""The one path that judges a proposal: plain, open aspects, roadmap, traced or not.

Every command that needs a proposal's verdicts (check, explain, what-if,
repair's "then", sensitivity, the map, tests, diff, the report, the server)
calls :func:`judge`, so they cannot disagree about an atom.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import clingo

from ..model.proposal import BASELINE, Proposal, World
from ..model.verdicts import ALL, PhaseVerdict, Verdict
from .control import Answer, Engine
from .decode import decode


@dataclass(frozen=True)
class Judgement:
    """A proposal's verdicts and the answer they were read from (with rule firings when traced)."""

    verdict: Verdict
    answer: Answer


def judge(engine: Engine, proposal: Proposal, world: World = BASELINE, *, trace: bool = False) -> Judgement:
    """Judge `proposal` under `world` on the engine's one ground program.

    A roadmap is judged phase by phase, then its final phase once more with
    every phase's verdicts as inputs to the roadmap rules; its headline
    verdicts are that last solve's.  With `trace` (the engine must be built
    with ``trace=True``) the answer carries every atom and rule firing.

    Raises:
        InputError: the proposal uses a part the knowledge base lacks, the
            knowledge base has no answer for it, or a solve timed out.
    """
    if trace and not engine.trace:
        raise ValueError("a traced judgement needs an engine built with trace=True")
    if proposal.phases:
        return _roadmap(engine, proposal, world, trace)
    answer = engine.solve(engine.assumptions(proposal, world), open_aspects=bool(proposal.open), fired=trace)
    return Judgement(decode(proposal, answer, engine.vocabulary), answer)


def _roadmap(engine: Engine, proposal: Proposal, world: World, trace: bool) -> Judgement:
    engine.require("roadmap", "a roadmap (phases)")
    fn, num = clingo.Function, clingo.Number
    phases = []
    inputs: list[int] = []
    timings = engine.vocabulary.timings
    for i, phase in enumerate(proposal.phases, 1):
        step = replace(proposal, settings=phase.settings, phases=())
        verdict = judge(engine, step, world).verdict
        phases.append(PhaseVerdict(phase, verdict))
        inputs.append(engine.literal("roadmap_phase", num(i)))
        inputs.append(engine.literal("phase_timing", num(i), fn(phase.timing)))
        if timings.get(phase.timing) is not None and timings[phase.timing].unit:
            inputs.append(engine.literal("phase_offset", num(i), num(phase.offset)))
        inputs += [engine.literal("phase_set", num(i), fn(k), fn(v)) for k, v in phase.settings]
        for outcome in verdict.outcomes:
            for value, holds in outcome.values:
                sym = fn("phase_verdict", [num(i), fn(outcome.name), fn(value)])
                if holds == ALL and engine.has_input(sym):
                    inputs.append(engine.literal_of(sym))
    final = replace(proposal, phases=())
    answer = engine.solve(
        engine.complete([*engine.inputs(final, world), *inputs]), open_aspects=bool(proposal.open), fired=trace
    )
    head = decode(proposal, answer, engine.vocabulary)
    return Judgement(replace(head, phases=tuple(phases)), answer)
