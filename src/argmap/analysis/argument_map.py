"""The argument map: claims and conclusions, with support and attack read off the rules.

Nothing here is drawn by hand, and nothing names a verdict: the map is computed
from the rules of the knowledge base (:attr:`argmap.asp.program.ProgramIndex.asts`,
as :mod:`argmap.asp.terms` converts them), its facts and its verdict registry.

**Nodes.**

- A *verdict* node for each distinct head of a rule deriving a declared
  verdict's atom (:meth:`~argmap.model.verdicts.Registry.signatures`).  A head
  with a variable (``gaps(G)``) is one node per value the verdict
  declares (``gaps(funding)``, ...), so that every node names its value.
- A *reason* node for each rule head of a predicate that carries a reason by
  the knowledge-base contract (:data:`REASONS`: ``reason/4``, ``conflict/3``,
  ``warning/3``, ``note/3``), labelled with its text (the last argument).
  ``reason/4`` is drawn in the group of the verdict it bears on.  Two rules
  with the same head are one node.  A head whose variables are bound by facts
  in its own body is one node per fact: ``conflict(Id, B, W) :- clash(Id, ...),
  clash_basis(Id, B, W)`` is a node per ``clash_basis/3`` fact.  A head whose
  text comes from a helper is *unfolded* through the helper's rules, one node
  per rule: ``reason(effective, con, C, W) :- loophole(_, C, W)`` is a node
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
  body bind its variables: ``current_stance(Actor, Issue, Position, C)``
  reaches the claims of the matching ``stance/5`` facts through ``accepted(C)``.
- proposal inputs (``set/2``, ``open/1``...) and facts are not nodes.

**With a proposal**, each node says whether it holds (in every completion, in
some, or not), from the traced answer of the one judging path
(:func:`argmap.engine.judge.judge`): a conclusion holds when one of its own
rules fired for it.  A support edge *fired* when a firing of its rule used it
(helpers are followed through their own firings); an attack edge *fired* when
the defeater held for a conclusion that does not hold: under a binding of its
rule's positive body that holds, or, when the positive body fails, a defeater
fixed by the head alone (``not reason(effective, con, _, _)``); that conclusion
is then marked *defeated*.  A roadmap is mapped as its final phase, judged
with the whole roadmap.
"""

from __future__ import annotations

import heapq
import re
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import clingo

from ..asp import terms
from ..asp.program import PredicateDoc
from ..asp.terms import Rule, Signature, Subst, Term, Var
from ..engine.control import Engine
from ..engine.judge import Judgement, judge
from ..model.argument_map import ArgumentMap, MapEdge, MapNode, groups, verdict_group
from ..model.errors import InputError, closest, one_of
from ..model.proposal import BASELINE, Proposal, World
from ..model.verdicts import ALL, NONE, SOME, Registry, VerdictSpec
from ..model.when import fill_as_of

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

#: Variable names that are also English words: never filled in prose ("A reason ...").
_ENGLISH = frozenset({"A", "I"})

_Via = tuple[int, int, int]  # (rule index, sign, slot): one body literal of one rule
_Firings = dict[clingo.Symbol, list[tuple[int, tuple[clingo.Symbol, ...]]]]
#: Each engine's static map and the builder that marks it, kept while the engine lives.
_BUILT: weakref.WeakKeyDictionary[Engine, tuple[_Builder, ArgumentMap]] = weakref.WeakKeyDictionary()


def argument_map(
    engine: Engine,
    proposal: Proposal | None = None,
    world: World = BASELINE,
    *,
    focus: Sequence[str] = (),
    depth: int | None = None,
    fired_only: bool = False,
) -> ArgumentMap:
    """The knowledge base's argument map; with a proposal, marked from its traced judgement.

    `focus`, `depth` and `fired_only` narrow it (:func:`narrow`).

    Raises:
        ValueError: a proposal's map asked of an engine built without ``trace=True``.
        InputError: the proposal cannot be judged (see :func:`argmap.engine.judge.judge`),
            or a focus, depth or fired_only that does not apply (see :func:`narrow`).
    """
    registry = engine.vocabulary.registry
    check_view(registry, focus, depth, fired_only, marked=proposal is not None)
    mapper = Mapper(engine)
    m = mapper.static if proposal is None else mapper.mark(judge(engine, proposal, world, trace=True))
    return narrow(m, registry, focus=focus, depth=depth, fired_only=fired_only)


def check_view(registry: Registry, focus: Sequence[str], depth: int | None, fired_only: bool, *, marked: bool) -> None:
    """Raise InputError for a view that does not apply: an undeclared verdict (with a "did you
    mean"), a negative depth, or fired_only on a map that is not marked for a proposal."""
    for name in focus:
        if name not in registry:
            raise InputError(
                f"'{name}' is not a verdict of this knowledge base",
                key="--focus",
                expected=one_of(registry.names),
                suggestion=closest(name, registry.names),
            )
    if depth is not None and depth < 0:
        raise InputError(f"depth {depth} is negative", key="--depth", expected="0 or more")
    if fired_only and not marked:
        raise InputError("only a proposal's map knows what fired", key="--fired-only", expected="a PROPOSAL to map")


def narrow(
    m: ArgumentMap,
    registry: Registry,
    *,
    focus: Sequence[str] = (),
    depth: int | None = None,
    fired_only: bool = False,
) -> ArgumentMap:
    """`m` with only what bears on the `focus` verdicts, within `depth`, and (`fired_only`) what fired.

    - *fired_only* (a proposal's map): the edges that fired, the conclusions that hold, and
      the nodes a fired edge touches; a verdict none of whose nodes is left keeps them all, so that
      each verdict still shows its answer.
    - *focus*: the nodes of the named verdicts (distance 0), the reasons drawn in their
      groups (distance 1 at most: ``reason/4`` bears on its verdict by the contract), and
      every node with a path of supports and attacks to one of them.  With no focus,
      `depth` counts from every verdict's nodes.
    - *depth*: only nodes at that distance or less, counted in edges.

    The edges kept are those between kept nodes; nodes and edges keep their order.
    Raises InputError as :func:`check_view` does.
    """
    check_view(registry, focus, depth, fired_only, marked=m.proposal is not None)
    nodes, edges = list(m.nodes), list(m.edges)
    view: list[str] = []
    if fired_only:
        edges = [e for e in edges if e.fired]
        touched = {e.source for e in edges} | {e.target for e in edges}
        kept = {n.id for n in nodes if n.id in touched or (n.kind != "claim" and n.holds not in (None, NONE))}
        for group in {n.group for n in nodes if n.kind == "verdict"}:
            mine = [n.id for n in nodes if n.kind == "verdict" and n.group == group]
            if not kept.intersection(mine):
                kept.update(mine)
        nodes = [n for n in nodes if n.id in kept]
    if focus or depth is not None:
        groups_ = {verdict_group(name) for name in (focus or registry.names)}
        seeds = {n.id: 0 for n in nodes if n.kind == "verdict" and n.group in groups_}
        seeds.update({n.id: 1 for n in nodes if n.kind == "reason" and n.group in groups_ and n.id not in seeds})
        distance = _distances(seeds, edges, depth)
        nodes = [n for n in nodes if n.id in distance]
    ids = {n.id for n in nodes}
    edges = [e for e in edges if e.source in ids and e.target in ids]
    if focus:
        view.append("focus: " + ", ".join(registry[name].label for name in dict.fromkeys(focus)))
    if depth is not None:
        view.append(f"depth {depth}")
    if fired_only:
        view.append("only what fired")
    if not view:
        return m
    return replace(m, nodes=tuple(nodes), edges=tuple(edges), view=(*m.view, *view))


def _distances(seeds: dict[str, int], edges: Sequence[MapEdge], depth: int | None) -> dict[str, int]:
    """The distance of each node from the seeds, following edges backwards (source of an edge
    into a node at distance d is at d + 1), up to `depth`."""
    into: dict[str, list[str]] = {}
    for e in edges:
        into.setdefault(e.target, []).append(e.source)
    queue = [(d, node) for node, d in seeds.items()]
    heapq.heapify(queue)
    distance: dict[str, int] = {}
    while queue:
        d, node = heapq.heappop(queue)
        if node in distance or (depth is not None and d > depth):
            continue
        distance[node] = d
        for source in into.get(node, ()):
            if source not in distance:
                heapq.heappush(queue, (d + 1, source))
    return distance


class Mapper:
    """The static map of one engine's knowledge base, built once, and marked for any judgement of it.

    The static map depends on the engine's ground program alone, so it is built once per engine
    (per grounded knowledge base, as :func:`argmap.engine.cache.engine_for` shares them) and kept
    as long as the engine lives: every later ``Mapper`` of that engine reuses it, and only the
    marking is computed per judgement.  Like the engine, a Mapper is not thread-safe.
    """

    def __init__(self, engine: Engine) -> None:
        built = _BUILT.get(engine)
        if built is None:
            builder = _Builder(engine)
            built = _BUILT[engine] = (builder, builder.build())
        self._builder, self.static = built

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
    #: The rule its label was read from (a proposal's map reads it again for the atom that holds).
    label_rule: Rule | None = None

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
            nodes.append(MapNode(c.id, c.kind, c.group, c.label, fill_as_of(terms.show(_plain(c.head)), None), where))
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
                        node.label_rule = body.rule
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
    def _label(self, rule: Rule, head: Term, kind: str, *, template: bool = True) -> str:
        """A reason's text; else the predicate's Text: template; else (a verdict) the registry's
        words; else the comment above the rule; else (a reason whose text comes from another
        conclusion) the verdict's heading; else the predicate's description; else the atom.

        A variable named in a comment or description is filled (:meth:`_prose`): with its
        value where the head binds it, else as "its model" (from the Args: of a docstring),
        so that no label shows a bare ASP variable.  Without `template`, the Text: template is
        skipped (a proposal's map reads a node's label again from the same words, filled in)."""
        parts = terms.parts(head)
        args = parts[1] if parts else ()
        texts = [a for a in args if isinstance(a, clingo.Symbol) and a.type == clingo.SymbolType.String]
        if texts:
            return fill_as_of(texts[-1].string, None)  # the map reads the rules: the undated words
        sig = terms.signature(head)
        ground = all(isinstance(a, clingo.Symbol) for a in args)
        doc = self.index.docs.get(sig) if sig else None
        if doc and doc.text and ground and template:
            values = {name: self._word(a) for name, a in zip(doc.args, args, strict=False)}  # type: ignore[arg-type]
            try:
                return doc.text.format(**values)
            except (KeyError, IndexError, ValueError):
                pass
        if kind == "verdict" and sig in self.verdicts:
            return _verdict_words(self.verdicts[sig], args[0] if args else None)
        comment = self._comment_above(rule.index)
        if comment:
            original = self.index.view(rule.index)
            bound: Subst = {}
            for h in original.heads:
                bound = terms.unify(h, head, {}) or bound
            return self._prose(comment, original, bound)
        passed = self._passed_on(rule, head)
        if passed:
            return passed
        if doc and doc.description:
            return self._prose(doc.description, rule, dict(zip(doc.args, args, strict=False)), doc)
        return terms.show(_plain(head, "…"))

    def _prose(self, text: str, rule: Rule, bound: Subst, doc: PredicateDoc | None = None) -> str:
        """`text` with each variable of `rule` (or argument of `doc`) it names filled in: by its
        value when `bound` grounds it, else by "its <noun>", the noun read from a docstring's
        ``Args:`` (``- M: a model.``) or the variable's own name; "model M" reads "its model"."""
        atoms = [*rule.heads, *(lit.atom for lit in rule.literals)]
        names = set(doc.args) if doc else {v for a in atoms for v in terms.variables(a)}
        for name in sorted(names - _ENGLISH, key=len, reverse=True):
            if name.startswith("_") or not re.search(rf"\b{re.escape(name)}\b", text):
                continue
            value = terms.resolve(bound[name], bound) if name in bound else None
            if isinstance(value, clingo.Symbol):
                text = re.sub(rf"\b{re.escape(name)}\b", self._word(value).replace("\\", "\\\\"), text)
                continue
            noun = self._noun(name, atoms, doc)
            pattern = rf"(?:\b{re.escape(noun)}\s+)?\b{re.escape(name)}\b" if noun else rf"\b{re.escape(name)}\b"
            text = re.sub(pattern, f"its {noun}" if noun else "it", text, flags=re.IGNORECASE if noun else 0)
        return text

    def _noun(self, name: str, atoms: list[Term], doc: PredicateDoc | None) -> str:
        """What variable `name` stands for, as a noun: from the Args: of the docstring of `doc` or
        of an atom it appears in (``- M: a model.`` gives "model"), else its own name if a word."""
        candidates: list[tuple[PredicateDoc, str]] = [(doc, name)] if doc and name in doc.args else []
        for atom in atoms:
            sig = terms.signature(atom)
            found = self.index.docs.get(sig) if sig else None
            parts = terms.parts(atom)
            if found is None or parts is None:
                continue
            for arg_name, arg in zip(found.args, parts[1], strict=False):
                if isinstance(arg, Var) and arg.name == name:
                    candidates.append((found, arg_name))
        for found, arg_name in candidates:
            said = self._arg_docs(found).get(arg_name, "")
            words = re.sub(r"^(a|an|the)\s+", "", said.rstrip(".").strip(), flags=re.IGNORECASE).split()
            if 0 < len(words) <= 3:
                return " ".join(words)
        return name.lower().replace("_", " ") if len(name) > 1 else ""

    def _arg_docs(self, doc: PredicateDoc) -> dict[str, str]:
        """The ``- Name: words`` lines under ``Args:`` in a docstring."""
        file, _, line = doc.where.rpartition(":")
        lines = self._source_lines().get(file, [])
        out: dict[str, str] = {}
        i = int(line) if line.isdigit() else len(lines)
        while i < len(lines) and lines[i].strip() != "*%":
            m = re.match(r"^\s*-\s*([A-Za-z_][A-Za-z0-9_']*)\s*:\s*(.*)$", lines[i])
            if m:
                out[m.group(1)] = m.group(2).strip()
            i += 1
        return out

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

    def _source_lines(self) -> dict[str, list[str]]:
        """The lines of each rule file, by its name as messages show it."""
        if self._lines is None:
            try:
                self._lines = {src.shown: src.text.splitlines() for src in self.engine.kb.sources()}
            except InputError:  # the files changed since the engine read them
                self._lines = {}
        return self._lines

    def _comment_above(self, index: int) -> str | None:
        info = self.index.rules[index]
        lines = self._source_lines().get(info.file, [])
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
        labels = {c.id: label for c in self.conclusions if (label := self._matched_label(c, atoms, firings))}
        nodes = tuple(
            replace(n, holds=holds.get(n.id, NONE), defeated=n.id in defeated, label=labels.get(n.id, n.label))
            for n in static.nodes
        )
        edges = tuple(replace(e, fired=(e.source, e.target, e.kind) in fired) for e in static.edges)
        return replace(static, nodes=nodes, edges=edges, proposal=judgement.verdict.proposal)

    def _matched_label(
        self, c: _Conclusion, atoms: dict[Signature, list[clingo.Symbol]], firings: _Firings
    ) -> str | None:
        """For a conclusion with a variable in its head ("its model"), its label read from the one
        atom of it that holds (naming the model), if the atoms that hold all read the same."""
        if c.label_rule is None or not terms.variables(c.head):
            return None
        sig = terms.signature(c.head) or ("", 0)
        mine = [
            a
            for a in atoms.get(sig, [])
            if terms.unify(c.head, a, {}) is not None and any(i in c.rules for i, _ in firings.get(a, []))
        ]
        said = {self._label(c.label_rule, a, c.kind, template=False) for a in mine}
        return said.pop() if len(said) == 1 else None

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
            # alone pins down (no variable but anonymous ones): `not reason(effective, con, _, _)`.
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


def _plain(t: Term, hole: str | None = None) -> Term:
    """`t` with renamed variables given back their names (for display), or each written `hole`."""
    if isinstance(t, Var):
        return Var(hole if hole is not None else re.sub(r"[$@].*", "", t.name))
    if isinstance(t, terms.Fn):
        return terms.Fn(t.name, tuple(_plain(a, hole) for a in t.args))
    return t


def _symbol(value: str) -> clingo.Symbol:
    """A declared verdict value (as text) as a symbol."""
    try:
        return clingo.parse_term(value)
    except RuntimeError:
        return clingo.String(value)


def _verdict_words(spec: VerdictSpec, value: Term | None) -> str:
    """A verdict node's words from the registry: ``effective``, ``cost is high``, ``gaps: funding``."""
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
