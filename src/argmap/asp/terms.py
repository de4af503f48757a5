"""Terms, atoms and rules of a knowledge base, as Python values that can be unified.

The one toolkit over ``clingo.ast`` that the explanations (why, why-not), the
argument map, coverage and lint share: a rule is converted once into heads,
body literals and comparisons over :data:`Term` values, where a term is a
ground ``clingo.Symbol``, a :class:`Var` or a non-ground :class:`Fn`.
Unification is the textbook algorithm over these terms (no occurs check: ASP
terms are finite and rules are safe).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import clingo
from clingo import ast


@dataclass(frozen=True)
class Var:
    """A variable; anonymous ones get a fresh name containing '#'."""

    name: str


@dataclass(frozen=True)
class Fn:
    """A function term with at least one variable below it (a tuple when ``name`` is empty)."""

    name: str
    args: tuple[Term, ...]


Term = clingo.Symbol | Var | Fn
Subst = dict[str, Term]
Signature = tuple[str, int]

#: clingo's comparison operators, as Python functions on symbols.
COMPARISONS: dict[ast.ComparisonOperator, Callable[[clingo.Symbol, clingo.Symbol], bool]] = {
    ast.ComparisonOperator.Equal: lambda x, y: x == y,
    ast.ComparisonOperator.NotEqual: lambda x, y: x != y,
    ast.ComparisonOperator.LessThan: lambda x, y: x < y,
    ast.ComparisonOperator.LessEqual: lambda x, y: x <= y,
    ast.ComparisonOperator.GreaterThan: lambda x, y: x > y,
    ast.ComparisonOperator.GreaterEqual: lambda x, y: x >= y,
}


def text(sym: clingo.Symbol) -> str:
    """A symbol as plain text: strings unquoted, numbers and terms as clingo prints them."""
    if sym.type == clingo.SymbolType.String:
        return sym.string
    return str(sym)


class Fresh:
    """Names for anonymous variables, unique within one conversion."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, stem: str = "_") -> str:
        self.n += 1
        return f"{stem}#{self.n}"


def from_ast(node: ast.AST, fresh: Fresh) -> Term:
    """A term of the AST as a :data:`Term`; arithmetic and intervals become fresh variables
    (they constrain nothing that matching needs)."""
    kind = node.ast_type
    if kind == ast.ASTType.Variable:
        return Var(fresh() if node.name == "_" else node.name)
    if kind == ast.ASTType.SymbolicTerm:
        return node.symbol
    if kind == ast.ASTType.Function and not node.external:
        args = tuple(from_ast(a, fresh) for a in node.arguments)
        return make(node.name, args)
    return Var(fresh("?"))


def make(name: str, args: tuple[Term, ...]) -> Term:
    """A function term, ground (a Symbol) when all its arguments are."""
    if all(isinstance(a, clingo.Symbol) for a in args):
        return clingo.Tuple_(args) if name == "" else clingo.Function(name, args)  # type: ignore[arg-type]
    return Fn(name, args)


def signature(t: Term) -> Signature | None:
    """The predicate name and arity of an atom, or None for a number, string or variable."""
    if isinstance(t, Fn):
        return (t.name, len(t.args))
    if isinstance(t, clingo.Symbol) and t.type == clingo.SymbolType.Function and t.name:
        return (t.name, len(t.arguments))
    return None


def parts(t: Term) -> tuple[str, tuple[Term, ...]] | None:
    """A function term's name and arguments."""
    if isinstance(t, Fn):
        return t.name, t.args
    if isinstance(t, clingo.Symbol) and t.type == clingo.SymbolType.Function:
        return t.name, tuple(t.arguments)
    return None


def walk(t: Term, s: Subst) -> Term:
    while isinstance(t, Var) and t.name in s:
        t = s[t.name]
    return t


def resolve(t: Term, s: Subst) -> Term:
    """`t` with every bound variable replaced, ground where possible."""
    t = walk(t, s)
    if isinstance(t, Fn):
        return make(t.name, tuple(resolve(a, s) for a in t.args))
    return t


def ground(t: Term, s: Subst) -> clingo.Symbol | None:
    """`t` under `s` if that is ground, else None."""
    out = resolve(t, s)
    return out if isinstance(out, clingo.Symbol) else None


def unify(a: Term, b: Term, s: Subst) -> Subst | None:
    """The most general extension of `s` that makes `a` and `b` equal, or None."""
    a, b = walk(a, s), walk(b, s)
    if isinstance(a, Var):
        if isinstance(b, Var) and a.name == b.name:
            return s
        return {**s, a.name: b}
    if isinstance(b, Var):
        return {**s, b.name: a}
    if isinstance(a, clingo.Symbol) and isinstance(b, clingo.Symbol):
        return s if a == b else None
    pa, pb = parts(a), parts(b)
    if pa is None or pb is None or pa[0] != pb[0] or len(pa[1]) != len(pb[1]):
        return None
    out: Subst | None = s
    for x, y in zip(pa[1], pb[1], strict=True):
        out = unify(x, y, out)
        if out is None:
            return None
    return out


def rename(t: Term, suffix: str) -> Term:
    """`t` with every variable renamed apart (the suffix appended)."""
    if isinstance(t, Var):
        return Var(t.name + suffix)
    if isinstance(t, Fn):
        return Fn(t.name, tuple(rename(a, suffix) for a in t.args))
    return t


def show(t: Term) -> str:
    """A term as ASP text; anonymous variables as ``_``."""
    if isinstance(t, Var):
        return "_" if "#" in t.name else t.name
    if isinstance(t, Fn):
        inner = ",".join(show(a) for a in t.args)
        return f"{t.name}({inner})" if t.name else f"({inner})"
    return str(t)


def canonical(t: Term) -> str:
    """A text for `t` with its variables numbered in order (a memo key)."""
    names: dict[str, str] = {}

    def go(x: Term) -> str:
        if isinstance(x, Var):
            return names.setdefault(x.name, f"V{len(names)}")
        if isinstance(x, Fn):
            return f"{x.name}({','.join(go(a) for a in x.args)})"
        return str(x)

    return go(t)


def variables(t: Term) -> set[str]:
    if isinstance(t, Var):
        return {t.name}
    if isinstance(t, Fn):
        return set().union(*(variables(a) for a in t.args))
    return set()


def anonymous(t: Term) -> bool:
    """Whether every variable of `t` is anonymous (``_``)."""
    return all("#" in v for v in variables(t))


# ---------------------------------------------------------------- rules
@dataclass(frozen=True)
class Literal:
    """A body literal over an atom: ``sign`` 1 for positive, -1 for ``not``.

    ``slot`` is its position among the rule's positive (or negated) atoms, as
    the trace records them (see :mod:`argmap.asp.program`).
    """

    sign: int
    atom: Term
    slot: int


@dataclass(frozen=True)
class Comparison:
    op: ast.ComparisonOperator
    left: Term
    right: Term
    text: str = ""


@dataclass(frozen=True)
class Rule:
    """One unpooled rule of the program: the atoms it can derive, its body literals and comparisons.

    ``choice`` is set for a choice or disjunctive head (its atoms are chosen, not derived).
    """

    index: int
    heads: tuple[Term, ...]
    literals: tuple[Literal, ...]
    comparisons: tuple[Comparison, ...]
    choice: bool = False

    def renamed(self, suffix: str) -> Rule:
        return Rule(
            self.index,
            tuple(rename(h, suffix) for h in self.heads),
            tuple(replace(lit, atom=rename(lit.atom, suffix)) for lit in self.literals),
            tuple(Comparison(c.op, rename(c.left, suffix), rename(c.right, suffix), c.text) for c in self.comparisons),
            self.choice,
        )

    @property
    def positive(self) -> tuple[Literal, ...]:
        return tuple(lit for lit in self.literals if lit.sign > 0)

    @property
    def negative(self) -> tuple[Literal, ...]:
        return tuple(lit for lit in self.literals if lit.sign < 0)


def head_atoms(rule: ast.AST) -> list[ast.AST]:
    """The atoms (as AST terms) a rule can derive: none for an integrity constraint."""
    head = rule.head
    if head.ast_type == ast.ASTType.Literal:
        if head.atom.ast_type == ast.ASTType.SymbolicAtom:
            return [head.atom.symbol]
        return []
    if head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction):
        return [e.literal.atom.symbol for e in head.elements if e.literal.atom.ast_type == ast.ASTType.SymbolicAtom]
    return []


def convert(index: int, rule: ast.AST) -> Rule:
    """An AST rule (unpooled) as a :class:`Rule`."""
    fresh = Fresh()
    heads = tuple(from_ast(h, fresh) for h in head_atoms(rule))
    choice = rule.head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction)
    literals: list[Literal] = []
    comparisons: list[Comparison] = []
    slots = {1: 0, -1: 0}
    for lit in rule.body:
        if lit.ast_type != ast.ASTType.Literal:
            continue
        if lit.atom.ast_type == ast.ASTType.SymbolicAtom:
            sign = {ast.Sign.NoSign: 1, ast.Sign.Negation: -1}.get(lit.sign)
            if sign is None:
                continue
            literals.append(Literal(sign, from_ast(lit.atom.symbol, fresh), slots[sign]))
            slots[sign] += 1
        elif lit.atom.ast_type == ast.ASTType.Comparison and lit.sign == ast.Sign.NoSign:
            left = from_ast(lit.atom.term, fresh)
            for guard in lit.atom.guards:
                right = from_ast(guard.term, fresh)
                comparisons.append(Comparison(guard.comparison, left, right, str(lit)))
                left = right
    return Rule(index, heads, tuple(literals), tuple(comparisons), choice)


def comparison_holds(c: Comparison, s: Subst) -> bool | None:
    """True or False when both sides are ground under `s`; None when that is unknown."""
    left, right = ground(c.left, s), ground(c.right, s)
    if left is None or right is None:
        return None
    return COMPARISONS[c.op](left, right)


def comparisons_hold(rule: Rule, s: Subst) -> bool:
    """False when a comparison is ground and fails; unknown ones count as holding."""
    return all(comparison_holds(c, s) is not False for c in rule.comparisons)


def join(
    rule: Rule, s: Subst, atoms: Callable[[Signature], Iterable[clingo.Symbol]], *, limit: int = 2000
) -> list[Subst]:
    """Bindings extending `s` under which every positive literal of `rule` is among `atoms`
    (given by signature) and no ground comparison fails; at most `limit`."""
    out = [s]
    for lit in rule.positive:
        sig = signature(resolve(lit.atom, {}))
        nxt: list[Subst] = []
        for b in out:
            for sym in atoms(sig) if sig else ():
                m = unify(lit.atom, sym, b)
                if m is not None and len(nxt) < limit:
                    nxt.append(m)
        out = nxt
        if not out:
            return []
    return [b for b in out if comparisons_hold(rule, b)]
