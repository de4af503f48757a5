"""engine.decode: shown atoms read once per registry give the verdicts a plain reading gives.

The decoder keeps what each shown atom stands for (per registry) and hands out
shared, frozen Reason and Finding objects; these tests hold it to a plain,
uncached reading of the same atoms, on synthetic answers (so every case is
spelled out here) and on the shipped knowledge base's own answers.
"""

from __future__ import annotations

import random
from dataclasses import replace

import clingo
import pytest

from argmap.asp.terms import text
from argmap.engine.control import Answer, Engine
from argmap.engine.decode import decode
from argmap.model.errors import InputError
from argmap.model.kb import Vocabulary
from argmap.model.proposal import BASELINE, Proposal, World
from argmap.model.verdicts import (
    ALL,
    FALSE,
    NONE,
    SOME,
    TRUE,
    Conflict,
    Finding,
    Outcome,
    Reason,
    Registry,
    Verdict,
    VerdictSpec,
)
from argmap.model.when import as_of_phrase, fill_as_of

F, S = clingo.Function, clingo.String

PROPOSAL = Proposal("p", "a proposal", "test", (("size", "small"),))


def _voc(*specs: VerdictSpec, snapshots: tuple[int, ...] = ()) -> Vocabulary:
    return Vocabulary(registry=Registry(specs), snapshots=snapshots)


SPECS = (
    VerdictSpec("sound", "bool", "is sound", (TRUE, FALSE), (TRUE,)),
    VerdictSpec("grade", "level", "grade", ("good", "fair", "poor"), ("good",)),
    VerdictSpec("gaps", "set", "gaps", ("first", "second", "third")),
)


def _reason(verdict: str, effect: str, basis: str, words: str) -> clingo.Symbol:
    return F("reason", [F(verdict), F(effect), F(basis), S(words)])


def plain(proposal: Proposal, answer: Answer, voc: Vocabulary, world: World | None = None) -> Verdict:
    """The verdicts read straight off the atoms: no cache, every atom taken apart every time."""
    rows: dict[tuple[str, int], list[tuple[tuple[str, ...], str]]] = {}
    for sym in answer.brave:
        if sym.type != clingo.SymbolType.Function:
            continue
        holds = ALL if sym in answer.cautious else SOME
        args = tuple(text(a) for a in sym.arguments)
        rows.setdefault((sym.name, len(args)), []).append((args, holds))
    for found in rows.values():
        found.sort()
    outcomes = []
    for spec in voc.registry:
        if spec.kind == "bool":
            got = rows.get((spec.name, 0), [])
            holds = got[0][1] if got else NONE
            values = {ALL: ((TRUE, ALL),), SOME: ((TRUE, SOME), (FALSE, SOME)), NONE: ((FALSE, ALL),)}[holds]
        else:
            reached = {args[0]: h for args, h in rows.get((spec.name, 1), [])}
            order = {v: i for i, v in enumerate(spec.values)}
            values = tuple(sorted(reached.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
        outcomes.append(Outcome(spec, values))
    position = {spec.name: i for i, spec in enumerate(voc.registry)}

    def order(r: Reason) -> tuple[int, int, str, str, str]:
        spec = voc.registry.get(r.verdict)
        if spec is None:
            rank = 0
        elif spec.kind == "bool":
            rank = 0 if spec.bad_effect(r.effect) else 1
        else:
            rank = -spec.rank(r.effect) if spec.kind == "level" else spec.rank(r.effect)
        return (position.get(r.verdict, len(position)), rank, r.effect, r.basis, r.text)

    involves: dict[str, set[tuple[str, str]]] = {}
    for (cid, key, value), _ in rows.get(("involves", 3), []):
        involves.setdefault(cid, set()).add((key, value))
    verdict = Verdict(
        proposal=proposal,
        outcomes=tuple(outcomes),
        reasons=tuple(sorted((Reason(*args, h) for args, h in rows.get(("reason", 4), [])), key=order)),
        conflicts=tuple(
            Conflict(*args, tuple(sorted(involves.get(args[0], ()))), h) for args, h in rows.get(("conflict", 3), [])
        ),
        warnings=tuple(Finding(*args, h) for args, h in rows.get(("warning", 3), [])),
        notes=tuple(Finding(*args, h) for args, h in rows.get(("note", 3), [])),
    )
    if world is None:
        return verdict
    phrase = as_of_phrase(proposal, world, max(voc.snapshots, default=None))

    def filled(item):  # type: ignore[no-untyped-def]
        words = fill_as_of(item.text, phrase)
        return item if words == item.text else replace(item, text=words, template=item.text)

    return replace(
        verdict,
        reasons=tuple(map(filled, verdict.reasons)),
        conflicts=tuple(map(filled, verdict.conflicts)),
        warnings=tuple(map(filled, verdict.warnings)),
        notes=tuple(map(filled, verdict.notes)),
    )


# ------------------------------------------------------------------ synthetic answers
ATOMS = [
    F("sound"),
    F("grade", [F("fair")]),
    F("gaps", [F("third")]),
    F("gaps", [F("first")]),
    F("gaps", [F("unlisted")]),
    _reason("grade", "poor", "b2", "worse"),
    _reason("grade", "good", "b1", "better"),
    _reason("sound", "con", "b3", "against"),
    _reason("sound", "pro", "b3", "for"),
    _reason("undeclared", "pro", "b0", "elsewhere"),
    F("warning", [F("w2"), F("b1"), S("a warning {as_of|today}")]),
    F("warning", [F("w1"), F("b1"), S("a plain warning")]),
    F("note", [F("n1"), F("b2"), S("a note")]),
    F("conflict", [F("c1"), F("b4"), S("they clash {as_of|now}")]),
    F("involves", [F("c1"), F("size"), F("small")]),
    F("involves", [F("c1"), F("colour"), F("red")]),
    F("unrelated", [clingo.Number(3)]),
    clingo.Number(7),
]


@pytest.mark.parametrize(
    "world",
    [None, BASELINE, World(as_of=20240100), World(as_of=20250600)],
    ids=["no-world", "baseline", "dated-before-latest", "dated-after-latest"],
)
@pytest.mark.parametrize("open_answer", [False, True], ids=["closed", "open"])
def test_decode_matches_a_plain_reading(world: World | None, open_answer: bool) -> None:
    voc = _voc(*SPECS, snapshots=(20240100, 20250100))
    brave = frozenset(ATOMS)
    cautious = frozenset(ATOMS[::2]) if open_answer else brave
    answer = Answer(cautious, brave)
    for _ in range(2):  # the second time every atom comes from the cache
        assert decode(PROPOSAL, answer, voc, world) == plain(PROPOSAL, answer, voc, world)


def test_placeholders_filled_only_with_a_world() -> None:
    voc = _voc(*SPECS, snapshots=(20240100, 20250100))
    answer = Answer(frozenset(ATOMS), frozenset(ATOMS))
    bare = decode(PROPOSAL, answer, voc)
    assert [w.text for w in bare.warnings] == ["a plain warning", "a warning {as_of|today}"]
    assert all(w.template is None for w in bare.warnings)
    undated = decode(PROPOSAL, answer, voc, BASELINE)
    assert [(w.text, w.template) for w in undated.warnings] == [
        ("a plain warning", None),
        ("a warning today", "a warning {as_of|today}"),
    ]
    assert undated.conflicts[0].text == "they clash now"
    dated = decode(PROPOSAL, answer, voc, World(as_of=20240100))
    assert dated.warnings[1].text == "a warning as of January 2024"
    assert dated.conflicts[0].text == "they clash as of January 2024"
    # the undated reading is not disturbed by the dated one kept beside it
    assert decode(PROPOSAL, answer, voc, BASELINE) == undated


def test_each_registry_orders_its_own_reasons() -> None:
    answer = Answer(frozenset(ATOMS), frozenset(ATOMS))
    first = decode(PROPOSAL, answer, _voc(*SPECS))
    second = decode(PROPOSAL, answer, _voc(*reversed(SPECS)))
    assert [r.verdict for r in first.reasons] == ["sound", "sound", "grade", "grade", "undeclared"]
    assert [r.verdict for r in second.reasons] == ["grade", "grade", "sound", "sound", "undeclared"]
    assert [o.name for o in second.outcomes] == ["gaps", "grade", "sound"]


def test_values_follow_the_declared_order() -> None:
    voc = _voc(*SPECS)
    verdict = decode(PROPOSAL, Answer(frozenset(ATOMS), frozenset(ATOMS)), voc)
    assert verdict["gaps"].values == (("first", ALL), ("third", ALL), ("unlisted", ALL))
    assert verdict["grade"].values == (("fair", ALL),)
    assert verdict["sound"].values == ((TRUE, ALL),)
    empty = decode(PROPOSAL, Answer(frozenset(), frozenset()), voc)
    assert [o.values for o in empty.outcomes] == [((FALSE, ALL),), (), ()]


# ------------------------------------------------------------------ the shipped knowledge base's answers
def _random_proposals(engine: Engine, n: int, seed: int) -> list[Proposal]:
    rng = random.Random(seed)
    comps = sorted(engine.vocabulary.components.values(), key=lambda c: c.key)
    out = []
    for i in range(n):
        settings: list[tuple[str, str]] = []
        for c in comps:
            if rng.random() < 0.5:
                chosen = [v for v in c.values if rng.random() < 0.3] if c.arity == "many" else []
                settings += [(c.key, v) for v in chosen or [rng.choice(c.values)]]
        settings = sorted(set(settings))
        opened: tuple[str, ...] = ()
        if settings and rng.random() < 0.25:
            key = rng.choice(settings)[0]
            settings = [s for s in settings if s[0] != key]
            opened = (key,)
        out.append(Proposal(f"r{i}", f"random {i}", "test", tuple(settings), open=opened))
    return out


def test_shipped_answers_decode_as_a_plain_reading() -> None:
    engine = Engine()
    voc = engine.vocabulary
    dates = [None, *voc.snapshots]
    rng = random.Random(5)
    compared = 0
    for proposal in _random_proposals(engine, 120, seed=3):
        world = World(as_of=rng.choice(dates))
        try:
            answer = engine.solve(engine.assumptions(proposal, world), open_aspects=bool(proposal.open))
        except InputError:  # a proposal the knowledge base rejects has nothing to decode
            continue
        assert decode(proposal, answer, voc, world) == plain(proposal, answer, voc, world)
        compared += 1
    assert compared > 60


def test_a_verdict_declared_twice_reads_as_a_plain_reading() -> None:
    again = VerdictSpec("sound", "bool", "is sound again", (TRUE, FALSE), (FALSE,))
    voc = _voc(*SPECS, again)
    answer = Answer(frozenset(ATOMS), frozenset(ATOMS))
    assert decode(PROPOSAL, answer, voc) == plain(PROPOSAL, answer, voc)
    assert [o.spec.label for o in decode(PROPOSAL, answer, voc).outcomes if o.name == "sound"] == [
        "is sound",
        "is sound again",
    ]
