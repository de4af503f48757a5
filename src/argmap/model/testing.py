"""Scenario cases and their results: what ``argmap test`` reads, runs and reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from .explanation import Node
from .proposal import Change, Proposal
from .verdicts import Verdict


@dataclass(frozen=True)
class ReasonPattern:
    """An expected reason: a claim (or basis), optionally for one verdict and one effect."""

    claim: str
    verdict: str | None = None
    effect: str | None = None

    def __str__(self) -> str:
        parts = [p for p in (self.verdict, self.effect) if p]
        return f"{self.claim} ({', '.join(parts)})" if parts else self.claim


@dataclass(frozen=True)
class Expect:
    """What a case expects.

    ``values`` maps a verdict to ("bool", True|False), ("holds", all|some|none),
    ("levels", (level, ...)) or ("members", (member, ...)); the lists must be
    among the actual ones, and ``absent`` lists what must not be.
    """

    values: dict[str, tuple[str, object]]
    reasons: tuple[ReasonPattern, ...] = ()
    conflicts: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    line: int = 0
    #: What must NOT come out: reasons (ReasonPattern), conflicts, warnings, notes (ids).
    absent: dict[str, tuple[object, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One runnable case: ``id`` is file::name[::variation]."""

    id: str
    name: str
    file: str
    line: int
    proposal: Proposal
    changes: tuple[Change, ...]
    expect: Expect
    description: str | None = None
    tags: tuple[str, ...] = ()
    skip: str | None = None
    #: Where to write an updated expectation: (case index, variation index or None).
    position: tuple[int, int | None] = (0, None)


@dataclass(frozen=True)
class Mismatch:
    field: str
    expected: str
    actual: str
    #: The expected id is one no rule of the knowledge base derives (a typo, most likely).
    underivable: bool = False


@dataclass
class CaseResult:
    case: Case
    status: str  # passed | failed | skipped
    mismatches: list[Mismatch] = field(default_factory=list)
    #: For a failure: why each mismatched verdict has the value it has (title, explanation tree).
    explanation: list[tuple[str, Node]] = field(default_factory=list)
    verdict: Verdict | None = None
    claims_used: frozenset[str] = frozenset()
    rules_used: frozenset[int] = frozenset()
    #: Claims a passing case shows to matter through `not accepted(C)` (a rule blocked by it).
    claims_blocking: frozenset[str] = frozenset()


@dataclass
class Coverage:
    claims_total: int
    claims_covered: list[str]
    claims_uncovered: list[str]
    record_only: list[str]
    rules_total: int
    rules_covered: int
    rules_uncovered: list[str]  # file:line

    @property
    def percent(self) -> float:
        """Claims covered, as a share of the claims that can be exercised."""
        exercisable = self.claims_total - len(self.record_only)
        return 100.0 * len(self.claims_covered) / exercisable if exercisable else 100.0

    @property
    def rules_percent(self) -> float:
        return 100.0 * self.rules_covered / self.rules_total if self.rules_total else 100.0


@dataclass
class TestReport:
    results: list[CaseResult]
    coverage: Coverage | None = None

    __test__ = False  # not a pytest class

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)
