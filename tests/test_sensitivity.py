"""Sensitivity: the claims each verdict rests on, and which are pivotal, checked one rejection at a time."""

from __future__ import annotations

import pytest

import argmap
from argmap import InputError, Verdict, World
from argmap.sensitivity import Sensitivity, sensitivity
from helpers import proposal_paths

#: Proposals with no open aspect (sensitivity needs every aspect set), one of each kind of verdict:
#: credible and feasible, credible but not feasible, medium risk, not credible, inconsistent.
CLOSED = [
    "budapest_memorandum",
    "european_reassurance_force",
    "guaranteed_guarantees",
    "korea_lite_without_troops",
    "nato_membership",
    "neutral_yet_nato",
    "us_air_intel_backstop",
]


def value(v: Verdict, verdict: str) -> str:
    """A verdict as sensitivity states it: yes/no, or the risk level(s)."""
    if verdict == "risk":
        return " or ".join(v.risk)
    return {"all": "yes", "none": "no"}[getattr(v, verdict)]


@pytest.fixture(scope="module")
def traced() -> argmap.Argmap:
    return argmap.Argmap(trace=True)


@pytest.fixture(scope="module")
def loaded(traced: argmap.Argmap) -> dict[str, argmap.Proposal]:
    return {p.stem: traced.load(str(p)) for p in proposal_paths()}


@pytest.fixture(scope="module")
def results(traced: argmap.Argmap, loaded: dict[str, argmap.Proposal]) -> dict[str, Sensitivity]:
    return {pid: sensitivity(traced.engine, loaded[pid], traced.claims) for pid in CLOSED}


@pytest.fixture(scope="module")
def one_at_a_time(traced: argmap.Argmap, loaded: dict[str, argmap.Proposal]) -> dict[str, dict[str, Verdict]]:
    """For each proposal, its verdict with each claim rejected alone: one Argmap.check per claim."""
    return {pid: {c: traced.check(loaded[pid], World(rejected=(c,))) for c in sorted(traced.claims)} for pid in CLOSED}


def test_the_air_backstop_is_feasible_only_while_russia_has_no_veto(results: dict[str, Sensitivity]) -> None:
    feasible = next(v for v in results["us_air_intel_backstop"].verdicts if v.verdict == "feasible_now")
    assert feasible.value == "yes"
    assert "russia_no_veto" in feasible.pivotal
    role = next(r for r in feasible.rests_on if r.claim == "russia_no_veto")
    assert role.if_rejected == "no"


def test_the_readme_example_of_sensitivity(results: dict[str, Sensitivity]) -> None:
    # us_coordinates and us_promised_support both record the US backing as promised, so
    # neither is pivotal alone; russia_no_veto is.
    feasible = next(v for v in results["us_air_intel_backstop"].verdicts if v.verdict == "feasible_now")
    assert feasible.pivotal == ("russia_no_veto",)


def test_us_backing_rests_on_two_claims_together(traced: argmap.Argmap, loaded: dict[str, argmap.Proposal]) -> None:
    # Why us_promised_support is not pivotal: either of two claims keeps the US backing promised.
    p = loaded["us_air_intel_backstop"]
    assert traced.check(p, World(rejected=("us_promised_support",))).feasible_now == "all"
    assert traced.check(p, World(rejected=("us_coordinates",))).feasible_now == "all"
    assert traced.check(p, World(rejected=("us_coordinates", "us_promised_support"))).feasible_now == "none"


@pytest.mark.parametrize("pid", CLOSED)
def test_pivotal_claims_are_exactly_those_whose_rejection_flips_the_verdict(
    traced: argmap.Argmap,
    loaded: dict[str, argmap.Proposal],
    results: dict[str, Sensitivity],
    one_at_a_time: dict[str, dict[str, Verdict]],
    pid: str,
) -> None:
    base = traced.check(loaded[pid])
    s = results[pid]
    assert [v.verdict for v in s.verdicts] == ["consistent", "credible", "feasible_now", "precondition_met", "risk"]
    for v in s.verdicts:
        assert v.value == value(base, v.verdict)
        flips = {c for c, after in one_at_a_time[pid].items() if value(after, v.verdict) != v.value}
        assert set(v.pivotal) == flips, v.verdict
        listed = [r.claim for r in v.rests_on]
        assert listed == sorted(set(listed)), "claims listed once, in order"
        assert set(listed) <= set(traced.claims)
        for r in v.rests_on:
            # What the verdict becomes with this claim rejected, as a separate check finds it.
            assert r.if_rejected == value(one_at_a_time[pid][r.claim], v.verdict), (v.verdict, r.claim)
            assert r.pivotal == (r.if_rejected != v.value)


@pytest.mark.parametrize("pid", CLOSED)
def test_a_verdict_against_rests_on_the_claims_against_it(
    traced: argmap.Argmap, loaded: dict[str, argmap.Proposal], results: dict[str, Sensitivity], pid: str
) -> None:
    base = traced.check(loaded[pid])
    verdicts = {v.verdict: v for v in results[pid].verdicts}
    against = {
        "credible": {r.basis for r in base.reasons if r.verdict == "credible" and r.effect == "con"},
        "feasible_now": {r.basis for r in base.reasons if r.verdict == "feasible_now"},
    }
    for verdict, claims in against.items():
        claims &= set(traced.claims)
        assert claims <= {r.claim for r in verdicts[verdict].rests_on}, verdict


def test_the_enumeration_matches_when_asked_twice(traced: argmap.Argmap, loaded: dict[str, argmap.Proposal]) -> None:
    p = loaded["european_reassurance_force"]
    first = sensitivity(traced.engine, p, traced.claims)
    traced.check(p, World(rejected=("eu_needs_us",)))
    assert sensitivity(traced.engine, p, traced.claims) == first
    assert traced.check(p) == argmap.Argmap().check(p)  # the enumeration left no claim rejected


def test_an_open_proposal_is_refused(traced: argmap.Argmap, loaded: dict[str, argmap.Proposal]) -> None:
    with pytest.raises(InputError, match="sensitivity needs a proposal with no open aspect") as info:
        sensitivity(traced.engine, loaded["taiwan_style_law"], traced.claims)
    assert "taiwan_style_law.yaml" in str(info.value)
    assert "open" in str(info.value)


def test_sensitivity_needs_a_traced_engine(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    with pytest.raises(ValueError, match="trace=True"):
        sensitivity(app.engine, proposals["guaranteed_guarantees"], app.claims)
