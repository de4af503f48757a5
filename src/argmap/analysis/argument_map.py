"""The argument map: claims and conclusions, with support and attack read off the rules.

Nothing here is drawn by hand, and nothing names a verdict: the map is computed
from the rules of the knowledge base (:attr:`argmap.asp.program.ProgramIndex.asts`,
as :mod:`argmap.asp.terms` converts them), its facts and its verdict registry.

**Nodes.**

- A *verdict* node for each distinct head of a rule deriving a declared
  verdict's atom (:meth:`~argmap.model.verdicts.Registry.signatures`).  A head
  with a variable (``truncated(M)``) is one node per value the verdict
  declares (``truncated(israel)``, ...), so that every node names its value.
- A *reason* node for each rule head of a predicate that carries a reason by
  the knowledge-base contract (:data:`REASONS`: ``reason/4``, ``conflict/3``,
  ``warning/3``, ``note/3``), labelled with its text (the last argument).
  ``reason/4`` is drawn in the group of the verdict it bears on.  Two rules
  with the same head are one node.  A head whose variables are bound by facts
  in its own body is one node per fact: ``conflict(Id, B, W) :- clash(Id, ...),
  clash_basis(Id, B, W)`` is a node per ``clash_basis/3`` fact.  A head whose
  text comes from a helper is *unfolded* through the helper's rules, one node
  per rule: ``reason(feasible_now, con, C, W) :- obstacle(_, C, W)`` is a node
  per ``obstacle/3`` rule, with that rule's body as its premises; the node then
  *stands for* the helper's rule wherever the helper is used.
- A *claim* node for each claim some edge starts from; its label is the
  paraphrase, and its quote is kept for tooltips.

Rules of argmap's prelude (``has/2``, ``accepted/1``, ``current_stance/4``...)
are never conclusions, but they are followed like any helper.

**Edges.**  For a conclusion's rule, each positive body literal *supports* it,
and each negated literal (a defeater) *attacks* it.  The sources of a literal:

- ``accepted(Claim)``: the claim;
- a verdict or reason atom: every node whose head unifies with it;
- any other derived predicate is a *helper* and is *collapsed*: the rules that
  can derive it are followed down, through their positive body literals only,
  to the claims and conclusions they rest on (a node that stands for a
  helper's rule ends the descent there).  A helper's own negations are
  bookkeeping inside the helper and are not followed.  Facts in a helper's
  body bind its variables: ``current_stance(us, priority, ceasefire_first, C)``
  reaches the claims of the matching ``stance/5`` facts through ``accepted(C)``.
- proposal inputs (``set/2``, ``open/1``...) and facts are not nodes.

**With a proposal**, each node says whether it holds (in every completion, in
some, or not), from the traced answer of the one judging path
(:func:`argmap.engine.judge.judge`): a conclusion holds when one of its own
rules fired for it.  A support edge *fired* when a firing of its rule used it
(helpers are followed through their own firings); an attack edge *fired* when
the defeater held for a conclusion that does not hold: under a binding of its
rule's positive body that holds, or, when the positive body fails, a defeater
fixed by the head alone (``not reason(credible, con, _, _)``); that conclusion
is then marked *defeated*.  A roadmap is mapped as its final phase, judged
with the whole roadmap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import clingo

from ..asp import terms
from ..asp.terms import Rule, Signature, Subst, Term, Var
from ..engine.control import Engine
from ..engine.judge import Judgement, judge
from ..model.argument_map import ArgumentMap, MapEdge, MapNode, groups, verdict_group
from ..model.errors import InputError
from ..model.proposal import BASELINE, Proposal, World
from ..model.verdicts import ALL, NONE, SOME, VerdictSpec

#: Predicates whose atoms carry a reason (docs/knowledge-base.md), with their group; their text
#: is the last argument.  ``reason/4`` goes in the group of its first argument, the verdict.
REASONS: dict[Signature, str] = {
    ("reason", 4): "",
    ("conflict", 3): "conflicts",
    ("warning", 3): "warnings",
    ("note", 3): "notes",
}
_ACCEPTED = ("accepted", 1)
#: How deep a helper is followed, how many helpers a reason's text is unfolded through,
#: and how many fact bindings one rule body may produce.
_MAX_DEPTH = 10
_MAX_UNFOLD = 3
_MAX_BINDINGS = 2000

_Via = tuple[int, int, int]  # (rule index, sign, slot): one body literal of one rule
_Firings = dict[clingo.Symbol, list[tuple[int, tuple[clingo.Symbol, ...]]]]


def argument_map(engine: Engine, proposal: Proposal | None = None, world: World = BASELINE) -> ArgumentMap:
    """The knowledge base's argument map; with a proposal, marked from its traced judgement.

    Raises:
        ValueError: a proposal's map asked of an engine built without ``trace=True``.
        InputError: the proposal cannot be judged (see :func:`argmap.engine.judge.judge`).
    """
    mapper = Mapper(engine)
    if proposal is None:
        return mapper.static
    return mapper.mark(judge(engine, proposal, world, trace=True))


class Mapper:
    """The static map of one engine's knowledge base, built once, and marked for any judgement of it."""

    def __init__(self, engine: Engine) -> None:
        self._builder = _Builder(engine)
        self.static = self._builder.build()

    def mark(self, judgement: Judgement) -> ArgumentMap:
        """The map marked with what holds and fired in a traced judgement (:func:`~argmap.engine.judge.judge`)."""
        if not judgement.answer.atoms:
            raise ValueError("a proposal's map needs a judgement made with trace=True")
        return self._builder.mark(self.static, judgement)


# ---------------------------------------------------------------- building
@dataclass(frozen=True)
class _Body:
    """One way a conclusion is derived: its rule, with fact bindings applied and helpers unfolded into it.

    ``vias`` names, for each literal, the program rule and slot it comes from; ``unfolded``
    maps the literal of a helper that was unfolded to the helper's rule.
    """

    rule: Rule
    vias: tuple[_Via, ...]
    unfolded: tuple[tuple[_Via, int], ...] = ()
    #: The heads of the helper rules this body stands for (rule index, head).
    carries: tuple[tuple[int, Term], ...] = ()


@dataclass
class _Conclusion:
    """A verdict or reason node while the map is built."""

    id: str
    kind: str
    group: str
    head: Term
    label: str
    rules: list[int] = field(default_factory=list)
    bodies: list[_Body] = field(default_factory=list)

    @property
    def unfolded(self) -> dict[_Via, set[int]]:
        out: dict[_Via, set[int]] = {}
        for body in self.bodies:
            for via, helper in body.unfolded:
                out.setdefault(via, set()).add(helper)
        return out


class _Builder:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.index = engine.index
        self.vocabulary = engine.vocabulary
        self.verdicts: dict[Signature, VerdictSpec] = engine.vocabulary.registry.signatures()
        self.facts: dict[Signature, list[clingo.Symbol]] = {}
        for sym in sorted(self.index.facts):
            if sym.type == clingo.SymbolType.Function:
                self.facts.setdefault((sym.name, len(sym.arguments)), []).append(sym)
        self.conclusions: list[_Conclusion] = []
        self.by_sig: dict[Signature, list[_Conclusion]] = {}
        #: Helper rules that reason nodes stand for: rule index -> (node, the helper's head as bound).
        self.carriers: dict[int, list[tuple[_Conclusion, Term]]] = {}
        self.vias: dict[tuple[str, str, str], set[_Via]] = {}
        self._memo: dict[str, frozenset[str]] = {}
        self._renames = 0
        self._lines: dict[str, list[str]] | None = None

    def _suffix(self) -> str:
        self._renames += 1
        return f"${self._renames}"

    # ------------------------------------------------------------ the static map
    def build(self) -> ArgumentMap:
        self._collect_conclusions()
        edges = self.vias
        for node in self.conclusions:
            for body in node.bodies:
                for lit, via in zip(body.rule.literals, body.vias, strict=True):
                    for source in sorted(self._sources(lit.atom, {}, 0, frozenset())):
                        if source != node.id:
                            kind = "support" if lit.sign > 0 else "attack"
                            edges.setdefault((source, node.id, kind), set()).add(via)
        claims = self.vocabulary.claims
        nodes: list[MapNode] = []
        for cid in sorted({s for s, _, _ in edges if s.startswith("claim_")}):
            name = cid[len("claim_") :]
            claim = claims.get(name)
            label = claim.paraphrase if claim and claim.paraphrase else name
            nodes.append(MapNode(cid, "claim", "claims", label, name, claim=name, quote=claim.quote if claim else None))
        all_groups = groups(self.vocabulary.registry)
        order = {g: i for i, (g, _) in enumerate(all_groups)}
        for c in sorted(self.conclusions, key=lambda c: (order[c.group], c.kind != "verdict", c.rules[0], c.id)):
            where = tuple(dict.fromkeys(self.index.rules[i].where for i in c.rules))
            nodes.append(MapNode(c.id, c.kind, c.group, c.label, terms.show(_plain(c.head)), where))
        out_edges = [
            MapEdge(s, t, k, tuple(sorted({self.index.rules[i].where for i, _, _ in via}, key=_where_key)))
            for (s, t, k), via in edges.items()
        ]
        rank = {n.id: i for i, n in enumerate(nodes)}
        out_edges.sort(key=lambda e: (rank[e.target], e.kind, rank[e.source]))
        return ArgumentMap(tuple(nodes), tuple(out_edges), all_groups)

    def _collect_conclusions(self) -> None:
        by_key: dict[str, _Conclusion] = {}
        used: set[str] = set()
        for i in self.index.kb_rules():
            rule = self.index.view(i)
            for head in rule.heads:
                sig = terms.signature(head)
                if sig in self.verdicts:
                    kind = "verdict"
                elif sig in REASONS:
                    kind = "reason"
                else:
                    continue
                assert sig is not None
                single = Rule(rule.index, (head,), rule.literals, rule.comparisons, rule.choice)
                base = _Body(single, tuple((rule.index, lit.sign, lit.slot) for lit in rule.literals))
                for body in self._bodies(base, kind, sig):
                    instance = body.rule.heads[0]
                    key = terms.canonical(instance)
                    node = by_key.get(key)
                    if node is None:
                        carried = tuple(h for _, h in body.carries)
                        node = _Conclusion(
                            _node_id(kind, instance, carried, used), kind, self._group(sig, instance), instance, ""
                        )
                        node.label = self._label(body.rule, instance, kind)
                        by_key[key] = node
                        self.conclusions.append(node)
                        self.by_sig.setdefault(sig, []).append(node)
                    for index in (rule.index, *(j for j, _ in body.carries)):
                        if index not in node.rules:
                            node.rules.append(index)
                    node.bodies.append(body)
                    for j, carried in body.carries:
                        self.carriers.setdefault(j, []).append((node, carried))

    def _bodies(self, base: _Body, kind: str, sig: Signature) -> list[_Body]:
        """The bodies of one rule's head: one per declared value of a verdict with a variable,
        one per fact binding of a reason, each reason unfolded until its text is bound."""
        head = base.rule.heads[0]
        if kind == "verdict":
            spec = self.verdicts[sig]
            if not terms.variables(head) or spec.kind == "bool":
                return [base]
            out = []
            for value in spec.values:
                s = terms.unify(head, clingo.Function(spec.name, [_symbol(value)]), {})
                if s is not None and terms.comparisons_hold(base.rule, s):
                    out.append(_specialise(base, s))
            return out or [base]
        out = []
        for s in self._fact_join(base.rule, {}):
            out.extend(self._unfold(_specialise(base, s), 0))
        return out

    def _unfold(self, body: _Body, depth: int) -> list[_Body]:
        """`body` with the helper that binds its text unfolded, one body per rule of the helper."""
        parts = terms.parts(body.rule.heads[0])
        text = parts[1][-1] if parts and parts[1] else None
        if not isinstance(text, Var) or depth >= _MAX_UNFOLD:
            return [body]
        for k, lit in enumerate(body.rule.literals):
            sig = terms.signature(lit.atom)
            if lit.sign < 0 or sig is None or sig == _ACCEPTED or sig in self.verdicts or sig in REASONS:
                continue
            if text.name not in terms.variables(lit.atom):
                continue
            out: list[_Body] = []
            for j, helper_head in self.index.heads(*sig):
                suffix = self._suffix()
                helper = self.index.view(j).renamed(suffix)
                start = terms.unify(terms.rename(helper_head, suffix), lit.atom, {})
                if start is None:
                    continue
                for s in self._fact_join(helper, start):
                    merged = Rule(
                        body.rule.index,
                        body.rule.heads,
                        body.rule.literals[:k] + body.rule.literals[k + 1 :] + helper.literals,
                        body.rule.comparisons + helper.comparisons,
                        body.rule.choice,
                    )
                    vias = body.vias[:k] + body.vias[k + 1 :] + tuple((j, h.sign, h.slot) for h in helper.literals)
                    inner = _Body(
                        merged,
                        vias,
                        (*body.unfolded, (body.vias[k], j)),
                        (*body.carries, (j, terms.rename(helper_head, suffix))),
                    )
                    out.extend(self._unfold(_specialise(inner, s), depth + 1))
            if out:
                return out
        return [body]

    def _group(self, sig: Signature, head: Term) -> str:
        if sig in self.verdicts:
            return verdict_group(sig[0])
        group = REASONS[sig]
        if group:
            return group
        parts = terms.parts(head)
        first = parts[1][0] if parts and parts[1] else None
        if isinstance(first, clingo.Symbol) and terms.text(first) in self.vocabulary.registry:
            return verdict_group(terms.text(first))
        return "other"

    # ------------------------------------------------------------ labels
    def _label(self, rule: Rule, head: Term, kind: str) -> str:
        """A reason's text; else the predicate's Text: template; else (a verdict) the registry's
        words; else the comment above the rule; else (a reason whose text comes from another
        conclusion) the verdict's heading; else the atom."""
        parts = terms.parts(head)
        args = parts[1] if parts else ()
        texts = [a for a in args if isinstance(a, clingo.Symbol) and a.type == clingo.SymbolType.String]
        if texts:
            return texts[-1].string
        sig = terms.signature(head)
        ground = all(isinstance(a, clingo.Symbol) for a in args)
        doc = self.index.docs.get(sig) if sig else None
        if doc and doc.text and ground:
            values = {name: self._word(a) for name, a in zip(doc.args, args, strict=False)}  # type: ignore[arg-type]
            try:
                return doc.text.format(**values)
            except (KeyError, IndexError, ValueError):
                pass
        if kind == "verdict" and sig in self.verdicts:
            return _verdict_words(self.verdicts[sig], args[0] if args else None)
        comment = self._comment_above(rule.index)
        if comment:
            return comment
        passed = self._passed_on(rule, head)
        if passed:
            return passed
        if doc and doc.description and ground:
            return doc.description
        return terms.show(_plain(head))

    def _passed_on(self, rule: Rule, head: Term) -> str | None:
        """For ``reason(V, E, B, W) :- conflict(_, B, W)``: "Against V: each conflict"."""
        parts = terms.parts(head)
        if terms.signature(head) != ("reason", 4) or parts is None or not isinstance(parts[1][3], Var):
            return None
        verdict, effect, _, text = parts[1]
        spec = self.vocabulary.registry.get(terms.text(verdict)) if isinstance(verdict, clingo.Symbol) else None
        if spec is None or not isinstance(effect, clingo.Symbol):
            return None
        binders = [lit for lit in rule.positive if text.name in terms.variables(lit.atom)]
        source = terms.parts(binders[0].atom) if binders else None
        if source is None:
            return None
        said = spec.heading(terms.text(effect))
        return f"{said}: each {source[0].replace('_', ' ')}"

    def _word(self, sym: clingo.Symbol) -> str:
        """A constant as a template reads it: through label/2, else with _ read as a space."""
        word = terms.text(sym)
        if sym.type == clingo.SymbolType.String:
            return word
        return self.vocabulary.labels.get(word, word.replace("_", " "))

    def _comment_above(self, index: int) -> str | None:
        info = self.index.rules[index]
        if self._lines is None:
            try:
                self._lines = {src.shown: src.text.splitlines() for src in self.engine.kb.sources()}
            except InputError:  # the files changed since the engine read them
                self._lines = {}
        lines = self._lines.get(info.file, [])
        block: list[str] = []
        i = info.line - 2
        while 0 <= i < len(lines) and lines[i].startswith("%"):
            line = lines[i].lstrip("%").strip()
            if line and " " not in line:
                break  # a section marker (% Define)
            block.insert(0, line)
            i -= 1
        text = " ".join(b for b in block if b)
        if not text or " " not in text or text.startswith(("[", "ENCODING CHOICE", "NOT FORMALIZED")):
            return None
        return text

    # ------------------------------------------------------------ sources of a literal
    def _fact_join(self, rule: Rule, s: Subst) -> list[Subst]:
        """Bindings of `rule`'s variables from its positive literals over predicates that only facts define."""
        over_facts = tuple(
            lit
            for lit in rule.positive
            if (sig := terms.signature(lit.atom)) is not None and sig in self.facts and not self.index.heads(*sig)
        )
        narrowed = Rule(rule.index, rule.heads, over_facts, rule.comparisons, rule.choice)
        return terms.join(narrowed, s, lambda sig: self.facts.get(sig, ()), limit=_MAX_BINDINGS)

    def _sources(self, atom: Term, s: Subst, depth: int, stack: frozenset[str]) -> frozenset[str]:
        """The node ids a body atom rests on (claims and conclusions)."""
        pattern = terms.resolve(atom, s)
        sig = terms.signature(pattern)
        if sig is None:
            return frozenset()
        if sig == _ACCEPTED:
            parts = terms.parts(pattern)
            arg = parts[1][0] if parts else None
            if isinstance(arg, clingo.Symbol) and terms.text(arg) in self.vocabulary.claims:
                return frozenset({"claim_" + terms.text(arg)})
            return frozenset()
        if sig in self.verdicts or sig in REASONS:
            probe = terms.rename(pattern, "@")
            return frozenset(n.id for n in self.by_sig.get(sig, []) if terms.unify(n.head, probe, {}) is not None)
        rules = self.index.heads(*sig)
        if not rules or depth >= _MAX_DEPTH:
            return frozenset()
        key = terms.canonical(pattern)
        if key in stack:
            return frozenset()
        if key in self._memo:
            return self._memo[key]
        found: set[str] = set()
        for j, head in rules:
            suffix = self._suffix()
            unifier = terms.unify(terms.rename(head, suffix), pattern, {})
            if unifier is None:
                continue
            if j in self.carriers:
                probe = terms.rename(pattern, "@")
                found |= {n.id for n, carried in self.carriers[j] if terms.unify(carried, probe, {}) is not None}
                continue
            helper = self.index.view(j).renamed(suffix)
            for binding in self._fact_join(helper, unifier):
                for lit in helper.positive:
                    found |= self._sources(lit.atom, binding, depth + 1, stack | {key})
        result = frozenset(found)
        self._memo[key] = result
        return result

    # ------------------------------------------------------------ marking
    def mark(self, static: ArgumentMap, judgement: Judgement) -> ArgumentMap:
        answer = judgement.answer
        everywhere = answer.everywhere
        firings: _Firings = {}
        for f in sorted(answer.fired, key=lambda x: (x.arguments[0].number, str(x))):
            idx, head, pos, _neg = f.arguments
            firings.setdefault(head, []).append((idx.number, tuple(pos.arguments)))
        atoms: dict[Signature, list[clingo.Symbol]] = {}
        for sym in sorted(answer.atoms):
            if sym.type == clingo.SymbolType.Function:
                atoms.setdefault((sym.name, len(sym.arguments)), []).append(sym)
        reach = _Reach(self, firings)
        holds: dict[str, str] = {}
        fired: set[tuple[str, str, str]] = set()
        for c in self.conclusions:
            mine = [
                a
                for a in atoms.get(terms.signature(c.head) or ("", 0), [])
                if terms.unify(c.head, a, {}) is not None and any(i in c.rules for i, _ in firings.get(a, []))
            ]
            holds[c.id] = ALL if any(a in everywhere for a in mine) else SOME if mine else NONE
            unfolded = c.unfolded
            for a in mine:
                for idx, pos in firings[a]:
                    if idx not in c.rules:
                        continue
                    for via, premise in _premises(unfolded, idx, pos, firings, 0):
                        for source in reach(premise):
                            if via in self.vias.get((source, c.id, "support"), ()):
                                fired.add((source, c.id, "support"))
        defeated: set[str] = set()
        for c in self.conclusions:
            if holds[c.id] != NONE:
                continue
            for source, via in self._blocked(c, atoms, reach):
                if via in self.vias.get((source, c.id, "attack"), ()):
                    fired.add((source, c.id, "attack"))
                    defeated.add(c.id)
        for n in static.nodes:
            if n.kind == "claim":
                accepted = clingo.Function("accepted", [clingo.Function(n.atom)]) in everywhere
                holds[n.id] = ALL if accepted else NONE
        nodes = tuple(replace(n, holds=holds.get(n.id, NONE), defeated=n.id in defeated) for n in static.nodes)
        edges = tuple(replace(e, fired=(e.source, e.target, e.kind) in fired) for e in static.edges)
        return replace(static, nodes=nodes, edges=edges, proposal=judgement.verdict.proposal)

    def _blocked(
        self,
        c: _Conclusion,
        atoms: dict[Signature, list[clingo.Symbol]],
        reach: Callable[[clingo.Symbol], frozenset[str]],
    ) -> Iterator[tuple[str, _Via]]:
        """(source, via) for each defeater that blocks a body of `c` whose positive part holds."""
        probe = terms.rename(c.head, "@")
        for body in c.bodies:
            rule = body.rule.renamed(self._suffix())
            start = terms.unify(rule.heads[0], probe, {})
            if start is None:
                continue
            # Blocked where the positive body holds; failing that, by a defeater the head
            # alone pins down (no variable but anonymous ones): `not reason(credible, con, _, _)`.
            bindings = terms.join(rule, start, lambda sig: atoms.get(sig, ()), limit=_MAX_BINDINGS)
            for binding in bindings or [start]:
                for lit, via in zip(rule.literals, body.vias, strict=True):
                    if lit.sign > 0:
                        continue
                    pattern = terms.resolve(lit.atom, binding)
                    if not bindings and not terms.anonymous(pattern):
                        continue
                    for blocker in atoms.get(terms.signature(pattern) or ("", 0), []):
                        if terms.unify(pattern, blocker, {}) is not None:
                            for source in reach(blocker):
                                yield source, via


class _Reach:
    """The claims and conclusions a true atom was derived from (positive premises, through helpers)."""

    def __init__(self, builder: _Builder, firings: _Firings) -> None:
        self.builder = builder
        self.firings = firings
        self.memo: dict[clingo.Symbol, frozenset[str]] = {}

    def __call__(self, sym: clingo.Symbol, stack: frozenset[clingo.Symbol] = frozenset()) -> frozenset[str]:
        if sym in self.memo:
            return self.memo[sym]
        b = self.builder
        sig = (sym.name, len(sym.arguments))
        if sig == _ACCEPTED:
            out = frozenset({"claim_" + terms.text(sym.arguments[0])})
        elif sig in b.verdicts or sig in REASONS:
            rules = {i for i, _ in self.firings.get(sym, [])}
            out = frozenset(
                n.id for n in b.by_sig.get(sig, []) if rules & set(n.rules) and terms.unify(n.head, sym, {}) is not None
            )
        elif sym in stack:
            return frozenset()
        else:
            found: set[str] = set()
            for idx, pos in self.firings.get(sym, []):
                if idx in b.carriers:
                    found |= {n.id for n, carried in b.carriers[idx] if terms.unify(carried, sym, {}) is not None}
                    continue
                for p in pos:
                    found |= self(p, stack | {sym})
            out = frozenset(found)
        self.memo[sym] = out
        return out


def _premises(
    unfolded: dict[_Via, set[int]], idx: int, pos: tuple[clingo.Symbol, ...], firings: _Firings, depth: int
) -> Iterator[tuple[_Via, clingo.Symbol]]:
    """A firing's positive premises with their vias; an unfolded helper's premises replace the helper's atom."""
    for slot, premise in enumerate(pos):
        via = (idx, 1, slot)
        helpers = unfolded.get(via)
        if helpers and depth < _MAX_UNFOLD:
            for j, inner in firings.get(premise, []):
                if j in helpers:
                    yield from _premises(unfolded, j, inner, firings, depth + 1)
        else:
            yield via, premise


# ---------------------------------------------------------------- terms
def _specialise(body: _Body, s: Subst) -> _Body:
    """`body` with the binding `s` applied to its head, literals, comparisons and carried heads."""
    if not s:
        return body
    rule = body.rule
    specialised = Rule(
        rule.index,
        tuple(terms.resolve(h, s) for h in rule.heads),
        tuple(replace(lit, atom=terms.resolve(lit.atom, s)) for lit in rule.literals),
        tuple(replace(c, left=terms.resolve(c.left, s), right=terms.resolve(c.right, s)) for c in rule.comparisons),
        rule.choice,
    )
    carries = tuple((j, terms.resolve(h, s)) for j, h in body.carries)
    return replace(body, rule=specialised, carries=carries)


def _plain(t: Term) -> Term:
    """`t` with renamed variables given back their names (for display)."""
    if isinstance(t, Var):
        return Var(re.sub(r"[$@].*", "", t.name))
    if isinstance(t, terms.Fn):
        return terms.Fn(t.name, tuple(_plain(a) for a in t.args))
    return t


def _symbol(value: str) -> clingo.Symbol:
    """A declared verdict value (as text) as a symbol."""
    try:
        return clingo.parse_term(value)
    except RuntimeError:
        return clingo.String(value)


def _verdict_words(spec: VerdictSpec, value: Term | None) -> str:
    """A verdict node's words from the registry: ``feasible now``, ``risk is high``, ``truncated: taiwan``."""
    if spec.kind == "bool":
        return spec.label
    if not isinstance(value, clingo.Symbol):
        return f"{spec.label}: {'some level' if spec.kind == 'level' else 'some member'}"
    word = spec.word(terms.text(value))
    return f"{spec.label} is {word}" if spec.kind == "level" else f"{spec.label}: {word}"


# ---------------------------------------------------------------- ids
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


def _node_id(kind: str, head: Term, carried: tuple[Term, ...], used: set[str]) -> str:
    """An id from the head's name and its constant arguments (then those of the helpers it stands for)."""
    parts = terms.parts(head)
    words = [parts[0] if parts else str(head)]
    if kind == "verdict":
        words.insert(0, "verdict")
    for term in (head, *carried):
        for arg in (terms.parts(term) or ("", ()))[1]:
            if isinstance(arg, Var) or (isinstance(arg, clingo.Symbol) and arg.type == clingo.SymbolType.String):
                continue
            inner = terms.parts(arg)
            word = inner[0] if inner and inner[0] else terms.show(_plain(arg))
            if term is head or word not in words:
                words.append(word)
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
