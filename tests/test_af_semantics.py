"""Every semantics and task against a brute-force enumeration, on random frameworks.

The reference implementation below enumerates all subsets of the arguments and
applies the definitions directly: Dung 1995 (conflict-free, admissible,
complete, grounded, preferred, stable), Caminada 2006 (semi-stable), Verheij
1996 (stage), Dung, Mancarella and Toni 2007 (ideal); see also Baroni,
Caminada and Giacomin 2011.  The frameworks are seeded random.Random(n) for n
in range(300): 0-7 arguments, random attacks, self-attacks included.  Small
frameworks repeat among them (there is one with no argument, and a handful
with one); each distinct framework is checked once, under the first seed that
draws it (190 of the 300).  Each semantics is grounded and solved only when a
test asks for it, so that tests of different semantics can run apart.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import TypeVar

import pytest

from argmap.af import FILES, Framework, Reasoner, reasoner, solve
from argmap.af.framework import Extension
from argmap.af.semantics import ideal_within

SEEDS = range(300)
ALL_SEMANTICS = tuple(FILES)  # CF ADM CO GR PR ST SST STG ID
_V = TypeVar("_V")


# ------------------------------------------------------------------ the reference
def random_framework(seed: int) -> Framework:
    rnd = random.Random(seed)
    n = rnd.randint(0, 7)
    density = rnd.choice((0.1, 0.2, 0.3, 0.45))
    attacks = {(a, b) for a in range(n) for b in range(n) if rnd.random() < density}
    return Framework(tuple(f"a{i}" for i in range(n)), frozenset(attacks))


def _maximal(sets: list[Extension], key: Callable[[Extension], frozenset[int]] = lambda s: s) -> list[Extension]:
    return [s for s in sets if not any(key(s) < key(t) for t in sets)]


def brute_force(fw: Framework) -> dict[str, list[Extension]]:
    """The extensions of every semantics, by the definitions."""
    n, att = len(fw), fw.attacks
    args = frozenset(range(n))
    attackers = {x: {y for y, z in att if z == x} for x in args}

    def attacked_by(s: Extension) -> frozenset[int]:
        return frozenset(y for x, y in att if x in s)

    def conflict_free(s: Extension) -> bool:
        return not any((x, y) in att for x in s for y in s)

    def defends(s: Extension, x: int) -> bool:
        return attackers[x] <= attacked_by(s)

    def range_of(s: Extension) -> frozenset[int]:
        return s | attacked_by(s)

    subsets = [frozenset(c) for r in range(n + 1) for c in itertools.combinations(range(n), r)]
    cf = [s for s in subsets if conflict_free(s)]
    adm = [s for s in cf if all(defends(s, x) for x in s)]
    co = [s for s in adm if all(x in s for x in args if defends(s, x))]
    grounded: Extension = frozenset()
    while (step := frozenset(x for x in args if defends(grounded, x))) != grounded:
        grounded = step
    pr = _maximal(adm)
    in_every_preferred = frozenset.intersection(*pr)
    ideal = _maximal([s for s in adm if s <= in_every_preferred])
    assert len(ideal) == 1
    return {
        "CF": cf,
        "ADM": adm,
        "CO": co,
        "GR": [grounded],
        "PR": pr,
        "ST": [s for s in cf if range_of(s) == args],
        "SST": _maximal(co, range_of),
        "STG": _maximal(cf, range_of),
        "ID": ideal,
    }


def distinct_frameworks() -> list[tuple[int, Framework]]:
    """(seed, framework) for each distinct framework the seeds draw, under its first seed."""
    seen: set[tuple[int, frozenset[tuple[int, int]]]] = set()
    found = []
    for seed in SEEDS:
        fw = random_framework(seed)
        if (len(fw), fw.attacks) not in seen:
            seen.add((len(fw), fw.attacks))
            found.append((seed, fw))
    return found


class _OnDemand(dict[tuple[int, str], _V]):
    """A mapping whose values are made on first access."""

    def __init__(self, make: Callable[[tuple[int, str]], _V]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: tuple[int, str]) -> _V:
        value = self[key] = self.make(key)
        return value


@pytest.fixture(scope="module")
def cases() -> list[tuple[int, Framework, dict[str, list[Extension]]]]:
    return [(seed, fw, brute_force(fw)) for seed, fw in distinct_frameworks()]


@pytest.fixture(scope="module")
def engines(cases: list[tuple[int, Framework, dict[str, list[Extension]]]]) -> dict[tuple[int, str], Reasoner]:
    """One reasoner (one grounded clingo program) per case and semantics, made when first asked for."""
    frameworks = {seed: fw for seed, fw, _ in cases}
    return _OnDemand(lambda key: reasoner(frameworks[key[0]], key[1]))


@pytest.fixture(scope="module")
def computed(engines: dict[tuple[int, str], Reasoner]) -> dict[tuple[int, str], set[Extension]]:
    """clingo's extensions for each case and semantics (computed when first asked for)."""
    return _OnDemand(lambda key: set(engines[key].extensions()))


@pytest.fixture(scope="module")
def seeds(cases: list[tuple[int, Framework, dict[str, list[Extension]]]]) -> list[int]:
    """The seed of each distinct case."""
    return [seed for seed, _, _ in cases]


def test_the_random_frameworks_vary(cases: list[tuple[int, Framework, dict[str, list[Extension]]]]) -> None:
    sizes = {len(fw) for _, fw, _ in cases}
    assert sizes == set(range(8))
    assert any(a == b for _, fw, _ in cases for a, b in fw.attacks), "some framework has a self-attack"
    assert any(not ref["ST"] for _, _, ref in cases), "some framework has no stable extension"
    assert any(len(ref["PR"]) > 1 for _, _, ref in cases)
    assert any(set(ref["SST"]) != set(ref["PR"]) for _, _, ref in cases)
    assert any(set(ref["STG"]) != set(ref["SST"]) for _, _, ref in cases)
    assert any(ref["ID"] != ref["GR"] for _, _, ref in cases)


# ------------------------------------------------------------------ cross-checks
@pytest.mark.parametrize("semantics", ALL_SEMANTICS)
def test_every_extension_matches_brute_force(
    semantics: str,
    cases: list[tuple[int, Framework, dict[str, list[Extension]]]],
    computed: dict[tuple[int, str], set[Extension]],
) -> None:
    wrong = [
        (seed, sorted(fw.attacks), computed[seed, semantics], ref[semantics])
        for seed, fw, ref in cases
        if computed[seed, semantics] != set(ref[semantics])
    ]
    assert not wrong, f"{len(wrong)} frameworks differ; first: {wrong[0]}"


@pytest.mark.parametrize("semantics", ALL_SEMANTICS)
def test_acceptance_matches_brute_force(
    semantics: str,
    cases: list[tuple[int, Framework, dict[str, list[Extension]]]],
    engines: dict[tuple[int, str], Reasoner],
) -> None:
    """SE, DC and DS (with their witnesses) and acceptance of all arguments at once."""
    wrong = []
    for seed, fw, ref in cases:
        exts = ref[semantics]
        credulous = frozenset(x for x in range(len(fw)) if any(x in e for e in exts))
        sceptical = frozenset(x for x in range(len(fw)) if all(x in e for e in exts))
        engine = engines[seed, semantics]
        some = engine.some_extension()
        if (some is None) != (not exts) or (some is not None and some not in exts):
            wrong.append((seed, "SE", some))
        if engine.acceptance() != (credulous, sceptical):
            wrong.append((seed, "acceptance", engine.acceptance(), (credulous, sceptical)))
        for x in range(len(fw)):
            accepted, witness = engine.credulous(x)
            if accepted != (x in credulous) or (accepted and (witness not in exts or x not in witness)):
                wrong.append((seed, "DC", x, accepted, witness))
            accepted, counter = engine.sceptical(x)
            if accepted != (x in sceptical) or (not accepted and (counter not in exts or x in counter)):
                wrong.append((seed, "DS", x, accepted, counter))
    assert not wrong, f"{len(wrong)} answers differ; first: {wrong[0]}"


@pytest.mark.parametrize("semantics", ["CO", "GR", "PR", "ST", "SST", "STG", "ID"])
def test_tasks_answer_as_brute_force(
    semantics: str, cases: list[tuple[int, Framework, dict[str, list[Extension]]]]
) -> None:
    """The task layer (names in, answers out) on the first 30 frameworks."""
    for seed, fw, ref in cases[:30]:
        exts = set(ref[semantics])
        assert set(solve(fw, semantics, "EE").extensions) == exts, seed
        se = solve(fw, semantics, "SE").extensions
        assert (se[0] in exts) if exts else se == (), seed
        for x, name in enumerate(fw.names):
            dc, ds = solve(fw, semantics, "DC", name), solve(fw, semantics, "DS", name)
            assert dc.accepted == any(x in e for e in exts), (seed, name)
            assert ds.accepted == all(x in e for e in exts), (seed, name)


def test_ee_is_sorted_and_repeatable(cases: list[tuple[int, Framework, dict[str, list[Extension]]]]) -> None:
    for _, fw, _ in cases[:60]:
        first = solve(fw, "CO", "EE").extensions
        assert first == solve(fw, "CO", "EE").extensions
        assert list(first) == fw.order(first)


# ------------------------------------------------------------------ the known relations
def test_stable_semi_stable_preferred_complete(
    computed: dict[tuple[int, str], set[Extension]], seeds: list[int]
) -> None:
    for seed in seeds:
        st, sst, pr, co = (computed[seed, s] for s in ("ST", "SST", "PR", "CO"))
        assert st <= sst <= pr <= co, seed
        assert sst, f"{seed}: a finite framework always has a semi-stable extension"
        if st:
            assert sst == st, seed


def test_grounded_is_the_least_complete_extension(
    computed: dict[tuple[int, str], set[Extension]], seeds: list[int]
) -> None:
    for seed in seeds:
        (grounded,) = computed[seed, "GR"]
        assert grounded in computed[seed, "CO"], seed
        assert all(grounded <= e for e in computed[seed, "CO"]), seed


def test_ideal_lies_in_every_preferred_extension(
    computed: dict[tuple[int, str], set[Extension]], seeds: list[int]
) -> None:
    for seed in seeds:
        (ideal,) = computed[seed, "ID"]
        (grounded,) = computed[seed, "GR"]
        assert all(ideal <= e for e in computed[seed, "PR"]), seed
        assert grounded <= ideal, seed
        assert ideal in computed[seed, "CO"], f"{seed}: the ideal extension is complete"


def test_ideal_by_the_definition_and_by_the_credulous_attackers(
    cases: list[tuple[int, Framework, dict[str, list[Extension]]]],
) -> None:
    """ideal.lp given the intersection of the preferred extensions (the definition) gives the same
    extension as given the arguments no credulously accepted argument attacks (what argmap passes)."""
    for seed, fw, ref in cases:
        in_every_preferred = frozenset.intersection(*ref["PR"])
        assert ideal_within(fw, in_every_preferred) == ref["ID"][0], seed


def test_stage_contains_stable_when_stable_exists(
    computed: dict[tuple[int, str], set[Extension]], seeds: list[int]
) -> None:
    for seed in seeds:
        st, stg = computed[seed, "ST"], computed[seed, "STG"]
        assert stg, seed
        if st:
            assert st <= stg, seed
            assert stg == st, f"{seed}: with a stable extension, the stage extensions are the stable ones"


# ------------------------------------------------------------------ small cases by hand
SAMPLE = Framework.build("abcde", [("a", "b"), ("b", "a"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "c")])


@pytest.mark.parametrize(
    ("semantics", "expected"),
    [
        ("CO", [set(), {"a"}, {"b", "d"}]),
        ("GR", [set()]),
        ("PR", [{"a"}, {"b", "d"}]),
        ("ST", [{"b", "d"}]),
        ("SST", [{"b", "d"}]),
        ("STG", [{"b", "d"}]),
        ("ID", [set()]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_sample_framework(semantics: str, expected: list[set[str]]) -> None:
    got = [set(SAMPLE.sorted_names(e)) for e in reasoner(SAMPLE, semantics).extensions()]
    assert sorted(map(sorted, got)) == sorted(map(sorted, expected))


def test_semi_stable_keeps_extensions_with_the_same_range() -> None:
    """a <-> b: {a} and {b} have the same range; domRec alone would report one."""
    fw = Framework.build("ab", [("a", "b"), ("b", "a")])
    for semantics in ("SST", "STG"):
        assert [fw.sorted_names(e) for e in reasoner(fw, semantics).extensions()] == [["a"], ["b"]]


def test_no_stable_extension_means_vacuous_sceptical_acceptance() -> None:
    fw = Framework.build("abc", [("a", "b"), ("b", "c"), ("c", "a")])
    engine = reasoner(fw, "ST")
    assert engine.extensions() == []
    assert engine.some_extension() is None
    assert engine.sceptical(0) == (True, None)
    assert engine.credulous(0) == (False, None)
    assert engine.acceptance() == (frozenset(), frozenset({0, 1, 2}))


def test_the_empty_framework_has_the_empty_extension() -> None:
    fw = Framework((), frozenset())
    for semantics in ALL_SEMANTICS:
        assert reasoner(fw, semantics).extensions() == [frozenset()], semantics
