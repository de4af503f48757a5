"""``check --jobs N``: a batch split across worker processes, each grounding the knowledge base once.

A knowledge base that is not argmap's own is probed first (:mod:`argmap.engine.guard`),
once, as every engine of one is.  Workers are forked where the platform allows
(a faster start than spawn), die with their parent (``PR_SET_PDEATHSIG``),
inherit the timeout, and send back results in order, chunk by chunk, so the
caller can stream them.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Collection, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from ..io.proposals import load_proposal
from ..model.errors import InputError
from ..model.verdicts import Verdict
from .control import Engine
from .judge import judge
from .kbspec import KnowledgeBase

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

_WORKER: Engine | None = None


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _init_worker(kb: KnowledgeBase, timeout: float | None, parent: int) -> None:
    global _WORKER
    # A forked worker inherits the CLI's signal handlers and wake-up pipe; it should simply die
    # when the pool terminates it, or when argmap dies.
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _die_with_parent()
    if os.getppid() != parent:
        os._exit(1)  # argmap died before the kernel was told to end this worker with it
    _WORKER = Engine(kb, timeout=timeout)


def _check_chunk(paths: list[str]) -> list[Verdict | InputError]:
    assert _WORKER is not None
    out: list[Verdict | InputError] = []
    for path in paths:
        try:
            out.append(judge(_WORKER, load_proposal(path, _WORKER.vocabulary)).verdict)
        except InputError as exc:  # returned, not raised: its fields survive the trip back
            if exc.path is None:
                exc.path = path
            out.append(exc)
    return out


def parallel_check(
    kb: KnowledgeBase, timeout: float | None, files: Collection[str], jobs: int
) -> Iterator[Verdict | InputError]:
    """Verdicts (or the InputError of a bad file) for `files`, in order, from `jobs` processes.

    Raises:
        InputError: the knowledge base is not argmap's own and its grounding blows up (it is probed
            once, here, before any worker grounds it).
    """
    import multiprocessing

    if not kb.is_shipped:
        from .guard import probe

        probe(kb, timeout=timeout)

    size = max(1, min(64, -(-len(files) // (jobs * 4))))
    paths = iter(files)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(
        jobs, initializer=_init_worker, initargs=(kb, timeout, os.getpid())
    ) as pool:
        # At most two chunks a worker are in flight, handed out as results come back in order: the
        # batch is never listed whole, so memory does not grow with it.
        pending: deque[AsyncResult[list[Verdict | InputError]]] = deque()
        while True:
            while len(pending) < 2 * jobs and (chunk := list(islice(paths, size))):
                pending.append(pool.apply_async(_check_chunk, (chunk,)))
            if not pending:
                return
            yield from pending.popleft().get()
