"""The one path that judges a proposal: plain, open aspects, roadmap, traced or not.

Every command that needs a proposal's verdicts (check, explain, what-if,
repair's "then", sensitivity, the map, tests, diff, the report, the server)
calls :func:`judge`, so they cannot disagree about an atom.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import clingo

from ..model.proposal import BASELINE, Proposal, World
from ..model.verdicts import ALL, FALSE, TRUE, Completions, Literal, PhaseVerdict, Verdict
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
    assumptions = engine.assumptions(proposal, world)
    answer = engine.solve(assumptions, open_aspects=bool(proposal.open), fired=trace)
    verdict = decode(proposal, answer, engine.vocabulary, world)
    if proposal.open:
        groups, beyond = completions(engine, assumptions, proposal.open)
        verdict = replace(verdict, completions=groups, completions_beyond=beyond)
    return Judgement(verdict, answer)


def completions(engine: Engine, assumptions: list[int], keys: Sequence[str]) -> tuple[tuple[Completions, ...], int]:
    """For each verdict that varies across the completions of the open `keys`: which completions give which value.

    Returns the groups and 0; or, when the open aspects have more than
    :data:`~argmap.engine.control.MAX_COMPLETIONS` completions (a list
    component left open has one per subset of its values), no groups and that
    number: they are not worked out from a part of them.

    clingo enumerates the completions (``Engine.completion_table``: the open
    components' values and the verdicts' values of each answer set); each value
    reached in some completions but not all is then described by a short
    disjunction of conjunctions over the open components that holds in exactly
    the completions giving it (a greedy cover: the fewest literals first, most
    completions covered first).  Nothing here knows what the verdicts mean.
    """
    rows, beyond = engine.completion_table(assumptions, keys)
    if beyond:
        return (), beyond
    total = len(rows)
    if total < 2:
        return (), 0
    arity = {k: engine.vocabulary.components[k].arity for k in keys}
    seen: dict[str, set[str]] = {k: set() for k in keys}
    for has, _ in rows:
        for k, v in has:
            seen[k].add(v)
    literals: list[Literal] = []
    for k in sorted(keys):
        for v in sorted(seen[k]):
            literals.append((k, v, True))
            if arity[k] == "many":
                literals.append((k, v, False))
    out = []
    for spec in engine.vocabulary.registry:
        reached = sorted({x for _, vals in rows for n, x in vals if n == spec.name}, key=spec.rank)
        if spec.kind == "bool":
            reached = [x for x in (TRUE, FALSE) if x in reached]
        for value in reached:
            yes = [has for has, vals in rows if (spec.name, value) in vals]
            if len(yes) == total:
                continue
            no = [has for has, vals in rows if (spec.name, value) not in vals]
            out.append(Completions(spec.name, value, _cover(yes, no, literals, arity), len(yes), total))
    return tuple(out), 0


def _holds(lit: Literal, completion: frozenset[tuple[str, str]]) -> bool:
    key, value, present = lit
    return ((key, value) in completion) == present


#: The most literals a conjunction tried by the cover may have (then a completion is named in full).
_MAX_CONJUNCTION = 3


def _cover(
    yes: list[frozenset[tuple[str, str]]],
    no: list[frozenset[tuple[str, str]]],
    literals: list[Literal],
    arity: dict[str, str],
) -> tuple[tuple[Literal, ...], ...]:
    """Conjunctions of literals that together hold in every completion of `yes` and in none of `no`.

    Greedy: each round takes, among the conjunctions of fewest literals (up to
    :data:`_MAX_CONJUNCTION`) that hold in no completion of `no`, the first
    that holds in the most completions still uncovered; when none does, one
    completion is named in full and pared down.  Each literal is held as two
    bit sets (the completions of `yes` and of `no` it holds in), so testing a
    conjunction is a few integer operations, not a pass over the completions.
    """
    ys = list(dict.fromkeys(yes))
    on_yes = {lit: _bits(ys, lit) for lit in literals}
    on_no = {lit: _bits(list(dict.fromkeys(no)), lit) for lit in literals}
    uncovered = (1 << len(ys)) - 1
    clauses: list[tuple[Literal, ...]] = []
    while uncovered:
        best: tuple[tuple[Literal, ...], int] | None = None
        best_count = 0
        useful = [lit for lit in literals if on_yes[lit] & uncovered]
        for size in range(1, _MAX_CONJUNCTION + 1):
            if size > 1 and len(useful) > 24:
                break
            for conj in itertools.combinations(useful, size):
                if len({(k, v) for k, v, _ in conj}) < size:
                    continue
                hit_no, covered = -1, uncovered
                for lit in conj:
                    hit_no &= on_no[lit]
                    covered &= on_yes[lit]
                if hit_no or not covered:
                    continue
                count = covered.bit_count()
                if count > best_count:
                    best, best_count = (conj, covered), count
            if best is not None:
                break
        if best is None:
            # Name one completion in full, then drop each literal that is not needed to exclude `no`.
            first = min((ys[i] for i in _members(uncovered)), key=sorted)
            conj = [lit for lit in literals if _holds(lit, first) and (lit[2] or arity[lit[0]] == "many")]
            for lit in list(conj):
                trial = [x for x in conj if x != lit]
                if trial and not _conjoined(trial, on_no, -1):
                    conj = trial
            best = (tuple(conj), _conjoined(conj, on_yes, uncovered))
        clauses.append(best[0])
        uncovered &= ~best[1]
    return tuple(sorted(clauses))


def _bits(completions: list[frozenset[tuple[str, str]]], lit: Literal) -> int:
    """The completions `lit` holds in, as a bit set (bit i for completions[i])."""
    out = 0
    for i, c in enumerate(completions):
        if _holds(lit, c):
            out |= 1 << i
    return out


def _conjoined(conj: Sequence[Literal], bits: dict[Literal, int], within: int) -> int:
    """The completions of `within` that every literal of `conj` holds in."""
    for lit in conj:
        within &= bits[lit]
    return within


def _members(bits: int) -> list[int]:
    """The positions of the set bits of `bits`."""
    out = []
    while bits:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


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
    head = decode(proposal, answer, engine.vocabulary, world)
    return Judgement(replace(head, phases=tuple(phases)), answer)
