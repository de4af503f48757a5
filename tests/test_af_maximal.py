"""The counterexample-guided loops (SST, STG, and DS under PR) against brute force, with their witnesses.

Denser and larger random frameworks than test_af_semantics.py (up to 9
arguments, up to 60 % of the pairs attacking), where range-maximality is
hard for a heuristic: every extension, every answer of SE, DC and DS, and
every certificate (DC: an extension with the argument; DS: one without it)
is checked against the definitions.
"""

from __future__ import annotations

import random

import pytest

from argmap.af import Framework, reasoner
from test_af_semantics import brute_force

SEEDS = range(50)


def dense_framework(seed: int) -> Framework:
    rnd = random.Random(10_000 + seed)
    n = rnd.randint(3, 9)
    density = rnd.choice((0.15, 0.3, 0.45, 0.6))
    attacks = {(a, b) for a in range(n) for b in range(n) if rnd.random() < density}
    return Framework(tuple(f"a{i}" for i in range(n)), frozenset(attacks))


@pytest.fixture(scope="module")
def cases() -> list[tuple[int, Framework, dict[str, list[frozenset[int]]]]]:
    return [(seed, fw, brute_force(fw)) for seed in SEEDS for fw in [dense_framework(seed)]]


def test_the_cases_include_hard_ones(cases: list[tuple[int, Framework, dict[str, list[frozenset[int]]]]]) -> None:
    assert any(len(ref["STG"]) > 2 for _, _, ref in cases)
    assert any(set(ref["SST"]) != set(ref["STG"]) for _, _, ref in cases)
    assert any(not ref["ST"] for _, _, ref in cases), "some framework has no stable extension"


@pytest.mark.parametrize("semantics", ["SST", "STG", "PR"])
def test_extensions_answers_and_certificates(
    semantics: str, cases: list[tuple[int, Framework, dict[str, list[frozenset[int]]]]]
) -> None:
    for seed, fw, ref in cases:
        expected = set(ref[semantics])
        engine = reasoner(fw, semantics)
        assert set(engine.extensions()) == expected, seed
        assert engine.some_extension() in expected, seed
        for x in range(len(fw)):
            accepted, witness = engine.credulous(x)
            assert accepted == any(x in e for e in expected), (seed, x)
            assert witness is None if not accepted else (witness in expected and x in witness), (seed, x)
            accepted, counter = engine.sceptical(x)
            assert accepted == all(x in e for e in expected), (seed, x)
            assert counter is None if accepted else (counter in expected and x not in counter), (seed, x)


def test_one_reasoner_answers_many_questions_in_any_order(
    cases: list[tuple[int, Framework, dict[str, list[frozenset[int]]]]],
) -> None:
    """Each question's rules are released after it: asking again, in another order, gives the same answers."""
    for seed, fw, ref in cases[:20]:
        for semantics in ("SST", "STG"):
            engine = reasoner(fw, semantics)
            first = [engine.sceptical(x)[0] for x in range(len(fw))]
            assert set(engine.extensions()) == set(ref[semantics]), seed
            again = [engine.sceptical(x)[0] for x in reversed(range(len(fw)))]
            assert first == again[::-1], seed
            assert engine.acceptance() == (
                frozenset().union(*ref[semantics]),
                frozenset.intersection(*ref[semantics]),
            ), seed


def test_grounded_in_python_is_grounded_lp(cases: list[tuple[int, Framework, dict[str, list[frozenset[int]]]]]) -> None:
    """The linear fixpoint argmap runs and the encoding's least model (plain clingo) agree."""
    import clingo

    from argmap.af.semantics import ENCODINGS, grounded

    for seed, fw, ref in cases:
        ctl = clingo.Control(["--warn=none"])
        ctl.load(str(ENCODINGS / "grounded.lp"))
        facts = "".join(f"arg({i})." for i in range(len(fw))) + "".join(f"att({a},{b})." for a, b in fw.attacks)
        ctl.add("base", [], facts)
        ctl.ground([("base", [])])
        least = {a.symbol.arguments[0].number for a in ctl.symbolic_atoms.by_signature("in", 1) if a.is_fact}
        assert grounded(fw) == least == ref["GR"][0], seed
