"""Reading an answer back into a :class:`~argmap.model.verdicts.Verdict`, through the verdict registry.

Renderers never see clingo symbols: everything leaves here as plain text.

A knowledge base shows the same atoms again and again, and clingo symbols are
slow to take apart, so each shown atom is read once per registry into what it
stands for (a verdict's value, a prebuilt :class:`Reason` or :class:`Finding`
with its sort key, a conflict's arguments) and looked up after that.  The
objects handed out are frozen, so proposals share them.
"""

from __future__ import annotations

import weakref
from dataclasses import replace
from operator import itemgetter

import clingo

from ..asp.terms import text
from ..model.kb import Vocabulary
from ..model.proposal import Proposal, World
from ..model.verdicts import (
    ALL,
    FALSE,
    NONE,
    SOME,
    TRUE,
    Conflict,
    Finding,
    Outcome,
    Reason,
    Registry,
    Verdict,
    VerdictSpec,
)
from ..model.when import PLACEHOLDER, as_of_phrase, fill_as_of
from .control import Answer

# What a shown atom stands for (the first field of an entry).
_OTHER, _VALUE, _REASON, _WARNING, _NOTE, _CONFLICT, _INVOLVES = range(7)

#: The most atoms, and the most outcomes, one registry's cache keeps (a ground program shows finitely many).
_LIMIT = 200_000
#: The most filled variants (one per date phrase) kept for one text with ``{as_of|...}``.
_FILLED_LIMIT = 64

#: Rows (sort key, holds, entry) sort by their key, then ALL before SOME, as the atoms' arguments do.
_row_order = itemgetter(0, 1)


class _Entry:
    """One shown atom, read.

    ``kind`` is one of the ``_OTHER`` ... ``_INVOLVES`` constants.  ``key``
    sorts it among its kind exactly as the atom's arguments (then the reason
    order) sort it; ``item`` is the Reason or Finding holding in every
    completion (a conflict's or involves' argument texts, a verdict's value);
    ``specs`` the registry positions of the verdicts it is a value of;
    ``dated`` a bit for its kind when its text holds ``{as_of|...}`` (else 0),
    and ``undated`` the item as an undated judgement reads it.
    """

    __slots__ = ("dated", "filled", "item", "key", "kind", "some", "specs", "undated")

    def __init__(self, kind: int, key: object = None, item: object = None, specs: tuple[int, ...] = ()) -> None:
        self.kind = kind
        self.key = key
        self.item = item
        self.some: object = None
        self.specs = specs
        self.dated = 1 << kind if isinstance(item, Reason | Finding) and PLACEHOLDER in item.text else 0
        self.undated = _filled(item, None) if self.dated else item  # type: ignore[arg-type]
        self.filled: dict[tuple[str, str | None], object] = {}

    def holding(self, holds: str) -> object:
        """The item with `holds` (ALL or SOME)."""
        if holds == ALL:
            return self.item
        if self.some is None:
            self.some = replace(self.item, holds=holds)  # type: ignore[type-var]
        return self.some


class _Decoder:
    """The shown atoms of one registry's knowledge base, read once each."""

    def __init__(self, registry: Registry) -> None:
        self.specs: tuple[VerdictSpec, ...] = tuple(registry)
        # a name declared twice sorts at its last declaration and ranks by its first (as Registry.get finds it)
        self.position = {spec.name: i for i, spec in enumerate(self.specs)}
        self.first = {spec.name: spec for spec in reversed(self.specs)}
        self.signatures: dict[tuple[str, int], tuple[int, ...]] = {}
        for i, spec in enumerate(self.specs):
            sig = (spec.name, 0 if spec.kind == "bool" else 1)
            self.signatures[sig] = (*self.signatures.get(sig, ()), i)
        self.orders = [{v: i for i, v in enumerate(spec.values)} for spec in self.specs]
        self.entries: dict[clingo.Symbol, _Entry] = {}
        self.outcomes: dict[tuple[int, tuple[tuple[str, str], ...]], Outcome] = {}

    def entry(self, sym: clingo.Symbol) -> _Entry:
        found = self.entries.get(sym)
        if found is None:
            found = self._read(sym)
            if len(self.entries) < _LIMIT:
                self.entries[sym] = found
        return found

    def _read(self, sym: clingo.Symbol) -> _Entry:
        if sym.type != clingo.SymbolType.Function:
            return _Entry(_OTHER)
        name, args = sym.name, tuple(text(a) for a in sym.arguments)
        specs = self.signatures.get((name, len(args)))
        if specs is not None:
            value = args[0] if args else TRUE
            return _Entry(_VALUE, value, value, specs)
        if (name, len(args)) == ("reason", 4):
            return _Entry(_REASON, (*self._reason_order(*args), args[0]), Reason(*args, ALL))
        if (name, len(args)) in (("warning", 3), ("note", 3)):
            return _Entry(_WARNING if name == "warning" else _NOTE, args, Finding(*args, ALL))
        if (name, len(args)) == ("conflict", 3):
            return _Entry(_CONFLICT, args, args)
        if (name, len(args)) == ("involves", 3):
            return _Entry(_INVOLVES, args, args)
        return _Entry(_OTHER)

    def _reason_order(self, verdict: str, effect: str, basis: str, text: str) -> tuple[int, int, str, str, str]:
        """Reasons by verdict (declared order), then the worst effect first, then claim and text."""
        at = self.position.get(verdict)
        if at is None:
            return (len(self.position), 0, effect, basis, text)
        spec = self.first[verdict]
        if spec.kind == "bool":
            rank = 0 if spec.bad_effect(effect) else 1
        else:
            rank = -spec.rank(effect) if spec.kind == "level" else spec.rank(effect)
        return (at, rank, effect, basis, text)

    def outcome(self, at: int, values: tuple[tuple[str, str], ...]) -> Outcome:
        found = self.outcomes.get((at, values))
        if found is None:
            found = Outcome(self.specs[at], values)
            if len(self.outcomes) < _LIMIT:
                self.outcomes[(at, values)] = found
        return found


#: Each registry's decoder, by the registry's id (dropped when the registry is).
_DECODERS: dict[int, _Decoder] = {}


def _decoder(registry: Registry) -> _Decoder:
    found = _DECODERS.get(id(registry))
    if found is None:
        found = _DECODERS[id(registry)] = _Decoder(registry)
        weakref.finalize(registry, _DECODERS.pop, id(registry), None)
    return found


#: How a bool verdict's values read, by how its atom holds.
_BOOL_VALUES = {ALL: ((TRUE, ALL),), SOME: ((TRUE, SOME), (FALSE, SOME)), NONE: ((FALSE, ALL),)}


def decode(proposal: Proposal, answer: Answer, voc: Vocabulary, world: World | None = None) -> Verdict:
    """The verdicts, reasons, conflicts, warnings and notes that `answer` shows.

    Verdicts follow the registry's order, each level's or member's values as the
    verdict declares them; reasons by verdict, then the worst effect first,
    then basis and text; conflicts, warnings and notes by their arguments.
    With `world`, a text holding ``{as_of|WORDS}`` is filled for the date the
    proposal's stances are read as of (:mod:`argmap.model.when`): the item's
    ``text`` is the filled one and its ``template`` the knowledge base's.
    """
    dec = _decoder(voc.registry)
    entries, entry = dec.entries, dec.entry
    cautious = None if answer.cautious is answer.brave else answer.cautious
    found: dict[int, list[tuple[object, str]]] = {}
    reasons: list[tuple[object, str, _Entry]] = []
    warnings: list[tuple[object, str, _Entry]] = []
    notes: list[tuple[object, str, _Entry]] = []
    conflicts: list[tuple[tuple[str, ...], str]] = []
    involves: dict[str, set[tuple[str, str]]] = {}
    dated = 0  # a bit for each kind of item with a text to fill
    for sym in answer.brave:
        e = entries.get(sym) or entry(sym)
        kind = e.kind
        if kind == _OTHER:
            continue
        holds = ALL if cautious is None or sym in cautious else SOME
        if kind == _REASON:
            reasons.append((e.key, holds, e))
            dated |= e.dated
        elif kind == _VALUE:
            for at in e.specs:
                found.setdefault(at, []).append((e.key, holds))  # type: ignore[arg-type]
        elif kind == _WARNING:
            warnings.append((e.key, holds, e))
            dated |= e.dated
        elif kind == _NOTE:
            notes.append((e.key, holds, e))
            dated |= e.dated
        elif kind == _CONFLICT:
            conflicts.append((e.key, holds))  # type: ignore[arg-type]
        else:
            cid, key, value = e.key  # type: ignore[misc]
            involves.setdefault(cid, set()).add((key, value))
    outcomes = []
    for at, spec in enumerate(dec.specs):
        rows = found.get(at)
        if spec.kind == "bool":
            values = _BOOL_VALUES[min(rows)[1] if rows else NONE]
        elif not rows:
            values = ()
        elif len(rows) == 1:
            values = (rows[0],)  # type: ignore[assignment]
        else:
            # a value shown twice (an atom and its classical negation) keeps how its last atom holds
            rows.sort()
            order = dec.orders[at]
            values = tuple(sorted(dict(rows).items(), key=lambda row: (order.get(row[0], len(order)), row[0])))  # type: ignore
        outcomes.append(dec.outcome(at, values))
    if world is None:
        dated = 0
    elif any(PLACEHOLDER in why for (_, _, why), _ in conflicts):
        dated |= 1 << _CONFLICT
    phrase = as_of_phrase(proposal, world, max(voc.snapshots, default=None)) if dated else None  # type: ignore[arg-type]
    conflicts.sort()
    return Verdict(
        proposal=proposal,
        outcomes=tuple(outcomes),
        reasons=_items(reasons, dated & (1 << _REASON), phrase),
        conflicts=tuple(
            _filled(Conflict(cid, basis, why, tuple(sorted(involves.get(cid, ()))), h), phrase)
            if dated & (1 << _CONFLICT)
            else Conflict(cid, basis, why, tuple(sorted(involves.get(cid, ()))), h)
            for (cid, basis, why), h in conflicts
        ),
        warnings=_items(warnings, dated & (1 << _WARNING), phrase),
        notes=_items(notes, dated & (1 << _NOTE), phrase),
    )


def _items(rows: list[tuple[object, str, _Entry]], fill: int, phrase: str | None) -> tuple:  # type: ignore[type-arg]
    """The items of `rows` (sort key, holds, entry), sorted; with `fill`, ``{as_of|...}`` texts filled by `phrase`."""
    if len(rows) > 1:
        rows.sort(key=_row_order)
    if not fill:
        return tuple(e.item if h == ALL else e.holding(h) for _, h, e in rows)
    out = []
    for _, h, e in rows:
        if not e.dated:
            out.append(e.item if h == ALL else e.holding(h))
        elif phrase is None and h == ALL:
            out.append(e.undated)
        else:
            key = (h, phrase)
            filled = e.filled.get(key)
            if filled is None:
                filled = _filled(e.item if h == ALL else e.holding(h), phrase)  # type: ignore[arg-type]
                if len(e.filled) < _FILLED_LIMIT:
                    e.filled[key] = filled
            out.append(filled)
    return tuple(out)


def _filled(item: Reason | Conflict | Finding, phrase: str | None):  # type: ignore[no-untyped-def]
    """`item` with its text's ``{as_of|...}`` filled by `phrase` (None: by its own words), the template kept."""
    filled = fill_as_of(item.text, phrase)
    return item if filled == item.text else replace(item, text=filled, template=item.text)
