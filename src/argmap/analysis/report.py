"""The data of the HTML report: each proposal judged, its what-ifs, and its marked argument map.

The what-ifs shown for a proposal are chosen by one general rule: remove each
component the proposal sets, one at a time, and keep the removals that flip a
verdict (most flips first, at most :data:`MAX_REMOVALS`); and, when the
proposal does not pass the knowledge base's gate verdicts, add the smallest
change that makes it pass (:func:`argmap.analysis.repair.repair`, clingo's
optimum).  :func:`argmap.render.html.report_html` writes the page.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..engine.control import Engine
from ..engine.judge import judge
from ..model.errors import InputError
from ..model.proposal import BASELINE, Change, Proposal
from ..model.report import ProposalReport, Report, WhatIfRow
from ..model.verdicts import Verdict
from .argument_map import Mapper
from .repair import repair
from .whatif import apply_changes, compare

#: How many single removals a proposal's what-if section shows at most.
MAX_REMOVALS = 4


def build_report(engine: Engine, repairer: Engine, proposals: Sequence[Proposal]) -> Report:
    """Judge each proposal (traced, on `engine`), pick its what-ifs, and mark its map.

    Raises:
        InputError: no proposal, or one that cannot be judged.
        ValueError: `engine` is not traced, or `repairer` not built for repair.
    """
    if not proposals:
        raise InputError("no proposal to report on", expected="one or more proposal files or folders")
    mapper = Mapper(engine)
    items = []
    for proposal in proposals:
        judgement = judge(engine, proposal, trace=True)
        rows = _whatifs(engine, repairer, proposal, judgement.verdict)
        items.append(ProposalReport(judgement.verdict, rows, mapper.mark(judgement)))
    return Report(tuple(items), engine.vocabulary, _shown_files(engine))


def _whatifs(engine: Engine, repairer: Engine, proposal: Proposal, before: Verdict) -> tuple[WhatIfRow, ...]:
    removals = []
    for key in dict.fromkeys(k for k, _ in proposal.settings):
        change = Change("unset", key)
        changed, world = apply_changes(proposal, BASELINE, [change], engine.vocabulary)
        try:
            after = judge(engine, changed, world).verdict
        except InputError:
            continue  # no completion of the changed proposal is coherent: nothing to compare
        result = compare((change,), before, after)
        if result.flips:
            removals.append(WhatIfRow(str(change), "removal", after, result.flips))
    removals.sort(key=lambda w: -len(w.flips))  # stable: ties keep the proposal's key order
    rows = removals[:MAX_REMOVALS]
    if not before.ok:
        found = repair(repairer, engine, proposal, limit=1)
        best = found.repairs[0] if found.repairs else None
        if best is not None and best.changes and best.after is not None:
            flips = compare((), before, best.after).flips
            rows.append(WhatIfRow("; ".join(best.described()), "repair", best.after, flips, found.goals))
    return tuple(rows)


def _shown_files(engine: Engine) -> tuple[str, ...]:
    """The knowledge base's entry files and layers, relative to its root where they lie inside it."""
    out = []
    for path in (*engine.kb.files, *engine.kb.layers):
        rel = os.path.relpath(os.path.abspath(path), engine.root)
        out.append(path if rel.startswith("..") else rel)
    return tuple(out)
