"""Property tests: the range-maximality loops (SST, STG) and DS under PR against brute force.

Hypothesis draws small frameworks (up to 8 arguments, any attacks, self-attacks
included) and every ICCMA task is answered through :func:`argmap.af.solve`,
as the command line answers it: SE must give an extension (or none exactly
when there is none), EE every extension, DC and DS the right answer with a
witness that is an extension with (DC) or without (DS) the argument.  Each
answer comes from a fresh reasoner, so the first climb of every loop is
exercised, not one warmed up by an earlier question.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argmap.af import Framework, solve
from fuzz_settings import examples
from test_af_semantics import brute_force


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    n = draw(st.integers(1, 8))
    pairs = [(a, b) for a in range(n) for b in range(n)]
    attacks = draw(st.sets(st.sampled_from(pairs), max_size=min(len(pairs), 3 * n)))
    return Framework(tuple(f"a{i}" for i in range(n)), frozenset(attacks))


def check(fw: Framework, semantics: str, argument: int) -> None:
    expected = set(brute_force(fw)[semantics])
    name = fw.names[argument]

    some = solve(fw, semantics, "SE").extensions
    assert (some[0] in expected) if expected else some == (), (some, expected)

    assert set(solve(fw, semantics, "EE").extensions) == expected

    dc = solve(fw, semantics, "DC", name)
    assert dc.accepted == any(argument in e for e in expected)
    assert dc.witness is None if not dc.accepted else (dc.witness in expected and argument in dc.witness)

    ds = solve(fw, semantics, "DS", name)
    assert ds.accepted == all(argument in e for e in expected)
    assert ds.witness is None if ds.accepted else (ds.witness in expected and argument not in ds.witness)


@pytest.mark.parametrize("semantics", ["STG", "SST", "PR"])
def test_every_task_agrees_with_brute_force(semantics: str) -> None:
    @examples(200)
    @given(fw=frameworks(), data=st.data())
    def prop(fw: Framework, data: st.DataObject) -> None:
        check(fw, semantics, data.draw(st.integers(0, len(fw) - 1), label="argument"))

    prop()
