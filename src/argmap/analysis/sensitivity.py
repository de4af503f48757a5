"""Which premises matter: the claims each verdict rests on, and which are pivotal.

A verdict *rests on* the claims its explanation uses and the claims of its
reasons.  A claim is *pivotal* for a verdict when rejecting that claim alone
changes the verdict.  (A rejection under which the program has no answer set
gives no outcome, so it flips nothing.)  clingo enumerates every single rejection in one solve:
the ``rejected/1`` inputs are left free and ``lp/support.lp`` allows at most
one of them.  (A roadmap feeds each phase's verdicts into the final solve, so
for a roadmap each rejection is judged on its own instead.  So is a proposal
with open aspects: its verdicts are read from clasp's brave and cautious
consequences under each rejection, two solves of a few models each, where one
solve over every rejection would yield an answer set per rejection and
completion, tens of thousands for a few open aspects.)
"""

from __future__ import annotations

import clingo

from ..asp.terms import text
from ..engine.control import Answer, Engine, NoAnswerSetError
from ..engine.decode import decode
from ..engine.judge import judge
from ..model.proposal import Proposal, World
from ..model.results import ClaimRole, Sensitivity, VerdictSensitivity
from .explain import Explainer, verdict_atoms


def sensitivity(engine: Engine, proposal: Proposal) -> Sensitivity:
    """The claims each declared verdict of `proposal` rests on, and which of them are pivotal.

    `engine` must be traced.

    For a proposal with open aspects, a verdict is read across its completions
    (``yes``, ``some``, ``no``; the levels reached), with and without each
    rejection, so a claim is pivotal when rejecting it changes that reading.
    """
    voc = engine.vocabulary
    judged = judge(engine, proposal, trace=True)
    baseline = {o.name: o.short() for o in judged.verdict.outcomes}
    outcomes: dict[str | None, dict[str, str]] = {None: baseline}
    if proposal.phases:
        for cid in sorted(voc.claims):
            try:
                verdict = judge(engine, proposal, World(rejected=(cid,))).verdict
            except NoAnswerSetError:
                continue
            outcomes[cid] = {o.name: o.short() for o in verdict.outcomes}
    elif proposal.open:
        for cid in sorted(voc.claims):
            world = World(rejected=(cid,))
            try:
                answer = engine.solve(engine.assumptions(proposal, world), open_aspects=True)
            except NoAnswerSetError:  # no answer set with this claim rejected: as in one enumeration, no outcome
                continue
            outcomes[cid] = {o.name: o.short() for o in decode(proposal, answer, voc, world).outcomes}
    else:
        for cid, (cautious, brave) in _single_rejections(engine, proposal).items():
            verdict = decode(proposal, Answer(cautious, brave), voc)
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


Shown = frozenset[clingo.Symbol]


def _single_rejections(engine: Engine, proposal: Proposal) -> dict[str | None, tuple[Shown, Shown]]:
    """The shown atoms with each claim rejected alone (and with none), in one solve.

    For a proposal with nothing open.  The ``rejected/1`` inputs are left free
    and ``lp/support.lp``'s ``one_rejection`` allows at most one; each answer
    set is read as its shown atoms and the one input that is true (reading
    every atom of a traced program for each answer set would cost far more
    than the solve).
    """
    inputs = engine.inputs(proposal, World())
    assumptions = engine.complete([*inputs, engine.literal("one_rejection")], free={"rejected"})
    rejections = [(text(sym.arguments[0]), engine.literal_of(sym)) for sym in engine.atoms("rejected", 1)]
    found: dict[str | None, tuple[Shown, Shown]] = {}

    def on_model(model: clingo.Model) -> None:
        rejected = next((cid for cid, lit in rejections if model.is_true(lit)), None)
        shown = frozenset(model.symbols(shown=True))
        if rejected in found:
            cautious, brave = found[rejected]
            shown, brave = cautious & shown, brave | shown
        else:
            brave = shown
        found[rejected] = (shown, brave)

    engine.configure(enum_mode="auto", models="0")
    engine.run(assumptions, on_model=on_model)
    return found
