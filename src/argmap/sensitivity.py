"""Which premises matter: the claims each verdict rests on, and which are pivotal.

A verdict *rests on* the claims its explanation uses.  A claim is *pivotal*
for a verdict when rejecting that claim alone flips the verdict.  clingo
enumerates every single rejection in one solve: the ``rejected/1`` inputs are
left free and ``lp/support.lp`` allows at most one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import clingo

from .engine import Engine, World, _text
from .errors import InputError
from .explain import VERDICTS, Explainer
from .model import Claim, Proposal

#: The verdict atoms compared, by name.
_ATOMS = {atom: label for atom, label in VERDICTS}


@dataclass(frozen=True)
class ClaimRole:
    claim: str
    pivotal: bool
    #: The verdict's value when this claim alone is rejected.
    if_rejected: str


@dataclass(frozen=True)
class VerdictSensitivity:
    verdict: str  # consistent | credible | feasible_now | precondition_met | risk
    value: str
    rests_on: tuple[ClaimRole, ...]

    @property
    def pivotal(self) -> tuple[str, ...]:
        return tuple(r.claim for r in self.rests_on if r.pivotal)


@dataclass(frozen=True)
class Sensitivity:
    proposal: Proposal
    verdicts: tuple[VerdictSensitivity, ...]


def _values(atoms: frozenset[clingo.Symbol]) -> dict[str, str]:
    names = {s.name for s in atoms if not s.arguments}
    out = {atom: ("yes" if atom in names else "no") for atom in _ATOMS}
    levels = sorted(_text(s.arguments[0]) for s in atoms if s.name == "risk" and len(s.arguments) == 1)
    out["risk"] = " or ".join(levels)
    return out


_REASONS_OF = {
    "credible": ("reason", "credible"),
    "precondition_met": ("reason", "precondition"),
    "risk": ("risk_factor", None),
    "feasible_now": ("obstacle", None),
    "consistent": ("conflict", None),
}


def _reason_claims(atoms: frozenset[clingo.Symbol], verdict: str) -> set[str]:
    """The claims of every reason recorded for `verdict`, for or against."""
    name, first = _REASONS_OF[verdict]
    out = set()
    for s in atoms:
        if s.name != name:
            continue
        if name == "reason":
            if _text(s.arguments[0]) == first:
                out.add(_text(s.arguments[2]))
        else:
            out.add(_text(s.arguments[1]))
    return out


def sensitivity(engine: Engine, proposal: Proposal, claims: Mapping[str, Claim]) -> Sensitivity:
    """The claims each verdict of `proposal` rests on, and which of them are pivotal."""
    if proposal.open:
        raise InputError(
            "sensitivity needs a proposal with no open aspect",
            path=proposal.path,
            key="open",
            expected="set the open components first (argmap whatif --set) ",
        )
    inputs = engine.inputs(proposal, World())
    # One solve: every single rejection (and none), enumerated by clingo.
    assumptions = engine.complete([*inputs, engine.literal("one_rejection")], free={"rejected"})
    names = {*_ATOMS, "risk", "rejected"}
    outcomes: dict[str | None, dict[str, str]] = {}
    for atoms in engine.enumerate(assumptions, names):
        rejected = [_text(s.arguments[0]) for s in atoms if s.name == "rejected"]
        outcomes[rejected[0] if rejected else None] = _values(atoms)
    baseline = outcomes[None]
    # What each verdict rests on: the claims of its explanation.
    answer = engine.solve(engine.complete(inputs), fired=True)
    ex = Explainer(engine, answer, claims)
    results = []
    for verdict in (*_ATOMS, "risk"):
        if verdict == "risk":
            level = baseline["risk"]
            node = ex.why(clingo.Function("risk", [clingo.Function(level)]))
        else:
            sym = clingo.Function(verdict)
            node = ex.why(sym) if sym in answer.atoms else ex.why_not(sym)
        used = node.claims() | _reason_claims(answer.atoms, verdict)
        flipped = {c for c, vals in outcomes.items() if c is not None and vals[verdict] != baseline[verdict]}
        roles = tuple(
            ClaimRole(c, c in flipped, outcomes[c][verdict] if c in outcomes else baseline[verdict])
            for c in sorted(used | flipped)
            if c in claims
        )
        results.append(VerdictSensitivity(verdict, baseline[verdict], roles))
    return Sensitivity(proposal, tuple(results))
