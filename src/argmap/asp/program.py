"""Parsing a knowledge base once: rules located, indexed, documented and (when asked) traced.

:func:`build` parses the rule files that :mod:`argmap.asp.source` read and
checked, adds them to a ``clingo.Control`` through the AST, and records:

- every rule (unpooled) with its file and line, and its AST (:class:`ProgramIndex`);
- every fact, by its ground atom;
- every predicate's docstring (``%*! pred(Args)`` blocks, mkdoclingo's form);
- which signatures the program ``#show``s.

With ``trace`` it also adds, for each rule, a *trace rule* that records every
firing as ``__fired(RuleIndex, Head, PositiveBody, NegativeBody)``: the
explanations, the argument map and coverage read those records back, so
nothing is re-derived in Python.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import clingo
from clingo import ast

from ..model.errors import InputError
from . import terms
from .source import SourceFile

#: The predicate trace rules write: __fired(RuleIndex, Head, PositiveBody, NegativeBody).
FIRED = "__fired"

_MESSAGE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+)(?:-\d+(?::\d+)?)?: (?P<level>\w+): (?P<text>.*)$")


@dataclass(frozen=True)
class RuleInfo:
    """Where a rule or fact stands: ``file`` as messages show it, 1-based line and column.

    ``engine`` marks argmap's own prelude (not part of any knowledge base).
    """

    index: int
    file: str
    line: int
    column: int
    text: str
    engine: bool = False

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class PredicateDoc:
    """A predicate's docstring: description, argument names, sentence templates.

    ``text`` reads the atom as holding, ``negated`` as not holding, ``none`` as
    "no atom of this predicate matches" (a negation with ``_``).
    """

    name: str
    args: tuple[str, ...]
    description: str
    text: str | None
    negated: str | None
    where: str
    none: str | None = None


@dataclass
class ProgramIndex:
    """What parsing learnt about the program."""

    rules: list[RuleInfo] = field(default_factory=list)
    facts: dict[clingo.Symbol, RuleInfo] = field(default_factory=dict)
    #: The unpooled AST of each rule, parallel to `rules`.
    asts: list[ast.AST] = field(default_factory=list)
    docs: dict[terms.Signature, PredicateDoc] = field(default_factory=dict)
    #: The knowledge base's files (as shown), in the order read.
    files: list[str] = field(default_factory=list)
    #: Shown signatures; None when the program has no #show (everything is shown).
    shows: set[terms.Signature] | None = None
    #: Where each #show of a signature stands.
    show_where: dict[terms.Signature, str] = field(default_factory=dict)
    _views: dict[int, terms.Rule] = field(default_factory=dict)
    _heads: dict[terms.Signature, list[tuple[int, terms.Term]]] | None = None

    def view(self, i: int) -> terms.Rule:
        """Rule `i` converted to terms (cached)."""
        found = self._views.get(i)
        if found is None:
            found = self._views[i] = terms.convert(i, self.asts[i])
        return found

    def heads(self, name: str, arity: int) -> list[tuple[int, terms.Term]]:
        """The rules (index, head term) that can derive `name/arity`."""
        if self._heads is None:
            self._heads = {}
            for i in range(len(self.asts)):
                for head in self.view(i).heads:
                    sig = terms.signature(head)
                    if sig is not None:
                        self._heads.setdefault(sig, []).append((i, head))
        return self._heads.get((name, arity), [])

    def kb_rules(self) -> list[int]:
        """The knowledge base's own rules (not the engine's prelude)."""
        return [i for i, info in enumerate(self.rules) if not info.engine]


class MessageLog:
    """Collects clingo's messages so that errors can name file, line and column."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        #: Paths clingo saw (temporary copies) -> paths to show.
        self.names: dict[str, str] = {}

    def __call__(self, code: clingo.MessageCode, text: str) -> None:
        self.messages.append(text.rstrip())

    def shown(self, path: str) -> str:
        return self.names.get(os.path.normpath(path), self.names.get(path, path))

    def error(self, summary: str) -> InputError:
        """The first error message as an InputError, with the rest counted."""
        lines = [m for m in self.messages if ": error:" in m.split("\n", 1)[0]] or self.messages
        if not lines:
            return InputError(summary)
        first = lines[0].split("\n")
        match = _MESSAGE.match(first[0])
        detail = " ".join(self._rename(part.strip()) for part in first[1:] if part.strip())
        if match is None:
            return InputError(f"{summary}: {self._rename(' '.join(first))}")
        head = self._rename(match.group("text").rstrip())
        text = head + ((" " if head.endswith(":") else ": ") + detail if detail else "")
        more = len(lines) - 1
        if more:
            text += f" (and {more} more error{'s' if more > 1 else ''})"
        return InputError(
            text, path=self.shown(match.group("file")), line=int(match.group("line")), column=int(match.group("col"))
        )

    def _rename(self, text: str) -> str:
        for tmp, shown in self.names.items():
            text = text.replace(tmp, shown)
        return text


def parse(sources: Sequence[SourceFile], log: MessageLog) -> list[tuple[SourceFile, list[ast.AST]]]:
    """Parse each file (through a private copy of its checked text); statements per file."""
    out: list[tuple[SourceFile, list[ast.AST]]] = []
    with tempfile.TemporaryDirectory(prefix="argmap-parse-") as tmp:
        for n, src in enumerate(sources):
            copy = os.path.join(tmp, f"f{n}.lp")
            try:
                with open(copy, "w", encoding="utf-8") as handle:
                    handle.write(src.text)
            except OSError as exc:  # a full disk, a file-size limit: not a traceback
                raise InputError(
                    f"cannot write a temporary copy to parse: {exc.strerror}",
                    path=src.shown,
                    expected=f"space in {tmp}",
                ) from None
            log.names[copy] = src.shown
            found: list[ast.AST] = []
            try:
                ast.parse_files([copy], found.append, logger=log, message_limit=20)
            except RuntimeError:
                raise log.error("the knowledge base does not parse") from None
            out.append((src, found))
    return out


#: Builds extra statements from what the knowledge base declares (see :func:`build`).
Generator = Callable[[ProgramIndex], Sequence[ast.AST]]


def build(
    ctl: clingo.Control,
    kb: Sequence[SourceFile],
    engine: Sequence[SourceFile],
    log: MessageLog,
    *,
    trace: bool,
    drop_externals: frozenset[terms.Signature] = frozenset(),
    facts: Sequence[clingo.Symbol] = (),
    generate: Generator | None = None,
) -> ProgramIndex:
    """Parse `kb` and `engine` (argmap's prelude) and add them to `ctl`.

    `drop_externals` removes ``#external`` declarations of those signatures (so
    an engine file can define them instead). `facts` are added as facts built
    from symbols, never from text. `generate` is called with the index of the
    knowledge base's facts and returns statements to add (the verdict bridge).

    Raises:
        InputError: a file does not parse, or a statement is not valid.
    """
    index, statements = collect(
        kb, engine, log, trace=trace, drop_externals=drop_externals, facts=facts, generate=generate
    )
    try:
        with ast.ProgramBuilder(ctl) as builder:
            for stm in statements:
                builder.add(stm)
    except RuntimeError:
        raise log.error("the knowledge base is not a valid program") from None
    return index


def collect(
    kb: Sequence[SourceFile],
    engine: Sequence[SourceFile],
    log: MessageLog,
    *,
    trace: bool,
    drop_externals: frozenset[terms.Signature] = frozenset(),
    facts: Sequence[clingo.Symbol] = (),
    generate: Generator | None = None,
) -> tuple[ProgramIndex, list[ast.AST]]:
    """The index and the complete list of statements :func:`build` adds (the grounding
    guard grounds exactly these, part by part)."""
    index = ProgramIndex()
    parsed = parse([*kb, *engine], log)
    is_engine = {id(src) for src in engine}
    tracer = _Tracer(index)
    statements: list[tuple[ast.AST, bool, str]] = []
    for src, stms in parsed:
        own = id(src) in is_engine
        if not own:
            index.files.append(src.shown)
        for stm in stms:
            if drop_externals and _declares(stm, drop_externals):
                continue
            statements.append((stm, own, src.shown))
        index.docs.update(read_docs_text(src.text, src.shown))
    shows: set[terms.Signature] = set()
    any_show = False
    for stm, _, shown in statements:
        if stm.ast_type == ast.ASTType.ShowSignature:
            any_show = True
            if stm.name:
                sig = (stm.name, stm.arity)
                shows.add(sig)
                index.show_where.setdefault(sig, f"{shown}:{stm.location.begin.line}")
        elif stm.ast_type == ast.ASTType.ShowTerm:
            any_show = True
    index.shows = shows if any_show else None
    out: list[ast.AST] = []
    for stm, own, shown in statements:
        if not own:
            out.append(stm)
            out.extend(tracer.visit(stm, shown, trace, engine=False))
    if generate is not None:
        out.append(ast.Program(_location("<argmap>"), "base", []))
        out.extend(generate(index))
    for stm, own, shown in statements:
        if own:
            out.append(stm)
            out.extend(tracer.visit(stm, shown, trace, engine=True))
    if facts:
        loc = _location("<input>")
        out.append(ast.Program(loc, "base", []))
        for sym in facts:
            atom = ast.SymbolicAtom(ast.SymbolicTerm(loc, sym))
            out.append(ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, atom), []))
    return index, out


def _location(name: str, line: int = 1) -> ast.Location:
    return ast.Location(ast.Position(name, line, 1), ast.Position(name, line, 1))


def fact(sym: clingo.Symbol, where: str = "<argmap>") -> ast.AST:
    """A fact statement for a ground atom."""
    loc = _location(where)
    return ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.SymbolicTerm(loc, sym))), [])


def rule(
    head: clingo.Symbol | ast.AST, body: Sequence[tuple[bool, ast.AST | clingo.Symbol]], where: str = "<argmap>"
) -> ast.AST:
    """A normal rule built from atoms: `body` is (positive, atom) pairs; atoms are symbols or AST terms."""
    loc = _location(where)

    def atom(x: ast.AST | clingo.Symbol) -> ast.AST:
        return ast.SymbolicAtom(ast.SymbolicTerm(loc, x) if isinstance(x, clingo.Symbol) else x)

    lits = [ast.Literal(loc, ast.Sign.NoSign if pos else ast.Sign.Negation, atom(a)) for pos, a in body]
    return ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, atom(head)), lits)


def function(name: str, args: Sequence[ast.AST | clingo.Symbol], where: str = "<argmap>") -> ast.AST:
    """A function term (an atom) whose arguments may be variables (AST) or symbols."""
    loc = _location(where)
    return ast.Function(
        loc, name, [a if not isinstance(a, clingo.Symbol) else ast.SymbolicTerm(loc, a) for a in args], 0
    )


def variable(name: str, where: str = "<argmap>") -> ast.AST:
    return ast.Variable(_location(where), name)


_DOC = re.compile(r"^%\*!\s*(?P<name>[a-z_][A-Za-z0-9_]*)(?:\((?P<args>[^)]*)\))?\s*$")


def read_docs_text(text: str, shown: str) -> dict[terms.Signature, PredicateDoc]:
    """The ``%*! pred(Args)`` docstrings of one file's text."""
    docs: dict[terms.Signature, PredicateDoc] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _DOC.match(lines[i].strip())
        if not m:
            i += 1
            continue
        start = i + 1
        args = tuple(a.strip() for a in m.group("args").split(",")) if m.group("args") else ()
        desc: list[str] = []
        text_t = negated = none = None
        i += 1
        while i < len(lines) and lines[i].strip() != "*%":
            line = lines[i].strip()
            if line.startswith("Text:"):
                text_t = line[5:].strip()
            elif line.startswith("Not:"):
                negated = line[4:].strip()
            elif line.startswith("None:"):
                none = line[5:].strip()
            elif not line.startswith(("Args:", "- ")) and line:
                desc.append(line)
            i += 1
        name = m.group("name")
        docs[(name, len(args))] = PredicateDoc(name, args, " ".join(desc), text_t, negated, f"{shown}:{start}", none)
        i += 1
    return docs


def _declares(stm: ast.AST, signatures: frozenset[terms.Signature]) -> bool:
    if stm.ast_type != ast.ASTType.External:
        return False
    sig = terms.signature(terms.from_ast(stm.atom.symbol, terms.Fresh()))
    return sig in signatures


class _Tracer:
    def __init__(self, index: ProgramIndex) -> None:
        self.index = index

    def visit(self, stm: ast.AST, shown: str, trace: bool, *, engine: bool) -> list[ast.AST]:
        if stm.ast_type != ast.ASTType.Rule:
            return []
        loc = stm.location
        extras: list[ast.AST] = []
        text = str(stm)  # once per statement: a pool may unfold it into thousands of rules
        head = stm.head
        # Whether every unpooled statement is a fact (decided once: reading a clingo AST is slow,
        # and a pool may unfold one statement into thousands)
        fact_like = (
            not stm.body
            and head.ast_type == ast.ASTType.Literal
            and head.sign == ast.Sign.NoSign
            and head.atom.ast_type == ast.ASTType.SymbolicAtom
        )
        for unpooled in stm.unpool():
            info = RuleInfo(len(self.index.rules), shown, loc.begin.line, loc.begin.column, text, engine)
            if fact_like:
                try:
                    sym = clingo.parse_term(str(unpooled).removesuffix("."), logger=_quiet)
                except RuntimeError:
                    sym = None  # not a ground term (variables, arithmetic, an interval): a rule
                if sym is not None:
                    self.index.facts.setdefault(sym, info)
                    continue
            self.index.rules.append(info)
            self.index.asts.append(unpooled)
            if trace:
                extras.extend(_trace(unpooled, info.index))
        return extras


def _quiet(code: clingo.MessageCode, message: str) -> None:
    """A logger that drops clingo's messages (a term that does not parse is expected here)."""


def _trace(rule: ast.AST, idx: int) -> list[ast.AST]:
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
            neg.append(_Anonymous()(lit.atom.symbol))
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
    """Anonymous variables of a negated literal as the string "_" (the trace records the pattern)."""

    def visit_Variable(self, node: ast.AST) -> ast.AST:  # noqa: N802 (clingo's naming)
        if node.name == "_":
            return ast.SymbolicTerm(node.location, clingo.String("_"))
        return node


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
