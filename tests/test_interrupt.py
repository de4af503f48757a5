"""Nothing lost: an interrupted argmap leaves every file it writes as it was.

Every file argmap writes goes through :func:`argmap.io.files.atomic_write`
(an unnamed file in the target's folder, named and renamed over the target once
complete; where unnamed files are not available, a temporary `.argmap-*.tmp`
beside the target, then a rename).  These tests
kill real child processes in the middle of a write, with SIGTERM and SIGINT,
and check the exit code (143, 130), the target (the old content, whole), and
the folder (no temporary file left).

To interrupt at a known point rather than by luck, the child runs argmap's
real command line with one hook installed first: a write that pauses after
its first chunk, or `os.fsync` (called by atomic_write between writing the
temporary file and renaming it) that pauses; the hook prints `started` when
the pause begins, and the parent sends the signal then.  The same hooks put
a signal inside clingo (a long solve, a long grounding, the --kb probe, the
workers of `check --jobs`, the loading of a rule file): argmap must still end
with 143 or 130, promptly, and leave no process behind.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from cli_runner import run
from helpers import PROPOSALS, ROOT

#: Runs argmap's real console entry point (with its signal watchdog).
ENTRY = "import sys; sys.argv[0] = 'argmap'; from argmap.cli import entry; entry()"

OLD = "the previous content, which must survive\n"

#: The child: installs a hook (argv[1]), then runs argmap's command line on argv[2:].
HARNESS = r"""
import os, signal, sys, time

# A child started from a shell in the background inherits SIGINT ignored; argmap runs with Python's default.
signal.signal(signal.SIGINT, signal.default_int_handler)
hook, args = sys.argv[1], sys.argv[2:]


def started():
    print("started", flush=True)


if hook == "slow-chunks":
    # A command that writes its output in slow chunks, through atomic_write, under argmap's CLI.
    import click
    from argmap.cli.root import main
    from argmap.io.files import atomic_write

    @main.command("slow-write")
    @click.argument("path")
    def slow_write(path):
        def chunks():
            yield "new content, part 0\n"
            started()
            for i in range(1, 100_000):
                time.sleep(0.01)
                yield f"new content, part {i}\n"
        atomic_write(path, chunks())

elif hook == "bare-slow-chunks":
    # atomic_write with argmap's SIGTERM handling but no CLI: the exception must propagate.
    from argmap.cli.root import _on_sigterm
    from argmap.io.files import atomic_write

    signal.signal(signal.SIGTERM, _on_sigterm)

    def chunks():
        yield "new content, part 0\n"
        started()
        for i in range(1, 100_000):
            time.sleep(0.01)
            yield f"new content, part {i}\n"

    atomic_write(args[0], chunks())
    raise SystemExit("atomic_write returned: the signal did not interrupt it")

elif hook == "fsync":
    # The real command; atomic_write pauses after writing the temporary file, before the rename.
    real_fsync = os.fsync

    def fsync(fd):
        started()
        time.sleep(60)
        real_fsync(fd)

    os.fsync = fsync

elif hook in ("solve", "ground"):
    # The real command; the signal arrives while clingo solves (or grounds).
    import clingo

    real = getattr(clingo.Control, hook)

    def wrapper(self, *a, **k):
        started()
        return real(self, *a, **k)

    setattr(clingo.Control, hook, wrapper)

elif hook == "ground-command":
    # A command that grounds the given rule files in argmap's own process (no probe first),
    # under argmap's CLI; the signal arrives while clingo grounds.
    import click
    import clingo
    from argmap.cli.root import main
    from argmap.engine.control import Engine
    from argmap.engine.kbspec import KnowledgeBase

    real_ground = clingo.Control.ground

    def ground(self, *a, **k):
        started()
        return real_ground(self, *a, **k)

    clingo.Control.ground = ground

    @main.command("ground-kb")
    @click.argument("files", nargs=-1)
    def ground_kb(files):
        Engine(KnowledgeBase(tuple(files)))

elif hook == "unpool":
    # The real command; the signal arrives while clingo unpools the one big pooled rule (a statement on
    # one line longer than 10,000 characters; clingo calls back into Python for every rule it makes, so
    # the signal lands inside a callback).  Files are parsed from private copies, so it is known by size.
    from clingo import ast

    real_unpool = ast.AST.unpool

    def unpool(self, *a, **k):
        where = self.location
        if where.end.line == where.begin.line and where.end.column - where.begin.column > 10_000:
            started()
        return real_unpool(self, *a, **k)

    ast.AST.unpool = unpool

elif hook == "probe":
    # The real command; the signal arrives while a --kb file is ground in the probe's child process.
    import argmap.engine.guard as guard

    real_probe = guard.probe

    def probe(*a, **k):
        started()
        return real_probe(*a, **k)

    guard.probe = probe

if hook in ("solve", "unpool"):
    # The signal is meant for argmap's own process: the probe of --kb files (a child process that grounds
    # them first, tested on its own below) is skipped, so that the hook is reached sooner.
    import argmap.engine.guard

    argmap.engine.guard.probe = lambda *a, **k: None

if hook != "bare-slow-chunks":
    from argmap.cli import entry

    sys.argv = ["argmap", *args]
    entry()
"""


@dataclass
class Outcome:
    returncode: int | None  # None: still running after the grace period (then killed)
    stdout: str
    stderr: str


@contextlib.contextmanager
def started_harness(hook: str, args: list[str], *, cwd: Path = ROOT) -> Iterator[subprocess.Popen[str]]:
    """The harness running argmap's command line `args` with `hook`, once it has printed `started` (a failed
    test if it never does); its whole session is killed on leaving."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HARNESS, hook, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_limit_memory,
    )
    try:
        if not _wait_for_started(proc, timeout=60):
            os.killpg(proc.pid, signal.SIGKILL)  # the session: a probe's child too
            out, err = proc.communicate()
            pytest.fail(f"the child never reached the hook {hook!r}: exit {proc.returncode}\n{out}\n{err}")
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()


def interrupt(
    hook: str, args: list[str], sig: signal.Signals, *, cwd: Path = ROOT, grace: float = 10.0, delay: float = 0.2
) -> Outcome:
    """Start the harness, wait for `started`, wait `delay` more, send `sig`, and wait up to `grace`
    seconds for the end."""
    with started_harness(hook, args, cwd=cwd) as proc:
        time.sleep(delay)  # inside the pause
        proc.send_signal(sig)
        try:
            out, err = proc.communicate(timeout=grace)
            return Outcome(proc.returncode, out, err)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            return Outcome(None, out, err)


def _limit_memory() -> None:
    """A soft address-space limit (3 GB): a child that runs away fails instead of taking the machine."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, hard))


def _wait_for_started(proc: subprocess.Popen[str], timeout: float) -> bool:
    """Whether the child prints the line ``started`` within `timeout` seconds.  Its output is read from the
    file descriptor itself: a buffered readline could take "started" into Python's buffer with an earlier
    line (a command that streams its output), where select() no longer sees it."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                return False  # the child ended first
            seen += chunk
            if b"\nstarted\n" in b"\n" + seen:  # the whole line, its line break included
                return True
        elif proc.poll() is not None:
            return False
    return False


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".argmap-") and p.name.endswith(".tmp"))


EXIT = {signal.SIGTERM: (143, "argmap: terminated"), signal.SIGINT: (130, "argmap: interrupted")}
SIGNALS = [signal.SIGTERM, signal.SIGINT]
SIGNAL_IDS = ["SIGTERM", "SIGINT"]


# ---------------------------------------------------------------- atomic_write, interrupted mid-write
@pytest.mark.parametrize("sig", SIGNALS, ids=SIGNAL_IDS)
def test_a_signal_mid_write_under_the_cli_keeps_the_old_file(tmp_path: Path, sig: signal.Signals) -> None:
    target = tmp_path / "out.txt"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    outcome = interrupt("slow-chunks", ["slow-write", str(target)], sig)
    code, message = EXIT[sig]
    assert outcome.returncode == code, f"exit {outcome.returncode}: {outcome.stderr}"
    assert outcome.stderr.strip() == message
    assert target.read_text(encoding="utf-8") == OLD
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("sig", SIGNALS, ids=SIGNAL_IDS)
def test_a_signal_mid_write_of_a_new_file_leaves_no_file(tmp_path: Path, sig: signal.Signals) -> None:
    target = tmp_path / "new.txt"
    outcome = interrupt("slow-chunks", ["slow-write", str(target)], sig)
    assert outcome.returncode == EXIT[sig][0], outcome.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sig", SIGNALS, ids=SIGNAL_IDS)
def test_without_the_cli_the_interruption_propagates_and_the_old_file_stays(
    tmp_path: Path, sig: signal.Signals
) -> None:
    target = tmp_path / "out.txt"
    target.write_text(OLD, encoding="utf-8")
    outcome = interrupt("bare-slow-chunks", [str(target)], sig)
    if sig == signal.SIGTERM:
        assert outcome.returncode == 1, outcome.stderr  # an uncaught exception
        assert "_SigtermError" in outcome.stderr
    else:
        assert outcome.returncode == -signal.SIGINT, outcome.stderr  # Python re-raises an uncaught SIGINT
        assert "KeyboardInterrupt" in outcome.stderr
    assert "atomic_write returned" not in outcome.stderr
    assert target.read_text(encoding="utf-8") == OLD
    assert temporaries(tmp_path) == []


# ---------------------------------------------------------------- real commands, interrupted before the rename
@pytest.mark.parametrize("sig", SIGNALS, ids=SIGNAL_IDS)
def test_schema_output_interrupted_before_the_rename_keeps_the_old_file(tmp_path: Path, sig: signal.Signals) -> None:
    target = tmp_path / "proposal.schema.json"
    target.write_text(OLD, encoding="utf-8")
    outcome = interrupt("fsync", ["schema", "proposal", "-o", str(target)], sig)
    code, message = EXIT[sig]
    assert outcome.returncode == code, outcome.stderr
    assert outcome.stderr.strip() == message
    assert target.read_text(encoding="utf-8") == OLD
    assert temporaries(tmp_path) == []


def _failing_scenario(folder: Path) -> Path:
    """A scenario file with an expectation that fails, so that `test --update` rewrites it."""
    path = folder / "stale.yaml"
    doc = {
        "scenarios": [
            {"name": "stale", "proposal": str(PROPOSALS / "guaranteed_guarantees.yaml"), "expect": {"credible": False}}
        ]
    }
    path.write_text("# a scenario file\n" + yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_test_update_interrupted_before_the_rename_keeps_the_scenario_file(tmp_path: Path) -> None:
    path = _failing_scenario(tmp_path)
    before = path.read_bytes()
    outcome = interrupt("fsync", ["test", "--update", str(path)], signal.SIGTERM)
    assert outcome.returncode == 143, outcome.stderr
    assert path.read_bytes() == before
    assert temporaries(tmp_path) == []


def test_test_update_uninterrupted_rewrites_the_scenario_file(tmp_path: Path) -> None:
    """The control for the test above: the same run, not interrupted, does change the file."""
    path = _failing_scenario(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            ENTRY,
            "test",
            "--update",
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "credible: true" in path.read_text(encoding="utf-8")
    assert temporaries(tmp_path) == []


def test_a_real_command_killed_at_any_moment_leaves_old_or_new_never_partial(tmp_path: Path) -> None:
    """`argmap schema -o`, SIGTERM sent at moments spread over a whole run: the file is always
    either the old content or the complete new one.  Where the signal lands is luck; what is
    checked holds for every landing, so the test does not depend on it."""
    target = tmp_path / "schema.json"
    command = [sys.executable, "-c", ENTRY]
    start = time.monotonic()
    first = subprocess.run(
        [*command, "schema", "proposal", "-o", str(target)], cwd=ROOT, capture_output=True, timeout=120
    )
    duration = time.monotonic() - start
    assert first.returncode == 0, first.stderr
    new = target.read_bytes()
    for step in range(10):
        target.write_text(OLD, encoding="utf-8")
        proc = subprocess.Popen(
            [*command, "schema", "proposal", "-o", str(target)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(duration * step / 8)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
        # 0: finished first; 143: argmap's handler; -15: before argmap set its handler, or after Python reset it.
        assert proc.returncode in (0, 143, -signal.SIGTERM), (proc.returncode, err.decode(errors="replace")[-2000:])
        content = target.read_bytes()
        # Old or new, whatever the exit code: a SIGTERM just after the rename (143), or during the
        # interpreter's shutdown, when Python has restored the default handler (-15), finds the new file.
        assert content in (OLD.encode(), new), f"partial file after a SIGTERM at {duration * step / 8:.2f} s"
        if proc.returncode == 0:
            assert content == new
        assert temporaries(tmp_path) == []


def test_a_full_disk_keeps_the_old_file(tmp_path: Path) -> None:
    """A write that fails (here: a file-size limit, as on a full disk) is bad input, not a traceback.

    argmap parses each rule file from a private copy, so the limit lets the largest rule file through
    and stops the output (the scenario schema, several times larger)."""
    target = tmp_path / "schema.json"
    target.write_text(OLD, encoding="utf-8")
    largest = max(
        p.stat().st_size for folder in ("rules", "facts", "src/argmap/lp") for p in (ROOT / folder).glob("*.lp")
    )
    limit = largest + 4096
    schema = run("schema", "scenario")
    assert len(schema.stdout_bytes) > 2 * limit, "the schema is no longer larger than every rule file"

    def small_files() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "schema", "scenario", "-o", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_files,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"argmap: {target}: error: cannot write: "), done.stderr
    assert target.read_text(encoding="utf-8") == OLD
    assert temporaries(tmp_path) == []


# ---------------------------------------------------------------- interrupting the reasoning itself
PIGEONS = (
    "% 13 pigeons, 12 holes: no answer, and clasp takes very long to prove it\n"
    "pigeon(1..13). hole(1..12).\n{ in(P, H) : hole(H) } = 1 :- pigeon(P).\n:- in(P, H), in(Q, H), P < Q.\n"
)
SLOW_GROUND = (
    "% a join of 27 billion triples that derives nothing: long, in little memory\n"
    "n(1..3000).\nnothing :- n(X), n(Y), n(Z), X + Y + Z < 0.\n"
)


def test_sigterm_while_a_kb_file_is_probed_ends_the_probe_too(tmp_path: Path) -> None:
    bad = tmp_path / "slow.lp"
    bad.write_text(SLOW_GROUND, encoding="utf-8")
    args = ["check", "--kb", str(ROOT / "rules" / "main.lp"), "--kb", str(bad), "proposals/guaranteed_guarantees.yaml"]
    proc = subprocess.Popen(
        [sys.executable, "-c", HARNESS, "probe", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert _wait_for_started(proc, timeout=60)
        time.sleep(1.0)  # the probe's child is grounding by now
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == 143, err
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the probe's child goes with it: nothing left in the session
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("a process of the interrupted run is still alive (the grounding probe?)")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if proc.poll() is None:
            proc.communicate()


def test_the_probe_does_not_outlive_a_killed_argmap(tmp_path: Path) -> None:
    """Killed outright (SIGKILL, as the OOM killer or a CI timeout would), argmap takes no signal handler
    with it; the probe's child asked the kernel to end it with its parent (PR_SET_PDEATHSIG)."""
    bad = tmp_path / "slow.lp"
    bad.write_text(SLOW_GROUND, encoding="utf-8")
    args = ["--timeout", "5", "check", "--kb", str(ROOT / "rules" / "main.lp"), "--kb", str(bad), "proposals"]
    proc = subprocess.Popen(
        [sys.executable, "-c", HARNESS, "probe", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_limit_memory,
    )
    try:
        assert _wait_for_started(proc, timeout=60)
        time.sleep(1.0)  # the probe's child is grounding by now
        proc.kill()  # argmap only, as the OOM killer would
        proc.communicate(timeout=10)
        deadline = time.monotonic() + 10  # twice the --timeout the probe was given
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the probe's child is still grounding 10 s after argmap was killed")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


# Python runs signal handlers only between its own instructions, never inside clingo's solve or
# ground; argmap's signal watchdog interrupts a running solve (Control.interrupt) and grounds in a
# helper thread, so both end promptly.
@pytest.mark.parametrize("sig", SIGNALS, ids=SIGNAL_IDS)
def test_a_signal_during_a_long_solve_ends_argmap(tmp_path: Path, sig: signal.Signals) -> None:
    rules = tmp_path / "pigeons.lp"
    rules.write_text(PIGEONS, encoding="utf-8")
    args = [
        "check",
        "--kb",
        str(ROOT / "rules" / "main.lp"),
        "--kb",
        str(rules),
        "proposals/guaranteed_guarantees.yaml",
    ]
    outcome = interrupt("solve", args, sig, grace=20.0)
    assert outcome.returncode == EXIT[sig][0], f"exit {outcome.returncode} (None: still running 20 s after {sig.name})"


@pytest.mark.parametrize("sig", SIGNALS, ids=SIGNAL_IDS)
def test_a_signal_during_a_long_grounding_ends_argmap(tmp_path: Path, sig: signal.Signals) -> None:
    rules = tmp_path / "slow.lp"
    rules.write_text(SLOW_GROUND, encoding="utf-8")
    # Every command probes --kb files in a child process first; this one grounds in argmap's own
    # process, so the signal lands inside clingo's ground().
    outcome = interrupt("ground-command", ["ground-kb", str(ROOT / "rules" / "main.lp"), str(rules)], sig, grace=20.0)
    assert outcome.returncode == EXIT[sig][0], f"exit {outcome.returncode} (None: still running 20 s after {sig.name})"
    assert outcome.stderr.strip() == EXIT[sig][1]


def _session(sid: int) -> dict[int, float]:
    """The processes of session `sid`, with the CPU seconds each has used (from /proc)."""
    found: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # fields after the name: state, ppid, pgrp, session, ...
            found[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    return found


@contextlib.contextmanager
def _parallel_check_solving(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """`argmap check -j 2` on a rule file that is very hard to solve, once two workers have each solved
    for a second; the whole session is killed at the end.  Workers are found by their session, not by a
    marker, so this holds whether the pool forks its workers (which then inherit argmap's handlers) or
    spawns them."""
    rules = tmp_path / "pigeons.lp"
    rules.write_text(PIGEONS, encoding="utf-8")
    args = ["check", "-j", "2", "--kb", str(ROOT / "rules" / "main.lp"), "--kb", str(rules), "proposals"]
    proc = subprocess.Popen(
        [sys.executable, "-c", ENTRY, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_limit_memory,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:  # two workers, each solving for a second
            workers = {pid: cpu for pid, cpu in _session(proc.pid).items() if pid != proc.pid}
            if len(workers) >= 2 and sorted(workers.values())[-2] >= 1.0:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"no two workers were solving: exit {proc.poll()}")
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.communicate()


def _session_ends(sid: int, seconds: float) -> bool:
    """Whether every process of session `sid` is gone within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(sid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to watch the workers")
def test_sigterm_during_a_parallel_check_ends_argmap_and_its_workers(tmp_path: Path) -> None:
    with _parallel_check_solving(tmp_path) as proc:
        proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.returncode is not None, "argmap still running 20 s after SIGTERM"
        assert proc.returncode == 143
        assert _session_ends(proc.pid, 10), "a worker is still alive 10 s after argmap ended"


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to watch the workers")
def test_the_workers_do_not_outlive_a_killed_argmap(tmp_path: Path) -> None:
    """Killed outright, argmap cannot stop its pool; each worker asked the kernel to end it with argmap."""
    with _parallel_check_solving(tmp_path) as proc:
        proc.kill()  # argmap only, as the OOM killer would
        proc.communicate(timeout=10)
        assert _session_ends(proc.pid, 10), "a worker is still solving 10 s after argmap was killed"


# A signal that lands while clingo runs a Python callback (here: unpooling a rule while the knowledge
# base loads) used to come back from clingo as RuntimeError(''), reported as bad input: exit 2, "the
# knowledge base is not a valid program".  argmap now holds such a signal until the load is over.
@pytest.mark.parametrize("sig", SIGNALS, ids=SIGNAL_IDS)
def test_a_signal_while_the_knowledge_base_loads_is_not_reported_as_bad_input(
    tmp_path: Path, sig: signal.Signals
) -> None:
    rules = tmp_path / "pool.lp"
    rules.write_text("% one fact, pooled 30,000 ways\nitem(" + ";".join(map(str, range(30_000))) + ").\n")
    args = ["schema", "--kb", str(ROOT / "rules" / "main.lp"), "--kb", str(rules)]
    outcome = interrupt("unpool", args, sig, delay=0.01, grace=60.0)
    assert "not a valid program" not in outcome.stderr, outcome.stderr
    assert outcome.returncode == EXIT[sig][0], outcome.stderr
    assert outcome.stderr.strip() == EXIT[sig][1]
    assert outcome.stdout == ""  # no schema: the command did not run to the end
