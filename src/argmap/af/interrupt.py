"""Signals during a synchronous solve: interrupt clingo, then let Python's handler run.

Python runs signal handlers only between its own instructions, never inside a
blocking C call such as clingo's synchronous solve.  Its C-level handler can
still write each signal to a pipe (:func:`signal.set_wakeup_fd`); a daemon
thread reads the pipe and interrupts the controls solving right now, and the
solve returns.  A handler must not raise while the solve runs, though: clingo
calls back into Python as a solve ends (its statistics), and an exception
there aborts the process.  So while a control solves, SIGINT and SIGTERM are
only recorded; when the solve is over the handlers that were there before are
put back and the signal is delivered to them (KeyboardInterrupt on SIGINT,
whatever the command installed on SIGTERM).

The watchdog is installed on the first synchronous solve, once per process,
and only from the main thread when no wakeup pipe is set yet: if another part
of the process already reads one (argmap's click command line, an asyncio
loop), :func:`watching` answers False and the caller solves asynchronously,
waiting in slices, as it does under a deadline.  Self-contained, like the rest
of ``argmap.af``: nothing of argmap's engine is imported.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import clingo

#: The controls solving synchronously right now.
_RUNNING: set[clingo.Control] = set()
_LOCK = threading.Lock()
#: None: not tried yet; then whether this module's watchdog reads the wakeup pipe.
_installed: list[bool] = []


def _interrupt_all() -> None:
    with _LOCK:
        running = list(_RUNNING)
    for ctl in running:
        ctl.interrupt()


def _install() -> bool:
    if threading.current_thread() is not threading.main_thread():
        return False
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    try:
        previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    except ValueError:  # not the main thread of the main interpreter
        os.close(read_end)
        os.close(write_end)
        return False
    if previous != -1:  # someone else reads the signals: leave them theirs
        signal.set_wakeup_fd(previous)
        os.close(read_end)
        os.close(write_end)
        return False

    def watch() -> None:
        while os.read(read_end, 64):
            _interrupt_all()

    threading.Thread(target=watch, name="argmap-af-signals", daemon=True).start()
    return True


def watching() -> bool:
    """Can a synchronous solve be interrupted by a signal?  (Installs the watchdog on first call.)

    True in the main thread when this module's watchdog reads the wakeup pipe;
    True in any other thread too (signals go to the main thread, which does not
    wait for this solve); False when another reader owns the pipe.
    """
    if threading.current_thread() is not threading.main_thread():
        return True
    if not _installed:
        _installed.append(_install())
    return _installed[0]


_DEFERRED = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def solving(ctl: clingo.Control) -> Iterator[None]:
    """While the block runs, SIGINT or SIGTERM interrupts `ctl`'s solve and waits;
    after the block (the solve handle closed) it reaches the handler that was set before."""
    main = threading.current_thread() is threading.main_thread()
    pending: list[int] = []
    previous: dict[int, object] = {}
    if main:

        def defer(signum: int, _frame: object) -> None:
            pending.append(signum)
            _interrupt_all()

        for signum in _DEFERRED:
            previous[signum] = signal.signal(signum, defer)
    with _LOCK:
        _RUNNING.add(ctl)
    try:
        yield
    finally:
        with _LOCK:
            _RUNNING.discard(ctl)
        for signum, handler in previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        if pending:
            _deliver(pending[0], previous.get(pending[0]))


def _deliver(signum: int, handler: object) -> None:
    """Hand a deferred signal to the handler that was set when it came."""
    if callable(handler):
        handler(signum, None)
    elif handler != signal.SIG_IGN:
        os.kill(os.getpid(), signum)  # the default action, with its handler back in place
