"""Explanations: trees of justifications (why an atom holds) and of failures (why it does not)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .proposal import Proposal, Setting
from .verdicts import Completions


@dataclass
class Node:
    """One step of an explanation.

    ``kind`` is derived, fact, input, claim, absent, blocked, rule, failure,
    support or cut; ``rule`` the ``file:line`` of the rule or fact; ``qualifier``
    "some" where the atom holds in only some completions of an open proposal.

    - an ``absent`` node (``not p`` holds) has as children the rules that could
      derive ``p``, each a ``rule`` node saying why it does not apply;
    - a ``rule`` node carries its claim and quote, and ``would``: what the rule
      would have established, in words;
    - a ``support`` node groups the reasons for the value a verdict takes, under
      the heading ``check`` gives them (its ``text``);
    - ``see_above`` marks an atom already taken apart earlier in the same
      explanation (its children are not repeated).
    """

    atom: str
    holds: bool
    text: str
    kind: str
    rule: str | None = None
    claim: str | None = None
    quote: str | None = None
    qualifier: str | None = None
    children: list[Node] = field(default_factory=list)
    would: str | None = None
    see_above: bool = False

    def claims(self) -> set[str]:
        """Every claim the justification uses: not the claims of rules that do not apply, nor what
        stands under a ``not`` (the rules that fail there) or a ``support`` group."""
        if self.kind in ("absent", "support"):
            return set()
        found = {self.claim} if self.claim and self.kind != "rule" else set()
        for child in self.children:
            found |= child.claims()
        return found

    def rules(self) -> set[str]:
        found = {self.rule} if self.rule else set()
        for child in self.children:
            found |= child.rules()
        return found

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"atom": self.atom, "holds": self.holds, "kind": self.kind, "text": self.text}
        if self.rule:
            out["rule"] = self.rule
        if self.claim:
            out["claim"] = self.claim
            out["quote"] = self.quote
        if self.qualifier:
            out["holds_in"] = self.qualifier
        if self.would:
            out["would"] = self.would
        if self.see_above:
            out["see_above"] = True
        if self.children:
            out["children"] = [c.to_json() for c in self.children]
        return out


@dataclass(frozen=True)
class Item:
    """One question answered: ``label`` (a verdict's label, or the atom asked about), its
    value as words, and the tree."""

    label: str
    value: str
    node: Node


@dataclass
class Explanation:
    """The explanations asked for one proposal."""

    proposal: Proposal
    items: list[Item]
    #: For a proposal with conflicts: every minimal set of its settings that conflict.
    conflict_sets: list[tuple[Setting, ...]] = field(default_factory=list)
    #: For an open proposal: which completions give which value of each verdict that varies
    #: (the same as ``check`` reports, from the same judgement).
    completions: tuple[Completions, ...] = ()
    #: As :attr:`Verdict.completions_beyond`: more completions than this, so none are described.
    completions_beyond: int = 0
