"""Linting a knowledge base: claims, quotes, predicates, docstrings and example proposals.

:func:`lint` reads the rule files with clingo's AST (so it also sees
``#external``, ``#defined``, ``#show`` and comments), grounds them once with
the :class:`~argmap.engine.Engine`, and returns :class:`Finding` objects sorted
by file, line and code.  Every check has a code (:data:`CODES`) and a
severity: an *error* makes the knowledge base wrong, a *warning* makes it
harder to trust or maintain.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import clingo
from clingo import ast

from .engine import Engine
from .errors import InputError
from .kb import ENGINE_LP, FIRED, MessageLog, default_kb, kb_root, read_docs
from .proposal import load_proposal
from .verdicts import evaluate
from .yamlio import read_text

ERROR, WARNING = "error", "warning"

#: Every check: code -> (severity, what it finds).
CODES: dict[str, tuple[str, str]] = {
    "AM001": (ERROR, "a claim has no quote (or only empty ones)"),
    "AM002": (ERROR, "a claim has no usable id or kind, or a quote/paraphrase/caveat names no declared claim"),
    "AM003": (ERROR, "a claim id is declared more than once"),
    "AM004": (WARNING, "a claim has no paraphrase"),
    "AM005": (ERROR, "a quote is not verbatim in the source text"),
    "AM006": (ERROR, "a predicate used in a body is defined nowhere (no head, fact, #external or #defined)"),
    "AM007": (WARNING, "a claim that no rule or fact uses and that is not marked as not formalized"),
    "AM008": (WARNING, "a derived predicate that no body uses and no #show shows"),
    "AM009": (WARNING, "a predicate without a `%*! pred(Args)` docstring"),
    "AM010": (ERROR, "the knowledge base does not parse or ground"),
    "AM011": (ERROR, "an example proposal does not load, or the knowledge base has no answer for it"),
    "AM012": (WARNING, "an example proposal lacks the `# yaml-language-server: $schema=` comment"),
}

#: The facts that describe a claim; naming a claim there does not use it.
_DESCRIBING = {("claim", 2), ("paraphrase", 2), ("quote", 2), ("caveat", 3)}
#: Facts that mark a claim as deliberately not formalized (first argument: the claim).
_MARKERS = {("record_only", 1), ("record_only", 2), ("not_formalized", 1), ("not_formalized", 2)}
_MARKER_COMMENT = re.compile(r"NOT FORMALIZED:?(?P<rest>.*)")
_IDENT = re.compile(r"\b[a-z][a-z0-9_]*\b")
SCHEMA_COMMENT = "# yaml-language-server: $schema="
PROPOSAL_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, at a file and line."""

    file: str
    line: int
    code: str
    message: str
    #: For a quote not in the source: the closest passage and a word diff against it.
    closest: str = ""
    diff: str = ""

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.code} {self.message}"
        if self.diff:
            text += "\n" + "\n".join("    " + line for line in self.diff.splitlines())
        return text

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "file": self.file,
            "line": self.line,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }
        if self.closest:
            out["closest"] = self.closest
            out["diff"] = self.diff
        return out


def failing(findings: Sequence[Finding], *, strict: bool) -> bool:
    """Whether `findings` should fail a run: any error, or with `strict` any finding."""
    return any(strict or f.severity == ERROR for f in findings)


def lint(
    files: Sequence[str] | None = None,
    *,
    source: str | None = None,
    proposals: str | None = None,
) -> list[Finding]:
    """Every finding on the knowledge base `files` (default: the shipped one), sorted.

    `source` is the text the quotes must come from; `proposals` a folder of
    example proposals that must load and have an answer.  A missing file or
    folder given here is an :class:`InputError`; problems in them are findings.
    """
    kb = list(files) if files else default_kb()
    for path in kb:
        if not os.path.isfile(path):
            raise InputError("no such rule file" if not os.path.isdir(path) else "is a directory", path=path)
    source_text = read_text(source) if source is not None else None
    if proposals is not None and not os.path.isdir(proposals):
        raise InputError("no such folder of proposals", path=proposals)
    root = kb_root(kb)
    log = MessageLog(root)
    findings: list[Finding] = []
    if proposals is not None:
        findings += _schema_comments(proposals)
    program = _Program(root)
    try:
        ast.parse_files([os.path.abspath(f) for f in kb], program.add, logger=log, message_limit=20)
    except RuntimeError:
        findings.append(_from_error(log.error("the knowledge base does not parse"), kb[0]))
        return sorted(findings)
    findings += program.undefined() + program.unused_predicates() + program.undocumented()
    try:
        engine = Engine(kb)
    except InputError as exc:
        findings.append(_from_error(exc, kb[0]))
        return sorted(findings)
    findings += _claims(engine, program)
    if source_text is not None:
        findings += _quotes(engine, program, source_text)
    if proposals is not None:
        findings += _proposals(engine, proposals)
    return sorted(findings)


def _from_error(exc: InputError, default: str, code: str = "AM010") -> Finding:
    bare = replace(exc, path=None, line=None, column=None)
    return Finding(exc.path or default, exc.line or 1, code, str(bare).removeprefix("error: "))


# ---------------------------------------------------------------------------- the program
Signature = tuple[str, int]


@dataclass(frozen=True, order=True)
class _Where:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class _Program:
    """What the AST of the knowledge base says: where each predicate is defined and used."""

    root: str
    files: set[str] = field(default_factory=set)
    facts: dict[Signature, list[_Where]] = field(default_factory=dict)
    derived: dict[Signature, list[_Where]] = field(default_factory=dict)
    declared: dict[Signature, list[_Where]] = field(default_factory=dict)  # #external and #defined
    used: dict[Signature, list[_Where]] = field(default_factory=dict)
    shown: set[Signature] = field(default_factory=set)
    show_all: bool = True
    #: Every ground fact, as clingo prints it, with where it is written (each occurrence).
    fact_atoms: dict[str, list[_Where]] = field(default_factory=dict)
    #: Claim ids used as accepted(Id) in a rule, with where.
    accepted: dict[str, list[_Where]] = field(default_factory=dict)
    #: The identifiers that `% NOT FORMALIZED:` comments name (on the marker's line).
    marked: set[str] = field(default_factory=set)

    def where(self, node: ast.AST) -> _Where:
        path = os.path.normpath(node.location.begin.filename)
        self.files.add(path)
        return _Where(_display(path, self.root), node.location.begin.line)

    # ------------------------------------------------------------ reading
    def add(self, stm: ast.AST) -> None:
        kind = stm.ast_type
        at = self.where(stm)
        if kind == ast.ASTType.Rule:
            for rule in stm.unpool():
                self._rule(rule, at)
        elif kind == ast.ASTType.External:
            for ext in stm.unpool():
                _note(self.declared, _signature(ext.atom.symbol), at)
                self._uses(ext.body, at)
        elif kind == ast.ASTType.Defined:
            _note(self.declared, (stm.name, stm.arity), at)
        elif kind == ast.ASTType.ShowSignature:
            self.show_all = False
            if stm.name:
                self.shown.add((stm.name, stm.arity))
        elif kind == ast.ASTType.ShowTerm:
            self.show_all = False
            self._uses(stm.body, at)
        elif kind == ast.ASTType.Comment:
            self._comment(stm)
        elif kind in (ast.ASTType.Minimize, ast.ASTType.Heuristic, ast.ASTType.Edge, ast.ASTType.ProjectAtom):
            self._uses(stm, at)

    def _rule(self, rule: ast.AST, at: _Where) -> None:
        heads, conditions = _head(rule.head)
        if not rule.body and len(heads) == 1 and not conditions and rule.head.ast_type == ast.ASTType.Literal:
            sig = _signature(heads[0])
            try:
                atom = str(clingo.parse_term(str(heads[0])))
            except RuntimeError:
                atom = None
            if sig is not None and atom is not None:
                _note(self.facts, sig, at)
                self.fact_atoms.setdefault(atom, []).append(at)
                return
        for term in heads:
            _note(self.derived, _signature(term), at)
        self._uses(conditions, at)
        self._uses(rule.body, at)

    def _uses(self, node: object, at: _Where) -> None:
        for atom in _symbolic_atoms(node):
            sig = _signature(atom.symbol)
            _note(self.used, sig, at)
            cid = _constant(atom.symbol.arguments[0]) if sig == ("accepted", 1) else None
            if cid is not None:
                self.accepted.setdefault(cid, []).append(at)

    def _comment(self, stm: ast.AST) -> None:
        for line in stm.value.splitlines():
            m = _MARKER_COMMENT.search(line)
            if m:
                self.marked.update(_IDENT.findall(m.group("rest")))

    # ------------------------------------------------------------ checks
    def defined(self) -> set[Signature]:
        return set(self.facts) | set(self.derived) | set(self.declared)

    def undefined(self) -> list[Finding]:
        known = self.defined()
        out = []
        for sig, places in self.used.items():
            if sig in known or sig[0] == FIRED:
                continue
            for at in sorted(set(places)):
                out.append(
                    Finding(
                        at.file,
                        at.line,
                        "AM006",
                        f"{_show(sig)} is used here but defined nowhere "
                        "(no rule head, fact, #external or #defined declares it)",
                    )
                )
        return out

    def unused_predicates(self) -> list[Finding]:
        if self.show_all:
            return []
        engine_uses = _engine_uses()
        out = []
        for sig, places in sorted(self.derived.items()):
            if sig in self.used or sig in self.shown or sig in engine_uses or sig[0] == FIRED:
                continue
            at = min(places)
            out.append(
                Finding(at.file, at.line, "AM008", f"{_show(sig)} is derived but no rule uses it and no #show shows it")
            )
        return out

    def undocumented(self) -> list[Finding]:
        docs: set[Signature] = set()
        for path in sorted(self.files):
            docs.update(read_docs(path, self.root))
        out = []
        everything = {**self.used, **self.declared, **self.derived, **self.facts}
        for sig in sorted(everything):
            if sig in docs or sig[0] == FIRED:
                continue
            places = self.facts.get(sig) or self.derived.get(sig) or self.declared.get(sig) or self.used[sig]
            at = min(places)
            name, arity = sig
            args = "(" + ", ".join(f"A{i + 1}" for i in range(arity)) + ")" if arity else ""
            out.append(Finding(at.file, at.line, "AM009", f"{_show(sig)} has no docstring (`%*! {name}{args}`)"))
        return out


def _note(table: dict[Signature, list[_Where]], sig: Signature | None, at: _Where) -> None:
    if sig is not None:
        table.setdefault(sig, []).append(at)


def _show(sig: Signature) -> str:
    return f"{sig[0]}/{sig[1]}"


def _display(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _head(head: ast.AST) -> tuple[list[ast.AST], list[ast.AST]]:
    """The atoms (as terms) a head derives, and the conditions attached to them."""
    terms: list[ast.AST] = []
    conditions: list[ast.AST] = []
    if head.ast_type == ast.ASTType.Literal:
        if head.atom.ast_type == ast.ASTType.SymbolicAtom:
            terms.append(head.atom.symbol)
    elif head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction, ast.ASTType.HeadAggregate):
        for elem in head.elements:
            lit = elem.condition if head.ast_type == ast.ASTType.HeadAggregate else elem
            if lit.literal.atom.ast_type == ast.ASTType.SymbolicAtom:
                terms.append(lit.literal.atom.symbol)
            conditions.extend(lit.condition)
    return terms, conditions


def _symbolic_atoms(node: object) -> Iterator[ast.AST]:
    """Every symbolic atom inside `node` (an AST, or a sequence of them)."""
    if isinstance(node, ast.AST):
        if node.ast_type == ast.ASTType.SymbolicAtom:
            yield node
            return
        for key in node.keys():
            if key != "location":
                yield from _symbolic_atoms(getattr(node, key))
    elif isinstance(node, Sequence) and not isinstance(node, str):
        for child in node:
            yield from _symbolic_atoms(child)


def _signature(term: ast.AST) -> Signature | None:
    if term.ast_type == ast.ASTType.UnaryOperation and term.operator_type == ast.UnaryOperator.Minus:
        inner = _signature(term.argument)
        return None if inner is None else ("-" + inner[0], inner[1])
    if term.ast_type == ast.ASTType.Function and term.name:
        return (term.name, len(term.arguments))
    if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type == clingo.SymbolType.Function:
        return (term.symbol.name, len(term.symbol.arguments))
    return None


def _constant(term: ast.AST) -> str | None:
    if term.ast_type == ast.ASTType.Function and not term.arguments and term.name:
        return term.name
    if term.ast_type == ast.ASTType.SymbolicTerm:
        sym = term.symbol
        if sym.type == clingo.SymbolType.Function and not sym.arguments and sym.name:
            return sym.name
    return None


def _engine_uses() -> set[Signature]:
    """The knowledge-base predicates argmap's own support files read."""
    program = _Program(str(ENGINE_LP))
    ast.parse_files([str(p) for p in sorted(ENGINE_LP.glob("*.lp"))], program.add)
    return set(program.used)


# ---------------------------------------------------------------------------- claims
def _claims(engine: Engine, program: _Program) -> list[Finding]:
    out: list[Finding] = []

    def place(sym: clingo.Symbol) -> _Where:
        found = program.fact_atoms.get(str(sym))
        if found:
            return found[0]
        info = engine.index.facts.get(sym)
        return (
            _Where(info.file, info.line) if info else _Where(_display(os.path.abspath(engine.files[0]), engine.root), 1)
        )

    claims: dict[str, list[clingo.Symbol]] = {}
    for sym in engine.facts("claim", 2):
        cid, kind = sym.arguments
        at = place(sym)
        if not _is_identifier(cid):
            out.append(Finding(at.file, at.line, "AM002", f"claim id {cid} is not an identifier (lower-case constant)"))
            continue
        if not _text(kind).strip():
            out.append(Finding(at.file, at.line, "AM002", f"claim {cid} has an empty kind"))
        claims.setdefault(cid.name, []).append(sym)

    # Duplicates: two kinds for one id in the ground program, or one claim/2 written twice.
    written: dict[str, list[_Where]] = {}
    for atom, places in program.fact_atoms.items():
        sym = clingo.parse_term(atom)
        if sym.match("claim", 2) and _is_identifier(sym.arguments[0]):
            written.setdefault(sym.arguments[0].name, []).extend(places)
    for cid, syms in sorted(claims.items()):
        places = sorted(set(written.get(cid, [])) | {place(s) for s in syms})
        if len(places) > 1 or len(syms) > 1:
            kinds = ", ".join(sorted(_text(s.arguments[1]) for s in syms))
            first = places[0]
            for at in places[1:] or places:
                out.append(
                    Finding(
                        at.file,
                        at.line,
                        "AM003",
                        f"claim {cid} is declared more than once (kinds: {kinds}; first at {first})",
                    )
                )

    quotes: dict[str, list[str]] = {}
    paraphrases: dict[str, list[str]] = {}
    for name, arity, table in (("quote", 2, quotes), ("paraphrase", 2, paraphrases), ("caveat", 3, None)):
        for sym in engine.facts(name, arity):
            cid = sym.arguments[0]
            key = cid.name if _is_identifier(cid) else str(cid)
            if key not in claims:
                at = place(sym)
                out.append(
                    Finding(
                        at.file,
                        at.line,
                        "AM002",
                        f"{name}/{arity} names {cid}, which no claim/2 declares (so it has no kind)",
                    )
                )
            elif table is not None:
                table.setdefault(key, []).append(_text(sym.arguments[1]))
    for cid, syms in sorted(claims.items()):
        at = place(syms[0])
        if not any(q.strip() for q in quotes.get(cid, [])):
            out.append(Finding(at.file, at.line, "AM001", f'claim {cid} has no quote (add quote({cid}, "..."))'))
        if not any(p.strip() for p in paraphrases.get(cid, [])):
            out.append(Finding(at.file, at.line, "AM004", f"claim {cid} has no paraphrase"))

    out += _unused_claims(engine, program, {cid: place(syms[0]) for cid, syms in claims.items()})
    return out


def _unused_claims(engine: Engine, program: _Program, claims: dict[str, _Where]) -> list[Finding]:
    marked: set[str] = set()
    for sig in _MARKERS:
        marked.update(_text(s.arguments[0]) for s in engine.facts(*sig))
    marked.update(program.marked & set(claims))
    used = set(program.accepted)
    for atom in program.fact_atoms:
        sym = clingo.parse_term(atom)
        if (sym.name, len(sym.arguments)) in _DESCRIBING | _MARKERS:
            continue
        used.update(_constants(sym))
    out = []
    for cid, at in sorted(claims.items()):
        if cid not in used and cid not in marked:
            out.append(
                Finding(
                    at.file,
                    at.line,
                    "AM007",
                    f"claim {cid} is used by no rule (as accepted({cid})) and no fact, "
                    "and is not marked as not formalized",
                )
            )
    return out


def _constants(sym: clingo.Symbol) -> Iterator[str]:
    for arg in sym.arguments:
        if arg.type == clingo.SymbolType.Function:
            if not arg.arguments and arg.name:
                yield arg.name
            else:
                yield from _constants(arg)


def _is_identifier(sym: clingo.Symbol) -> bool:
    return sym.type == clingo.SymbolType.Function and not sym.arguments and bool(sym.name) and sym.positive


def _text(sym: clingo.Symbol) -> str:
    return sym.string if sym.type == clingo.SymbolType.String else str(sym)


# ---------------------------------------------------------------------------- quotes
_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WINDOW = 3  # sentences
_DIFF_LINES = 16


def normalise(text: str) -> str:
    """Whitespace collapsed and typographic quotes made plain."""
    return " ".join(text.translate(_TYPOGRAPHIC).split())


def _quotes(engine: Engine, program: _Program, source: str) -> list[Finding]:
    text = normalise(source)
    sentences = [s.split() for s in _SENTENCE_END.split(text) if s]
    out = []
    for sym in engine.facts("quote", 2):
        quote = normalise(_text(sym.arguments[1]))
        if not quote or quote in text:
            continue
        found = program.fact_atoms.get(str(sym))
        at = found[0] if found else _Where(engine.files[0], 1)
        passage = closest_passage(quote, sentences)
        diff = _word_diff(quote, passage)
        out.append(
            Finding(
                at.file,
                at.line,
                "AM005",
                f'quote of {sym.arguments[0]} is not in the source; closest passage: "{passage}"',
                closest=passage,
                diff=diff,
            )
        )
    return out


def closest_passage(quote: str, sentences: Sequence[Sequence[str]]) -> str:
    """The stretch of the source (within up to three sentences) most like `quote`, word by word."""
    words = quote.split()
    best: tuple[float, str] = (-1.0, "")
    for i in range(len(sentences)):
        window: list[str] = []
        for j in range(i, min(i + _WINDOW, len(sentences))):
            window = [*window, *sentences[j]]
            matcher = difflib.SequenceMatcher(None, words, window, autojunk=False)
            span = _aligned(matcher, len(words), len(window))
            candidate = window[span[0] : span[1]]
            ratio = difflib.SequenceMatcher(None, words, candidate, autojunk=False).ratio()
            if ratio > best[0]:  # the first of equals wins: the answer is deterministic
                best = (ratio, " ".join(candidate))
    return best[1]


def _aligned(matcher: difflib.SequenceMatcher[str], n_quote: int, n_window: int) -> tuple[int, int]:
    """The part of the window that lines up with the quote, padded by the quote's unmatched ends."""
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return 0, min(n_quote, n_window)
    first, last = blocks[0], blocks[-1]
    start = max(0, first.b - first.a)
    end = min(n_window, last.b + last.size + (n_quote - last.a - last.size))
    return start, max(end, start + 1)


def _word_diff(quote: str, passage: str) -> str:
    lines = list(difflib.unified_diff(quote.split(), passage.split(), "quote", "source", n=2, lineterm=""))
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], f"... ({len(lines) - _DIFF_LINES} more lines)"]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- proposals
def _proposal_files(folder: str) -> list[str]:
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(PROPOSAL_SUFFIXES))


def _schema_comments(folder: str) -> list[Finding]:
    target = os.path.join(os.path.dirname(os.path.abspath(folder)), "schema", "proposal.schema.json")
    out = []
    for path in _proposal_files(folder):
        expected = os.path.relpath(target, os.path.dirname(os.path.abspath(path))).replace(os.sep, "/")
        try:
            first = read_text(path).split("\n", 1)[0].strip()
        except InputError as exc:
            out.append(_from_error(exc, path, "AM011"))
            continue
        if first == SCHEMA_COMMENT + expected:
            continue
        if first.startswith(SCHEMA_COMMENT):
            message = f"the $schema comment points at {first[len(SCHEMA_COMMENT) :]}; expected {expected}"
        else:
            message = f"the file does not start with `{SCHEMA_COMMENT}{expected}`"
        out.append(Finding(path, 1, "AM012", message))
    return out


def _proposals(engine: Engine, folder: str) -> list[Finding]:
    out = []
    for path in _proposal_files(folder):
        try:
            evaluate(engine, load_proposal(path, engine.vocabulary.components))
        except InputError as exc:
            if exc.path is None:
                exc = replace(exc, path=path)
            out.append(_from_error(exc, path, "AM011"))
    return out
