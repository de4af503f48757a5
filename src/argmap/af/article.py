"""The article's own framework (facts/af.lp): which of its positions stand.

facts/af.lp ties each argument to a claim of facts/claims.lp
(``af_arg(Argument, Claim)``), names who holds it (``af_by/2``) and lists the
attacks (``af_att/2``).  It is a knowledge-base file, loaded like the rest of
the knowledge base; its arguments are then reasoned about like any framework.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import clingo

from ..errors import InputError
from .framework import Extension, Framework
from .reasoner import ICCMA_SEMANTICS, reasoner


def default_files() -> list[str]:
    """facts/claims.lp and facts/af.lp as shipped: in the wheel, or in the source tree."""
    package = Path(__file__).resolve().parent.parent
    for facts in (package / "kb" / "facts", package.parent.parent / "facts"):
        if (facts / "af.lp").is_file() and (facts / "claims.lp").is_file():
            return [str(facts / "claims.lp"), str(facts / "af.lp")]
    raise InputError("cannot find the article's framework; pass --kb FILE", expected="facts/af.lp")


@dataclass(frozen=True)
class Position:
    """One argument of the article's framework."""

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


def load_article(files: Sequence[str] | None = None) -> ArticleFramework:
    """Load af_arg/2, af_by/2 and af_att/2 (and the claims they cite) and check them."""
    paths = list(files) if files else default_files()
    messages: list[str] = []
    ctl = clingo.Control(["--warn=none"], logger=lambda _code, text: messages.append(text.strip()))
    for path in paths:
        if not os.path.isfile(path):
            raise InputError("no such file", path=path)
        try:
            ctl.load(path)
        except RuntimeError:
            raise InputError(messages[0] if messages else "cannot parse the file", path=path) from None
    try:
        ctl.ground([("base", [])])
    except RuntimeError:
        raise InputError(messages[0] if messages else "cannot ground the knowledge base", path=paths[-1]) from None
    where = ", ".join(paths)

    facts: dict[tuple[str, int], list[clingo.Symbol]] = {}
    for atom in ctl.symbolic_atoms:
        if atom.is_fact:
            facts.setdefault((atom.symbol.name, len(atom.symbol.arguments)), []).append(atom.symbol)
    claims = {_text(s.arguments[0]) for s in facts.get(("claim", 2), [])}
    paraphrases = {_text(s.arguments[0]): _text(s.arguments[1]) for s in facts.get(("paraphrase", 2), [])}

    grounds: dict[str, str] = {}
    for s in sorted(facts.get(("af_arg", 2), [])):
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
        raise InputError("no af_arg/2 facts: the knowledge base has no argumentation framework", path=where)

    holders: dict[str, list[str]] = {}
    attacks: list[tuple[str, str]] = []
    for s in sorted(facts.get(("af_by", 2), [])):
        if _text(s.arguments[0]) not in grounds:
            raise InputError(f"{s}: {s.arguments[0]} is not an argument (no af_arg/2 fact)", path=where)
        holders.setdefault(_text(s.arguments[0]), []).append(_text(s.arguments[1]))
    for s in sorted(facts.get(("af_att", 2), [])):
        a, b = (_text(t) for t in s.arguments)
        for name in (a, b):
            if name not in grounds:
                raise InputError(f"{s}: {name} is not an argument (no af_arg/2 fact)", path=where)
        attacks.append((a, b))

    names = sorted(grounds)
    framework = Framework.build(names, attacks, path=paths[-1], fmt="kb")
    positions = {n: Position(n, grounds[n], tuple(holders.get(n, ())), paraphrases.get(grounds[n], "")) for n in names}
    return ArticleFramework(framework, positions, tuple(paths))


def acceptance(framework: Framework, semantics: Sequence[str] = ICCMA_SEMANTICS) -> list[Acceptance]:
    """For each semantics: the extensions, and the credulously and sceptically accepted arguments."""
    report = []
    for name in semantics:
        engine = reasoner(framework, name)
        credulous, sceptical = engine.acceptance()
        report.append(Acceptance(name, tuple(engine.extensions()), credulous, sceptical))
    return report
