"""What the analyses return: plain data that renderers turn into text, JSON or HTML."""

from __future__ import annotations

from dataclasses import dataclass, field

from .explanation import Node
from .proposal import Change, Proposal, Setting
from .verdicts import Conflict, Reason, Verdict


# ---------------------------------------------------------------- what-if
@dataclass(frozen=True)
class Flip:
    """One verdict that changed, with the reasons that went and came."""

    verdict: str
    before: str  # Outcome.short() before
    after: str
    gone: tuple[Reason, ...]
    new: tuple[Reason, ...]


@dataclass(frozen=True)
class WhatIf:
    """A proposal's verdicts before and after some changes."""

    changes: tuple[Change, ...]
    before: Verdict
    after: Verdict
    flips: tuple[Flip, ...]
    #: Conflicts that went and came (they bear on no single verdict).
    conflicts_gone: tuple[Conflict, ...] = ()
    conflicts_new: tuple[Conflict, ...] = ()


# ---------------------------------------------------------------- repair
@dataclass(frozen=True)
class Goal:
    """What a repair must reach: a verdict good (``value`` None), at a value, or (a level) at most a level."""

    verdict: str
    value: str | None = None
    at_most: bool = False

    def __str__(self) -> str:
        if self.value is None:
            return self.verdict
        return f"{self.verdict}{'<=' if self.at_most else '='}{self.value}"


@dataclass(frozen=True)
class Repair:
    """One optimal repair: the changes, how many components they touch, their cost, the verdicts after."""

    changes: tuple[tuple[str, str, str], ...]  # (add | drop, key, value)
    components: int
    cost: int
    proposal: Proposal
    after: Verdict | None = None

    def described(self) -> list[str]:
        """The changes, one line per component: ``key: old -> new`` (an open aspect the repair leaves
        unset reads ``key: (open) -> (unset)  (not counted)``: the repaired proposal has nothing open, but
        leaving an aspect unset is not one of the changes counted in ``components``)."""
        keys = sorted({k for _, k, _ in self.changes} | set(self.proposal.open))
        lines = []
        for key in keys:
            dropped = [v for op, k, v in self.changes if k == key and op == "drop"]
            added = [v for op, k, v in self.changes if k == key and op == "add"]
            was = ", ".join(dropped) or ("(open)" if key in self.proposal.open else "(unset)")
            # an open aspect the repair merely leaves unset is no change: shown, not counted in `components`
            uncounted = not dropped and not added
            lines.append(f"{key}: {was} -> {', '.join(added) or '(unset)'}" + ("  (not counted)" if uncounted else ""))
        return lines


@dataclass(frozen=True)
class RepairResult:
    proposal: Proposal
    goals: tuple[Goal, ...]
    keep: tuple[str, ...]
    max_changes: int | None
    repairs: tuple[Repair, ...]
    #: When there is no repair: the pins (and limits) that together forbid one.
    blocked_by: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.repairs)


# ---------------------------------------------------------------- sensitivity
@dataclass(frozen=True)
class ClaimRole:
    claim: str
    pivotal: bool
    #: The verdict's value (Outcome.short()) when this claim alone is rejected.
    if_rejected: str


@dataclass(frozen=True)
class VerdictSensitivity:
    verdict: str
    value: str
    rests_on: tuple[ClaimRole, ...]

    @property
    def pivotal(self) -> tuple[str, ...]:
        return tuple(r.claim for r in self.rests_on if r.pivotal)


@dataclass(frozen=True)
class Sensitivity:
    proposal: Proposal
    verdicts: tuple[VerdictSensitivity, ...]


# ---------------------------------------------------------------- explore
@dataclass(frozen=True)
class Package:
    """One package of a design space: its settings and its cost (the space's units)."""

    settings: tuple[Setting, ...]
    cost: int

    def proposal(self, title: str, path: str, name: str) -> Proposal:
        return Proposal(
            name, f"{title}: {name}", f"package found by argmap explore in {path}", self.settings, path=path
        )


@dataclass(frozen=True)
class ParetoPoint:
    """A non-dominated package: its cost and its value on each axis verdict."""

    cost: int
    values: tuple[tuple[str, str], ...]  # (verdict, value)
    example: Package


@dataclass
class Exploration:
    title: str
    path: str
    size: int
    goals: tuple[str, ...]
    axes: tuple[str, ...]
    #: How many packages meet each goal alone, then all goals together (counted up to count_limit).
    counts: dict[str, int]
    count_limit: int
    cheapest: list[Package] = field(default_factory=list)
    pareto: list[ParetoPoint] = field(default_factory=list)
    examples: list[Package] = field(default_factory=list)
    #: The space's choice components (a package is shown by these).
    choices: tuple[str, ...] = ()
    #: Why the first optimum meets the goals (an Explanation), when asked.
    why: object | None = None
    #: The most optima the search was asked for (``--optima``); reaching it stops the search.
    optima_limit: int = 20

    @property
    def counts_exact(self) -> bool:
        return all(n < self.count_limit for n in self.counts.values())

    @property
    def optima_complete(self) -> bool:
        """Whether :attr:`cheapest` holds every optimum (the search ended below ``optima_limit``)."""
        return len(self.cheapest) < self.optima_limit


# ---------------------------------------------------------------- diff
@dataclass
class VerdictChange:
    """A verdict that differs, with why it has each value (explanation trees)."""

    verdict: str
    before: str
    after: str
    why_before: list[Node] = field(default_factory=list)
    why_after: list[Node] = field(default_factory=list)


@dataclass
class SubjectDiff:
    """One example proposal or scenario case judged under two knowledge bases."""

    id: str
    changes: list[VerdictChange] = field(default_factory=list)
    error: str | None = None
