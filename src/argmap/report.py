"""The HTML report: verdicts across proposals, and for each its reasons, what-ifs and map.

One self-contained file: the styles are inline, there is no script, and a
Content-Security-Policy forbids the page to load anything, so a browser makes
no network request.  Every string from a proposal or the knowledge base is
HTML-escaped; the map is Graphviz's SVG, inlined without its XML prolog and
namespace declarations (HTML does not need them), its ids prefixed per
proposal so they stay unique.

The what-ifs shown for a proposal are chosen by one general rule: remove each
component the proposal sets, one at a time, and keep the removals that flip a
verdict (most flips first, at most :data:`MAX_REMOVALS`); and, when the
proposal is not credible, add the smallest change that makes it credible
(:func:`argmap.repair.repair`, clingo's optimum).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import render_graph
from .engine import Engine
from .errors import InputError
from .graph import ArgumentMap, argument_map
from .model import ALL, NONE, SOME, Claim, Proposal, Reason, Verdict
from .render import NON_CLAIMS, REASON_HEADINGS, VERDICT_WORDS
from .repair import repair
from .verdicts import evaluate
from .whatif import FIELDS, Change, Flip, diff, value_of, whatif

#: How many single removals a proposal's what-if section shows at most.
MAX_REMOVALS = 4


@dataclass(frozen=True)
class WhatIfRow:
    """One counterfactual: what was changed, and the verdicts that flipped."""

    change: str
    why: str  # removal | repair
    after: Verdict
    flips: tuple[Flip, ...]


@dataclass(frozen=True)
class ProposalReport:
    verdict: Verdict
    whatifs: tuple[WhatIfRow, ...]
    map: ArgumentMap
    #: The map as SVG, or None when Graphviz's dot is not installed.
    svg: str | None


@dataclass(frozen=True)
class Report:
    proposals: tuple[ProposalReport, ...]
    claims: Mapping[str, Claim]
    kb: tuple[str, ...]


def build_report(engine: Engine, proposals: Sequence[Proposal]) -> Report:
    """Judge each proposal, pick its what-ifs, and draw its map (`engine` must be traced)."""
    if not proposals:
        raise InputError("no proposal to report on", expected="one or more proposal files or folders")
    repairer = Engine(engine.files, repair=True)
    has_dot = render_graph.dot_program() is not None
    items = []
    for p in proposals:
        verdict = evaluate(engine, p)
        the_map = argument_map(engine, p)
        svg = render_graph.to_svg(the_map) if has_dot else None
        items.append(ProposalReport(verdict, _whatifs(engine, repairer, p, verdict), the_map, svg))
    return Report(tuple(items), engine.vocabulary.claims, tuple(os.path.relpath(f, engine.root) for f in engine.files))


def _whatifs(engine: Engine, repairer: Engine, p: Proposal, before: Verdict) -> tuple[WhatIfRow, ...]:
    removals = []
    for key in dict.fromkeys(k for k, _ in p.settings):
        change = Change("unset", key)
        try:
            result = whatif(engine, p, [change])
        except InputError:
            continue  # no completion of the changed proposal is coherent: nothing to compare
        if result.flips:
            removals.append(WhatIfRow(str(change), "removal", result.after, result.flips))
    removals.sort(key=lambda w: -len(w.flips))  # stable: ties keep the proposal's key order
    rows = removals[:MAX_REMOVALS]
    if before.credible != ALL:
        found = repair(repairer, engine, p, goal="credible", limit=1)
        best = found.repairs[0] if found.repairs else None
        if best is not None and best.changes and best.after is not None:
            rows.append(WhatIfRow("; ".join(best.described()), "repair", best.after, diff(before, best.after)))
    return tuple(rows)


# ------------------------------------------------------------------ HTML
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


_WORD = VERDICT_WORDS["credible"]
_CLASS = {ALL: "yes", SOME: "some", NONE: "no"}
_PRECONDITION = VERDICT_WORDS["precondition"]
_HEADS = REASON_HEADINGS

_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --yes: #1e7b34; --no: #b3261e; --some: #8a6d00; }
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
td.yes { color: var(--yes); font-weight: 600; }
td.no { color: var(--no); font-weight: 600; }
td.some { color: var(--some); font-weight: 600; }
ul.reasons { list-style: none; padding-left: 0; }
ul.reasons li { margin: .6rem 0; padding-left: 1.4rem; position: relative; }
ul.reasons li::before { position: absolute; left: 0; font-weight: 700; }
ul.reasons li.pro::before { content: "+"; color: var(--yes); }
ul.reasons li.con::before { content: "\\2212"; color: var(--no); }
ul.reasons li.warn::before { content: "!"; color: var(--some); }
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
        f'<p class="meta">{len(report.proposals)} proposal{"s" if len(report.proposals) != 1 else ""} '
        f"judged by the knowledge base ({_e(', '.join(report.kb))}). Every reason cites the claim it rests on "
        "and quotes the source text.</p>",
        "</header>",
        _nav(report, anchors),
        _table(report, anchors),
    ]
    for n, (item, anchor) in enumerate(zip(report.proposals, anchors, strict=True), 1):
        parts.append(_section(item, report.claims, n, anchor))
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


def _risk(v: Verdict) -> str:
    return " or ".join(v.risk) if v.risk else "unknown"


def _table(report: Report, anchors: list[str]) -> str:
    head = (
        '<thead><tr><th scope="col">proposal</th><th scope="col">consistent</th><th scope="col">credible</th>'
        '<th scope="col">risk</th><th scope="col">feasible now</th><th scope="col">precondition</th>'
        '<th scope="col">truncated</th></tr></thead>'
    )
    rows = []
    for item, anchor in zip(report.proposals, anchors, strict=True):
        v = item.verdict
        p = v.proposal
        risk_class = {"low": "yes", "medium": "some", "high": "no"}.get(v.risk[-1] if v.risk else "", "")
        truncated = ", ".join(t.model for t in v.truncated) or "no"
        rows.append(
            f'<tr data-proposal="{_e(p.id)}">'
            f'<th scope="row"><a href="#{_e(anchor)}">{_e(p.title)}</a><br><code>{_e(p.id)}</code></th>'
            + "".join(f'<td class="{_CLASS[h]}">{_WORD[h]}</td>' for h in (v.consistent, v.credible))
            + f'<td class="{risk_class}">{_e(_risk(v))}</td>'
            + "".join(f'<td class="{_CLASS[h]}">{_WORD[h]}</td>' for h in (v.feasible_now, v.precondition_met))
            + f'<td class="{"some" if v.truncated else ""}">{_e(truncated)}</td>'
            + "</tr>"
        )
    return (
        '<section id="verdicts"><h2>Verdicts</h2>'
        f'<table class="verdicts">{head}<tbody>{"".join(rows)}</tbody></table></section>'
    )


def _cite(basis: str, claims: Mapping[str, Claim]) -> str:
    claim = claims.get(basis)
    if claim is None:
        return f'<span class="muted">({_e(NON_CLAIMS.get(basis, basis))})</span>'
    return f"<blockquote>“{_e(claim.quote)}”<br><cite>[{_e(basis)}] {_e(claim.paraphrase)}</cite></blockquote>"


def _qualifier(holds: str) -> str:
    return "" if holds == ALL else ' <span class="muted">(in some completions)</span>'


def _reason_items(reasons: Sequence[Reason], claims: Mapping[str, Claim], mark: str) -> str:
    out = []
    for r in reasons:
        actor = f"<strong>{_e(r.actor)}</strong>: " if r.actor else ""
        out.append(f'<li class="{mark}">{actor}{_e(r.text)}{_qualifier(r.holds)}{_cite(r.basis, claims)}</li>')
    return '<ul class="reasons">' + "".join(out) + "</ul>"


def _section(item: ProposalReport, claims: Mapping[str, Claim], n: int, anchor: str) -> str:
    v = item.verdict
    p = v.proposal
    out = [f'<section class="proposal" id="{_e(anchor)}">', f"<h2>{_e(p.title)} <code>[{_e(p.id)}]</code></h2>"]
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
        + "".join(
            f'<tr><th scope="row">{label}</th><td class="{cls}">{_e(word)}</td></tr>'
            for label, cls, word in (
                ("consistent", _CLASS[v.consistent], _WORD[v.consistent]),
                ("credible", _CLASS[v.credible], _WORD[v.credible]),
                ("risk", "", _risk(v)),
                ("feasible now", _CLASS[v.feasible_now], _WORD[v.feasible_now]),
                ("precondition", _CLASS[v.precondition_met], _PRECONDITION[v.precondition_met]),
            )
        )
        + "</tbody></table>"
    )
    if v.conflicts:
        out.append("<h3>Conflicts</h3>")
        items = []
        for c in v.conflicts:
            parts = ", ".join(f"{k}={val}" for k, val in c.components)
            where = f"<code>({_e(parts)})</code>"
            items.append(f'<li class="con">{_e(c.text)} {where}{_qualifier(c.holds)}{_cite(c.basis, claims)}</li>')
        out.append('<ul class="reasons">' + "".join(items) + "</ul>")
    groups: dict[tuple[str, str], list[Reason]] = {}
    for r in v.reasons:
        groups.setdefault((r.verdict, r.effect), []).append(r)
    if groups:
        out.append("<h3>Reasons</h3>")
        for key, head in _HEADS.items():
            if key in groups:
                out.append(f"<h4>{_e(head)}</h4>")
                out.append(_reason_items(groups[key], claims, "pro" if key[1] == "pro" else "con"))
    for t in v.truncated:
        out.append(f"<h3>Truncated version of the {_e(t.model)} model{_qualifier(t.holds)}</h3>")
        items = [f'<li class="con">missing: {_e(feature)}{_cite(basis, claims)}</li>' for feature, basis in t.missing]
        out.append('<ul class="reasons">' + "".join(items) + "</ul>")
    if v.warnings:
        out.append("<h3>Warnings</h3>")
        items = [f'<li class="warn">{_e(w.text)}{_qualifier(w.holds)}{_cite(w.basis, claims)}</li>' for w in v.warnings]
        out.append('<ul class="reasons">' + "".join(items) + "</ul>")
    out.append(_whatif_table(item))
    out.append(_map_figure(item, n))
    out.append("</section>")
    return "\n".join(out)


def _word(field: str, value: str) -> str:
    if field == "risk":
        return value
    return {ALL: "yes", SOME: "some", NONE: "no"}.get(value, value)


def _whatif_table(item: ProposalReport) -> str:
    out = ["<h3>What if</h3>"]
    if not item.whatifs:
        out.append('<p class="muted">No single removal of a component changes a verdict.</p>')
        return "\n".join(out)
    out.append(
        '<p class="muted">Each component the proposal sets, removed on its own (shown when a verdict flips); '
        "and, when it is not credible, the smallest change that makes it so.</p>"
    )
    rows = []
    labels = dict(FIELDS)
    for w in item.whatifs:
        kind = "remove" if w.why == "removal" else "smallest change to credible"
        flips = (
            "<br>".join(
                f'<span class="flip">{_e(labels[f.field])}: {_e(_word(f.field, f.before))} → '
                f"<strong>{_e(_word(f.field, f.after))}</strong></span>"
                for f in w.flips
            )
            or '<span class="muted">no verdict changes</span>'
        )
        after = w.after
        summary = (
            f"consistent {_word('consistent', after.consistent)}, credible {_word('credible', after.credible)}, "
            f"risk {value_of(after, 'risk')}, feasible now {_word('feasible_now', after.feasible_now)}"
        )
        rows.append(
            f"<tr><td>{_e(kind)}</td><td><code>{_e(w.change)}</code></td><td>{flips}</td>"
            f'<td class="muted">{_e(summary)}</td></tr>'
        )
    out.append(
        '<table class="whatif"><thead><tr><th scope="col">what</th><th scope="col">change</th>'
        '<th scope="col">flips</th><th scope="col">then</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
    )
    return "\n".join(out)


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_IDS = re.compile(r'\bid="([^"]*)"')


def inline_svg(svg: str, prefix: str) -> str:
    """Graphviz's SVG made fit for inlining in HTML: no prolog, no namespace URLs, unique ids."""
    body = _PROLOG.sub("", svg, count=1)
    body = _NAMESPACES.sub("", body)
    body = _IDS.sub(lambda m: f'id="{prefix}-{m.group(1)}"', body)
    return re.sub(r"<svg\b", '<svg role="img" aria-label="argument map"', body, count=1).strip()


def _map_figure(item: ProposalReport, n: int) -> str:
    out = ["<h3>Argument map</h3>"]
    legend = (
        "Green: holds; amber: holds in some completions; red: defeated (a defeater held); grey: does not hold. "
        "Green arrows support, red arrows ending in a bar attack; thick arrows fired. Hover a node for its quote "
        "or its rule."
    )
    if item.svg is None:
        out.append(
            '<p class="note">The map needs Graphviz\'s <code>dot</code> program, which was not installed when this '
            "report was written (Debian/Ubuntu: <code>apt-get install graphviz</code>). "
            "<code>argmap map PROPOSAL --format mermaid</code> or <code>--format argdown</code> give it as text.</p>"
        )
        return "\n".join(out)
    out.append(f'<figure class="map">{inline_svg(item.svg, f"m{n}")}<figcaption>{_e(legend)}</figcaption></figure>')
    return "\n".join(out)
