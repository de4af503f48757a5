"""The argument map: nodes and edges read off the rules, and the marks of a proposal's solve."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

import argmap
from argmap.engine import World
from argmap.graph import REASONS, VERDICTS, ArgumentMap, argument_map
from argmap.model import ALL, NONE, SOME
from helpers import ROOT, proposal_paths

IDS = [p.stem for p in proposal_paths()]


@pytest.fixture(scope="module")
def traced() -> argmap.Argmap:
    return argmap.Argmap(trace=True)


@pytest.fixture(scope="module")
def static(traced: argmap.Argmap) -> ArgumentMap:
    return argument_map(traced.engine)


@pytest.fixture(scope="module")
def marked(traced: argmap.Argmap) -> dict[str, ArgumentMap]:
    return {p.stem: argument_map(traced.engine, traced.load(str(p))) for p in proposal_paths()}


def edge(m: ArgumentMap, source: str, target: str) -> str | None:
    """The kind of the edge source -> target (support, attack), or None."""
    kinds = {e.kind for e in m.edges if e.source == source and e.target == target}
    assert len(kinds) <= 1, kinds
    return kinds.pop() if kinds else None


def by_label(m: ArgumentMap, label: str) -> str:
    found = [n.id for n in m.nodes if n.label == label]
    assert len(found) == 1, (label, found)
    return found[0]


# ---------------------------------------------------------------- the static map
def test_nodes_are_claims_verdicts_and_reason_carrying_conclusions(static: ArgumentMap) -> None:
    kinds = {n.kind for n in static.nodes}
    assert kinds == {"claim", "verdict", "reason"}
    heads = {re.match(r"[a-z_]+", n.atom).group(0) for n in static.nodes if n.kind != "claim"}  # type: ignore[union-attr]
    assert heads == {name for name, _ in VERDICTS} | {name for name, _ in REASONS}
    verdicts = {n.atom for n in static.nodes if n.kind == "verdict"}
    assert {"consistent", "credible", "feasible_now", "precondition_met", "risk(low)", "risk(high)"} <= verdicts
    # Helpers are collapsed: no node for feature/1, has/2, current_stance/4, missing/3, clash/5...
    assert not [n for n in static.nodes if n.atom.startswith(("feature(", "has(", "current_stance(", "clash("))]


def test_node_ids_are_unique_and_edges_join_nodes(static: ArgumentMap) -> None:
    ids = [n.id for n in static.nodes]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)
    for e in static.edges:
        assert e.source in ids and e.target in ids
        assert e.kind in ("support", "attack")
        assert e.rules, e
    assert len({(e.source, e.target, e.kind) for e in static.edges}) == len(static.edges)


def test_every_conclusion_names_rules_that_exist(static: ArgumentMap) -> None:
    for n in static.nodes:
        if n.kind == "claim":
            continue
        assert n.rules, n
        for where in n.rules:
            path, line = where.rsplit(":", 1)
            text = (ROOT / path).read_text(encoding="utf-8").splitlines()
            assert text[int(line) - 1].strip(), where


def test_claims_carry_paraphrase_and_quote(traced: argmap.Argmap, static: ArgumentMap) -> None:
    claims = [n for n in static.nodes if n.kind == "claim"]
    assert len(claims) > 20
    for n in claims:
        c = traced.claims[n.atom]
        assert n.label == c.paraphrase and n.quote == c.quote and n.id == f"claim_{c.id}"
        assert c.record_only is None, "a record-only claim grounds no rule and is not drawn"
    # every claim node starts at least one edge
    sources = {e.source for e in static.edges}
    assert all(n.id in sources for n in claims)


def test_reason_nodes_are_labelled_with_the_rules_why_text(static: ArgumentMap) -> None:
    node = static.node("reason_credible_con_eu_needs_us")
    assert node.label == "the guarantee has no US involvement, so it would look unconvincing to Russia"
    assert node.rules == ("rules/credibility.lp:12",)
    assert node.group == "credible"


def test_accepted_claim_in_a_body_supports_the_head(static: ArgumentMap) -> None:
    assert edge(static, "claim_eu_needs_us", "reason_credible_con_eu_needs_us") == "support"
    assert edge(static, "claim_eu_needs_us", "reason_credible_pro_eu_needs_us") == "support"
    assert edge(static, "claim_nato_optimal", "reason_credible_pro_nato_optimal") == "support"


def test_a_negated_literal_attacks_the_head(static: ArgumentMap) -> None:
    # credible :- consistent, ..., not reason(credible, con, _, _).
    assert edge(static, "verdict_consistent", "verdict_credible") == "support"
    for n in static.nodes:
        if n.atom.startswith("reason(credible,con,"):
            assert edge(static, n.id, "verdict_credible") == "attack", n.id
        if n.atom.startswith("reason(credible,pro,"):
            assert edge(static, n.id, "verdict_credible") is None, n.id
    # risk_factor(high, ...) :- ..., not credible.
    assert edge(static, "verdict_credible", "risk_factor_high_russia_resumes_war") == "attack"
    # obstacle(russia, ...) :- not accepted(russia_no_veto), ...: the claim is a defeater.
    assert edge(static, "claim_russia_no_veto", "obstacle_russia") == "attack"
    assert edge(static, "verdict_risk_high", "verdict_risk_low") == "attack"


def test_helpers_are_collapsed_to_the_claims_below_them(static: ArgumentMap) -> None:
    # obstacle(us, C, ...) :- ..., current_stance(us, us_participation, reluctant, C): the stance/5
    # facts bind C, and stance_holds/5 has accepted(C) in its body.
    reluctant = by_label(
        static,
        "it needs the US to lead, send troops or sign a treaty alliance, and the US is reluctant to participate",
    )
    assert {e.source for e in static.edges if e.target == reluctant} == {"claim_us_not_eager"}
    # truncated(M) :- missing(M, _, _); missing/3 reads model_element/3 facts and accepted(C).
    assert edge(static, "claim_truncated_models", "verdict_truncated") == "support"
    assert edge(static, "claim_korea_sofa_1966", "verdict_truncated") == "support"


def test_a_head_bound_by_facts_is_one_node_per_fact(traced: argmap.Argmap, static: ArgumentMap) -> None:
    # conflict(Id, B, W) :- clash(Id, ...), basis(Id, B, W): one node per basis/3 fact.
    conflicts = [n for n in static.nodes if n.atom.startswith("conflict(")]
    assert len(conflicts) == len(traced.engine.facts("basis", 3))
    assert all(edge(static, n.id, "verdict_consistent") == "attack" for n in conflicts)


def test_the_map_follows_layered_rules(tmp_path: Path) -> None:
    """Nothing is drawn by hand: a rule added by another knowledge-base file appears with its edges."""
    extra = tmp_path / "extra.lp"
    extra.write_text(
        "helper_for_map_test :- accepted(nato_optimal).\n"
        'reason(credible, con, cost_matters, "a rule added for this test") :-\n'
        "    accepted(cost_matters), helper_for_map_test, not feature(nato_membership).\n",
        encoding="utf-8",
    )
    layered = argument_map(argmap.Argmap([str(ROOT / "rules" / "main.lp"), str(extra)]).engine)
    node = by_label(layered, "a rule added for this test")
    assert layered.node(node).rules[0].endswith("extra.lp:2")
    assert edge(layered, "claim_cost_matters", node) == "support"
    assert edge(layered, "claim_nato_optimal", node) == "support"  # through the helper
    assert edge(layered, node, "verdict_credible") == "attack"


def test_the_static_map_has_no_marks(static: ArgumentMap) -> None:
    assert static.proposal is None
    assert all(n.holds is None and not n.defeated for n in static.nodes)
    assert all(e.fired is None for e in static.edges)


def test_a_proposal_map_needs_a_traced_engine(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    with pytest.raises(ValueError, match="trace=True"):
        argument_map(app.engine, proposals["nato_membership"])


# ---------------------------------------------------------------- a proposal's map
@pytest.mark.parametrize("pid", IDS)
def test_marks_agree_with_the_verdicts(traced: argmap.Argmap, marked: dict[str, ArgumentMap], pid: str) -> None:
    m = marked[pid]
    proposal = traced.load(str(ROOT / "proposals" / f"{pid}.yaml"))
    v = traced.check(replace(proposal, phases=()))  # a roadmap is mapped as its final phase
    for atom, holds in (
        ("consistent", v.consistent),
        ("credible", v.credible),
        ("feasible_now", v.feasible_now),
        ("precondition_met", v.precondition_met),
    ):
        assert m.node(f"verdict_{atom}").holds == holds, atom
    for level in ("low", "medium", "high"):
        expected = NONE if level not in v.risk else (ALL if v.risk == (level,) else SOME)
        assert m.node(f"verdict_risk_{level}").holds == expected, level
    # every reason the verdict gives is a node that holds, and the claim behind it supports it
    held = {n.label for n in m.nodes if n.kind == "reason" and n.holds != NONE}
    for r in v.reasons:
        assert r.text in held, r
    # a support edge fired only into a node that holds, and out of one that holds
    for e in m.edges:
        if e.fired and e.kind == "support":
            assert m.node(e.target).holds != NONE and m.node(e.source).holds != NONE, e
        if e.fired and e.kind == "attack":
            assert m.node(e.target).defeated and m.node(e.source).holds != NONE, e
    for n in m.nodes:
        if n.defeated:
            assert n.holds == NONE


def test_a_defeated_verdict_and_the_edges_that_fired(marked: dict[str, ArgumentMap]) -> None:
    m = marked["european_reassurance_force"]
    credible = m.node("verdict_credible")
    assert credible.holds == NONE and credible.defeated
    fired = {(e.source, e.target, e.kind) for e in m.edges if e.fired}
    assert ("reason_credible_con_eu_needs_us", "verdict_credible", "attack") in fired
    assert ("claim_eu_needs_us", "reason_credible_con_eu_needs_us", "support") in fired
    assert ("claim_eu_needs_us", "reason_credible_pro_eu_needs_us", "support") not in fired
    assert m.node("reason_credible_pro_eu_needs_us").holds == NONE
    assert not m.node("reason_credible_pro_eu_needs_us").defeated  # unsupported, not defeated
    assert m.node("verdict_risk_low").defeated  # risk(high) holds


def test_a_credible_proposal(marked: dict[str, ArgumentMap]) -> None:
    m = marked["guaranteed_guarantees"]
    assert m.node("verdict_credible").holds == ALL
    fired = {(e.source, e.target, e.kind) for e in m.edges if e.fired}
    assert ("verdict_consistent", "verdict_credible", "support") in fired
    # `not credible` defeats the high-risk factor
    assert m.node("risk_factor_high_russia_resumes_war").defeated
    assert ("verdict_credible", "risk_factor_high_russia_resumes_war", "attack") in fired


def test_an_inconsistent_proposal_is_defeated_by_its_conflict(marked: dict[str, ArgumentMap]) -> None:
    m = marked["neutral_yet_nato"]
    assert m.node("conflict_neutrality_vs_nato_definition").holds == ALL
    assert m.node("verdict_consistent").defeated and m.node("verdict_credible").defeated
    fired = {(e.source, e.target) for e in m.edges if e.fired}
    assert ("conflict_neutrality_vs_nato_definition", "verdict_consistent") in fired


def test_an_open_proposal_marks_what_holds_in_some_completions(marked: dict[str, ArgumentMap]) -> None:
    m = marked["taiwan_style_law"]
    assert m.node("verdict_credible").holds == SOME
    assert {n.holds for n in m.nodes} >= {ALL, SOME, NONE}


def test_the_helper_trace_marks_collapsed_edges(marked: dict[str, ArgumentMap]) -> None:
    """A support through helpers fired when the helper's own firing used the claim."""
    m = marked["taiwan_style_law"]
    reluctant = [e for e in m.edges if e.source == "claim_us_not_eager"]
    assert reluctant and all(e.fired for e in reluctant)


def test_a_rejected_claim_does_not_hold_and_its_reasons_fall(traced: argmap.Argmap) -> None:
    p = traced.load(str(ROOT / "proposals" / "european_reassurance_force.yaml"))
    m = argument_map(traced.engine, p, World(rejected=("eu_needs_us",)))
    assert m.node("claim_eu_needs_us").holds == NONE
    assert m.node("reason_credible_con_eu_needs_us").holds == NONE
    assert m.node("claim_guaranteed_guarantees").holds == ALL
