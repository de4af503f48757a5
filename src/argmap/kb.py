"""Loading a knowledge base: rule files parsed once, located, and traced.

A knowledge base is one or more ``.lp`` files (the first usually
``rules/main.lp``, which ``#include``s the rest).  :func:`load_program` parses
them with clingo's AST, adds them to a Control, and, when asked, adds for each
rule a *trace rule* that records every firing with the atoms that made it fire.
The explanation machinery reads those firings back; nothing is re-derived in
Python.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import clingo
from clingo import ast

from .errors import InputError

#: The predicate trace rules write: __fired(RuleIndex, Head, PositiveBody, NegativeBody).
FIRED = "__fired"

_MESSAGE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+)(?:-\d+(?::\d+)?)?: (?P<level>\w+): (?P<text>.*)$")


def default_kb() -> list[str]:
    """The knowledge base shipped with argmap: in the wheel, or in the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "kb" / "rules" / "main.lp", here.parent.parent / "rules" / "main.lp"):
        if candidate.is_file():
            return [str(candidate)]
    raise InputError("cannot find the default knowledge base; pass --kb FILE", expected="rules/main.lp")


@dataclass(frozen=True)
class RuleInfo:
    """Where a rule of the knowledge base stands."""

    index: int
    file: str
    line: int
    column: int
    text: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class ProgramIndex:
    """What loading learnt about the program: rules by index, facts by atom."""

    rules: list[RuleInfo] = field(default_factory=list)
    facts: dict[clingo.Symbol, RuleInfo] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    #: The unpooled AST of each rule, parallel to `rules`.
    asts: list[ast.AST] = field(default_factory=list)
    #: The documentation of each predicate, from `%*! pred(Args)` blocks.
    docs: dict[tuple[str, int], PredicateDoc] = field(default_factory=dict)

    def heads(self, name: str, arity: int) -> list[tuple[int, ast.AST]]:
        """The rules (index, head atom term) that can derive `name/arity`."""
        out = []
        for i, rule in enumerate(self.asts):
            for term in head_terms(rule):
                if signature(term) == (name, arity):
                    out.append((i, term))
        return out


@dataclass(frozen=True)
class PredicateDoc:
    """A predicate's docstring: description, argument names, sentence templates."""

    name: str
    args: tuple[str, ...]
    description: str
    text: str | None
    negated: str | None
    where: str
    #: The sentence for "no atom of this predicate matches" (a negation with `_`).
    none: str | None = None


def head_terms(rule: ast.AST) -> list[ast.AST]:
    """The atoms (as terms) a rule can derive."""
    head = rule.head
    if head.ast_type == ast.ASTType.Literal:
        if head.atom.ast_type == ast.ASTType.SymbolicAtom:
            return [head.atom.symbol]
        return []
    if head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction):
        return [e.literal.atom.symbol for e in head.elements if e.literal.atom.ast_type == ast.ASTType.SymbolicAtom]
    return []


def signature(term: ast.AST) -> tuple[str, int] | None:
    """The predicate name and arity of an atom given as a term, or None."""
    if term.ast_type == ast.ASTType.Function:
        return (term.name, len(term.arguments))
    if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type == clingo.SymbolType.Function:
        return (term.symbol.name, len(term.symbol.arguments))
    return None


class MessageLog:
    """Collects clingo's messages so that errors can name file, line and column."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.messages: list[str] = []

    def __call__(self, code: clingo.MessageCode, text: str) -> None:
        self.messages.append(text.rstrip())

    def error(self, summary: str) -> InputError:
        """The first error message as an InputError, with the rest appended."""
        lines = [m for m in self.messages if ": error:" in m.split("\n", 1)[0]] or self.messages
        if not lines:
            return InputError(summary)
        first = lines[0].split("\n")
        match = _MESSAGE.match(first[0])
        detail = " ".join(_relative_paths(part.strip(), self.root) for part in first[1:] if part.strip())
        if match is None:
            return InputError(f"{summary}: {' '.join(first)}")
        head = match.group("text").rstrip()
        text = head + ((" " if head.endswith(":") else ": ") + detail if detail else "")
        more = len(lines) - 1
        if more:
            text += f" (and {more} more error{'s' if more > 1 else ''})"
        return InputError(
            text,
            path=_relative(match.group("file"), self.root),
            line=int(match.group("line")),
            column=int(match.group("col")),
        )


_ABSOLUTE = re.compile(r"(/[^\s:]+\.lp)")


def _relative_paths(text: str, root: str) -> str:
    """Absolute .lp paths in a message, shown relative to the knowledge base's root."""
    return _ABSOLUTE.sub(lambda m: _relative(m.group(1), root), text)


def _relative(path: str, root: str) -> str:
    norm = os.path.normpath(path)
    try:
        rel = os.path.relpath(norm, root)
    except ValueError:
        return norm
    return norm if rel.startswith("..") else rel


def kb_root(files: Sequence[str]) -> str:
    """The folder paths are shown relative to: the parent of the first file's folder."""
    return os.path.dirname(os.path.dirname(os.path.abspath(files[0])))


#: clingo's comparison operators, as Python functions on symbols.
COMPARISONS = {
    ast.ComparisonOperator.Equal: lambda x, y: x == y,
    ast.ComparisonOperator.NotEqual: lambda x, y: x != y,
    ast.ComparisonOperator.LessThan: lambda x, y: x < y,
    ast.ComparisonOperator.LessEqual: lambda x, y: x <= y,
    ast.ComparisonOperator.GreaterThan: lambda x, y: x > y,
    ast.ComparisonOperator.GreaterEqual: lambda x, y: x >= y,
}

#: Engine-owned ASP files (support for sensitivity and repair), beside this module.
ENGINE_LP = Path(__file__).resolve().parent / "lp"


def load_program(
    ctl: clingo.Control,
    files: Sequence[str],
    log: MessageLog,
    *,
    trace: bool,
    support: Sequence[str] = (),
    drop_externals: frozenset[tuple[str, int]] = frozenset(),
    facts: Sequence[clingo.Symbol] = (),
) -> ProgramIndex:
    """Parse `files`, add them (and trace rules if asked) to `ctl`.

    `support` names engine-owned files (in :data:`ENGINE_LP`) added after the
    knowledge base; `drop_externals` removes the knowledge base's `#external`
    declarations of those signatures, so a support file can define them.
    `facts` are added as facts built from symbols (never from text), so user
    data such as a design space reaches the grounder without interpolation.
    """
    for path in files:
        if not os.path.isfile(path):
            raise InputError("no such rule file" if not os.path.isdir(path) else "is a directory", path=path)
    index = ProgramIndex()
    statements: list[ast.AST] = []
    try:
        ast.parse_files([os.path.abspath(f) for f in files], statements.append, logger=log, message_limit=20)
    except RuntimeError:
        raise log.error("the knowledge base does not parse") from None
    if drop_externals:
        statements = [s for s in statements if not _declares(s, drop_externals)]
    kb_statements = len(statements)
    ast.parse_files([str(ENGINE_LP / name) for name in support], statements.append, logger=log)
    tracer = _Tracer(index, log.root)
    try:
        with ast.ProgramBuilder(ctl) as builder:
            for n, stm in enumerate(statements):
                builder.add(stm)
                if n < kb_statements:
                    for extra in tracer.visit(stm, trace):
                        builder.add(extra)
            if facts:
                loc = ast.Location(ast.Position("<input>", 1, 1), ast.Position("<input>", 1, 1))
                builder.add(ast.Program(loc, "base", []))
                for sym in facts:
                    atom = ast.SymbolicAtom(ast.SymbolicTerm(loc, sym))
                    builder.add(ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, atom), []))
    except RuntimeError:
        raise log.error("the knowledge base is not a valid program") from None
    index.files = sorted({r.file for r in index.rules} | {r.file for r in index.facts.values()})
    for path in sorted({os.path.normpath(s.location.begin.filename) for s in statements}):
        index.docs.update(read_docs(path, log.root))
    return index


_DOC = re.compile(r"^%\*!\s*(?P<name>[a-z_][A-Za-z0-9_]*)(?:\((?P<args>[^)]*)\))?\s*$")


def read_docs(path: str, root: str) -> dict[tuple[str, int], PredicateDoc]:
    """The `%*! pred(Args)` docstrings of one file."""
    docs: dict[tuple[str, int], PredicateDoc] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return docs
    i = 0
    while i < len(lines):
        m = _DOC.match(lines[i].strip())
        if not m:
            i += 1
            continue
        start = i + 1
        args = tuple(a.strip() for a in m.group("args").split(",")) if m.group("args") else ()
        desc: list[str] = []
        text = negated = none = None
        i += 1
        while i < len(lines) and lines[i].strip() != "*%":
            line = lines[i].strip()
            if line.startswith("Text:"):
                text = line[5:].strip()
            elif line.startswith("Not:"):
                negated = line[4:].strip()
            elif line.startswith("None:"):
                none = line[5:].strip()
            elif not line.startswith(("Args:", "- ")) and line:
                desc.append(line)
            i += 1
        name = m.group("name")
        docs[(name, len(args))] = PredicateDoc(
            name, args, " ".join(desc), text, negated, f"{_relative(path, root)}:{start}", none
        )
        i += 1
    return docs


def _declares(stm: ast.AST, signatures: frozenset[tuple[str, int]]) -> bool:
    if stm.ast_type != ast.ASTType.External:
        return False
    return signature(stm.atom.symbol) in signatures


class _Tracer:
    def __init__(self, index: ProgramIndex, root: str) -> None:
        self.index = index
        self.root = root

    def visit(self, stm: ast.AST, trace: bool) -> list[ast.AST]:
        if stm.ast_type != ast.ASTType.Rule:
            return []
        loc = stm.location
        info_file = _relative(loc.begin.filename, self.root)
        extras: list[ast.AST] = []
        text = str(stm)  # once per statement: a pool may unfold it into thousands of rules
        for rule in stm.unpool():
            info = RuleInfo(len(self.index.rules), info_file, loc.begin.line, loc.begin.column, text)
            head = rule.head
            if (
                not rule.body
                and head.ast_type == ast.ASTType.Literal
                and head.atom.ast_type == ast.ASTType.SymbolicAtom
            ):
                try:
                    self.index.facts[clingo.parse_term(str(head.atom.symbol))] = info
                    continue
                except RuntimeError:
                    pass  # not a ground term: treat as a rule below
            self.index.rules.append(info)
            self.index.asts.append(rule)
            if trace:
                extras.extend(self._trace(rule, info.index))
        return extras

    def _trace(self, rule: ast.AST, idx: int) -> list[ast.AST]:
        loc = rule.location
        heads: list[tuple[ast.AST, list[ast.AST]]] = []
        head = rule.head
        if head.ast_type == ast.ASTType.Literal:
            if head.atom.ast_type != ast.ASTType.SymbolicAtom:
                return []  # an integrity constraint: nothing is derived
            heads.append((head.atom.symbol, []))
        elif head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction):
            for elem in head.elements:
                lit = elem.literal
                if lit.atom.ast_type == ast.ASTType.SymbolicAtom:
                    heads.append((lit.atom.symbol, [lit, *elem.condition]))
        else:
            return []
        pos: list[ast.AST] = []
        neg: list[ast.AST] = []
        namer = _Named()  # one per rule, so distinct `_` stay distinct variables
        body = [namer(lit) if _positive(lit) else lit for lit in rule.body]
        for lit in body:
            if lit.ast_type != ast.ASTType.Literal or lit.atom.ast_type != ast.ASTType.SymbolicAtom:
                continue
            if lit.sign == ast.Sign.NoSign:
                pos.append(lit.atom.symbol)
            elif lit.sign == ast.Sign.Negation:
                neg.append(_anonymous_to_string(lit.atom.symbol))
        out = []
        for term, extra_body in heads:
            fired = ast.Function(
                loc,
                FIRED,
                [
                    ast.SymbolicTerm(loc, clingo.Number(idx)),
                    term,
                    ast.Function(loc, "", pos, 0),
                    ast.Function(loc, "", neg, 0),
                ],
                0,
            )
            literal = ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(fired))
            out.append(ast.Rule(loc, literal, [*extra_body, *body]))
        return out


class _Anonymous(ast.Transformer):
    def visit_Variable(self, node: ast.AST) -> ast.AST:  # noqa: N802 (clingo's naming)
        if node.name == "_":
            return ast.SymbolicTerm(node.location, clingo.String("_"))
        return node


def _anonymous_to_string(term: ast.AST) -> ast.AST:
    return _Anonymous()(term)


class _Named(ast.Transformer):
    """Names the anonymous variables of a positive literal, so the trace can record it."""

    def __init__(self) -> None:
        self.count = 0

    def visit_Variable(self, node: ast.AST) -> ast.AST:  # noqa: N802
        if node.name == "_":
            self.count += 1
            return ast.Variable(node.location, f"ArgmapAnon{self.count}")
        return node


def _positive(lit: ast.AST) -> bool:
    return lit.ast_type == ast.ASTType.Literal and lit.sign == ast.Sign.NoSign
