"""Narrowed argument maps (`argmap map --focus/--depth/--fired-only`) and node words an analyst can read."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import Result

import argmap
from argmap.analysis.argument_map import Mapper, narrow
from argmap.engine.judge import judge
from argmap.model.argument_map import ArgumentMap, verdict_group
from argmap.model.errors import InputError
from argmap.model.verdicts import NONE
from argmap.render import graph as render_graph
from cli_runner import run as cli_run
from helpers import ROOT, proposal_paths

FEDERALIST = ROOT / "examples" / "federalist10"
PROPOSAL = ROOT / "proposals" / "european_reassurance_force.yaml"
FORMATS = [f for f in render_graph.FORMATS if f != "svg" or render_graph.dot_program() is not None]


def run(*args: str) -> Result:
    return cli_run(*args)


@pytest.fixture(scope="module")
def static(app: argmap.Argmap) -> ArgumentMap:
    return app.map()


@pytest.fixture(scope="module")
def marked(app: argmap.Argmap) -> ArgumentMap:
    return app.map(str(PROPOSAL))


@pytest.fixture(scope="module")
def federalist() -> argmap.Argmap:
    return argmap.Argmap([str(FEDERALIST / "rules" / "main.lp")])


def seeds(m: ArgumentMap, names: list[str]) -> set[str]:
    groups = {verdict_group(n) for n in names}
    return {n.id for n in m.nodes if n.group in groups and n.kind in ("verdict", "reason")}


def bearing_on(m: ArgumentMap, targets: set[str]) -> set[str]:
    """Every node with a path (supports and attacks) to one of `targets`, the targets included."""
    found, todo = set(targets), list(targets)
    while todo:
        node = todo.pop()
        for e in m.edges:
            if e.target == node and e.source not in found:
                found.add(e.source)
                todo.append(e.source)
    return found


def distances(m: ArgumentMap, name: str) -> dict[str, int]:
    """Breadth-first distance from the verdict's nodes (its other reasons at 1 at most), backwards."""
    group = verdict_group(name)
    dist = {n.id: 0 for n in m.nodes if n.group == group and n.kind == "verdict"}
    frontier = list(dist)
    level = 0
    reasons = {n.id for n in m.nodes if n.group == group and n.kind == "reason"}
    while frontier or reasons:
        level += 1
        nxt = {e.source for e in m.edges if e.target in frontier and e.source not in dist}
        if level == 1:
            nxt |= reasons - set(dist)
            reasons = set()
        for n in nxt:
            dist[n] = level
        frontier = list(nxt)
        if not frontier:
            break
    return dist


# ---------------------------------------------------------------- focus
@pytest.mark.parametrize("name", ["credible", "risk", "truncated", "feasible_now"])
def test_focus_keeps_exactly_what_has_a_path_to_the_verdict(app: argmap.Argmap, static: ArgumentMap, name: str) -> None:
    focused = narrow(static, app.registry, focus=[name])
    kept = {n.id for n in focused.nodes}
    assert kept == bearing_on(static, seeds(static, [name]))
    assert len(kept) < len(static.nodes)  # something does not bear on it
    assert {(e.source, e.target, e.kind) for e in focused.edges} == {
        (e.source, e.target, e.kind) for e in static.edges if e.source in kept and e.target in kept
    }
    assert [n.id for n in focused.nodes] == [n.id for n in static.nodes if n.id in kept]  # drawing order kept
    assert focused.view == (f"focus: {app.registry[name].label}",)


def test_focus_on_credible_drops_the_truncation_verdicts(app: argmap.Argmap, static: ArgumentMap) -> None:
    focused = narrow(static, app.registry, focus=["credible"])
    groups = {n.group for n in focused.nodes}
    assert verdict_group("credible") in groups and verdict_group("truncated") not in groups


def test_several_focuses_are_the_union(app: argmap.Argmap, static: ArgumentMap) -> None:
    both = {n.id for n in narrow(static, app.registry, focus=["credible", "truncated"]).nodes}
    one = {n.id for n in narrow(static, app.registry, focus=["credible"]).nodes}
    other = {n.id for n in narrow(static, app.registry, focus=["truncated"]).nodes}
    assert both == one | other and one < both and other < both


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
def test_depth_bounds_the_distance_from_the_verdict(app: argmap.Argmap, static: ArgumentMap, depth: int) -> None:
    dist = distances(static, "credible")
    focused = narrow(static, app.registry, focus=["credible"], depth=depth)
    assert {n.id for n in focused.nodes} == {n for n, d in dist.items() if d <= depth}
    if depth == 0:
        assert {n.kind for n in focused.nodes} == {"verdict"} and not focused.edges
    deeper = narrow(static, app.registry, focus=["credible"], depth=depth + 1)
    assert {n.id for n in focused.nodes} <= {n.id for n in deeper.nodes}
    assert focused.view == ("focus: credible", f"depth {depth}")


def test_depth_shrinks_the_map_and_without_focus_counts_from_every_verdict(
    app: argmap.Argmap, static: ArgumentMap
) -> None:
    shallow = narrow(static, app.registry, focus=["risk"], depth=1)
    whole = narrow(static, app.registry, focus=["risk"])
    assert len(shallow.nodes) < len(whole.nodes)
    everywhere = narrow(static, app.registry, depth=0)
    assert {n.id for n in everywhere.nodes} == {n.id for n in static.nodes if n.kind == "verdict"}


# ---------------------------------------------------------------- fired only
def test_fired_only_drops_what_did_not_fire(app: argmap.Argmap, marked: ArgumentMap) -> None:
    fired = narrow(marked, app.registry, fired_only=True)
    assert fired.edges and all(e.fired for e in fired.edges)
    assert len(fired.edges) == sum(bool(e.fired) for e in marked.edges)
    touched = {e.source for e in fired.edges} | {e.target for e in fired.edges}
    for n in fired.nodes:
        assert n.id in touched or (n.kind != "claim" and n.holds != NONE) or n.kind == "verdict", n
    # a reason that does not hold and that nothing outweighed is dropped
    unfired = [n for n in marked.nodes if n.kind == "reason" and n.holds == NONE and n.id not in touched]
    assert unfired and not {n.id for n in unfired} & {n.id for n in fired.nodes}
    assert "reason_credible_pro_eu_needs_us" in {n.id for n in unfired}
    # every verdict still shows its answer
    assert {n.group for n in fired.nodes if n.kind == "verdict"} == {
        n.group for n in marked.nodes if n.kind == "verdict"
    }


def test_fired_only_and_focus_compose(app: argmap.Argmap, marked: ArgumentMap) -> None:
    both = narrow(marked, app.registry, focus=["credible"], fired_only=True)
    fired = narrow(marked, app.registry, fired_only=True)
    assert {n.id for n in both.nodes} == bearing_on(fired, seeds(fired, ["credible"]))
    assert all(e.fired for e in both.edges)
    assert render_graph.title(both).endswith("(focus: credible; only what fired)")


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["map", "--focus", "credibl"], "did you mean 'credible'?"),
        (["map", "--focus", "Risk"], "did you mean 'risk'?"),
        (["map", "--fired-only"], "only a proposal's map knows what fired"),
        (["map", "--focus", "credible", "--depth", "-1"], "-1"),
    ],
    ids=["near-miss", "case", "fired-only-without-proposal", "negative-depth"],
)
def test_bad_views_exit_2(args: list[str], said: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "Traceback" not in result.output


def test_an_unknown_verdict_is_refused_by_the_api(app: argmap.Argmap, static: ArgumentMap) -> None:
    with pytest.raises(InputError) as caught:
        narrow(static, app.registry, focus=["feasible"])
    assert caught.value.suggestion == "feasible_now"


# ---------------------------------------------------------------- every format
def drawn_ids(text: str, fmt: str) -> set[str]:
    """The node ids a rendered map draws, read back from its text."""
    if fmt == "aif":
        return {n["nodeID"] for n in json.loads(text)["nodes"] if n["type"] == "I"}
    if fmt == "graphml":
        return {n.get("id") or "" for n in ET.fromstring(text).iter("{http://graphml.graphdrawing.org/xmlns}node")}
    if fmt == "svg":
        root = ET.fromstring(text)
        ns = "{http://www.w3.org/2000/svg}"
        return {g.findtext(f"{ns}title") or "" for g in root.iter(f"{ns}g") if g.get("class") == "node"}
    if fmt == "dot":
        return set(re.findall(r'^    "([^"]+)" \[', text, flags=re.MULTILINE))
    if fmt == "mermaid":
        return set(re.findall(r"^    (\w+)[\[({]", text, flags=re.MULTILINE))
    return set(re.findall(r"^[\[<]([^\]>\\]+)[\]>]: ", text, flags=re.MULTILINE))  # argdown


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_draws_the_narrowed_map(app: argmap.Argmap, marked: ArgumentMap, fmt: str) -> None:
    result = run("map", str(PROPOSAL), "--format", fmt, "--focus", "credible", "--depth", "2", "--fired-only")
    assert result.exit_code == 0, result.output
    expected = narrow(marked, app.registry, focus=["credible"], depth=2, fired_only=True)
    assert 0 < len(expected.nodes) < len(marked.nodes)
    assert drawn_ids(result.stdout, fmt) == {n.id for n in expected.nodes}
    if fmt != "aif":
        assert "only what fired" in result.stdout


# ---------------------------------------------------------------- another knowledge base
def test_focus_on_another_knowledge_base_uses_its_own_verdicts(federalist: argmap.Argmap) -> None:
    registry = federalist.registry
    m = federalist.map(str(FEDERALIST / "proposals" / "extended_federal_republic.yaml"))
    for name in registry.names:
        focused = narrow(m, registry, focus=[name])
        assert {n.id for n in focused.nodes} == bearing_on(m, seeds(m, [name]))
        assert any(n.kind == "verdict" for n in focused.nodes), name
    fired = narrow(m, registry, fired_only=True)
    assert all(e.fired for e in fired.edges) and len(fired.nodes) < len(m.nodes)
    with pytest.raises(InputError) as caught:
        narrow(m, registry, focus=["credible"])  # the first knowledge base's verdict is no verdict here
    assert "coherent" in (caught.value.expected or "")


# ---------------------------------------------------------------- words
def kb_variables(app: argmap.Argmap) -> set[str]:
    """Every variable name the knowledge base's rules use (anonymous ones and English words aside)."""
    from argmap.asp import terms

    index = app.engine.index
    names: set[str] = set()
    for i in index.kb_rules():
        rule = index.view(i)
        for atom in (*rule.heads, *(lit.atom for lit in rule.literals)):
            names |= terms.variables(atom)
    return {n for n in names if "#" not in n and not n.startswith("_") and n not in ("A", "I")}


def test_no_node_text_shows_a_bare_variable(app: argmap.Argmap, federalist: argmap.Argmap) -> None:
    for kb, proposals in ((app, proposal_paths()), (federalist, sorted((FEDERALIST / "proposals").glob("*.yaml")))):
        names = kb_variables(kb)
        assert names  # the check has something to look for
        pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\b")
        mapper = Mapper(kb.traced)  # the static map built once, marked for each proposal
        marked = (mapper.mark(judge(kb.traced, kb.load(str(p)), trace=True)) for p in proposals)
        for m in (mapper.static, *marked):
            for n in m.nodes:
                assert not pattern.search(n.label), (n.id, n.label)


def test_a_variable_in_a_comment_reads_as_its_model_or_names_the_model(tmp_path: Path) -> None:
    """A label read from the comment above a rule fills the variables it names."""
    layer = tmp_path / "layer.lp"
    layer.write_text(
        "% The proposal copies model M without testing it.\n"
        "warning(untested(M), truncated_models, quiet) :- follows(M), accepted(truncated_models).\n",
        encoding="utf-8",
    )
    layered = argmap.Argmap(layers=[str(layer)])
    static = layered.map()
    node = next(n for n in static.nodes if n.atom.startswith("warning(untested(M)"))
    assert node.label == "The proposal copies its model without testing it."
    proposal = tmp_path / "p.yaml"
    proposal.write_text("title: t\nsource: test\nmodel: israel\nus_role: backstop\n", encoding="utf-8")
    marked = layered.map(str(proposal))
    assert marked.node(node.id).label == "The proposal copies model israel without testing it."


def test_status_words_are_an_analyst_s(marked: ArgumentMap) -> None:
    outweighed = [n for n in marked.nodes if render_graph.status(n) == "outweighed"]
    assert outweighed
    for fmt in ("dot", "mermaid", "argdown", "aif", "graphml"):
        text = render_graph.render(marked, fmt)
        assert "defeated" not in text, fmt
        assert "outweighed" in text, fmt
    dot = render_graph.to_dot(marked)
    assert "red: outweighed (does not hold for this proposal" in dot
    assert "the risk of renewed war is medium\\n(outweighed)" in dot
