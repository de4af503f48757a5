"""What a knowledge base declares, as plain data: claims, vocabulary, verdicts, parts.

The engine reads these from the ground program's facts once; input readers
(:mod:`argmap.io`), analyses and renderers read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .verdicts import Registry

#: The parts a knowledge base may leave out, and what defines each (docs/knowledge-base.md).
PARTS = {
    "stances": "actor/1, position/2 and dated stance/5 facts",
    "roadmap": "roadmap_timing/2 facts (and roadmap_offset/3 for timings with a number)",
    "conflicts": "conflict/3 and involves/3",
    "costs": "cost/3 facts",
}


@dataclass(frozen=True)
class Caveat:
    kind: str
    text: str


@dataclass(frozen=True)
class Claim:
    """A claim of a source text.

    ``quotes`` are the verbatim passages that make it, in the knowledge base's
    order; ``source`` names the source text when a knowledge base quotes more
    than one; ``record_only`` says why no rule reasons from it, when none does.
    """

    id: str
    kind: str
    paraphrase: str
    quotes: tuple[str, ...]
    caveats: tuple[Caveat, ...] = ()
    record_only: str | None = None
    source: str | None = None

    @property
    def quote(self) -> str:
        """The quotes as one text, passages joined by an ellipsis."""
        return " … ".join(self.quotes)


@dataclass(frozen=True)
class Component:
    """A proposal component: ``arity`` is one, many or flag."""

    key: str
    arity: str
    doc: str
    values: tuple[str, ...]
    value_docs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Timing:
    """A roadmap timing: its rank in time, how it reads, and the unit and bound of its number."""

    name: str
    rank: int
    doc: str = ""
    unit: str | None = None
    max_offset: int = 0

    def describe(self, offset: int) -> str:
        if self.doc:
            return self.doc.replace("{offset}", str(offset))
        if self.unit:
            return f"{self.name.replace('_', ' ')} + {offset} {self.unit}"
        return self.name.replace("_", " ")


@dataclass
class Vocabulary:
    """Everything a knowledge base declares that is not a rule.

    Attributes:
        components: the proposal vocabulary, by key.
        claims: every claim, by id.
        registry: the declared verdicts.
        bases: non-claim bases of reasons (``definition``) with their text.
        labels: words for constants (``label/2``).
        actors, positions, snapshots: the stances part (empty when absent).
        timings: the roadmap part (empty when absent).
        sources: citations by source id (``source_text/2``).
        parts: the optional parts present (keys of :data:`PARTS`).
    """

    components: dict[str, Component] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    registry: Registry = field(default_factory=Registry)
    bases: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    actors: tuple[str, ...] = ()
    positions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    snapshots: tuple[int, ...] = ()
    timings: dict[str, Timing] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    parts: frozenset[str] = frozenset()

    def basis_text(self, basis: str) -> str:
        """How a non-claim basis reads."""
        return self.bases.get(basis, basis.replace("_", " "))
