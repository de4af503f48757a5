"""Why a conclusion holds, and why another does not, from the actual rule firings.

The engine traces every rule (see :mod:`argmap.asp.program`): each firing
records the rule, the derived atom, and the positive and negative body atoms
that made it fire.  A *justification* follows those firings down to the
proposal's own components, the world facts and the claims used.  A *why-not*
takes each rule that could derive the atom, matches it against the answer, and
names the body literal that fails: a missing atom (explained in turn), a
negated atom that holds (justified in turn), or a comparison.  Matching and
unification are :mod:`argmap.asp.terms`'.

Negation as failure is explained the way s(CASP)'s dual rules do: where a
justification rests on ``not p``, every rule that could derive ``p`` is listed
with the literal that fails it (each rule names its claim and quote), down to
the proposal's components.  Atoms only argmap's prelude derives (``has/2``,
``current_stance/4``) are not taken apart: what does not hold is said in words,
with what holds in its place.  Within one explanation an atom is taken apart
once; later mentions are marked ``see_above``.  A verdict's explanation also
lists the reasons that support the value it takes (``support`` nodes, headed
as ``check`` heads them).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import clingo

from ..asp import terms
from ..asp.terms import text
from ..engine.control import Answer, Engine
from ..engine.judge import judge
from ..model.errors import InputError, closest
from ..model.explanation import Explanation, Item, Node
from ..model.proposal import BASELINE, Proposal, World, in_words
from ..model.verdicts import Completions, VerdictSpec
from ..model.when import as_of_phrase, fill_as_of

#: How deep a tree may go before it is cut (with a note).
MAX_DEPTH = 12
#: How many failing instances of one rule a why-not lists.
MAX_FAILURES = 4
#: How many atoms a why-not names as holding in place of one the prelude derives.
MAX_INSTEAD = 4


class Explainer:
    """Explanations over one traced answer."""

    def __init__(self, engine: Engine, answer: Answer) -> None:
        if not engine.trace:
            raise ValueError("explanations need an engine built with trace=True")
        self.engine = engine
        self.index = engine.index
        self.answer = answer
        #: For an open proposal: its completion groups (set by :func:`explainer` from the judgement).
        self.completions: tuple[Completions, ...] = ()
        self.completions_beyond = 0
        #: What ``{as_of|...}`` in a text reads for this judgement (set by :func:`explainer`), as in check.
        self.as_of: str | None = None
        self.claims = engine.vocabulary.claims
        self.labels = engine.vocabulary.labels
        self.atoms = answer.atoms
        #: Atoms true in every completion (all of them, for a proposal with nothing open).
        self.everywhere = answer.everywhere
        self.by_sig: dict[terms.Signature, list[clingo.Symbol]] = {}
        for sym in sorted(self.atoms):
            if sym.type == clingo.SymbolType.Function:
                self.by_sig.setdefault((sym.name, len(sym.arguments)), []).append(sym)
        self.firings: dict[clingo.Symbol, list[tuple[int, tuple[clingo.Symbol, ...], tuple[clingo.Symbol, ...]]]] = {}
        for f in sorted(answer.fired, key=lambda s: (s.arguments[0].number, str(s))):
            idx, head, pos, neg = f.arguments
            self.firings.setdefault(head, []).append((idx.number, tuple(pos.arguments), tuple(neg.arguments)))
        self.fact_signatures = {
            (f.name, len(f.arguments)) for f in self.index.facts if f.type == clingo.SymbolType.Function
        }
        #: What the current question has already taken apart: (canonical atom, holds).
        self._seen: set[tuple[str, bool]] | None = None

    def as_shown(self, sym: clingo.Symbol) -> clingo.Symbol:
        """The atom of the answer that `sym` names with its texts as check prints them (a placeholder
        ``{as_of|...}`` filled in), else `sym` itself."""
        if sym in self.atoms or sym.type != clingo.SymbolType.Function:
            return sym
        for candidate in self.by_sig.get((sym.name, len(sym.arguments)), ()):
            if [self._shown_argument(a) for a in candidate.arguments] == list(sym.arguments):
                return candidate
        return sym

    def _shown_argument(self, arg: clingo.Symbol) -> clingo.Symbol:
        if arg.type == clingo.SymbolType.String:
            return clingo.String(fill_as_of(arg.string, self.as_of))
        return arg

    @contextmanager
    def question(self) -> Iterator[None]:
        """One question (several verdicts, for ``explain``): each atom is taken apart once in it."""
        if self._seen is not None:
            yield
            return
        self._seen = set()
        try:
            yield
        finally:
            self._seen = None

    def _repeat(self, key: tuple[str, bool], node: Node) -> bool:
        """Whether `node` (not yet expanded) was taken apart earlier in this question; marks it so."""
        if self._seen is None or key not in self._seen:
            return False
        node.see_above = True
        return True

    def _done(self, key: tuple[str, bool], node: Node) -> Node:
        if self._seen is not None and node.children:
            self._seen.add(key)
        return node

    # ------------------------------------------------------------ words
    def words(self, sym: clingo.Symbol, positive: bool) -> str:
        """An atom as a sentence, from its predicate's docstring (Text:, Not:, None:)."""
        doc = self.index.docs.get((sym.name, len(sym.arguments)))
        anonymous = any(a.type == clingo.SymbolType.String and a.string == "_" for a in sym.arguments)
        template = (doc.text if positive else (doc.none if anonymous and doc.none else doc.negated)) if doc else None
        if template is None:
            return str(sym) if positive else f"{sym} does not hold"
        return self._fill(template, doc.args, sym.arguments)

    def _fill(self, template: str, names: Sequence[str], args: Sequence[terms.Term]) -> str:
        """A docstring template with each {Arg} in words: a constant through label/2 (else with
        _ read as a space), a string as it is, a number in an argument whose name ends in
        ``Date`` as a date in words (YYYYMMDD, 00 for an unknown month or day), and "any"
        for what is left open (``_``)."""
        values = {}
        for name, arg in zip(names, args, strict=False):
            if not isinstance(arg, clingo.Symbol) or (arg.type == clingo.SymbolType.String and arg.string == "_"):
                values[name] = "any"
            elif arg.type == clingo.SymbolType.Number and name.endswith("Date"):
                values[name] = in_words(arg.number)
            else:
                word = text(arg)
                if arg.type == clingo.SymbolType.String:
                    values[name] = fill_as_of(word, self.as_of)
                else:
                    values[name] = self.labels.get(word, word.replace("_", " "))
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
        """A justification of `sym`, which must hold.

        Raises:
            InputError: `sym` does not hold.
        """
        if sym not in self.atoms:
            raise InputError(f"{sym} does not hold for this proposal; ask --why-not instead")
        with self.question():
            return self._why(sym, depth, stack)

    def _why(self, sym: clingo.Symbol, depth: int, stack: frozenset[clingo.Symbol]) -> Node:
        words = self.words(sym, True)
        if sym.name == "accepted" and len(sym.arguments) == 1:
            return self._claim_node(text(sym.arguments[0]), str(sym), True)
        if self.engine.has_input(sym):
            return Node(str(sym), True, words, "input", qualifier=self._qualifier(sym))
        if sym in self.index.facts:
            info = self.index.facts[sym]
            node = Node(str(sym), True, words, "fact", rule=info.where)
            node.children = [self._claim_node(a, None, True) for a in self._claim_args(sym)]
            return node
        if depth >= MAX_DEPTH or sym in stack:
            return Node(str(sym), True, words, "cut")
        firing = self.firings.get(sym)
        if not firing:
            return Node(str(sym), True, words, "derived", qualifier=self._qualifier(sym))
        idx, pos, neg = firing[0]
        if sym in self.everywhere:
            # Justify what holds everywhere by a firing whose premises hold everywhere, if there is one.
            for candidate in firing:
                if all(p in self.everywhere for p in candidate[1]):
                    idx, pos, neg = candidate
                    break
        info = self.index.rules[idx]
        node = Node(str(sym), True, words, "derived", rule=info.where, qualifier=self._qualifier(sym))
        inner = stack | {sym}
        if info.engine:
            # The prelude's own reasoning (has/2 from set/2, a stance read as of a date) is shown by
            # what it rests on in the knowledge base and the proposal, not step by step.
            node.children = self._prelude_premises(pos, depth + 1, inner)
            return node
        key = (str(sym), True)
        if depth > 0 and self._repeat(key, node):
            return node
        for p in pos:
            node.children.append(self._why(p, depth + 1, inner))
        for n in neg:
            node.children.append(self._absent(n, depth + 1, inner))
        return self._done(key, node)

    def _prelude_premises(
        self, pos: Sequence[clingo.Symbol], depth: int, stack: frozenset[clingo.Symbol]
    ) -> list[Node]:
        """The premises of a firing of a prelude rule: inputs, facts and claims as they are; an
        engine-reserved atom (``__`` prefix) taken apart only when a fact with a claim stands
        under it (a stance on record), else stated; a claim already cited by a fact beside it
        left out.  Negated premises are the prelude's bookkeeping and are not shown."""
        cited = {c for p in pos if p in self.index.facts for c in self._claim_args(p)}
        out = []
        for p in pos:
            if p.name == "accepted" and len(p.arguments) == 1 and text(p.arguments[0]) in cited:
                continue
            firing = self.firings.get(p)
            if firing and p.name.startswith("__") and not self._rests_on_a_claimed_fact(p):
                where = self.index.rules[firing[0][0]].where
                out.append(Node(str(p), True, self.words(p, True), "derived", rule=where, qualifier=self._qualifier(p)))
                continue
            out.append(self._why(p, depth, stack))
        return out

    def _rests_on_a_claimed_fact(self, sym: clingo.Symbol) -> bool:
        firing = self.firings.get(sym)
        return bool(firing) and any(p in self.index.facts and self._claim_args(p) for p in firing[0][1])

    def _absent(self, sym: clingo.Symbol, depth: int, stack: frozenset[clingo.Symbol]) -> Node:
        """``not sym`` holds (``"_"`` standing for an anonymous variable): in words, with the dual
        of every rule that could derive an atom matching `sym`, each with why it fails."""
        if sym.name == "accepted" and len(sym.arguments) == 1:
            return Node(f"not {sym}", True, f"the claim {text(sym.arguments[0])} is rejected", "absent")
        pattern = _pattern(sym)
        node = Node(f"not {terms.show(pattern)}", True, self.words(sym, False), "absent")
        dual = self._why_not(pattern, depth, stack) if isinstance(pattern, clingo.Symbol) else None
        if dual is None:
            dual = self._why_none(pattern, depth, stack)
        node.see_above = dual.see_above
        node.children = dual.children
        if dual.kind == "blocked" and not dual.children and dual.text != node.text:
            node.children = [dual]  # what holds in its place (an atom only the prelude derives)
        return node

    def _claim_args(self, sym: clingo.Symbol) -> list[str]:
        return sorted(
            {
                text(a)
                for a in sym.arguments
                if a.type == clingo.SymbolType.Function and not a.arguments and a.name in self.claims
            }
        )

    def _claim_node(self, cid: str, atom: str | None, accepted: bool) -> Node:
        claim = self.claims.get(cid)
        if claim is None:
            return Node(atom or cid, accepted, f"claim {cid}", "claim", claim=cid)
        words = claim.paraphrase if accepted else f"the claim {cid} is rejected: {claim.paraphrase}"
        return Node(atom or f"claim({cid})", accepted, words, "claim", claim=cid, quote=claim.quote)

    def verdict(self, target: terms.Term, holds: bool) -> Node:
        """Why a verdict's atom holds, or why not (see :func:`verdict_atoms`), with the reasons that
        support the value it takes (``support`` nodes)."""
        with self.question():
            if not holds:
                return self.why_not(target)
            assert isinstance(target, clingo.Symbol)
            node = self.why(target)
            node.children += self._support(target, node)
            return node

    def _support(self, target: clingo.Symbol, node: Node) -> list[Node]:
        """The ``reason/4`` atoms that support the value `target` gives its verdict, grouped under
        the headings ``check`` uses: for a bool verdict the good effect, for a level or member the
        reasons for it (beyond those the derivation already shows) and, for a level, those for
        lower levels (contributing)."""
        spec = self.engine.vocabulary.registry.get(target.name)
        if spec is None:
            return []
        if spec.kind == "bool":
            effects = [e for e in spec.effects if not spec.bad_effect(e)]
        else:
            value = text(target.arguments[0])
            lower = [e for e in spec.effects if spec.kind == "level" and spec.rank(e) < spec.rank(value)]
            effects = [value, *sorted(lower, key=lambda e: -spec.rank(e))]
        shown = {c.atom for c in node.children}
        out = []
        for effect in effects:
            found = [
                r
                for r in self.by_sig.get(("reason", 4), [])
                if text(r.arguments[0]) == spec.name and text(r.arguments[1]) == effect and str(r) not in shown
            ]
            if not found:
                continue
            heading = spec.heading(effect)
            if spec.kind == "level" and spec.rank(effect) < spec.rank(text(target.arguments[0])):
                heading = f"Also contributing to {spec.label} ({spec.word(effect)})"
            group = Node(f"reason({spec.name},{effect},_,_)", True, heading, "support")
            group.children = [self._why(r, 1, frozenset({target})) for r in found]
            out.append(group)
        return out

    # ------------------------------------------------------------ why not
    def why_not(self, sym: terms.Term, depth: int = 0, stack: frozenset[clingo.Symbol] = frozenset()) -> Node:
        """Why `sym` does not hold; for a pattern such as ``gaps(_)``, why no atom matches it.

        Raises:
            InputError: `sym` holds.
        """
        if isinstance(sym, clingo.Symbol) and sym in self.atoms:
            raise InputError(f"{sym} holds for this proposal; ask --why instead")
        with self.question():
            if not isinstance(sym, clingo.Symbol):
                return self._why_none(sym, depth, stack)
            return self._why_not(sym, depth, stack)

    def _why_not(self, sym: clingo.Symbol, depth: int, stack: frozenset[clingo.Symbol]) -> Node:
        words = self.words(sym, False)
        if sym.name == "accepted" and len(sym.arguments) == 1:
            return self._claim_node(text(sym.arguments[0]), str(sym), False)
        if self.engine.has_input(sym):
            return Node(str(sym), False, words, "input")
        node = Node(str(sym), False, words, "blocked")
        if depth >= MAX_DEPTH or sym in stack:
            node.kind = "cut"
            return node
        sig = (sym.name, len(sym.arguments))
        if self._prelude_only(sig):
            return self._instead(sym, node, depth, stack)
        key = (str(sym), False)
        if depth > 0 and self._repeat(key, node):
            return node
        heads = [(i, h) for i, h in self.index.heads(*sig) if terms.unify(h, sym, {}) is not None]
        if not heads:
            if sig not in self.fact_signatures:  # a predicate of facts only: its words say enough
                node.text = f"{words} (nothing in the knowledge base derives it)"
            return node
        inner = stack | {sym}
        for i, head in heads:
            binding = terms.unify(head, sym, {}) or {}
            node.children.append(self._rule_node(i, self.index.view(i), binding, depth + 1, inner))
        return self._done(key, node)

    def _prelude_only(self, sig: terms.Signature) -> bool:
        """Whether only argmap's prelude derives atoms of `sig` (``has/2``, ``current_stance/4``)."""
        heads = self.index.heads(*sig)
        return bool(heads) and all(self.index.rules[i].engine for i, _ in heads)

    def _instead(self, pattern: terms.Term, node: Node, depth: int, stack: frozenset[clingo.Symbol]) -> Node:
        """An atom only the prelude derives does not hold: name what holds in its place, the atoms
        that agree with it on all but its last given argument (``has(K, X)`` for ``has(K, v)``;
        nothing when only one argument is given), each justified."""
        parts = terms.parts(pattern)
        if parts is None:
            return node
        name, args = parts
        if isinstance(pattern, clingo.Symbol):
            node.children += self._not_given(pattern)
            if not self._exclusive(pattern):
                return node  # a list component's has(K, v1) beside has(K, v2): nothing in its place
        given = [n for n, a in enumerate(args) if isinstance(a, clingo.Symbol) and not _blank(a)]
        if len(given) < 2:
            return node  # has(K, _): nothing to put in its place
        loose = tuple(terms.Var(f"Instead#{n}") if n == given[-1] or _blank(a) else a for n, a in enumerate(args))
        wanted = terms.make(name, loose)
        instead = [m for m in self.by_sig.get((name, len(args)), []) if terms.unify(wanted, m, {}) is not None]
        for m in instead[:MAX_INSTEAD]:
            node.children.append(self._why(m, depth + 1, stack))
        return node

    def _not_given(self, sym: clingo.Symbol) -> list[Node]:
        """Why a prelude rule that copies an input into `sym` (``has(K, V) :- set(K, V).``) does
        not fire: that input is not given (``the proposal does not set K to V``).  Nothing when the
        input is given, or when `sym` stands for an aspect left open (a completion chooses it)."""
        out = []
        for i, head in self.index.heads(sym.name, len(sym.arguments)):
            binding = terms.unify(head, sym, {})
            rule = self.index.view(i)
            if binding is None or rule.choice or len(rule.literals) != 1 or rule.literals[0].sign <= 0:
                continue
            given = terms.ground(rule.literals[0].atom, binding)
            if given is not None and self.engine.has_input(given) and given not in self.atoms:
                if not self._left_open(sym):
                    out.append(Node(str(given), False, self.words(given, False), "input"))
        return out

    def _left_open(self, sym: clingo.Symbol) -> bool:
        """Whether `sym` is ``has(K, V)`` for an aspect K the proposal leaves open."""
        if sym.name != "has" or len(sym.arguments) != 2:
            return False
        return clingo.Function("open", sym.arguments[:1]) in self.atoms

    def _exclusive(self, sym: clingo.Symbol) -> bool:
        """Whether what holds in place of `sym` rules it out: ``has(K, _)`` of a component that
        takes one value or a flag (not of a list component, whose values stand side by side);
        any other prelude atom (a current stance) is taken to be exclusive."""
        if sym.name != "has" or len(sym.arguments) != 2 or sym.arguments[0].type != clingo.SymbolType.Function:
            return True
        comp = self.engine.vocabulary.components.get(sym.arguments[0].name)
        return comp is None or comp.arity != "many"

    def _rule_node(
        self, i: int, rule: terms.Rule, binding: terms.Subst, depth: int, stack: frozenset[clingo.Symbol]
    ) -> Node:
        """A rule that could derive the atom asked about, and why it does not apply here: its claim
        (from ``accepted(Claim)`` in its body, or a claim among its head's arguments) with the
        quote, and what it would have established, in words."""
        info = self.index.rules[i]
        cid = self._rule_claim(rule, binding)
        claim = self.claims.get(cid) if cid else None
        node = Node(
            info.text,
            False,
            f"[{cid}] does not apply" if cid else f"the rule at {info.where} does not apply",
            "rule",
            rule=info.where,
            claim=cid if claim else None,
            quote=claim.quote if claim else None,
        )
        heads = [terms.resolve(h, binding) for h in rule.heads]
        if len(heads) == 1 and isinstance(heads[0], clingo.Symbol):
            node.would = self.words(heads[0], True)
        node.children = self._failures(rule, binding, depth, stack)
        return node

    def _rule_claim(self, rule: terms.Rule, binding: terms.Subst) -> str | None:
        found = []
        for lit in rule.positive:
            atom = terms.resolve(lit.atom, binding)
            if isinstance(atom, clingo.Symbol) and atom.name == "accepted" and len(atom.arguments) == 1:
                found.append(text(atom.arguments[0]))
        for head in rule.heads:
            atom = terms.resolve(head, binding)
            if isinstance(atom, clingo.Symbol):
                found += self._claim_args(atom)
        return next((c for c in found if c in self.claims), None)

    def _why_none(self, pattern: terms.Term, depth: int, stack: frozenset[clingo.Symbol]) -> Node:
        """Why no atom matches `pattern` (a partly bound atom): every rule that could derive one fails."""
        shown = terms.show(pattern)
        node = Node(shown, False, f"nothing establishes {shown}", "blocked")
        sig = terms.signature(pattern)
        if sig is None:
            return node
        doc = self.index.docs.get(sig)
        if doc and doc.none:
            node.text = self._fill(doc.none, doc.args, terms.parts(pattern)[1])  # type: ignore[index]
        if depth >= MAX_DEPTH:
            return node
        if self._prelude_only(sig):
            return self._instead(pattern, node, depth, stack)
        key = (terms.canonical(pattern), False)
        if depth > 0 and self._repeat(key, node):
            return node
        for n, (i, head) in enumerate(self.index.heads(*sig)):
            suffix = f"${depth}.{n}"
            binding = terms.unify(terms.rename(head, suffix), pattern, {})
            if binding is None:
                continue
            node.children.append(self._rule_node(i, self.index.view(i).renamed(suffix), binding, depth + 1, stack))
        return self._done(key, node)

    def _failures(
        self, rule: terms.Rule, binding: terms.Subst, depth: int, stack: frozenset[clingo.Symbol]
    ) -> list[Node]:
        positive = rule.positive
        failures: list[Node] = []
        seen: set[str] = set()

        def add(node: Node) -> None:
            if node.atom not in seen and len(failures) < MAX_FAILURES:
                seen.add(node.atom)
                failures.append(node)

        def join(k: int, b: terms.Subst) -> None:
            if len(failures) >= MAX_FAILURES:
                return
            if k == len(positive):
                check(b)
                return
            pattern = positive[k].atom
            ground = terms.ground(pattern, b)
            if ground is not None:
                if ground in self.atoms:
                    join(k + 1, b)
                else:
                    add(self._why_not(ground, depth, stack))
                return
            sig = terms.signature(terms.resolve(pattern, b))
            matches = [m for m in self.by_sig.get(sig, []) if terms.unify(pattern, m, b) is not None] if sig else []
            if not matches:
                add(self._why_none(terms.resolve(pattern, b), depth, stack))
                return
            for m in matches:
                join(k + 1, terms.unify(pattern, m, b) or b)

        def check(b: terms.Subst) -> None:
            for lit in rule.negative:
                sig = terms.signature(terms.resolve(lit.atom, b))
                blockers = (
                    [m for m in self.by_sig.get(sig, []) if terms.unify(lit.atom, m, b) is not None] if sig else []
                )
                if blockers:
                    for blocker in blockers:
                        add(self._why(blocker, depth, stack))
                    return
            for c in rule.comparisons:
                if terms.comparison_holds(c, b) is False:
                    shown = f"{terms.show(terms.resolve(c.left, b))} vs {terms.show(terms.resolve(c.right, b))}"
                    add(Node(c.text, False, f"the condition {c.text} fails ({shown})", "failure"))
                    return

        join(0, dict(binding))
        return failures


def _blank(arg: terms.Term) -> bool:
    """An argument the trace recorded as ``"_"`` (an anonymous variable of a negated literal)."""
    return isinstance(arg, clingo.Symbol) and arg.type == clingo.SymbolType.String and arg.string == "_"


def _pattern(sym: clingo.Symbol) -> terms.Term:
    """A traced negated atom as a pattern: each ``"_"`` argument an anonymous variable."""
    if not any(_blank(a) for a in sym.arguments):
        return sym
    args = tuple(terms.Var(f"_#{n}") if _blank(a) else a for n, a in enumerate(sym.arguments))
    return terms.make(sym.name, args)


# ---------------------------------------------------------------- entry points
_ATOM = re.compile(r"[a-z_][A-Za-z0-9_]*(\(.*\))?")


def parse_atom(source: str, engine: Engine) -> clingo.Symbol:
    """A user-given atom such as ``effective`` or ``cost(high)``, checked for shape and predicate.

    Raises:
        InputError: not an atom, or no predicate of that name and arity occurs
            in the knowledge base (with a "did you mean").
    """
    given = source.strip()
    expected = "an atom such as " + _examples(engine)
    if not _ATOM.fullmatch(given):
        raise InputError(f"'{given}' is not an atom", expected=expected, suggestion=_in_lower_case(given, engine))
    try:
        sym = clingo.parse_term(given)
    except RuntimeError:
        raise InputError(f"'{given}' is not an atom", expected=expected) from None
    if sym.type != clingo.SymbolType.Function or not sym.name:
        raise InputError(f"'{given}' is not an atom", expected=expected)
    known = _predicates(engine)
    if (sym.name, len(sym.arguments)) not in known:
        names = sorted({f"{n}/{a}" for n, a in known if not n.startswith("_")})
        near = closest(f"{sym.name}/{len(sym.arguments)}", names) or closest(sym.name, [n for n, _ in known])
        raise InputError(
            f"'{given}': no predicate {sym.name}/{len(sym.arguments)} occurs in the knowledge base",
            expected=expected,
            suggestion=near,
        )
    return sym


def _in_lower_case(given: str, engine: Engine) -> str | None:
    """`given` in lower case, when that is an atom of a known predicate (``Effective``, ``Cost(High)``)."""
    lowered = given.lower()
    if lowered == given or not _ATOM.fullmatch(lowered):
        return None
    try:
        sym = clingo.parse_term(lowered)
    except RuntimeError:
        return None
    known = sym.type == clingo.SymbolType.Function and (sym.name, len(sym.arguments)) in _predicates(engine)
    return lowered if known else None


_PREDICATES: weakref.WeakKeyDictionary[Engine, frozenset[terms.Signature]] = weakref.WeakKeyDictionary()


def _predicates(engine: Engine) -> frozenset[terms.Signature]:
    """Every predicate a fact or rule head of the program has (computed once per engine)."""
    found = _PREDICATES.get(engine)
    if found is None:
        index = engine.index
        sigs = {(s.name, len(s.arguments)) for s in index.facts if s.type == clingo.SymbolType.Function}
        for i in range(len(index.asts)):
            for head in index.view(i).heads:
                sig = terms.signature(head)
                if sig:
                    sigs.add(sig)
        found = _PREDICATES[engine] = frozenset(sigs)
    return found


def _examples(engine: Engine) -> str:
    specs = list(engine.vocabulary.registry)
    shown = [s.name if s.kind == "bool" else f"{s.name}({s.values[0]})" for s in specs if s.kind == "bool" or s.values]
    return " or ".join(shown[:2]) or "p(a)"


#: A verdict to explain: its spec, its value in words, the atom (or, for a set verdict
#: with no member, the pattern ``name(_)``) and whether it holds in some completion.
VerdictAtom = tuple[VerdictSpec, str, terms.Term, bool]


def verdict_atoms(engine: Engine, answer: Answer) -> list[VerdictAtom]:
    """What explains each declared verdict, as ``check`` reports it.

    A bool verdict explains its atom (why it holds, or why not); a level
    verdict each level reached, worst first; a set verdict each member
    reached, or, when there is none, why no member holds.
    """
    out: list[VerdictAtom] = []
    fn = clingo.Function
    for spec in engine.vocabulary.registry:
        if spec.kind == "bool":
            sym = fn(spec.name)
            holds = sym in answer.atoms
            out.append((spec, spec.word("true" if holds else "false"), sym, holds))
            continue
        reached = sorted(s for s in answer.atoms if s.name == spec.name and len(s.arguments) == 1)
        if spec.kind == "level":
            reached.sort(key=lambda s: -spec.rank(text(s.arguments[0])))
        for sym in reached:
            out.append((spec, spec.word(text(sym.arguments[0])), sym, True))
        if not reached:
            word = spec.none_word() if spec.kind == "set" else "unknown"
            out.append((spec, word, terms.Fn(spec.name, (terms.Var("_#0"),)), False))
    return out


def explain(
    engine: Engine,
    proposal: Proposal,
    *,
    why: str | None = None,
    why_not: str | None = None,
    world: World = BASELINE,
) -> Explanation:
    """Explain every declared verdict of `proposal` (default), or one atom with `why` / `why_not`.

    `engine` must be traced.  The answer comes from :func:`argmap.engine.judge.judge`,
    the same path ``check`` takes, roadmaps and open aspects included.

    Raises:
        InputError: an unknown atom, or asking why of an atom that does not hold (or why-not of one that does).
    """
    if why is not None and why_not is not None:
        raise InputError("give why or why-not, not both")
    sym = parse_atom(why if why is not None else why_not, engine) if (why or why_not) else None
    ex = explainer(engine, proposal, world)
    answer = ex.answer
    if sym is not None:
        sym = ex.as_shown(sym)
    items: list[Item] = []
    verdicts = engine.vocabulary.registry.signatures()
    if sym is not None and why is not None:
        # A verdict's atom is explained as the default explanation explains it (with its support).
        verdict = (sym.name, len(sym.arguments)) in verdicts and sym in answer.atoms
        items.append(Item(why, "yes", ex.verdict(sym, True) if verdict else ex.why(sym)))
    elif sym is not None:
        items.append(Item(str(why_not), "no", ex.why_not(sym)))
    else:
        with ex.question():  # one question: what one verdict's explanation took apart, later ones refer to
            for spec, word, target, holds in verdict_atoms(engine, answer):
                items.append(Item(spec.label, word, ex.verdict(target, holds)))
    sets = []
    conflicted = any(s.name == "conflict" for s in answer.cautious)
    if conflicted and sym is None and not proposal.phases:
        from .mus import minimal_conflicts

        sets = minimal_conflicts(engine, proposal)
    if sym is not None:
        return Explanation(proposal, items, sets)
    return Explanation(proposal, items, sets, ex.completions, ex.completions_beyond)


#: The explainers of the last few questions, per engine: asking several atoms of one
#: proposal (as ``explain --why`` does, one call each) judges and indexes it once.
_RECENT: weakref.WeakKeyDictionary[Engine, dict[tuple[Proposal, World], Explainer]] = weakref.WeakKeyDictionary()
_RECENT_SIZE = 8


def explainer(engine: Engine, proposal: Proposal, world: World = BASELINE) -> Explainer:
    """An :class:`Explainer` over `proposal`'s traced judgement (reused for the same question)."""
    recent = _RECENT.setdefault(engine, {})
    key = (proposal, world)
    found = recent.pop(key, None)
    if found is None:
        judgement = judge(engine, proposal, world, trace=True)
        found = Explainer(engine, judgement.answer)
        found.completions = judgement.verdict.completions
        found.completions_beyond = judgement.verdict.completions_beyond
        found.as_of = as_of_phrase(proposal, world, max(engine.vocabulary.snapshots, default=None))
    recent[key] = found  # the most recent last
    while len(recent) > _RECENT_SIZE:
        del recent[next(iter(recent))]
    return found
