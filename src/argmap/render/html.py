"""The HTML report: verdicts across proposals, and for each its reasons, what-ifs and map.

One self-contained file: the styles are inline, there is no script, and a
Content-Security-Policy forbids the page to load anything, so a browser makes
no network request.  Every string from a proposal or the knowledge base is
HTML-escaped, control characters shown as escapes.  The verdict columns, their words and the headings over reasons
are the knowledge base's own (its verdict registry).  Each map is laid out by
Graphviz's ``dot`` when it is installed (:func:`argmap.render.graph.to_svg`)
and inlined without its XML prolog and namespace declarations (HTML does not
need them), its ids prefixed per proposal so they stay unique.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

from ..model.kb import Claim, Vocabulary
from ..model.proposal import Phase
from ..model.report import ProposalReport, Report, WhatIfRow
from ..model.results import Goal
from ..model.verdicts import ALL, SOME, Outcome, Reason, Registry, Verdict, VerdictSpec
from . import graph


def _e(text: object) -> str:
    """Text for HTML: markup escaped, and control or format characters (which HTML forbids, or which
    reorder what is shown) as visible escapes."""
    return html.escape(graph.visible(str(text)), quote=True)


_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --good: #1e7b34; --bad: #b3261e; --some: #8a6d00; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
p.meta, .muted { color: var(--muted); }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .35rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; }
td.good { color: var(--good); font-weight: 600; }
td.bad { color: var(--bad); font-weight: 600; }
td.some { color: var(--some); font-weight: 600; }
ul.reasons { list-style: none; padding-left: 0; }
ul.reasons li { margin: .6rem 0; padding-left: 1.4rem; position: relative; }
ul.reasons li::before { position: absolute; left: 0; font-weight: 700; }
ul.reasons li.pro::before { content: "+"; color: var(--good); }
ul.reasons li.con::before { content: "\\2212"; color: var(--bad); }
ul.reasons li.warn::before { content: "!"; color: var(--some); }
ul.reasons li.noted::before { content: "\\2713"; color: var(--good); }
div.wide { overflow-x: auto; }
blockquote { margin: .25rem 0 0; padding: .1rem .75rem; border-left: 3px solid var(--line); color: #3c4043; }
blockquote cite { font-style: normal; color: var(--muted); font-size: .9em; }
.flip { white-space: nowrap; }
figure.map { margin: .5rem 0; overflow: auto; border: 1px solid var(--line); max-height: 80vh; }
figure.map svg { display: block; height: auto; max-width: none; }
figure.map figcaption { font-size: .9rem; color: var(--muted); padding: .4rem .6rem;
                        border-top: 1px solid var(--line); }
.note { background: #fff8e1; border: 1px solid #f0d68a; padding: .5rem .75rem; }
nav ol { columns: 2; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  section.proposal { break-before: page; }
  h2, h3 { break-after: avoid; }
  li, blockquote, tr { break-inside: avoid; }
  figure.map { overflow: visible; max-height: none; border: none; }
  figure.map svg { max-width: 100%; }
  a { color: inherit; text-decoration: none; }
}
"""


def report_html(report: Report) -> str:
    """The report as one HTML document (deterministic: the same report, the same bytes)."""
    anchors = _anchors(report)
    registry = report.vocabulary.registry
    count = len(report.proposals)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        "<title>argmap report</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>argmap report</h1>",
        f'<p class="meta">{count} proposal{"s" if count != 1 else ""} '
        f"judged by the knowledge base ({_e(', '.join(report.kb))}). Every reason cites the claim it rests on "
        "and quotes the source text.</p>",
        "</header>",
        _nav(report, anchors),
        _table(report, registry, anchors),
    ]
    has_dot = graph.dot_program() is not None
    for n, (item, anchor) in enumerate(zip(report.proposals, anchors, strict=True), 1):
        parts.append(_Section(item, report.vocabulary, n, anchor, has_dot).html())
    parts += [
        '<footer><p class="muted">Written by argmap from the rules of the knowledge base; '
        "the same proposals and knowledge base give the same file.</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _anchors(report: Report) -> list[str]:
    """One fragment id per proposal ("p-" and its id), unique even when a file is given twice."""
    out: list[str] = []
    for item in report.proposals:
        base = "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", item.verdict.proposal.id)
        anchor, k = base, 1
        while anchor in out:
            k += 1
            anchor = f"{base}-{k}"
        out.append(anchor)
    return out


def _nav(report: Report, anchors: list[str]) -> str:
    items = "".join(
        f'<li><a href="#{_e(a)}">{_e(i.verdict.proposal.title)}</a></li>'
        for i, a in zip(report.proposals, anchors, strict=True)
    )
    return f'<nav aria-label="Proposals"><h2>Proposals</h2><ol>{items}</ol></nav>'


# ------------------------------------------------------------------ verdicts
def outcome_class(o: Outcome) -> str:
    """good | some | bad: good in every completion; good in some, or a middle level; else bad."""
    spec = o.spec
    if o.good:
        return "good"
    if not o.values:
        return ""
    if any(v in spec.good for v in o.reached):
        return "some"
    if spec.kind == "level":
        worst = max(o.reached, key=spec.rank)
        return "bad" if spec.rank(worst) >= len(spec.values) - 1 else "some"
    if spec.kind == "set" and all(h == SOME for _, h in o.values):
        return "some"
    return "bad"


def _cell(o: Outcome) -> str:
    cls = outcome_class(o)
    return f'<td class="{cls}">{_e(o.text())}</td>' if cls else f"<td>{_e(o.text())}</td>"


def _columns(registry: Registry) -> str:
    return "".join(f'<th scope="col">{_e(spec.label)}</th>' for spec in registry)


def _table(report: Report, registry: Registry, anchors: list[str]) -> str:
    head = f'<thead><tr><th scope="col">proposal</th>{_columns(registry)}</tr></thead>'
    rows = []
    for item, anchor in zip(report.proposals, anchors, strict=True):
        v = item.verdict
        p = v.proposal
        rows.append(
            f'<tr data-proposal="{_e(p.id)}">'
            f'<th scope="row"><a href="#{_e(anchor)}">{_e(p.title)}</a><br><code>{_e(p.id)}</code></th>'
            + "".join(_cell(o) for o in v.outcomes)
            + "</tr>"
        )
    return (
        '<section id="verdicts"><h2>Verdicts</h2>'
        f'<table class="verdicts">{head}<tbody>{"".join(rows)}</tbody></table></section>'
    )


def heading(spec: VerdictSpec | None, verdict: str, effect: str) -> str:
    """The heading over a verdict's reasons with `effect`."""
    if spec is None:
        return f"{verdict.replace('_', ' ')}: {effect.replace('_', ' ')}"
    return spec.heading(effect)


# ------------------------------------------------------------------ one proposal
class _Section:
    def __init__(self, item: ProposalReport, voc: Vocabulary, n: int, anchor: str, has_dot: bool) -> None:
        self.item = item
        self.voc = voc
        self.claims: Mapping[str, Claim] = voc.claims
        self.registry = voc.registry
        self.n = n
        self.anchor = anchor
        self.has_dot = has_dot

    def html(self) -> str:
        v = self.item.verdict
        p = v.proposal
        out = [
            f'<section class="proposal" id="{_e(self.anchor)}">',
            f"<h2>{_e(p.title)} <code>[{_e(p.id)}]</code></h2>",
        ]
        meta = [f"<code>{_e(p.path)}</code>"] if p.path else []
        if p.open:
            meta.append(f"open aspects: {_e(', '.join(p.open))} (every completion considered)")
        if meta:
            out.append(f'<p class="meta">{" · ".join(meta)}</p>')
        if p.source:
            out.append(f'<p class="muted">Source: {_e(" ".join(p.source.split()))}</p>')
        settings = ", ".join(f"{k}={val}" for k, val in p.settings) or "(none)"
        out.append(f'<p class="muted">Components: <code>{_e(settings)}</code></p>')
        out.append(
            '<table class="summary"><tbody>'
            + "".join(f'<tr><th scope="row">{_e(o.spec.label)}</th>{_cell(o)}</tr>' for o in v.outcomes)
            + "</tbody></table>"
        )
        out += self._conflicts(v)
        out += self._reasons(v.reasons)
        out += self._findings("Warnings", "warn", v)
        out += self._findings("Notes", "noted", v)
        out += self._phases(v)
        out.append(self._whatifs())
        out.append(self._map())
        out.append("</section>")
        return "\n".join(out)

    def _cite(self, basis: str) -> str:
        claim = self.claims.get(basis)
        if claim is None:
            return f' <span class="muted">({_e(self.voc.basis_text(basis))})</span>'
        return f"<blockquote>“{_e(claim.quote)}”<br><cite>[{_e(basis)}] {_e(claim.paraphrase)}</cite></blockquote>"

    def _item(self, mark: str, text: str, holds: str, basis: str, extra: str = "") -> str:
        """One list item: the text, where it holds only in some completions, and what it rests on."""
        some = "" if holds == ALL else ' <span class="muted">(in some completions)</span>'
        return f'<li class="{mark}">{_e(text)}{extra}{some}{self._cite(basis)}</li>'

    def _conflicts(self, v: Verdict) -> list[str]:
        if not v.conflicts:
            return []
        items = []
        for c in v.conflicts:
            where = f" <code>({_e(', '.join(f'{k}={val}' for k, val in c.components))})</code>" if c.components else ""
            items.append(self._item("con", c.text, c.holds, c.basis, where))
        return ["<h3>Conflicts</h3>", '<ul class="reasons">' + "".join(items) + "</ul>"]

    def _reasons(self, reasons: Sequence[Reason]) -> list[str]:
        if not reasons:
            return []
        groups: dict[tuple[str, str], list[Reason]] = {}
        for r in reasons:  # in the engine's order: by verdict as declared, worst effect first
            groups.setdefault((r.verdict, r.effect), []).append(r)
        out = ["<h3>Reasons</h3>"]
        for (verdict, effect), items in groups.items():
            spec = self.registry.get(verdict)
            mark = "con" if spec is None or spec.bad_effect(effect) else "pro"
            out.append(f"<h4>{_e(heading(spec, verdict, effect))}</h4>")
            out.append(
                '<ul class="reasons">' + "".join(self._item(mark, r.text, r.holds, r.basis) for r in items) + "</ul>"
            )
        return out

    def _findings(self, title: str, mark: str, v: Verdict) -> list[str]:
        found = v.warnings if mark == "warn" else v.notes
        if not found:
            return []
        texts = [f.text for f in found]
        items = "".join(
            # Two findings with one text (a roadmap's, about different phases) are told apart by their ids.
            self._item(mark, f.text, f.holds, f.basis, f" <code>{_e(f.id)}</code>" if texts.count(f.text) > 1 else "")
            for f in found
        )
        return [f"<h3>{_e(title)}</h3>", f'<ul class="reasons">{items}</ul>']

    def _timing(self, phase: Phase) -> str:
        timing = self.voc.timings.get(phase.timing)
        return timing.describe(phase.offset) if timing is not None else phase.timing.replace("_", " ")

    def _phases(self, v: Verdict) -> list[str]:
        if not v.phases:
            return []
        rows = []
        for i, pv in enumerate(v.phases, 1):
            phase = pv.phase
            settings = ", ".join(f"{k}={val}" for k, val in phase.settings) or "(none)"
            rows.append(
                f'<tr><th scope="row">{i}. {_e(phase.name)}</th><td>{_e(self._timing(phase))}</td>'
                f"<td><code>{_e(settings)}</code></td>" + "".join(_cell(o) for o in pv.verdict.outcomes) + "</tr>"
            )
        return [
            "<h3>Roadmap</h3>",
            '<p class="muted">Each phase judged on its own; the verdicts above are those of the final phase, '
            "judged with the whole roadmap.</p>",
            '<div class="wide"><table class="phases"><thead><tr><th scope="col">phase</th><th scope="col">starts</th>'
            f'<th scope="col">components</th>{_columns(self.registry)}</tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table></div>",
        ]

    def _label(self, name: str) -> str:
        spec = self.registry.get(name)
        return spec.label if spec is not None else name

    def _goal(self, goal: Goal) -> str:
        return self._label(goal.verdict) if goal.value is None else str(goal)

    def _kind(self, w: WhatIfRow) -> str:
        if w.why == "removal":
            return "remove"
        goals = [self._goal(g) for g in w.goals]
        return "smallest change for " + " and ".join(goals) if goals else "smallest change"

    def _whatifs(self) -> str:
        out = ["<h3>What if</h3>"]
        if not self.item.whatifs:
            out.append('<p class="muted">No single removal of a component changes a verdict.</p>')
            return "\n".join(out)
        out.append(
            '<p class="muted">Each component the proposal sets, removed on its own (shown when a verdict flips); '
            "and, when it does not pass, the smallest change that makes it pass.</p>"
        )
        rows = []
        for w in self.item.whatifs:
            flips = "<br>".join(
                f'<span class="flip">{_e(self._label(f.verdict))}: {_e(f.before)} → '
                f"<strong>{_e(f.after)}</strong></span>"
                for f in w.flips
            )
            then = ", ".join(f"{o.spec.label} {o.text()}" for o in w.after.outcomes)
            rows.append(
                f"<tr><td>{_e(self._kind(w))}</td><td><code>{_e(w.change)}</code></td>"
                f"<td>{flips or _NO_FLIP}</td>"
                f'<td class="muted">{_e(then)}</td></tr>'
            )
        out.append(
            '<table class="whatif"><thead><tr><th scope="col">what</th><th scope="col">change</th>'
            '<th scope="col">flips</th><th scope="col">then</th></tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table>"
        )
        return "\n".join(out)

    def _map(self) -> str:
        out = ["<h3>Argument map</h3>"]
        if not self.has_dot:
            out.append(
                '<p class="note">The map needs Graphviz\'s <code>dot</code> program, which was not installed when '
                "this report was written (Debian/Ubuntu: <code>apt-get install graphviz</code>). "
                "<code>argmap map PROPOSAL --format mermaid</code> or <code>--format argdown</code> "
                "give it as text.</p>"
            )
            return "\n".join(out)
        said = graph.legend(self.item.map)
        legend = f"{said[:1].upper()}{said[1:]}. Hover a node for its quote or its rule."
        svg = inline_svg(graph.to_svg(self.item.map), f"m{self.n}")
        out.append(f'<figure class="map">{svg}<figcaption>{_e(legend)}</figcaption></figure>')
        return "\n".join(out)


_NO_FLIP = '<span class="muted">no verdict changes</span>'
_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_IDS = re.compile(r'\bid="([^"]*)"')


def inline_svg(svg: str, prefix: str) -> str:
    """Graphviz's SVG made fit for inlining in HTML: no prolog, no namespace URLs, unique ids."""
    body = _PROLOG.sub("", svg, count=1)
    body = _NAMESPACES.sub("", body)
    body = _IDS.sub(lambda m: f'id="{prefix}-{m.group(1)}"', body)
    return re.sub(r"<svg\b", '<svg role="img" aria-label="argument map"', body, count=1).strip()
