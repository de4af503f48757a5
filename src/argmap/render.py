"""Presenting verdicts and claims: text for people, JSON for programs.

Renderers take model objects only.  Output is deterministic: the same
verdicts give the same bytes.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from .model import ALL, NONE, SOME, Claim, Reason, Verdict

NON_CLAIMS = {"definition": "follows from the meaning of the terms", "user_assumption": "assumed by the user"}


def dumps(data: Any) -> str:
    """JSON as argmap writes it: UTF-8, two-space indent, newline at the end."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------ JSON
def _flag(holds: str) -> bool:
    return holds == ALL


def reason_json(r: Reason, claims: Mapping[str, Claim]) -> dict[str, Any]:
    claim = claims.get(r.basis)
    out: dict[str, Any] = {
        "verdict": r.verdict,
        "effect": r.effect,
        "claim": r.basis,
        "quote": claim.quote if claim else None,
        "text": r.text,
    }
    if r.actor:
        out["actor"] = r.actor
    if r.holds != ALL:
        out["holds"] = r.holds
    return out


def verdict_json(v: Verdict, claims: Mapping[str, Claim]) -> dict[str, Any]:
    p = v.proposal
    holds = {
        "consistent": v.consistent,
        "credible": v.credible,
        "feasible_now": v.feasible_now,
        "meets_precondition": v.precondition_met,
    }
    return {
        "proposal": p.id,
        "title": p.title,
        "file": p.path,
        "consistent": _flag(v.consistent),
        "conflicts": [
            {
                "id": c.id,
                "claim": c.basis,
                "quote": _quote(claims, c.basis),
                "text": c.text,
                "components": [{"key": k, "value": val} for k, val in c.components],
                **({"holds": c.holds} if c.holds != ALL else {}),
            }
            for c in v.conflicts
        ],
        "credible": _flag(v.credible),
        "reasons": [reason_json(r, claims) for r in v.reasons],
        "risk": v.risk[-1] if v.risk else None,
        "truncated": [
            {
                "model": t.model,
                "missing": [{"element": f, "claim": c, "quote": _quote(claims, c)} for f, c in t.missing],
                **({"holds": t.holds} if t.holds != ALL else {}),
            }
            for t in v.truncated
        ],
        "feasible_now": _flag(v.feasible_now),
        "meets_precondition": _flag(v.precondition_met),
        "warnings": [
            {
                "id": w.id,
                "claim": w.basis,
                "quote": _quote(claims, w.basis),
                "text": w.text,
                **({"holds": w.holds} if w.holds != ALL else {}),
            }
            for w in v.warnings
        ],
        "open": list(p.open),
        **({"phases": [_phase_json(pv, claims) for pv in v.phases]} if v.phases else {}),
        **(
            {
                "roadmap_warnings": [_warning_json(w, claims) for w in v.roadmap_warnings],
                "roadmap_notes": [_warning_json(w, claims) for w in v.roadmap_notes],
            }
            if v.phases
            else {}
        ),
        "holds": {**holds, "risk": list(v.risk)},
    }


def _warning_json(w: Any, claims: Mapping[str, Claim]) -> dict[str, Any]:
    return {"id": w.id, "claim": w.basis, "quote": _quote(claims, w.basis), "text": w.text}


def _phase_json(pv: Any, claims: Mapping[str, Claim]) -> dict[str, Any]:
    v, ph = pv.verdict, pv.phase
    return {
        "name": ph.name,
        "timing": ph.timing,
        "years_after_ceasefire": ph.years,
        "consistent": _flag(v.consistent),
        "credible": _flag(v.credible),
        "risk": v.risk[-1] if v.risk else None,
        "feasible_now": _flag(v.feasible_now),
        "truncated": [t.model for t in v.truncated],
        "components": [{"key": k, "value": val} for k, val in ph.settings],
    }


def _quote(claims: Mapping[str, Claim], cid: str) -> str | None:
    claim = claims.get(cid)
    return claim.quote if claim else None


def claim_json(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "paraphrase": c.paraphrase,
        "quote": c.quote,
        "quotes": list(c.quotes),
        "caveats": [{"kind": k.kind, "text": k.text} for k in c.caveats],
        "record_only": c.record_only,
    }


# ------------------------------------------------------------------ text
#: How a verdict that holds in all, some or no completions reads.
VERDICT_WORDS = _WORDS = {
    "consistent": {ALL: "yes", SOME: "in some completions", NONE: "no"},
    "credible": {ALL: "yes", SOME: "in some completions", NONE: "no"},
    "feasible_now": {ALL: "yes", SOME: "in some completions", NONE: "no"},
    "precondition": {ALL: "met", SOME: "met in some completions", NONE: "not met"},
}
#: The heading of each group of reasons, by (verdict, effect).
REASON_HEADINGS = _HEAD = {
    ("credible", "con"): "Against credibility",
    ("credible", "pro"): "For credibility",
    ("risk", "high"): "Risk of renewed war: high because",
    ("risk", "medium"): "Risk of renewed war: medium because",
    ("feasible_now", "con"): "Not feasible now because",
    ("precondition", "con"): "Precondition not met because",
    ("precondition", "pro"): "Precondition met because",
}


def _wrap(text: str, indent: str, hang: int = 0) -> str:
    return textwrap.fill(
        text, width=88, initial_indent=indent, subsequent_indent=indent + " " * hang, break_on_hyphens=False
    )


def _cite(basis: str, claims: Mapping[str, Claim], indent: str) -> list[str]:
    claim = claims.get(basis)
    if claim is None:
        return [f"{indent}({NON_CLAIMS.get(basis, basis)})"]
    return [_wrap(f"[{basis}] “{claim.quote}”", indent)]


def _qualifier(holds: str) -> str:
    return "" if holds == ALL else " (in some completions)"


def verdict_text(v: Verdict, claims: Mapping[str, Claim]) -> str:
    p = v.proposal
    lines = [f"{p.title}  [{p.id}]"]
    if p.path:
        lines.append(f"  {p.path}")
    if p.open:
        lines.append(f"  open aspects: {', '.join(p.open)} (every completion considered)")
    risk = " or ".join(v.risk) if len(v.risk) > 1 else (v.risk[0] if v.risk else "unknown")
    truncated = ", ".join(t.model + _qualifier(t.holds) for t in v.truncated) or "no"
    rows = [
        ("consistent", _WORDS["consistent"][v.consistent]),
        ("credible", _WORDS["credible"][v.credible]),
        ("risk", risk + (" (depends on open aspects)" if len(v.risk) > 1 else "")),
        ("feasible now", _WORDS["feasible_now"][v.feasible_now]),
        ("precondition", _WORDS["precondition"][v.precondition_met]),
        ("truncated", truncated),
    ]
    lines += [f"  {name:<13} {value}" for name, value in rows]
    if v.conflicts:
        lines += ["", "  Conflicts:"]
        for c in v.conflicts:
            parts = ", ".join(f"{k}={val}" for k, val in c.components)
            lines.append(_wrap(f"x {c.text} ({parts}){_qualifier(c.holds)}", "    ", 2))
            lines += _cite(c.basis, claims, "      ")
    groups: dict[tuple[str, str], list[Reason]] = {}
    for r in v.reasons:
        groups.setdefault((r.verdict, r.effect), []).append(r)
    for key, head in _HEAD.items():
        if key not in groups:
            continue
        lines += ["", f"  {head}:"]
        mark = "+" if key[1] == "pro" else "-"
        for r in groups[key]:
            actor = f"{r.actor}: " if r.actor else ""
            lines.append(_wrap(f"{mark} {actor}{r.text}{_qualifier(r.holds)}", "    ", 2))
            lines += _cite(r.basis, claims, "      ")
    for t in v.truncated:
        lines += ["", f"  Truncated version of the {t.model} model{_qualifier(t.holds)}; missing:"]
        for feature, basis in t.missing:
            lines.append(f"    - {feature}")
            lines += _cite(basis, claims, "      ")
    if v.phases:
        lines += ["", "  Roadmap (headline verdicts are the final phase's):"]
        for n, pv in enumerate(v.phases, 1):
            ph, pvv = pv.phase, pv.verdict
            when = (
                f"{ph.years} years after the ceasefire"
                if ph.timing == "after_ceasefire"
                else ph.timing.replace("_", " ")
            )
            lines.append(f"    {n}. {ph.name}  ({when})")
            words = {k: _WORDS[k] for k in ("consistent", "credible", "feasible_now")}
            lines.append(
                f"       consistent {words['consistent'][pvv.consistent]}, credible {words['credible'][pvv.credible]}, "
                f"risk {' or '.join(pvv.risk)}, feasible now {words['feasible_now'][pvv.feasible_now]}"
                + (f", truncated {', '.join(t.model for t in pvv.truncated)}" if pvv.truncated else "")
            )
        for head, items, mark in (
            ("Roadmap warnings", v.roadmap_warnings, "!"),
            ("Roadmap notes", v.roadmap_notes, "+"),
        ):
            if items:
                lines += ["", f"  {head}:"]
                for w in items:
                    lines.append(_wrap(f"{mark} {w.text} [{w.id}]", "    ", 2))
                    lines += _cite(w.basis, claims, "      ")
    if v.warnings:
        lines += ["", "  Warnings:"]
        for w in v.warnings:
            lines.append(_wrap(f"! {w.text}{_qualifier(w.holds)}", "    ", 2))
            lines += _cite(w.basis, claims, "      ")
    return "\n".join(lines) + "\n"


def verdicts_text(verdicts: Sequence[Verdict], claims: Mapping[str, Claim]) -> str:
    body = "\n".join(verdict_text(v, claims) for v in verdicts)
    ok = sum(1 for v in verdicts if v.ok)
    return body + f"\n{ok} of {len(verdicts)} proposals consistent and credible.\n"


def claims_text(claims: Sequence[Claim]) -> str:
    lines = []
    for c in claims:
        lines.append(f"{c.id}  ({c.kind})")
        lines.append(_wrap(c.paraphrase, "  "))
        lines.append(_wrap(f"“{c.quote}”", "  "))
        for cav in c.caveats:
            lines.append(_wrap(f"{cav.kind.upper()}: {cav.text}", "  ", 2))
        if c.record_only:
            lines.append(_wrap(f"RECORD ONLY: {c.record_only}", "  ", 2))
        lines.append("")
    lines.append(f"{len(claims)} claims.")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ what-if
def _yes(value: str) -> str:
    return {ALL: "yes", SOME: "some", NONE: "no"}.get(value, value)


def whatif_json(w: Any, claims: Mapping[str, Claim]) -> dict[str, Any]:
    from .whatif import FIELDS, value_of

    return {
        "proposal": w.before.proposal.id,
        "file": w.before.proposal.path,
        "changes": [str(c) for c in w.changes],
        "before": verdict_json(w.before, claims),
        "after": verdict_json(w.after, claims),
        "flips": [
            {
                "verdict": f.field,
                "before": _yes(f.before) if f.field != "risk" else f.before,
                "after": _yes(f.after) if f.field != "risk" else f.after,
                "gone": [reason_json(r, claims) for r in f.gone],
                "new": [reason_json(r, claims) for r in f.new],
            }
            for f in w.flips
        ],
        "unchanged": [name for name, _ in FIELDS if value_of(w.before, name) == value_of(w.after, name)],
    }


def whatif_text(w: Any, claims: Mapping[str, Claim]) -> str:
    from .whatif import FIELDS, value_of

    p = w.before.proposal
    lines = [f"{p.title}  [{p.id}]", "What if: " + "; ".join(str(c) for c in w.changes), ""]
    lines.append(f"  {'':<14}{'before':<12}{'after':<12}")
    flipped = {f.field for f in w.flips}
    for name, label in FIELDS:
        b, a = value_of(w.before, name), value_of(w.after, name)
        if name != "risk":
            b, a = _yes(b), _yes(a)
        lines.append(f"  {label:<14}{b:<12}{a:<12}{'<- flipped' if name in flipped else ''}".rstrip())
    for f in w.flips:
        label = dict(FIELDS)[f.field]
        lines += ["", f"  {label}: {_yes(f.before)} -> {_yes(f.after)}"]
        for head, items, mark in (("no longer holds", f.gone, "-"), ("now holds", f.new, "+")):
            if items:
                lines.append(f"    {head}:")
                for r in items:
                    actor = f"{r.actor}: " if r.actor else ""
                    lines.append(_wrap(f"{mark} {actor}{r.text}", "      ", 2))
                    lines += _cite(r.basis, claims, "        ")
    if not w.flips:
        lines += ["", "  No verdict changes."]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ repair
def repair_json(r: Any, claims: Mapping[str, Claim]) -> dict[str, Any]:
    return {
        "proposal": r.proposal.id,
        "file": r.proposal.path,
        "goal": r.goal,
        "keep": list(r.keep),
        "max_changes": r.max_changes,
        "found": r.found,
        "repairs": [
            {
                "components_changed": x.components,
                "cost": x.cost,
                "changes": [{"op": op, "key": k, "value": v} for op, k, v in x.changes],
                "after": verdict_json(x.after, claims) if x.after else None,
            }
            for x in r.repairs
        ],
        "blocked_by": list(r.blocked_by),
    }


def repair_text(r: Any, claims: Mapping[str, Claim]) -> str:
    p = r.proposal
    pins = f"; keeping {', '.join(r.keep)}" if r.keep else ""
    limit = f"; at most {r.max_changes} changes" if r.max_changes is not None else ""
    lines = [f"{p.title}  [{p.id}]", f"Goal: {r.goal}{pins}{limit}", ""]
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
            a = x.after
            lines.append(
                f"      then: consistent {_yes(a.consistent)}, credible {_yes(a.credible)}, "
                f"risk {' or '.join(a.risk)}, feasible now {_yes(a.feasible_now)}, "
                f"precondition {_yes(a.precondition_met)}"
            )
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ sensitivity
def sensitivity_json(s: Any, claims: Mapping[str, Claim]) -> dict[str, Any]:
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
                        "quote": _quote(claims, r.claim),
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


def sensitivity_text(s: Any, claims: Mapping[str, Claim]) -> str:
    p = s.proposal
    lines = [f"{p.title}  [{p.id}]"]
    names = {
        "consistent": "consistent",
        "credible": "credible",
        "feasible_now": "feasible now",
        "precondition_met": "precondition",
        "risk": "risk",
    }
    for v in s.verdicts:
        lines += ["", f"{names[v.verdict]}: {v.value}"]
        if not v.rests_on:
            lines.append("  rests on no claim of the article")
            continue
        lines.append(
            f"  rests on {len(v.rests_on)} claim{'s' if len(v.rests_on) != 1 else ''}, "
            f"{len(v.pivotal)} pivotal (rejecting it alone flips the verdict):"
        )
        for r in v.rests_on:
            mark = "*" if r.pivotal else "-"
            flip = f"  (rejected: {v.verdict.replace('_', ' ')} becomes {r.if_rejected})" if r.pivotal else ""
            lines.append(_wrap(f"{mark} {r.claim}{flip}", "    ", 2))
            claim = claims.get(r.claim)
            if claim:
                lines.append(_wrap(f"“{claim.quote}”", "      "))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ diff
def diff_json(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "subject": d.id,
            **({"error": d.error} if d.error else {}),
            "changes": [
                {
                    "verdict": c.field,
                    "before": c.before,
                    "after": c.after,
                    "why_before": c.why_before,
                    "why_after": c.why_after,
                }
                for c in d.changes
            ],
        }
        for d in items
    ]


def diff_text(items: Any) -> str:
    if not items:
        return "No verdict changed.\n"
    lines: list[str] = []
    for d in items:
        lines.append(d.id)
        if d.error:
            lines.append(f"  {d.error}")
        for c in d.changes:
            lines.append(f"  {c.field}: {c.before} -> {c.after}")
            for head, text in (("before", c.why_before), ("after", c.why_after)):
                if text:
                    lines.append(f"    {head}:")
                    lines.extend("      " + line for line in text.splitlines())
        lines.append("")
    changed = sum(1 for d in items if d.changes)
    lines.append(f"{changed} changed, {sum(1 for d in items if d.error)} could not be compared.")
    return "\n".join(lines) + "\n"
