"""The argument map: nodes and edges read off the rules, and the marks of a proposal's judgement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import argmap
from argmap.analysis.argument_map import REASONS, argument_map
from argmap.model.argument_map import ArgumentMap
from argmap.model.proposal import World
from argmap.model.verdicts import ALL, NONE, SOME
from helpers import ROOT, proposal_paths

IDS = [p.stem for p in proposal_paths()]
FEDERALIST = ROOT / "examples" / "federalist10"


@pytest.fixture(scope="module")
def static(app: argmap.Argmap) -> ArgumentMap:
    return argument_map(app.traced)


@pytest.fixture(scope="module")
def marked(app: argmap.Argmap) -> dict[str, ArgumentMap]:
    return {p.stem: app.map(str(p)) for p in proposal_paths()}


def edge(m: ArgumentMap, source: str, target: str) -> str | None:
    """The kind of the edge source -> target (support, attack), or None."""
    kinds = {e.kind for e in m.edges if e.source == source and e.target == target}
    assert len(kinds) <= 1, kinds
    return kinds.pop() if kinds else None


def by_label(m: ArgumentMap, label: str) -> str:
    found = [n.id for n in m.nodes if n.label == label]
    assert len(found) == 1, (label, found)
    return found[0]


def verdict_nodes(registry: argmap.Registry) -> dict[str, tuple[str, str | None]]:
    """The verdict node ids the registry implies: (verdict, value) by id; a bool verdict's value is None."""
    out: dict[str, tuple[str, str | None]] = {}
    for spec in registry:
        if spec.kind == "bool":
            out[f"verdict_{spec.name}"] = (spec.name, None)
        else:
            out.update({f"verdict_{spec.name}_{v}": (spec.name, v) for v in spec.values})
    return out


# ---------------------------------------------------------------- the static map
def test_nodes_are_claims_verdicts_and_reason_carrying_conclusions(app: argmap.Argmap, static: ArgumentMap) -> None:
    kinds = {n.kind for n in static.nodes}
    assert kinds == {"claim", "verdict", "reason"}
    heads = {re.match(r"[a-z_]+", n.atom).group(0) for n in static.nodes if n.kind != "claim"}  # type: ignore[union-attr]
    assert heads == set(app.registry.names) | {name for name, _ in REASONS}
    # one verdict node per bool verdict, and per value of a level or set verdict
    assert {n.id for n in static.nodes if n.kind == "verdict"} == set(verdict_nodes(app.registry))
    # Helpers are collapsed: no node for feature/1, has/2, current_stance/4, obstacle/3, missing/3, clash/5...
    helpers = ("feature(", "has(", "current_stance(", "obstacle(", "missing(", "clash(")
    assert not [n for n in static.nodes if n.atom.startswith(helpers)]


def test_groups_come_from_the_registry(app: argmap.Argmap, static: ArgumentMap) -> None:
    registry = app.registry
    expected = (
        ("claims", "Claims"),
        *((spec.name, spec.label[:1].upper() + spec.label[1:]) for spec in registry),
        ("conflicts", "Conflicts"),
        ("warnings", "Warnings"),
        ("notes", "Notes"),
        ("other", "Other conclusions"),
    )
    assert static.groups == expected
    assert {n.group for n in static.nodes} <= {g for g, _ in expected}
    assert [g for g, _ in static.drawn] == [g for g, _ in expected if any(n.group == g for n in static.nodes)]
    for n in static.nodes:
        if n.kind == "verdict":
            assert n.group == re.match(r"[a-z_]+", n.atom).group(0)  # type: ignore[union-attr]
        if n.atom.startswith("reason("):
            assert n.group == n.atom[len("reason(") :].split(",")[0]


def test_node_ids_are_unique_and_edges_join_nodes(static: ArgumentMap) -> None:
    ids = [n.id for n in static.nodes]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)
    for e in static.edges:
        assert e.source in ids and e.target in ids and e.source != e.target
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


def test_claims_carry_paraphrase_and_quote(app: argmap.Argmap, static: ArgumentMap) -> None:
    claims = [n for n in static.nodes if n.kind == "claim"]
    assert len(claims) > 20
    for n in claims:
        c = app.claims[n.atom]
        assert n.label == c.paraphrase and n.quote == c.quote and n.id == f"claim_{c.id}"
        assert c.record_only is None, "a record-only claim grounds no rule and is not drawn"
    # every claim node starts at least one edge
    sources = {e.source for e in static.edges}
    assert all(n.id in sources for n in claims)


def test_reason_nodes_are_labelled_with_the_rules_text(static: ArgumentMap) -> None:
    node = static.node("reason_credible_con_eu_needs_us")
    assert node.label == "the European guarantee has no US involvement, so it would look unconvincing to Russia"
    assert node.rules == ("rules/credibility.lp:13",)
    assert node.group == "credible"


def test_no_label_shows_a_variable_or_a_template(static: ArgumentMap) -> None:
    """A verdict with a variable (truncated(M)) is drawn once per declared value, which its label names."""
    truncated = {n.atom: n.label for n in static.nodes if n.atom.startswith("truncated(")}
    assert truncated == {
        "truncated(israel)": "the proposal is a truncated version of the israel model",
        "truncated(south_korea)": "the proposal is a truncated version of the south korea model",
        "truncated(taiwan)": "the proposal is a truncated version of the taiwan model",
        "truncated(west_germany)": "the proposal is a truncated version of the west germany model",
    }
    for n in static.nodes:
        assert "{" not in n.label and not re.search(r"\bmodel M\b", n.label), n
        if n.kind == "verdict":
            assert not re.search(r"\b[A-Z]\b", n.atom), n


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
    # reason(risk, high, ...) :- ..., not credible.
    assert edge(static, "verdict_credible", "reason_risk_high_russia_resumes_war") == "attack"
    # obstacle(russia, ...) :- not accepted(russia_no_veto), ...: the claim is a defeater.
    assert edge(static, "claim_russia_no_veto", "reason_feasible_now_con_russia") == "attack"
    assert edge(static, "verdict_risk_high", "verdict_risk_low") == "attack"
    # consistent :- not conflict(_, _, _).
    for n in static.nodes:
        if n.atom.startswith("conflict("):
            assert edge(static, n.id, "verdict_consistent") == "attack", n.id


def test_helpers_are_collapsed_to_the_claims_below_them(static: ArgumentMap) -> None:
    # obstacle(us, C, ...) :- ..., current_stance(us, us_participation, reluctant, C): the stance/5
    # facts bind C, and the prelude's stance rules have accepted(C) in their body.
    reluctant = by_label(
        static,
        "the US is reluctant to participate, and the proposal needs it to lead, send troops or sign a treaty alliance",
    )
    assert {e.source for e in static.edges if e.target == reluctant} == {"claim_us_not_eager"}
    # truncated(M) :- missing(M, _, _); missing/3 reads model_element/3 facts and accepted(C).
    assert edge(static, "claim_truncated_models", "verdict_truncated_south_korea") == "support"
    assert edge(static, "claim_korea_sofa_1966", "verdict_truncated_south_korea") == "support"
    assert edge(static, "claim_korea_sofa_1966", "verdict_truncated_israel") is None


def test_a_head_bound_by_facts_is_one_node_per_fact(app: argmap.Argmap, static: ArgumentMap) -> None:
    # conflict(Id, B, W) :- clash(Id, ...), clash_basis(Id, B, W): one node per clash_basis/3 fact.
    conflicts = [n for n in static.nodes if n.atom.startswith("conflict(")]
    assert len(conflicts) == len(app.traced.facts("clash_basis", 3))
    assert {n.group for n in conflicts} == {"conflicts"}


def test_a_reason_whose_text_a_helper_gives_is_one_node_per_helper_rule(
    app: argmap.Argmap, static: ArgumentMap
) -> None:
    # reason(feasible_now, con, C, W) :- obstacle(_, C, W): a node per obstacle/3 rule, which it stands for
    # (a pooled rule unpools into rules with one head: one node).
    index = app.traced.index
    obstacles = {index.rules[i].where for i, _ in index.heads("obstacle", 3)}
    nodes = [n for n in static.nodes if n.atom.startswith("reason(feasible_now,con,")]
    assert sorted(n.rules[1] for n in nodes) == sorted(obstacles)
    assert all(edge(static, n.id, "verdict_feasible_now") == "attack" for n in nodes)  # not obstacle(_, _, _)
    # warning(us_must_be_persuaded, ...) :- ..., obstacle(us, _, _): the US obstacles support it.
    persuaded = "warning_us_must_be_persuaded_us_persuasion_slow"
    us = {n.id for n in nodes if n.id.startswith("reason_feasible_now_con_us")}
    assert len(us) == 5
    assert {e.source for e in static.edges if e.target == persuaded} == us | {"claim_us_persuasion_slow"}


def test_the_map_follows_layered_rules(tmp_path: Path) -> None:
    """Nothing is drawn by hand: a rule added by a layer appears with its edges."""
    extra = tmp_path / "extra.lp"
    extra.write_text(
        "helper_for_map_test :- accepted(nato_optimal).\n"
        'reason(credible, con, cost_matters, "a rule added for this test") :-\n'
        "    accepted(cost_matters), helper_for_map_test, not feature(nato_membership).\n",
        encoding="utf-8",
    )
    layered = argmap.Argmap(layers=[str(extra)]).map()
    node = by_label(layered, "a rule added for this test")
    assert layered.node(node).rules[0].endswith("extra.lp:2")
    assert edge(layered, "claim_cost_matters", node) == "support"
    assert edge(layered, "claim_nato_optimal", node) == "support"  # through the helper
    assert edge(layered, node, "verdict_credible") == "attack"


def test_the_static_map_has_no_marks(static: ArgumentMap) -> None:
    assert static.proposal is None
    assert all(n.holds is None and not n.defeated for n in static.nodes)
    assert all(e.fired is None for e in static.edges)


def test_the_api_map_is_the_same_from_either_engine(app: argmap.Argmap, static: ArgumentMap) -> None:
    assert app.map() == static


def test_a_proposal_map_needs_a_traced_engine(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    with pytest.raises(ValueError, match="trace=True"):
        argument_map(app.engine, proposals["nato_membership"])


def test_another_knowledge_base_is_mapped_by_its_own_verdicts() -> None:
    """No group, title or node of the shipped knowledge base appears in another one's map."""
    other = argmap.Argmap([str(FEDERALIST / "rules" / "main.lp")])
    m = other.map(str(FEDERALIST / "proposals" / "extended_federal_republic.yaml"))
    titles = dict(m.groups)
    for spec in other.registry:
        assert titles[spec.name] == spec.label[:1].upper() + spec.label[1:]
    assert {n.id for n in m.nodes if n.kind == "verdict"} == set(verdict_nodes(other.registry))
    shipped = {"credible", "consistent", "risk", "feasible_now", "precondition_met", "truncated"}
    assert not shipped & {g for g, _ in m.groups}
    verdict = other.check(str(FEDERALIST / "proposals" / "extended_federal_republic.yaml"))
    for node_id, (name, value) in verdict_nodes(other.registry).items():
        outcome = verdict[name]
        assert m.node(node_id).holds == (outcome.truth if value is None else outcome.holds(value)), node_id


# ---------------------------------------------------------------- a proposal's map
@pytest.mark.parametrize("pid", IDS)
def test_marks_agree_with_the_verdicts(app: argmap.Argmap, marked: dict[str, ArgumentMap], pid: str) -> None:
    """The map is marked from the one judging path, so it agrees with `check` (a roadmap included)."""
    m = marked[pid]
    v = app.check(str(ROOT / "proposals" / f"{pid}.yaml"))
    assert m.proposal == v.proposal
    for node_id, (name, value) in verdict_nodes(app.registry).items():
        outcome = v[name]
        assert m.node(node_id).holds == (outcome.truth if value is None else outcome.holds(value)), node_id
    # every reason, conflict, warning and note the verdict gives is a node that holds
    held = {n.label for n in m.nodes if n.kind == "reason" and n.holds != NONE}
    for item in (*v.reasons, *v.conflicts, *v.warnings, *v.notes):
        assert item.text in held, item
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
    # a reason that stands for a helper rule: its support fired through the helper's firing
    assert ("claim_us_support_decisive", "reason_feasible_now_con_us_support_decisive_us", "support") in fired
    assert ("reason_feasible_now_con_us_support_decisive_us", "verdict_feasible_now", "attack") in fired


def test_a_credible_proposal(marked: dict[str, ArgumentMap]) -> None:
    m = marked["guaranteed_guarantees"]
    assert m.node("verdict_credible").holds == ALL
    fired = {(e.source, e.target, e.kind) for e in m.edges if e.fired}
    assert ("verdict_consistent", "verdict_credible", "support") in fired
    # `not credible` defeats the high-risk reason
    assert m.node("reason_risk_high_russia_resumes_war").defeated
    assert ("verdict_credible", "reason_risk_high_russia_resumes_war", "attack") in fired


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


def test_a_roadmap_is_marked_with_its_roadmap_warnings(app: argmap.Argmap, marked: dict[str, ArgumentMap]) -> None:
    """The roadmap rules' warnings hold on the map as `check` reports them (one judging path)."""
    v = app.check(str(ROOT / "proposals" / "roadmap_neutral_then_nato.yaml"))
    assert any(w.id.startswith("window(") for w in v.warnings)
    m = marked["roadmap_neutral_then_nato"]
    assert m.node("warning_window_russia_resumes_war").holds == ALL


def test_a_rejected_claim_does_not_hold_and_its_reasons_fall(app: argmap.Argmap) -> None:
    p = app.load(str(ROOT / "proposals" / "european_reassurance_force.yaml"))
    m = argument_map(app.traced, p, World(rejected=("eu_needs_us",)))
    assert m.node("claim_eu_needs_us").holds == NONE
    assert m.node("reason_credible_con_eu_needs_us").holds == NONE
    assert m.node("claim_guaranteed_guarantees").holds == ALL
