"""Verdicts as the knowledge base declares them, and the verdicts of one proposal.

A knowledge base declares each verdict in ASP (``verdict(Name, Kind, Label)``
and its companions, see ``docs/knowledge-base.md``); the engine reads the
declarations into one :class:`Registry`, and every command reads the registry:
nothing in Python names a verdict.

Kinds:

- ``bool``: the atom ``Name`` holds or not; its values are ``true`` and ``false``.
- ``level``: exactly one ``Name(Level)`` holds; levels are ranked, 1 the best.
- ``set``: any number of ``Name(Member)`` hold; the good value is no member.

For a proposal with open aspects a verdict may take several values, one per
completion; an :class:`Outcome` records each value reached and whether it is
reached in every completion (:data:`ALL`) or only some (:data:`SOME`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .proposal import Phase, Proposal, Setting

#: How something holds across the completions of a proposal's open aspects.
ALL, SOME, NONE = "all", "some", "none"

KINDS = ("bool", "level", "set")
TRUE, FALSE = "true", "false"


@dataclass(frozen=True)
class VerdictSpec:
    """One declared verdict.

    Attributes:
        name: the verdict's atom name (``effective``).
        kind: ``bool``, ``level`` or ``set``.
        label: how outputs name it (``cuts congestion``).
        values: every value it can take: ``("true", "false")``, the levels best
            first, or the members of a set verdict.
        good: the good values (bool: one of true/false; level: one or more
            levels; set: empty, meaning "no member").
        gate: whether ``argmap check`` requires it to be good.
        words: display words by value (and ``some``, ``none``).
        headings: reason-group headings by effect.
        doc: one sentence saying what the verdict means.
        where: ``file:line`` of the declaration.
    """

    name: str
    kind: str
    label: str
    values: tuple[str, ...] = ()
    good: tuple[str, ...] = ()
    gate: bool = True
    words: Mapping[str, str] = field(default_factory=dict)
    headings: Mapping[str, str] = field(default_factory=dict)
    doc: str = ""
    where: str = ""

    @property
    def effects(self) -> tuple[str, ...]:
        """The effects a reason for this verdict may have: pro/con, a level, or a member."""
        if self.kind == "bool":
            return ("pro", "con")
        return self.values

    def rank(self, value: str) -> int:
        """A level's rank (0 best); for bool and set, 0 for good and 1 for bad."""
        if self.kind == "level":
            return self.values.index(value) if value in self.values else len(self.values)
        return 0 if value in self.good else 1

    def word(self, value: str) -> str:
        """How one value reads: a bool's yes/no, a level, a member."""
        if value in self.words:
            return self.words[value]
        if self.kind == "bool":
            return {TRUE: "yes", FALSE: "no"}.get(value, value)
        return value

    def none_word(self) -> str:
        """How a set verdict with no member reads (``verdict_word(V, none, W)``; else ``no``)."""
        return self.words.get("none", "no")

    def some_word(self, short: bool = False) -> str:
        """How a bool verdict true in some completions only reads (``verdict_word(V, some, W)``)."""
        return self.words.get("some", "some" if short else "in some completions")

    def heading(self, effect: str) -> str:
        """The heading over the reasons with `effect` (``{value}`` in a declared heading is the effect's word)."""
        if effect in self.headings:
            return self.headings[effect].replace("{value}", self.word(effect))
        if self.kind == "bool":
            return f"For {self.label}" if effect == "pro" else f"Against {self.label}"
        return f"{self.label[:1].upper()}{self.label[1:]}: {self.word(effect)} because"

    def bad_effect(self, effect: str) -> bool:
        """Whether a reason with `effect` argues for a bad value (drawn as an objection)."""
        if self.kind == "bool":
            good_true = TRUE in self.good
            return (effect == "con") == good_true
        if self.kind == "level":
            return effect not in self.good
        return True


@dataclass(frozen=True)
class Registry:
    """Every verdict a knowledge base declares, in its order."""

    verdicts: tuple[VerdictSpec, ...] = ()

    def __iter__(self) -> Iterator[VerdictSpec]:
        return iter(self.verdicts)

    def __len__(self) -> int:
        return len(self.verdicts)

    def __contains__(self, name: object) -> bool:
        return any(v.name == name for v in self.verdicts)

    def __getitem__(self, name: str) -> VerdictSpec:
        for v in self.verdicts:
            if v.name == name:
                return v
        raise KeyError(name)

    def get(self, name: str) -> VerdictSpec | None:
        return next((v for v in self.verdicts if v.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.verdicts)

    @property
    def gates(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.verdicts if v.gate)

    def signatures(self) -> dict[tuple[str, int], VerdictSpec]:
        """The atom signature of each verdict: ``(name, 0)`` for bool, ``(name, 1)`` otherwise."""
        return {(v.name, 0 if v.kind == "bool" else 1): v for v in self.verdicts}


@dataclass(frozen=True)
class Outcome:
    """The values one verdict takes for one proposal.

    ``values`` holds each value reached, with ALL (every completion) or SOME;
    ordered as the verdict declares its values.  A proposal with nothing open
    has one value for a bool or level verdict, and its members for a set verdict.
    """

    spec: VerdictSpec
    values: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return self.spec.name

    def holds(self, value: str) -> str:
        """ALL, SOME or NONE: how `value` holds across completions."""
        for v, h in self.values:
            if v == value:
                return h
        return NONE

    @property
    def reached(self) -> tuple[str, ...]:
        """The values reached in some completion."""
        return tuple(v for v, _ in self.values)

    @property
    def truth(self) -> str:
        """For a bool verdict: how it holds (ALL, SOME or NONE)."""
        return self.holds(TRUE)

    @property
    def good(self) -> bool:
        """Good in every completion."""
        spec = self.spec
        if spec.kind == "set":
            return not self.values
        return all(v in spec.good for v in self.reached) and bool(self.values)

    @property
    def worst(self) -> str | list[str] | bool | None:
        """The value as a plain JSON value, read at the worst completion: a bool,
        the worst level reached, or the members reached (sorted)."""
        spec = self.spec
        if spec.kind == "bool":
            bad = FALSE if TRUE in spec.good else TRUE
            return (bad not in self.reached) == (TRUE in spec.good) if self.values else None
        if spec.kind == "level":
            return max(self.reached, key=spec.rank) if self.values else None
        return list(self.reached)

    def text(self) -> str:
        """How the outcome reads in a table: ``yes``, ``in some completions``, ``low or high``, ``no``."""
        spec = self.spec
        if spec.kind == "bool":
            holds = self.truth
            if holds == SOME:
                return spec.some_word()
            return spec.word(TRUE if holds == ALL else FALSE)
        if spec.kind == "level":
            if not self.values:
                return "unknown"
            words = " or ".join(spec.word(v) for v in self.reached)
            return words + (" (depends on open aspects)" if len(self.values) > 1 else "")
        if not self.values:
            return spec.none_word()
        return ", ".join(spec.word(v) + ("" if h == ALL else " (in some completions)") for v, h in self.values)

    def short(self) -> str:
        """A compact reading for tables of changes, in the verdict's own words (:meth:`VerdictSpec.word`)
        as :meth:`text` reads: yes/no/some, a level or levels, the members or no member."""
        spec = self.spec
        if spec.kind == "bool":
            holds = self.truth
            return spec.some_word(short=True) if holds == SOME else spec.word(TRUE if holds == ALL else FALSE)
        if spec.kind == "level":
            return " or ".join(spec.word(v) for v in self.reached) or "unknown"
        return ", ".join(spec.word(v) for v in self.reached) or spec.none_word()


@dataclass(frozen=True)
class Reason:
    """One ``reason(Verdict, Effect, Basis, Text)`` atom: a claim bearing on a verdict."""

    verdict: str
    effect: str
    basis: str  # a claim id, or a declared non-claim basis (definition, user_assumption, ...)
    text: str
    #: ALL when it holds in every completion of an open proposal, SOME otherwise.
    holds: str = ALL
    #: The text as the knowledge base's atom has it, when `text` filled a placeholder in it
    #: (``{as_of|...}``, :mod:`argmap.model.when`); None when the two are the same.
    template: str | None = None


@dataclass(frozen=True)
class Conflict:
    """One ``conflict(Id, Basis, Text)`` with the components it ``involves/3``."""

    id: str
    basis: str
    text: str
    components: tuple[Setting, ...]
    holds: str = ALL
    #: The text as the knowledge base's atom has it, when `text` filled a placeholder in it
    #: (``{as_of|...}``, :mod:`argmap.model.when`); None when the two are the same.
    template: str | None = None


@dataclass(frozen=True)
class Finding:
    """A ``warning/3`` or ``note/3``: something worth saying that changes no verdict."""

    id: str
    basis: str
    text: str
    holds: str = ALL
    #: The text as the knowledge base's atom has it, when `text` filled a placeholder in it
    #: (``{as_of|...}``, :mod:`argmap.model.when`); None when the two are the same.
    template: str | None = None


#: One condition on a completion: (component, value, present).  For a one-valued
#: component, ``(activation, automatic, True)`` reads "activation is automatic";
#: for a list, ``(exemptions, taxis, False)`` reads "exemptions does not include taxis".
Literal = tuple[str, str, bool]


@dataclass(frozen=True)
class Completions:
    """Which completions of an open proposal give one verdict one value.

    ``when`` is a disjunction of conjunctions of literals over the open
    aspects, exact over the completions clingo enumerated: a completion gives
    ``value`` if and only if it satisfies some conjunction.  ``count`` is how
    many completions give it, of ``total``.
    """

    verdict: str
    value: str
    when: tuple[tuple[Literal, ...], ...]
    count: int
    total: int


@dataclass(frozen=True)
class Verdict:
    """The verdicts of one proposal, with everything the knowledge base says about it.

    ``outcomes`` follows the registry's order.  For a roadmap, the outcomes are
    those of its final phase judged with the whole roadmap, and ``phases`` holds
    each phase judged on its own.
    """

    proposal: Proposal
    outcomes: tuple[Outcome, ...]
    reasons: tuple[Reason, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    warnings: tuple[Finding, ...] = ()
    notes: tuple[Finding, ...] = ()
    phases: tuple[PhaseVerdict, ...] = ()
    #: For an open proposal: which completions give which value, for each verdict that varies.
    completions: tuple[Completions, ...] = ()
    #: For an open proposal with more completions than this: which give which value was not worked
    #: out (``completions`` is empty; 0 when it was, or nothing is open).
    completions_beyond: int = 0

    def __getitem__(self, name: str) -> Outcome:
        for o in self.outcomes:
            if o.name == name:
                return o
        raise KeyError(name)

    def get(self, name: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.name == name), None)

    @property
    def ok(self) -> bool:
        """Every gate verdict good in every completion."""
        return all(o.good for o in self.outcomes if o.spec.gate)

    def reasons_for(self, verdict: str) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.verdict == verdict)


@dataclass(frozen=True)
class PhaseVerdict:
    """One phase of a roadmap, judged on its own."""

    phase: Phase
    verdict: Verdict
