"""Repairs: the fewest, then cheapest, changes that reach every goal, checked against brute force."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import pytest

import argmap
from argmap import InputError, Proposal, Verdict
from argmap.analysis.repair import parse_goal, repair
from argmap.engine.control import Engine
from argmap.model.results import Goal, RepairResult

#: What each goal means, read off a Verdict independently of the repair program.
GOALS: dict[str, Callable[[Verdict], bool]] = {
    "consistent": lambda v: v["consistent"].truth == "all",
    "credible": lambda v: v["credible"].truth == "all",
    "risk=low": lambda v: v["risk"].reached == ("low",),
    "risk=medium": lambda v: set(v["risk"].reached) <= {"low", "medium"},
    "feasible_now": lambda v: v["feasible_now"].truth == "all",
}


def meets(goals: Sequence[str], v: Verdict) -> bool:
    return all(GOALS[g](v) for g in goals)


@pytest.fixture(scope="module")
def repairer(app: argmap.Argmap) -> Engine:
    """The repair program over the same knowledge base, grounded once for the session."""
    return app.repairer


@pytest.fixture(scope="module")
def brute(app: argmap.Argmap, costs: dict[tuple[str, str], int]) -> Callable[[str], Brute]:
    """The brute-force optimum of a case, by case id, computed once for the module."""
    cases = {c[0]: c[1:] for c in CASES}
    memo: dict[str, Brute] = {}

    def get(case: str) -> Brute:
        if case not in memo:
            p, space, goals = cases[case]
            memo[case] = brute_force(app, costs, p, space, goals)
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
    app: argmap.Argmap, costs: dict[tuple[str, str], int], p: Proposal, space: Sequence[str], goals: Sequence[str]
) -> Brute:
    """Every way to change the components in `space` (the rest held), fewest changes first.

    A component's alternatives are every value it can take: unset, one value,
    or, for a list, every subset of its values.  Each candidate is judged with
    Argmap.check, independently of the repair program.
    """
    components = app.vocabulary.components

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
                if meets(goals, app.check(replace(p, settings=settings))):
                    added = [(k, v) for k in keys for v in values[k] - original[k]]
                    found[settings] = sum(costs.get(kv, 1) for kv in added)
        if found:
            best = min(found.values())
            return Brute(size, best, frozenset(s for s, c in found.items() if c == best))
    return Brute(None, None, frozenset())


EUROPEAN = {"lead": "european", "guarantors": ["uk", "france"], "us_role": ["none"]}
#: (id, proposal, the components that may change, goals).  Every other component is pinned with keep.
CASES = [
    (
        "credible-by-backstop",
        proposal(**EUROPEAN, western_contingent="trainers"),
        ("us_role", "western_contingent", "nato_path"),
        ("credible",),
    ),
    (
        "credible-by-nato",
        proposal(**EUROPEAN),
        ("us_role", "western_contingent", "nato_path"),
        ("credible",),
    ),
    (
        "low-risk-two-changes",
        # (a US political declaration: NATO membership with us_role [none] is a conflict)
        proposal(lead="european", guarantors=["uk"], us_role=["political_declaration"], military_aid="short_term"),
        ("western_contingent", "nato_path", "military_aid"),
        ("risk=low",),
    ),
    (
        "medium-risk-or-better",
        # (a US political declaration: NATO membership with us_role [none] is a conflict)
        proposal(lead="european", guarantors=["uk"], us_role=["political_declaration"], military_aid="short_term"),
        ("western_contingent", "nato_path", "military_aid"),
        ("risk=medium",),
    ),
    (
        "feasible-now",
        proposal(**EUROPEAN, western_contingent="trainers"),
        ("us_role", "western_contingent", "lead"),
        ("feasible_now",),
    ),
    (
        "credible-and-feasible-now",
        proposal(**EUROPEAN, western_contingent="trainers"),
        ("us_role", "western_contingent", "nato_path"),
        ("credible", "feasible_now"),
    ),
    (
        "consistent-two-ties",
        proposal(
            lead="us", guarantors=["us"], us_role=["political_declaration"], neutrality="permanent", nato_path="member"
        ),
        ("lead", "neutrality", "nato_path"),
        ("consistent",),
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
    p, space, goals = next(c[1:] for c in CASES if c[0] == case)
    assert not meets(goals, app.check(p)), "the case must need a repair"
    keep = _all_but(app, space)
    expected = brute(case)
    result = repair(repairer, app.engine, p, goals=goals, keep=keep, limit=1000)
    assert [str(g) for g in result.goals] == [g.replace("=", "<=") if g.startswith("risk") else g for g in goals]
    assert expected.changed is not None and result.found
    assert {r.components for r in result.repairs} == {expected.changed}
    assert {r.cost for r in result.repairs} == {expected.cost}
    assert {r.after.proposal.settings for r in result.repairs if r.after} == expected.optimal
    for r in result.repairs:
        assert r.after is not None and meets(goals, r.after)
        assert meets(goals, app.check(r.after.proposal))
        assert {k for _, k, _ in r.changes} <= set(space)  # keep respected
        assert len({k for _, k, _ in r.changes}) == r.components
        assert r.cost == sum(costs.get((k, v), 1) for op, k, v in r.changes if op == "add")


def test_the_two_change_case_really_needs_two(app: argmap.Argmap, repairer: Engine) -> None:
    # A guard on the brute force: no single change among these components reaches low risk.
    p = CASES[2][1]
    result = repair(repairer, app.engine, p, goals=("risk=low",), keep=_all_but(app, CASES[2][2]), max_changes=1)
    assert not result.found
    assert result.blocked_by  # the limit (and pins) are named


def test_several_goals_must_all_hold(app: argmap.Argmap, repairer: Engine) -> None:
    # Credible alone: NATO membership, which the US blocks today; credible and feasible now takes more.
    p = CASES[1][1]
    keep = _all_but(app, CASES[1][2])
    credible = repair(repairer, app.engine, p, goals=("credible",), keep=keep, limit=1000)
    both = repair(repairer, app.engine, p, goals=("credible", "feasible_now"), keep=keep, limit=1000)
    assert credible.found and both.found
    assert any(r.after is not None and not GOALS["feasible_now"](r.after) for r in credible.repairs)
    assert both.repairs[0].components > credible.repairs[0].components
    for r in both.repairs:
        assert r.after is not None and meets(("credible", "feasible_now"), r.after)


@pytest.mark.parametrize("case", [c[0] for c in CASES])
def test_without_pins_a_repair_is_no_larger_than_the_restricted_optimum(
    app: argmap.Argmap, repairer: Engine, brute: Callable[[str], Brute], case: str
) -> None:
    p, _, goals = next(c[1:] for c in CASES if c[0] == case)
    free = repair(repairer, app.engine, p, goals=goals)
    expected = brute(case)
    assert free.found and expected.changed is not None
    assert {r.components for r in free.repairs} == {free.repairs[0].components}
    assert free.repairs[0].components <= expected.changed
    for r in free.repairs:
        assert r.after is not None and meets(goals, r.after)


def _all_but(app: argmap.Argmap, space: Sequence[str]) -> list[str]:
    return [k for k in app.vocabulary.components if k not in space]


# ---------------------------------------------------------------- goals
@pytest.mark.parametrize(
    ("spec", "goal"),
    [
        ("credible", Goal("credible")),
        ("feasible-now", Goal("feasible_now")),
        ("credible=no", Goal("credible", "false")),
        ("consistent=true", Goal("consistent", "true")),
        ("risk=medium", Goal("risk", "medium", at_most=True)),
        ("truncated=taiwan", Goal("truncated", "taiwan")),
    ],
)
def test_a_goal_is_any_declared_verdict(app: argmap.Argmap, spec: str, goal: Goal) -> None:
    assert parse_goal(spec, app.registry) == goal


def test_the_default_goals_are_the_gates(app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]) -> None:
    result = repair(repairer, app.engine, proposals["european_reassurance_force"])
    assert result.goals == tuple(Goal(g) for g in app.registry.gates) == (Goal("consistent"), Goal("credible"))


def test_a_goal_at_a_value(app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]) -> None:
    # A bool verdict asked to be false: the fewest changes that make the article's package not credible.
    result = repair(repairer, app.engine, proposals["guaranteed_guarantees"], goals=("credible=false",))
    assert result.found and result.repairs[0].components == 1
    assert all(r.after is not None and r.after["credible"].truth == "none" for r in result.repairs)


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
    result = repair(repairer, app.engine, p, keep=["nato_path", "guarantors"])
    assert result.found
    for r in result.repairs:
        assert r.after is not None and r.after.proposal.values("nato_path") == p.values("nato_path")
        assert not {"nato_path", "guarantors"} & {k for _, k, _ in r.changes}


def test_keeping_no_us_role_leaves_no_repair(
    app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]
) -> None:
    """Issue 12: NATO membership with us_role [none] is a conflict, so membership no longer repairs it.

    Without the US, no guarantee is credible ("guarantees guaranteed by the United States").
    """
    result = repair(repairer, app.engine, proposals["european_reassurance_force"], keep=["us_role"])
    assert not result.found
    assert result.blocked_by == ("keep us_role",)


# ---------------------------------------------------------------- no repair
@pytest.mark.parametrize(
    ("keep", "max_changes", "blocked_by"),
    [
        (("us_role", "nato_path"), None, ("keep us_role",)),
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
    assert result.blocked_by == ("keep us_role",)


def test_a_proposal_that_meets_the_goal_needs_no_change(
    app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]
) -> None:
    result: RepairResult = repair(repairer, app.engine, proposals["guaranteed_guarantees"], max_changes=0)
    [none] = result.repairs
    assert (none.changes, none.components, none.cost) == ((), 0, 0)


def test_repairing_an_open_aspect_shows_it_was_open(
    app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]
) -> None:
    p = proposals["taiwan_style_law"]
    keep = [k for k in app.vocabulary.components if k != "us_role"]
    result = repair(repairer, app.engine, p, keep=keep)
    assert result.found
    for r in result.repairs:
        assert r.proposal == p and r.after is not None and r.after.proposal.open == ()
        assert [line.split(" -> ")[0] for line in r.described()] == ["us_role: (open)"]
        assert r.after is not None and meets(("consistent", "credible"), r.after)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"goals": ("safe",)}, "'safe' is not a verdict of this knowledge base"),
        ({"goals": ("risk=lowest",)}, "'lowest' is not a value of risk"),
        ({"goals": ("credible=maybe",)}, "'maybe' is not a value of credible"),
        ({"keep": ["us_rol"]}, "did you mean 'us_role'"),
        ({"max_changes": 41}, "41 is out of range"),
    ],
    ids=["goal", "level", "bool", "keep", "max-changes"],
)
def test_bad_repair_questions_are_input_errors(
    app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        repair(repairer, app.engine, proposals["european_reassurance_force"], **kwargs)  # type: ignore[arg-type]


def test_repair_needs_a_repair_engine(app: argmap.Argmap, proposals: dict[str, Proposal]) -> None:
    with pytest.raises(ValueError, match="mode='repair'"):
        repair(app.engine, app.engine, proposals["european_reassurance_force"])


def test_an_open_aspect_is_settled_by_the_repair(app: argmap.Argmap, repairer: Engine) -> None:
    """An open us_role is a component the repair may set: (open) -> backstop."""
    from argmap.render.text import repair_text

    p = Proposal(
        "open_subset",
        "Coalition force, US role open",
        "test",
        (("guarantors", "uk"), ("lead", "european"), ("western_contingent", "tripwire")),
        open=("us_role",),
        open_values=(("us_role", "air_support"), ("us_role", "backstop"), ("us_role", "intelligence")),
    )
    result = repair(repairer, app.engine, p)
    assert [r.changes for r in result.repairs] == [(("add", "us_role", "backstop"),)]
    assert result.repairs[0].after is not None and result.repairs[0].after["credible"].good
    assert "us_role: (open) -> backstop" in repair_text(result, app.vocabulary)


# ---------------------------------------------------------------- under a timeout, and in a long-lived engine
def test_the_pins_that_block_a_repair_are_named_under_a_timeout_too(proposals: dict[str, Proposal]) -> None:
    """With a timeout the solve runs in clingo's thread, which does not call on_core: the core is read from
    the solve handle instead (argmap serve always has a timeout)."""
    timed = argmap.Argmap(timeout=30)
    result = timed.repair(proposals["european_reassurance_force"], keep=["us_role"])
    assert not result.found
    assert result.blocked_by == ("keep us_role",)


def test_the_same_repair_question_gets_the_same_answer_in_a_long_lived_engine(
    app: argmap.Argmap, repairer: Engine, proposals: dict[str, Proposal]
) -> None:
    """Many repairs tie for the optimum; which ones clingo finds first depends on what it learnt in earlier
    solves: asking other questions in between must not change the answer."""
    p = proposals["istanbul_communique_2022"]
    first = repair(repairer, app.engine, p, goals=["credible", "risk=medium"])
    assert first.found and len(first.repairs) > 1
    for other in ("european_reassurance_force", "budapest_memorandum", "nato_promise_alone"):
        repair(repairer, app.engine, proposals[other], goals=["credible"])
        again = repair(repairer, app.engine, p, goals=["credible", "risk=medium"])
        assert [r.changes for r in again.repairs] == [r.changes for r in first.repairs]
