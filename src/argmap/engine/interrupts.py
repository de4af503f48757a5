"""Signals while clingo runs: a solve is interrupted, a signal is kept until clingo returns.

Python runs signal handlers only between its own instructions, never inside a
blocking C call such as a solve, and raising inside one of clingo's callbacks
aborts the process.  So the command line's handlers call :func:`defer_signal`:
while a solve runs (or clingo is loading a program) the signal is kept, every
running solve is interrupted, and the signal is raised again once clingo has
returned (:func:`raise_pending`).
"""

from __future__ import annotations

import os

import clingo

#: How long a wait for the solver or grounder lasts before signals are looked at again (seconds).
SLICE = 0.05

#: The controls solving right now in this process (for interrupt_all).
RUNNING: set[clingo.Control] = set()

#: Signals that arrived while a solve was running, to be raised once it has returned.
_PENDING: list[int] = []

#: Non-zero while clingo is loading a program (it calls back into Python while parsing).
BUSY: list[int] = []

#: Non-zero while a helper thread is grounding.
GROUNDING: list[int] = []


def interrupt_all() -> None:
    """Interrupt every solve running in this process (called from the signal watchdog thread)."""
    for ctl in list(RUNNING):
        ctl.interrupt()


def grounding_in_progress() -> bool:
    """Whether a helper thread is inside clingo's grounder (the process must then exit without
    finalising the interpreter, or the thread crashes it)."""
    return bool(GROUNDING)


def defer_signal(signum: int) -> bool:
    """Called by a signal handler: if a solve is running, interrupt it and keep the signal
    for later (raising inside clingo's callbacks would abort the process); True if deferred."""
    if not RUNNING and not BUSY:
        return False
    _PENDING.append(signum)
    interrupt_all()
    return True


def raise_pending() -> None:
    """Deliver a deferred signal again, now that no solve is running."""
    if _PENDING:
        os.kill(os.getpid(), _PENDING.pop())
