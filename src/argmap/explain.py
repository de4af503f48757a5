"""Why a conclusion holds, and why another does not, from the actual rule firings.

The engine traces every rule (see :mod:`argmap.kb`): each firing records the
rule, the derived atom, and the positive and negative body atoms that made it
fire.  A *justification* follows those firings down to the proposal's own
components, the world facts and the claims used.  A *why-not* takes each rule
that could derive the atom, matches it against the answer set, and names the
body literal that fails: a missing atom (explained in turn) or a negated atom
that holds (justified in turn).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import clingo
from clingo import ast

from .engine import Answer, Engine, World, _text
from .errors import InputError
from .kb import COMPARISONS as _OPS
from .kb import signature as _signature
from .model import Claim, Proposal

#: How deep a tree may go before it is cut (with a note).
MAX_DEPTH = 12
#: How many failing instances of one rule a why-not lists.
MAX_FAILURES = 4


@dataclass
class Node:
    """One step of an explanation."""

    atom: str
    holds: bool
    text: str
    kind: str  # derived | fact | input | claim | absent | blocked | rule | failure | cut
    rule: str | None = None  # file:line of the rule or fact
    claim: str | None = None
    quote: str | None = None
    qualifier: str | None = None  # "some" where it holds in only some completions
    children: list[Node] = field(default_factory=list)

    def claims(self) -> set[str]:
        """Every claim this explanation uses."""
        found = {self.claim} if self.claim else set()
        for child in self.children:
            found |= child.claims()
        return found

    def rules(self) -> set[str]:
        found = {self.rule} if self.rule else set()
        for child in self.children:
            found |= child.rules()
        return found

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"atom": self.atom, "holds": self.holds, "kind": self.kind, "text": self.text}
        if self.rule:
            out["rule"] = self.rule
        if self.claim:
            out["claim"] = self.claim
            out["quote"] = self.quote
        if self.qualifier:
            out["holds_in"] = self.qualifier
        if self.children:
            out["children"] = [c.to_json() for c in self.children]
        return out


#: The verdict atoms `explain` covers by default, and their names.
VERDICTS: tuple[tuple[str, str], ...] = (
    ("consistent", "consistent"),
    ("credible", "credible"),
    ("feasible_now", "feasible now"),
    ("precondition_met", "precondition"),
)


def parse_atom(text: str) -> clingo.Symbol:
    """A user-given atom such as ``credible`` or ``risk(high)``, checked for shape."""
    text = text.strip()
    if not re.fullmatch(r"[a-z_][A-Za-z0-9_]*(\(.*\))?", text):
        raise InputError(f"'{text}' is not an atom", expected="an atom such as credible or risk(high)")
    try:
        sym = clingo.parse_term(text)
    except RuntimeError:
        raise InputError(f"'{text}' is not an atom", expected="an atom such as credible or risk(high)") from None
    if sym.type != clingo.SymbolType.Function or not sym.name:
        raise InputError(f"'{text}' is not an atom", expected="an atom such as credible or risk(high)")
    return sym


class Explainer:
    """Explanations over one answer of a traced engine."""

    def __init__(self, engine: Engine, answer: Answer, claims: Mapping[str, Claim]) -> None:
        if not engine.trace:
            raise ValueError("explanations need an engine built with trace=True")
        self.engine = engine
        self.index = engine.index
        self.answer = answer
        self.claims = claims
        self.atoms = answer.atoms
        #: Atoms true in every completion (all of them, for a proposal with nothing open).
        self.everywhere = answer.atoms if answer.atoms_cautious is None else answer.atoms_cautious
        self.by_sig: dict[tuple[str, int], list[clingo.Symbol]] = {}
        for sym in sorted(self.atoms):
            self.by_sig.setdefault((sym.name, len(sym.arguments)), []).append(sym)
        self.firings: dict[clingo.Symbol, list[tuple[int, tuple[clingo.Symbol, ...], tuple[clingo.Symbol, ...]]]] = {}
        for f in sorted(answer.fired, key=lambda s: (s.arguments[0].number, str(s))):
            idx, head, pos, neg = f.arguments
            self.firings.setdefault(head, []).append((idx.number, tuple(pos.arguments), tuple(neg.arguments)))
        self.labels = {_text(s.arguments[0]): _text(s.arguments[1]) for s in engine.facts("label", 2)}

    # ------------------------------------------------------------ words
    def words(self, sym: clingo.Symbol, positive: bool) -> str:
        doc = self.index.docs.get((sym.name, len(sym.arguments)))
        anonymous = any(a.type == clingo.SymbolType.String and a.string == "_" for a in sym.arguments)
        template = (doc.text if positive else (doc.none if anonymous and doc.none else doc.negated)) if doc else None
        if template is None:
            return str(sym) if positive else f"{sym} does not hold"
        values = {}
        for name, arg in zip(doc.args, sym.arguments, strict=False):
            if arg.type == clingo.SymbolType.String and arg.string == "_":
                values[name] = "any"
            else:
                word = _text(arg)
                values[name] = self.labels.get(
                    word, word.replace("_", " ") if arg.type != clingo.SymbolType.String else word
                )
        try:
            return template.format(**values)
        except (KeyError, IndexError):
            return template

    def _qualifier(self, sym: clingo.Symbol) -> str | None:
        if sym in self.atoms and sym not in self.everywhere:
            return "some"
        return None

    # ------------------------------------------------------------ why
    def why(self, sym: clingo.Symbol, depth: int = 0, stack: frozenset[clingo.Symbol] = frozenset()) -> Node:
        """A justification of `sym`, which must hold."""
        if sym not in self.atoms:
            raise InputError(f"{sym} does not hold for this proposal; ask --why-not instead")
        text = self.words(sym, True)
        if sym.name == "accepted" and len(sym.arguments) == 1:
            return self._claim_node(_text(sym.arguments[0]), str(sym), True)
        if sym.name in ("set", "open"):
            return Node(str(sym), True, text, "input", qualifier=self._qualifier(sym))
        if sym.name in ("rejected", "as_of", "assume_stance"):
            return Node(str(sym), True, text, "input")
        if sym in self.index.facts:
            info = self.index.facts[sym]
            node = Node(str(sym), True, text, "fact", rule=info.where)
            node.children = [self._claim_node(a, None, True) for a in self._claim_args(sym)]
            return node
        if depth >= MAX_DEPTH or sym in stack:
            return Node(str(sym), True, text, "cut")
        firing = self.firings.get(sym)
        if not firing:
            return Node(str(sym), True, text, "derived", qualifier=self._qualifier(sym))
        idx, pos, neg = firing[0]
        if sym in self.everywhere:
            # Justify what holds everywhere by a firing whose premises hold everywhere, if there is one.
            for candidate in firing:
                if all(p in self.everywhere for p in candidate[1]):
                    idx, pos, neg = candidate
                    break
        node = Node(str(sym), True, text, "derived", rule=self.index.rules[idx].where, qualifier=self._qualifier(sym))
        inner = stack | {sym}
        for p in pos:
            node.children.append(self.why(p, depth + 1, inner))
        for n in neg:
            node.children.append(Node(f"not {n}", True, self._absent_words(n), "absent"))
        return node

    def _absent_words(self, sym: clingo.Symbol) -> str:
        if sym.name == "accepted" and len(sym.arguments) == 1:
            return f"the claim {_text(sym.arguments[0])} is rejected"
        return self.words(sym, False)

    def _claim_args(self, sym: clingo.Symbol) -> list[str]:
        return sorted(
            {
                _text(a)
                for a in sym.arguments
                if a.type == clingo.SymbolType.Function and not a.arguments and a.name in self.claims
            }
        )

    def _claim_node(self, cid: str, atom: str | None, accepted: bool) -> Node:
        claim = self.claims.get(cid)
        if claim is None:
            return Node(atom or cid, accepted, f"claim {cid}", "claim", claim=cid)
        text = claim.paraphrase if accepted else f"the claim {cid} is rejected: {claim.paraphrase}"
        return Node(atom or f"claim({cid})", accepted, text, "claim", claim=cid, quote=claim.quote)

    # ------------------------------------------------------------ why not
    def why_not(self, sym: clingo.Symbol, depth: int = 0, stack: frozenset[clingo.Symbol] = frozenset()) -> Node:
        """Why `sym` does not hold."""
        if sym in self.atoms:
            raise InputError(f"{sym} holds for this proposal; ask --why instead")
        text = self.words(sym, False)
        if sym.name == "accepted" and len(sym.arguments) == 1:
            return self._claim_node(_text(sym.arguments[0]), str(sym), False)
        if sym.name in ("set", "open"):
            return Node(str(sym), False, text, "input")
        node = Node(str(sym), False, text, "blocked")
        if depth >= MAX_DEPTH or sym in stack:
            node.kind = "cut"
            return node
        heads = [(i, h) for i, h in self.index.heads(sym.name, len(sym.arguments)) if _match(h, sym, {}) is not None]
        if not heads:
            node.text = f"{text} (nothing in the knowledge base derives it)"
            return node
        inner = stack | {sym}
        for i, head in heads:
            binding = _match(head, sym, {}) or {}
            info = self.index.rules[i]
            rule_node = Node(info.text, False, f"the rule at {info.where} does not apply", "rule", rule=info.where)
            rule_node.children = self._failures(self.index.asts[i], binding, depth + 1, inner)
            node.children.append(rule_node)
        return node

    def _why_none(self, pattern: ast.AST, depth: int, stack: frozenset[clingo.Symbol]) -> Node:
        """Why no atom matches `pattern` (a partly bound atom): every rule that could derive one fails."""
        text = str(pattern)
        node = Node(text, False, f"nothing establishes {text}", "blocked")
        sig = _signature(pattern)
        if sig is None or depth >= MAX_DEPTH:
            return node
        doc = self.index.docs.get(sig)
        if doc and doc.none:
            node.text = doc.none
        for i, head in self.index.heads(*sig):
            binding = _unify(head, pattern)
            if binding is None:
                continue
            info = self.index.rules[i]
            rule_node = Node(info.text, False, f"the rule at {info.where} does not apply", "rule", rule=info.where)
            rule_node.children = self._failures(self.index.asts[i], binding, depth + 1, stack)
            node.children.append(rule_node)
        return node

    def _failures(
        self, rule: ast.AST, binding: dict[str, clingo.Symbol], depth: int, stack: frozenset[clingo.Symbol]
    ) -> list[Node]:
        body = list(rule.body)
        head = rule.head
        if head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction):
            body = [*body]  # a choice: its body must hold; the element is chosen freely
        positive = [lit for lit in body if _is_atom(lit) and lit.sign == ast.Sign.NoSign]
        rest = [lit for lit in body if lit not in positive]
        failures: list[Node] = []
        seen: set[str] = set()

        def add(node: Node) -> None:
            if node.atom not in seen and len(failures) < MAX_FAILURES:
                seen.add(node.atom)
                failures.append(node)

        def join(k: int, b: dict[str, clingo.Symbol]) -> None:
            if len(failures) >= MAX_FAILURES:
                return
            if k == len(positive):
                check(b)
                return
            pattern = positive[k].atom.symbol
            ground = _substitute(pattern, b)
            if ground is not None:
                if ground in self.atoms:
                    join(k + 1, b)
                else:
                    add(self.why_not(ground, depth, stack))
                return
            sig = _signature(pattern)
            matches = [m for m in self.by_sig.get(sig, []) if _match(pattern, m, b) is not None] if sig else []
            if not matches:
                add(self._why_none(_partial(pattern, b), depth, stack))
                return
            for m in matches:
                join(k + 1, _match(pattern, m, b) or b)

        def check(b: dict[str, clingo.Symbol]) -> None:
            for lit in rest:
                if _is_atom(lit) and lit.sign == ast.Sign.Negation:
                    pattern = lit.atom.symbol
                    sig = _signature(pattern)
                    blockers = [m for m in self.by_sig.get(sig, []) if _match(pattern, m, b) is not None] if sig else []
                    if blockers:
                        for blocker in blockers:
                            add(self.why(blocker, depth, stack))
                        return
                elif lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.Comparison:
                    if _compare(lit.atom, b) is False:
                        add(Node(str(lit), False, f"the condition {_partial_text(lit, b)} fails", "failure"))
                        return

        join(0, dict(binding))
        return failures


# ---------------------------------------------------------------- matching
def _is_atom(lit: ast.AST) -> bool:
    return lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.SymbolicAtom


def _match(pattern: ast.AST, sym: clingo.Symbol, b: dict[str, clingo.Symbol]) -> dict[str, clingo.Symbol] | None:
    t = pattern.ast_type
    if t == ast.ASTType.Variable:
        if pattern.name == "_":
            return b
        if pattern.name in b:
            return b if b[pattern.name] == sym else None
        return {**b, pattern.name: sym}
    if t == ast.ASTType.SymbolicTerm:
        return b if pattern.symbol == sym else None
    if t == ast.ASTType.Function:
        if sym.type != clingo.SymbolType.Function or sym.name != pattern.name:
            return None
        if len(sym.arguments) != len(pattern.arguments):
            return None
        out: dict[str, clingo.Symbol] | None = b
        for p, s in zip(pattern.arguments, sym.arguments, strict=True):
            out = _match(p, s, out)
            if out is None:
                return None
        return out
    return b  # arithmetic and other terms: not constrained here


def _unify(head: ast.AST, pattern: ast.AST) -> dict[str, clingo.Symbol] | None:
    """Bind `head`'s variables to the ground arguments of `pattern`; None if they clash."""
    if pattern.ast_type == ast.ASTType.SymbolicTerm:
        return _match(head, pattern.symbol, {})
    if pattern.ast_type != ast.ASTType.Function or head.ast_type != ast.ASTType.Function:
        return {}
    if head.name != pattern.name or len(head.arguments) != len(pattern.arguments):
        return None
    b: dict[str, clingo.Symbol] | None = {}
    for h, p in zip(head.arguments, pattern.arguments, strict=True):
        ground = _substitute(p, {})
        if ground is None:
            continue
        b = _match(h, ground, b or {})
        if b is None:
            return None
    return b


def _substitute(pattern: ast.AST, b: dict[str, clingo.Symbol]) -> clingo.Symbol | None:
    t = pattern.ast_type
    if t == ast.ASTType.Variable:
        return b.get(pattern.name)
    if t == ast.ASTType.SymbolicTerm:
        return pattern.symbol
    if t == ast.ASTType.Function:
        args = [_substitute(a, b) for a in pattern.arguments]
        if any(a is None for a in args):
            return None
        if pattern.name == "":
            return clingo.Tuple_(args)  # type: ignore[arg-type]
        return clingo.Function(pattern.name, args)  # type: ignore[arg-type]
    return None


class _Bind(ast.Transformer):
    def __init__(self, b: dict[str, clingo.Symbol]) -> None:
        self.b = b

    def visit_Variable(self, node: ast.AST) -> ast.AST:  # noqa: N802
        if node.name in self.b:
            return ast.SymbolicTerm(node.location, self.b[node.name])
        return node


def _partial(pattern: ast.AST, b: dict[str, clingo.Symbol]) -> ast.AST:
    return _Bind(b)(pattern)


def _partial_text(lit: ast.AST, b: dict[str, clingo.Symbol]) -> str:
    return str(_Bind(b)(lit))


def _compare(comparison: ast.AST, b: dict[str, clingo.Symbol]) -> bool | None:
    left = _substitute(comparison.term, b)
    if left is None:
        return None
    for guard in comparison.guards:
        right = _substitute(guard.term, b)
        if right is None:
            return None
        if not _OPS[guard.comparison](left, right):
            return False
        left = right
    return True


# ---------------------------------------------------------------- entry points
@dataclass
class Explanation:
    """The explanations asked for one proposal."""

    proposal: Proposal
    items: list[tuple[str, Node]]  # (label, tree)
    #: For an inconsistent proposal: every minimal set of its settings that conflict.
    conflict_sets: list[tuple[tuple[str, str], ...]] = field(default_factory=list)


def explain(
    engine: Engine,
    proposal: Proposal,
    claims: Mapping[str, Claim],
    *,
    why: str | None = None,
    why_not: str | None = None,
    world: World | None = None,
) -> Explanation:
    """Explain the verdicts of `proposal` (default), or one atom with `why` / `why_not`."""
    answer = engine.solve(engine.assumptions(proposal, world or World()), open_aspects=bool(proposal.open), fired=True)
    ex = Explainer(engine, answer, claims)
    items: list[tuple[str, Node]] = []
    if why is not None:
        items.append((why, ex.why(parse_atom(why))))
    elif why_not is not None:
        items.append((why_not, ex.why_not(parse_atom(why_not))))
    else:
        for atom, label in VERDICTS:
            sym = clingo.Function(atom)
            items.append((label, ex.why(sym) if sym in answer.atoms else ex.why_not(sym)))
        for level in ("high", "medium", "low"):
            sym = clingo.Function("risk", [clingo.Function(level)])
            if sym in answer.atoms:
                items.append(("risk", ex.why(sym)))
    sets = []
    if clingo.Function("consistent") not in answer.cautious and why is None and why_not is None:
        from .mus import minimal_conflicts

        sets = minimal_conflicts(engine, proposal)
    return Explanation(proposal, items, sets)
