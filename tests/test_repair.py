"""Repairs: the fewest, then cheapest, changes that reach a goal, checked against brute force."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import pytest

import argmap
from argmap import InputError, Proposal, Verdict
from argmap.engine import Engine
from argmap.repair import RepairResult, repair

GOALS: dict[str, Callable[[Verdict], bool]] = {
    "consistent": lambda v: v.consistent == "all",
    "credible": lambda v: v.credible == "all",
    "low-risk": lambda v: v.risk == ("low",),
    "feasible-now": lambda v: v.feasible_now == "all",
}


@pytest.fixture(scope="module")
def repairer(app: argmap.Argmap) -> Engine:
    """The repair program over the same knowledge base, grounded once for the module."""
    return Engine(app.engine.files, repair=True)


@pytest.fixture(scope="module")
def brute(app: argmap.Argmap, costs: dict[tuple[str, str], int]) -> Callable[[str], Brute]:
    """The brute-force optimum of a case, by case id, computed once for the module."""
    cases = {c[0]: c[1:] for c in CASES}
    memo: dict[str, Brute] = {}

    def get(case: str) -> Brute:
        if case not in memo:
            p, space, goal = cases[case]
            memo[case] = brute_force(app, costs, p, space, goal)
        return memo[case]

    return get


@pytest.fixture(scope="module")
def costs(app: argmap.Argmap) -> dict[tuple[str, str], int]:
    """facts/costs.lp as read from the ground program: the price of adding a value (1 if unpriced)."""
    return {(str(s.arguments[0]), str(s.arguments[1])): s.arguments[2].number for s in app.engine.facts("cost", 3)}


def proposal(pid: str = "small", **components: str | list[str]) -> Proposal:
    settings = [(k, v) for k, vs in components.items() for v in ([vs] if isinstance(vs, str) else vs)]
    return Proposal(pid, pid, "a test proposal", tuple(sorted(settings)))


@dataclass(frozen=True)
class Brute:
    changed: int | None  # the fewest components changed to reach the goal; None if none does
    cost: int | None
    optimal: frozenset[tuple[tuple[str, str], ...]]  # the settings of every optimal repair


def brute_force(
    app: argmap.Argmap, costs: dict[tuple[str, str], int], p: Proposal, space: Sequence[str], goal: str
) -> Brute:
    """Every way to change the components in `space` (the rest held), fewest changes first.

    A component's alternatives are every value it can take: unset, one value,
    or, for a list, every subset of its values.  Each candidate is judged with
    Argmap.check, independently of the repair program.
    """
    components = app.engine.vocabulary.components

    def alternatives(key: str) -> list[frozenset[str]]:
        values = components[key].values
        if components[key].arity == "many":
            return [frozenset(c) for n in range(len(values) + 1) for c in itertools.combinations(values, n)]
        return [frozenset(), *(frozenset([v]) for v in values)]

    original = {k: frozenset(p.values(k)) for k in space}
    held = [(k, v) for k, v in p.settings if k not in space]
    for size in range(len(space) + 1):
        found: dict[tuple[tuple[str, str], ...], int] = {}
        for keys in itertools.combinations(sorted(space), size):
            options = [[a for a in alternatives(k) if a != original[k]] for k in keys]
            for chosen in itertools.product(*options):
                values = {**original, **dict(zip(keys, chosen, strict=True))}
                settings = tuple(sorted(held + [(k, v) for k in values for v in values[k]]))
                if GOALS[goal](app.check(replace(p, settings=settings))):
                    added = [(k, v) for k in keys for v in values[k] - original[k]]
                    found[settings] = sum(costs.get(kv, 1) for kv in added)
        if found:
            best = min(found.values())
            return Brute(size, best, frozenset(s for s, c in found.items() if c == best))
    return Brute(None, None, frozenset())


EUROPEAN = {"lead": "european", "guarantors": ["uk", "france"], "us_role": ["none"]}
#: (id, proposal, the components that may change, goal).  Every other component is pinned with --keep.
CASES = [
    (
        "credible-by-backstop",
        proposal(**EUROPEAN, western_contingent="trainers"),
        ("us_role", "western_contingent", "nato_path"),
        "credible",
    ),
    (
        "credible-by-nato",
        proposal(**EUROPEAN),
        ("us_role", "western_contingent", "nato_path"),
        "credible",
    ),
    (
        "low-risk-two-changes",
        proposal(lead="european", guarantors=["uk"], us_role=["none"], military_aid="short_term"),
        ("western_contingent", "nato_path", "military_aid"),
        "low-risk",
    ),
    (
        "feasible-now",
        proposal(**EUROPEAN, western_contingent="trainers"),
        ("us_role", "western_contingent", "lead"),
        "feasible-now",
    ),
    (
        "consistent-two-ties",
        proposal(lead="us", guarantors=["us"], us_role=["none"], neutrality="permanent", nato_path="member"),
        ("lead", "neutrality", "nato_path"),
        "consistent",
    ),
]


@pytest.mark.parametrize("case", [c[0] for c in CASES])
def test_optimal_repairs_agree_with_brute_force(
    app: argmap.Argmap,
    repairer: Engine,
    costs: dict[tuple[str, str], int],
    brute: Callable[[str], Brute],
    case: str,
) -> None:
    p, space, goal = next(c[1:] for c in CASES if c[0] == case)
    assert not GOALS[goal](app.check(p)), "the case must need a repair"
    keep = _all_but(app, space)
    expected = brute(case)
    result = repair(repairer, app.engine, p, goal=goal, keep=keep, limit=1000)
    assert expected.changed is not None and result.found
    assert {r.components for r in result.repairs} == {expected.changed}
    assert {r.cost for r in result.repairs} == {expected.cost}
    assert {r.proposal.settings for r in result.repairs} == expected.optimal
    for r in result.repairs:
        assert r.after is not None and GOALS[goal](r.after)
        assert GOALS[goal](app.check(r.proposal))
        assert {k for _, k, _ in r.changes} <= set(space)  # --keep respected
        assert len({k for _, k, _ in r.changes}) == r.components
        assert r.cost == sum(costs.get((k, v), 1) for op, k, v in r.changes if op == "add")


def test_the_two_change_case_really_needs_two(app: argmap.Argmap, repairer: Engine) -> None:
    # A guard on the brute force: no single change among these components reaches low risk.
    p = CASES[2][1]
    result = repair(repairer, app.engine, p, goal="low-risk", keep=_all_but(app, CASES[2][2]), max_changes=1)
    assert not result.found
    assert result.blocked_by  # the limit (and pins) are named


@pytest.mark.parametrize("case", [c[0] for c in CASES])
def test_without_pins_a_repair_is_no_larger_than_the_restricted_optimum(
    app: argmap.Argmap, repairer: Engine, brute: Callable[[str], Brute], case: str
) -> None:
    p, _, goal = next(c[1:] for c in CASES if c[0] == case)
    free = repair(repairer, app.engine, p, goal=goal)
    expected = brute(case)
    assert free.found and expected.changed is not None
    assert {r.components for r in free.repairs} == {free.repairs[0].components}
    assert free.repairs[0].components <= expected.changed
    for r in free.repairs:
        assert r.after is not None and GOALS[goal](r.after)


def _all_but(app: argmap.Argmap, space: Sequence[str]) -> list[str]:
    return [k for k in app.engine.vocabulary.components if k not in space]


# ---------------------------------------------------------------- the example proposals
def test_the_european_force_needs_only_a_us_backstop(
    app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]
) -> None:
    result = repair(repairer, app.engine, proposals["european_reassurance_force"])
    [only] = result.repairs
    assert only.changes == (("add", "us_role", "backstop"), ("drop", "us_role", "none"))
    assert (only.components, only.cost) == (1, 3)
    assert only.described() == ["us_role: none -> backstop"]


def test_keep_pins_are_respected(app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]) -> None:
    p = proposals["european_reassurance_force"]
    result = repair(repairer, app.engine, p, keep=["us_role"])
    assert result.found
    for r in result.repairs:
        assert r.proposal.values("us_role") == p.values("us_role")
        assert "us_role" not in {k for _, k, _ in r.changes}
    assert [r.changes for r in result.repairs] == [(("add", "nato_path", "member"),)]


# ---------------------------------------------------------------- no repair
@pytest.mark.parametrize(
    ("keep", "max_changes", "blocked_by"),
    [
        (("us_role", "nato_path"), None, ("keep nato_path", "keep us_role")),
        ((), 0, ("at most 0 changes",)),
        (("nato_path",), 0, ("at most 0 changes",)),
    ],
    ids=["pins", "no-change-allowed", "limit-and-irrelevant-pin"],
)
def test_no_repair_names_what_forbids_it(
    app: argmap.Argmap,
    repairer: Engine,
    proposals: dict[str, Proposal],
    keep: tuple[str, ...],
    max_changes: int | None,
    blocked_by: tuple[str, ...],
) -> None:
    p = proposals["european_reassurance_force"]
    result = repair(repairer, app.engine, p, keep=keep, max_changes=max_changes)
    assert not result.found and result.repairs == ()
    assert set(blocked_by) <= set(result.blocked_by)
    # Only what the question pinned can be named.
    pinned = {f"keep {k}" for k in keep} | ({f"at most {max_changes} changes"} if max_changes is not None else set())
    assert set(result.blocked_by) <= pinned
    assert list(result.blocked_by) == sorted(result.blocked_by)


def test_blocked_by_names_only_the_pins_that_forbid_a_repair(
    app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]
) -> None:
    keep = ["us_role", "nato_path", "lead", "timing", "air_defence", "military_aid"]
    result = repair(repairer, app.engine, proposals["european_reassurance_force"], keep=keep)
    assert not result.found
    assert result.blocked_by == ("keep nato_path", "keep us_role")


def test_a_proposal_that_meets_the_goal_needs_no_change(
    app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]
) -> None:
    result: RepairResult = repair(repairer, app.engine, proposals["guaranteed_guarantees"], max_changes=0)
    [none] = result.repairs
    assert (none.changes, none.components, none.cost) == ((), 0, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"goal": "safe"}, "'safe' is not a goal"),
        ({"keep": ["us_rol"]}, "did you mean 'us_role'"),
        ({"max_changes": 41}, "41 is out of range"),
    ],
    ids=["goal", "keep", "max-changes"],
)
def test_bad_repair_questions_are_input_errors(
    app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        repair(repairer, app.engine, proposals["european_reassurance_force"], **kwargs)  # type: ignore[arg-type]


def test_repair_needs_a_repair_engine(app: argmap.Argmap, proposals: dict[str, Proposal]) -> None:
    with pytest.raises(ValueError, match="repair=True"):
        repair(app.engine, app.engine, proposals["european_reassurance_force"])
