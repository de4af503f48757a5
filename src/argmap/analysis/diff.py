"""Verdict diff between two versions of a knowledge base.

Each side is grounded once (traced); every example proposal and every
scenario case is judged on both by :func:`argmap.engine.judge.judge`, and
each verdict that changed is listed with its explanation before and after.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from ..engine.control import Engine
from ..engine.judge import judge
from ..io.proposals import expand_paths, load_proposal
from ..io.scenarios import discover, load_scenarios
from ..model.errors import InputError
from ..model.explanation import Node
from ..model.kb import Vocabulary
from ..model.proposal import Change, Proposal, World
from ..model.results import SubjectDiff, VerdictChange
from ..model.verdicts import Verdict
from .explain import Explainer, verdict_atoms
from .whatif import apply_changes


@dataclass(frozen=True)
class Subject:
    """Something judged on both sides: an example proposal or a scenario case."""

    id: str
    proposal_path: str | None
    inline: Proposal | None = None  # a scenario's inline proposal, re-validated on each side
    changes: tuple[Change, ...] = ()
    #: Set when the subject could not even be read (e.g. a scenario file invalid under the new knowledge base).
    error: str | None = None


def subjects(voc: Vocabulary, proposals: Sequence[str], scenarios: Sequence[str]) -> list[Subject]:
    """The example proposals and scenario cases to compare (read with the newer side's vocabulary)."""
    out = [Subject(f"proposal {os.path.normpath(p)}", p) for p in expand_paths(proposals)] if proposals else []
    for path in discover(list(scenarios)) if scenarios else []:
        try:
            cases = load_scenarios(path, voc).cases
        except InputError as exc:
            out.append(Subject(f"scenario file {path}", None, error=f"invalid under the new knowledge base: {exc}"))
            continue
        for case in cases:
            prop = case.proposal
            from_file = prop.path if prop.path and prop.path != case.file else None
            out.append(Subject(f"scenario {case.id}", from_file, None if from_file else prop, case.changes))
    return out


def _judge(engine: Engine, subject: Subject) -> tuple[Proposal, World, Verdict]:
    """The subject's proposal and world on this side, and its verdicts (judged without tracing: fast)."""
    voc = engine.vocabulary
    if subject.proposal_path:
        proposal = load_proposal(subject.proposal_path, voc)
    else:
        assert subject.inline is not None
        proposal = subject.inline
        # Re-validate the inline settings against this side's vocabulary.
        for key, value in proposal.settings:
            comp = voc.components.get(key)
            if comp is None or value not in comp.values:
                raise InputError(f"{key}={value} is not in this knowledge base's vocabulary")
    proposal, world = apply_changes(proposal, World(), list(subject.changes), voc)
    return proposal, world, judge(engine, proposal, world).verdict


def _explainer(engine: Engine, proposal: Proposal, world: World) -> Explainer:
    """The rule firings behind a verdict that changed (a traced judgement, only where needed)."""
    return Explainer(engine, judge(engine, proposal, world, trace=True).answer)


def _why(ex: Explainer, name: str) -> list[Node]:
    out = []
    for _, _, atom, holds in verdict_atoms(ex.engine, ex.answer):
        if atom.name == name:
            out.append(ex.why(atom) if holds else ex.why_not(atom))
    return out


def diff(base: Engine, head: Engine, items: Sequence[Subject]) -> list[SubjectDiff]:
    """Every subject whose verdicts differ between `base` and `head` (both traced), or cannot be judged.

    Each subject is judged on both sides without tracing; only one whose
    verdicts differ is judged again with tracing, for the explanations.
    """
    out = []
    for subject in items:
        d = SubjectDiff(subject.id)
        if subject.error:
            d.error = subject.error
            out.append(d)
            continue
        try:
            p_before, w_before, before = _judge(base, subject)
        except InputError as exc:
            d.error = f"invalid under the base: {exc}"
            out.append(d)
            continue
        try:
            p_after, w_after, after = _judge(head, subject)
        except InputError as exc:
            d.error = f"invalid under the new knowledge base: {exc}"
            out.append(d)
            continue
        old = {o.name: o for o in before.outcomes}
        new = {o.name: o for o in after.outcomes}
        if old.keys() == new.keys() and all(old[n].values == new[n].values for n in new):
            continue
        ex_before = _explainer(base, p_before, w_before)
        ex_after = _explainer(head, p_after, w_after)
        for a in after.outcomes:
            b = old.get(a.name)
            if b is None:
                d.changes.append(VerdictChange(a.name, "(not declared)", a.short(), [], _why(ex_after, a.name)))
            elif b.values != a.values:
                d.changes.append(
                    VerdictChange(a.name, b.short(), a.short(), _why(ex_before, a.name), _why(ex_after, a.name))
                )
        for name, b in old.items():
            if name not in new:
                d.changes.append(VerdictChange(name, b.short(), "(not declared)", _why(ex_before, name), []))
        out.append(d)
    return out
