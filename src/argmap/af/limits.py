"""Time limits for argumentation tasks: one deadline over reading, grounding and solving.

clingo's grounding cannot be interrupted, so it runs in a helper thread while
the caller waits in short slices; solving is asynchronous and cancelled when
the time is up.  Either way the task ends with :class:`TaskTimeoutError`, an input
error (exit 2 on the command line) that says which stage ran out of time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..model.errors import InputError

#: How long a wait lasts at most before Python gets control back (and can run a signal handler).
SLICE = 0.1

_grounding = threading.Event()


class TaskTimeoutError(InputError):
    """The task did not finish within the time it was given."""


class Deadline:
    """The moment a task must be done by (monotonic clock), or none."""

    def __init__(self, seconds: float | None = None, *, path: str | None = None) -> None:
        self.seconds = seconds
        self.path = path
        self.end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        return None if self.end is None else self.end - time.monotonic()

    def check(self, stage: str) -> None:
        """Raise TaskTimeoutError if the time is up."""
        left = self.remaining()
        if left is not None and left <= 0:
            raise self.expired(stage)

    def expired(self, stage: str) -> TaskTimeoutError:
        return TaskTimeoutError(
            f"the task did not finish within {self.seconds:g} s ({stage})",
            path=self.path,
            key="--timeout",
        )

    def wait(self, ready: Callable[[float], bool], stage: str) -> None:
        """Call `ready(seconds)` in slices until it returns True; TaskTimeoutError past the deadline."""
        while True:
            left = self.remaining()
            if left is not None and left <= 0:
                raise self.expired(stage)
            if ready(SLICE if left is None else min(SLICE, left)):
                return

    def run(self, work: Callable[[], None], stage: str) -> None:
        """Run `work` (a call into clingo that cannot be interrupted) within the deadline.

        With no deadline it runs here.  Otherwise it runs in a daemon thread; when
        the time is up this raises TaskTimeoutError and leaves the thread running, and
        :func:`busy` tells the caller to exit without finalising the interpreter.
        """
        if self.end is None:
            work()
            return
        failure: list[BaseException] = []

        def target() -> None:
            try:
                work()
            except BaseException as exc:  # re-raised in the caller's thread
                failure.append(exc)
            finally:
                _grounding.clear()

        _grounding.set()
        thread = threading.Thread(target=target, name="argmap-af-ground", daemon=True)
        thread.start()
        self.wait(lambda seconds: (thread.join(seconds), not thread.is_alive())[1], stage)
        if failure:
            raise failure[0]


def busy() -> bool:
    """Is clingo still grounding in a helper thread (abandoned at a timeout)?

    Then the process must end with os._exit: finalising the interpreter under
    a running clingo call can crash it.
    """
    return _grounding.is_set()
