"""A knowledge base's own argumentation framework: which of its positions stand.

A knowledge base may tie arguments to its claims (``af_arg(Argument, Claim)``),
name who holds them (``af_by/2``) and list the attacks (``af_att/2``); the
shipped one does in facts/af.lp.  The facts come from the knowledge base as
argmap loads it (the caller reads them from the engine); the arguments are
then reasoned about like any framework.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import clingo

from ..model.errors import InputError
from .codes import ICCMA_SEMANTICS
from .framework import Extension, Framework
from .limits import Deadline
from .semantics import reasoner


@dataclass(frozen=True)
class Position:
    """One argument of a knowledge base's framework."""

    id: str
    claim: str
    holders: tuple[str, ...] = ()
    paraphrase: str = ""


@dataclass(frozen=True)
class ArticleFramework:
    framework: Framework
    positions: dict[str, Position] = field(default_factory=dict)
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Acceptance:
    """Under one semantics: the extensions and who is accepted how."""

    semantics: str
    extensions: tuple[Extension, ...]
    credulous: Extension
    sceptical: Extension

    def status(self, position: int) -> str:
        """sceptical (in every extension), credulous (in some, not all), or none.

        With no extension at all (stable semantics only) every argument is
        sceptically accepted, vacuously: the ICCMA convention.
        """
        if position in self.sceptical:
            return "sceptical"
        return "credulous" if position in self.credulous else "none"


def _text(symbol: clingo.Symbol) -> str:
    return symbol.string if symbol.type == clingo.SymbolType.String else str(symbol)


def _constant(symbol: clingo.Symbol) -> bool:
    return symbol.type == clingo.SymbolType.Function and not symbol.arguments and bool(symbol.name)


def framework_of(facts: Callable[[str, int], Sequence[clingo.Symbol]], where: str) -> ArticleFramework:
    """A knowledge base's own framework from its facts: ``af_arg(Argument, Claim)``,
    ``af_by(Argument, Who)`` and ``af_att(Attacker, Attacked)`` (each argument names a claim).

    `facts(name, arity)` gives the ground facts of a predicate; `where` names the
    knowledge base in messages.

    Raises:
        InputError: no af_arg/2 facts, or one that names no argument or claim.
    """
    claims = {_text(s.arguments[0]) for s in facts("claim", 2)}
    paraphrases = {_text(s.arguments[0]): _text(s.arguments[1]) for s in facts("paraphrase", 2)}
    grounds: dict[str, str] = {}
    for s in sorted(facts("af_arg", 2)):
        arg, claim = s.arguments
        if not _constant(arg) or not _constant(claim):
            raise InputError(f"{s}: the argument and its claim must be identifiers", path=where)
        if arg.name in grounds and grounds[arg.name] != claim.name:
            raise InputError(
                f"argument {arg.name} rests on two claims, {grounds[arg.name]} and {claim.name}", path=where
            )
        if claims and claim.name not in claims:
            raise InputError(f"{s}: {claim.name} is not a claim of the knowledge base", path=where)
        grounds[arg.name] = claim.name
    if not grounds:
        raise InputError(
            "the knowledge base has no argumentation framework",
            path=where,
            expected="af_arg(Argument, Claim) and af_att(Attacker, Attacked) facts",
        )
    holders: dict[str, list[str]] = {}
    attacks: list[tuple[str, str]] = []
    for s in sorted(facts("af_by", 2)):
        if _text(s.arguments[0]) not in grounds:
            raise InputError(f"{s}: {s.arguments[0]} is not an argument (no af_arg/2 fact)", path=where)
        holders.setdefault(_text(s.arguments[0]), []).append(_text(s.arguments[1]))
    for s in sorted(facts("af_att", 2)):
        a, b = (_text(t) for t in s.arguments)
        for name in (a, b):
            if name not in grounds:
                raise InputError(f"{s}: {name} is not an argument (no af_arg/2 fact)", path=where)
        attacks.append((a, b))
    names = sorted(grounds)
    framework = Framework.build(names, attacks, path=where, fmt="kb")
    positions = {n: Position(n, grounds[n], tuple(holders.get(n, ())), paraphrases.get(grounds[n], "")) for n in names}
    return ArticleFramework(framework, positions, (where,))


def acceptance(
    framework: Framework, semantics: Sequence[str] = ICCMA_SEMANTICS, deadline: Deadline | None = None
) -> list[Acceptance]:
    """For each semantics: the extensions, and the credulously and sceptically accepted arguments."""
    report = []
    for name in semantics:
        engine = reasoner(framework, name, deadline)
        credulous, sceptical = engine.acceptance()
        report.append(Acceptance(name, tuple(engine.extensions()), credulous, sceptical))
    return report
