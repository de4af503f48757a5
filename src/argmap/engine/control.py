"""The engine: ground a knowledge base once, solve each question under assumptions.

A proposal never becomes program text.  Its components are the externals
``set(Key, Value)``, ``open(Key)`` and ``open_value(Key, Value)``; a what-if
adds ``rejected(Claim)``, ``as_of(Date)``, ``as_of(Actor, Date)`` and
``assume_stance(Actor, Issue, Position)``; a roadmap the ``phase_*`` inputs
(all declared by argmap's prelude, ``src/argmap/lp/``).  Each question is one
``solve(assumptions=...)`` on the same ground program, with every input true
or false, so nothing carries over from one question to the next.

Only the proposal's settings (``set/2``, :data:`ASSUMED`) are assumed true or
false in every solve.  Every other input is *held* false between questions
(``assign_external(False)``, which clasp treats as a fact) and released only
for a question that makes it true or leaves it open: a batch of plain
proposals then passes 73 assumptions a solve rather than 1,481 with the
shipped knowledge base, and each solve takes about a quarter less time
(``bench/bench_check.py``).  :meth:`Engine.complete` says which held inputs
a question releases (:class:`Assumptions`), and :meth:`Engine.run` releases
them, and holds again those the previous question released, before solving.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import clingo

from ..asp import program
from ..asp.program import FIRED, MessageLog, ProgramIndex
from ..asp.terms import text as text_of
from ..model.errors import InputError
from ..model.kb import PARTS, Vocabulary
from ..model.proposal import BASELINE, Proposal, World
from . import bridge, interrupts
from .kbspec import KnowledgeBase, engine_sources
from .vocabulary import read_vocabulary

#: The most completions of an open proposal whose verdicts check describes (past it, none are).
MAX_COMPLETIONS = 4096
#: How many answer sets a completion may have, on average, before completion_table gives up.
ANSWER_SETS_PER_COMPLETION = 4

#: The engine's support program for each mode.
MODES = {"judge": "support.lp", "repair": "repair.lp", "explore": "explore.lp"}
PRELUDE = ("prelude.lp", "stances.lp", "roadmap.lp")
#: The inputs assumed true or false in every solve; every other input is held false until a question
#: releases it (see the module docstring).  A proposal's settings: most of them are true in some question.
ASSUMED = frozenset({"set"})


class NoAnswerSetError(InputError):
    """The program has no answer set under the assumptions: the knowledge base's constraints reject the
    proposal (in every completion, for an open one).  An :class:`InputError`, so the command line says
    so and exits 2; a caller asking many questions may take it as an answer instead."""


class Assumptions(list[int]):
    """A question's assumption literals, with the held inputs it releases (:meth:`Engine.complete`).

    ``released``: held input literals this question frees (those assumed true
    are in the list too; the others are left to the solver).  A plain list
    given to :meth:`Engine.run` releases the held inputs it assumes true.
    """

    released: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Seekers:
    """The backend atoms :meth:`Engine._consequences` steers (see :meth:`Engine._seekers`).

    ``literal_of`` maps every atom to its program literal; ``known`` and
    ``kept`` map a non-fact literal to its two externals (marks); ``grow``
    and ``shrink`` switch the two constraints on; ``known_on`` and
    ``kept_on`` are the literals whose marks are true now.
    """

    literal_of: dict[clingo.Symbol, int]
    known: dict[int, int]
    kept: dict[int, int]
    grow: int
    shrink: int
    known_on: set[int]  # the literals whose mark is set true now
    kept_on: set[int]


@dataclass(frozen=True)
class Answer:
    """The atoms of one question's answer sets.

    For a proposal with no open aspect there is exactly one answer set, and
    ``cautious == brave``.  Otherwise ``cautious`` holds in every completion
    and ``brave`` in at least one.  With tracing, ``fired`` holds the rule
    firings and ``atoms`` every atom true in some answer set
    (``atoms_cautious``: in all; None when the same as ``atoms``).
    """

    cautious: frozenset[clingo.Symbol]
    brave: frozenset[clingo.Symbol]
    fired: frozenset[clingo.Symbol] = frozenset()
    atoms: frozenset[clingo.Symbol] = frozenset()
    atoms_cautious: frozenset[clingo.Symbol] | None = None

    @property
    def everywhere(self) -> frozenset[clingo.Symbol]:
        """Atoms true in every answer set (traced answers only)."""
        return self.atoms if self.atoms_cautious is None else self.atoms_cautious


class Engine:
    """A knowledge base, grounded once, that answers questions under assumptions."""

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        *,
        trace: bool = False,
        mode: str = "judge",
        facts: Sequence[clingo.Symbol] = (),
        timeout: float | None = None,
        ground_budget: GroundBudget | None = None,
    ) -> None:
        """Load, check and ground a knowledge base.

        `mode` "repair" or "explore" makes the proposal's components a choice
        (``lp/repair.lp``, ``lp/explore.lp``) instead of inputs; `facts` (a
        design space) are added as facts built from symbols.  `timeout`
        bounds every solve, in seconds.  `ground_budget` (for rule files
        that are not argmap's own, after their grounding probe) bounds the
        grounding here; a traced program may have at most
        :data:`TRACED_ATOMS_LIMIT` atoms once ground.

        Raises:
            InputError: a rule file is unreadable, does not parse or ground,
                its grounding runs past `ground_budget` (then the grounding
                thread is left running: the caller should exit, as the command
                line does), or breaks the knowledge-base contract.
        """
        self.kb = kb or KnowledgeBase.shipped()
        self.trace = trace
        self.mode = mode
        self.timeout = timeout
        self.root = self.kb.display_root()
        self._log = MessageLog()
        self._ctl = clingo.Control(["--warn=none"], logger=self._log, message_limit=20)
        sources = self.kb.sources()
        #: Every rule file read (absolute paths), for the engine cache's freshness check.
        self.source_paths = tuple(src.path for src in sources)
        support = engine_sources((*PRELUDE, MODES[mode]))
        interrupts.BUSY.append(1)  # a signal now is kept until clingo returns (raising in its callbacks aborts)
        try:
            self.index: ProgramIndex = program.build(
                self._ctl,
                sources,
                support,
                self._log,
                trace=trace,
                drop_externals=frozenset({("set", 2)}) if mode != "judge" else frozenset(),
                facts=facts,
                generate=bridge.generate,
            )
        finally:
            interrupts.BUSY.pop()
            interrupts.raise_pending()
        self._ground(ground_budget)
        if trace and ground_budget is not None:
            atoms = len(self._ctl.symbolic_atoms)
            if atoms > TRACED_ATOMS_LIMIT:
                raise InputError(
                    f"the knowledge base grounds to {atoms:,} atoms with its rule firings traced, "
                    f"more than the {TRACED_ATOMS_LIMIT:,} an explanation may take apart",
                    path=self._user_file(),
                    expected="rules whose grounding is small (explanations trace every rule firing)",
                )
        self._literals: dict[clingo.Symbol, int] = {}
        for atom in self._ctl.symbolic_atoms:
            if atom.is_external:
                self._literals[atom.symbol] = atom.literal
        self._inputs = sorted(set(self._literals.values()))
        self._config: tuple[str, str] | None = None
        self._coherent = self._literals.get(clingo.Function("coherent_only"))
        self._settings: dict[tuple[str, str], int] = {}
        assumed = sorted({lit for sym, lit in self._literals.items() if sym.name in ASSUMED})
        self._held = frozenset(self._inputs) - frozenset(assumed)
        for lit in self._inputs:
            self._ctl.assign_external(lit, False if lit in self._held else None)
        self._released: frozenset[int] = frozenset()
        self._all_false = [-lit for lit in assumed]
        self._position = {lit: i for i, lit in enumerate(assumed)}
        self._is_input = frozenset(self._inputs)
        self._symbols: dict[int, clingo.Symbol] | None = None
        self._seek: _Seekers | None = None  # the rules _consequences steers, once it is first asked
        self.vocabulary: Vocabulary = read_vocabulary(self.facts, self.index, self.possible)
        self._check_shown()

    @property
    def files(self) -> list[str]:
        """The knowledge base's rule files, as shown in messages."""
        return list(self.index.files)

    def _user_file(self) -> str | None:
        """The rule file a message about the user's rules names: the last layer, else the entry file."""
        files = [*self.kb.layers] or [*self.kb.files]
        return files[-1] if files else None

    def _ground(self, budget: GroundBudget | None = None) -> None:
        """Ground in a helper thread while this one waits in slices, so that a signal
        ends a long grounding (clingo's grounder cannot be interrupted, but the
        process can still exit; the helper thread dies with it).  Past `budget`'s
        deadline the wait ends with an error and the grounding is abandoned."""
        failure: list[BaseException] = []
        deadline = None if budget is None else time.monotonic() + budget.remaining()

        def work() -> None:
            try:
                self._ctl.ground([("base", [])])
            except BaseException as exc:
                failure.append(exc)

        worker = threading.Thread(target=work, name="argmap-ground", daemon=True)
        interrupts.GROUNDING.append(1)
        worker.start()
        while worker.is_alive():
            worker.join(interrupts.SLICE)
            if deadline is not None and budget is not None and worker.is_alive() and time.monotonic() > deadline:
                # GROUNDING stays marked, so the command line exits without waiting for the thread; the
                # Control is kept alive for the thread that still grounds in it (freeing it would crash).
                _ABANDONED.append(self._ctl)
                raise InputError(
                    f"grounding did not finish within {budget.seconds:g} s "
                    f"(its check in a child process took {budget.used:.1f} s of them)",
                    path=self._user_file(),
                    key="--timeout",
                    expected="a larger --timeout, or rules whose grounding is finite and small",
                )
        interrupts.GROUNDING.pop()
        if failure:
            if isinstance(failure[0], RuntimeError):
                raise self._log.error("the knowledge base does not ground") from None
            raise failure[0]

    def _check_shown(self) -> None:
        """A declared verdict that the program hides would read as false everywhere: refuse it."""
        shows = self.index.shows
        if shows is None:
            return
        needed = [(spec.name, 0 if spec.kind == "bool" else 1) for spec in self.vocabulary.registry]
        needed.append(("reason", 4))
        for name, arity in needed:
            if (name, arity) not in shows:
                raise InputError(
                    f"{name}/{arity} is not shown, so argmap cannot read it",
                    key="#show",
                    expected=f"#show {name}/{arity}. beside the other #show statements",
                )

    # -------------------------------------------------------------- facts
    def facts(self, name: str, arity: int) -> list[clingo.Symbol]:
        """The atoms of `name/arity` that are facts of the ground program, sorted."""
        return sorted(a.symbol for a in self._ctl.symbolic_atoms.by_signature(name, arity) if a.is_fact)

    def possible(self, name: str, arity: int) -> bool:
        """Whether any atom of `name/arity` occurs in the ground program."""
        return any(True for _ in self._ctl.symbolic_atoms.by_signature(name, arity))

    def atoms(self, name: str, arity: int) -> list[clingo.Symbol]:
        """Every atom of `name/arity` in the ground program (true in some answer set or not), sorted."""
        return sorted(a.symbol for a in self._ctl.symbolic_atoms.by_signature(name, arity))

    def require(self, part: str, what: str) -> None:
        """Raise InputError when the knowledge base lacks an optional part that `what` needs."""
        if part not in self.vocabulary.parts:
            raise InputError(
                f"{what} needs the knowledge base's {part} part, which this knowledge base does not define",
                expected=f"{PARTS[part]} (see docs/knowledge-base.md, 'Optional parts')",
            )

    # -------------------------------------------------------------- assumptions
    def literal(self, name: str, *args: clingo.Symbol) -> int:
        """The program literal of an external input atom.

        Raises:
            InputError: the atom is not an input of this knowledge base.
        """
        sym = clingo.Function(name, list(args))
        try:
            return self._literals[sym]
        except KeyError:
            raise InputError(f"{sym} is not an input of this knowledge base") from None

    def has_input(self, sym: clingo.Symbol) -> bool:
        return sym in self._literals

    def _set_literal(self, key: str, value: str) -> int:
        found = self._settings.get((key, value))
        if found is None:
            found = self._settings[(key, value)] = self.literal("set", _sym(key), _sym(value))
        return found

    def assumptions(self, proposal: Proposal, world: World = BASELINE) -> list[int]:
        """The literals that put `proposal` (and `world`) into the ground program."""
        return self.complete(self.inputs(proposal, world))

    def complete(self, true: Iterable[int], free: Iterable[str] = ()) -> Assumptions:
        """Assume the given input literals true and every other input false.

        Inputs whose predicate is named in `free` are left out, so the solver
        may choose them (an enumeration over them in one solve).  Held inputs
        (all but :data:`ASSUMED`) that are true or free are released for this
        question (``released``); the rest stay held false and are not listed.

        Raises:
            KeyError: a literal in `true` is not an input.
        """
        held = self._held
        if free:
            on = set(true)
            names = set(free)
            loose = {lit for sym, lit in self._literals.items() if sym.name in names}
            out = Assumptions(lit if lit in on else -lit for lit in self._position if lit not in loose)
            raised = sorted(lit for lit in on if lit in held and lit not in loose)
            out += raised
            out.released = frozenset(raised) | (loose & held)
            return out
        # The hot path of batch checking: copy the all-false list, flip the true ones.
        out = Assumptions(self._all_false)
        where = self._position
        raised = []
        for lit in true:
            at = where.get(lit)
            if at is not None:
                out[at] = lit
            elif lit in held:
                raised.append(lit)
            else:
                raise KeyError(lit)
        if raised:
            out += raised
            out.released = frozenset(raised)
        return out

    def inputs(self, proposal: Proposal, world: World = BASELINE) -> list[int]:
        """The input literals that `proposal` and `world` make true."""
        lits = [self._set_literal(k, v) for k, v in proposal.settings]
        if proposal.open:
            lits += [self.literal("open", _sym(k)) for k in proposal.open]
            lits += [self.literal("open_value", _sym(k), _sym(v)) for k, v in proposal.open_values]
            if self._coherent is not None:
                lits.append(self._coherent)
        lits += [self.literal("rejected", _sym(c)) for c in world.rejected]
        as_of = world.as_of if world.as_of is not None else proposal.date
        if as_of is not None or world.actor_as_of or world.stances:
            self.require("stances", "reading stances as of a date, or changing one")
        if as_of is not None:
            lits.append(self.literal("as_of", clingo.Number(as_of)))
        lits += [self.literal("as_of", _sym(a), clingo.Number(d)) for a, d in world.actor_as_of]
        lits += [self.literal("assume_stance", _sym(a), _sym(i), _sym(p)) for a, i, p in world.stances]
        return lits

    # -------------------------------------------------------------- solving
    def solve(self, assumptions: Sequence[int], *, open_aspects: bool = False, fired: bool = False) -> Answer:
        """Solve once (or, with open aspects, twice: brave and cautious).

        Raises:
            InputError: no answer set (the knowledge base's constraints reject
                the proposal), or the solve ran out of time.
        """
        if not open_aspects:
            shown, trace, atoms = self._solve(assumptions, "auto", fired)
            return Answer(shown, shown, trace, atoms)
        if self._coherent is not None and self._coherent in assumptions and not self.satisfiable(assumptions):
            # No coherent choice exists for some open aspect: consider every completion instead.
            assumptions = self._incoherent(assumptions)
        if fired:
            return self._completions(assumptions)
        brave, _, _ = self._solve(assumptions, "brave", False)
        cautious, _, _ = self._solve(assumptions, "cautious", False)
        return Answer(cautious, brave)

    def _completions(self, assumptions: Sequence[int]) -> Answer:
        """Every completion of an open proposal, for explanations: what holds in some and in all.

        clasp's brave and cautious modes give the shown atoms; an explanation
        needs every atom and every rule firing, which they do not track.  So
        those are found by :meth:`_consequences`, a model at a time, each asked
        to differ from what is known: exact over every completion, in as many
        solves as it takes to grow the union and shrink the intersection (tens,
        where completions number thousands), not one model read per completion.

        Raises:
            InputError: no answer set (the constraints reject every completion), or the timeout.
        """
        brave, _, _ = self._solve(assumptions, "brave", False)
        cautious, _, _ = self._solve(assumptions, "cautious", False)
        some, every = self._consequences(assumptions)
        fired = frozenset(sym for sym in some if sym.name == FIRED)
        return Answer(
            cautious,
            brave,
            fired,
            some - fired,
            frozenset(sym for sym in every if sym.name != FIRED),
        )

    def _consequences(self, assumptions: Sequence[int]) -> tuple[frozenset[clingo.Symbol], frozenset[clingo.Symbol]]:
        """Every atom true in some answer set under `assumptions`, and every atom true in all.

        The usual loop for brave and cautious consequences (clasp runs it on
        shown atoms): take a model; then, while one exists, ask for a model
        with an atom outside the union found so far, and likewise for a model
        without some atom of the intersection.  "Outside the union" is asked
        through rules added once per engine (:meth:`_seekers`), steered by
        externals set between solves: nothing is added per question, so a
        long-lived engine (``argmap serve``) neither grows nor slows.  Each
        model is read once, as program literals.

        Raises:
            InputError: no answer set, or the timeout.
        """
        seek = self._seekers()
        literal_of = seek.literal_of
        found: list[set[int]] = []

        def on_model(model: clingo.Model) -> None:
            found.append({literal_of[sym] for sym in model.symbols(atoms=True)})

        given = Assumptions(assumptions)
        given.released = getattr(assumptions, "released", self._held.intersection(assumptions))

        def model() -> set[int] | None:
            found.clear()
            self._configure("auto", "1")
            return found[-1] if self.run(given, on_model=on_model).satisfiable else None

        first = model()
        if first is None:
            raise NoAnswerSetError("the knowledge base has no answer for this proposal (its constraints reject it)")
        some, every = set(first), set(first)
        # grow: some atom not marked known is true; shrink: some atom marked kept is false
        for growing, marks, on in ((True, seek.known, seek.known_on), (False, seek.kept, seek.kept_on)):
            switch = seek.grow if growing else seek.shrink
            target = some if growing else every
            self._mark(marks, on, on - target, False)
            self._mark(marks, on, target - on, True)
            self._ctl.assign_external(switch, True)
            try:
                while True:
                    other = model()
                    if other is None:
                        break
                    if growing:
                        self._mark(marks, on, other - some, True)
                    else:
                        self._mark(marks, on, every - other, False)
                    some |= other
                    every &= other
            finally:
                self._ctl.assign_external(switch, False)
        symbols_of: dict[int, list[clingo.Symbol]] = {}
        for sym, lit in literal_of.items():
            symbols_of.setdefault(lit, []).append(sym)
        return (
            frozenset(sym for lit in some for sym in symbols_of[lit]),
            frozenset(sym for lit in every for sym in symbols_of[lit]),
        )

    def _mark(self, marks: dict[int, int], on: set[int], lits: Iterable[int], value: bool) -> None:
        """Set the marks of `lits` (those that have one) to `value`, and record it in `on`.

        A mark keeps its value between questions (it constrains nothing while
        its switch is off), so a question sets only the marks that differ
        from the last one's: changing an external's value is not free.
        """
        assign = self._ctl.assign_external
        for lit in lits:
            if lit in marks:
                assign(marks[lit], value)
                if value:
                    on.add(lit)
                else:
                    on.discard(lit)

    def _seekers(self) -> _Seekers:
        """The rules :meth:`_consequences` steers, added through the backend on its first call.

        Two externals ``grow`` and ``shrink``, held false; for each atom's
        literal ``a`` that is not a fact, externals ``known_a`` and ``kept_a``
        (marks), ``new :- a, not known_a.`` and ``drop :- kept_a, not a.``;
        then ``:- grow, not new.`` and ``:- shrink, not drop.``  A question
        sets a switch true for its phase and the marks to what it has found.
        While both switches are false nothing is constrained, whatever the
        marks, so the engine's other questions keep their answers and their
        number of answer sets.
        """
        if self._seek is not None:
            return self._seek
        atoms = self._ctl.symbolic_atoms
        literal_of = {atom.symbol: atom.literal for atom in atoms}
        open_literals = sorted({atom.literal for atom in atoms if not atom.is_fact})
        known: dict[int, int] = {}
        kept: dict[int, int] = {}
        with self._ctl.backend() as backend:

            def external() -> int:
                atom = backend.add_atom()
                backend.add_external(atom, clingo.TruthValue.False_)
                return atom

            new, drop = backend.add_atom(), backend.add_atom()
            grow, shrink = external(), external()
            for lit in open_literals:
                known[lit], kept[lit] = external(), external()
                backend.add_rule([new], [lit, -known[lit]])
                backend.add_rule([drop], [kept[lit], -lit])
            backend.add_rule([], [grow, -new])
            backend.add_rule([], [shrink, -drop])
        self._seek = _Seekers(literal_of, known, kept, grow, shrink, set(), set())
        return self._seek

    def completion_table(
        self, assumptions: Sequence[int], keys: Iterable[str]
    ) -> tuple[list[tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]], int]:
        """Each completion of an open proposal: its open components' values and its verdicts' values.

        One clingo enumeration under `assumptions`; each answer set is read
        through the program literals of ``has(Key, Value)`` for the open
        `keys` and of the engine's ``__value(Verdict, Value)``, not through
        its atoms, and answer sets that agree on them are one row.  Returns
        the rows, sorted, and 0; or, when the enumeration stops before it is
        exhausted (past :data:`MAX_COMPLETIONS` rows, or
        :data:`ANSWER_SETS_PER_COMPLETION` times as many answer sets), no rows
        and that limit: a part of them would describe the rest wrongly, and
        which part depends on the solver's state.  (Not a projected
        enumeration: a ``#project`` directive would change the brave and
        cautious consequences of every later question on the engine.)
        """
        if self._coherent is not None and self._coherent in assumptions and not self.satisfiable(assumptions):
            assumptions = self._incoherent(assumptions)
        wanted = {_sym(k) for k in keys}
        atoms = self._ctl.symbolic_atoms
        has = [
            ((text_of(a.symbol.arguments[0]), text_of(a.symbol.arguments[1])), a.literal)
            for a in atoms.by_signature("has", 2)
            if a.symbol.arguments[0] in wanted
        ]
        values = [
            ((text_of(a.symbol.arguments[0]), text_of(a.symbol.arguments[1])), a.literal)
            for a in atoms.by_signature("__value", 2)
        ]
        limit = MAX_COMPLETIONS
        self._configure("auto", "0")
        rows: set[tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]] = set()
        count = 0

        def on_model(model: clingo.Model) -> bool:
            nonlocal count
            count += 1
            rows.add(
                (
                    frozenset(kv for kv, lit in has if model.is_true(lit)),
                    frozenset(vx for vx, lit in values if model.is_true(lit)),
                )
            )
            return len(rows) <= limit and count <= ANSWER_SETS_PER_COMPLETION * limit

        result = self.run(assumptions, on_model=on_model)
        if not result.satisfiable:
            raise NoAnswerSetError("the knowledge base has no answer for this proposal (its constraints reject it)")
        if not result.exhausted:
            return [], limit
        ordered = sorted(rows, key=lambda row: (sorted(row[0]), sorted(row[1])))
        return ordered, 0

    def configure(self, **settings: str) -> None:
        """Set clasp's solve options (enum_mode, models, opt_mode, project) for the next solves."""
        conf = self._ctl.configuration.solve
        for key, value in settings.items():
            setattr(conf, key, value)
        self._config = None

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
        command line's signal watchdog can still stop it (see
        :func:`argmap.engine.interrupts.interrupt_all`).  With one, it runs in
        clingo's thread while this one waits.

        Raises:
            InputError: the solve did not finish within the timeout.
        """
        released = getattr(assumptions, "released", None)
        if released is None:  # a list not made by complete(): it releases the held inputs it assumes true
            released = self._held.intersection(assumptions)
        if released != self._released:
            self._release(released)
        if self.timeout is None:
            interrupts.RUNNING.add(self._ctl)
            try:
                # a list is passed as it is (clingo only reads it): copying the batch path's ~1,500 literals is not free
                given = assumptions if isinstance(assumptions, list) else list(assumptions)
                return self._ctl.solve(assumptions=given, on_model=on_model, on_core=on_core)
            finally:
                interrupts.RUNNING.discard(self._ctl)
                interrupts.raise_pending()
        deadline = time.monotonic() + self.timeout
        with self._ctl.solve(assumptions=list(assumptions), on_model=on_model, on_core=on_core, async_=True) as handle:
            while not handle.wait(interrupts.SLICE):
                if time.monotonic() > deadline:
                    handle.cancel()
                    raise InputError(
                        f"solving did not finish within {self.timeout:g} s",
                        key="--timeout",
                        expected="a larger --timeout, or a smaller question",
                    )
            result = handle.get()
            if on_core is not None and result.unsatisfiable:
                on_core(handle.core())  # clingo calls on_core only for a solve in this thread
            return result

    def _incoherent(self, assumptions: Sequence[int]) -> Assumptions:
        """`assumptions` with ``coherent_only`` assumed false (the inputs it releases kept)."""
        out = Assumptions(-lit if lit == self._coherent else lit for lit in assumptions)
        released = getattr(assumptions, "released", None)
        out.released = self._held.intersection(out) if released is None else released
        return out

    def _release(self, released: frozenset[int]) -> None:
        """Free the held inputs in `released`; hold false again those the last question freed and this one does not."""
        assign = self._ctl.assign_external
        for lit in self._released - released:
            assign(lit, False)
        for lit in released - self._released:
            assign(lit, None)
        self._released = released

    def _solve(
        self, assumptions: Sequence[int], mode: str, fired: bool
    ) -> tuple[frozenset[clingo.Symbol], frozenset[clingo.Symbol], frozenset[clingo.Symbol]]:
        self._configure(mode, "0" if mode != "auto" else "1")
        shown: frozenset[clingo.Symbol] = _NOTHING
        trace: set[clingo.Symbol] = set()
        atoms: set[clingo.Symbol] = set()

        def on_model(model: clingo.Model) -> None:
            nonlocal shown
            shown = frozenset(model.symbols(shown=True))
            if fired:
                trace.clear()
                atoms.clear()
                for sym in model.symbols(atoms=True):
                    (trace if sym.name == FIRED else atoms).add(sym)

        result = self.run(assumptions, on_model=on_model)
        if not result.satisfiable:
            raise NoAnswerSetError(
                "the knowledge base has no answer for this proposal: its constraints reject it "
                "(for a proposal with open aspects: no completion of them is coherent)"
            )
        if not fired:
            return shown, _NOTHING, _NOTHING
        return shown, frozenset(trace), frozenset(atoms)

    def enumerate(self, assumptions: Sequence[int], names: set[str]) -> list[frozenset[clingo.Symbol]]:
        """Every answer set under `assumptions`, as its shown atoms named in `names`, sorted."""
        self._configure("auto", "0")
        found: list[frozenset[clingo.Symbol]] = []

        def on_model(model: clingo.Model) -> None:
            found.append(frozenset(s for s in model.symbols(atoms=True) if s.name in names))

        self.run(assumptions, on_model=on_model)
        return sorted(found, key=lambda atoms: sorted(map(str, atoms)))

    def optimal(
        self, assumptions: Sequence[int], show: str, limit: int
    ) -> list[tuple[frozenset[clingo.Symbol], tuple[int, ...]]] | None:
        """All optimal answer sets (up to `limit`), as their shown `show` atoms and costs; None if unsatisfiable."""
        self._configure("auto", "0")
        conf = self._ctl.configuration.solve
        conf.opt_mode = "optN"  # type: ignore[union-attr]
        found: dict[frozenset[clingo.Symbol], tuple[int, ...]] = {}
        # Which `limit` of many tied optima clingo finds first depends on what the solver learnt in earlier
        # solves: collect up to OPTIMA_CAP of them and keep the first `limit` in a fixed order, so that the
        # same question gives the same answer in a long-lived engine (argmap serve) as in a fresh one.
        cap = max(limit, OPTIMA_CAP)

        def on_model(model: clingo.Model) -> bool:
            if model.optimality_proven:
                atoms = frozenset(s for s in model.symbols(shown=True) if s.name == show)
                found[atoms] = tuple(model.cost)
            return len(found) < cap

        try:
            result = self.run(assumptions, on_model=on_model)
        finally:
            conf.opt_mode = "opt"  # type: ignore[union-attr]
        if result.unsatisfiable:
            return None
        return sorted(found.items(), key=lambda item: (item[1], sorted(map(str, item[0]))))[:limit]

    def satisfiable(self, assumptions: Sequence[int]) -> bool:
        """Whether any answer set exists under `assumptions`."""
        self._configure("auto", "1")
        return bool(self.run(assumptions).satisfiable)

    def symbol(self, literal: int) -> clingo.Symbol:
        """The input atom of a literal."""
        if self._symbols is None:
            self._symbols = {lit: sym for sym, lit in self._literals.items()}
        return self._symbols[abs(literal)]

    def solve_raw(self, assumptions: Sequence[int], core: list[int]) -> bool:
        """Satisfiable under `assumptions`?  If not, `core` receives an unsatisfiable core."""
        self._configure("auto", "1")
        result = self.run(assumptions, on_core=core.extend)
        return bool(result.satisfiable)

    def core(self, assumptions: Sequence[int]) -> list[clingo.Symbol]:
        """The input atoms assumed true in an unsatisfiable core of `assumptions`."""
        core: list[int] = []
        self._configure("auto", "1")
        self.run(assumptions, on_core=core.extend)
        return sorted(self.symbol(lit) for lit in core if lit in self._is_input)

    def literal_of(self, symbol: clingo.Symbol) -> int:
        return self._literals[symbol]


#: The most atoms a traced program (explain) may ground to when its rule files are not argmap's own: the
#: shipped knowledge base has about 5,000; each atom is a Python object when an explanation is taken apart.
TRACED_ATOMS_LIMIT = 1_000_000
#: Controls whose grounding was abandoned at the deadline, kept alive while their threads run on.
_ABANDONED: list[clingo.Control] = []
#: Seconds of grounding allowed here beyond what the probe left of the budget: argmap's own parts,
#: which the probe does not count, and the difference between two groundings of one program.
GROUND_SLACK = 5.0


@dataclass(frozen=True)
class GroundBudget:
    """The time for grounding rule files that are not argmap's own: `seconds` in all (``--timeout``, else
    the default), of which the grounding probe in a child process used `used`."""

    seconds: float
    used: float

    def remaining(self) -> float:
        """Seconds left for grounding the same program here (never less than the slack)."""
        return max(self.seconds - self.used, 0.0) + GROUND_SLACK


#: How many tied optimal answer sets :meth:`Engine.optimal` collects before it picks the first it returns.
OPTIMA_CAP = 1000

#: The empty set of atoms (an untraced answer's rule firings and atoms).
_NOTHING: frozenset[clingo.Symbol] = frozenset()


def _sym(name: str) -> clingo.Symbol:
    return clingo.Function(name)
