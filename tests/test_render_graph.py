"""Writing the argument map: golden files per format, structural checks, the `map` command."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import argmap
from argmap.analysis.argument_map import argument_map
from argmap.model.argument_map import ArgumentMap, MapEdge, MapNode
from argmap.render import graph as render_graph
from cli_runner import run as cli_run
from helpers import ROOT

GOLDEN_PROPOSAL = "european_reassurance_force"
TEXT_FORMATS = ("dot", "mermaid", "argdown", "aif", "graphml")
GOLDEN_SUFFIX = {"dot": "dot", "mermaid": "mmd", "argdown": "argdown", "aif": "aif.json", "graphml": "graphml"}
HAS_DOT = shutil.which("dot") is not None
#: Where tests/argdown_parse.mjs finds node_modules/@argdown/core.
NODE_CACHE = Path(os.environ.get("ARGMAP_NODE_CACHE", Path.home() / ".cache" / "argmap-node"))
HOSTILE = 'A "quoted" \\ title <script>x</script> [t]: s #tag {a: b} // c --> d; e -x f & g http://example.org/'


@pytest.fixture(scope="module")
def maps(app: argmap.Argmap) -> dict[str, ArgumentMap]:
    proposal = app.load(str(ROOT / "proposals" / f"{GOLDEN_PROPOSAL}.yaml"))
    return {"static": argument_map(app.traced), GOLDEN_PROPOSAL: argument_map(app.traced, proposal)}


@pytest.fixture(scope="module")
def hostile(app: argmap.Argmap, tmp_path_factory: pytest.TempPathFactory) -> ArgumentMap:
    """A proposal whose title holds every special character of every format."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(f"title: {json.dumps(HOSTILE)}\nsource: test\nus_role: backstop\n", encoding="utf-8")
    return argument_map(app.traced, app.load(str(path)))


def hand_made(group: str, title: str) -> ArgumentMap:
    """A map built by hand: renderers need nothing but the map (its groups and titles included)."""
    nodes = (
        MapNode("claim_a", "claim", "claims", "A claim", "a", claim="a", quote="the words"),
        MapNode("verdict_v", "verdict", group, "the verdict holds", "v", ("kb.lp:3",)),
    )
    edges = (MapEdge("claim_a", "verdict_v", "support", ("kb.lp:3",)),)
    return ArgumentMap(nodes, edges, (("claims", "Claims"), (group, title), ("other", "Other conclusions")))


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return cli_run(*args, env=env)


# ---------------------------------------------------------------- golden files
@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("which", ["static", GOLDEN_PROPOSAL])
def test_golden(maps: dict[str, ArgumentMap], golden: Callable[[str, str], None], which: str, fmt: str) -> None:
    golden(f"map/{which}.{GOLDEN_SUFFIX[fmt]}", render_graph.render(maps[which], fmt))


def test_groups_and_titles_come_with_the_map(maps: dict[str, ArgumentMap]) -> None:
    """Each format draws the map's own groups under their titles (the registry's labels), in order."""
    m = maps["static"]
    titles = [title for _, title in m.drawn]
    assert len(titles) > 3
    dot, mermaid, argdown = render_graph.to_dot(m), render_graph.to_mermaid(m), render_graph.to_argdown(m)
    assert [line.split('"')[1] for line in dot.splitlines() if line.startswith('    graph [label="')] == titles
    assert [line.split('"')[1] for line in mermaid.splitlines() if line.startswith("  subgraph ")] == titles
    assert [line[2:] for line in argdown.splitlines() if line.startswith("# ")] == [
        render_graph.argdown_text(t) for t in titles
    ]


def test_a_group_id_that_is_no_identifier_is_quoted_or_made_safe() -> None:
    """clingo allows a prime in a name (``risk'``); DOT and Mermaid ids do not."""
    m = hand_made("risk'", "Risk, revised")
    assert 'subgraph "cluster_risk\'" {' in render_graph.to_dot(m)
    mermaid = render_graph.to_mermaid(m)
    assert '  subgraph group_risk_["Risk, revised"]' in mermaid and mermaid_problems(mermaid) == []
    assert "# Risk, revised" in render_graph.to_argdown(m)
    if HAS_DOT:
        ET.fromstring(render_graph.to_svg(m))


def test_the_command_prints_what_the_api_renders(maps: dict[str, ArgumentMap]) -> None:
    result = run("map", str(ROOT / "proposals" / f"{GOLDEN_PROPOSAL}.yaml"), "--format", "mermaid")
    assert result.exit_code == 0, result.output
    assert result.stdout == render_graph.to_mermaid(maps[GOLDEN_PROPOSAL])
    result = run("map")
    assert result.exit_code == 0 and result.stdout == render_graph.to_dot(maps["static"])


# ---------------------------------------------------------------- AIF
def aif_problems(doc: dict[str, object]) -> list[str]:
    """What keeps `doc` from being AIF JSON of the shape argmap promises."""
    problems: list[str] = []
    if set(doc) != {"nodes", "edges", "locutions"} or doc["locutions"] != []:
        return ["top-level keys must be nodes, edges, locutions (an empty list)"]
    nodes = doc["nodes"]
    edges = doc["edges"]
    assert isinstance(nodes, list) and isinstance(edges, list)
    types: dict[str, str] = {}
    for n in nodes:
        if not isinstance(n.get("nodeID"), str) or not isinstance(n.get("text"), str) or not n["text"]:
            problems.append(f"node without nodeID or text: {n}")
            continue
        if n.get("type") not in ("I", "RA", "CA"):
            problems.append(f"node {n['nodeID']}: type {n.get('type')!r}")
        if n["nodeID"] in types:
            problems.append(f"duplicate nodeID {n['nodeID']}")
        types[n["nodeID"]] = n.get("type", "")
    seen: set[str] = set()
    into: dict[str, int] = {}
    out_of: dict[str, int] = {}
    for e in edges:
        eid, a, b = e.get("edgeID"), e.get("fromID"), e.get("toID")
        if eid in seen:
            problems.append(f"duplicate edgeID {eid}")
        seen.add(eid)
        if a not in types or b not in types:
            problems.append(f"edge {eid} joins unknown nodes {a} -> {b}")
            continue
        if types[a] == "I" and types[b] == "I":
            problems.append(f"edge {eid} joins two I-nodes")
        if types[a] != "I" and types[b] != "I":
            problems.append(f"edge {eid} joins two S-nodes")
        into[b] = into.get(b, 0) + 1
        out_of[a] = out_of.get(a, 0) + 1
    for nid, t in types.items():
        if t in ("RA", "CA") and (into.get(nid, 0) < 1 or out_of.get(nid, 0) != 1):
            problems.append(f"{t}-node {nid} needs premises and exactly one conclusion")
    return problems


@pytest.mark.parametrize("which", ["static", GOLDEN_PROPOSAL])
def test_aif_structure(maps: dict[str, ArgumentMap], which: str) -> None:
    m = maps[which]
    doc = json.loads(render_graph.to_aif(m))
    assert aif_problems(doc) == []
    inodes = {n["nodeID"] for n in doc["nodes"] if n["type"] == "I"}
    assert inodes == {n.id for n in m.nodes}
    cas = [n for n in doc["nodes"] if n["type"] == "CA"]
    assert len(cas) == sum(e.kind == "attack" for e in m.edges)
    # every support edge of the map is a premise of the RA-node of its target
    pairs = {(e["fromID"], e["toID"]) for e in doc["edges"]}
    for e in m.edges:
        middle = f"ra_{e.target}" if e.kind == "support" else f"ca_{e.source}__{e.target}"
        assert (e.source, middle) in pairs and (middle, e.target) in pairs


def test_the_aif_check_catches_broken_documents() -> None:
    ok = {"nodes": [{"nodeID": "a", "text": "A", "type": "I"}], "edges": [], "locutions": []}
    assert aif_problems(ok) == []
    bad = {
        "nodes": [{"nodeID": "a", "text": "A", "type": "I"}, {"nodeID": "b", "text": "B", "type": "I"}],
        "edges": [{"edgeID": "e1", "fromID": "a", "toID": "b"}, {"edgeID": "e2", "fromID": "a", "toID": "z"}],
        "locutions": [],
    }
    assert len(aif_problems(bad)) == 2


# ---------------------------------------------------------------- GraphML
@pytest.mark.parametrize("which", ["static", GOLDEN_PROPOSAL])
def test_graphml_structure(maps: dict[str, ArgumentMap], which: str) -> None:
    m = maps[which]
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(render_graph.to_graphml(m))
    keys = {k.get("id"): (k.get("for"), k.get("attr.name")) for k in root.findall("g:key", ns)}
    assert {"label", "kind", "holds"} <= set(keys)
    graph = root.find("g:graph", ns)
    assert graph is not None and graph.get("edgedefault") == "directed"
    nodes = {n.get("id"): {d.get("key"): d.text for d in n.findall("g:data", ns)} for n in graph.findall("g:node", ns)}
    assert list(nodes) == [n.id for n in m.nodes]
    for n in m.nodes:
        data = nodes[n.id]
        assert data["label"] == " ".join(n.label.split()) and data["kind"] == n.kind
        assert data.get("holds") == n.holds
    for e in graph.findall("g:edge", ns):
        assert e.get("source") in nodes and e.get("target") in nodes
        data = {d.get("key"): d.text for d in e.findall("g:data", ns)}
        assert data["relation"] in ("support", "attack")
        assert ("fired" in data) == (which != "static")
    assert len(graph.findall("g:edge", ns)) == len(m.edges)


# ---------------------------------------------------------------- Mermaid
_M_NODE = re.compile(r'^    (\w+)(\(\["|\{\{"|\[")(.*)("\]\)|"\}\}|"\])$')
_M_EDGE = re.compile(r"^  (\w+) (-->|--x) (\w+)$")


def mermaid_problems(text: str) -> list[str]:
    problems: list[str] = []
    lines = [line for line in text.splitlines() if line and not line.startswith("%%")]
    if lines[0] != "flowchart LR":
        problems.append("must start with flowchart LR")
    depth = 0
    defined: set[str] = set()
    edges = 0
    for line in lines[1:]:
        if line.startswith("  subgraph "):
            depth += 1
        elif line == "  end":
            depth -= 1
        elif m := _M_NODE.match(line):
            if '"' in m.group(3):
                problems.append(f"raw quote in a label: {line}")
            defined.add(m.group(1))
        elif m := _M_EDGE.match(line):
            edges += 1
            problems += [f"edge to undefined {x}" for x in (m.group(1), m.group(3)) if x not in defined]
        elif line.startswith("  linkStyle "):
            problems += [f"linkStyle {i} out of range" for i in line.split()[1].split(",") if int(i) >= edges]
        elif line.startswith("  class "):
            problems += [f"class on undefined {x}" for x in line.split()[1].split(",") if x not in defined]
        elif not line.startswith("  classDef "):
            problems.append(f"unexpected line: {line}")
        if depth < 0:
            problems.append("end without subgraph")
    if depth:
        problems.append("unbalanced subgraph/end")
    return problems


@pytest.mark.parametrize("which", ["static", GOLDEN_PROPOSAL])
def test_mermaid_structure(maps: dict[str, ArgumentMap], which: str) -> None:
    m = maps[which]
    text = render_graph.to_mermaid(m)
    assert mermaid_problems(text) == []
    assert sum(1 for line in text.splitlines() if _M_EDGE.match(line)) == len(m.edges)


# ---------------------------------------------------------------- Argdown
_A_DEF = re.compile(r"^(\[([^\]\\]+)\]|<([^>\\]+)>): (.+)$")
_A_REL = re.compile(r"^  ([+-]) (\[([^\]]+)\]|<([^>]+)>)$")
_ESCAPED = re.compile(r"\\.")


def argdown_relations(text: str) -> tuple[list[str], set[tuple[str, str, str]]]:
    """Problems in Argdown text as argmap writes it, and its relations (source, target, support|attack).

    Checked: every line is a heading, comment, definition or an indented relation under one; every
    title is defined once; every relation names a defined statement [..] or argument <..>; brackets
    and braces outside escapes are balanced.
    """
    problems: list[str] = []
    titles: dict[str, str] = {}
    relations: list[tuple[str, str, str, int]] = []
    current: str | None = None
    for no, line in enumerate(text.splitlines(), 1):
        bare = _ESCAPED.sub("", line)
        for a, b in ("[]", "<>", "{}"):
            if bare.count(a) != bare.count(b) and not line.startswith("//"):
                problems.append(f"line {no}: unbalanced {a}{b}")
        if not line:
            current = None
        elif line.startswith(("// ", "# ")):
            current = None
        elif m := _A_DEF.match(line):
            title = m.group(2) or m.group(3)
            ref = m.group(1)
            if title in titles:
                problems.append(f"line {no}: title {title} defined twice")
            titles[title] = ref
            current = ref
        elif m := _A_REL.match(line):
            if current is None:
                problems.append(f"line {no}: relation outside a definition")
                continue
            relations.append((m.group(2), current, "support" if m.group(1) == "+" else "attack", no))
        else:
            problems.append(f"line {no}: not Argdown as argmap writes it: {line}")
    refs = set(titles.values())
    for source, _, _, no in relations:
        if source not in refs:
            problems.append(f"line {no}: {source} is not defined")
    return problems, {(s, t, k) for s, t, k, _ in relations}


def _ref(n: object) -> str:
    return f"<{n.id}>" if n.kind == "reason" else f"[{n.id}]"  # type: ignore[attr-defined]


@pytest.mark.parametrize("which", ["static", GOLDEN_PROPOSAL])
def test_argdown_structure(maps: dict[str, ArgumentMap], which: str) -> None:
    m = maps[which]
    problems, relations = argdown_relations(render_graph.to_argdown(m))
    assert problems == []
    ref = {n.id: _ref(n) for n in m.nodes}
    assert relations == {(ref[e.source], ref[e.target], e.kind) for e in m.edges}


def test_the_argdown_check_catches_broken_text() -> None:
    text = "[a]: A\n  + [b]\n\n[a]: again\n\n<c>: C [x\n"
    problems, _ = argdown_relations(text)
    assert any("[b] is not defined" in p for p in problems)
    assert any("defined twice" in p for p in problems)
    assert any("unbalanced" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words, and more; (parenthesised)", "plain words, and more; (parenthesised)"),
        (
            "a [b] <c> #d {e} @f *g* _h_ // i \\ j",
            "a \\[b\\] \\<c\\> \\#d \\{e\\} \\@f \\*g\\* \\_h\\_ \\/\\/ i \\\\ j",
        ),
        ("U.S. forces: end. Next", "U\\.S. forces: end. Next"),
        ("line\nbreak", "line break"),
    ],
    ids=["plain", "specials", "dots", "newline"],
)
def test_argdown_text_escapes_what_argdown_reads(text: str, expected: str) -> None:
    assert render_graph.argdown_text(text) == expected


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (Argdown's parser is a Node package)")
@pytest.mark.parametrize("which", ["static", GOLDEN_PROPOSAL, "hostile"])
def test_argdown_parses_with_the_reference_parser(
    maps: dict[str, ArgumentMap], hostile: ArgumentMap, tmp_path: Path, which: str
) -> None:
    """@argdown/core parses the output with no error and finds the same relations."""
    if not (NODE_CACHE / "node_modules" / "@argdown" / "core").is_dir():
        pytest.skip(
            f"@argdown/core is not installed under {NODE_CACHE}: run "
            f"`npm install --prefix {NODE_CACHE} @argdown/core` (or set ARGMAP_NODE_CACHE to a folder that has it)"
        )
    m = hostile if which == "hostile" else maps[which]
    source = tmp_path / "map.argdown"
    source.write_text(render_graph.to_argdown(m), encoding="utf-8")
    done = subprocess.run(
        ["node", str(ROOT / "tests" / "argdown_parse.mjs"), str(NODE_CACHE), str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    parsed = json.loads(done.stdout)
    assert parsed["errors"] == []
    assert sorted(parsed["statements"]) == sorted(n.id for n in m.nodes if n.kind != "reason")
    assert sorted(parsed["arguments"]) == sorted(n.id for n in m.nodes if n.kind == "reason")
    ref = {n.id: _ref(n) for n in m.nodes}
    found = {(r["from"], r["to"], r["type"]) for r in parsed["relations"]}
    assert found == {(ref[e.source], ref[e.target], e.kind) for e in m.edges}
    quotes = {f"claim_{n.atom}": n.quote for n in m.nodes if n.kind == "claim"}
    assert all(parsed["data"][k]["quote"] == q for k, q in quotes.items())


# ---------------------------------------------------------------- user text in every format
def test_a_hostile_title_stays_text_in_every_format(hostile: ArgumentMap) -> None:
    dot = render_graph.to_dot(hostile)
    assert '\\"quoted\\" \\\\ title' in dot
    mermaid = render_graph.to_mermaid(hostile)
    assert mermaid_problems(mermaid) == []
    assert mermaid.splitlines()[0].startswith("%% Argument map for A ")
    argdown = render_graph.to_argdown(hostile)
    problems, _ = argdown_relations(argdown)
    assert problems == []
    root = ET.fromstring(render_graph.to_graphml(hostile))
    desc = root.find("{http://graphml.graphdrawing.org/xmlns}graph/{http://graphml.graphdrawing.org/xmlns}desc")
    assert desc is not None and desc.text == f"Argument map for {HOSTILE} [hostile]"
    assert aif_problems(json.loads(render_graph.to_aif(hostile))) == []


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed (apt-get install graphviz)")
def test_a_hostile_title_lays_out(hostile: ArgumentMap) -> None:
    svg = ET.fromstring(render_graph.to_svg(hostile))
    texts = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert '"quoted"' in texts and "<script>" in texts


# ---------------------------------------------------------------- SVG and the command
@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed (apt-get install graphviz)")
def test_svg_is_dot_laid_out(maps: dict[str, ArgumentMap], tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    result = run("map", str(ROOT / "proposals" / f"{GOLDEN_PROPOSAL}.yaml"), "--format", "svg", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert {n.id for n in maps[GOLDEN_PROPOSAL].nodes} <= titles
    assert out.read_text(encoding="utf-8") == render_graph.to_svg(maps[GOLDEN_PROPOSAL])


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed (apt-get install graphviz)")
def test_another_knowledge_base_s_map_lays_out() -> None:
    """Graphviz 2.43 cannot route this map with claims and verdicts pinned to their columns
    ("triangulation failed"); to_svg lays it out without the pins instead of failing."""
    m = argmap.Argmap([str(ROOT / "examples" / "federalist10" / "rules" / "main.lp")]).map()
    root = ET.fromstring(render_graph.to_svg(m))
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert {n.id for n in m.nodes} <= titles


def test_svg_without_dot_exits_2_and_says_how_to_install(tmp_path: Path) -> None:
    empty = {"PATH": str(tmp_path)}
    result = run("map", "--format", "svg", env=empty)
    assert result.exit_code == 2
    assert "apt-get install graphviz" in result.stderr and "Traceback" not in result.output
    for fmt in TEXT_FORMATS:
        assert run("map", "--format", fmt, env=empty).exit_code == 0, fmt


def test_output_is_written_atomically_and_equals_stdout(tmp_path: Path) -> None:
    target = tmp_path / "map.argdown"
    target.write_text("old", encoding="utf-8")
    args = ["map", str(ROOT / "proposals" / "nato_membership.yaml"), "--format", "argdown"]
    result = run(*args, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == run(*args).stdout
    assert [p.name for p in tmp_path.iterdir()] == ["map.argdown"]  # no temporary file left


@pytest.mark.parametrize(
    "args",
    [
        ["map", "no-such-proposal.yaml"],
        ["map", "--format", "png"],
        ["map", "-o", "/no/such/folder/map.dot"],
        ["map", "--kb", "no-such-rules.lp"],
    ],
    ids=["missing-proposal", "unknown-format", "missing-folder", "missing-kb"],
)
def test_bad_input_exits_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_docs_map_is_the_tools_static_map(maps: dict[str, ArgumentMap]) -> None:
    """docs/map.svg was written by `argmap map --format svg -o docs/map.svg` from the current rules.

    Compared by its nodes and edges (Graphviz's <title>s), not bytes: the layout depends on the
    Graphviz version.  Refresh it with that command when the rules change.
    """
    svg = ET.fromstring((ROOT / "docs" / "map.svg").read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    titles = {
        (g.get("class"), g.findtext(f"{ns}title")) for g in svg.iter(f"{ns}g") if g.get("class") in ("node", "edge")
    }
    m = maps["static"]
    assert {t for c, t in titles if c == "node"} == {n.id for n in m.nodes}
    assert {t for c, t in titles if c == "edge"} == {f"{e.source}->{e.target}" for e in m.edges}
