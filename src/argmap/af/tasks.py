"""The ICCMA reasoning tasks: SE, EE, DC and DS under a semantics."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.errors import InputError, closest, one_of
from .codes import ICCMA_SEMANTICS, TASK_NAMES, TASKS
from .framework import Extension, Framework
from .limits import Deadline
from .semantics import reasoner

__all__ = ["TASKS", "TASK_NAMES", "Answer", "find_argument", "solve"]


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


def solve(
    framework: Framework,
    semantics: str,
    task: str,
    argument: str | None = None,
    *,
    deadline: Deadline | None = None,
) -> Answer:
    """Answer `task` (SE, EE, DC, DS) under `semantics` (CO, GR, PR, ST, SST, STG, ID).

    Within `deadline`, when given: past it, :class:`~argmap.af.limits.TaskTimeoutError`.
    """
    if semantics not in ICCMA_SEMANTICS:
        raise InputError(f"unknown semantics '{semantics}'", key="--semantics", expected=one_of(ICCMA_SEMANTICS))
    if task not in TASKS:
        raise InputError(f"unknown task '{task}'", key="--task", expected=one_of(TASKS))
    if task in ("DC", "DS") and argument is None:
        raise InputError(f"{task} needs the argument to decide", key="--arg", expected="--arg NAME")
    if task in ("SE", "EE") and argument is not None:
        raise InputError(f"{task} takes no argument", key="--arg", expected="--arg only with DC or DS")
    position = None if argument is None else find_argument(framework, argument)
    engine = reasoner(framework, semantics, deadline)
    if task == "SE":
        found = engine.some_extension()
        return Answer(task, semantics, () if found is None else (found,))
    if task == "EE":
        return Answer(task, semantics, tuple(engine.extensions()))
    assert position is not None
    decide = engine.credulous if task == "DC" else engine.sceptical
    accepted, witness = decide(position)
    return Answer(task, semantics, argument=position, accepted=accepted, witness=witness)
