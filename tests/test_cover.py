"""The description of which completions give a verdict value (``judge._cover``).

`check` says of an open proposal "credible yes when us_role includes
ground_troops or ...": a disjunction of conjunctions over the open components
that holds in exactly the completions giving that value.  The cover is greedy
and works on bit sets; here it is held to what it must do (cover every
completion of `yes`, none of `no`) and to the plain version it replaced, which
tests each conjunction against each completion in turn (same clauses, same
order), on random tables.
"""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from argmap.engine.judge import _MAX_CONJUNCTION, _cover, _holds
from argmap.model.verdicts import Literal
from fuzz_settings import examples

ARITY = {"form": "one", "roles": "many"}
VALUES = {"form": ("law", "treaty", "memo"), "roles": ("air", "intel", "troops")}
LITERALS: list[Literal] = [
    ("form", "law", True),
    ("form", "memo", True),
    ("form", "treaty", True),
    *[("roles", v, p) for v in ("air", "intel", "troops") for p in (True, False)],
]
COMPLETIONS = [
    frozenset({("form", f), *(("roles", r) for r in roles)})
    for f in VALUES["form"]
    for n in range(4)
    for roles in itertools.combinations(VALUES["roles"], n)
]


def reference(yes, no, literals, arity):  # type: ignore[no-untyped-def]
    """The cover as first written: every test a pass over the completions."""
    uncovered = set(yes)
    clauses = []
    while uncovered:
        best = None
        useful = [lit for lit in literals if any(_holds(lit, c) for c in uncovered)]
        for size in range(1, _MAX_CONJUNCTION + 1):
            if size > 1 and len(useful) > 24:
                break
            for conj in itertools.combinations(useful, size):
                if len({(k, v) for k, v, _ in conj}) < size:
                    continue
                if any(all(_holds(lit, c) for lit in conj) for c in no):
                    continue
                covered = {c for c in uncovered if all(_holds(lit, c) for lit in conj)}
                if covered and (best is None or len(covered) > len(best[1])):
                    best = (conj, covered)
            if best is not None:
                break
        if best is None:
            first = min(uncovered, key=sorted)
            conj = [lit for lit in literals if _holds(lit, first) and (lit[2] or arity[lit[0]] == "many")]
            for lit in list(conj):
                trial = [x for x in conj if x != lit]
                if trial and not any(all(_holds(x, c) for x in trial) for c in no):
                    conj = trial
            best = (tuple(conj), {c for c in uncovered if all(_holds(x, c) for x in conj)})
        clauses.append(best[0])
        uncovered -= best[1]
    return tuple(sorted(clauses))


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[frozenset[tuple[str, str]]], list[frozenset[tuple[str, str]]]]:
    chosen = draw(st.lists(st.sampled_from(COMPLETIONS), min_size=2, unique=True))
    cut = draw(st.integers(1, len(chosen) - 1))
    return chosen[:cut], chosen[cut:]


@examples(300)
@given(tables())
def test_the_cover_holds_in_exactly_the_completions_given(table) -> None:  # type: ignore[no-untyped-def]
    yes, no = table
    clauses = _cover(yes, no, LITERALS, ARITY)
    assert clauses == reference(yes, no, LITERALS, ARITY)
    for c in yes:
        assert any(all(_holds(lit, c) for lit in conj) for conj in clauses), c
    for c in no:
        assert not any(all(_holds(lit, c) for lit in conj) for conj in clauses), c


def test_a_value_given_by_one_component_is_described_by_it_alone() -> None:
    yes = [c for c in COMPLETIONS if ("roles", "troops") in c]
    no = [c for c in COMPLETIONS if ("roles", "troops") not in c]
    assert _cover(yes, no, LITERALS, ARITY) == ((("roles", "troops", True),),)
