"""The predicate dependency graph of a program, and its statements in dependency order.

A statement *defines* the predicates of its head atoms (and of an
``#external``) and *depends on* every other predicate it mentions (body
literals, aggregate elements, conditions).  The strongly connected components
of the graph (Tarjan, "Depth-first search and linear graph algorithms", SIAM J.
Comput. 1972), in topological order, let a program be ground part by part so
that every part sees the complete definitions of what it reads: the grounding
guard (:mod:`argmap.engine.guard`) grounds them one at a time to name the rule
whose grounding blows up.  All rules of one predicate fall in one part, so
the parts never redefine an atom.
"""

from __future__ import annotations

from collections.abc import Sequence

from clingo import ast

from .terms import Signature


class _Atoms(ast.Transformer):
    """Collects the signature of every symbolic atom below a node."""

    def __init__(self) -> None:
        self.found: set[Signature] = set()

    def visit_SymbolicAtom(self, node: ast.AST) -> ast.AST:  # noqa: N802 (clingo's naming)
        term = node.symbol
        if term.ast_type == ast.ASTType.Function:
            self.found.add((term.name, len(term.arguments)))
        elif term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type.name == "Function":
            self.found.add((term.symbol.name, len(term.symbol.arguments)))
        return node


def _atoms(node: ast.AST | None) -> set[Signature]:
    if node is None:
        return set()
    collect = _Atoms()
    collect(node)
    return collect.found


def defines_and_uses(stm: ast.AST) -> tuple[set[Signature], set[Signature]]:
    """The predicates a statement defines, and those it depends on."""
    kind = stm.ast_type
    if kind == ast.ASTType.Rule and not stm.body:
        head = stm.head
        if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
            term = head.atom.symbol  # a fact (the common case): its head alone, without a deep walk
            if term.ast_type == ast.ASTType.SymbolicTerm:
                sym = term.symbol
                return ({(sym.name, len(sym.arguments))} if sym.type.name == "Function" else set()), set()
            if term.ast_type == ast.ASTType.Function and term.name:
                return {(term.name, len(term.arguments))}, set()
    if kind == ast.ASTType.Rule:
        head = stm.head
        defined: set[Signature] = set()
        used: set[Signature] = set()
        if head.ast_type == ast.ASTType.Literal:
            if head.atom.ast_type == ast.ASTType.SymbolicAtom:
                defined = _atoms(head.atom)
            else:
                used |= _atoms(head)
        elif head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction):
            for elem in head.elements:
                defined |= _atoms(elem.literal)
                for cond in elem.condition:
                    used |= _atoms(cond)
            for guard in (getattr(head, "left_guard", None), getattr(head, "right_guard", None)):
                used |= _atoms(guard)
        else:
            used |= _atoms(head)
        for lit in stm.body:
            used |= _atoms(lit)
        return defined, used
    if kind == ast.ASTType.External:
        defined = _atoms(stm.atom)
        used = set()
        for lit in stm.body:
            used |= _atoms(lit)
        return defined, used
    return set(), _atoms(stm)


def dependency_order(
    statements: Sequence[ast.AST], info: Sequence[tuple[set[Signature], set[Signature]]] | None = None
) -> list[list[int]]:
    """The statements (by index) grouped into parts that can be ground one after another.

    Statements that define nothing (``#show``, ``#defined``, ``#const``) come
    first; each strongly connected component of defined predicates comes after
    everything it depends on; a constraint or ``#minimize`` comes right after the
    last part it reads from.  `info` is :func:`defines_and_uses` of each statement,
    when the caller has it already.
    """
    if info is None:
        info = [defines_and_uses(s) for s in statements]
    preds: set[Signature] = set()
    for defined, used in info:
        preds |= defined | used
    edges: dict[Signature, set[Signature]] = {p: set() for p in preds}
    for defined, used in info:
        for d in defined:
            edges[d] |= used | defined  # predicates a head defines together share one part
    order = _tarjan(edges)
    scc_of = {p: i for i, scc in enumerate(order) for p in scc}
    keyed: dict[tuple[int, int], list[int]] = {}
    for n, (stm, (defined, used)) in enumerate(zip(statements, info, strict=True)):
        if stm.ast_type in (ast.ASTType.Rule, ast.ASTType.External, ast.ASTType.Minimize) or used:
            if defined:
                key = (scc_of[next(iter(defined))] * 2 + 1, 0)
            elif used:
                key = (max(scc_of[u] for u in used) * 2 + 2, n)
            else:
                key = (0, n)  # a constraint over nothing (#false.), or a fact-free minimize
        else:
            key = (-1, 0)
        keyed.setdefault(key, []).append(n)
    return [keyed[k] for k in sorted(keyed)]


def _tarjan(edges: dict[Signature, set[Signature]]) -> list[list[Signature]]:
    """Strongly connected components, each after the components it has edges to (iterative)."""
    index: dict[Signature, int] = {}
    low: dict[Signature, int] = {}
    on_stack: set[Signature] = set()
    stack: list[Signature] = []
    out: list[list[Signature]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[Signature, list[Signature]]] = [(root, sorted(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(edges.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                scc = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    scc.append(top)
                    if top == node:
                        break
                out.append(sorted(scc))
    return out
