"""Sensitivity: the claims each verdict rests on, and which are pivotal, checked one rejection at a time."""

from __future__ import annotations

import pytest

import argmap
from argmap import Verdict, World
from argmap.analysis.sensitivity import sensitivity
from argmap.model.results import Sensitivity

#: Proposals with no open aspect (sensitivity needs every aspect set), one of each kind of verdict:
#: credible and feasible, credible but not feasible, medium risk and truncated, not credible,
#: inconsistent, and a roadmap.
CLOSED = [
    "budapest_memorandum",
    "european_reassurance_force",
    "guaranteed_guarantees",
    "korea_lite_without_troops",
    "nato_membership",
    "neutral_yet_nato",
    "roadmap_neutral_then_nato",
    "us_air_intel_backstop",
]


def value(v: Verdict, verdict: str) -> str:
    """A verdict as sensitivity states it: yes/no, the risk level, the truncated models or none."""
    return v[verdict].short()


@pytest.fixture(scope="module")
def results(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> dict[str, Sensitivity]:
    return {pid: sensitivity(app.traced, proposals[pid]) for pid in CLOSED}


@pytest.fixture(scope="module")
def one_at_a_time(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> dict[str, dict[str, Verdict]]:
    """For each proposal, its verdict with each claim rejected alone: one Argmap.check per claim."""
    return {pid: {c: app.check(proposals[pid], World(rejected=(c,))) for c in sorted(app.claims)} for pid in CLOSED}


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


def test_us_backing_rests_on_two_claims_together(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    # Why us_promised_support is not pivotal: either of two claims keeps the US backing promised.
    p = proposals["us_air_intel_backstop"]
    assert app.check(p, World(rejected=("us_promised_support",)))["feasible_now"].truth == "all"
    assert app.check(p, World(rejected=("us_coordinates",)))["feasible_now"].truth == "all"
    assert app.check(p, World(rejected=("us_coordinates", "us_promised_support")))["feasible_now"].truth == "none"


@pytest.mark.parametrize("pid", CLOSED)
def test_pivotal_claims_are_exactly_those_whose_rejection_flips_the_verdict(
    app: argmap.Argmap,
    proposals: dict[str, argmap.Proposal],
    results: dict[str, Sensitivity],
    one_at_a_time: dict[str, dict[str, Verdict]],
    pid: str,
) -> None:
    base = app.check(proposals[pid])
    s = results[pid]
    assert [v.verdict for v in s.verdicts] == list(app.registry.names)
    for v in s.verdicts:
        assert v.value == value(base, v.verdict)
        flips = {c for c, after in one_at_a_time[pid].items() if value(after, v.verdict) != v.value}
        assert set(v.pivotal) == flips, v.verdict
        listed = [r.claim for r in v.rests_on]
        assert listed == sorted(set(listed)), "claims listed once, in order"
        assert set(listed) <= set(app.claims)
        for r in v.rests_on:
            # What the verdict becomes with this claim rejected, as a separate check finds it.
            assert r.if_rejected == value(one_at_a_time[pid][r.claim], v.verdict), (v.verdict, r.claim)
            assert r.pivotal == (r.if_rejected != v.value)


@pytest.mark.parametrize("pid", CLOSED)
def test_a_verdict_rests_on_the_claims_of_its_reasons(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal], results: dict[str, Sensitivity], pid: str
) -> None:
    base = app.check(proposals[pid])
    verdicts = {v.verdict: v for v in results[pid].verdicts}
    for name in app.registry.names:
        claims = {r.basis for r in base.reasons_for(name)} & set(app.claims)
        assert claims <= {r.claim for r in verdicts[name].rests_on}, name


def test_a_truncated_model_rests_on_the_elements_it_lacks(results: dict[str, Sensitivity]) -> None:
    truncated = next(v for v in results["korea_lite_without_troops"].verdicts if v.verdict == "truncated")
    assert truncated.value == "south_korea"
    assert {"korea_sofa_1966", "truncated_models"} <= set(truncated.pivotal)


def test_the_enumeration_matches_when_asked_twice(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["european_reassurance_force"]
    first = sensitivity(app.traced, p)
    app.check(p, World(rejected=("eu_needs_us",)))
    assert sensitivity(app.traced, p) == first
    assert app.judge(p, trace=True).verdict == app.check(p)  # the enumeration left no claim rejected


def test_an_open_proposal_is_read_across_its_completions(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    """Each rejection is judged over every completion; pivotal means the reading across them changes."""
    p = proposals["taiwan_style_law"]
    result = sensitivity(app.traced, p)
    by_name = {v.verdict: v for v in result.verdicts}
    assert by_name["credible"].value == "some"
    for v in result.verdicts:
        for role in v.rests_on:
            after = app.check(p, World(rejected=(role.claim,)))[v.verdict].short()
            assert role.pivotal == (after != v.value), (v.verdict, role.claim)
            if role.pivotal:
                assert role.if_rejected == after
    assert any(v.pivotal for v in result.verdicts)


def test_sensitivity_needs_a_traced_engine(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    with pytest.raises(ValueError, match="trace=True"):
        sensitivity(app.engine, proposals["guaranteed_guarantees"])


def test_a_rejection_with_no_answer_set_flips_nothing_open_or_not(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A knowledge base whose constraint needs a claim: rejecting it leaves no answer set.  One enumeration
    (a plain proposal) and one solve per claim (an open proposal) both take that as no outcome, not an error."""
    from argmap.io.config import Config
    from argmap.io.scaffold import scaffold

    folder = tmp_path / "kb"
    scaffold(str(folder))
    with open(folder / "rules" / "effectiveness.lp", "a", encoding="utf-8") as f:
        f.write(":- not accepted(pricing_works), has(price, true).\n")
    app = argmap.Argmap([str(folder / "rules" / "main.lp")], config=Config())
    traced = app.traced
    plain = app.load(str(folder / "proposals" / "example.yaml"))
    opened = argmap.Proposal("o", "o", "o", (("price", "true"),), ("exemptions",))
    for proposal, value in ((plain, "yes"), (opened, "some")):
        (effective,) = sensitivity(traced, proposal).verdicts
        assert effective.value == value
        assert "pricing_works" not in effective.pivotal, effective
