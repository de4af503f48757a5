"""Grounding rule files that are not argmap's own under a hard limit, in a child process.

clingo cannot interrupt grounding from inside a process, so a rule such as
``p(X) :- X = 1..100000000.``, an unbounded recursion or a huge join would hang
argmap or exhaust memory.  Before argmap grounds a knowledge base that is not
the one it ships (``--kb``, ``--layer``, a project config), it grounds exactly
the same program once in a child process:

- the child builds the program as the engine will (the same files, tracing,
  mode and extra facts, :func:`argmap.asp.program.collect`);
- it grounds it part by part in dependency order (:mod:`argmap.asp.deps`), so
  every part is complete when ground and the order of statements in a file
  does not matter, and reports each part before grounding it: when the limit
  is hit, the parent names the rule that blew up;
- it runs under a memory limit (the lower of ``MEMORY_MB`` and any inherited
  limit) and a CPU limit, and dies with its parent (``PR_SET_PDEATHSIG``).

Two clocks bound the child.  The user's time limit (``--timeout``, default
60 s) counts only the grounding of parts that the knowledge base's own rule
files can influence: a part with a statement from a file that is not argmap's
(its prelude, or the knowledge base it ships), or one that reads a predicate
such a part defines.  Starting Python, reading and parsing the files, and
grounding parts of argmap's own files that nothing else feeds (the same work
for every knowledge base, and bounded) count against a fixed overhead
(:data:`LOAD_SECONDS` of the child's CPU time, where ``/proc`` shows it, so
that a loaded machine does not make it run out; :data:`LOAD_WALL_SECONDS` of
wall time in any case).  So no rule
file makes the probe run longer than the timeout plus a fixed overhead, and
the probe never blames a rule of argmap's own for the time its start-up took.

Only when the child finishes does the engine ground the program itself.

A process remembers the probes that passed (:func:`passed_key`): the same
program, as the child would build it, with the same settings and limits, is
not probed again.  The key is built from the text of every file read (a
SHA-256 of each), never from names or modification times, so a file that
changed in any byte is probed again; a probe that failed, or could not start,
is never remembered.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence

import clingo

from ..asp.source import SourceFile
from ..model.errors import InputError
from .kbspec import KnowledgeBase

#: Defaults for a probe: seconds of grounding, and megabytes of address space.
GROUND_SECONDS = 60.0
MEMORY_MB = 4096
#: How long the child may take to start (import Python and clingo): not counted, and if it cannot
#: start at all the probe is skipped (the normal load then reports what it can).
START_SECONDS = 60.0
#: The fixed overhead: reading and parsing the rule files, and grounding the parts of argmap's own
#: files that no rule of the knowledge base feeds; in CPU seconds of the child where the platform
#: shows them (a loaded machine stretches wall time, not work), and a wall-clock limit behind it.
LOAD_SECONDS = 30.0
LOAD_WALL_SECONDS = 300.0
#: How often the parent looks at the child's progress.
_POLL = 0.02
#: How many passed probes a process remembers (the least recently used go first).
PASSED_LIMIT = 256

_PASSED: OrderedDict[str, float] = OrderedDict()
_PASSED_LOCK = threading.Lock()


def probe(
    kb: KnowledgeBase,
    *,
    timeout: float | None = None,
    trace: bool = False,
    mode: str = "judge",
    facts: Sequence[clingo.Symbol] = (),
    memory_mb: int = MEMORY_MB,
) -> float | None:
    """Ground `kb` (as an Engine with these settings would) in a child process.

    Returns the wall seconds the child spent grounding parts that the knowledge
    base's own rule files influence (what counts against `timeout`), or None
    when the child could not start (no verdict on the rules).

    Raises:
        InputError: a rule file cannot be read; or grounding did not finish
            within `timeout` seconds, or ran out of memory, naming the file,
            line and text of the rule that was being ground.
    """
    sources = kb.sources()  # an unreadable or refused file is reported at once, without starting a child
    seconds = timeout or GROUND_SECONDS
    key = passed_key(sources, seconds=seconds, trace=trace, mode=mode, facts=facts, memory_mb=memory_mb)
    with _PASSED_LOCK:
        if key in _PASSED:
            _PASSED.move_to_end(key)
            return _PASSED[key]
    used = _run_probe(kb, seconds=seconds, trace=trace, mode=mode, facts=facts, memory_mb=memory_mb)
    if used is None:
        return None  # no verdict on the rules: not remembered
    with _PASSED_LOCK:
        _PASSED[key] = used
        while len(_PASSED) > PASSED_LIMIT:
            _PASSED.popitem(last=False)
    return used


def passed_key(
    sources: Sequence[SourceFile],
    *,
    seconds: float,
    trace: bool = False,
    mode: str = "judge",
    facts: Sequence[clingo.Symbol] = (),
    memory_mb: int = MEMORY_MB,
) -> str:
    """What decides a probe's outcome, as a hex SHA-256: for each file read (`sources`, in order, then
    argmap's prelude and the mode's support program) a digest of its text, whether it is argmap's
    own (which clock its grounding counts against) and the name messages show; the settings; the
    limits (`seconds`, `memory_mb`, the overheads, and the memory and CPU limits this process
    passes on to a child).  Two probes with one key ground the same program under the same limits.

    Raises:
        InputError: argmap's own support files cannot be read.
    """
    import resource

    from .control import MODES, PRELUDE
    from .kbspec import engine_sources

    support = engine_sources((*PRELUDE, MODES[mode]) if mode in MODES else PRELUDE)
    trusted = _trusted_files(support)
    digest = hashlib.sha256()
    parts: list[object] = [
        [trace, mode, [str(f) for f in facts], float(seconds), memory_mb],
        [START_SECONDS, LOAD_SECONDS, LOAD_WALL_SECONDS],
        [list(resource.getrlimit(which)) for which in (resource.RLIMIT_AS, resource.RLIMIT_CPU)],
    ]
    for src in (*sources, *support):
        own = src.path in trusted or os.path.realpath(src.path) in trusted
        parts.append([own, src.shown, hashlib.sha256(src.text.encode("utf-8", "surrogatepass")).hexdigest()])
    digest.update(json.dumps(parts).encode("utf-8"))
    return digest.hexdigest()


def forget_passed() -> None:
    """Forget every passed probe (the next probe of any program runs its child again)."""
    with _PASSED_LOCK:
        _PASSED.clear()


def _run_probe(
    kb: KnowledgeBase, *, seconds: float, trace: bool, mode: str, facts: Sequence[clingo.Symbol], memory_mb: int
) -> float | None:
    """Run the child for one probe (see :func:`probe`): the seconds on the user's clock if it finished,
    None if it could not start.

    Raises:
        InputError: as :func:`probe`.
    """
    spec = {
        "files": [os.path.abspath(f) for f in kb.files],
        "layers": [os.path.abspath(f) for f in kb.layers],
        "root": os.path.abspath(kb.base_root()),
        "trace": trace,
        "mode": mode,
        "facts": [str(f) for f in facts],
        "memory_mb": memory_mb,
        "cpu_seconds": int(seconds + START_SECONDS + LOAD_SECONDS) + 5,
        "parent": os.getpid(),
    }
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_package_parent(), env.get("PYTHONPATH")) if p)
    child = subprocess.Popen(
        [sys.executable, "-m", "argmap.engine.guard"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
    )
    events: list[tuple[float, float | None, dict[str, object]]] = []

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                events.append((time.monotonic(), _cpu_seconds(child.pid), event))

    reader = threading.Thread(target=read, name="argmap-guard", daemon=True)
    reader.start()
    begin = time.monotonic()
    try:
        assert child.stdin is not None
        try:
            child.stdin.write(json.dumps(spec))
            child.stdin.close()
        except OSError:
            pass  # the child is gone already: its exit status says why
        while child.poll() is None:
            clock = _Clocks(events, time.monotonic(), _cpu_seconds(child.pid))
            if clock.started is None and time.monotonic() - begin > START_SECONDS:
                return None  # the child could not even start: let the normal load report what it can
            if clock.user > seconds or clock.overhead > LOAD_SECONDS or clock.overhead_wall > LOAD_WALL_SECONDS:
                child.kill()
                child.wait()
                reader.join(1)
                raise _too_long(clock, seconds)
            time.sleep(_POLL)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    reader.join(1)
    seen = {str(event.get("event")): event for _, _, event in events}
    if "done" in seen or child.returncode == 0:
        done = [at for at, _, event in events if event.get("event") == "done"]
        return _Clocks(events, done[0] if done else time.monotonic(), None).user
    if "started" not in seen:
        return None  # it could not start (an inherited limit too low for Python itself): no verdict on the rules
    where = _Clocks(events, time.monotonic(), None).marker
    limit = int(seen["started"].get("memory_mb", memory_mb))  # type: ignore[call-overload]
    if child.returncode == -signal.SIGXCPU:
        reason = "used more CPU time than allowed"
    else:
        reason = f"ran out of memory (limit {limit} MB)"
    raise InputError(
        f"grounding {reason}" + (f" at the rule {where[2]}" if where else ""),
        path=where[0] if where else None,
        line=where[1] if where else None,
        expected="rules whose grounding is finite and small",
    )


class _Clocks:
    """The child's progress read from its events: time on the user's clock (wall seconds) and on the
    overhead clock (CPU seconds of the child where known, else wall seconds; and wall seconds
    always, for the wall-clock limit), and the last part it reported."""

    def __init__(
        self, events: list[tuple[float, float | None, dict[str, object]]], now: float, cpu: float | None
    ) -> None:
        self.user = self.overhead = self.overhead_wall = 0.0
        self.started: float | None = None
        self.marker: tuple[str, int, str] | None = None
        self.user_marker: tuple[str, int, str] | None = None
        self.loading = True
        seen = list(events)  # the reader thread appends; a copy is coherent
        for n, (at, used, event) in enumerate(seen):
            end, used_end = (seen[n + 1][0], seen[n + 1][1]) if n + 1 < len(seen) else (now, cpu)
            wall = end - at
            spent = used_end - used if used is not None and used_end is not None else wall
            kind = event.get("event")
            if kind == "started":
                self.started = at
                self.overhead += spent
                self.overhead_wall += wall
            elif kind == "grounding":
                self.loading = False
                self.marker = (str(event["path"]), int(event["line"]), str(event["rule"]))  # type: ignore[call-overload]
                if event.get("counted"):
                    self.user += wall
                    self.user_marker = self.marker
                else:
                    self.overhead += spent
                    self.overhead_wall += wall


def _cpu_seconds(pid: int) -> float | None:
    """The CPU time (user and system) process `pid` has used, from /proc; None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _too_long(clock: _Clocks, seconds: float) -> InputError:
    if clock.user > seconds:
        where = clock.user_marker
        return InputError(
            f"grounding did not finish within {seconds:g} s" + (f" (at the rule {where[2]})" if where else ""),
            path=where[0] if where else None,
            line=where[1] if where else None,
            expected="rules whose grounding is finite and small (bound every variable by a finite domain)",
        )
    if clock.loading:
        return InputError(
            f"reading the rule files did not finish within {LOAD_SECONDS:g} s",
            expected="rule files of a reasonable size (pools such as p(1;2;3) multiply: each unfolds into rules)",
        )
    where = clock.marker
    return InputError(
        f"grounding did not finish within {LOAD_SECONDS:g} s" + (f" (at the rule {where[2]})" if where else ""),
        path=where[0] if where else None,
        line=where[1] if where else None,
        expected="rules whose grounding is finite and small",
    )


def _package_parent() -> str:
    """The folder that holds the argmap package (so the child imports this very copy)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# ---------------------------------------------------------------- the child
def _limit(memory_mb: int, cpu_seconds: int) -> int:
    """Memory and CPU limits (never above an inherited limit), and death with the parent;
    the memory limit in force, in MB."""
    import resource

    _die_with_parent()
    for which, wanted in ((resource.RLIMIT_AS, memory_mb * 1024 * 1024), (resource.RLIMIT_CPU, cpu_seconds)):
        soft, hard = resource.getrlimit(which)
        cap = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        if soft != resource.RLIM_INFINITY:
            cap = min(cap, soft)
        try:
            resource.setrlimit(which, (cap, hard))
        except (ValueError, OSError):
            pass
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return memory_mb if soft == resource.RLIM_INFINITY else soft // (1024 * 1024)


def _die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux; elsewhere nothing)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child() -> int:
    spec = json.loads(sys.stdin.read())
    limit = _limit(spec["memory_mb"], spec["cpu_seconds"])
    if os.getppid() != spec["parent"]:
        return 1  # the parent died before the kernel could be told to end this process with it
    _say("started", memory_mb=limit)
    from clingo import ast

    from ..asp import deps, program
    from . import bridge
    from .control import MODES, PRELUDE
    from .kbspec import engine_sources

    kb = KnowledgeBase(tuple(spec["files"]), tuple(spec["layers"]), spec["root"])
    log = program.MessageLog()
    try:
        sources = kb.sources()
        support = engine_sources((*PRELUDE, MODES[spec["mode"]]))
        _, statements = program.collect(
            sources,
            support,
            log,
            trace=spec["trace"],
            drop_externals=frozenset({("set", 2)}) if spec["mode"] != "judge" else frozenset(),
            facts=[clingo.parse_term(f) for f in spec["facts"]],
            generate=bridge.generate,
        )
    except (InputError, RuntimeError):
        _say("done")  # not ours to report: the normal load reports it with its position
        return 0
    except MemoryError:
        _say("memory")
        return 3
    # parse() copies each file to a temporary path, in the order given, and logs it: temporary path -> file.
    real = dict(zip(log.names, [src.path for src in (*sources, *support)], strict=False))
    trusted = _trusted_files(support)
    base: list[ast.AST] = []
    section = "base"
    for stm in statements:
        if stm.ast_type == ast.ASTType.Program:
            section = stm.name if not stm.parameters else ""
            continue
        if section == "base" and stm.ast_type != ast.ASTType.Comment:
            base.append(stm)
    ctl = clingo.Control(["--warn=none"], logger=lambda code, msg: None)
    parts: list[tuple[str, list[ast.AST], bool]] = []
    fed: set[tuple[str, int]] = set()  # predicates a counted part defines
    groups: list[list[ast.AST]] = []
    info = [deps.defines_and_uses(stm) for stm in base]  # each statement taken apart once
    info_of = {id(stm): found for stm, found in zip(base, info, strict=True)}
    for group in deps.dependency_order(base, info):
        stms = [base[i] for i in group]
        if all(info_of[id(stm)][0] == {(program.FIRED, 4)} for stm in stms):
            groups.extend([stm] for stm in stms)  # nothing reads the trace: each trace rule alone, blamed exactly
        else:
            groups.append(stms)
    try:
        with ast.ProgramBuilder(ctl) as builder:
            for n, stms in enumerate(groups):
                counted = False
                defined: set[tuple[str, int]] = set()
                for stm in stms:
                    heads, uses = info_of[id(stm)]
                    defined |= heads
                    filename = stm.location.begin.filename
                    origin = real.get(filename, real.get(os.path.normpath(filename), filename))
                    if origin == "<input>" or (not origin.startswith("<") and origin not in trusted) or uses & fed:
                        counted = True
                if counted:
                    fed |= defined
                name = f"argmap_guard_{n}"
                builder.add(ast.Program(stms[0].location, name, []))
                for stm in stms:
                    builder.add(stm)
                parts.append((name, stms, counted))
    except RuntimeError:
        _say("done")
        return 0
    originals = {_at(stm): stm for stm in base if info_of[id(stm)][0] != {(program.FIRED, 4)}}
    for name, stms, counted in parts:
        shown = _blame([originals.get(_at(stm), stm) for stm in stms], log, real, trusted)
        _say("grounding", counted=counted, path=shown[0], line=shown[1], rule=shown[2])
        try:
            ctl.ground([(name, [])])
        except MemoryError:
            _say("memory")
            return 3
        except RuntimeError as exc:
            if "bad_alloc" in str(exc) or "memory" in str(exc).lower():
                _say("memory")
                return 3
            _say("done")
            return 0  # a grounding error is reported, with its position, by the normal load
    _say("done")
    return 0


def _say(event: str, **fields: object) -> None:
    """One line of progress for the parent (JSON: file names may hold any character)."""
    print(json.dumps({"event": event, **fields}), flush=True)


def _at(stm: object) -> tuple[str, int, int]:
    begin = stm.location.begin  # type: ignore[attr-defined]
    return begin.filename, begin.line, begin.column


def _trusted_files(support: Sequence[object]) -> set[str]:
    """argmap's own rule files: its prelude and support programs, and the knowledge base it ships."""
    out = {os.path.realpath(src.path) for src in support}  # type: ignore[attr-defined]
    out |= {src.path for src in support}  # type: ignore[attr-defined]
    try:
        shipped = KnowledgeBase.shipped().sources()
    except InputError:
        return out
    for src in shipped:
        out.add(src.path)
    # a file counts as argmap's own by what it is, not by the name it was given
    return out | {os.path.realpath(p) for p in list(out)}


def _blame(group: list[object], log: object, real: dict[str, str], trusted: set[str]) -> tuple[str, int, str]:
    """The rule to name for a part: its first rule from a file that is not argmap's own, else its first rule."""
    from clingo import ast

    def where(stm: ast.AST) -> tuple[str, int]:
        loc = stm.location.begin
        return log.shown(loc.filename), loc.line  # type: ignore[attr-defined]

    def own(stm: ast.AST) -> bool:
        origin = real.get(stm.location.begin.filename, stm.location.begin.filename)
        return not origin.startswith("<") and origin not in trusted and os.path.realpath(origin) not in trusted

    kinds = (ast.ASTType.Rule, ast.ASTType.External, ast.ASTType.Minimize)
    rules = [s for s in group if s.ast_type in kinds]  # type: ignore[attr-defined]
    rules = [s for s in rules if not _plain_fact(s)] or rules  # a plain fact grounds to itself: never the cause
    theirs = [s for s in rules if own(s)]
    pick = theirs or [s for s in rules if not where(s)[0].startswith(("argmap:", "<"))] or rules or group
    first = min(pick, key=where)
    path, line = where(first)
    text = " ".join(str(first).split())[:120]
    more = len(pick) - 1
    if more:
        text += f" (and {more} more rule{'s' if more > 1 else ''} it is ground with)"
    return path, line, text


def _plain_fact(stm: object) -> bool:
    """Whether a statement is a fact with a ground head (no interval, pool or variable)."""
    from clingo import ast

    if stm.ast_type != ast.ASTType.Rule or stm.body:  # type: ignore[attr-defined]
        return False
    head = stm.head  # type: ignore[attr-defined]
    if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
        return False
    return _ground_term(head.atom.symbol)


def _ground_term(term: object) -> bool:
    """Whether a term is built of constants alone (no variable, interval, pool or operation)."""
    from clingo import ast

    kind = term.ast_type  # type: ignore[attr-defined]
    if kind == ast.ASTType.SymbolicTerm:
        return True
    if kind == ast.ASTType.Function:
        return not term.external and all(_ground_term(arg) for arg in term.arguments)  # type: ignore[attr-defined]
    return False


if __name__ == "__main__":
    raise SystemExit(_child())
