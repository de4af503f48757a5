"""Minimal conflicting sets (minimal unsatisfiable subsets) of a proposal's settings.

What "a set conflicts" means matters here.  mus.py holds everything outside the
proposal fixed (absent components stay absent, the world is the article's) and
leaves the proposal's *other* settings free: a set conflicts when no choice of
the remaining settings makes the proposal consistent.  Two checks follow:

* the engine's own semantics, through ``require_coherent`` (lp/support.lp):
  each set is unsatisfiable and each proper subset is satisfiable;
* an independent one, with Argmap.check on a Proposal built from a subset
  (where a dropped setting is simply absent): every minimal inconsistent
  subset found by brute force over all subsets.  The two agree on proposals
  whose conflicts do not depend on something being absent; where one does
  (a European lead with no European guarantor), they differ, as the last
  test documents.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import clingo
import pytest

import argmap
from argmap import Proposal
from argmap.analysis.mus import minimal_conflicts
from argmap.model.proposal import Setting


def proposal(**components: str | list[str]) -> Proposal:
    settings = [(k, v) for k, vs in components.items() for v in ([vs] if isinstance(vs, str) else vs)]
    return Proposal("constructed", "constructed", "a test proposal", tuple(sorted(settings)))


#: Six conflicts, from five clash rules of rules/consistency.lp; neutrality is in two of them, and
#: NATO membership with no US role is one (membership brings the US's Article 5 commitment).
SEVERAL = proposal(
    lead="us",
    us_role=["none", "backstop"],
    neutrality="permanent",
    nato_path="member",
    foreign_troops_banned="true",
    western_contingent="tripwire",
    duration="until_nato_membership",
)
SEVERAL_CONFLICTS = [
    (("duration", "until_nato_membership"), ("neutrality", "permanent")),
    (("foreign_troops_banned", "true"), ("western_contingent", "tripwire")),
    (("lead", "us"), ("us_role", "none")),
    (("nato_path", "member"), ("neutrality", "permanent")),
    (("nato_path", "member"), ("us_role", "none")),
    (("us_role", "backstop"), ("us_role", "none")),
]


def unsatisfiable(app: argmap.Argmap, p: Proposal, subset: tuple[Setting, ...]) -> bool:
    """mus.py's semantics, asked of the engine: `subset` true, p's other settings free, the rest false."""
    engine = app.engine
    fn = clingo.Function
    chosen = [engine.literal("set", fn(k), fn(v)) for k, v in subset]
    free = {engine.literal("set", fn(k), fn(v)) for k, v in p.settings if (k, v) not in subset}
    assumptions = engine.complete([*chosen, engine.literal("require_coherent")])
    return not engine.solve_raw([lit for lit in assumptions if abs(lit) not in free], [])


def inconsistent(app: argmap.Argmap, p: Proposal, subset: tuple[Setting, ...]) -> bool:
    """The plain reading: a proposal with only these settings is inconsistent."""
    return app.check(replace(p, settings=tuple(sorted(subset))))["consistent"].truth == "none"


def minimal_inconsistent_subsets(app: argmap.Argmap, p: Proposal) -> list[tuple[Setting, ...]]:
    """By brute force: every subset of p's settings, smallest first, with Argmap.check."""
    found: list[tuple[Setting, ...]] = []
    for size in range(len(p.settings) + 1):
        for subset in itertools.combinations(p.settings, size):
            if any(set(m) <= set(subset) for m in found):
                continue  # a superset of a conflict: not minimal
            if inconsistent(app, p, subset):
                found.append(subset)
    return sorted(found, key=lambda s: (len(s), s))


# ---------------------------------------------------------------- the examples
@pytest.mark.parametrize(
    ("pid", "expected"),
    [
        ("neutral_yet_nato", [(("nato_path", "irreversible_path"), ("neutrality", "permanent"))]),
        ("troop_ban_with_contingent", [(("foreign_troops_banned", "true"), ("western_contingent", "tripwire"))]),
        ("guaranteed_guarantees", []),
        ("european_reassurance_force", []),
    ],
)
def test_the_examples(
    app: argmap.Argmap, proposals: dict[str, Proposal], pid: str, expected: list[tuple[Setting, ...]]
) -> None:
    p = proposals[pid]
    assert minimal_conflicts(app.engine, p) == expected
    assert (app.check(p)["consistent"].truth == "none") == bool(expected)
    for conflict in expected:
        assert unsatisfiable(app, p, conflict)
        assert inconsistent(app, p, conflict)


def test_the_examples_conflicts_name_the_same_components(app: argmap.Argmap, proposals: dict[str, Proposal]) -> None:
    # The conflict the rules report involves exactly the minimal set.
    for pid in ("neutral_yet_nato", "troop_ban_with_contingent"):
        [conflict] = app.check(proposals[pid]).conflicts
        assert [conflict.components] == minimal_conflicts(app.engine, proposals[pid])


# ---------------------------------------------------------------- several independent conflicts
@pytest.fixture(scope="module")
def several(app: argmap.Argmap) -> list[tuple[Setting, ...]]:
    return minimal_conflicts(app.engine, SEVERAL)


def test_every_conflict_is_found(several: list[tuple[Setting, ...]]) -> None:
    assert several == SEVERAL_CONFLICTS


def test_each_set_is_unsatisfiable_and_minimal(app: argmap.Argmap, several: list[tuple[Setting, ...]]) -> None:
    for conflict in several:
        assert unsatisfiable(app, SEVERAL, conflict), conflict
        for n in range(len(conflict)):
            for smaller in itertools.combinations(conflict, n):
                assert not unsatisfiable(app, SEVERAL, smaller), smaller


def test_agrees_with_brute_force_over_every_subset(app: argmap.Argmap, several: list[tuple[Setting, ...]]) -> None:
    # 2^8 proposals, each judged by Argmap.check, share nothing with mus.py but the rules.
    assert minimal_inconsistent_subsets(app, SEVERAL) == several


def test_removing_one_setting_of_each_conflict_makes_it_consistent(
    app: argmap.Argmap, several: list[tuple[Setting, ...]]
) -> None:
    # Completeness from the other side: a conflict mus.py missed would survive every such removal.
    assert app.check(SEVERAL)["consistent"].truth == "none"
    for hitting in itertools.product(*several):
        kept = tuple(s for s in SEVERAL.settings if s not in hitting)
        assert app.check(replace(SEVERAL, settings=kept))["consistent"].truth == "all", hitting


def test_the_order_of_settings_does_not_matter(app: argmap.Argmap, several: list[tuple[Setting, ...]]) -> None:
    shuffled = replace(SEVERAL, settings=tuple(reversed(SEVERAL.settings)))
    assert minimal_conflicts(app.engine, shuffled) == several


def test_the_world_stays_as_it_is(app: argmap.Argmap, several: list[tuple[Setting, ...]]) -> None:
    # No input is left set by the loop: the next question is answered as if it had never run.
    before = app.check(SEVERAL)
    minimal_conflicts(app.engine, SEVERAL)
    assert app.check(SEVERAL) == before
    assert app.check(replace(SEVERAL, settings=(("lead", "us"), ("us_role", "backstop"))))["consistent"].truth == "all"


# ---------------------------------------------------------------- where the two readings differ
def test_a_dropped_setting_is_left_free_not_absent(app: argmap.Argmap) -> None:
    p = proposal(lead="european", guarantors=["uk"], foreign_troops_banned="true", western_contingent="tripwire")
    found = minimal_conflicts(app.engine, p)
    assert found == [(("foreign_troops_banned", "true"), ("western_contingent", "tripwire"))]
    # Read plainly, a European lead alone is inconsistent (no European guarantor is named) ...
    assert inconsistent(app, p, (("lead", "european"),))
    assert (("lead", "european"),) in minimal_inconsistent_subsets(app, p)
    # ... but the proposal does name one, so mus.py, which leaves guarantors=uk free, does not report it.
    assert not unsatisfiable(app, p, (("lead", "european"),))
    assert all(("lead", "european") not in conflict for conflict in found)


def test_a_setting_can_conflict_alone(app: argmap.Argmap) -> None:
    # A European lead whose guarantors are none of them European: a set of one.
    p = proposal(lead="european", guarantors=["us"], us_role=["backstop"])
    assert minimal_conflicts(app.engine, p) == [(("lead", "european"),)]
    assert minimal_inconsistent_subsets(app, p) == [(("lead", "european"),)]
