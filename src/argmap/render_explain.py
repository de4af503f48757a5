"""Presenting explanations: sentences (text), a tree, or JSON."""

from __future__ import annotations

from typing import Any

from .explain import Explanation, Node
from .render import _wrap

_MARK = {True: "✓", False: "✗"}


def explanation_json(ex: Explanation) -> dict[str, Any]:
    return {
        "proposal": ex.proposal.id,
        "file": ex.proposal.path,
        "explanations": [{"question": label, "tree": node.to_json()} for label, node in ex.items],
        "conflicting_sets": [[{"key": k, "value": v} for k, v in s] for s in ex.conflict_sets],
    }


def explanation_text(ex: Explanation) -> str:
    p = ex.proposal
    lines = [f"{p.title}  [{p.id}]"]
    if p.open:
        lines.append(f"  open aspects: {', '.join(p.open)} (every completion considered)")
    if ex.conflict_sets:
        lines += ["", "Minimal sets of components that cannot hold together:"]
        for s in ex.conflict_sets:
            lines.append("  - " + ", ".join(f"{k}={v}" for k, v in s))
    for label, node in ex.items:
        lines.append("")
        verdict = "yes" if node.holds else "no"
        if node.atom.startswith("risk(") and node.holds:
            label, verdict = "risk", node.atom[5:-1]
        lines.append(f"{label}: {verdict}{_some(node)}")
        lines.extend(_sentences(node, "  ", top=True))
    return "\n".join(lines) + "\n"


def _some(node: Node) -> str:
    return " (in some completions only)" if node.qualifier == "some" else ""


def _sentences(node: Node, indent: str, *, top: bool = False) -> list[str]:
    where = f"  ({node.rule})" if node.rule and node.kind in ("derived", "fact") else ""
    if node.kind == "claim":
        head = f"- [{node.claim}] “{node.quote}”" if node.holds else f"- {node.text}"
        return [_wrap(head, indent, 2)]
    if node.kind == "rule":
        out = [_wrap(f"- by the rule at {node.rule} it would hold, but:", indent, 2)]
        for child in node.children:
            out += _sentences(child, indent + "  ")
        return out
    children = node.children
    if top:
        text = node.text[0].upper() + node.text[1:]
        rules = [c for c in children if c.kind == "rule"]
        if not node.holds and len(rules) == 1:
            out = [_wrap(f"{text}, because (by the rule at {rules[0].rule}):", indent, 2)]
            for child in rules[0].children:
                out += _sentences(child, indent + "  ")
            return out
        out = [_wrap(f"{text}{_some(node)}{where}{', because:' if children else '.'}", indent, 2)]
        for child in children:
            out += _sentences(child, indent + "  ")
        return out
    out = [_wrap(f"- {node.text}{_some(node)}{where}", indent, 2)]
    for child in children:
        out += _sentences(child, indent + "  ")
    return out


def explanation_tree(ex: Explanation) -> str:
    p = ex.proposal
    lines = [f"{p.id}  ({p.path})" if p.path else p.id]
    if ex.conflict_sets:
        lines += ["", "minimal conflicting sets:"]
        lines += ["  {" + ", ".join(f"{k}={v}" for k, v in s) + "}" for s in ex.conflict_sets]
    for label, node in ex.items:
        lines.append("")
        lines.append(f"{label}:")
        lines.extend(_tree(node, "", ""))
    return "\n".join(lines) + "\n"


def _tree(node: Node, first: str, rest: str) -> list[str]:
    mark = _MARK[node.holds]
    label = node.atom if node.kind != "rule" else "rule"
    extra = []
    if node.rule:
        extra.append(node.rule)
    if node.claim:
        extra.append(f"claim {node.claim}: “{node.quote}”" if node.quote else f"claim {node.claim}")
    if node.qualifier:
        extra.append(f"holds in {node.qualifier} completions")
    line = f"{first}{mark} {label}" + (f"  [{'; '.join(extra)}]" if extra else "")
    out = [line]
    for i, child in enumerate(node.children):
        last = i == len(node.children) - 1
        out += _tree(child, rest + ("└── " if last else "├── "), rest + ("    " if last else "│   "))
    return out
