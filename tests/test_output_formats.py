"""Every output format is valid for any text a user or a knowledge base can put in it.

A title, a note, a scenario name, a claim's words or quote may hold any Unicode
text: control characters (NUL, BEL, ESC and the terminal sequences built from
it), format characters (right-to-left overrides, zero-width joiners), line and
paragraph separators, quotes, markup, Cyrillic, emoji.  Each property feeds
arbitrary strings (every category but surrogates, which no input can carry:
files must be UTF-8 and libyaml refuses a surrogate escape, see the last test)
through one output format and reads the result back with that format's real
parser: Python's JSON and XML parsers (JSON, JUnit, GraphML, SVG), Graphviz's
`dot` (DOT), html.parser (HTML), @argdown/core (Argdown, where installed).
Mermaid has no parser here; its output is checked line by line as Mermaid's
grammar reads it.  The text must come back either exactly or with its control
and format characters shown as escapes (``\\x1b``), never acting on the reader.
"""

from __future__ import annotations

import dataclasses
import html.parser
import json
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import argmap
from argmap.model.argument_map import ArgumentMap, MapEdge, MapNode
from argmap.model.proposal import Proposal
from argmap.model.report import Report
from argmap.model.verdicts import Verdict
from argmap.render import graph as render_graph
from argmap.render import json as render_json
from argmap.render import text as render_text
from argmap.render.html import report_html
from cli_runner import run
from fuzz_settings import examples
from helpers import PROPOSALS, ROOT
from test_render_graph import NODE_CACHE, aif_problems, mermaid_problems

HAS_DOT = shutil.which("dot") is not None
HAS_ARGDOWN = shutil.which("node") is not None and (NODE_CACHE / "node_modules" / "@argdown" / "core").is_dir()
GUARANTEED = PROPOSALS / "guaranteed_guarantees.yaml"

#: Characters that have broken, or could break, some format or reader.
SPECIAL = (
    "\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x1f\x7f\x80\x85\x9b\xa0\xad"
    "\u200b\u200d\u200e\u202e\u2028\u2029\u2066\ufeff\ufffd\ufffe\uffff\U000e0001\U0010ffff"
    "<>&\"'\\`[]{}()#@*_/:;.,%|!-=+~$^\u0416\u00e9\U0001f600\U0001f468\u200d\U0001f469"
)
#: Arbitrary Unicode text (every category but Cs), with the characters above drawn often.
TEXT = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(SPECIAL)),
    min_size=1,
    max_size=24,
).filter(lambda s: s.strip())
#: Also the terminal sequences the issue names.
TITLES = st.one_of(TEXT, st.just("\x1b[2K\r\x1b[32mconsistent    yes"), st.just("bell \x07"), st.just("a\x01b"))

#: Characters that must never reach a terminal, an XML parser or a reader raw.
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def hidden(text: str, keep: str = "\n") -> list[str]:
    """The characters of `text` a reader would obey or drop instead of show (line breaks in `keep` allowed)."""
    return [ch for ch in text if ch not in keep and unicodedata.category(ch) in _HIDDEN]


def shown(text: str) -> str:
    """`text` as argmap shows it on one line: control and format characters as escapes, spaces collapsed."""
    return " ".join(render_text.clean(text).split())


@pytest.fixture(scope="module")
def base(app: argmap.Argmap) -> tuple[Proposal, Verdict]:
    proposal = app.load(str(GUARANTEED))
    return proposal, app.check(proposal)


# ---------------------------------------------------------------- check: text and JSON
@given(title=TITLES, notes=TEXT)
@examples(60)
def test_check_text_shows_any_title_and_obeys_none_of_it(
    app: argmap.Argmap, base: tuple[Proposal, Verdict], title: str, notes: str
) -> None:
    proposal, verdict = base
    p = dataclasses.replace(proposal, title=title, notes=notes, path=f"dir/{title}.yaml")
    out = render_text.verdict_text(dataclasses.replace(verdict, proposal=p), app.vocabulary)
    assert hidden(out) == []
    assert out.splitlines()[0] == f"{render_text.clean(title)}  [{p.id}]"
    # the forged line of the issue stays inside the title's line
    assert sum(1 for line in out.splitlines() if "consistent" in line and "yes" in line) <= 2


@given(title=TITLES, notes=TEXT)
@examples(60)
def test_check_json_carries_any_title_exactly(
    app: argmap.Argmap, base: tuple[Proposal, Verdict], title: str, notes: str
) -> None:
    proposal, verdict = base
    p = dataclasses.replace(proposal, title=title, notes=notes)
    v = dataclasses.replace(verdict, proposal=p)
    assert json.loads(render_json.dumps(render_json.verdict_json(v, app.vocabulary)))["title"] == title
    assert json.loads(render_json.line(render_json.verdict_json(v, app.vocabulary)))["title"] == title


# ---------------------------------------------------------------- test: terminal, JSON, JUnit
@given(name=TITLES.map(str.strip).filter(bool))  # a scenario's name is read stripped
@examples(12)
def test_a_scenario_name_is_valid_in_every_test_format(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    """A scenario named with any text (`bell \\a` once made the JUnit XML malformed), passing and failing."""
    folder = tmp_path_factory.mktemp("scenario")
    path = folder / "s.yaml"
    doc = {
        "scenarios": [
            {"name": name, "proposal": str(GUARANTEED), "expect": {"consistent": True}},
            {"name": name + " (fails)", "proposal": str(GUARANTEED), "expect": {"consistent": False}},
        ]
    }
    path.write_text(yaml.safe_dump(doc, allow_unicode=False), encoding="utf-8")
    pretty = run("test", path)
    assert pretty.exit_code == 1, pretty.output
    assert hidden(pretty.stdout) == []
    assert f"PASS  {render_text.clean(f'{path}::{name}')}" in pretty.stdout
    as_json = run("test", "--format", "json", path)
    cases = json.loads(as_json.stdout)["cases"]
    assert [c["id"].split("::", 1)[1] for c in cases] == [name, name + " (fails)"]
    junit = run("test", "--format", "junit", path)
    assert junit.exit_code == 1, junit.output
    root = ET.fromstring(junit.stdout.encode("utf-8"))
    names = [case.get("name") for case in root.iter("testcase")]
    assert len(names) == 2 and names[0] == render_text.clean(name)  # shown as terminal text shows it
    assert hidden(junit.stdout) == []
    assert root.find("testsuite").get("failures") == "1"  # type: ignore[union-attr]


# ---------------------------------------------------------------- the argument map, every format
def hostile_map(proposal: Proposal, texts: list[str]) -> ArgumentMap:
    """A small map whose every user-visible string is one of `texts` (titles, labels, quotes, group titles)."""
    pick = texts.__getitem__
    n = len(texts)
    p = dataclasses.replace(proposal, title=pick(0))
    nodes = (
        MapNode("claim_a", "claim", "claims", pick(1 % n), "a", claim="a", quote=pick(2 % n), holds="all"),
        MapNode("reason_r", "reason", "other", pick(3 % n), "r(X)", ("kb.lp:2",), holds="some"),
        MapNode("verdict_v", "verdict", "v", pick(4 % n), "v", ("kb.lp:3",), holds="none", defeated=True),
    )
    edges = (
        MapEdge("claim_a", "reason_r", "support", ("kb.lp:2",), fired=True),
        MapEdge("reason_r", "verdict_v", "attack", ("kb.lp:3",), fired=False),
    )
    groups = (("claims", pick(5 % n)), ("v", pick(6 % n)), ("other", "Other conclusions"))
    return ArgumentMap(nodes, edges, groups, p)


MAP_TEXTS = st.lists(TITLES, min_size=1, max_size=7)


@given(texts=MAP_TEXTS)
@examples(25)
def test_graphml_aif_and_mermaid_are_valid_for_any_text(base: tuple[Proposal, Verdict], texts: list[str]) -> None:
    m = hostile_map(base[0], texts)
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    root = ET.fromstring(render_graph.to_graphml(m).encode("utf-8"))
    desc = root.find(f"{ns}graph/{ns}desc")
    assert desc is not None and desc.text == f"Argument map for {shown(texts[0])} [{m.proposal.id}]"  # type: ignore[union-attr]
    labels = [d.text or "" for d in root.iter(f"{ns}data") if d.get("key") == "d_label"] or [
        d.text or "" for d in root.iter(f"{ns}data")
    ]
    assert any(shown(texts[1 % len(texts)]) == label for label in labels)
    doc = json.loads(render_graph.to_aif(m))
    assert aif_problems(doc) == []
    assert {node["text"] for node in doc["nodes"] if node["type"] == "I"} == {shown(n.label) for n in m.nodes}
    mermaid = render_graph.to_mermaid(m)
    assert mermaid_problems(mermaid) == []
    assert hidden(mermaid) == []


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed (apt-get install graphviz)")
@given(texts=MAP_TEXTS)
@examples(10)
def test_dot_and_svg_are_valid_for_any_text(base: tuple[Proposal, Verdict], texts: list[str]) -> None:
    """`dot` reads the DOT argmap writes (a NUL once made it fail) and writes SVG an XML parser reads,
    with the title as argmap shows it (`&#65;` stays `&#65;`, not `A`)."""
    m = hostile_map(base[0], texts)
    dot = render_graph.to_dot(m)
    assert hidden(dot) == []
    svg = ET.fromstring(render_graph.dot_to_svg(dot).encode("utf-8"))
    link = "{http://www.w3.org/1999/xlink}title"
    tooltips = {a.get(link) for a in svg.iter("{http://www.w3.org/2000/svg}a")}
    assert render_graph.title(m) in tooltips


@pytest.mark.skipif(not HAS_ARGDOWN, reason=f"@argdown/core is not installed under {NODE_CACHE} (see .ci/run)")
@given(texts=MAP_TEXTS)
@examples(8)
def test_argdown_is_valid_for_any_text(
    base: tuple[Proposal, Verdict], tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    m = hostile_map(base[0], texts)
    source = tmp_path_factory.mktemp("argdown") / "map.argdown"
    source.write_text(render_graph.to_argdown(m), encoding="utf-8")
    done = subprocess.run(
        ["node", str(ROOT / "tests" / "argdown_parse.mjs"), str(NODE_CACHE), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    parsed = json.loads(done.stdout)
    assert parsed["errors"] == []
    assert sorted(parsed["statements"]) == ["claim_a", "verdict_v"]
    assert parsed["arguments"] == ["reason_r"]
    assert parsed["data"]["claim_a"]["quote"] in (m.nodes[0].quote, render_graph.visible(m.nodes[0].quote or ""))


# ---------------------------------------------------------------- the HTML report
@pytest.fixture(scope="module")
def report(app: argmap.Argmap) -> Report:
    return app.report([app.load(str(GUARANTEED))])


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("meta", "link", "br", "hr", "img", "input", "col", "wbr"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@given(title=TITLES, notes=TEXT)
@examples(10)
def test_the_html_report_is_valid_for_any_title(report: Report, title: str, notes: str) -> None:
    item = report.proposals[0]
    p = dataclasses.replace(item.verdict.proposal, title=title, notes=notes)
    item = dataclasses.replace(
        item, verdict=dataclasses.replace(item.verdict, proposal=p), map=dataclasses.replace(item.map, proposal=p)
    )
    page = report_html(dataclasses.replace(report, proposals=(item,)))
    assert hidden(page, keep="\n") == []
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.open == []  # every element closed: no markup came from the title
    assert render_graph.visible(title) in "".join(parser.text)


# ---------------------------------------------------------------- from a file, end to end
@given(title=TITLES)
@examples(10)
def test_a_title_from_a_yaml_file_reaches_every_map_format_valid(
    tmp_path_factory: pytest.TempPathFactory, title: str
) -> None:
    path = tmp_path_factory.mktemp("title") / "p.yaml"
    doc = yaml.safe_load(GUARANTEED.read_text(encoding="utf-8"))
    doc["title"] = title
    path.write_text(yaml.safe_dump(doc, allow_unicode=False), encoding="utf-8")
    graphml = run("map", path, "--format", "graphml")
    assert graphml.exit_code == 0, graphml.output
    ET.fromstring(graphml.stdout.encode("utf-8"))
    checked = run("check", "--exit-zero", path)
    assert checked.exit_code == 0 and hidden(checked.stdout) == []


def test_no_input_carries_a_surrogate(tmp_path: Path) -> None:
    """Why the properties leave out surrogates: a YAML escape of one is refused, and so are its bytes."""
    path = tmp_path / "p.yaml"
    path.write_text('title: "a\\ud800b"\nsource: s\n', encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2 and result.stderr.startswith(f"argmap: {path}:"), result.output
    path.write_bytes(b"title: a\xed\xa0\x80b\nsource: s\n")
    result = run("check", path)
    assert result.exit_code == 2 and result.stderr.startswith(f"argmap: {path}:"), result.output
