"""The data of an HTML report: each proposal's verdicts, what-ifs and argument map."""

from __future__ import annotations

from dataclasses import dataclass

from .argument_map import ArgumentMap
from .kb import Vocabulary
from .results import Flip, Goal
from .verdicts import Verdict


@dataclass(frozen=True)
class WhatIfRow:
    """One counterfactual: what was changed, and the verdicts that flipped.

    ``why`` is ``removal`` (one component the proposal sets, removed) or
    ``repair`` (the smallest change that reaches ``goals``).
    """

    change: str
    why: str
    after: Verdict
    flips: tuple[Flip, ...]
    goals: tuple[Goal, ...] = ()


@dataclass(frozen=True)
class ProposalReport:
    verdict: Verdict
    whatifs: tuple[WhatIfRow, ...]
    #: Marked with what holds and fired for this proposal.
    map: ArgumentMap


@dataclass(frozen=True)
class Report:
    """Proposals judged by one knowledge base (`kb`: its entry files and layers, as shown)."""

    proposals: tuple[ProposalReport, ...]
    vocabulary: Vocabulary
    kb: tuple[str, ...]
