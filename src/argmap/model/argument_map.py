"""The argument map as plain data: claims and conclusions, with support and attack.

:func:`argmap.analysis.argument_map.argument_map` computes a map from the rules
of a knowledge base; :mod:`argmap.render.graph` draws it.  The groups a map is
drawn in, and their titles, travel with the map (from the verdict registry),
so a renderer needs nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from .proposal import Proposal
from .verdicts import Registry

#: The groups every map has besides one per declared verdict: (id, title).
_CLAIMS = ("claims", "Claims")
_TRAILING = (("conflicts", "Conflicts"), ("warnings", "Warnings"), ("notes", "Notes"), ("other", "Other conclusions"))


@dataclass(frozen=True)
class MapNode:
    """A claim, a verdict, or a conclusion that carries a reason.

    Attributes:
        id: unique within the map, letters, digits and ``_`` only.
        kind: ``claim``, ``verdict`` or ``reason``.
        group: the id of the group it is drawn in.
        label: its words: a claim's paraphrase, a reason's text, a verdict's sentence.
        atom: the atom (a pattern when it has variables) or, for a claim, its id.
        rules: where it comes from (``file:line`` of its rules; none for a claim).
        claim: for a claim node, the claim's id.
        quote: for a claim node, its verbatim quote.
        holds: on a proposal's map: ``all``, ``some`` or ``none`` (None on the static map).
        defeated: on a proposal's map: it does not hold because a defeater held.
    """

    id: str
    kind: str
    group: str
    label: str
    atom: str
    rules: tuple[str, ...] = ()
    claim: str | None = None
    quote: str | None = None
    holds: str | None = None
    defeated: bool = False


@dataclass(frozen=True)
class MapEdge:
    """`source` supports or attacks `target`, by the rules at `rules`.

    ``fired`` (on a proposal's map): a support that a firing used, or an
    attack that blocked its target; None on the static map.
    """

    source: str
    target: str
    kind: str  # support | attack
    rules: tuple[str, ...]
    fired: bool | None = None


@dataclass(frozen=True)
class ArgumentMap:
    """Nodes and edges in drawing order; `groups` every group (id, title) in drawing order."""

    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    groups: tuple[tuple[str, str], ...]
    #: The proposal the map is marked for, if any.
    proposal: Proposal | None = None
    #: How the map was narrowed, in words (``focus: effective``, ``depth 2``, ``what fired``); empty for the whole map.
    view: tuple[str, ...] = ()

    def node(self, node_id: str) -> MapNode:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    @property
    def drawn(self) -> tuple[tuple[str, str], ...]:
        """The groups that have nodes (id, title), in drawing order."""
        present = {n.group for n in self.nodes}
        return tuple(g for g in self.groups if g[0] in present)


def groups(registry: Registry) -> tuple[tuple[str, str], ...]:
    """The groups of a map for a knowledge base's verdicts: claims, one per verdict, then the rest."""
    return (_CLAIMS, *((verdict_group(v.name), _capital(v.label)) for v in registry), *_TRAILING)


def verdict_group(name: str) -> str:
    """The group id of a declared verdict: its name (prefixed if it would clash with a fixed group)."""
    fixed = {_CLAIMS[0], *(g for g, _ in _TRAILING)}
    return f"verdict_{name}" if name in fixed else name


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
