"""Which premises matter: the claims each verdict rests on, and which are pivotal.

A verdict *rests on* the claims its explanation uses and the claims of its
reasons.  A claim is *pivotal* for a verdict when rejecting that claim alone
changes the verdict.  clingo enumerates every single rejection in one solve:
the ``rejected/1`` inputs are left free and ``lp/support.lp`` allows at most
one of them.  (A roadmap feeds each phase's verdicts into the final solve, so
for a roadmap each rejection is judged on its own instead.)
"""

from __future__ import annotations

import clingo

from ..asp.terms import text
from ..engine.control import Answer, Engine
from ..engine.decode import decode
from ..engine.judge import judge
from ..model.errors import InputError
from ..model.proposal import Proposal, World
from ..model.results import ClaimRole, Sensitivity, VerdictSensitivity
from .explain import Explainer, verdict_atoms


def sensitivity(engine: Engine, proposal: Proposal) -> Sensitivity:
    """The claims each declared verdict of `proposal` rests on, and which of them are pivotal.

    `engine` must be traced.

    Raises:
        InputError: the proposal leaves aspects open (fix them first).
    """
    if proposal.open:
        raise InputError(
            "sensitivity needs a proposal with no open aspect",
            path=proposal.path,
            key="open",
            expected="set the open components first (argmap whatif --set)",
        )
    voc = engine.vocabulary
    judged = judge(engine, proposal, trace=True)
    baseline = {o.name: o.short() for o in judged.verdict.outcomes}
    outcomes: dict[str | None, dict[str, str]] = {None: baseline}
    if proposal.phases:
        for cid in sorted(voc.claims):
            verdict = judge(engine, proposal, World(rejected=(cid,))).verdict
            outcomes[cid] = {o.name: o.short() for o in verdict.outcomes}
    else:
        for cid, shown in _single_rejections(engine, proposal):
            verdict = decode(proposal, Answer(shown, shown), voc)
            outcomes[cid] = {o.name: o.short() for o in verdict.outcomes}
    ex = Explainer(engine, judged.answer)
    nodes: dict[str, set[str]] = {}
    for spec, _, target, holds in verdict_atoms(engine, judged.answer):
        nodes.setdefault(spec.name, set()).update(ex.verdict(target, holds).claims())
    results = []
    for spec in voc.registry:
        used = nodes.get(spec.name, set()) | {r.basis for r in judged.verdict.reasons_for(spec.name)}
        flipped = {c for c, vals in outcomes.items() if c is not None and vals[spec.name] != baseline[spec.name]}
        roles = tuple(
            ClaimRole(c, c in flipped, outcomes[c][spec.name] if c in outcomes else baseline[spec.name])
            for c in sorted(used | flipped)
            if c in voc.claims
        )
        results.append(VerdictSensitivity(spec.name, baseline[spec.name], roles))
    return Sensitivity(proposal, tuple(results))


def _single_rejections(engine: Engine, proposal: Proposal) -> list[tuple[str | None, frozenset[clingo.Symbol]]]:
    """The shown atoms with each claim rejected alone (and with none), in one solve.

    The ``rejected/1`` inputs are left free and ``lp/support.lp``'s
    ``one_rejection`` allows at most one; each answer set is read as its shown
    atoms and the one input that is true (reading every atom of a traced
    program for each answer set would cost far more than the solve).
    """
    inputs = engine.inputs(proposal, World())
    assumptions = engine.complete([*inputs, engine.literal("one_rejection")], free={"rejected"})
    rejections = [(text(sym.arguments[0]), engine.literal_of(sym)) for sym in engine.atoms("rejected", 1)]
    found: list[tuple[str | None, frozenset[clingo.Symbol]]] = []

    def on_model(model: clingo.Model) -> None:
        rejected = next((cid for cid, lit in rejections if model.is_true(lit)), None)
        found.append((rejected, frozenset(model.symbols(shown=True))))

    engine.configure(enum_mode="auto", models="0")
    engine.run(assumptions, on_model=on_model)
    return found
