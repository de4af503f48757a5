"""Argumentation semantics on clingo: one ASP encoding per semantics.

The encodings are ``src/argmap/lp/af/*.lp``, parsed once per process.  For each
question a framework is added to a fresh control as facts built from clingo
symbols (``arg(1)``, ``att(1,2)``: positions, never names) through
:class:`clingo.ast.ProgramBuilder`, and grounded with the encoding.

How each semantics is computed:

- CF, ADM, CO, ST: the answer sets are the extensions; credulous and sceptical
  acceptance of one argument are a solve under the assumption ``in(a)`` or
  ``not in(a)``; acceptance of all arguments at once is brave and cautious
  consequences.
- GR: the least fixpoint, by grounding a positive program; one answer set.
- PR: clasp's domain heuristic with ``--enum-mode=domRec`` enumerates the
  subset-maximal answer sets.  Credulous acceptance is brave consequences
  (the same under admissible, complete and preferred semantics); a preferred
  extension containing ``a`` is a maximal one under the assumption ``in(a)``.
  For sceptical acceptance an assumption ``not in(a)`` changes which sets are
  maximal, so each set maximal among those without ``a`` is checked for global
  maximality (``maximality.lp``) until one passes: a preferred extension
  without ``a``.
- SST, STG: the same on ``range/1``: domRec gives the subset-maximal ranges
  (under an assumption on ``in(a)``, the ranges maximal among the extensions
  with or without ``a``, each then checked for global maximality); the
  extensions with exactly a given range are enumerated under assumptions on
  ``range/1``.
- ID: brave consequences of preferred.lp give the credulously accepted
  arguments; the ideal extension is the largest admissible set of arguments
  none of them attacks (ideal.lp).
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import clingo
from clingo import ast

from .framework import Extension, Framework

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
#: The maximality check, loaded with PR, SST and STG for DS (and DC).
MAXIMALITY = "maximality.lp"
#: The semantics of the ICCMA competitions, in the order argmap reports them.
ICCMA_SEMANTICS = ("GR", "ID", "CO", "PR", "ST", "SST", "STG")

_Assumptions = list[tuple[clingo.Symbol, bool]]


def _quiet(_code: clingo.MessageCode, _message: str) -> None:
    """The encodings are argmap's own; clingo's info messages are not for the user."""


@functools.cache
def _program(file: str) -> tuple[ast.AST, ...]:
    statements: list[ast.AST] = []
    ast.parse_files([str(ENCODINGS / file)], statements.append, logger=_quiet)
    return tuple(statements)


_LOC = ast.Location(ast.Position("<framework>", 1, 1), ast.Position("<framework>", 1, 1))


def _fact(symbol: clingo.Symbol) -> ast.AST:
    atom = ast.SymbolicAtom(ast.SymbolicTerm(_LOC, symbol))
    return ast.Rule(_LOC, ast.Literal(_LOC, ast.Sign.NoSign, atom), [])


def _in(i: int) -> clingo.Symbol:
    return clingo.Function("in", [clingo.Number(i)])


def _range(i: int) -> clingo.Symbol:
    return clingo.Function("range", [clingo.Number(i)])


class _Solver:
    """One framework grounded with encoding files (a semantics, maybe maximality.lp); many solves."""

    def __init__(self, framework: Framework, files: Sequence[str], extra: Iterable[clingo.Symbol] = ()) -> None:
        self.size = len(framework)
        self.ctl = clingo.Control(["--heuristic=Domain", "--warn=none"], logger=_quiet)
        with ast.ProgramBuilder(self.ctl) as builder:
            for file in files:
                for statement in _program(file):
                    builder.add(statement)
            for i in range(self.size):
                builder.add(_fact(clingo.Function("arg", [clingo.Number(i)])))
            for a, b in sorted(framework.attacks):
                builder.add(_fact(clingo.Function("att", [clingo.Number(a), clingo.Number(b)])))
            for symbol in extra:
                builder.add(_fact(symbol))
        self.ctl.ground([("base", [])])

    @staticmethod
    def _read(model: clingo.Model) -> tuple[Extension, Extension]:
        members, covered = set(), set()
        for symbol in model.symbols(atoms=True):
            if symbol.name == "in" and len(symbol.arguments) == 1:
                members.add(symbol.arguments[0].number)
            elif symbol.name == "range" and len(symbol.arguments) == 1:
                covered.add(symbol.arguments[0].number)
        return frozenset(members), frozenset(covered)

    def _configure(self, mode: str, limit: int) -> None:
        if mode == "domRec" and not self.size:
            mode = "auto"  # no in/1 atom to maximise (and clasp would say so on stderr)
        self.ctl.configuration.solve.enum_mode = mode
        self.ctl.configuration.solve.models = str(limit)

    def models(
        self, mode: str = "auto", assumptions: _Assumptions | None = None, limit: int = 0
    ) -> list[tuple[Extension, Extension]]:
        """(extension, range) of each answer set, in clingo's order."""
        self._configure(mode, limit)
        with self.ctl.solve(yield_=True, assumptions=assumptions or []) as handle:
            return [self._read(model) for model in handle]

    def first(self, mode: str = "auto", assumptions: _Assumptions | None = None) -> Extension | None:
        """The extension of the first answer set, or None when there is none."""
        found = self.models(mode, assumptions, limit=1)
        return found[0][0] if found else None

    def find(
        self,
        accept: Callable[[Extension, Extension], bool],
        mode: str = "auto",
        assumptions: _Assumptions | None = None,
    ) -> Extension | None:
        """The extension of the first answer set whose (extension, range) `accept` takes, stopping there."""
        self._configure(mode, 0)
        with self.ctl.solve(yield_=True, assumptions=assumptions or []) as handle:
            for model in handle:
                members, covered = self._read(model)
                if accept(members, covered):
                    return members
        return None

    def consequences(self, mode: str, assumptions: _Assumptions | None = None) -> Extension | None:
        """Brave or cautious consequences over in/1, or None when there is no answer set."""
        self._configure(mode, 0)
        last: Extension | None = None
        with self.ctl.solve(yield_=True, assumptions=assumptions or []) as handle:
            for model in handle:
                last = self._read(model)[0]
        return last

    def exceeds(self, atom: str, candidate: Extension) -> bool:
        """Is there an answer set whose `atom`/1 atoms (in or range) strictly include `candidate`?

        Needs maximality.lp; sets its beyond/1 externals (they stay set until the next call).
        """
        assumptions: _Assumptions = [(clingo.Function(f"larger_{atom}"), True)]
        for i in range(self.size):
            inside = i in candidate
            self.ctl.assign_external(clingo.Function("beyond", [clingo.Number(i)]), not inside)
            if inside:
                assumptions.append((clingo.Function(atom, [clingo.Number(i)]), True))
        return self.first(assumptions=assumptions) is not None


class Reasoner(ABC):
    """The extensions of one framework under one semantics, and acceptance in them."""

    def __init__(self, framework: Framework, semantics: str) -> None:
        if semantics not in FILES:
            raise ValueError(f"unknown semantics {semantics}")
        self.framework = framework
        self.semantics = semantics
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


def reasoner(framework: Framework, semantics: str) -> Reasoner:
    """The reasoner for `semantics` over `framework`."""
    kinds: dict[str, type[Reasoner]] = {
        "GR": _Unique,
        "ID": _Unique,
        "PR": _Preferred,
        "SST": _MaximalRange,
        "STG": _MaximalRange,
    }
    return kinds.get(semantics, _Plain)(framework, semantics)


class _Plain(Reasoner):
    """Semantics whose answer sets are exactly the extensions (CF, ADM, CO, ST)."""

    def __init__(self, framework: Framework, semantics: str) -> None:
        super().__init__(framework, semantics)
        self.solver = _Solver(framework, [FILES[semantics]])

    def extensions(self) -> list[Extension]:
        return self.framework.order(e for e, _ in self.solver.models())

    def some_extension(self) -> Extension | None:
        return self.solver.first()

    def credulous(self, argument: int) -> tuple[bool, Extension | None]:
        witness = self.solver.first(assumptions=[(_in(argument), True)])
        return witness is not None, witness

    def sceptical(self, argument: int) -> tuple[bool, Extension | None]:
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

    def __init__(self, framework: Framework, semantics: str) -> None:
        super().__init__(framework, semantics)
        if semantics == "GR":
            found = _Solver(framework, [FILES["GR"]]).models()
        else:
            credulous = _Solver(framework, [FILES["PR"]]).consequences("brave") or frozenset()
            unattacked = self.everything - {b for a, b in framework.attacks if a in credulous}
            found = [(ideal_within(framework, unattacked), frozenset())]
        if len(found) != 1:
            raise RuntimeError(f"{semantics}: expected one extension, clingo found {len(found)}")
        self.extension = found[0][0]

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

    def __init__(self, framework: Framework, semantics: str) -> None:
        super().__init__(framework, semantics)
        self.solver = _Solver(framework, [FILES["PR"]])
        self._checker: _Solver | None = None
        self._all: list[Extension] | None = None

    def extensions(self) -> list[Extension]:
        if self._all is None:
            self._all = self.framework.order(e for e, _ in self.solver.models("domRec"))
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
        # without it; of those, the first that is maximal among all sets.
        if self._checker is None:
            self._checker = _Solver(self.framework, [FILES["PR"], MAXIMALITY])
        checker = self._checker
        counter = self.solver.find(
            lambda members, _: not checker.exceeds("in", members), "domRec", [(_in(argument), False)]
        )
        return counter is None, counter

    def acceptance(self) -> tuple[Extension, Extension]:
        brave = self.solver.consequences("brave")
        assert brave is not None  # the empty set is always admissible
        return brave, frozenset.intersection(*self.extensions())


class _MaximalRange(Reasoner):
    """Extensions of a base semantics whose range is subset-maximal (SST over CO, STG over CF)."""

    def __init__(self, framework: Framework, semantics: str) -> None:
        super().__init__(framework, semantics)
        self.solver = _Solver(framework, [FILES[semantics]])
        self._checker: _Solver | None = None
        self._ranges: list[Extension] | None = None

    def ranges(self) -> list[Extension]:
        """The subset-maximal ranges (one domRec answer set each)."""
        if self._ranges is None:
            found = dict.fromkeys(covered for _, covered in self.solver.models("domRec"))
            self._ranges = sorted(found, key=sorted)
        return self._ranges

    def _exactly(self, covered: Extension) -> _Assumptions:
        return [(_range(i), i in covered) for i in range(len(self.framework))]

    def extensions(self) -> list[Extension]:
        found: list[Extension] = []
        for covered in self.ranges():
            found.extend(e for e, _ in self.solver.models(assumptions=self._exactly(covered)))
        return self.framework.order(found)

    def some_extension(self) -> Extension | None:
        return self.solver.first("domRec")

    def _maximal_with(self, argument: int, inside: bool) -> Extension | None:
        """An extension with (or without) `argument` whose range is maximal among all, or None.

        Its range is maximal among the extensions with (or without) the argument
        too, so domRec under the assumption finds it among its candidates.
        """
        if self._checker is None:
            self._checker = _Solver(self.framework, [FILES[self.semantics], MAXIMALITY])
        checker = self._checker
        return self.solver.find(
            lambda _, covered: not checker.exceeds("range", covered), "domRec", [(_in(argument), inside)]
        )

    def credulous(self, argument: int) -> tuple[bool, Extension | None]:
        witness = self._maximal_with(argument, True)
        return witness is not None, witness

    def sceptical(self, argument: int) -> tuple[bool, Extension | None]:
        counter = self._maximal_with(argument, False)
        return counter is None, counter

    def acceptance(self) -> tuple[Extension, Extension]:
        brave: set[int] = set()
        cautious = set(self.everything)
        for covered in self.ranges():
            assumptions = self._exactly(covered)
            brave |= self.solver.consequences("brave", assumptions) or frozenset()
            cautious &= self.solver.consequences("cautious", assumptions) or frozenset()
        return frozenset(brave), frozenset(cautious)


def ideal_within(framework: Framework, candidates: Extension) -> Extension:
    """The largest admissible set of `candidates` (ideal.lp).

    With the intersection of the preferred extensions as candidates, or the
    arguments no credulously accepted argument attacks, it is the ideal extension.
    """
    if not candidates:
        return frozenset()
    extra = [clingo.Function("candidate", [clingo.Number(i)]) for i in sorted(candidates)]
    found = _Solver(framework, [FILES["ID"]], extra).models("domRec")
    if len(found) != 1:
        raise RuntimeError(f"ideal.lp: expected one maximal admissible set, clingo found {len(found)}")
    return found[0][0]
