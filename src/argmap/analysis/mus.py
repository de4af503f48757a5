"""Minimal sets of components that conflict (minimal unsatisfiable subsets).

With ``require_coherent`` on (``lp/support.lp``), a proposal with a conflict
has no answer set.  Its component settings are the candidate assumptions;
everything else (absent components, the world) is held fixed as background,
and a setting dropped from a subset is left free rather than denied.  All
minimal unsatisfiable subsets are enumerated MARCO-style (Liffiton et al.,
"Fast, flexible MUS enumeration", Constraints 2016): a second, tiny clingo
program (the map) proposes unexplored subsets, the engine checks them, and
each result is blocked in the map by one clause, until the map is exhausted.
Each check is a solve under assumptions on the one ground program.
"""

from __future__ import annotations

import clingo

from ..engine.control import Engine
from ..model.proposal import Proposal, Setting, World

#: Enough for any proposal a person writes; bounds the enumeration.
MAX_SETS = 64


def minimal_conflicts(engine: Engine, proposal: Proposal) -> list[tuple[Setting, ...]]:
    """Every minimal set of the proposal's settings that cannot hold together, smallest first."""
    fn = clingo.Function
    candidates = {engine.literal("set", fn(k), fn(v)): (k, v) for k, v in proposal.settings}
    others = [lit for lit in engine.inputs(proposal, World()) if lit not in candidates]
    base = engine.complete([*others, engine.literal("require_coherent"), *candidates])
    background = [lit for lit in base if abs(lit) not in candidates]

    def satisfiable(subset: set[int]) -> tuple[bool, set[int]]:
        # Settings outside the subset are dropped, not denied: left free.
        core: list[int] = []
        result = engine.solve_raw([*background, *subset], core)
        return result, {lit for lit in core if lit in subset}

    found: list[tuple[Setting, ...]] = []
    ordered = sorted(candidates, key=lambda lit: candidates[lit])
    mapper = _Map(len(ordered))
    while len(found) < MAX_SETS:
        seed_index = mapper.seed()
        if seed_index is None:
            break
        seed = {ordered[i] for i in seed_index}
        sat, core = satisfiable(seed)
        if sat:
            grown = set(seed)
            for lit in ordered:
                if lit not in grown and satisfiable(grown | {lit})[0]:
                    grown.add(lit)
            mapper.block_down({ordered.index(lit) for lit in grown})
            continue
        mus = set(core or seed)
        for lit in sorted(mus, key=lambda x: candidates[x]):
            if not satisfiable(mus - {lit})[0]:
                mus.discard(lit)
        mapper.block_up({ordered.index(lit) for lit in mus})
        found.append(tuple(sorted(candidates[lit] for lit in mus)))
    return sorted(found, key=lambda s: (len(s), s))


class _Map:
    """The MARCO map: subsets not yet explored, as a clingo program built through the backend."""

    def __init__(self, size: int) -> None:
        self.ctl = clingo.Control(["--sign-def=pos"])
        self.size = size
        with self.ctl.backend() as backend:
            self.atoms = [backend.add_atom(clingo.Function("s", [clingo.Number(i)])) for i in range(size)]
            if self.atoms:
                backend.add_rule(self.atoms, [], choice=True)

    def seed(self) -> set[int] | None:
        chosen: set[int] | None = None

        def on_model(model: clingo.Model) -> None:
            nonlocal chosen
            chosen = {i for i, atom in enumerate(self.atoms) if model.is_true(atom)}

        self.ctl.solve(on_model=on_model)
        return chosen

    def block_down(self, subset: set[int]) -> None:
        """No subset of `subset` is explored again: some element outside it must be in."""
        with self.ctl.backend() as backend:
            backend.add_rule([], [-self.atoms[i] for i in range(self.size) if i not in subset])

    def block_up(self, subset: set[int]) -> None:
        """No superset of `subset` is explored again."""
        with self.ctl.backend() as backend:
            backend.add_rule([], [self.atoms[i] for i in subset])
