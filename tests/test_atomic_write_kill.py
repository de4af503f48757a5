"""Nothing lost, even under SIGKILL: a killed write leaves no temporary file (issue 11).

atomic_write writes into an unnamed file (Linux's O_TMPFILE) and names it only at the very end, just
before the rename over the target, so a process killed mid-write (SIGKILL: no handler runs) leaves the
folder as it was.  The child runs argmap's real console entry point with the slow-chunks hook of
tests/test_interrupt.py: it writes a large output through ``-o`` slowly, after printing ``started``.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

import pytest

from test_interrupt import OLD, started_harness

pytestmark = pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="unnamed files (O_TMPFILE) are Linux's")


def _unnamed_files_work(folder: Path) -> bool:
    """Whether `folder` can hold an unnamed file that atomic_write can name (else it writes a named one)."""
    from argmap.io.files import _name_unnamed

    try:
        fd = os.open(folder, os.O_TMPFILE | os.O_RDWR, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return False
        raise
    try:
        name = _name_unnamed(fd, str(folder))
    finally:
        os.close(fd)
    if name is None:
        return False
    os.unlink(name)
    return True


def _unnamed_file_with_data(pid: int, folder: Path) -> bool:
    """Whether process `pid` has open an unnamed (deleted) file in `folder` that holds some bytes."""
    fds = Path(f"/proc/{pid}/fd")
    for fd in fds.iterdir():
        try:
            where = os.readlink(fd)
            if where.startswith(f"{folder}/") and where.endswith(" (deleted)") and fd.stat().st_size > 0:
                return True
        except OSError:
            continue  # closed meanwhile
    return False


def _kill_mid_write(hook: str, args: list[str], folder: Path) -> tuple[int, str]:
    """Start argmap's command line `args` with the harness's `hook`, SIGKILL it once its output is an
    unnamed file in `folder` with some bytes in it, and return its exit code and standard error."""
    with started_harness(hook, args) as proc:
        # mid-write: slow chunks go on for about 1,000 s (fsync waits 60 s); the first 8 KiB reach the file
        deadline = time.monotonic() + 60
        while not _unnamed_file_with_data(proc.pid, folder):
            if time.monotonic() > deadline or proc.poll() is not None:
                os.killpg(proc.pid, signal.SIGKILL)
                out, err = proc.communicate()
                pytest.fail(f"no unnamed file with data in {folder}: exit {proc.returncode}\n{out}\n{err}")
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        return proc.returncode, err


#: (hook, command line with {target}): a write in slow chunks, and `schema -o` paused at the fsync
#: that comes after its whole output (the scenario schema, the largest) is written.
COMMANDS = {
    "slow chunks": ("slow-chunks", ["slow-write", "{target}"]),
    "schema -o, at the fsync": ("fsync", ["schema", "scenario", "-o", "{target}"]),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("existing", [True, False], ids=["over an old file", "a new file"])
def test_sigkill_mid_write_leaves_no_file_but_the_untouched_target(
    tmp_path: Path, existing: bool, command: str
) -> None:
    if not _unnamed_files_work(tmp_path):
        pytest.skip("this file system or system cannot make and name unnamed files")
    target = tmp_path / "out.txt"
    if existing:
        target.write_text(OLD, encoding="utf-8")
    before = target.stat() if existing else None
    hook, args = COMMANDS[command]
    code, err = _kill_mid_write(hook, [a.format(target=target) for a in args], tmp_path)
    assert code == -signal.SIGKILL, err
    assert sorted(p.name for p in tmp_path.iterdir()) == (["out.txt"] if existing else [])
    if before is not None:
        after = target.stat()
        assert target.read_text(encoding="utf-8") == OLD
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
