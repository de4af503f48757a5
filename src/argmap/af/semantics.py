"""Argumentation semantics on clingo: one ASP encoding per semantics.

The encodings are ``src/argmap/lp/af/*.lp``.  For each question a framework
is grounded once with its encoding in one clingo control; every solve after
that is a call on the same ground program under assumptions.  The framework
reaches clingo as facts over argument positions (``arg(0..N-1)``,
``att(3,7)``): text made of integers only, never of names from the file, and
parsed by clingo in one call.  Models are read from their shown ``in/1``
atoms.

How each semantics is computed:

- CF, ADM, CO, ST: the answer sets are the extensions; credulous and sceptical
  acceptance of one argument are a solve under the assumption ``in(a)`` or
  ``not in(a)``; acceptance of all arguments at once is brave and cautious
  consequences.
- GR: the least fixpoint, computed in Python in linear time (the same as
  grounding the positive program grounded.lp, without starting clingo);
  under CO, SE answers the grounded extension and DS asks whether the
  argument is in it.
- PR: clasp's domain heuristic with ``--enum-mode=domRec`` enumerates the
  subset-maximal answer sets.  Credulous acceptance: a set maximal among those
  containing ``a`` is maximal among all.  Sceptical acceptance, a
  counterexample-guided loop: a set maximal among those without ``a`` is a
  preferred extension unless a complete extension strictly includes it; if one
  does, no preferred extension lies within it, so it and its subsets are ruled
  out and the next candidate is drawn.
- SST, STG: subset-maximal ranges by a counterexample-guided loop over
  multi-shot solving, as SAT-based argumentation engines do with correction
  sets: take any complete (SST) or conflict-free (STG) set, then ask again and
  again, under assumptions, for one whose range strictly includes the range so
  far, until there is none (``prefer_in.lp`` makes each answer a large set, so
  few rounds are needed).  All maximal ranges: after each, sets whose range
  lies within it are ruled out.  The extensions with exactly a given range are
  enumerated under assumptions on ``range/1``.  (clasp's domRec over the
  derived ``range/1`` atoms, argmap's first method, stalls on dense
  frameworks: seconds to minutes where this loop takes a fraction of a second.)
- ID: brave consequences of preferred.lp give the credulously accepted
  arguments; the ideal extension is the largest admissible set of arguments
  none of them attacks (ideal.lp).

Each rule "at least one of these atoms" that a loop adds goes through clingo's
backend with a fresh activation atom, assumed while it applies and released
after, so one question never constrains the next.  Under a deadline every solve
is asynchronous and waits in slices, within the task's
:class:`~argmap.af.limits.Deadline`; with none it is synchronous, and a signal
interrupts it through :mod:`argmap.af.interrupt`'s watchdog.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .codes import ICCMA_SEMANTICS
from .framework import Extension, Framework
from .interrupt import solving, watching
from .limits import Deadline

__all__ = ["FILES", "ICCMA_SEMANTICS", "NAMES", "Reasoner", "grounded", "ideal_within", "reasoner"]

ENCODINGS = Path(__file__).resolve().parent.parent / "lp" / "af"

#: Semantics: the encoding of each, and its name.
FILES = {
    "CF": "conflict_free.lp",
    "ADM": "admissible.lp",
    "CO": "complete.lp",
    "GR": "grounded.lp",
    "PR": "preferred.lp",
    "ST": "stable.lp",
    "SST": "semi_stable.lp",
    "STG": "stage.lp",
    "ID": "ideal.lp",
}
NAMES = {
    "CF": "conflict-free",
    "ADM": "admissible",
    "CO": "complete",
    "GR": "grounded",
    "PR": "preferred",
    "ST": "stable",
    "SST": "semi-stable",
    "STG": "stage",
    "ID": "ideal",
}
#: The search hint loaded with SST and STG: decide in/1 first, true first.
PREFER_IN = "prefer_in.lp"

if TYPE_CHECKING:
    import clingo

    #: An assumption: an atom and its truth value, or a program literal (negative: false).
    _Assumption = tuple[clingo.Symbol, bool] | int


def _quiet(_code: object, _message: str) -> None:
    """The encodings are argmap's own; clingo's info messages are not for the user."""


def _facts(framework: Framework) -> str:
    """arg/1 and att/2 over argument positions, as ASP text made of integers only."""
    parts = [f"arg(0..{len(framework) - 1})."] if len(framework) else []
    parts.extend(f"att({a},{b})." for a, b in framework.attacks)
    return "".join(parts)


def _in(i: int) -> clingo.Symbol:
    import clingo

    return clingo.Function("in", [clingo.Number(i)])


class _Solver:
    """One framework grounded with encoding files (a semantics, maybe a hint); many solves."""

    def __init__(self, framework: Framework, files: Sequence[str], deadline: Deadline, extra: str = "") -> None:
        import clingo

        self.size = len(framework)
        self.deadline = deadline
        self.ctl = clingo.Control(["--heuristic=Domain", "--warn=none"], logger=_quiet)
        for file in files:
            self.ctl.load(str(ENCODINGS / file))
        program = _facts(framework) + extra

        def ground() -> None:
            self.ctl.add("base", [], program)
            self.ctl.ground([("base", [])])

        deadline.run(ground, "grounding")
        self._literals: dict[str, dict[int, int]] = {}

    def literals(self, name: str) -> dict[int, int]:
        """The program literal of each `name`/1 atom in the ground program, by argument position."""
        if name not in self._literals:
            self._literals[name] = {
                atom.symbol.arguments[0].number: atom.literal for atom in self.ctl.symbolic_atoms.by_signature(name, 1)
            }
        return self._literals[name]

    def _configure(self, mode: str, limit: int) -> None:
        if mode == "domRec" and not self.size:
            mode = "auto"  # no in/1 atom to maximise (and clasp would say so on stderr)
        self.ctl.configuration.solve.enum_mode = mode
        self.ctl.configuration.solve.models = str(limit)

    def models(self, mode: str = "auto", assumptions: Sequence[_Assumption] = (), limit: int = 0) -> list[Extension]:
        """The extension (shown in/1 atoms) of each answer set, in clingo's order; the last
        is the consequences in the brave and cautious modes."""
        self._configure(mode, limit)
        found: list[Extension] = []
        if self.deadline.end is None and watching():
            # No deadline: solve synchronously (a fifth of the cost of an asynchronous
            # solve on a small framework); a signal interrupts it through the watchdog.
            with solving(self.ctl), self.ctl.solve(yield_=True, assumptions=list(assumptions)) as handle:
                for model in handle:
                    found.append(frozenset(s.arguments[0].number for s in model.symbols(shown=True)))
                if handle.get().interrupted:  # by a signal whose handler did not raise
                    raise KeyboardInterrupt
            return found
        with self.ctl.solve(yield_=True, async_=True, assumptions=list(assumptions)) as handle:
            while True:
                handle.resume()
                self.deadline.wait(handle.wait, "solving")
                model = handle.model()
                if model is None:
                    return found
                found.append(frozenset(s.arguments[0].number for s in model.symbols(shown=True)))
                self.deadline.check("reading the answers")

    def first(self, mode: str = "auto", assumptions: Sequence[_Assumption] = ()) -> Extension | None:
        """The extension of the first answer set, or None when there is none."""
        found = self.models(mode, assumptions, limit=1)
        return found[0] if found else None

    def consequences(self, mode: str, assumptions: Sequence[_Assumption] = ()) -> Extension | None:
        """Brave or cautious consequences over in/1, or None when there is no answer set."""
        found = self.models(mode, assumptions)
        return found[-1] if found else None

    # Rules added between solves.
    def activation(self) -> int:
        """A fresh atom for the rules of one question: assume it while they apply, release it after."""
        from clingo import TruthValue

        with self.ctl.backend() as backend:
            atom = backend.add_atom()
            backend.add_external(atom, TruthValue.Free)
        return atom

    def some_of(self, activation: int, literals: Iterable[int]) -> None:
        """While `activation` holds, at least one of `literals` is true."""
        with self.ctl.backend() as backend:
            backend.add_rule([], [-literal for literal in literals] + [activation])

    def release(self, activation: int) -> None:
        """False from now on: the rules it activates no longer apply."""
        self.ctl.release_external(activation)

    def exceeds(self, name: str, members: Extension, assumptions: Sequence[_Assumption] = ()) -> Extension | None:
        """An answer set whose `name`/1 atoms (in or range) strictly include `members`, or None."""
        literals = self.literals(name)
        outside = [literal for i, literal in literals.items() if i not in members]
        if not outside:
            return None
        activation = self.activation()
        try:
            self.some_of(activation, outside)
            return self.first(assumptions=[*(literals[i] for i in members), activation, *assumptions])
        finally:
            self.release(activation)


class Reasoner(ABC):
    """The extensions of one framework under one semantics, and acceptance in them."""

    def __init__(self, framework: Framework, semantics: str, deadline: Deadline | None = None) -> None:
        if semantics not in FILES:
            raise ValueError(f"unknown semantics {semantics}")
        self.framework = framework
        self.semantics = semantics
        self.deadline = deadline or Deadline()
        self.everything: Extension = frozenset(range(len(framework)))

    # The primitives every semantics provides.
    @abstractmethod
    def extensions(self) -> list[Extension]:
        """Every extension, in a fixed order (sorted by member names)."""

    @abstractmethod
    def some_extension(self) -> Extension | None:
        """One extension (the first clingo finds), or None when there is none."""

    @abstractmethod
    def credulous(self, argument: int) -> tuple[bool, Extension | None]:
        """Is `argument` in some extension?  With such an extension as witness."""

    @abstractmethod
    def sceptical(self, argument: int) -> tuple[bool, Extension | None]:
        """Is `argument` in every extension?  When not, an extension without it.

        With no extension at all (stable semantics only) every argument is
        sceptically accepted, vacuously: the ICCMA convention.
        """

    @abstractmethod
    def acceptance(self) -> tuple[Extension, Extension]:
        """(credulously accepted, sceptically accepted) arguments."""


def reasoner(framework: Framework, semantics: str, deadline: Deadline | None = None) -> Reasoner:
    """The reasoner for `semantics` over `framework`, within `deadline` (none by default)."""
    kinds: dict[str, type[Reasoner]] = {
        "GR": _Unique,
        "ID": _Unique,
        "PR": _Preferred,
        "SST": _MaximalRange,
        "STG": _MaximalRange,
    }
    return kinds.get(semantics, _Plain)(framework, semantics, deadline)


class _Plain(Reasoner):
    """Semantics whose answer sets are exactly the extensions (CF, ADM, CO, ST).

    Under CO, SE and DS need no search: the grounded extension is complete and
    lies in every complete extension.
    """

    def __init__(self, framework: Framework, semantics: str, deadline: Deadline | None = None) -> None:
        super().__init__(framework, semantics, deadline)
        self._solver: _Solver | None = None

    @property
    def solver(self) -> _Solver:
        if self._solver is None:
            self._solver = _Solver(self.framework, [FILES[self.semantics]], self.deadline)
        return self._solver

    def extensions(self) -> list[Extension]:
        return self.framework.order(self.solver.models())

    def some_extension(self) -> Extension | None:
        if self.semantics == "CO":
            return grounded(self.framework)
        return self.solver.first()

    def credulous(self, argument: int) -> tuple[bool, Extension | None]:
        witness = self.solver.first(assumptions=[(_in(argument), True)])
        return witness is not None, witness

    def sceptical(self, argument: int) -> tuple[bool, Extension | None]:
        if self.semantics == "CO":
            least = grounded(self.framework)
            return argument in least, None if argument in least else least
        counter = self.solver.first(assumptions=[(_in(argument), False)])
        return counter is None, counter

    def acceptance(self) -> tuple[Extension, Extension]:
        brave = self.solver.consequences("brave")
        if brave is None:
            return frozenset(), self.everything
        cautious = self.solver.consequences("cautious")
        assert cautious is not None
        return brave, cautious


class _Unique(Reasoner):
    """Single-status semantics (GR, ID): exactly one extension."""

    def __init__(self, framework: Framework, semantics: str, deadline: Deadline | None = None) -> None:
        super().__init__(framework, semantics, deadline)
        if semantics == "GR":
            found = [grounded(framework)]
        else:
            credulous = _Solver(framework, [FILES["PR"]], self.deadline).consequences("brave") or frozenset()
            unattacked = self.everything - {b for a, b in framework.attacks if a in credulous}
            found = [ideal_within(framework, unattacked, self.deadline)]
        if len(found) != 1:
            raise RuntimeError(f"{semantics}: expected one extension, clingo found {len(found)}")
        self.extension = found[0]

    def extensions(self) -> list[Extension]:
        return [self.extension]

    def some_extension(self) -> Extension | None:
        return self.extension

    def credulous(self, argument: int) -> tuple[bool, Extension | None]:
        inside = argument in self.extension
        return inside, self.extension if inside else None

    def sceptical(self, argument: int) -> tuple[bool, Extension | None]:
        inside = argument in self.extension
        return inside, None if inside else self.extension

    def acceptance(self) -> tuple[Extension, Extension]:
        return self.extension, self.extension


class _Preferred(Reasoner):
    """Subset-maximal complete extensions, by domRec enumeration."""

    def __init__(self, framework: Framework, semantics: str, deadline: Deadline | None = None) -> None:
        super().__init__(framework, semantics, deadline)
        self.solver = _Solver(framework, [FILES["PR"]], self.deadline)
        self._all: list[Extension] | None = None

    def extensions(self) -> list[Extension]:
        if self._all is None:
            self._all = self.framework.order(self.solver.models("domRec"))
        return self._all

    def some_extension(self) -> Extension | None:
        return self.solver.first("domRec")

    def credulous(self, argument: int) -> tuple[bool, Extension | None]:
        # A set maximal among the admissible sets containing `argument` is maximal
        # among all: any admissible superset contains `argument` too.
        witness = self.solver.first("domRec", [(_in(argument), True)])
        return witness is not None, witness

    def sceptical(self, argument: int) -> tuple[bool, Extension | None]:
        # A preferred extension without `argument` is maximal among the sets
        # without it.  A candidate that a complete extension strictly includes
        # is not preferred, and neither is any subset of it: rule them out.
        solver = self.solver
        inside = solver.literals("in")
        ruled_out = solver.activation()
        try:
            while True:
                candidate = solver.first("domRec", [(_in(argument), False), ruled_out])
                if candidate is None:
                    return True, None
                if solver.exceeds("in", candidate) is None:
                    return False, candidate
                solver.some_of(ruled_out, (literal for i, literal in inside.items() if i not in candidate))
        finally:
            solver.release(ruled_out)

    def acceptance(self) -> tuple[Extension, Extension]:
        brave = self.solver.consequences("brave")
        assert brave is not None  # the empty set is always admissible
        return brave, frozenset.intersection(*self.extensions())


class _MaximalRange(Reasoner):
    """Extensions of a base semantics whose range is subset-maximal (SST over CO, STG over CF)."""

    def __init__(self, framework: Framework, semantics: str, deadline: Deadline | None = None) -> None:
        super().__init__(framework, semantics, deadline)
        self.solver = _Solver(framework, [FILES[semantics], PREFER_IN], self.deadline)
        self._targets: dict[int, list[int]] = {}
        for a, b in framework.attacks:
            self._targets.setdefault(a, []).append(b)
        self._ranges: list[Extension] | None = None

    def range_of(self, extension: Extension) -> Extension:
        """The extension and the arguments it attacks."""
        covered = set(extension)
        for a in extension:
            covered.update(self._targets.get(a, ()))
        return frozenset(covered)

    def _outside(self, covered: Extension) -> list[int]:
        return [literal for i, literal in self.solver.literals("range").items() if i not in covered]

    def _climb(self, extension: Extension, assumptions: Sequence[_Assumption] = ()) -> Extension:
        """An extension whose range includes `extension`'s and is maximal (among those under `assumptions`)."""
        while (larger := self.solver.exceeds("range", self.range_of(extension), assumptions)) is not None:
            extension = larger
        return extension

    def ranges(self) -> list[Extension]:
        """The subset-maximal ranges: climb from any set not within a range found, until none is left."""
        if self._ranges is None:
            found: list[Extension] = []
            ruled_out = self.solver.activation()
            try:
                while (start := self.solver.first(assumptions=[ruled_out])) is not None:
                    covered = self.range_of(self._climb(start))
                    found.append(covered)
                    self.solver.some_of(ruled_out, self._outside(covered))
            finally:
                self.solver.release(ruled_out)
            self._ranges = sorted(found, key=sorted)
        return self._ranges

    def _exactly(self, covered: Extension) -> list[_Assumption]:
        return [literal if i in covered else -literal for i, literal in self.solver.literals("range").items()]

    def extensions(self) -> list[Extension]:
        found: list[Extension] = []
        for covered in self.ranges():
            found.extend(self.solver.models(assumptions=self._exactly(covered)))
        return self.framework.order(found)

    def some_extension(self) -> Extension | None:
        start = self.solver.first()
        return None if start is None else self._climb(start)

    def _maximal_with(self, argument: int, inside: bool) -> Extension | None:
        """An extension with (or without) `argument` whose range is maximal among all, or None.

        Climb from a set with (without) the argument, first keeping it so, then
        freely; if the range grew past the sets with (without) the argument, look
        for one of those with exactly the maximal range.  If there is none, no set
        whose range lies within that range can answer: rule them out and start
        again.
        """
        condition: list[_Assumption] = [(_in(argument), inside)]
        solver = self.solver
        ruled_out = solver.activation()
        try:
            while (start := solver.first(assumptions=[*condition, ruled_out])) is not None:
                kept = self._climb(start, condition)
                top = self._climb(kept)
                if top == kept:
                    return kept
                covered = self.range_of(top)
                witness = solver.first(assumptions=[*self._exactly(covered), *condition])
                if witness is not None:
                    return witness
                solver.some_of(ruled_out, self._outside(covered))
            return None
        finally:
            solver.release(ruled_out)

    def credulous(self, argument: int) -> tuple[bool, Extension | None]:
        witness = self._maximal_with(argument, True)
        return witness is not None, witness

    def sceptical(self, argument: int) -> tuple[bool, Extension | None]:
        counter = self._maximal_with(argument, False)
        return counter is None, counter

    def acceptance(self) -> tuple[Extension, Extension]:
        found = self.extensions()
        if not found:
            return frozenset(), self.everything
        return frozenset().union(*found), frozenset.intersection(*found)


def grounded(framework: Framework) -> Extension:
    """The grounded extension: the least fixpoint of F(S) = {X | S attacks every attacker of X}.

    Linear in the framework, in Python (grounded.lp computes the same by
    grounding alone; the tests check one against the other): an argument
    joins once all its attackers are defeated, and defeats what it attacks.
    """
    undefeated = [0] * len(framework)
    targets: dict[int, list[int]] = {}
    for a, b in framework.attacks:
        undefeated[b] += 1
        targets.setdefault(a, []).append(b)
    waiting = [x for x, count in enumerate(undefeated) if count == 0]
    members: set[int] = set()
    defeated: set[int] = set()
    while waiting:
        x = waiting.pop()
        members.add(x)
        for y in targets.get(x, ()):
            if y not in defeated:
                defeated.add(y)
                for z in targets.get(y, ()):
                    undefeated[z] -= 1
                    if undefeated[z] == 0:
                        waiting.append(z)
    return frozenset(members)


def ideal_within(framework: Framework, candidates: Extension, deadline: Deadline | None = None) -> Extension:
    """The largest admissible set of `candidates` (ideal.lp).

    With the intersection of the preferred extensions as candidates, or the
    arguments no credulously accepted argument attacks, it is the ideal extension.
    """
    if not candidates:
        return frozenset()
    extra = "".join(f"candidate({i})." for i in sorted(candidates))
    found = _Solver(framework, [FILES["ID"]], deadline or Deadline(), extra).models("domRec")
    if len(found) != 1:
        raise RuntimeError(f"ideal.lp: expected one maximal admissible set, clingo found {len(found)}")
    return found[0]
