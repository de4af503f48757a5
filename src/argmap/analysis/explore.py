"""Searching a design space with clingo: counts, optima, a Pareto front, examples.

The space is grounded once, with the knowledge base, as a choice over
components (``lp/explore.lp``).  Every question is a solve under assumptions
on the goal externals: clingo counts, minimises (``#minimize``, all optima
with ``--opt-mode=optN``) and enumerates; Python never walks the space.

Goals are declared verdicts that every package found must have good (default:
the knowledge base's gates).  The Pareto front is over cost and the axis
verdicts (default: every other bool or level verdict), among packages that
meet the goals: clingo finds the cheapest package for each combination of
axis values, and the dominated ones are dropped (Pareto, 1906; the usual
exact method for a small number of discrete objectives).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import clingo

from ..asp.terms import text
from ..engine.cache import engine_for
from ..engine.control import Engine
from ..engine.kbspec import KnowledgeBase
from ..io.spaces import DesignSpace
from ..model.errors import InputError, closest
from ..model.results import Exploration, Package, ParetoPoint
from ..model.verdicts import FALSE, TRUE, Registry, VerdictSpec

#: Called with (event, package) as clingo finds packages: "improved" while optimising, "example".
Listener = Callable[[str, Package], None]


class Explorer:
    """One design space, grounded once with the knowledge base."""

    def __init__(self, space: DesignSpace, kb: KnowledgeBase | None = None, *, timeout: float | None = None) -> None:
        self.space = space
        self.engine: Engine = engine_for(
            kb or KnowledgeBase.shipped(), mode="explore", facts=space.facts(), timeout=timeout
        )

    def _assume(
        self,
        want: Sequence[str] = (),
        values: Sequence[tuple[str, str]] = (),
        exclude: Sequence[tuple[str, str]] = (),
        insist: Sequence[tuple[str, str]] = (),
    ) -> list[int]:
        fn = clingo.Function
        true = [self.engine.literal("want", fn(w)) for w in want]
        true += [self.engine.literal("want_value", fn(v), fn(x)) for v, x in values]
        true += [self.engine.literal("exclude", fn(k), fn(v)) for k, v in exclude]
        true += [self.engine.literal("insist", fn(k), fn(v)) for k, v in insist]
        return self.engine.complete(true)

    @staticmethod
    def _package(model: clingo.Model) -> Package:
        settings: list[tuple[str, str]] = []
        cost = 0
        for sym in model.symbols(shown=True):
            if sym.name == "set":
                settings.append((text(sym.arguments[0]), text(sym.arguments[1])))
            elif sym.name == "package_cost":
                cost = sym.arguments[0].number
        return Package(tuple(sorted(settings)), cost)

    def count(self, want: Sequence[str], limit: int) -> int:
        """How many packages meet every verdict in `want`, counting up to `limit`."""
        self.engine.configure(opt_mode="ignore", enum_mode="auto", models=str(limit), project="show")
        found = 0

        def on_model(_: clingo.Model) -> None:
            nonlocal found
            found += 1

        self.engine.run(self._assume(want), on_model=on_model)
        return found

    def cheapest(
        self,
        want: Sequence[str],
        values: Sequence[tuple[str, str]] = (),
        *,
        limit: int = 20,
        listener: Listener | None = None,
        exclude: Sequence[tuple[str, str]] = (),
        insist: Sequence[tuple[str, str]] = (),
    ) -> list[Package]:
        """All cheapest packages meeting the goals (and the axis values), up to `limit`.

        `exclude` rules component values out and `insist` rules them in, for
        this question only (assumptions on the ground space, not new facts):
        an empty answer proves that no package of the space meets the goals
        under them.

        Raises:
            InputError: an excluded or insisted value is not in the vocabulary.
        """
        self.engine.configure(opt_mode="optN", enum_mode="auto", models="0", project="show")
        optimal: dict[Package, None] = {}

        def on_model(model: clingo.Model) -> bool:
            package = self._package(model)
            if model.optimality_proven:
                optimal[package] = None
            elif listener is not None:
                listener("improved", package)
            return len(optimal) < limit

        self.engine.run(self._assume(want, values, exclude, insist), on_model=on_model)
        return sorted(optimal, key=lambda p: (p.cost, p.settings))

    def examples(self, want: Sequence[str], limit: int, listener: Listener | None = None) -> list[Package]:
        """Up to `limit` packages meeting the goals, as clingo enumerates them."""
        self.engine.configure(opt_mode="ignore", enum_mode="auto", models=str(limit), project="show")
        found: list[Package] = []

        def on_model(model: clingo.Model) -> None:
            package = self._package(model)
            found.append(package)
            if listener is not None:
                listener("example", package)

        self.engine.run(self._assume(want), on_model=on_model)
        return found

    def pareto(self, want: Sequence[str], axes: Sequence[VerdictSpec]) -> list[ParetoPoint]:
        """The Pareto front over cost (lower) and each axis (better ranks first), among packages meeting `want`.

        Without axes there is no front (over cost alone it would be the cheapest package, listed already).
        """
        if not axes:
            return []
        domains = [(TRUE, FALSE) if spec.kind == "bool" else spec.values for spec in axes]
        points: list[ParetoPoint] = []
        for combo in itertools.product(*domains):
            values = tuple(zip((s.name for s in axes), combo, strict=True))
            best = self.cheapest(want, values, limit=1)
            if best:
                points.append(ParetoPoint(best[0].cost, values, best[0]))
        ranks = {spec.name: spec for spec in axes}

        def key(p: ParetoPoint) -> tuple[int, ...]:
            return tuple(ranks[v].rank(x) for v, x in p.values)

        def dominates(a: ParetoPoint, b: ParetoPoint) -> bool:
            ka, kb = key(a), key(b)
            no_worse = a.cost <= b.cost and all(x <= y for x, y in zip(ka, kb, strict=True))
            return no_worse and (a.cost < b.cost or ka != kb)

        front = [p for p in points if not any(dominates(q, p) for q in points)]
        return sorted(front, key=lambda p: (p.cost, key(p)))


def explore(
    space: DesignSpace,
    kb: KnowledgeBase | None = None,
    *,
    goals: Sequence[str] = (),
    axes: Sequence[str] | None = None,
    limit: int = 5,
    count_limit: int = 100_000,
    optima: int = 20,
    listener: Listener | None = None,
    timeout: float | None = None,
) -> Exploration:
    """Counts, the cheapest packages meeting the goals, the Pareto front and examples.

    Goals and axes come from the arguments, else the space file, else the
    registry (goals: the gates; axes: every other bool or level verdict).

    Raises:
        InputError: a goal or axis that is not a declared verdict of a fitting kind.
    """
    if space.registry is not None:  # a bad goal or axis is refused before the space is ground
        _goals_and_axes(space.registry, space, goals, axes)
    explorer = Explorer(space, kb, timeout=timeout)
    chosen_goals, specs = _goals_and_axes(explorer.engine.vocabulary.registry, space, goals, axes)
    # The searches a listener hears from run first, so that a stream (`--format jsonl`) starts with the
    # first package clingo finds, not after counting, which can take longer than the search.
    cheapest = explorer.cheapest(chosen_goals, limit=optima, listener=listener)
    examples = explorer.examples(chosen_goals, limit, listener) if limit else []
    pareto = explorer.pareto(chosen_goals, specs)
    counts = {g: explorer.count([g], count_limit) for g in chosen_goals}
    if len(chosen_goals) > 1:
        counts["all goals"] = explorer.count(chosen_goals, count_limit)
    result = Exploration(
        space.title, space.path, space.size(), tuple(chosen_goals), tuple(s.name for s in specs), counts, count_limit
    )
    result.cheapest, result.pareto, result.examples = cheapest, pareto, examples
    result.optima_limit = optima
    return result


def _goals_and_axes(
    registry: Registry, space: DesignSpace, goals: Sequence[str], axes: Sequence[str] | None
) -> tuple[tuple[str, ...], list[VerdictSpec]]:
    """The goals and the axis verdicts: the arguments', else the space file's, else the registry's defaults.

    Raises:
        InputError: a goal that is not a declared verdict, or an axis that is not a bool or level verdict.
    """
    chosen = tuple(goals) or space.goals or registry.gates
    for g in chosen:
        if g not in registry:
            raise InputError(
                f"'{g}' is not a verdict",
                key="--goal",
                expected=", ".join(registry.names),
                suggestion=closest(g, registry.names),
            )
    if axes is None:
        axes = space.axes
    if axes is None:
        axes = tuple(s.name for s in registry if s.name not in chosen and s.kind in ("bool", "level"))
    specs = []
    for a in axes:
        spec = registry.get(a)
        if spec is None or spec.kind not in ("bool", "level"):
            usable = [s.name for s in registry if s.kind in ("bool", "level")]
            raise InputError(
                f"'{a}' cannot be an axis",
                key="--axis",
                expected="a bool or level verdict: " + ", ".join(usable),
                suggestion=closest(a, usable),
            )
        specs.append(spec)
    return chosen, specs
