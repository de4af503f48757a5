"""Plain data the user sees: claims, proposals, verdicts.

Nothing here knows about clingo; the engine converts symbols into these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: A component setting: (key, value), both identifiers.
Setting = tuple[str, str]


@dataclass(frozen=True)
class Caveat:
    kind: str
    text: str


@dataclass(frozen=True)
class Claim:
    id: str
    kind: str
    paraphrase: str
    #: The verbatim passages that make the claim, in the order the knowledge base gives them.
    quotes: tuple[str, ...]
    caveats: tuple[Caveat, ...] = ()
    #: Why no rule reasons from this claim, when none does (it cannot be exercised).
    record_only: str | None = None

    @property
    def quote(self) -> str:
        """The quotes as one text, passages joined by an ellipsis."""
        return " … ".join(self.quotes)


@dataclass(frozen=True)
class Component:
    key: str
    arity: str  # one | many | flag
    doc: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Phase:
    """One stage of a roadmap, with the settings in force during it (cumulative)."""

    name: str
    timing: str  # before_ceasefire | at_ceasefire | after_ceasefire
    years: int  # after the ceasefire (0 unless timing is after_ceasefire)
    settings: tuple[Setting, ...]


@dataclass(frozen=True)
class Proposal:
    """A proposal; for a roadmap, `settings` are those of its final phase."""

    id: str
    title: str
    source: str
    settings: tuple[Setting, ...]
    open: tuple[str, ...] = ()
    notes: str | None = None
    path: str | None = None
    phases: tuple[Phase, ...] = ()

    def values(self, key: str) -> tuple[str, ...]:
        return tuple(v for k, v in self.settings if k == key)


@dataclass(frozen=True)
class Reason:
    """One claim bearing on one verdict."""

    verdict: str  # credible | precondition | risk | feasible_now
    effect: str  # pro | con | high | medium
    basis: str  # a claim id, or definition / user_assumption
    text: str
    actor: str | None = None
    #: "all" when it holds in every completion of an open proposal, "some" otherwise.
    holds: str = "all"


@dataclass(frozen=True)
class Conflict:
    id: str
    basis: str
    text: str
    components: tuple[Setting, ...]
    holds: str = "all"


@dataclass(frozen=True)
class Truncation:
    model: str
    missing: tuple[tuple[str, str], ...]  # (feature, claim id)
    holds: str = "all"


@dataclass(frozen=True)
class Warning:
    id: str
    basis: str
    text: str
    holds: str = "all"


#: How a verdict holds across the completions of a proposal's open aspects.
ALL, SOME, NONE = "all", "some", "none"


@dataclass(frozen=True)
class Verdict:
    proposal: Proposal
    consistent: str
    credible: str
    feasible_now: str
    precondition_met: str
    risk: tuple[str, ...]  # the levels reached; one unless aspects are open
    conflicts: tuple[Conflict, ...] = ()
    reasons: tuple[Reason, ...] = ()
    truncated: tuple[Truncation, ...] = ()
    warnings: tuple[Warning, ...] = ()
    #: For a roadmap: each phase judged on its own, and the roadmap's own findings.
    phases: tuple[PhaseVerdict, ...] = ()
    roadmap_warnings: tuple[Warning, ...] = ()
    roadmap_notes: tuple[Warning, ...] = ()
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Consistent and credible in every completion."""
        return self.consistent == ALL and self.credible == ALL


@dataclass(frozen=True)
class PhaseVerdict:
    phase: Phase
    verdict: Verdict
