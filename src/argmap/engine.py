"""The engine: ground the knowledge base once, solve each question under assumptions.

A proposal never becomes program text.  Its components are the externals
``set(Key, Value)`` and ``open(Key)``; a what-if adds ``rejected(Claim)``,
``as_of(Date)``, ``as_of(Actor, Date)`` and ``assume_stance(Actor, Issue,
Position)``.  Each question is one ``solve(assumptions=...)`` on the same
ground program.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import clingo

from .errors import InputError
from .kb import FIRED, MessageLog, ProgramIndex, default_kb, kb_root, load_program
from .model import Caveat, Claim, Component, Proposal


@dataclass(frozen=True)
class World:
    """What a what-if changes outside the proposal."""

    rejected: tuple[str, ...] = ()
    as_of: int | None = None
    actor_as_of: tuple[tuple[str, int], ...] = ()
    stances: tuple[tuple[str, str, str], ...] = ()  # (actor, issue, position)


#: How long a wait for the solver or grounder lasts before signals are looked at again (seconds).
_SLICE = 0.05

#: The controls solving right now in this process (for interrupt_all).
_RUNNING: set[clingo.Control] = set()


#: Signals that arrived while a solve was running, to be raised once it has returned.
_PENDING: list[int] = []

#: Non-zero while clingo is loading a program (it calls back into Python while parsing).
_BUSY: list[int] = []


def interrupt_all() -> None:
    """Interrupt every solve running in this process (called from the signal watchdog thread)."""
    for ctl in list(_RUNNING):
        ctl.interrupt()


#: Non-zero while a helper thread is grounding.
_GROUNDING: list[int] = []


def grounding_in_progress() -> bool:
    """Whether a helper thread is inside clingo's grounder (the process must then exit without
    finalising the interpreter, or the thread crashes it)."""
    return bool(_GROUNDING)


def defer_signal(signum: int) -> bool:
    """Called by a signal handler: if a solve is running, interrupt it and keep the signal
    for later (raising inside clingo's callbacks would abort the process); True if deferred."""
    if not _RUNNING and not _BUSY:
        return False
    _PENDING.append(signum)
    interrupt_all()
    return True


def _raise_pending() -> None:
    """Deliver a deferred signal again, now that no solve is running."""
    if _PENDING:
        os.kill(os.getpid(), _PENDING.pop())


#: How many completions of an open proposal an explanation looks at.
MAX_COMPLETIONS = 4096

#: The world as the article records it: no claim rejected, no stance changed.
BASELINE = World()


@dataclass(frozen=True)
class Answer:
    """The atoms of one question's answer sets.

    For a proposal with no open aspect there is exactly one answer set, and
    ``cautious == brave``.  Otherwise ``cautious`` holds in every completion
    and ``brave`` in at least one.
    """

    cautious: frozenset[clingo.Symbol]
    brave: frozenset[clingo.Symbol]
    fired: frozenset[clingo.Symbol] = frozenset()
    #: With tracing: every atom true in some answer set (the brave atoms).
    atoms: frozenset[clingo.Symbol] = frozenset()
    #: With tracing and open aspects: every atom true in all answer sets (None: same as `atoms`).
    atoms_cautious: frozenset[clingo.Symbol] | None = None


@dataclass
class Vocabulary:
    components: dict[str, Component] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    actors: tuple[str, ...] = ()
    positions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    snapshots: tuple[int, ...] = ()


class Engine:
    """A knowledge base, grounded once, that answers questions under assumptions."""

    def __init__(
        self,
        files: Sequence[str] | None = None,
        *,
        trace: bool = False,
        repair: bool = False,
        explore: Sequence[clingo.Symbol] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Load and ground a knowledge base.

        With `repair` or `explore` (the design space's facts), the proposal's
        components become a choice (``lp/repair.lp``, ``lp/explore.lp``)
        instead of inputs.
        """
        self.files = list(files) if files else default_kb()
        self.root = kb_root(self.files)
        self.trace = trace
        self.repair = repair
        self.explore = explore is not None
        self.timeout = timeout
        support = ("repair.lp",) if repair else ("explore.lp",) if explore is not None else ("support.lp",)
        self._log = MessageLog(self.root)
        self._ctl = clingo.Control(["--warn=none"], logger=self._log, message_limit=20)
        _BUSY.append(1)  # a signal now is kept until clingo returns (raising in its callbacks aborts)
        try:
            self.index: ProgramIndex = load_program(
                self._ctl,
                self.files,
                self._log,
                trace=trace,
                support=support,
                drop_externals=frozenset({("set", 2)}) if repair or explore is not None else frozenset(),
                facts=explore or (),
            )
        finally:
            _BUSY.pop()
            _raise_pending()
        self._ground()
        # Every input is an external left free; each question assumes all of
        # them, true or false, so no state carries over from one to the next.
        self._literals: dict[clingo.Symbol, int] = {}
        for atom in self._ctl.symbolic_atoms:
            if atom.is_external:
                self._literals[atom.symbol] = atom.literal
                self._ctl.assign_external(atom.literal, None)
        self._inputs = sorted(set(self._literals.values()))
        self._config: tuple[str, str] | None = None
        coherent = clingo.Function("coherent_only")
        self._coherent = self._literals.get(coherent)
        self._settings: dict[tuple[str, str], int] = {}
        self._all_false = [-lit for lit in self._inputs]
        self._position = {lit: i for i, lit in enumerate(self._inputs)}
        self.vocabulary = self._read_vocabulary()

    def _ground(self) -> None:
        """Ground in a helper thread while this one waits in slices, so that a signal
        ends a long grounding (clingo's grounder cannot be interrupted, but the
        process can still exit; the helper thread dies with it)."""
        failure: list[BaseException] = []

        def work() -> None:
            try:
                self._ctl.ground([("base", [])])
            except BaseException as exc:
                failure.append(exc)

        worker = threading.Thread(target=work, name="argmap-ground", daemon=True)
        _GROUNDING.append(1)
        worker.start()
        while worker.is_alive():
            worker.join(_SLICE)
        _GROUNDING.pop()
        if failure:
            if isinstance(failure[0], RuntimeError):
                raise self._log.error("the knowledge base does not ground") from None
            raise failure[0]

    # -------------------------------------------------------------- vocabulary
    def facts(self, name: str, arity: int) -> list[clingo.Symbol]:
        """The atoms of `name/arity` that are facts of the ground program, sorted."""
        return sorted(a.symbol for a in self._ctl.symbolic_atoms.by_signature(name, arity) if a.is_fact)

    def _read_vocabulary(self) -> Vocabulary:
        voc = Vocabulary()
        values: dict[str, list[str]] = {}
        for sym in self.facts("value", 2):
            values.setdefault(_text(sym.arguments[0]), []).append(_text(sym.arguments[1]))
        for sym in self.facts("component", 3):
            key, arity, doc = (_text(a) for a in sym.arguments)
            voc.components[key] = Component(key, arity, doc, tuple(values.get(key, ())))
        paraphrases = {_text(s.arguments[0]): _text(s.arguments[1]) for s in self.facts("paraphrase", 2)}
        quotes: dict[str, list[str]] = {}
        for s in self._in_order("quote", 2):
            quotes.setdefault(_text(s.arguments[0]), []).append(_text(s.arguments[1]))
        caveats: dict[str, list[Caveat]] = {}
        for s in self.facts("caveat", 3):
            caveats.setdefault(_text(s.arguments[0]), []).append(Caveat(_text(s.arguments[1]), _text(s.arguments[2])))
        record_only = {_text(s.arguments[0]): _text(s.arguments[1]) for s in self.facts("record_only", 2)}
        for s in self.facts("claim", 2):
            cid = _text(s.arguments[0])
            voc.claims[cid] = Claim(
                cid,
                _text(s.arguments[1]),
                paraphrases.get(cid, ""),
                tuple(quotes.get(cid, ())),
                tuple(caveats.get(cid, ())),
                record_only.get(cid),
            )
        voc.actors = tuple(_text(s.arguments[0]) for s in self.facts("actor", 1))
        positions: dict[str, list[str]] = {}
        for s in self.facts("position", 2):
            positions.setdefault(_text(s.arguments[0]), []).append(_text(s.arguments[1]))
        voc.positions = {k: tuple(v) for k, v in positions.items()}
        voc.snapshots = tuple(sorted({s.arguments[0].number for s in self._all("snapshot", 1)}))
        return voc

    def _in_order(self, name: str, arity: int) -> list[clingo.Symbol]:
        """Facts of `name/arity` in the order the files give them."""
        found = [s for s in self.facts(name, arity)]
        return sorted(
            found,
            key=lambda s: (self.index.facts[s].file, self.index.facts[s].line) if s in self.index.facts else ("", 0),
        )

    def _all(self, name: str, arity: int) -> Iterable[clingo.Symbol]:
        return (a.symbol for a in self._ctl.symbolic_atoms.by_signature(name, arity))

    # -------------------------------------------------------------- assumptions
    def _set_literal(self, key: str, value: str) -> int:
        found = self._settings.get((key, value))
        if found is None:
            found = self._settings[(key, value)] = self.literal("set", _sym(key), _sym(value))
        return found

    def literal(self, name: str, *args: clingo.Symbol) -> int:
        """The program literal of an external input atom."""
        sym = clingo.Function(name, list(args))
        try:
            return self._literals[sym]
        except KeyError:
            raise InputError(f"{sym} is not an input of this knowledge base") from None

    def assumptions(self, proposal: Proposal, world: World = BASELINE) -> list[int]:
        """The literals that put `proposal` (and `world`) into the ground program."""
        return self.complete(self.inputs(proposal, world))

    def complete(self, true: Iterable[int], free: Iterable[str] = ()) -> list[int]:
        """Assume the given input literals true and every other input false.

        Inputs whose predicate is named in `free` are left out, so the solver
        may choose them (an enumeration over them in one solve).
        """
        if free:
            on = set(true)
            loose = {lit for sym, lit in self._literals.items() if sym.name in set(free)}
            return [lit if lit in on else -lit for lit in self._inputs if lit not in loose]
        # The hot path of batch checking: copy the all-false list, flip the true ones.
        out = self._all_false.copy()
        where = self._position
        for lit in true:
            out[where[lit]] = lit
        return out

    def inputs(self, proposal: Proposal, world: World = BASELINE) -> list[int]:
        """The input literals that `proposal` and `world` make true."""
        lits = [self._set_literal(k, v) for k, v in proposal.settings]
        lits += [self.literal("open", _sym(k)) for k in proposal.open]
        if proposal.open and self._coherent is not None:
            lits.append(self._coherent)
        lits += [self.literal("rejected", _sym(c)) for c in world.rejected]
        if world.as_of is not None:
            lits.append(self.literal("as_of", clingo.Number(world.as_of)))
        lits += [self.literal("as_of", _sym(a), clingo.Number(d)) for a, d in world.actor_as_of]
        lits += [self.literal("assume_stance", _sym(a), _sym(i), _sym(p)) for a, i, p in world.stances]
        return lits

    # -------------------------------------------------------------- solving
    def solve(self, assumptions: Sequence[int], *, open_aspects: bool = False, fired: bool = False) -> Answer:
        """Solve once (or, with open aspects, twice: brave and cautious)."""
        if not open_aspects:
            shown, trace, atoms = self._solve(assumptions, "auto", fired)
            return Answer(shown, shown, trace, atoms)
        if self._coherent is not None and self._coherent in assumptions and not self.satisfiable(assumptions):
            # No coherent choice exists for some open aspect: consider every completion instead.
            assumptions = [-lit if lit == self._coherent else lit for lit in assumptions]
        if fired:
            return self._completions(assumptions)
        brave, _, _ = self._solve(assumptions, "brave", False)
        cautious, _, _ = self._solve(assumptions, "cautious", False)
        return Answer(cautious, brave)

    def _completions(self, assumptions: Sequence[int]) -> Answer:
        """Every completion of an open proposal, for explanations.

        clasp's brave and cautious modes track only shown atoms, and an
        explanation needs every atom and every rule firing; so the completions
        are enumerated (up to MAX_COMPLETIONS) and combined here.
        """
        self._configure("auto", str(MAX_COMPLETIONS))
        brave: set[clingo.Symbol] = set()
        cautious: set[clingo.Symbol] | None = None
        atoms: set[clingo.Symbol] = set()
        atoms_cautious: set[clingo.Symbol] | None = None
        trace: set[clingo.Symbol] = set()

        def on_model(model: clingo.Model) -> None:
            nonlocal cautious, atoms_cautious
            shown = set(model.symbols(shown=True))
            brave.update(shown)
            cautious = shown if cautious is None else cautious & shown
            these = set()
            for sym in model.symbols(atoms=True):
                if sym.name == FIRED:
                    trace.add(sym)
                else:
                    these.add(sym)
            atoms.update(these)
            atoms_cautious = these if atoms_cautious is None else atoms_cautious & these

        result = self.run(assumptions, on_model=on_model)
        if not result.satisfiable:
            raise InputError("the knowledge base has no answer for this proposal (its constraints reject it)")
        return Answer(
            frozenset(cautious or ()),
            frozenset(brave),
            frozenset(trace),
            frozenset(atoms),
            frozenset(atoms_cautious or ()),
        )

    def _configure(self, enum_mode: str, models: str) -> None:
        """Set clasp's enumeration mode and model count (only when they change: setting them is not free)."""
        if self._config != (enum_mode, models):
            conf = self._ctl.configuration.solve
            conf.enum_mode = enum_mode  # type: ignore[union-attr]
            conf.models = models  # type: ignore[union-attr]
            self._config = (enum_mode, models)

    def run(
        self,
        assumptions: Sequence[int],
        *,
        on_model: Callable[[clingo.Model], bool | None] | None = None,
        on_core: Callable[[Sequence[int]], None] | None = None,
    ) -> clingo.SolveResult:
        """One solve on the ground program, bounded by the engine's timeout.

        Without a timeout the solve runs in this thread (the fast path); the
        command line's signal watchdog can still stop it (see interrupt_all).
        With one, it runs in clingo's thread while this one waits.
        """
        if self.timeout is None:
            _RUNNING.add(self._ctl)
            try:
                return self._ctl.solve(assumptions=list(assumptions), on_model=on_model, on_core=on_core)
            finally:
                _RUNNING.discard(self._ctl)
                _raise_pending()
        deadline = time.monotonic() + self.timeout
        with self._ctl.solve(assumptions=list(assumptions), on_model=on_model, on_core=on_core, async_=True) as handle:
            while not handle.wait(_SLICE):
                if time.monotonic() > deadline:
                    handle.cancel()
                    raise InputError(
                        f"solving did not finish within {self.timeout:g} s",
                        key="--timeout",
                        expected="a larger --timeout, or a smaller question",
                    )
            return handle.get()

    def _solve(
        self, assumptions: Sequence[int], mode: str, fired: bool
    ) -> tuple[frozenset[clingo.Symbol], frozenset[clingo.Symbol], frozenset[clingo.Symbol]]:
        self._configure(mode, "0" if mode != "auto" else "1")
        shown: set[clingo.Symbol] = set()
        trace: set[clingo.Symbol] = set()
        atoms: set[clingo.Symbol] = set()

        def on_model(model: clingo.Model) -> None:
            nonlocal shown
            shown = set(model.symbols(shown=True))
            if fired:
                for sym in model.symbols(atoms=True):
                    (trace if sym.name == FIRED else atoms).add(sym)

        result = self.run(assumptions, on_model=on_model)
        if not result.satisfiable:
            raise InputError(
                "the knowledge base has no answer for this proposal: its constraints reject it "
                "(for a proposal with open aspects: no completion of them is coherent)"
            )
        return frozenset(shown), frozenset(trace), frozenset(atoms)

    def enumerate(self, assumptions: Sequence[int], names: set[str]) -> list[frozenset[clingo.Symbol]]:
        """Every answer set under `assumptions`, as its atoms named in `names`."""
        self._configure("auto", "0")
        found: list[frozenset[clingo.Symbol]] = []

        def on_model(model: clingo.Model) -> None:
            found.append(frozenset(s for s in model.symbols(atoms=True) if s.name in names))

        self.run(assumptions, on_model=on_model)
        return sorted(found, key=lambda atoms: sorted(map(str, atoms)))

    # -------------------------------------------------------------- optimisation
    def optimal(
        self, assumptions: Sequence[int], show: str, limit: int
    ) -> list[tuple[frozenset[clingo.Symbol], tuple[int, ...]]] | None:
        """All optimal answer sets (up to `limit`), as their `show` atoms and costs; None if unsatisfiable."""
        self._configure("auto", "0")
        conf = self._ctl.configuration.solve
        conf.opt_mode = "optN"  # type: ignore[union-attr]
        found: dict[frozenset[clingo.Symbol], tuple[int, ...]] = {}

        def on_model(model: clingo.Model) -> bool:
            if model.optimality_proven:
                atoms = frozenset(s for s in model.symbols(shown=True) if s.name == show)
                found[atoms] = tuple(model.cost)
            return len(found) < limit

        try:
            result = self.run(assumptions, on_model=on_model)
        finally:
            conf.opt_mode = "opt"  # type: ignore[union-attr]
        if result.unsatisfiable:
            return None
        return sorted(found.items(), key=lambda item: (item[1], sorted(map(str, item[0]))))

    def satisfiable(self, assumptions: Sequence[int]) -> bool:
        """Whether any answer set exists under `assumptions`."""
        self._configure("auto", "1")
        return bool(self.run(assumptions).satisfiable)

    def symbol(self, literal: int) -> clingo.Symbol:
        """The input atom of a literal."""
        if not hasattr(self, "_symbols"):
            self._symbols = {lit: sym for sym, lit in self._literals.items()}
        return self._symbols[abs(literal)]

    def literal_of(self, symbol: clingo.Symbol) -> int:
        return self._literals[symbol]

    def solve_raw(self, assumptions: Sequence[int], core: list[int]) -> bool:
        """Satisfiable under `assumptions`?  If not, `core` receives an unsatisfiable core."""
        self._configure("auto", "1")
        result = self.run(assumptions, on_core=core.extend)
        return bool(result.satisfiable)

    def core(self, assumptions: Sequence[int]) -> list[clingo.Symbol]:
        """The input atoms assumed true in an unsatisfiable core of `assumptions`."""
        by_literal = {lit: sym for sym, lit in self._literals.items()}
        core: list[int] = []
        self._configure("auto", "1")
        self.run(assumptions, on_core=core.extend)
        return sorted(by_literal[lit] for lit in core if lit in by_literal)


def _sym(name: str) -> clingo.Symbol:
    return clingo.Function(name)


def _text(sym: clingo.Symbol) -> str:
    """A symbol as plain text: strings unquoted, numbers and terms as clingo prints them."""
    if sym.type == clingo.SymbolType.String:
        return sym.string
    return str(sym)
