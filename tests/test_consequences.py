"""What an open proposal's explanation reads (Engine._completions): the atoms and rule firings true in
some completion and in every one, found by clingo a model at a time (Engine._consequences), against an
oracle that enumerates every answer set and takes the union and intersection in Python."""

from __future__ import annotations

import re

import clingo
import pytest

from argmap.engine.control import FIRED, Engine
from argmap.engine.judge import judge
from argmap.engine.kbspec import KnowledgeBase
from argmap.io.proposals import load_proposal
from argmap.model.errors import InputError
from helpers import PROPOSALS


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(KnowledgeBase.shipped(), trace=True)


def _opened(engine: Engine, tmp_path, extra: int):  # type: ignore[no-untyped-def]
    """An example proposal with an open aspect, and `extra` more of its set components opened."""
    path = next(p for p in sorted(PROPOSALS.glob("*.yaml")) if re.search(r"(?m)^open:", p.read_text("utf-8")))
    text = path.read_text(encoding="utf-8")
    proposal = load_proposal(str(path), engine.vocabulary)
    keys = sorted({k for k, _ in proposal.settings})[:extra]
    for key in keys:
        text = re.sub(rf"(?m)^{key}:.*\n", "", text)
    text = re.sub(r"(?m)^open: \[(.*)\]", lambda m: f"open: [{', '.join([m.group(1), *keys])}]", text)
    out = tmp_path / "opened.yaml"
    out.write_text(text, encoding="utf-8")
    return load_proposal(str(out), engine.vocabulary)


def _oracle(engine: Engine, assumptions: list[int]) -> tuple[set[clingo.Symbol], set[clingo.Symbol], int]:
    some: set[clingo.Symbol] = set()
    every: set[clingo.Symbol] | None = None
    count = 0

    def on_model(model: clingo.Model) -> None:
        nonlocal every, count
        these = set(model.symbols(atoms=True))
        some.update(these)
        every = these if every is None else every & these
        count += 1

    engine.configure(models="0", enum_mode="auto")
    engine.run(assumptions, on_model=on_model)
    return some, every or set(), count


@pytest.mark.parametrize("extra", [0, 1, 2])
def test_the_consequences_are_the_union_and_intersection_of_every_answer_set(
    engine: Engine, tmp_path, extra: int
) -> None:
    proposal = _opened(engine, tmp_path, extra)
    assumptions = engine.assumptions(proposal)
    some, every, count = _oracle(engine, assumptions)
    assert count > 1  # there is something to combine
    got_some, got_every = engine._consequences(assumptions)
    assert got_some == some and got_every == every
    assert got_every < got_some


def test_an_open_explanation_reads_every_completion(engine: Engine, tmp_path) -> None:
    proposal = _opened(engine, tmp_path, 2)
    assumptions = engine.assumptions(proposal)
    some, every, _ = _oracle(engine, assumptions)
    answer = judge(engine, proposal, trace=True).answer
    assert answer.fired == {s for s in some if s.name == FIRED}
    assert answer.atoms == {s for s in some if s.name != FIRED}
    assert answer.atoms_cautious == {s for s in every if s.name != FIRED}
    assert answer.fired and answer.atoms_cautious < answer.atoms


def test_the_rules_it_adds_stop_applying(engine: Engine, tmp_path) -> None:
    """After the loop, the engine answers as before it: its added rules are released."""
    proposal = _opened(engine, tmp_path, 2)
    plain = load_proposal(str(sorted(PROPOSALS.glob("*.yaml"))[0]), engine.vocabulary)
    before = judge(engine, plain, trace=True).verdict
    engine._consequences(engine.assumptions(proposal))
    assert judge(engine, plain, trace=True).verdict == before
    assert engine._consequences(engine.assumptions(proposal)) == engine._consequences(engine.assumptions(proposal))


def test_no_answer_set_is_an_input_error(engine: Engine) -> None:
    with engine._ctl.backend() as backend:  # an atom that, once assumed, leaves no answer set
        doomed = backend.add_atom()
        backend.add_external(doomed, clingo.TruthValue.Free)
        backend.add_rule([], [doomed])
    try:
        with pytest.raises(InputError, match="no answer"):
            engine._consequences([*engine.complete([]), doomed])
    finally:
        engine._ctl.release_external(doomed)


def test_asking_again_adds_nothing_to_the_program(engine: Engine, tmp_path) -> None:
    """A long-lived engine (argmap serve) asked the same and other open questions does not grow:
    the rules the loop steers are added once, then only switched."""
    proposal = _opened(engine, tmp_path, 2)
    other = _opened(engine, tmp_path, 0)
    first = engine._consequences(engine.assumptions(proposal))

    def size() -> tuple[float, float]:
        lp = engine._ctl.statistics["problem"]["lp"]
        return lp["atoms"], lp["rules"]

    before = size()
    for _ in range(3):
        engine._consequences(engine.assumptions(other))
        assert engine._consequences(engine.assumptions(proposal)) == first
    assert size() == before
