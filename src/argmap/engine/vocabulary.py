"""Reading what a knowledge base declares from its ground facts, checked against the contract.

See ``docs/knowledge-base.md`` for every predicate read here.  A declaration
that breaks the contract is an :class:`~argmap.model.errors.InputError` naming
the file and line of the fact.
"""

from __future__ import annotations

from collections.abc import Callable

import clingo

from ..asp.program import ProgramIndex
from ..asp.terms import text
from ..model.errors import InputError, closest, one_of
from ..model.kb import Caveat, Claim, Component, Timing, Vocabulary
from ..model.verdicts import FALSE, TRUE, Registry, VerdictSpec
from .bridge import declarations

Facts = Callable[[str, int], list[clingo.Symbol]]


def read_vocabulary(facts: Facts, index: ProgramIndex, possible: Callable[[str, int], bool]) -> Vocabulary:
    """Everything the knowledge base declares, from the facts of its ground program.

    `facts(name, arity)` gives the facts of a predicate (sorted); `possible`
    says whether any atom of a predicate occurs in the ground program.
    """
    voc = Vocabulary()
    reader = _Reader(facts, index)
    voc.registry = reader.registry()
    _components(voc, reader)
    _claims(voc, reader)
    voc.bases = {reader.word(s.arguments[0]): reader.string(s.arguments[1], s) for s in facts("basis", 2)}
    voc.bases.setdefault("user_assumption", "assumed by the user")
    voc.labels = {text(s.arguments[0]): text(s.arguments[1]) for s in facts("label", 2)}
    voc.sources = {text(s.arguments[0]): text(s.arguments[1]) for s in facts("source_text", 2)}
    # The stances part.
    stances = facts("stance", 5)
    voc.actors = tuple(text(s.arguments[0]) for s in facts("actor", 1))
    positions: dict[str, list[str]] = {}
    for s in facts("position", 2):
        positions.setdefault(text(s.arguments[0]), []).append(text(s.arguments[1]))
    voc.positions = {k: tuple(v) for k, v in positions.items()}
    voc.snapshots = tuple(
        sorted({s.arguments[3].number for s in stances if s.arguments[3].type == clingo.SymbolType.Number})
    )
    # The roadmap part.
    docs = {text(s.arguments[0]): text(s.arguments[1]) for s in facts("roadmap_timing_doc", 2)}
    offsets = {text(s.arguments[0]): (text(s.arguments[1]), s.arguments[2].number) for s in facts("roadmap_offset", 3)}
    for s in facts("roadmap_timing", 2):
        name = text(s.arguments[0])
        unit, most = offsets.get(name, (None, 0))
        voc.timings[name] = Timing(name, reader.number(s.arguments[1], s), docs.get(name, ""), unit, most)
    parts = set()
    if stances:
        parts.add("stances")
    if voc.timings:
        parts.add("roadmap")
    if possible("conflict", 3):
        parts.add("conflicts")
    if facts("cost", 3):
        parts.add("costs")
    voc.parts = frozenset(parts)
    return voc


class _Reader:
    def __init__(self, facts: Facts, index: ProgramIndex) -> None:
        self.facts = facts
        self.index = index

    def where(self, sym: clingo.Symbol) -> dict[str, object]:
        info = self.index.facts.get(sym)
        return {"path": info.file, "line": info.line, "column": info.column} if info else {}

    def error(self, sym: clingo.Symbol, message: str, **kw: object) -> InputError:
        return InputError(f"{sym}: {message}", **self.where(sym), **kw)  # type: ignore[arg-type]

    def word(self, sym: clingo.Symbol) -> str:
        return text(sym)

    def string(self, sym: clingo.Symbol, fact: clingo.Symbol) -> str:
        if sym.type != clingo.SymbolType.String:
            raise self.error(fact, "expected a string in double quotes")
        return sym.string

    def number(self, sym: clingo.Symbol, fact: clingo.Symbol) -> int:
        if sym.type != clingo.SymbolType.Number:
            raise self.error(fact, "expected a whole number")
        return sym.number

    def verdict_of(
        self, fact: clingo.Symbol, declared: dict[str, tuple[str, str, str]], kinds: tuple[str, ...] = ()
    ) -> str:
        name = text(fact.arguments[0])
        if name not in declared:
            raise self.error(
                fact,
                f"'{name}' is not a declared verdict",
                expected=f"a verdict declared with verdict/3 ({one_of(declared)})",
                suggestion=closest(name, declared),
            )
        if kinds and declared[name][0] not in kinds:
            raise self.error(
                fact, f"{name} is a {declared[name][0]} verdict", expected=f"a {' or '.join(kinds)} verdict"
            )
        return name

    def registry(self) -> Registry:
        decl = {n: (k, lab, w) for n, k, lab, w in declarations(self.index)}
        if not decl:
            raise InputError(
                "the knowledge base declares no verdict",
                expected='verdict(Name, bool|level|set, "Label") facts (see docs/knowledge-base.md)',
            )
        levels: dict[str, list[tuple[int, str]]] = {}
        for f in self.facts("verdict_level", 3):
            name = self.verdict_of(f, decl, ("level",))
            levels.setdefault(name, []).append((self.number(f.arguments[2], f), text(f.arguments[1])))
        members: dict[str, list[str]] = {}
        for f in self.facts("verdict_member", 2):
            name = self.verdict_of(f, decl, ("set",))
            members.setdefault(name, []).append(text(f.arguments[1]))
        good: dict[str, list[str]] = {}
        for f in self.facts("verdict_good", 2):
            name = self.verdict_of(f, decl, ("bool", "level"))
            good.setdefault(name, []).append(text(f.arguments[1]))
        gates = {self.verdict_of(f, decl) for f in self.facts("verdict_gate", 1)}
        words: dict[str, dict[str, str]] = {}
        for f in self.facts("verdict_word", 3):
            words.setdefault(self.verdict_of(f, decl), {})[text(f.arguments[1])] = self.string(f.arguments[2], f)
        headings: dict[str, dict[str, str]] = {}
        for f in self.facts("verdict_heading", 3):
            headings.setdefault(self.verdict_of(f, decl), {})[text(f.arguments[1])] = self.string(f.arguments[2], f)
        docs = {self.verdict_of(f, decl): self.string(f.arguments[1], f) for f in self.facts("verdict_doc", 2)}
        specs = []
        for name, (kind, label, where) in decl.items():
            if kind == "bool":
                values: tuple[str, ...] = (TRUE, FALSE)
                chosen = tuple(good.get(name, [TRUE]))
                if len(chosen) != 1 or chosen[0] not in values:
                    raise InputError(
                        f"verdict_good({name}, ...) must name one of true or false", path=where.rsplit(":", 1)[0]
                    )
            elif kind == "level":
                ranked = sorted(levels.get(name, []))
                if not ranked:
                    path, _, line = where.rpartition(":")
                    raise InputError(
                        f"the level verdict {name} declares no levels",
                        path=path,
                        line=int(line),
                        expected=f"verdict_level({name}, Level, Rank) facts, rank 1 the best",
                    )
                ranks = [r for r, _ in ranked]
                if len(set(ranks)) != len(ranks):
                    raise InputError(f"two levels of {name} share a rank", key="verdict_level/3")
                values = tuple(lv for _, lv in ranked)
                chosen = tuple(good.get(name, [values[0]]))
                for g in chosen:
                    if g not in values:
                        raise InputError(
                            f"verdict_good({name}, {g}): {g} is not a level of {name}",
                            expected=one_of(values),
                            suggestion=closest(g, values),
                        )
            else:
                values = tuple(sorted(set(members.get(name, []))))
                chosen = ()
            specs.append(
                VerdictSpec(
                    name,
                    kind,
                    label,
                    values,
                    chosen,
                    (name in gates) if gates else True,
                    words.get(name, {}),
                    headings.get(name, {}),
                    docs.get(name, ""),
                    where,
                )
            )
        return Registry(tuple(specs))


def _components(voc: Vocabulary, reader: _Reader) -> None:
    values: dict[str, list[str]] = {}
    for sym in reader.facts("value", 2):
        values.setdefault(text(sym.arguments[0]), []).append(text(sym.arguments[1]))
    value_docs: dict[str, list[tuple[str, str]]] = {}
    for sym in reader.facts("value_doc", 3):
        value_docs.setdefault(text(sym.arguments[0]), []).append((text(sym.arguments[1]), text(sym.arguments[2])))
    for sym in reader.facts("component", 3):
        key, arity, doc = (text(a) for a in sym.arguments)
        if arity not in ("one", "many", "flag"):
            raise reader.error(sym, f"'{arity}' is not an arity", expected="one, many or flag")
        voc.components[key] = Component(key, arity, doc, tuple(values.get(key, ())), tuple(value_docs.get(key, ())))


def _claims(voc: Vocabulary, reader: _Reader) -> None:
    facts, index = reader.facts, reader.index

    def in_order(name: str, arity: int) -> list[clingo.Symbol]:
        found = facts(name, arity)
        order = {f: i for i, f in enumerate(index.files)}
        return sorted(
            found,
            key=lambda s: (
                (order.get(index.facts[s].file, 0), index.facts[s].line, index.facts[s].column)
                if s in index.facts
                else (len(order), 0, 0)
            ),
        )

    paraphrases = {text(s.arguments[0]): text(s.arguments[1]) for s in facts("paraphrase", 2)}
    quotes: dict[str, list[str]] = {}
    for s in in_order("quote", 2):
        quotes.setdefault(text(s.arguments[0]), []).append(text(s.arguments[1]))
    caveats: dict[str, list[Caveat]] = {}
    for s in facts("caveat", 3):
        caveats.setdefault(text(s.arguments[0]), []).append(Caveat(text(s.arguments[1]), text(s.arguments[2])))
    record_only = {text(s.arguments[0]): text(s.arguments[1]) for s in facts("record_only", 2)}
    sources = {text(s.arguments[0]): text(s.arguments[1]) for s in facts("source", 2)}
    for s in facts("claim", 2):
        cid = text(s.arguments[0])
        voc.claims[cid] = Claim(
            cid,
            text(s.arguments[1]),
            paraphrases.get(cid, ""),
            tuple(quotes.get(cid, ())),
            tuple(caveats.get(cid, ())),
            record_only.get(cid),
            sources.get(cid),
        )
