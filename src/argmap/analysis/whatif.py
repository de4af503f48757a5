"""Counterfactuals: change a proposal, a stance or a claim, and compare verdicts.

A change never rebuilds the program: it only changes which inputs are assumed
true for the next solve on the same ground program.
"""

from __future__ import annotations

from dataclasses import replace

from ..engine.control import Engine
from ..engine.judge import judge
from ..model.kb import Vocabulary
from ..model.proposal import BASELINE, Change, Proposal, World
from ..model.results import Flip, WhatIf
from ..model.verdicts import Verdict


def apply_changes(proposal: Proposal, world: World, changes: list[Change], voc: Vocabulary) -> tuple[Proposal, World]:
    """The proposal and world after the changes (inputs only; nothing is derived here).

    A change to a roadmap's components (set, add, unset, open) applies to every phase.
    """
    settings = set(proposal.settings)
    opened = set(proposal.open)
    open_values = set(proposal.open_values)
    rejected = set(world.rejected)
    as_of = world.as_of
    actor_as_of = dict(world.actor_as_of)
    stances = {(a, i): p for a, i, p in world.stances}
    for ch in changes:
        if ch.op == "set":
            settings = {(k, v) for k, v in settings if k != ch.key} | {(ch.key, ch.value)}
            opened.discard(ch.key)
            open_values = {(k, v) for k, v in open_values if k != ch.key}
        elif ch.op == "add":
            settings.add((ch.key, ch.value))
        elif ch.op == "unset":
            settings = {(k, v) for k, v in settings if k != ch.key or (ch.value and v != ch.value)}
            opened.discard(ch.key)
            open_values = {(k, v) for k, v in open_values if k != ch.key}
        elif ch.op == "open":
            if voc.components[ch.key].arity != "many":
                settings = {(k, v) for k, v in settings if k != ch.key}
            opened.add(ch.key)
            open_values = {(k, v) for k, v in open_values if k != ch.key}
            open_values |= {(ch.key, v) for v in ch.value.split(",") if v}
        elif ch.op == "reject":
            rejected.add(ch.key)
        elif ch.op == "as_of":
            as_of = int(ch.key)
        elif ch.op == "actor_as_of":
            actor_as_of[ch.key] = int(ch.value)
        elif ch.op == "stance":
            actor, issue = ch.key.split(".", 1)
            stances[(actor, issue)] = ch.value
    new_proposal = replace(
        proposal, settings=tuple(sorted(settings)), open=tuple(sorted(opened)), open_values=tuple(sorted(open_values))
    )
    if proposal.phases:
        phases = []
        for phase in proposal.phases:
            changed, _ = apply_changes(
                replace(proposal, settings=phase.settings, phases=()),
                world,
                [c for c in changes if c.op in ("set", "add", "unset", "open")],
                voc,
            )
            phases.append(replace(phase, settings=changed.settings))
        new_proposal = replace(new_proposal, phases=tuple(phases))
    new_world = World(
        tuple(sorted(rejected)),
        as_of,
        tuple(sorted(actor_as_of.items())),
        tuple(sorted((a, i, p) for (a, i), p in stances.items())),
    )
    return new_proposal, new_world


def whatif(engine: Engine, proposal: Proposal, changes: list[Change], world: World = BASELINE) -> WhatIf:
    """Verdicts before and after `changes`: two judgements on one ground program."""
    before = judge(engine, proposal, world).verdict
    new_proposal, new_world = apply_changes(proposal, world, changes, engine.vocabulary)
    after = judge(engine, new_proposal, new_world).verdict
    return compare(tuple(changes), before, after)


def compare(changes: tuple[Change, ...], before: Verdict, after: Verdict) -> WhatIf:
    """The verdicts that flipped between two judgements, with the reasons that went and came."""
    flips = []
    for b, a in zip(before.outcomes, after.outcomes, strict=True):
        if b.values == a.values:
            continue
        rb, ra = set(before.reasons_for(b.name)), set(after.reasons_for(a.name))
        flips.append(
            Flip(b.name, b.short(), a.short(), tuple(sorted(rb - ra, key=str)), tuple(sorted(ra - rb, key=str)))
        )
    cb = {(c.id, c.basis, c.text, c.components) for c in before.conflicts}
    ca = {(c.id, c.basis, c.text, c.components) for c in after.conflicts}
    gone = tuple(c for c in before.conflicts if (c.id, c.basis, c.text, c.components) not in ca)
    new = tuple(c for c in after.conflicts if (c.id, c.basis, c.text, c.components) not in cb)
    return WhatIf(changes, before, after, tuple(flips), gone, new)
