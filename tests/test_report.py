"""The HTML report: content, escaping, no network references, and a look in headless Chromium.

The browser check runs Chromium's own command line (``--dump-dom``, ``--screenshot``,
``--enable-logging=stderr``) rather than WebDriver: it needs no extra Python
package and no chromedriver, and the page has no script, so the serialised DOM
and the console log are all there is to observe.  The page forbids every load
with a Content-Security-Policy, so an attempted network request would show up
as a console message, which the test treats as an error.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import argmap
from argmap.analysis.report import MAX_REMOVALS, build_report
from argmap.cli import main
from argmap.model.report import Report
from argmap.model.verdicts import SOME
from argmap.render.html import heading, inline_svg, outcome_class, report_html
from helpers import ROOT

PROPOSALS = ("european_reassurance_force", "guaranteed_guarantees", "taiwan_style_law", "roadmap_neutral_then_nato")
FEDERALIST = ROOT / "examples" / "federalist10"
HOSTILE_TITLE = '<script>alert("x")</script> & <b>bold</b> see https://example.org/?a=1&b=2'
CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.fixture(scope="module")
def hostile_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(
        f"title: {json.dumps(HOSTILE_TITLE)}\nsource: {json.dumps('From http://example.net/x <i>y</i>')}\n"
        "notes: free text\nlead: european\nguarantors: [uk]\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def built(app: argmap.Argmap, hostile_path: Path) -> Report:
    paths = [str(ROOT / "proposals" / f"{p}.yaml") for p in PROPOSALS] + [str(hostile_path)]
    return app.report(paths)


@pytest.fixture(scope="module")
def page(built: Report) -> str:
    return report_html(built)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(text: str) -> _Collect:
    c = _Collect()
    c.feed(text)
    c.close()
    return c


def rows(doc: _Collect) -> list[str]:
    return [str(a["data-proposal"]) for t, a in doc.tags if t == "tr" and "data-proposal" in a]


# ---------------------------------------------------------------- content
def test_one_row_per_proposal_and_one_section_each(page: str, built: Report) -> None:
    doc = parse(page)
    ids = [item.verdict.proposal.id for item in built.proposals]
    assert rows(doc) == ids
    sections = [a.get("id") for t, a in doc.tags if t == "section" and a.get("class") == "proposal"]
    assert sections == [f"p-{i}" for i in ids]


def section(page: str, pid: str) -> str:
    """The HTML of one proposal's section."""
    start = page.index(f'<section class="proposal" id="p-{pid}">')
    return page[start : page.index("</section>", start)]


def test_the_verdict_columns_are_the_registry_s_verdicts(page: str, built: Report) -> None:
    registry = built.vocabulary.registry
    head = page[page.index('<table class="verdicts">') : page.index("</thead>")]
    assert re.findall(r'<th scope="col">([^<]*)</th>', head) == ["proposal", *(spec.label for spec in registry)]
    for item in built.proposals:
        row = page[page.index(f'<tr data-proposal="{item.verdict.proposal.id}">') :]
        cells = re.findall(r"<td( class=\"(\w+)\")?>([^<]*)</td>", row[: row.index("</tr>")])
        expected = [(outcome_class(o), o.text()) for o in item.verdict.outcomes]
        assert [(cls, text) for _, cls, text in cells] == expected


def test_cells_are_good_some_or_bad(built: Report) -> None:
    by_id = {i.verdict.proposal.id: i.verdict for i in built.proposals}
    good = by_id["guaranteed_guarantees"]
    assert all(outcome_class(o) == "good" for o in good.outcomes)
    bad = by_id["european_reassurance_force"]
    assert {o.name for o in bad.outcomes if outcome_class(o) == "bad"} == {o.name for o in bad.outcomes if not o.good}
    open_one = by_id["taiwan_style_law"]
    for o in open_one.outcomes:
        if o.spec.kind == "bool" and o.truth == SOME:
            assert outcome_class(o) == "some"


def test_reasons_come_with_their_quotes(page: str, built: Report) -> None:
    text = "".join(parse(page).text)
    claims = built.vocabulary.claims
    for item in built.proposals:
        for r in (*item.verdict.reasons, *item.verdict.warnings, *item.verdict.notes):
            assert r.text in text
            claim = claims.get(r.basis)
            if claim is not None:
                assert claim.quote in text and f"[{r.basis}]" in text


def test_reasons_are_grouped_under_the_registry_s_headings(page: str, built: Report) -> None:
    registry = built.vocabulary.registry
    for item in built.proposals:
        html_text = section(page, item.verdict.proposal.id)
        headings = re.findall(r"<h4>([^<]*)</h4>", html_text)
        expected = list(
            dict.fromkeys(heading(registry.get(r.verdict), r.verdict, r.effect) for r in item.verdict.reasons)
        )
        assert [h.replace("&#x27;", "'") for h in headings] == expected
    # a declared heading, and one whose {value} reads the effect (the member of a set verdict)
    assert "<h4>Risk of renewed war: high because</h4>" in page
    assert "<h4>A truncated version of the south_korea model, because</h4>" in page
    assert "{value}" not in page


def test_conflicts_are_listed(app: argmap.Argmap) -> None:
    page = report_html(app.report([str(ROOT / "proposals" / "neutral_yet_nato.yaml")]))
    assert "<h3>Conflicts</h3>" in page
    assert "permanent neutrality cannot stand beside NATO membership" in page
    assert "<code>(nato_path=irreversible_path, neutrality=permanent)</code>" in page


def test_a_roadmap_shows_its_phases_and_notes(page: str, built: Report) -> None:
    item = next(i for i in built.proposals if i.verdict.phases)
    html_text = section(page, item.verdict.proposal.id)
    assert "<h3>Roadmap</h3>" in html_text and "<h3>Notes</h3>" in html_text
    table = html_text[html_text.index('<table class="phases">') :]
    rows = re.findall(r'<tr><th scope="row">\d+\. ([^<]*)</th><td>([^<]*)</td>', table)
    timings = built.vocabulary.timings
    assert rows == [(pv.phase.name, timings[pv.phase.timing].describe(pv.phase.offset)) for pv in item.verdict.phases]
    # two warnings with one text (about different phases) are told apart by their ids
    window = [w for w in item.verdict.warnings if w.id.startswith("window(")]
    assert len(window) == 2 and all(f"<code>{w.id}</code>" in html_text for w in window)


def test_whatifs_follow_the_general_rule(built: Report) -> None:
    by_id = {i.verdict.proposal.id: i for i in built.proposals}
    gates = built.vocabulary.registry.gates
    for item in built.proposals:
        removals = [w for w in item.whatifs if w.why == "removal"]
        assert len(removals) <= MAX_REMOVALS
        set_keys = {k for k, _ in item.verdict.proposal.settings}
        for w in removals:
            assert w.flips and w.change.startswith("unset ") and w.change.split()[1] in set_keys
        repairs = [w for w in item.whatifs if w.why == "repair"]
        assert len(repairs) == (0 if item.verdict.ok else 1)
        for w in repairs:
            assert w.after.ok
            assert tuple(g.verdict for g in w.goals) == gates
            assert {f.verdict for f in w.flips} >= {o.name for o in item.verdict.outcomes if o.spec.gate and not o.good}
    assert not [w for w in by_id["guaranteed_guarantees"].whatifs if w.why == "repair"]
    assert "smallest change for consistent and credible" in report_html(built)


def test_each_proposal_has_its_marked_map(built: Report, page: str) -> None:
    for n, item in enumerate(built.proposals, 1):
        assert item.map.proposal == item.verdict.proposal
        assert any(node.holds is not None for node in item.map.nodes)
        if shutil.which("dot"):
            assert f'id="m{n}-graph0"' in page
    if shutil.which("dot"):
        assert page.count("<svg ") == len(built.proposals)


def test_the_report_is_deterministic(app: argmap.Argmap, built: Report, page: str) -> None:
    again = build_report(app.traced, app.repairer, [item.verdict.proposal for item in built.proposals])
    assert report_html(again) == page


def test_another_knowledge_base_reports_its_own_verdicts() -> None:
    """Columns, words and headings are the other knowledge base's; no word of the shipped one appears."""
    other = argmap.Argmap([str(FEDERALIST / "rules" / "main.lp")])
    page = report_html(other.report(other.load_all([str(FEDERALIST / "proposals")])))
    head = page[page.index('<table class="verdicts">') : page.index("</thead>")]
    assert re.findall(r'<th scope="col">([^<]*)</th>', head)[1:] == [spec.label for spec in other.registry]
    for word in ("credible", "feasible now", "precondition", "truncated", "Ukraine", "Russia", "NATO"):
        assert word not in page, word


def test_no_proposal_is_refused(app: argmap.Argmap) -> None:
    with pytest.raises(argmap.InputError, match="no proposal"):
        build_report(app.traced, app.repairer, [])


# ---------------------------------------------------------------- self-contained and escaped
def test_no_network_references(page: str) -> None:
    doc = parse(page)
    assert not [t for t, _ in doc.tags if t in ("script", "link", "img", "iframe", "object", "embed", "base")]
    user = ("https://example.org/?a=1&b=2", "http://example.net/x")  # in the hostile proposal's title and source
    for tag, attrs in doc.tags:
        for name, value in attrs.items():
            if name in ("href", "src", "xlink:href", "action", "srcset", "poster", "data", "style"):
                assert (value or "#").startswith("#") or name == "style", (tag, name, value)
                assert not re.search(r"https?://|url\(", value or ""), (tag, name, value)
            text = value or ""
            for u in user:  # a tooltip may repeat the user's text, as text
                text = text.replace(u, "")
            assert not re.search(r"https?://", text), (tag, name, value)
    assert "url(" not in page and "@import" not in page
    csp = [a for t, a in doc.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in str(csp[0]["content"])
    # http(s):// occurs only inside the user's own text, escaped as text
    stripped = page
    for text in ("https://example.org/?a=1&amp;b=2", "http://example.net/x"):
        stripped = stripped.replace(text, "")
    assert not re.search(r"https?://", stripped)


def test_user_strings_are_escaped(page: str) -> None:
    assert "<script>" not in page and "<b>bold</b>" not in page and "<i>y</i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert HOSTILE_TITLE in "".join(parse(page).text)


def test_strings_the_knowledge_base_declares_are_escaped_too(tmp_path: Path) -> None:
    """A verdict's label, a heading and a reason's text are the knowledge base's: escaped like the rest."""
    layer = tmp_path / "hostile.lp"
    layer.write_text(
        'verdict(odd, bool, "<i>odd</i> & \\"label\\"").\n'
        'verdict_heading(odd, pro, "<b>For</b> odd").\n'
        "odd :- accepted(nato_optimal).\n"
        'reason(odd, pro, nato_optimal, "<script>bad()</script>") :- accepted(nato_optimal).\n'
        "#show odd/0.\n",
        encoding="utf-8",
    )
    app = argmap.Argmap(layers=[str(layer)])
    page = report_html(app.report([str(ROOT / "proposals" / "nato_membership.yaml")]))
    assert "<i>odd</i>" not in page and "<b>For</b>" not in page and "<script>" not in page
    assert '<th scope="col">&lt;i&gt;odd&lt;/i&gt; &amp; &quot;label&quot;</th>' in page
    assert "<h4>&lt;b&gt;For&lt;/b&gt; odd</h4>" in page
    assert "&lt;script&gt;bad()&lt;/script&gt;" in page


def test_inline_svg_drops_the_prolog_and_namespaces() -> None:
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/x.dtd">\n'
        '<svg width="10pt" height="5pt" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<g id="graph0"><a xlink:title="t"><text>x</text></a></g></svg>\n'
    )
    out = inline_svg(svg, "m1")
    assert out.startswith('<svg role="img"') and "http" not in out
    assert 'id="m1-graph0"' in out and 'xlink:title="t"' in out


def test_without_dot_the_report_says_so(app: argmap.Argmap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = app.report([str(ROOT / "proposals" / "nato_membership.yaml")])
    monkeypatch.setenv("PATH", str(tmp_path))
    page = report_html(report)
    assert "<svg" not in page and "apt-get install graphviz" in page


# ---------------------------------------------------------------- the command
def test_the_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    paths = [str(ROOT / "proposals" / f"{p}.yaml") for p in PROPOSALS[:2]]
    result = CliRunner().invoke(main, ["report", *paths, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert rows(parse(out.read_text(encoding="utf-8"))) == list(PROPOSALS[:2])
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize(
    "args",
    [
        ["report", "proposals/nato_membership.yaml"],
        ["report", "-o", "r.html", "no-such.yaml"],
        ["report", "-o", "r.html"],
    ],
    ids=["no-output", "missing-proposal", "no-proposal"],
)
def test_bad_input_exits_2(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = [a if a != "r.html" else str(tmp_path / "r.html") for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


# ---------------------------------------------------------------- headless Chromium
def artifacts(tmp_path: Path) -> Path:
    """Where screenshots go: $ARGMAP_ARTIFACTS (collected by CI) or the test's own temporary folder."""
    folder = Path(os.environ.get("ARGMAP_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=90, check=False)


_CONSOLE = re.compile(r":CONSOLE[:(]|Uncaught")


def console_messages(stderr: str) -> list[str]:
    """The page's console messages in Chromium's log (any one is an error: the page has no script)."""
    return [line for line in stderr.splitlines() if _CONSOLE.search(line)]


@pytest.fixture(scope="module")
def written(page: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(page, encoding="utf-8")
    yield path


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium chromium-driver)"
)


@needs_chromium
def test_chromium_renders_one_row_per_proposal_without_console_errors(
    written: Path, built: Report, tmp_path: Path
) -> None:
    done = chromium(written, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert rows(parse(done.stdout)) == [item.verdict.proposal.id for item in built.proposals]
    assert console_messages(done.stderr) == []


@needs_chromium
def test_chromium_screenshot(written: Path, tmp_path: Path) -> None:
    shot = artifacts(tmp_path) / "report.png"
    done = chromium(written, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert console_messages(done.stderr) == []


@needs_chromium
def test_the_console_check_would_catch_a_request(tmp_path: Path) -> None:
    """A control page: a blocked image load and an inline script both show up as console messages."""
    control = tmp_path / "control.html"
    control.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '</head><body><img src="https://example.org/x.png"><script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    done = chromium(control, tmp_path / "profile", "--dump-dom")
    assert len(console_messages(done.stderr)) >= 1
