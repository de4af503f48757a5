"""Presenting results as JSON for programs.

The shapes are documented in the README ("JSON output").  Every verdict is
keyed by the name the knowledge base declares; for a proposal with open
aspects, ``verdicts`` gives the value at the worst completion, ``holds``
every value reached, with ``all`` or ``some``, and ``completions`` which
completions give each value that varies.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..model.errors import named
from ..model.explanation import Node
from ..model.kb import Claim, Vocabulary
from ..model.lint import Finding
from ..model.proposal import Proposal, day
from ..model.results import Exploration, Package, RepairResult, Sensitivity, SubjectDiff, WhatIf
from ..model.verdicts import ALL, Completions, Conflict, Outcome, Reason, Verdict
from ..model.verdicts import Finding as Remark


def dumps(data: Any) -> str:
    """JSON as argmap writes it: UTF-8, two-space indent, newline at the end."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def line(data: Any) -> str:
    """One JSON Lines record."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _quote(voc: Vocabulary, basis: str) -> str | None:
    claim = voc.claims.get(basis)
    return claim.quote if claim else None


def reason_json(r: Reason, voc: Vocabulary) -> dict[str, Any]:
    out: dict[str, Any] = {
        "verdict": r.verdict,
        "effect": r.effect,
        "claim": r.basis,
        "quote": _quote(voc, r.basis),
        "text": r.text,
    }
    if r.holds != ALL:
        out["holds"] = r.holds
    return out


def conflict_json(c: Conflict, voc: Vocabulary) -> dict[str, Any]:
    return {
        "id": c.id,
        "claim": c.basis,
        "quote": _quote(voc, c.basis),
        "text": c.text,
        "components": [{"key": k, "value": val} for k, val in c.components],
        **({"holds": c.holds} if c.holds != ALL else {}),
    }


def remark_json(w: Remark, voc: Vocabulary) -> dict[str, Any]:
    return {
        "id": w.id,
        "claim": w.basis,
        "quote": _quote(voc, w.basis),
        "text": w.text,
        **({"holds": w.holds} if w.holds != ALL else {}),
    }


def holds_json(o: Outcome) -> Any:
    """How a verdict holds across completions: bool -> all|some|none; otherwise {value: all|some}."""
    if o.spec.kind == "bool":
        return o.truth
    return {value: holds for value, holds in o.values}


def verdict_json(v: Verdict, voc: Vocabulary) -> dict[str, Any]:
    p = v.proposal
    out: dict[str, Any] = {
        "proposal": p.id,
        "title": p.title,
        "file": p.path,
        "passed": v.ok,
        "verdicts": {o.name: o.worst for o in v.outcomes},
        "holds": {o.name: holds_json(o) for o in v.outcomes},
        "reasons": [reason_json(r, voc) for r in v.reasons],
        "conflicts": [conflict_json(c, voc) for c in v.conflicts],
        "warnings": [remark_json(w, voc) for w in v.warnings],
        "notes": [remark_json(n, voc) for n in v.notes],
        "open": list(p.open),
    }
    if p.open_values:
        out["open_values"] = [{"key": k, "value": val} for k, val in p.open_values]
    if p.open:
        out["completions"] = completions_json(v.completions)
        out["completions_beyond"] = v.completions_beyond
    if p.date is not None:
        out.update(date_json(p))
    if v.phases:
        out["phases"] = [
            {
                "name": pv.phase.name,
                "timing": pv.phase.timing,
                "offset": pv.phase.offset,
                "verdicts": {o.name: o.worst for o in pv.verdict.outcomes},
                "components": [{"key": k, "value": val} for k, val in pv.phase.settings],
            }
            for pv in v.phases
        ]
    return out


def date_json(p: Proposal) -> dict[str, str]:
    """A dated proposal's dates: ``date``, the day it gives (ISO 8601, ``2024-06-13``), and
    ``stance_record``, the recorded stance date it is judged against (the latest on or before
    that day) as the knowledge base records it: ``2024-06-13``, ``2024-06`` (a month) or ``2024``
    (a year).  Empty for an undated proposal."""
    if p.date is None:
        return {}
    asked = p.date_asked if p.date_asked is not None else p.date
    return {"date": day(asked), "stance_record": day(p.date)}


def claim_json(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "paraphrase": c.paraphrase,
        "quote": c.quote,
        "quotes": list(c.quotes),
        "caveats": [{"kind": k.kind, "text": k.text} for k in c.caveats],
        "record_only": c.record_only,
        "source": c.source,
    }


def whatif_json(w: WhatIf, voc: Vocabulary) -> dict[str, Any]:
    return {
        "proposal": w.before.proposal.id,
        "file": w.before.proposal.path,
        "changes": [str(c) for c in w.changes],
        "before": verdict_json(w.before, voc),
        "after": verdict_json(w.after, voc),
        "flips": [
            {
                "verdict": f.verdict,
                "before": f.before,
                "after": f.after,
                "gone": [reason_json(r, voc) for r in f.gone],
                "new": [reason_json(r, voc) for r in f.new],
            }
            for f in w.flips
        ],
        "conflicts_gone": [conflict_json(c, voc) for c in w.conflicts_gone],
        "conflicts_new": [conflict_json(c, voc) for c in w.conflicts_new],
        "unchanged": [o.name for o in w.before.outcomes if o.name not in {f.verdict for f in w.flips}],
    }


def repair_json(r: RepairResult, voc: Vocabulary) -> dict[str, Any]:
    return {
        "proposal": r.proposal.id,
        "file": r.proposal.path,
        "goals": [str(g) for g in r.goals],
        "keep": list(r.keep),
        "max_changes": r.max_changes,
        "found": r.found,
        "repairs": [
            {
                "components_changed": x.components,
                "cost": x.cost,
                "changes": [{"op": op, "key": k, "value": v} for op, k, v in x.changes],
                "after": verdict_json(x.after, voc) if x.after else None,
            }
            for x in r.repairs
        ],
        "blocked_by": list(r.blocked_by),
    }


def sensitivity_json(s: Sensitivity, voc: Vocabulary) -> dict[str, Any]:
    return {
        "proposal": s.proposal.id,
        "file": s.proposal.path,
        "verdicts": [
            {
                "verdict": v.verdict,
                "value": v.value,
                "rests_on": [
                    {
                        "claim": r.claim,
                        "quote": _quote(voc, r.claim),
                        "pivotal": r.pivotal,
                        "if_rejected": r.if_rejected,
                    }
                    for r in v.rests_on
                ],
                "pivotal": list(v.pivotal),
            }
            for v in s.verdicts
        ],
    }


def diff_json(items: list[SubjectDiff]) -> list[dict[str, Any]]:
    return [
        {
            "subject": d.id,
            **({"error": d.error} if d.error else {}),
            "changes": [
                {
                    "verdict": c.verdict,
                    "before": c.before,
                    "after": c.after,
                    "why_before": [n.to_json() for n in c.why_before],
                    "why_after": [n.to_json() for n in c.why_after],
                }
                for c in d.changes
            ],
        }
        for d in items
    ]


def package_json(p: Package) -> dict[str, Any]:
    grouped: dict[str, list[str]] = {}
    for k, v in p.settings:
        grouped.setdefault(k, []).append(v)
    return {"cost": p.cost, "package": {k: (v if len(v) > 1 else v[0]) for k, v in grouped.items()}}


def explore_json(result: Exploration) -> dict[str, Any]:
    return {
        "space": result.path,
        "title": result.title,
        "size": result.size,
        "goals": list(result.goals),
        "axes": list(result.axes),
        "counts": dict(result.counts),
        "counts_exact": result.counts_exact,
        "count_limit": result.count_limit,
        "cheapest": [package_json(p) for p in result.cheapest],
        "optima_complete": result.optima_complete,
        "optima_limit": result.optima_limit,
        "pareto": [{**package_json(p.example), "values": dict(p.values)} for p in result.pareto],
        "examples": [package_json(p) for p in result.examples],
    }


def lint_json(findings: list[Finding]) -> list[dict[str, Any]]:
    out = []
    for f in findings:
        item: dict[str, Any] = {
            "file": named(f.file),
            "line": f.line,
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
        }
        if f.closest:
            item["closest"] = f.closest
            item["diff"] = f.diff
        out.append(item)
    return out


def node_json(node: Node) -> dict[str, object]:
    return node.to_json()


def completions_json(completions: Sequence[Completions]) -> list[dict[str, Any]]:
    """An open proposal's completion groups: ``[{verdict, value, when: [[{key, value, present}]], count, total}]``,
    ``when`` a disjunction of conjunctions over the open aspects."""
    return [
        {
            "verdict": c.verdict,
            "value": c.value,
            "when": [[{"key": k, "value": x, "present": present} for k, x, present in conj] for conj in c.when],
            "count": c.count,
            "total": c.total,
        }
        for c in completions
    ]
