"""The facade: what the command line (or any embedding program) calls.

One :class:`Argmap` grounds its knowledge base once; every method answers by
solving under assumptions on that one ground program.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Sequence

from .engine import BASELINE, Engine, World
from .errors import InputError
from .model import Claim, Proposal, Verdict
from .proposal import load_proposal
from .verdicts import evaluate

PROPOSAL_SUFFIXES = (".yaml", ".yml")


class Argmap:
    """A knowledge base ready to judge proposals."""

    def __init__(self, kb: Sequence[str] | None = None, *, trace: bool = False, timeout: float | None = None) -> None:
        self.engine = Engine(kb, trace=trace, timeout=timeout)

    @property
    def claims(self) -> dict[str, Claim]:
        return self.engine.vocabulary.claims

    def claim_list(self) -> list[Claim]:
        return [self.claims[c] for c in sorted(self.claims)]

    def load(self, path: str) -> Proposal:
        return load_proposal(path, self.engine.vocabulary.components)

    def load_all(self, paths: Iterable[str]) -> list[Proposal]:
        return [self.load(p) for p in expand_paths(paths)]

    def check(self, proposal: Proposal, world: World = BASELINE) -> Verdict:
        return evaluate(self.engine, proposal, world)

    def check_paths(self, paths: Iterable[str], *, jobs: int = 1) -> list[Verdict]:
        """Verdicts for proposal files, in order.  With `jobs` > 1 the batch is split
        across processes, each of which grounds the knowledge base once."""
        files = expand_paths(paths)
        if jobs <= 1 or len(files) < 2:
            return [self.check(self.load(p)) for p in files]
        return _parallel(self.engine.files, files, jobs)


_WORKER: Argmap | None = None


def _init_worker(kb: list[str]) -> None:
    global _WORKER
    # A forked worker inherits the CLI's signal handlers and wake-up pipe; it
    # should simply die when the pool terminates it.
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _WORKER = Argmap(kb)


def _check_chunk(paths: list[str]) -> list[Verdict | InputError]:
    assert _WORKER is not None
    out: list[Verdict | InputError] = []
    for path in paths:
        try:
            out.append(_WORKER.check(_WORKER.load(path)))
        except InputError as exc:  # returned, not raised: its fields survive the trip back
            out.append(exc)
    return out


def _parallel(kb: list[str], files: list[str], jobs: int) -> list[Verdict]:
    import multiprocessing

    size = max(1, -(-len(files) // (jobs * 4)))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(jobs, initializer=_init_worker, initargs=(kb,)) as pool:
        results = [item for chunk in pool.map(_check_chunk, chunks) for item in chunk]
    for item in results:
        if isinstance(item, InputError):
            raise item
    return results  # type: ignore[return-value]


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files as given; folders as their proposal files, sorted."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(os.path.join(path, name) for name in os.listdir(path) if name.endswith(PROPOSAL_SUFFIXES))
            if not found:
                raise InputError("the folder has no .yaml proposal files", path=path)
            out.extend(found)
        elif os.path.exists(path):
            out.append(path)
        else:
            raise InputError("no such file or folder", path=path)
    return out
