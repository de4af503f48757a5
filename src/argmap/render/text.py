"""Presenting results as text for people, on a terminal or in a file.

Renderers take result objects and the knowledge base's
:class:`~argmap.model.kb.Vocabulary` (for the verdicts' labels and words, and
the claims' quotes); they never see clingo symbols.  Output is deterministic.
Every string that comes from a proposal, a knowledge base or the command line
goes through :func:`clean`, so control characters (a terminal escape in a
title) are shown, not obeyed.
"""

from __future__ import annotations

import functools
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence

from ..model.kb import Claim, Vocabulary
from ..model.lint import CODES, Finding
from ..model.proposal import Proposal
from ..model.results import Exploration, Package, RepairResult, Sensitivity, SubjectDiff, WhatIf
from ..model.verdicts import ALL, Completions, Conflict, Literal, Reason, Verdict, VerdictSpec
from ..model.verdicts import Finding as Remark

WIDTH = 88


def clean(text: object) -> str:
    """`text` with nothing in it a terminal would obey: a line break (``\\n``) or a tab as a space;
    a carriage return as ``\\r``; every other control, format, surrogate, private-use or unassigned
    character, and the line and paragraph separators U+2028 and U+2029, as an escape (ESC as
    ``\\x1b``, a bidirectional override as ``\\u202e``).  So a title can neither forge a line
    nor hide a character that is in the file."""
    text = str(text)
    if text.isprintable():  # no character of those categories (nor any separator but a space)
        return text
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(" ")
        elif ch == "\r":
            out.append("\\r")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\u2028\u2029":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def wrap(text: str, indent: str, hang: int = 0) -> str:
    """`text` filled to WIDTH columns after `indent` (later lines `hang` further in).  Remembered:
    a batch shows the same reasons and quotes for proposal after proposal, and textwrap was most
    of the time `check` spent rendering them."""
    return textwrap.fill(
        text, width=WIDTH, initial_indent=indent, subsequent_indent=indent + " " * hang, break_on_hyphens=False
    )


@functools.lru_cache(maxsize=4096)
def quoted(quote: str) -> str:
    """A quote in typographic double quotation marks; double marks inside it become single ones,
    as quotations within quotations are set (so a quote that opens with a quotation reads ‘…’).
    Remembered, as :func:`wrap` is: a batch cites the same claims again and again."""
    inner = clean(quote).replace("“", "‘").replace("”", "’")
    return f"“{inner}”"


def cite(basis: str, voc: Vocabulary, indent: str) -> list[str]:
    """The claim behind something, with its quote; or a non-claim basis in words."""
    claim = voc.claims.get(basis)
    if claim is None:
        return [f"{indent}({clean(voc.basis_text(basis))})"]
    return [_cited(basis, claim.quote, indent)]


@functools.lru_cache(maxsize=4096)
def _cited(basis: str, quote: str, indent: str) -> str:
    return wrap(f"[{basis}] {quoted(quote)}", indent)


@functools.lru_cache(maxsize=4096)
def _item(mark: str, text: str, holds: str, indent: str) -> str:
    """One reason, conflict or remark line, filled (remembered: a batch repeats them)."""
    return wrap(f"{mark} {clean(text)}{qualifier(holds)}", indent, 2)


def qualifier(holds: str) -> str:
    return "" if holds == ALL else " (in some completions)"


def _label_width(voc: Vocabulary) -> int:
    return max([len(s.label) for s in voc.registry] + [12]) + 2


def header(p: Proposal) -> list[str]:
    lines = [f"{clean(p.title)}  [{clean(p.id)}]"]
    if p.path:
        lines.append(f"  {clean(p.path)}")
    if p.open:
        narrowed = dict.fromkeys(p.open, "")
        for k, v in p.open_values:
            narrowed[k] = (narrowed[k] + ", " if narrowed[k] else "") + v
        shown = ", ".join(f"{k} ({v})" if v else k for k, v in narrowed.items())
        lines.append(wrap(f"open aspects: {shown} (every completion considered)", "  ", 2))
    return lines


def columns(rows: Sequence[Sequence[str]], indent: str = "  ", gap: int = 2) -> list[str]:
    """`rows` as aligned columns: each column as wide as its widest cell, then `gap` spaces, so no
    two cells ever run together however long they are; the last column is not padded."""
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(max(len(r) for r in rows))]
    return [
        (indent + "".join(c.ljust(widths[i] + gap) for i, c in enumerate(r[:-1])) + (r[-1] if r else "")).rstrip()
        for r in rows
    ]


def outcome_rows(v: Verdict, voc: Vocabulary, indent: str = "  ") -> list[str]:
    width = _label_width(voc)
    return [f"{indent}{o.spec.label:<{width}}{o.text()}" for o in v.outcomes]


def _words(items: Sequence[str], last: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def when_text(when: Sequence[Sequence[Literal]], voc: Vocabulary) -> str:
    """A disjunction of conjunctions over open components, in words ("exemptions includes taxis or vans")."""

    def part(key: str, present: bool, values: list[str]) -> str:
        if voc.components[key].arity != "many":
            return f"{key} is {_words(values, 'or')}"
        if present:
            return f"{key} includes {_words(values, 'and')}"
        return (
            f"{key} does not include {values[0]}"
            if len(values) == 1
            else f"{key} includes none of {_words(values, 'or')}"
        )

    singles = {(c[0][0], c[0][2]) for c in when if len(c) == 1}
    if len(singles) == 1 and all(len(c) == 1 for c in when):
        key, present = next(iter(singles))
        if present or voc.components[key].arity != "many":
            values = [c[0][1] for c in when]
            if voc.components[key].arity == "many":
                return f"{key} includes {_words(values, 'or')}"
            return part(key, present, values)
    clauses = []
    for conj in when:
        grouped: dict[tuple[str, bool], list[str]] = {}
        for key, value, present in conj:
            grouped.setdefault((key, present), []).append(value)
        clauses.append(" and ".join(part(k, p, vals) for (k, p), vals in grouped.items()))
    return "; or ".join(clauses)


#: What ``check`` and ``explain`` say when an open proposal has too many completions to describe.
BEYOND = (
    "Which completions give which verdict: not worked out, as the open aspects have more than {:,} "
    "completions (one for each combination of their values, and a list left open counts each subset "
    "of its values); settle some of them, or ask `argmap whatif` about one completion."
)


def completion_lines(completions: Sequence[Completions], voc: Vocabulary, beyond: int = 0) -> list[str]:
    """For an open proposal: which completions give which value of each verdict that varies
    (:attr:`Verdict.completions`, as ``check`` and ``explain`` show them), or, past `beyond`
    completions (:attr:`Verdict.completions_beyond`), that they were not worked out."""
    if beyond:
        return ["", wrap(BEYOND.format(beyond), "  ", 2)]
    if not completions:
        return []
    width = _label_width(voc)
    lines = ["", "  Which completions give which verdict:"]
    last = None
    for c in completions:
        spec = voc.registry[c.verdict]
        label = spec.label if c.verdict != last else ""
        last = c.verdict
        text = f"{spec.word(c.value)} when {when_text(c.when, voc)} ({c.count} of {c.total} completions)"
        lines.append(wrap(f"{label:<{width}}{clean(text)}", "    ", width))
    return lines


def reason_groups(v: Verdict, voc: Vocabulary) -> list[tuple[VerdictSpec, str, str, list[Reason]]]:
    """Reasons grouped by verdict and effect, in the registry's order: (spec, effect, heading, reasons).

    For a level verdict, reasons for a lower level than the one reached are
    headed as contributing, not as the cause.
    """
    out = []
    by_verdict: dict[str, dict[str, list[Reason]]] = {}
    for r in v.reasons:
        by_verdict.setdefault(r.verdict, {}).setdefault(r.effect, []).append(r)
    for spec in voc.registry:
        groups = by_verdict.get(spec.name)
        if not groups:
            continue
        if spec.kind == "bool":
            order = sorted(groups, key=lambda e: (not spec.bad_effect(e), e))
        elif spec.kind == "level":
            order = sorted(groups, key=lambda e: -spec.rank(e))
        else:
            order = sorted(groups, key=lambda e: (spec.rank(e), e))
        worst = v[spec.name].worst if spec.kind == "level" else None
        for effect in order:
            heading = spec.heading(effect).replace("{value}", spec.word(effect))
            if spec.kind == "level" and worst is not None and spec.rank(effect) < spec.rank(str(worst)):
                heading = f"Also contributing to {spec.label} ({spec.word(effect)})"
            out.append((spec, effect, heading, groups[effect]))
    return out


def verdict_text(v: Verdict, voc: Vocabulary) -> str:
    """One proposal's verdicts, with conflicts, reasons, roadmap, warnings and notes."""
    lines = header(v.proposal)
    lines += outcome_rows(v, voc)
    lines += completion_lines(v.completions, voc, v.completions_beyond)
    if v.conflicts:
        lines += ["", "  Conflicts:"]
        lines += conflict_lines(v.conflicts, voc, "    ")
    for spec, effect, heading, reasons in reason_groups(v, voc):
        lines += ["", f"  {clean(heading)}:"]
        mark = "-" if spec.bad_effect(effect) else "+"
        for r in reasons:
            lines.append(_item(mark, r.text, r.holds, "    "))
            lines += cite(r.basis, voc, "      ")
    if v.phases:
        lines += ["", "  Roadmap (headline verdicts are the final phase's):"]
        for n, pv in enumerate(v.phases, 1):
            ph = pv.phase
            timing = voc.timings.get(ph.timing)
            when = timing.describe(ph.offset) if timing else ph.timing
            lines.append(f"    {n}. {clean(ph.name)}  ({clean(when)})")
            lines.append(wrap(", ".join(f"{o.spec.label} {o.text()}" for o in pv.verdict.outcomes), "       ", 0))
    for title, items, mark in (("Warnings", v.warnings, "!"), ("Notes", v.notes, "+")):
        if items:
            lines += ["", f"  {title}:"]
            lines += remark_lines(items, voc, mark, "    ")
    return "\n".join(lines) + "\n"


def conflict_lines(conflicts: Iterable[Conflict], voc: Vocabulary, indent: str) -> list[str]:
    lines = []
    for c in conflicts:
        parts = ", ".join(f"{k}={val}" for k, val in c.components)
        lines.append(wrap(f"x {clean(c.text)} ({parts}){qualifier(c.holds)}", indent, 2))
        lines += cite(c.basis, voc, indent + "  ")
    return lines


def remark_lines(items: Iterable[Remark], voc: Vocabulary, mark: str, indent: str) -> list[str]:
    lines = []
    for w in items:
        which = f" [{clean(w.id)}]" if "(" in w.id else ""
        lines.append(wrap(f"{mark} {clean(w.text)}{which}{qualifier(w.holds)}", indent, 2))
        lines += cite(w.basis, voc, indent + "  ")
    return lines


def summary(passed: int, total: int, voc: Vocabulary) -> str:
    gates = [voc.registry[g].label for g in voc.registry.gates]
    what = " and ".join([", ".join(gates[:-1]), gates[-1]] if len(gates) > 1 else gates)
    return f"{passed} of {total} proposals {what}."


def claims_text(claims: Sequence[Claim]) -> str:
    lines = []
    for c in claims:
        lines.append(f"{c.id}  ({clean(c.kind)})")
        lines.append(wrap(clean(c.paraphrase), "  "))
        lines.append(wrap(quoted(c.quote), "  "))
        if c.source:
            lines.append(f"  source: {clean(c.source)}")
        for cav in c.caveats:
            lines.append(wrap(f"{clean(cav.kind).upper()}: {clean(cav.text)}", "  ", 2))
        if c.record_only:
            lines.append(wrap(f"RECORD ONLY: {clean(c.record_only)}", "  ", 2))
        lines.append("")
    lines.append(f"{len(claims)} claims.")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ what-if
def whatif_text(w: WhatIf, voc: Vocabulary) -> str:
    lines = [*header(w.before.proposal)[:1], "What if: " + "; ".join(clean(c) for c in w.changes), ""]
    flipped = {f.verdict for f in w.flips}
    rows = [["", "before", "after", ""]]
    for b, a in zip(w.before.outcomes, w.after.outcomes, strict=True):
        rows.append([b.spec.label, b.short(), a.short(), "<- flipped" if b.name in flipped else ""])
    lines += columns(rows)
    for f in w.flips:
        spec = voc.registry[f.verdict]
        lines += ["", f"  {spec.label}: {f.before} -> {f.after}"]
        for head, items, mark in (("no longer holds", f.gone, "-"), ("now holds", f.new, "+")):
            if items:
                lines.append(f"    {head}:")
                for r in items:
                    lines.append(wrap(f"{mark} {clean(r.text)}", "      ", 2))
                    lines += cite(r.basis, voc, "        ")
    for head, conflicts in (("conflicts gone", w.conflicts_gone), ("new conflicts", w.conflicts_new)):
        if conflicts:
            lines += ["", f"  {head}:"]
            lines += conflict_lines(conflicts, voc, "    ")
    if not w.flips:
        lines += ["", "  No verdict changes."]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ repair
def brief(v: Verdict) -> str:
    """The verdicts in one line: ``effective yes, cost low, gaps no, ...``."""
    return ", ".join(f"{o.spec.label} {o.short()}" for o in v.outcomes)


def repair_text(r: RepairResult, voc: Vocabulary) -> str:
    pins = f"; keeping {', '.join(r.keep)}" if r.keep else ""
    limit = f"; at most {r.max_changes} change{'' if r.max_changes == 1 else 's'}" if r.max_changes is not None else ""
    goals = " and ".join(str(g) for g in r.goals)
    lines = [*header(r.proposal)[:1], f"Goal: {goals}{pins}{limit}", ""]
    if not r.found:
        lines.append("  No repair reaches the goal.")
        if r.blocked_by:
            lines.append(f"  It is impossible because of: {', '.join(r.blocked_by)}.")
        else:
            lines.append("  No change to the proposal's components can reach it.")
        return "\n".join(lines) + "\n"
    first = r.repairs[0]
    lines.append(
        f"  {len(r.repairs)} optimal repair{'s' if len(r.repairs) > 1 else ''}, "
        f"each changing {first.components} component{'s' if first.components != 1 else ''} (cost {first.cost}):"
    )
    for n, x in enumerate(r.repairs, 1):
        lines.append("")
        for i, line in enumerate(x.described()):
            lines.append(f"  {str(n) + '.' if i == 0 else '':<4}{line}")
        if x.after:
            lines.append(wrap(f"then: {brief(x.after)}", "      ", 6))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ sensitivity
def sensitivity_text(s: Sensitivity, voc: Vocabulary) -> str:
    lines = header(s.proposal)[:1]
    for v in s.verdicts:
        spec = voc.registry[v.verdict]
        lines += ["", f"{spec.label}: {v.value}"]
        if not v.rests_on:
            lines.append("  rests on no claim")
            continue
        lines.append(
            f"  rests on {len(v.rests_on)} claim{'s' if len(v.rests_on) != 1 else ''}, "
            f"{len(v.pivotal)} pivotal (rejecting it alone changes the verdict):"
        )
        for r in v.rests_on:
            mark = "*" if r.pivotal else "-"
            flip = f"  (rejected: {spec.label} becomes {r.if_rejected})" if r.pivotal else ""
            lines.append(wrap(f"{mark} {r.claim}{flip}", "    ", 2))
            claim = voc.claims.get(r.claim)
            if claim:
                lines.append(wrap(quoted(claim.quote), "      "))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ diff
def diff_text(items: Sequence[SubjectDiff], voc: Vocabulary) -> str:
    """A summary table of what changed, then each change with why before and after."""
    from .explain import sentences

    if not items:
        return "No verdict changed.\n"
    counts: dict[tuple[str, str, str], int] = {}
    for d in items:
        for c in d.changes:
            counts[(c.verdict, c.before, c.after)] = counts.get((c.verdict, c.before, c.after), 0) + 1
    lines = ["Summary:"]
    for (verdict, before, after), n in sorted(counts.items()):
        spec = voc.registry.get(verdict)
        label = spec.label if spec else verdict
        lines.append(f"  {label}: {before} -> {after}  ({n} subject{'s' if n != 1 else ''})")
    errors = [d for d in items if d.error]
    if errors:
        lines.append(f"  could not be compared: {len(errors)}")
    lines.append("")
    for d in items:
        lines.append(clean(d.id))
        if d.error:
            lines.append(f"  {clean(d.error)}")
        for c in d.changes:
            spec = voc.registry.get(c.verdict)
            lines.append(f"  {spec.label if spec else c.verdict}: {c.before} -> {c.after}")
            for head, nodes in (("before", c.why_before), ("after", c.why_after)):
                if nodes:
                    lines.append(f"    {head}:")
                    for node in nodes:
                        lines.extend(sentences(node, "      ", top=True))
        lines.append("")
    changed = sum(1 for d in items if d.changes)
    lines.append(f"{changed} changed, {len(errors)} could not be compared.")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ explore
def package_text(space_choices: Iterable[str], p: Package) -> str:
    """A package as its choices (fixed settings left out)."""
    choices = set(space_choices)
    return ", ".join(f"{k}={v}" for k, v in p.settings if k in choices) or "(only the fixed settings)"


def explore_text(result: Exploration, voc: Vocabulary, choices: Iterable[str], why: str = "") -> str:
    choices = list(choices)
    at_least = "" if result.counts_exact else "at least "
    counted = "" if result.counts_exact else f" (counting stopped at {result.count_limit:,})"
    goals = " and ".join(voc.registry[g].label for g in result.goals)
    counts = "   ".join(
        f"{voc.registry[k].label if k in voc.registry else k}: {at_least}{n:,}" for k, n in result.counts.items()
    )
    size = f"{result.size:,} package{'' if result.size == 1 else 's'}"
    lines = [clean(result.title), f"  {clean(result.path)}: {size}", f"  {counts}{counted}", ""]
    if not result.cheapest:
        lines.append(f"No package in the space is {goals}.")
    else:
        count = len(result.cheapest)
        optima = f"{count} optim{'a' if count > 1 else 'um'}"
        if not result.optima_complete:
            optima = f"{optima} shown; --optima {result.optima_limit} stopped the search, there may be more"
        lines.append(f"Cheapest {goals} packages (cost {result.cheapest[0].cost}, {optima}):")
        for n, p in enumerate(result.cheapest, 1):
            lines.append(f"  {n}. " + package_text(choices, p))
    if result.axes:
        axes = ", ".join(voc.registry[a].label for a in result.axes)
        lines += ["", f"Pareto front over cost, {axes} ({goals} packages):"]
        for p in result.pareto:
            values = "  ".join(f"{voc.registry[v].label} {voc.registry[v].word(x)}" for v, x in p.values)
            lines.append(f"  cost {p.cost:>3}  {values}  e.g. " + package_text(choices, p.example))
    if result.examples:
        lines += ["", f"Examples of {goals} packages:"]
        for p in result.examples:
            lines.append(f"  cost {p.cost:>3}  " + package_text(choices, p))
    if why:
        lines += ["", "Why the first optimum meets the goals:", *("  " + line for line in why.split("\n"))]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ lint
def lint_text(findings: Sequence[Finding]) -> str:
    lines = []
    for f in findings:
        lines.append(f"{clean(f.file)}:{f.line}: {f.code} {clean(f.message)}")
        if f.diff:
            lines.extend("    " + clean(line) for line in f.diff.splitlines())
    errors = sum(1 for f in findings if f.severity == "error")
    lines.append(
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({errors} error{'s' if errors != 1 else ''})."
    )
    return "\n".join(lines) + "\n"


def lint_codes() -> str:
    return "\n".join(f"{code}  {sev:<7}  {what}" for code, (sev, what) in CODES.items()) + "\n"
