"""The argument map: claims and conclusions, with support and attack read off the rules.

Nothing here is drawn by hand.  The map is computed from the rules of the
knowledge base (their unpooled ASTs, :attr:`argmap.kb.ProgramIndex.asts`) and
its facts:

**Nodes.**

- A *verdict* node for each distinct head of a rule deriving a verdict atom
  (:data:`VERDICTS`: ``consistent``, ``credible``, ``feasible_now``,
  ``precondition_met``, ``risk(Level)``, ``truncated(Model)``).
- A *reason* node for each rule head of a predicate that carries a reason
  (:data:`REASONS`: ``reason/4``, ``risk_factor/3``, ``obstacle/3``,
  ``conflict/3``, ``warning/3``, ``roadmap_warning/3``, ``roadmap_note/3``),
  labelled with the rule's "why" text (the last string in its head).  Two
  rules with the same head (a pooled rule, or one reason argued twice) are
  one node.  A head whose variables are bound by facts in its own body is one
  node per fact: ``conflict(Id, B, W) :- clash(Id, ...), basis(Id, B, W)``
  becomes a node per ``basis/3`` fact.
- A *claim* node for each claim some edge starts from; claims no rule reasons
  from (``record_only/2``) are left out.  Its label is the paraphrase, and its
  quote is kept for tooltips.

**Edges.**  For a conclusion's rule, each body literal gives edges into the
conclusion: a positive literal *supports* it, a negated literal (a defeater)
*attacks* it.  The sources of a literal are:

- ``accepted(Claim)``: the claim (``not accepted(Claim)`` attacks);
- a verdict or reason atom: every node whose head unifies with it;
- any other derived predicate is a *helper* (``feature/1``, ``has/2``,
  ``current_stance/4``, ``missing/3``, ``clash/5``...) and is *collapsed*: the
  rules that can derive it (those whose head unifies with the literal) are
  followed down, through their positive body literals only, to the claims and
  conclusions they rest on.  A helper's own negations (a stance superseded by
  a later one, an override by a what-if) are bookkeeping inside the helper,
  not arguments, and are not followed.  Facts in a helper's body bind its
  variables: ``current_stance(us, priority, ceasefire_first, C)`` reaches the
  claims of the matching ``stance/5`` facts through ``accepted(C)``.
- proposal inputs (``set/2``, ``open/1``...) and facts are not nodes.

**With a proposal** (:func:`argument_map` with a traced engine and a
proposal), each node says whether it holds (in every completion, in some, or
not), from the ``__fired`` trace atoms of one solve: a reason holds when one
of its own rules fired for it.  A support edge *fired* when a firing of its
rule used it (helpers are followed through their own firings); an attack edge
*fired* when the defeater held for a conclusion that does not hold: under a
binding of its rule's positive body that holds, or, when the positive body
fails, a defeater fixed by the head alone (``not reason(credible, con, _, _)``);
that conclusion is then marked *defeated*.  A roadmap
is mapped as its final phase.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import clingo
from clingo import ast

from .engine import BASELINE, Answer, Engine, World, _text
from .kb import COMPARISONS as _OPS
from .model import ALL, NONE, SOME, Claim, Proposal

#: Verdict predicates, with the group each node is drawn in.
VERDICTS: dict[tuple[str, int], str] = {
    ("consistent", 0): "consistent",
    ("credible", 0): "credible",
    ("risk", 1): "risk",
    ("truncated", 1): "risk",
    ("feasible_now", 0): "feasible_now",
    ("precondition_met", 0): "precondition",
}
#: Predicates whose atoms carry a reason (a claim and a "why" text), with their group.
#: ``reason/4`` is grouped by its first argument (the verdict it bears on).
REASONS: dict[tuple[str, int], str] = {
    ("conflict", 3): "consistent",
    ("reason", 4): "",
    ("risk_factor", 3): "risk",
    ("obstacle", 3): "feasible_now",
    ("warning", 3): "warnings",
    ("roadmap_warning", 3): "roadmap",
    ("roadmap_note", 3): "roadmap",
}
#: The groups in drawing order, with their titles.
GROUPS: dict[str, str] = {
    "claims": "Claims of the article",
    "consistent": "Consistency",
    "credible": "Credibility",
    "risk": "Risk of renewed war",
    "feasible_now": "Feasible now",
    "precondition": "The article's precondition",
    "warnings": "Warnings",
    "roadmap": "Roadmaps",
    "other": "Other conclusions",
}
_REASON_GROUP = {"credible": "credible", "precondition": "precondition", "risk": "risk", "feasible_now": "feasible_now"}
_ACCEPTED = ("accepted", 1)
#: How deep a helper is followed, and how many fact bindings one rule body may produce.
_MAX_DEPTH = 10
_MAX_BINDINGS = 2000


# ---------------------------------------------------------------- the map
@dataclass(frozen=True)
class MapNode:
    """A claim, a verdict, or a conclusion that carries a reason."""

    id: str
    kind: str  # claim | verdict | reason
    group: str
    label: str
    #: The atom (a pattern when it has variables) or, for a claim, its id.
    atom: str
    #: Where the node comes from: rule file:line for conclusions.
    rules: tuple[str, ...] = ()
    claim: str | None = None
    quote: str | None = None
    #: With a proposal: all | some | none (None on the static map).
    holds: str | None = None
    #: With a proposal: it does not hold because a defeater held.
    defeated: bool = False


@dataclass(frozen=True)
class MapEdge:
    source: str
    target: str
    kind: str  # support | attack
    rules: tuple[str, ...]
    #: With a proposal: a support used by a firing, or an attack that blocked its target (None: static).
    fired: bool | None = None


@dataclass(frozen=True)
class ArgumentMap:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    #: The proposal the map is marked for, if any.
    proposal: Proposal | None = None

    def node(self, node_id: str) -> MapNode:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    @property
    def groups(self) -> list[str]:
        """The groups that have nodes, in drawing order."""
        present = {n.group for n in self.nodes}
        return [g for g in GROUPS if g in present]


def argument_map(
    engine: Engine,
    proposal: Proposal | None = None,
    world: World = BASELINE,
) -> ArgumentMap:
    """The knowledge base's argument map; with a proposal, marked from a traced solve."""
    builder = _Builder(engine)
    static = builder.build()
    if proposal is None:
        return static
    if not engine.trace:
        raise ValueError("a proposal's map needs an engine built with trace=True")
    answer = engine.solve(engine.assumptions(proposal, world), open_aspects=bool(proposal.open), fired=True)
    return builder.mark(static, answer, proposal)


# ---------------------------------------------------------------- terms
@dataclass(frozen=True)
class _Var:
    name: str


@dataclass(frozen=True)
class _Fn:
    name: str
    args: tuple[_Term, ...]


_Term = clingo.Symbol | _Var | _Fn
_Subst = dict[str, "_Term"]


class _Fresh:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, stem: str = "_") -> str:
        self.n += 1
        return f"{stem}#{self.n}"


def _term(node: ast.AST, fresh: _Fresh) -> _Term:
    kind = node.ast_type
    if kind == ast.ASTType.Variable:
        return _Var(fresh() if node.name == "_" else node.name)
    if kind == ast.ASTType.SymbolicTerm:
        return node.symbol
    if kind == ast.ASTType.Function and not node.external:
        args = tuple(_term(a, fresh) for a in node.arguments)
        if all(isinstance(a, clingo.Symbol) for a in args):
            return clingo.Tuple_(args) if node.name == "" else clingo.Function(node.name, args)  # type: ignore[arg-type]
        return _Fn(node.name, args)
    return _Var(fresh("?"))  # arithmetic, intervals, ...: unconstrained here


def _signature(t: _Term) -> tuple[str, int] | None:
    if isinstance(t, _Fn):
        return (t.name, len(t.args))
    if isinstance(t, clingo.Symbol) and t.type == clingo.SymbolType.Function:
        return (t.name, len(t.arguments))
    return None


def _walk(t: _Term, s: _Subst) -> _Term:
    while isinstance(t, _Var) and t.name in s:
        t = s[t.name]
    return t


def _parts(t: _Term) -> tuple[str, tuple[_Term, ...]] | None:
    if isinstance(t, _Fn):
        return t.name, t.args
    if t.type == clingo.SymbolType.Function:
        return t.name, tuple(t.arguments)
    return None


def _unify(a: _Term, b: _Term, s: _Subst) -> _Subst | None:
    a, b = _walk(a, s), _walk(b, s)
    if isinstance(a, _Var):
        if isinstance(b, _Var) and a.name == b.name:
            return s
        return {**s, a.name: b}
    if isinstance(b, _Var):
        return {**s, b.name: a}
    if isinstance(a, clingo.Symbol) and isinstance(b, clingo.Symbol):
        return s if a == b else None
    pa, pb = _parts(a), _parts(b)
    if pa is None or pb is None or pa[0] != pb[0] or len(pa[1]) != len(pb[1]):
        return None
    out: _Subst | None = s
    for x, y in zip(pa[1], pb[1], strict=True):
        out = _unify(x, y, out)
        if out is None:
            return None
    return out


def _resolve(t: _Term, s: _Subst) -> _Term:
    t = _walk(t, s)
    if isinstance(t, _Fn):
        args = tuple(_resolve(a, s) for a in t.args)
        if all(isinstance(a, clingo.Symbol) for a in args):
            return clingo.Tuple_(args) if t.name == "" else clingo.Function(t.name, args)  # type: ignore[arg-type]
        return _Fn(t.name, args)
    return t


def _rename(t: _Term, suffix: str) -> _Term:
    if isinstance(t, _Var):
        return _Var(t.name + suffix)
    if isinstance(t, _Fn):
        return _Fn(t.name, tuple(_rename(a, suffix) for a in t.args))
    return t


def _show(t: _Term) -> str:
    if isinstance(t, _Var):
        return "_" if "#" in t.name else t.name
    if isinstance(t, _Fn):
        inner = ",".join(_show(a) for a in t.args)
        return f"{t.name}({inner})" if t.name else f"({inner})"
    return str(t)


def _canonical(t: _Term) -> str:
    """A text for `t` with its variables numbered in order (a memo key)."""
    names: dict[str, str] = {}

    def walk(x: _Term) -> str:
        if isinstance(x, _Var):
            return names.setdefault(x.name, f"V{len(names)}")
        if isinstance(x, _Fn):
            return f"{x.name}({','.join(walk(a) for a in x.args)})"
        return str(x)

    return walk(t)


def _variables(t: _Term) -> set[str]:
    if isinstance(t, _Var):
        return {t.name}
    if isinstance(t, _Fn):
        return set().union(*(_variables(a) for a in t.args))
    return set()


# ---------------------------------------------------------------- rules
@dataclass(frozen=True)
class _Literal:
    sign: int  # 1 positive, -1 negated
    atom: _Term
    #: Position among the rule's positive (or negated) atoms, as the trace records them.
    slot: int


@dataclass(frozen=True)
class _Comparison:
    op: ast.ComparisonOperator
    left: _Term
    right: _Term


@dataclass(frozen=True)
class _Rule:
    index: int
    heads: tuple[_Term, ...]
    literals: tuple[_Literal, ...]
    comparisons: tuple[_Comparison, ...]

    def renamed(self, suffix: str) -> _Rule:
        return _Rule(
            self.index,
            tuple(_rename(h, suffix) for h in self.heads),
            tuple(replace(lit, atom=_rename(lit.atom, suffix)) for lit in self.literals),
            tuple(_Comparison(c.op, _rename(c.left, suffix), _rename(c.right, suffix)) for c in self.comparisons),
        )


def _convert(index: int, rule: ast.AST) -> _Rule:
    fresh = _Fresh()
    heads: list[_Term] = []
    head = rule.head
    if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
        heads.append(_term(head.atom.symbol, fresh))
    elif head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction):
        for elem in head.elements:
            if elem.literal.atom.ast_type == ast.ASTType.SymbolicAtom:
                heads.append(_term(elem.literal.atom.symbol, fresh))
    literals: list[_Literal] = []
    comparisons: list[_Comparison] = []
    slots = {1: 0, -1: 0}
    for lit in rule.body:
        if lit.ast_type != ast.ASTType.Literal:
            continue
        if lit.atom.ast_type == ast.ASTType.SymbolicAtom:
            sign = {ast.Sign.NoSign: 1, ast.Sign.Negation: -1}.get(lit.sign)
            if sign is None:
                continue
            literals.append(_Literal(sign, _term(lit.atom.symbol, fresh), slots[sign]))
            slots[sign] += 1
        elif lit.atom.ast_type == ast.ASTType.Comparison and lit.sign == ast.Sign.NoSign:
            left = _term(lit.atom.term, fresh)
            for guard in lit.atom.guards:
                right = _term(guard.term, fresh)
                comparisons.append(_Comparison(guard.comparison, left, right))
                left = right
    return _Rule(index, tuple(heads), tuple(literals), tuple(comparisons))


def _comparisons_hold(rule: _Rule, s: _Subst) -> bool:
    """False when a comparison is ground and fails; unknown ones count as holding."""
    for c in rule.comparisons:
        left, right = _resolve(c.left, s), _resolve(c.right, s)
        if isinstance(left, clingo.Symbol) and isinstance(right, clingo.Symbol) and not _OPS[c.op](left, right):
            return False
    return True


# ---------------------------------------------------------------- building
@dataclass
class _Conclusion:
    """A verdict or reason node while the map is built."""

    id: str
    kind: str
    group: str
    head: _Term
    label: str
    rules: list[int] = field(default_factory=list)
    #: (rule, fact binding) pairs whose edges lead into this node.
    instances: list[tuple[_Rule, _Subst]] = field(default_factory=list)


_Via = tuple[int, int, int]  # (rule index, sign, slot)


class _Builder:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.index = engine.index
        self.claims: Mapping[str, Claim] = engine.vocabulary.claims
        self.rules = [_convert(i, r) for i, r in enumerate(self.index.asts)]
        self.derived: dict[tuple[str, int], list[tuple[_Rule, _Term]]] = {}
        for rule in self.rules:
            for h in rule.heads:
                sig = _signature(h)
                if sig is not None:
                    self.derived.setdefault(sig, []).append((rule, h))
        self.facts: dict[tuple[str, int], list[clingo.Symbol]] = {}
        for sym in sorted(self.index.facts):
            if sym.type == clingo.SymbolType.Function:
                self.facts.setdefault((sym.name, len(sym.arguments)), []).append(sym)
        self.conclusions: list[_Conclusion] = []
        self.by_sig: dict[tuple[str, int], list[_Conclusion]] = {}
        self._memo: dict[str, frozenset[str]] = {}
        self._renames = _Fresh()
        self._lines: dict[str, list[str]] = {}

    # ------------------------------------------------------------ static map
    def build(self) -> ArgumentMap:
        self._collect_conclusions()
        edges: dict[tuple[str, str, str], set[_Via]] = {}
        for node in self.conclusions:
            for rule, binding in node.instances:
                for lit in rule.literals:
                    for source in sorted(self._sources(lit.atom, binding, 0, frozenset())):
                        kind = "support" if lit.sign > 0 else "attack"
                        edges.setdefault((source, node.id, kind), set()).add((rule.index, lit.sign, lit.slot))
        self.vias = edges
        claim_ids = sorted({s for s, _, _ in edges if s.startswith("claim_")})
        nodes: list[MapNode] = []
        for cid in claim_ids:
            claim = self.claims.get(cid[len("claim_") :])
            name = cid[len("claim_") :]
            nodes.append(
                MapNode(
                    cid,
                    "claim",
                    "claims",
                    claim.paraphrase if claim and claim.paraphrase else name,
                    name,
                    claim=name,
                    quote=claim.quote if claim else None,
                )
            )
        order = {g: i for i, g in enumerate(GROUPS)}
        for c in sorted(self.conclusions, key=lambda c: (order[c.group], c.kind != "verdict", c.rules[0], c.id)):
            where = tuple(dict.fromkeys(self.index.rules[i].where for i in c.rules))
            nodes.append(MapNode(c.id, c.kind, c.group, c.label, _show(c.head), where))
        out_edges = [
            MapEdge(s, t, k, tuple(sorted({self.index.rules[i].where for i, _, _ in via}, key=_where_key)))
            for (s, t, k), via in edges.items()
        ]
        rank = {n.id: i for i, n in enumerate(nodes)}
        out_edges.sort(key=lambda e: (rank[e.target], e.kind, rank[e.source]))
        return ArgumentMap(tuple(nodes), tuple(out_edges))

    def _collect_conclusions(self) -> None:
        by_key: dict[str, _Conclusion] = {}
        used: set[str] = set()
        for rule in self.rules:
            for head in rule.heads:
                sig = _signature(head)
                if sig in VERDICTS:
                    kind = "verdict"
                elif sig in REASONS:
                    kind = "reason"
                else:
                    continue
                assert sig is not None
                bindings = self._fact_join(rule, {}) if kind == "reason" else [{}]
                for binding in bindings:
                    instance = _resolve(head, binding)
                    key = _canonical(instance)
                    node = by_key.get(key)
                    if node is None:
                        node = _Conclusion(
                            _node_id(kind, instance, used),
                            kind,
                            self._group(sig, instance),
                            instance,
                            self._label(rule, instance),
                        )
                        by_key[key] = node
                        self.conclusions.append(node)
                        self.by_sig.setdefault(sig, []).append(node)
                    if rule.index not in node.rules:
                        node.rules.append(rule.index)
                    node.instances.append((rule, binding))

    def _group(self, sig: tuple[str, int], head: _Term) -> str:
        if sig in VERDICTS:
            return VERDICTS[sig]
        group = REASONS[sig]
        if not group:
            parts = _parts(head)
            first = parts[1][0] if parts and parts[1] else None
            group = _REASON_GROUP.get(str(first), "other") if isinstance(first, clingo.Symbol) else "other"
        return group

    def _label(self, rule: _Rule, head: _Term) -> str:
        """The rule's "why" text; else the predicate's Text: template; else the comment above the rule."""
        parts = _parts(head)
        args = parts[1] if parts else ()
        texts = [a for a in args if isinstance(a, clingo.Symbol) and a.type == clingo.SymbolType.String]
        if texts:
            return texts[-1].string
        sig = _signature(head)
        doc = self.index.docs.get(sig) if sig else None
        if doc and doc.text and all(isinstance(a, clingo.Symbol) for a in args):
            try:
                return doc.text.format(**{n: _text(a).replace("_", " ") for n, a in zip(doc.args, args, strict=False)})  # type: ignore[arg-type]
            except (KeyError, IndexError):
                pass
        comment = self._comment_above(rule.index)
        if comment:
            return comment
        if doc and doc.description:
            return doc.description
        return _show(head)

    def _comment_above(self, index: int) -> str | None:
        info = self.index.rules[index]
        path = os.path.join(self.engine.root, info.file)
        if path not in self._lines:
            try:
                with open(path, encoding="utf-8") as handle:
                    self._lines[path] = handle.read().splitlines()
            except OSError:
                self._lines[path] = []
        lines = self._lines[path]
        block: list[str] = []
        i = info.line - 2
        while 0 <= i < len(lines) and lines[i].startswith("%"):
            block.insert(0, lines[i].lstrip("%").strip())
            i -= 1
        text = " ".join(b for b in block if b)
        if not text or " " not in text or text.startswith(("[", "ENCODING CHOICE", "NOT FORMALIZED")):
            return None
        return text

    # ------------------------------------------------------------ sources of a literal
    def _fact_join(self, rule: _Rule, s: _Subst) -> list[_Subst]:
        """Bindings of `rule`'s variables from its positive literals over fact-only predicates."""
        out = [s]
        for lit in rule.literals:
            sig = _signature(lit.atom)
            if lit.sign < 0 or sig is None or sig in self.derived or sig not in self.facts:
                continue
            nxt: list[_Subst] = []
            for b in out:
                for fact in self.facts[sig]:
                    m = _unify(lit.atom, fact, b)
                    if m is not None and len(nxt) < _MAX_BINDINGS:
                        nxt.append(m)
            out = nxt
        return [b for b in out if _comparisons_hold(rule, b)]

    def _sources(self, atom: _Term, s: _Subst, depth: int, stack: frozenset[str]) -> frozenset[str]:
        """The node ids a body atom rests on (claims and conclusions)."""
        pattern = _resolve(atom, s)
        sig = _signature(pattern)
        if sig is None:
            return frozenset()
        if sig == _ACCEPTED:
            parts = _parts(pattern)
            arg = parts[1][0] if parts else None
            if isinstance(arg, clingo.Symbol) and _text(arg) in self.claims:
                return frozenset({"claim_" + _text(arg)})
            return frozenset()
        if sig in VERDICTS or sig in REASONS:
            probe = _rename(pattern, "@")
            return frozenset(n.id for n in self.by_sig.get(sig, []) if _unify(n.head, probe, {}) is not None)
        if sig not in self.derived or depth >= _MAX_DEPTH:
            return frozenset()
        key = _canonical(pattern)
        if key in stack:
            return frozenset()
        if key in self._memo:
            return self._memo[key]
        found: set[str] = set()
        for rule, head in self.derived[sig]:
            self._renames.n += 1
            suffix = f"${self._renames.n}"
            fresh = rule.renamed(suffix)
            unifier = _unify(_rename(head, suffix), pattern, {})
            if unifier is None:
                continue
            for binding in self._fact_join(fresh, unifier):
                for lit in fresh.literals:
                    if lit.sign > 0:
                        found |= self._sources(lit.atom, binding, depth + 1, stack | {key})
        result = frozenset(found)
        self._memo[key] = result
        return result

    # ------------------------------------------------------------ marking
    def mark(self, static: ArgumentMap, answer: Answer, proposal: Proposal) -> ArgumentMap:
        atoms = answer.atoms
        everywhere = answer.atoms_cautious if answer.atoms_cautious is not None else atoms
        firings: dict[clingo.Symbol, list[tuple[int, tuple[clingo.Symbol, ...]]]] = {}
        for f in sorted(answer.fired, key=lambda x: (x.arguments[0].number, str(x))):
            idx, head, pos, _neg = f.arguments
            firings.setdefault(head, []).append((idx.number, tuple(pos.arguments)))
        by_sig_atoms: dict[tuple[str, int], list[clingo.Symbol]] = {}
        for sym in sorted(atoms):
            if sym.type == clingo.SymbolType.Function:
                by_sig_atoms.setdefault((sym.name, len(sym.arguments)), []).append(sym)
        reach_memo: dict[clingo.Symbol, frozenset[str]] = {}

        def derived_by(sym: clingo.Symbol) -> list[_Conclusion]:
            sig = (sym.name, len(sym.arguments))
            rules = {i for i, _ in firings.get(sym, [])}
            return [n for n in self.by_sig.get(sig, []) if rules & set(n.rules) and _unify(n.head, sym, {}) is not None]

        def reach(sym: clingo.Symbol, stack: frozenset[clingo.Symbol] = frozenset()) -> frozenset[str]:
            """The claims and conclusions a true atom was derived from (positive premises, through helpers)."""
            if sym in reach_memo:
                return reach_memo[sym]
            sig = (sym.name, len(sym.arguments))
            if sig == _ACCEPTED:
                out = frozenset({"claim_" + _text(sym.arguments[0])})
            elif sig in VERDICTS or sig in REASONS:
                out = frozenset(n.id for n in derived_by(sym))
            elif sym in stack:
                return frozenset()
            else:
                found: set[str] = set()
                for _, pos in firings.get(sym, []):
                    for p in pos:
                        found |= reach(p, stack | {sym})
                out = frozenset(found)
            reach_memo[sym] = out
            return out

        holds: dict[str, str] = {}
        fired: set[tuple[str, str, str]] = set()
        for c in self.conclusions:
            mine = [
                a
                for a in by_sig_atoms.get(_signature(c.head) or ("", 0), [])
                if _unify(c.head, a, {}) is not None and any(i in c.rules for i, _ in firings.get(a, []))
            ]
            holds[c.id] = ALL if any(a in everywhere for a in mine) else SOME if mine else NONE
            for a in mine:
                for idx, pos in firings[a]:
                    if idx not in c.rules:
                        continue
                    for slot, premise in enumerate(pos):
                        for source in reach(premise):
                            vias = self.vias.get((source, c.id, "support"), set())
                            if (idx, 1, slot) in vias:
                                fired.add((source, c.id, "support"))
        defeated: set[str] = set()
        for c in self.conclusions:
            if holds[c.id] != NONE:
                continue
            for source, via in self._blocked(c, by_sig_atoms, reach):
                if (via[0], -1, via[2]) in self.vias.get((source, c.id, "attack"), set()):
                    fired.add((source, c.id, "attack"))
                    defeated.add(c.id)
        claims_held = {
            n.id: (ALL if clingo.Function("accepted", [clingo.Function(n.atom)]) in everywhere else NONE)
            for n in static.nodes
            if n.kind == "claim"
        }
        new_nodes = tuple(
            replace(n, holds=claims_held.get(n.id) or holds.get(n.id, NONE), defeated=n.id in defeated)
            for n in static.nodes
        )
        new_edges = tuple(replace(e, fired=(e.source, e.target, e.kind) in fired) for e in static.edges)
        return ArgumentMap(new_nodes, new_edges, proposal)

    def _blocked(
        self,
        c: _Conclusion,
        atoms: Mapping[tuple[str, int], list[clingo.Symbol]],
        reach: object,
    ) -> Iterable[tuple[str, _Via]]:
        """(source, via) for each defeater that blocks a rule of `c` whose positive body holds."""
        for rule in {r.index: r for r, _ in c.instances}.values():
            suffix = "$m" + str(rule.index)
            fresh = rule.renamed(suffix)
            probe = _rename(c.head, "@")
            for head in fresh.heads:
                start = _unify(head, probe, {})
                if start is None:
                    continue
                # Blocked where the positive body holds; failing that, by a defeater the head
                # alone pins down (no variable but anonymous ones): `not reason(credible, con, _, _)`.
                bindings = self._join_atoms(fresh, start, atoms)
                for binding in bindings or [start]:
                    for lit in fresh.literals:
                        if lit.sign > 0:
                            continue
                        pattern = _resolve(lit.atom, binding)
                        if not bindings and any("#" not in v for v in _variables(pattern)):
                            continue
                        sig = _signature(pattern)
                        for blocker in atoms.get(sig or ("", 0), []):
                            if _unify(pattern, blocker, {}) is not None:
                                for source in reach(blocker):  # type: ignore[operator]
                                    yield source, (rule.index, -1, lit.slot)

    def _join_atoms(self, rule: _Rule, s: _Subst, atoms: Mapping[tuple[str, int], list[clingo.Symbol]]) -> list[_Subst]:
        """Bindings under which every positive literal of `rule` is in the answer."""
        out = [s]
        for lit in rule.literals:
            if lit.sign < 0:
                continue
            sig = _signature(_resolve(lit.atom, {}))
            nxt: list[_Subst] = []
            for b in out:
                for sym in atoms.get(sig or ("", 0), []):
                    m = _unify(lit.atom, sym, b)
                    if m is not None and len(nxt) < _MAX_BINDINGS:
                        nxt.append(m)
            out = nxt
            if not out:
                return []
        return [b for b in out if _comparisons_hold(rule, b)]


# ---------------------------------------------------------------- ids
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


def _node_id(kind: str, head: _Term, used: set[str]) -> str:
    parts = _parts(head)
    name = parts[0] if parts else str(head)
    words = [name] if kind == "reason" else ["verdict", name]
    for arg in parts[1] if parts else ():
        if isinstance(arg, clingo.Symbol) and arg.type == clingo.SymbolType.String:
            continue
        if isinstance(arg, _Var):
            continue
        inner = _parts(arg)
        words.append(inner[0] if inner and inner[0] else _show(arg))
    base = _UNSAFE.sub("_", "_".join(w for w in words if w)).strip("_")
    out, n = base, 1
    while out in used:
        n += 1
        out = f"{base}_{n}"
    used.add(out)
    return out


def _where_key(where: str) -> tuple[str, int]:
    path, _, line = where.rpartition(":")
    return (path, int(line) if line.isdigit() else 0)
