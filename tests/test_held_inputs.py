"""Held inputs: every input but a proposal's settings is held false between questions and released
only by a question that makes it true or leaves it open (argmap.engine.control).  One engine asked
many kinds of question in any order must answer each as an engine asked nothing else does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from argmap.analysis.sensitivity import sensitivity
from argmap.engine.control import ASSUMED, Assumptions, Engine
from argmap.engine.judge import judge
from argmap.engine.kbspec import KnowledgeBase
from argmap.io.proposals import load_proposal
from argmap.model.proposal import World
from helpers import PROPOSALS

Question = Callable[[Engine], Any]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.shipped()


@pytest.fixture(scope="module")
def shared(kb: KnowledgeBase) -> Engine:
    """One traced engine that every question of the module is put to, in turn."""
    return Engine(kb, trace=True)


def _questions(engine: Engine) -> dict[str, Question]:
    """Questions of every kind: plain, roadmap (phase inputs), open aspects, rejected claims, a date,
    and a sensitivity analysis (rejections left free to the solver)."""
    voc = engine.vocabulary
    paths = sorted(PROPOSALS.glob("*.yaml"))
    proposals = {p.stem: load_proposal(str(p), voc) for p in paths}
    roadmaps = [name for name, p in proposals.items() if p.phases]
    opened = [name for name, p in proposals.items() if p.open]
    plain = [name for name, p in proposals.items() if not p.phases and not p.open]
    assert roadmaps and opened and plain, "the example proposals have a roadmap, an open one and a plain one"
    claims = sorted(voc.claims)[:3]
    out: dict[str, Question] = {}
    for name in (plain[0], plain[-1], roadmaps[0], opened[0]):
        p = proposals[name]
        out[f"judge {name}"] = lambda e, p=p: judge(e, p, trace=True).verdict
        out[f"reject {name}"] = lambda e, p=p: judge(e, p, World(rejected=tuple(claims))).verdict
    if voc.snapshots:
        p = proposals[plain[0]]
        out["as of"] = lambda e, p=p: judge(e, p, World(as_of=min(voc.snapshots))).verdict
    out[f"sensitivity {plain[0]}"] = lambda e, p=proposals[plain[0]]: sensitivity(e, p)
    out[f"sensitivity {roadmaps[0]} (final phase)"] = lambda e, p=proposals[roadmaps[0]]: sensitivity(e, p)
    return out


def test_each_question_is_answered_as_by_an_engine_asked_nothing_else(kb: KnowledgeBase, shared: Engine) -> None:
    questions = _questions(shared)
    alone = {name: q(Engine(kb, trace=True)) for name, q in questions.items()}
    order = list(questions)
    # forwards, backwards and each question twice in a row: whatever the last question released
    for name in [*order, *reversed(order), *(n for n in order for _ in range(2))]:
        assert questions[name](shared) == alone[name], name


def test_a_plain_question_passes_only_the_settings(shared: Engine) -> None:
    settings = {lit for sym, lit in shared._literals.items() if sym.name in ASSUMED}
    got = shared.complete([])
    assert isinstance(got, Assumptions)
    assert {abs(lit) for lit in got} == settings and all(lit < 0 for lit in got)
    assert got.released == frozenset()
    assert len(got) < len(shared._inputs)


def test_a_held_input_assumed_true_is_released_and_listed(shared: Engine) -> None:
    held = sorted(shared._held)
    got = shared.complete([held[0]])
    assert held[0] in got and got.released == frozenset({held[0]})
    with pytest.raises(KeyError):
        shared.complete([max(shared._inputs) + 1000])


def test_free_inputs_are_released_and_left_out(shared: Engine) -> None:
    rejected = {lit for sym, lit in shared._literals.items() if sym.name == "rejected"}
    assert rejected
    got = shared.complete([], free={"rejected"})
    assert not rejected & {abs(lit) for lit in got}
    assert rejected <= got.released


def test_a_plain_list_releases_the_held_inputs_it_assumes_true(shared: Engine) -> None:
    """A list made elsewhere (not by complete) is read for held inputs assumed true."""
    sym = next(s for s in sorted(shared._literals) if s.name == "rejected")
    lit = shared._literals[sym]
    made = shared.complete([lit])
    assert shared.satisfiable(list(made)) == shared.satisfiable(made)
    assert shared._released == frozenset({lit})
    shared.satisfiable(list(shared.complete([])))
    assert shared._released == frozenset()
