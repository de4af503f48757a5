"""Linting a knowledge base: claims, quotes, predicates, docstrings, the verdict contract, proposals.

:func:`lint` reads the rule files with clingo's AST (so it also sees
``#external``, ``#defined``, ``#show`` and comments), grounds them once with
an :class:`~argmap.engine.control.Engine`, and returns
:class:`~argmap.model.lint.Finding` objects sorted by file, line and code.
Every check has a code (:data:`argmap.model.lint.CODES`) and a severity: an
*error* makes the knowledge base wrong, a *warning* makes it harder to trust
or maintain.  The contract it checks is ``docs/knowledge-base.md``.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import clingo
from clingo import ast

from ..asp import program as asp_program
from ..asp.program import FIRED
from ..asp.source import SourceFile
from ..asp.terms import text
from ..engine.control import MODES, PRELUDE, Engine
from ..engine.judge import judge
from ..engine.kbspec import KnowledgeBase, engine_sources
from ..io.proposals import load_proposal, proposal_names
from ..io.yamltree import read_text
from ..model.errors import InputError
from ..model.lint import Finding

#: The facts that describe a claim; naming a claim there does not use it.
_DESCRIBING = {("claim", 2), ("paraphrase", 2), ("quote", 2), ("caveat", 3), ("source", 2)}
#: Facts that mark a claim as deliberately not formalized (first argument: the claim).
_MARKERS = {("record_only", 1), ("record_only", 2), ("not_formalized", 1), ("not_formalized", 2)}
_MARKER_COMMENT = re.compile(r"NOT FORMALIZED:?(?P<rest>.*)")
_IDENT = re.compile(r"\b[a-z][a-z0-9_]*\b")
SCHEMA_COMMENT = "# yaml-language-server: $schema="
#: Predicates argmap reads from every knowledge base besides the verdicts (docs/knowledge-base.md).
READ = {("reason", 4), ("conflict", 3), ("involves", 3), ("warning", 3), ("note", 3)}
#: Declarations argmap reads from the ground program's facts (docs/knowledge-base.md).
DECLARATIONS = {
    ("verdict", 3),
    ("verdict_level", 3),
    ("verdict_member", 2),
    ("verdict_good", 2),
    ("verdict_gate", 1),
    ("verdict_word", 3),
    ("verdict_heading", 3),
    ("verdict_doc", 2),
    ("basis", 2),
    ("label", 2),
    ("source", 2),
    ("source_text", 2),
    ("component", 3),
    ("value", 2),
    ("value_doc", 3),
    ("cost", 3),
    ("claim", 2),
    ("paraphrase", 2),
    ("quote", 2),
    ("caveat", 3),
    ("record_only", 2),
    ("actor", 1),
    ("position", 2),
    ("stance", 5),
    ("roadmap_timing", 2),
    ("roadmap_offset", 3),
    ("roadmap_timing_doc", 2),
}

Signature = tuple[str, int]


def lint(
    kb: KnowledgeBase,
    *,
    sources: dict[str, str] | None = None,
    proposals: Sequence[str] = (),
    timeout: float | None = None,
) -> list[Finding]:
    """Every finding on the knowledge base, sorted.

    `sources` maps source ids to files: a claim's quotes are checked against
    the source it names (``source(Claim, Id)``), or, for a claim that names
    none, against the source with the id "" (or the only source given).  `proposals` are folders of example
    proposals that must load and have an answer.

    Raises:
        InputError: a source file or proposals folder given here is missing
            (problems inside them are findings).
    """
    texts = {sid: read_text(path, max_bytes=64 * 1024 * 1024) for sid, path in (sources or {}).items()}
    for folder in proposals:
        if not os.path.isdir(folder):
            raise InputError("no such folder of proposals", path=folder)
    findings: list[Finding] = []
    for folder in proposals:
        findings += _schema_comments(folder)
    log = asp_program.MessageLog()
    prog = _Program()
    try:
        kb_sources = kb.sources()
        for src, statements in asp_program.parse(kb_sources, log):
            prog.read(src, statements)
        engine_files = engine_sources((*PRELUDE, MODES["judge"]))
        for src, statements in asp_program.parse(engine_files, log):
            prog.read(src, statements, engine=True)
    except InputError as exc:
        findings.append(_from_error(exc, kb.files[0]))
        return sorted(findings)
    findings += prog.undefined() + prog.undocumented() + prog.reserved()
    try:
        engine = _Engine(kb, timeout=timeout)
    except InputError as exc:
        findings.append(_from_error(exc, kb_sources[0].shown if kb_sources else kb.files[0]))
        return sorted(findings + prog.unused_predicates(READ))
    registry = engine.vocabulary.registry
    findings += prog.unused_predicates(READ | set(registry.signatures()))
    findings += _contract(engine, prog)
    findings += _claims(engine, prog)
    if texts:
        findings += _quotes(engine, prog, texts)
    for folder in proposals:
        findings += _proposals(engine, folder)
    return sorted(findings)


class _Engine(Engine):
    """The engine, less its refusal of a hidden verdict: lint reports that itself (AM016), where it is declared."""

    def _check_shown(self) -> None:
        return


def _from_error(exc: InputError, default: str, code: str = "AM010") -> Finding:
    bare = replace(exc, path=None, line=None, column=None)
    return Finding(exc.path or default, exc.line or 1, code, str(bare).removeprefix("error: "))


# ---------------------------------------------------------------------------- the program
@dataclass(frozen=True, order=True)
class _Where:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class _Program:
    """What the AST says: where each predicate is defined and used (the knowledge base's, and argmap's own)."""

    facts: dict[Signature, list[_Where]] = field(default_factory=dict)
    derived: dict[Signature, list[_Where]] = field(default_factory=dict)
    declared: dict[Signature, list[_Where]] = field(default_factory=dict)  # #external and #defined
    used: dict[Signature, list[_Where]] = field(default_factory=dict)
    shown: dict[Signature, _Where] = field(default_factory=dict)
    show_all: bool = True
    #: Every ground fact, as clingo prints it, with where it is written (each occurrence).
    fact_atoms: dict[str, list[_Where]] = field(default_factory=dict)
    #: Claim ids used as accepted(Id) in a rule, with where.
    accepted: dict[str, list[_Where]] = field(default_factory=dict)
    #: The identifiers that `% NOT FORMALIZED:` comments name (on the marker's line).
    marked: set[str] = field(default_factory=set)
    docs: set[Signature] = field(default_factory=set)
    #: What argmap's prelude defines and reads.
    engine_defined: set[Signature] = field(default_factory=set)
    engine_used: set[Signature] = field(default_factory=set)
    #: reason/4 heads with a constant verdict (and effect): where.
    reason_heads: list[tuple[str, str | None, _Where]] = field(default_factory=list)

    def read(self, src: SourceFile, statements: list[ast.AST], *, engine: bool = False) -> None:
        self.docs.update(asp_program.read_docs_text(src.text, src.shown))
        if engine:
            sub = _Program()
            for stm in statements:
                sub.add(stm, src.shown)
            self.engine_defined |= set(sub.facts) | set(sub.derived) | set(sub.declared)
            self.engine_used |= set(sub.used)
            return
        for stm in statements:
            self.add(stm, src.shown)
        for line in src.text.splitlines():
            m = _MARKER_COMMENT.search(line) if line.lstrip().startswith("%") else None
            if m:
                self.marked.update(_IDENT.findall(m.group("rest")))

    def add(self, stm: ast.AST, shown: str) -> None:
        kind = stm.ast_type
        at = _Where(shown, stm.location.begin.line)
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
                self.shown.setdefault((stm.name, stm.arity), at)
        elif kind == ast.ASTType.ShowTerm:
            self.show_all = False
            self._uses(stm.body, at)
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
                if sig == ("reason", 4):
                    self._reason(heads[0], at)
                return
        for term in heads:
            sig = _signature(term)
            _note(self.derived, sig, at)
            if sig == ("reason", 4):
                self._reason(term, at)
        self._uses(conditions, at)
        self._uses(rule.body, at)

    def _reason(self, term: ast.AST, at: _Where) -> None:
        args = term.arguments if term.ast_type == ast.ASTType.Function else ()
        verdict = _constant(args[0]) if args else None
        if verdict is not None:
            self.reason_heads.append((verdict, _constant(args[1]), at))

    def _uses(self, node: object, at: _Where) -> None:
        for atom in _symbolic_atoms(node):
            sig = _signature(atom.symbol)
            _note(self.used, sig, at)
            cid = _constant(atom.symbol.arguments[0]) if sig == ("accepted", 1) else None
            if cid is not None:
                self.accepted.setdefault(cid, []).append(at)

    # ------------------------------------------------------------ checks
    def defined(self) -> set[Signature]:
        return set(self.facts) | set(self.derived) | set(self.declared) | self.engine_defined

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

    def unused_predicates(self, read: set[Signature]) -> list[Finding]:
        """Derived predicates that nothing reads: no body, no #show, not argmap (`read`: what argmap reads)."""
        if self.show_all:
            return []
        out = []
        for sig, places in sorted(self.derived.items()):
            if sig in self.used or sig in self.shown or sig in self.engine_used or sig in DECLARATIONS or sig in read:
                continue
            if sig[0] == FIRED:
                continue
            at = min(places)
            out.append(
                Finding(at.file, at.line, "AM008", f"{_show(sig)} is derived but no rule uses it and no #show shows it")
            )
        return out

    def undocumented(self) -> list[Finding]:
        out = []
        everything = {**self.used, **self.declared, **self.derived, **self.facts}
        for sig in sorted(everything):
            if sig in self.docs or sig[0] == FIRED or sig in self.engine_defined:
                continue
            places = self.facts.get(sig) or self.derived.get(sig) or self.declared.get(sig) or self.used[sig]
            at = min(places)
            name, arity = sig
            args = "(" + ", ".join(f"A{i + 1}" for i in range(arity)) + ")" if arity else ""
            out.append(Finding(at.file, at.line, "AM009", f"{_show(sig)} has no docstring (`%*! {name}{args}`)"))
        return out

    def reserved(self) -> list[Finding]:
        """Definitions of what the prelude provides, or of reserved __ names."""
        out = []
        for table in (self.facts, self.derived, self.declared):
            for sig, places in sorted(table.items()):
                clash = sig in self.engine_defined and sig not in _KB_MAY_DECLARE
                if clash or sig[0].startswith("__"):
                    at = min(places)
                    why = "argmap's prelude provides it" if clash else "names starting with __ are argmap's own"
                    out.append(Finding(at.file, at.line, "AM017", f"{_show(sig)} is defined here, but {why}"))
        return out


#: Predicates the prelude declares #defined that a knowledge base supplies (the prelude only reads them).
_KB_MAY_DECLARE = {
    ("component", 3),
    ("value", 2),
    ("claim", 2),
    ("conflict", 3),
    ("involves", 3),
    ("verdict", 3),
    ("verdict_level", 3),
    ("verdict_member", 2),
    ("verdict_good", 2),
    ("stance", 5),
    ("actor", 1),
    ("position", 2),
    ("roadmap_timing", 2),
    ("roadmap_offset", 3),
    ("cost", 3),
}


def _note(table: dict[Signature, list[_Where]], sig: Signature | None, at: _Where) -> None:
    if sig is not None:
        table.setdefault(sig, []).append(at)


def _show(sig: Signature) -> str:
    return f"{sig[0]}/{sig[1]}"


def _head(head: ast.AST) -> tuple[list[ast.AST], list[ast.AST]]:
    """The atoms (as terms) a head derives, and the conditions attached to them."""
    found: list[ast.AST] = []
    conditions: list[ast.AST] = []
    if head.ast_type == ast.ASTType.Literal:
        if head.atom.ast_type == ast.ASTType.SymbolicAtom:
            found.append(head.atom.symbol)
    elif head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction, ast.ASTType.HeadAggregate):
        for elem in head.elements:
            lit = elem.condition if head.ast_type == ast.ASTType.HeadAggregate else elem
            if lit.literal.atom.ast_type == ast.ASTType.SymbolicAtom:
                found.append(lit.literal.atom.symbol)
            conditions.extend(lit.condition)
    return found, conditions


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


# ---------------------------------------------------------------------------- the verdict contract
def _contract(engine: Engine, prog: _Program) -> list[Finding]:
    out: list[Finding] = []
    registry = engine.vocabulary.registry

    def at_spec(where: str) -> _Where:
        path, _, line = where.rpartition(":")
        return _Where(path, int(line) if line.isdigit() else 1)

    derived = set(prog.derived) | set(prog.facts)
    for spec in registry:
        sig = (spec.name, 0 if spec.kind == "bool" else 1)
        at = at_spec(spec.where)
        if sig not in derived:
            out.append(
                Finding(
                    at.file,
                    at.line,
                    "AM013",
                    f"the verdict {spec.name} is declared, but no rule derives {_show(sig)}",
                )
            )
        if not prog.show_all and sig not in prog.shown:
            out.append(
                Finding(at.file, at.line, "AM016", f"the verdict {spec.name} is not shown (#show {_show(sig)}.)")
            )
    if not prog.show_all:
        # reason/4 is read for every verdict, even where no rule derives one yet
        needed = (READ & derived) | ({("reason", 4)} if len(registry) else set())
        for sig in sorted(needed):
            if sig not in prog.shown:
                places = prog.derived.get(sig) or prog.facts.get(sig) or list(prog.shown.values())
                at = min(places) if places else _Where(engine.files[0], 1)
                out.append(
                    Finding(
                        at.file,
                        at.line,
                        "AM016",
                        f"{_show(sig)} is not shown, so argmap cannot read it (#show {_show(sig)}.)",
                    )
                )
        verdict_sigs = {(s.name, 0 if s.kind == "bool" else 1) for s in registry}
        for sig, at in sorted(prog.shown.items()):
            if sig not in verdict_sigs and sig not in READ:
                out.append(
                    Finding(
                        at.file,
                        at.line,
                        "AM015",
                        f"#show {_show(sig)}: neither a declared verdict nor a predicate argmap reads "
                        "(reason/4, conflict/3, involves/3, warning/3, note/3); showing it only slows every solve",
                    )
                )
    for verdict, effect, at in prog.reason_heads:
        spec = registry.get(verdict)
        if spec is None:
            out.append(
                Finding(
                    at.file,
                    at.line,
                    "AM014",
                    f"reason/4 for {verdict}, which is not a declared verdict ({', '.join(registry.names)})",
                )
            )
        elif effect is not None and effect not in spec.effects:
            out.append(
                Finding(
                    at.file,
                    at.line,
                    "AM014",
                    f"reason/4 for {verdict} with the effect {effect}; expected one of: {', '.join(spec.effects)}",
                )
            )
    return out


# ---------------------------------------------------------------------------- claims
def _claims(engine: Engine, prog: _Program) -> list[Finding]:
    out: list[Finding] = []

    def place(sym: clingo.Symbol) -> _Where:
        found = prog.fact_atoms.get(str(sym))
        if found:
            return found[0]
        info = engine.index.facts.get(sym)
        return _Where(info.file, info.line) if info else _Where(engine.files[0], 1)

    claims: dict[str, list[clingo.Symbol]] = {}
    for sym in engine.facts("claim", 2):
        cid, kind = sym.arguments
        at = place(sym)
        if not _is_identifier(cid):
            out.append(Finding(at.file, at.line, "AM002", f"claim id {cid} is not an identifier (lower-case constant)"))
            continue
        if not text(kind).strip():
            out.append(Finding(at.file, at.line, "AM002", f"claim {cid} has an empty kind"))
        claims.setdefault(cid.name, []).append(sym)

    # Duplicates: two kinds for one id in the ground program, or one claim/2 written twice.
    written: dict[str, list[_Where]] = {}
    for atom, places in prog.fact_atoms.items():
        sym = clingo.parse_term(atom)
        if sym.match("claim", 2) and _is_identifier(sym.arguments[0]):
            written.setdefault(sym.arguments[0].name, []).extend(places)
    for cid, syms in sorted(claims.items()):
        places = sorted(set(written.get(cid, [])) | {place(s) for s in syms})
        if len(places) > 1 or len(syms) > 1:
            kinds = ", ".join(sorted(text(s.arguments[1]) for s in syms))
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
                table.setdefault(key, []).append(text(sym.arguments[1]))
    for cid, syms in sorted(claims.items()):
        at = place(syms[0])
        if not any(q.strip() for q in quotes.get(cid, [])):
            out.append(Finding(at.file, at.line, "AM001", f'claim {cid} has no quote (add quote({cid}, "..."))'))
        if not any(p.strip() for p in paraphrases.get(cid, [])):
            out.append(Finding(at.file, at.line, "AM004", f"claim {cid} has no paraphrase"))

    out += _unused_claims(engine, prog, {cid: place(syms[0]) for cid, syms in claims.items()})
    return out


def _unused_claims(engine: Engine, prog: _Program, claims: dict[str, _Where]) -> list[Finding]:
    marked: set[str] = set()
    for sig in _MARKERS:
        marked.update(text(s.arguments[0]) for s in engine.facts(*sig))
    marked.update(prog.marked & set(claims))
    used = set(prog.accepted)
    for atom in prog.fact_atoms:
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


# ---------------------------------------------------------------------------- quotes
_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WINDOW = 3  # sentences
_DIFF_LINES = 16


def normalise(source: str) -> str:
    """Whitespace collapsed and typographic quotes made plain."""
    return " ".join(source.translate(_TYPOGRAPHIC).split())


def _quotes(engine: Engine, prog: _Program, texts: dict[str, str]) -> list[Finding]:
    normal = {sid: normalise(t) for sid, t in texts.items()}
    sentences = {sid: [s.split() for s in _SENTENCE_END.split(t) if s] for sid, t in normal.items()}
    claims = engine.vocabulary.claims
    out = []
    for sym in engine.facts("quote", 2):
        cid = text(sym.arguments[0])
        found = prog.fact_atoms.get(str(sym))
        at = found[0] if found else _Where(engine.files[0], 1)
        claim = claims.get(cid)
        sid = claim.source if claim and claim.source else ("" if "" in normal else None)
        if (sid is None or sid not in normal) and len(normal) == 1:
            sid = next(iter(normal))  # one source given: every quote must be in it
        if sid is None:
            out.append(
                Finding(
                    at.file,
                    at.line,
                    "AM018",
                    f"claim {cid} names no source, and several sources are given: "
                    f"add source({cid}, Id) with one of {', '.join(sorted(normal))}",
                )
            )
            continue
        if sid not in normal:
            out.append(
                Finding(
                    at.file,
                    at.line,
                    "AM018",
                    f"claim {cid} quotes the source {sid}, which no --source gives "
                    "(--source ID=FILE, or [sources] in the project config)",
                )
            )
            continue
        quote = normalise(text(sym.arguments[1]))
        if not quote or quote in normal[sid]:
            continue
        passage = closest_passage(quote, sentences[sid])
        out.append(
            Finding(
                at.file,
                at.line,
                "AM005",
                f'quote of {cid} is not in the source {sid}; closest passage: "{passage}"',
                closest=passage,
                diff=_word_diff(quote, passage),
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
    return [os.path.join(folder, name) for name in proposal_names(folder)]


def _relative(path: str) -> str:
    """A file as findings name it: relative to the current folder when inside it (as the rule files are)."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _schema_comments(folder: str) -> list[Finding]:
    target = os.path.join(os.path.dirname(os.path.abspath(folder)), "schema", "proposal.schema.json")
    out = []
    for path in _proposal_files(folder):
        expected = os.path.relpath(target, os.path.dirname(os.path.abspath(path))).replace(os.sep, "/")
        try:
            first = read_text(path).split("\n", 1)[0].strip()
        except InputError:
            continue  # an unreadable file is AM011, found once, by loading it (_proposals)
        if first == SCHEMA_COMMENT + expected:
            continue
        if first.startswith(SCHEMA_COMMENT):
            message = f"the $schema comment points at {first[len(SCHEMA_COMMENT) :]}; expected {expected}"
        else:
            message = f"the file does not start with `{SCHEMA_COMMENT}{expected}`"
        out.append(Finding(_relative(path), 1, "AM012", message))
    return out


def _proposals(engine: Engine, folder: str) -> list[Finding]:
    out = []
    for path in _proposal_files(folder):
        try:
            judge(engine, load_proposal(path, engine.vocabulary))
        except InputError as exc:
            if exc.path is None:
                exc = replace(exc, path=path)
            out.append(_from_error(exc, path, "AM011"))
    return out
