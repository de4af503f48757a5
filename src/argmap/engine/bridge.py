"""The bridge from a knowledge base's own verdict atoms to the engine's generic ``__value/2``.

A knowledge base derives its verdicts as it likes (``effective``,
``cost(high)``, ``gaps(funding)``).  The engine's support programs
(repair goals, design-space objectives, roadmap inputs) need one generic
predicate instead, so for each ``verdict(Name, Kind, Label)`` fact argmap adds:

- bool: ``__value(Name, true) :- Name.`` and ``__value(Name, false) :- not Name.``
- level and set: ``__value(Name, X) :- Name(X).``

The rules are built as clingo AST from the declaration's symbols, never from
text.  The declarations must be facts (they are read before grounding).
"""

from __future__ import annotations

from collections.abc import Sequence

import clingo
from clingo import ast

from ..asp import program
from ..asp.program import ProgramIndex
from ..model.errors import InputError
from ..model.verdicts import KINDS

_IDENT = clingo.SymbolType.Function


def declarations(index: ProgramIndex) -> list[tuple[str, str, str, str]]:
    """The ``verdict/3`` facts as (name, kind, label, where), checked, in file order."""
    found = []
    for sym, info in index.facts.items():
        if sym.type != _IDENT or sym.name != "verdict" or len(sym.arguments) != 3:
            continue
        name, kind, label = sym.arguments
        where = dict(path=info.file, line=info.line, column=info.column)
        if name.type != _IDENT or name.arguments or not name.name or name.name.startswith("_"):
            raise InputError(
                f"{sym}: a verdict's name must be a lower-case constant",
                key="verdict/3",
                **where,  # type: ignore[arg-type]
                expected='verdict(name, bool|level|set, "Label")',
            )
        if kind.type != _IDENT or kind.name not in KINDS or kind.arguments:
            raise InputError(
                f"{sym}: '{kind}' is not a kind of verdict",
                key="verdict/3",
                **where,  # type: ignore[arg-type]
                expected="bool, level or set",
            )
        if label.type != clingo.SymbolType.String:
            raise InputError(
                f"{sym}: a verdict's label must be a string",
                key="verdict/3",
                **where,  # type: ignore[arg-type]
                expected='a label in double quotes, e.g. "cuts congestion"',
            )
        found.append((name.name, kind.name, label.string, info.where, (info.file, info.line, info.column)))
    names = [f[0] for f in found]
    for n in set(names):
        if names.count(n) > 1:
            first = next(f for f in found if f[0] == n)
            raise InputError(f"the verdict {n} is declared twice", path=first[4][0], line=first[4][1], key="verdict/3")
    order = {path: i for i, path in enumerate(index.files)}
    found.sort(key=lambda f: (order.get(f[4][0], len(order)), f[4][1], f[4][2], f[0]))
    return [(n, k, lab, w) for n, k, lab, w, _ in found]


def generate(index: ProgramIndex) -> Sequence[ast.AST]:
    """The ``__value/2`` rules for every declared verdict."""
    fn = clingo.Function
    out: list[ast.AST] = []
    for name, kind, _, _ in declarations(index):
        if kind == "bool":
            atom = program.function(name, [])
            out.append(program.rule(fn("__value", [fn(name), fn("true")]), [(True, atom)]))
            out.append(program.rule(fn("__value", [fn(name), fn("false")]), [(False, atom)]))
        else:
            x = program.variable("X")
            out.append(program.rule(program.function("__value", [fn(name), x]), [(True, program.function(name, [x]))]))
    return out
