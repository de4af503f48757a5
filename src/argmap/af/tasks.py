"""The ICCMA reasoning tasks: SE, EE, DC and DS under a semantics."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError, closest, one_of
from .framework import Extension, Framework
from .reasoner import ICCMA_SEMANTICS, reasoner

TASKS = ("SE", "EE", "DC", "DS")
TASK_NAMES = {
    "SE": "some extension",
    "EE": "every extension",
    "DC": "credulous acceptance",
    "DS": "sceptical acceptance",
}


@dataclass(frozen=True)
class Answer:
    """The answer to one task.

    SE: `extensions` holds the extension found, or nothing when there is none.
    EE: `extensions` holds every extension, in a fixed order.
    DC, DS: `accepted`, and a `witness`: for DC an extension containing the
    argument (when accepted), for DS one without it (when not accepted).
    """

    task: str
    semantics: str
    extensions: tuple[Extension, ...] = ()
    argument: int | None = None
    accepted: bool | None = None
    witness: Extension | None = None


def find_argument(framework: Framework, name: str) -> int:
    """The position of argument `name`, or an InputError with a suggestion."""
    found = framework.index(name)
    if found is None:
        raise InputError(
            f"'{name}' is not an argument of the framework",
            path=framework.path,
            key="--arg",
            suggestion=closest(name, framework.names),
        )
    return found


def solve(framework: Framework, semantics: str, task: str, argument: str | None = None) -> Answer:
    """Answer `task` (SE, EE, DC, DS) under `semantics` (CO, GR, PR, ST, SST, STG, ID)."""
    if semantics not in ICCMA_SEMANTICS:
        raise InputError(f"unknown semantics '{semantics}'", key="--semantics", expected=one_of(ICCMA_SEMANTICS))
    if task not in TASKS:
        raise InputError(f"unknown task '{task}'", key="--task", expected=one_of(TASKS))
    if task in ("DC", "DS") and argument is None:
        raise InputError(f"{task} needs the argument to decide", key="--arg", expected="--arg NAME")
    if task in ("SE", "EE") and argument is not None:
        raise InputError(f"{task} takes no argument", key="--arg", expected="--arg only with DC or DS")
    engine = reasoner(framework, semantics)
    if task == "SE":
        found = engine.some_extension()
        return Answer(task, semantics, () if found is None else (found,))
    if task == "EE":
        return Answer(task, semantics, tuple(engine.extensions()))
    assert argument is not None
    position = find_argument(framework, argument)
    decide = engine.credulous if task == "DC" else engine.sceptical
    accepted, witness = decide(position)
    return Answer(task, semantics, argument=position, accepted=accepted, witness=witness)
