"""Searching a design space with clingo: counts, optima, a Pareto front, examples.

The space is grounded once, with the knowledge base, as a choice over
components (``lp/explore.lp``).  Every question is a solve under assumptions
on the goal externals: clingo counts, minimises (``#minimize``, all optima with
``--opt-mode=optN``) and enumerates; Python never walks the space.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import clingo

from .engine import Engine, _text
from .model import Proposal
from .space import DesignSpace

RISKS = ("low", "medium", "high")


@dataclass(frozen=True)
class Package:
    settings: tuple[tuple[str, str], ...]
    cost: int

    def proposal(self, space: DesignSpace, name: str) -> Proposal:
        return Proposal(
            name,
            f"{space.title}: {name}",
            f"package found by argmap explore in {space.path}",
            self.settings,
            path=space.path,
        )


@dataclass(frozen=True)
class ParetoPoint:
    cost: int
    risk: str
    feasible_now: bool
    example: Package


@dataclass
class Exploration:
    space: DesignSpace
    size: int
    consistent: int
    credible: int
    count_limit: int
    cheapest: list[Package] = field(default_factory=list)
    pareto: list[ParetoPoint] = field(default_factory=list)
    examples: list[Package] = field(default_factory=list)

    @property
    def counts_exact(self) -> bool:
        return self.consistent < self.count_limit and self.credible < self.count_limit


#: Called with (event, package) as clingo finds packages: "improved" while optimising, "example".
Listener = Callable[[str, Package], None]


class Explorer:
    """One design space, grounded once with the knowledge base."""

    def __init__(self, space: DesignSpace, kb: Sequence[str] | None = None, *, timeout: float | None = None) -> None:
        self.space = space
        self.engine = Engine(kb, explore=space.facts(), timeout=timeout)
        self._ctl = self.engine._ctl

    def _assume(self, *, want: Sequence[str] = (), risk: str | None = None, feasible: bool | None = None) -> list[int]:
        fn = clingo.Function
        true = [self.engine.literal("want", fn(w)) for w in want]
        if risk is not None:
            true.append(self.engine.literal("want_risk", fn(risk)))
        if feasible is not None:
            true.append(self.engine.literal("want_feasible", fn("true" if feasible else "false")))
        return self.engine.complete(true)

    @staticmethod
    def _package(model: clingo.Model) -> Package:
        settings: list[tuple[str, str]] = []
        cost = 0
        for sym in model.symbols(shown=True):
            if sym.name == "set":
                settings.append((_text(sym.arguments[0]), _text(sym.arguments[1])))
            elif sym.name == "package_cost":
                cost = sym.arguments[0].number
        return Package(tuple(sorted(settings)), cost)

    def count(self, want: str, limit: int) -> int:
        """How many packages meet `want` (consistent or credible), counting up to `limit`."""
        self.engine._config = None
        conf = self._ctl.configuration.solve
        conf.opt_mode = "ignore"  # type: ignore[union-attr]
        conf.enum_mode = "auto"  # type: ignore[union-attr]
        conf.models = str(limit)  # type: ignore[union-attr]
        conf.project = "show"  # type: ignore[union-attr]
        found = 0

        def on_model(_: clingo.Model) -> None:
            nonlocal found
            found += 1

        self.engine.run(self._assume(want=[want]), on_model=on_model)
        return found

    def cheapest(
        self,
        *,
        want: Sequence[str] = ("credible",),
        risk: str | None = None,
        feasible: bool | None = None,
        limit: int = 20,
        listener: Listener | None = None,
    ) -> list[Package]:
        """All cheapest packages meeting the goals (up to `limit`)."""
        self.engine._config = None
        conf = self._ctl.configuration.solve
        conf.opt_mode = "optN"  # type: ignore[union-attr]
        conf.enum_mode = "auto"  # type: ignore[union-attr]
        conf.models = "0"  # type: ignore[union-attr]
        conf.project = "show"  # type: ignore[union-attr]
        optimal: dict[Package, None] = {}

        def on_model(model: clingo.Model) -> bool:
            package = self._package(model)
            if model.optimality_proven:
                optimal[package] = None
            elif listener is not None:
                listener("improved", package)
            return len(optimal) < limit

        self.engine.run(self._assume(want=want, risk=risk, feasible=feasible), on_model=on_model)
        return sorted(optimal, key=lambda p: (p.cost, p.settings))

    def examples(self, limit: int, listener: Listener | None = None) -> list[Package]:
        """Up to `limit` credible packages, as clingo enumerates them."""
        self.engine._config = None
        conf = self._ctl.configuration.solve
        conf.opt_mode = "ignore"  # type: ignore[union-attr]
        conf.enum_mode = "auto"  # type: ignore[union-attr]
        conf.models = str(limit)  # type: ignore[union-attr]
        conf.project = "show"  # type: ignore[union-attr]
        found: list[Package] = []

        def on_model(model: clingo.Model) -> None:
            package = self._package(model)
            found.append(package)
            if listener is not None:
                listener("example", package)

        self.engine.run(self._assume(want=["credible"]), on_model=on_model)
        return found

    def pareto(self) -> list[ParetoPoint]:
        """The Pareto front over cost (lower), risk (lower) and feasibility now (feasible first), among
        consistent packages: the cheapest package for each risk level and feasibility, less the dominated."""
        points: list[ParetoPoint] = []
        for risk in RISKS:
            for feasible in (True, False):
                best = self.cheapest(want=["consistent"], risk=risk, feasible=feasible, limit=1)
                if best:
                    points.append(ParetoPoint(best[0].cost, risk, feasible, best[0]))

        def dominates(a: ParetoPoint, b: ParetoPoint) -> bool:
            ra, rb = RISKS.index(a.risk), RISKS.index(b.risk)
            no_worse = a.cost <= b.cost and ra <= rb and (a.feasible_now or not b.feasible_now)
            better = a.cost < b.cost or ra < rb or (a.feasible_now and not b.feasible_now)
            return no_worse and better

        front = [p for p in points if not any(dominates(q, p) for q in points)]
        return sorted(front, key=lambda p: (p.cost, RISKS.index(p.risk), not p.feasible_now))


def explore(
    space: DesignSpace,
    kb: Sequence[str] | None = None,
    *,
    limit: int = 5,
    count_limit: int = 100_000,
    optima: int = 20,
    listener: Listener | None = None,
    timeout: float | None = None,
) -> Exploration:
    explorer = Explorer(space, kb, timeout=timeout)
    result = Exploration(
        space,
        space.size(),
        explorer.count("consistent", count_limit),
        explorer.count("credible", count_limit),
        count_limit,
    )
    result.cheapest = explorer.cheapest(limit=optima, listener=listener)
    result.pareto = explorer.pareto()
    result.examples = explorer.examples(limit, listener) if limit else []
    return result
