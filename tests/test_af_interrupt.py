"""Ctrl-C and SIGTERM stop `argmap af` inside a long solve, on the synchronous path too.

With no --timeout the reasoner solves synchronously (argmap.af.interrupt): the
signal must still interrupt clingo, and the handler must not raise inside
clingo's callbacks (that aborts the process).  The framework is the pigeonhole
principle (12 pigeons, 11 holes) as a stable-extension question, which clasp
does not settle in any time a test waits.  Each case sends the signal once
the process has spent a second and a half of CPU time (so it is solving, past
start-up and grounding), then checks the exit code and message; no time is
asserted, only that the run ends within a generous bound.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ENTRY = "import sys; from argmap.cli import entry; sys.argv[0] = 'argmap'; entry()"
#: Far above the time a signal takes to stop the run on a loaded machine.
BOUND = 60

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU time from /proc")


def pigeonhole(pigeons: int, holes: int) -> str:
    """An apx framework with a stable extension iff `pigeons` fit in `holes`, one each.

    A pair of arguments p_i_h <-> np_i_h per choice; a self-attacking argument per
    clause, attacked by the choices that satisfy it: a stable extension must
    attack every one of them.
    """
    lines: list[str] = []
    for i in range(pigeons):
        for h in range(holes):
            lines += [f"arg(p{i}_{h}).", f"arg(np{i}_{h}).", f"att(p{i}_{h},np{i}_{h}).", f"att(np{i}_{h},p{i}_{h})."]
    for i in range(pigeons):
        lines += [f"arg(c{i}).", f"att(c{i},c{i})."] + [f"att(p{i}_{h},c{i})." for h in range(holes)]
    for h in range(holes):
        for i in range(pigeons):
            for j in range(i + 1, pigeons):
                name = f"d{h}_{i}_{j}"
                lines += [f"arg({name}).", f"att({name},{name}).", f"att(np{i}_{h},{name}).", f"att(np{j}_{h},{name})."]
    return "\n".join(lines) + "\n"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("af") / "pigeons.apx"
    path.write_text(pigeonhole(12, 11), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("path_args", "sig", "code", "message"),
    [
        ([], signal.SIGINT, 130, "argmap: interrupted"),
        ([], signal.SIGTERM, 143, "argmap: terminated"),
        (["--fo", "apx"], signal.SIGINT, 130, "argmap: interrupted"),
    ],
    ids=["quick-sigint", "quick-sigterm", "click-sigint"],
)
def test_a_signal_stops_a_long_solve(hard: Path, path_args: list[str], sig: int, code: int, message: str) -> None:
    """The quick path solves synchronously (its own watchdog); click's path asynchronously (click's watchdog)."""
    process = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "af", *path_args, str(hard), "-s", "ST", "-t", "SE"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        give_up = time.monotonic() + BOUND
        while process.poll() is None and cpu_seconds(process.pid) < 1.5 and time.monotonic() < give_up:
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()
        process.send_signal(sig)
        out, err = process.communicate(timeout=BOUND)
    finally:
        process.kill()
    assert process.returncode == code, err
    assert err.strip().endswith(message), err
    assert "Traceback" not in err and "terminate" not in err.replace(message, "")
    assert out == ""


def test_the_watchdog_stands_aside_when_the_wakeup_pipe_is_taken() -> None:
    """Then solves run asynchronously (watching() is False); otherwise it installs itself once."""
    probe = (
        "import os, signal\n"
        "from argmap.af.interrupt import watching\n"
        "first = watching(); again = watching()\n"
        "print(first, again, signal.set_wakeup_fd(-1) != -1)\n"
    )
    taken = (
        "import os, signal\n"
        "r, w = os.pipe(); os.set_blocking(w, False); signal.set_wakeup_fd(w)\n"
        "from argmap.af.interrupt import watching\n"
        "print(watching(), signal.set_wakeup_fd(-1) == w)\n"
    )
    free = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=BOUND, check=True)
    assert free.stdout.split() == ["True", "True", "True"]
    other = subprocess.run([sys.executable, "-c", taken], capture_output=True, text=True, timeout=BOUND, check=True)
    assert other.stdout.split() == ["False", "True"]
