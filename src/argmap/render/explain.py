"""Presenting explanations: sentences (text), a tree, or JSON."""

from __future__ import annotations

from typing import Any

from ..model.explanation import Explanation, Node
from ..model.kb import Vocabulary
from .json import completions_json
from .text import clean, completion_lines, header, quoted, wrap

_MARK = {True: "✓", False: "✗"}


def explanation_json(ex: Explanation) -> dict[str, Any]:
    out = {
        "proposal": ex.proposal.id,
        "file": ex.proposal.path,
        "explanations": [
            {"question": item.label, "value": item.value, "tree": item.node.to_json()} for item in ex.items
        ],
        "conflicting_sets": [[{"key": k, "value": v} for k, v in s] for s in ex.conflict_sets],
    }
    if ex.proposal.open:  # an open proposal's completion groups, as check --format json gives them
        out["completions"] = completions_json(ex.completions)
        out["completions_beyond"] = ex.completions_beyond
    return out


def explanation_text(ex: Explanation, voc: Vocabulary | None = None) -> str:
    """The explanation as sentences; with `voc`, an open proposal's completion groups first."""
    lines = header(ex.proposal)
    if voc is not None:
        lines += completion_lines(ex.completions, voc, ex.completions_beyond)
    if ex.conflict_sets:
        lines += ["", "Minimal sets of components that cannot hold together:"]
        for s in ex.conflict_sets:
            lines.append("  - " + ", ".join(f"{k}={v}" for k, v in s))
    for item in ex.items:
        lines.append("")
        lines.append(f"{clean(item.label)}: {clean(item.value)}{_some(item.node)}")
        lines.extend(sentences(item.node, "  ", top=True))
    return "\n".join(lines) + "\n"


def _some(node: Node) -> str:
    return " (in some completions only)" if node.qualifier == "some" else ""


def sentences(node: Node, indent: str, *, top: bool = False, mark: str = "-") -> list[str]:
    """An explanation tree as indented sentences, each claim with its quote and each rule with file:line.

    A rule that could have derived what does not hold reads "[claim] does not apply; it would find
    that ...", with the claim's quote, then why it fails; what was taken apart earlier reads
    "(see above)"; the reasons that support a verdict's value follow its justification under
    their heading, each marked "+".
    """
    where = f"  ({node.rule})" if node.rule and node.kind in ("derived", "fact") else ""
    text = clean(node.text)
    above = " (see above)" if node.see_above else ""
    if node.kind == "claim":
        head = f"{mark} [{node.claim}] {quoted(node.quote)}" if node.holds and node.quote else f"{mark} {text}"
        return [wrap(head, indent, 2)]
    if node.kind == "rule":
        head = f"{mark} {text}"
        if node.would:
            head += f"; it would find that {clean(node.would)}"
        if node.claim:
            head += f"  ({node.rule})"
        out = [wrap(head + (":" if node.children else ""), indent, 2)]
        if node.quote:
            out.append(wrap(quoted(node.quote), indent + "  ", 1))
        for child in node.children:
            out += sentences(child, indent + "  ")
        return out
    if node.kind == "support":
        out = [wrap(f"{text}:", indent)]
        for child in node.children:
            out += sentences(child, indent + "  ", mark="+")
        return out
    children = [c for c in node.children if c.kind != "support"]
    support = [c for c in node.children if c.kind == "support"]
    if top:
        text = text[:1].upper() + text[1:]
        rules = [c for c in children if c.kind == "rule"]
        if not node.holds and len(rules) == 1 and not rules[0].claim:
            out = [wrap(f"{text}, because (by the rule at {rules[0].rule}):", indent, 2)]
            for child in rules[0].children:
                out += sentences(child, indent + "  ")
        else:
            out = [wrap(f"{text}{_some(node)}{where}{', because:' if children else '.'}", indent, 2)]
            for child in children:
                out += sentences(child, indent + "  ")
        for group in support:
            out += sentences(group, indent)
        return out
    out = [
        wrap(f"{mark} {text}{_some(node)}{where}{above}{':' if children and node.kind == 'absent' else ''}", indent, 2)
    ]
    for child in children:
        out += sentences(child, indent + "  ")
    for group in support:
        out += sentences(group, indent + "  ")
    return out


def explanation_tree(ex: Explanation) -> str:
    p = ex.proposal
    lines = [f"{clean(p.id)}  ({clean(p.path)})" if p.path else clean(p.id)]
    if ex.conflict_sets:
        lines += ["", "minimal conflicting sets:"]
        lines += ["  {" + ", ".join(f"{k}={v}" for k, v in s) + "}" for s in ex.conflict_sets]
    for item in ex.items:
        lines.append("")
        lines.append(f"{clean(item.label)}: {clean(item.value)}")
        lines.extend(_tree(item.node, "", ""))
    return "\n".join(lines) + "\n"


def _tree(node: Node, first: str, rest: str) -> list[str]:
    mark = _MARK[node.holds] if node.kind != "support" else "+"
    label = {"rule": f"[{node.claim}] rule" if node.claim else "rule", "support": clean(node.text)}.get(
        node.kind, clean(node.atom)
    )
    extra = []
    if node.rule:
        extra.append(node.rule)
    if node.would:
        extra.append(f"would find that {clean(node.would)}")
    if node.see_above:
        extra.append("see above")
    if node.claim:
        extra.append(f"claim {node.claim}: {quoted(node.quote)}" if node.quote else f"claim {node.claim}")
    if node.qualifier:
        extra.append(f"holds in {node.qualifier} completions")
    line = f"{first}{mark} {label}" + (f"  [{'; '.join(extra)}]" if extra else "")
    out = [line]
    for i, child in enumerate(node.children):
        last = i == len(node.children) - 1
        out += _tree(child, rest + ("└── " if last else "├── "), rest + ("    " if last else "│   "))
    return out
