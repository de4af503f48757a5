"""The facade: what the command line (or any embedding program) calls.

One :class:`Argmap` grounds its knowledge base once; every method answers by
solving under assumptions on that one ground program.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from .engine import BASELINE, Engine, World
from .errors import InputError
from .model import Claim, Proposal, Verdict
from .proposal import load_proposal
from .verdicts import evaluate

PROPOSAL_SUFFIXES = (".yaml", ".yml")


class Argmap:
    """A knowledge base ready to judge proposals."""

    def __init__(self, kb: Sequence[str] | None = None, *, trace: bool = False) -> None:
        self.engine = Engine(kb, trace=trace)

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

    def check_paths(self, paths: Iterable[str]) -> list[Verdict]:
        return [self.check(p) for p in self.load_all(paths)]


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
