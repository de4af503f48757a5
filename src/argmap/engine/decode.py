"""Reading an answer back into a :class:`~argmap.model.verdicts.Verdict`, through the verdict registry.

Renderers never see clingo symbols: everything leaves here as plain text.
"""

from __future__ import annotations

import clingo

from ..asp.terms import text
from ..model.kb import Vocabulary
from ..model.proposal import Proposal
from ..model.verdicts import ALL, FALSE, NONE, SOME, TRUE, Conflict, Finding, Outcome, Reason, Verdict
from .control import Answer

#: Shown atoms as plain Python (name, argument texts): clingo symbols are slow to
#: take apart, and a knowledge base shows the same atoms again and again.
_PLAIN: dict[clingo.Symbol, tuple[str, tuple[str, ...]]] = {}
_PLAIN_LIMIT = 200_000

Index = dict[tuple[str, int], list[tuple[tuple[str, ...], str]]]


def _plain(sym: clingo.Symbol) -> tuple[str, tuple[str, ...]]:
    found = _PLAIN.get(sym)
    if found is None:
        found = (sym.name, tuple(text(a) for a in sym.arguments))
        if len(_PLAIN) < _PLAIN_LIMIT:
            _PLAIN[sym] = found
    return found


def index(answer: Answer) -> Index:
    """The shown atoms by predicate, each with its arguments as text and how it holds, sorted."""
    out: Index = {}
    same = answer.cautious is answer.brave
    for sym in answer.brave:
        if sym.type != clingo.SymbolType.Function:
            continue
        name, args = _plain(sym)
        holds = ALL if same or sym in answer.cautious else SOME
        out.setdefault((name, len(args)), []).append((args, holds))
    for rows in out.values():
        rows.sort()
    return out


def decode(proposal: Proposal, answer: Answer, voc: Vocabulary) -> Verdict:
    """The verdicts, reasons, conflicts, warnings and notes that `answer` shows."""
    atoms = index(answer)

    def rows(name: str, arity: int) -> list[tuple[tuple[str, ...], str]]:
        return atoms.get((name, arity), [])

    outcomes = []
    for spec in voc.registry:
        if spec.kind == "bool":
            found = rows(spec.name, 0)
            holds = found[0][1] if found else NONE
            values = (
                ((TRUE, ALL),) if holds == ALL else ((TRUE, SOME), (FALSE, SOME)) if holds == SOME else ((FALSE, ALL),)
            )
        else:
            reached = {args[0]: h for args, h in rows(spec.name, 1)}
            order = {v: i for i, v in enumerate(spec.values)}
            values = tuple(sorted(reached.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
        outcomes.append(Outcome(spec, values))
    involves: dict[str, set[tuple[str, str]]] = {}
    for (cid, key, value), _ in rows("involves", 3):
        involves.setdefault(cid, set()).add((key, value))
    conflicts = tuple(
        Conflict(cid, basis, why, tuple(sorted(involves.get(cid, ()))), h)
        for (cid, basis, why), h in rows("conflict", 3)
    )
    reasons = [Reason(v, e, b, t, h) for (v, e, b, t), h in rows("reason", 4)]
    warnings = tuple(Finding(i, b, t, h) for (i, b, t), h in rows("warning", 3))
    notes = tuple(Finding(i, b, t, h) for (i, b, t), h in rows("note", 3))
    return Verdict(
        proposal=proposal,
        outcomes=tuple(outcomes),
        reasons=tuple(sorted(reasons, key=_order(voc))),
        conflicts=conflicts,
        warnings=warnings,
        notes=notes,
    )


def _order(voc: Vocabulary):  # type: ignore[no-untyped-def]
    """Reasons by verdict (declared order), then the worst effect first, then claim and text."""
    position = {spec.name: i for i, spec in enumerate(voc.registry)}

    def key(r: Reason) -> tuple[int, int, str, str, str]:
        spec = voc.registry.get(r.verdict)
        if spec is None:
            rank = 0
        elif spec.kind == "bool":
            rank = 0 if spec.bad_effect(r.effect) else 1
        else:
            rank = -spec.rank(r.effect) if spec.kind == "level" else spec.rank(r.effect)
        return (position.get(r.verdict, len(position)), rank, r.effect, r.basis, r.text)

    return key
