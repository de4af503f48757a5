"""`argmap af` without click: the quick path for the common command lines.

An ICCMA solver is started once per question, often on a framework clingo
answers in milliseconds, so start-up is most of its time, and importing click
costs as much as importing clingo.  :func:`run` reads the command lines a
solver interface sends (``argmap [--timeout S] af FILE -s SEM -t TASK [-a ARG]
[--fo FMT]``, options in any order, ``--opt=value`` or ``--opt value``) and
answers them exactly as the click command does (cli/af.py: same output, same
messages, same exit codes).  Anything else (``--help``, ``--kb-framework``, a
missing or unknown option, a bad value) returns None and the caller hands the
whole command line to click, which answers or explains.
"""

from __future__ import annotations

import math
import os
import signal
import sys
from collections.abc import Sequence

from .codes import FORMATS, ICCMA_SEMANTICS, TASKS

_OPTIONS = {
    "-s": "semantics",
    "--semantics": "semantics",
    "-t": "task",
    "--task": "task",
    "-a": "argument",
    "--arg": "argument",
    "--fo": "fo",
}


class _TerminatedError(BaseException):
    """SIGTERM, raised in the main thread (exit 143, as the click path does)."""


def _terminate(_signum: int, _frame: object) -> None:
    raise _TerminatedError


def parse(argv: Sequence[str]) -> dict[str, str] | None:
    """The settings of a plain `af` command line (after the program name), or None."""
    words = list(argv)
    found: dict[str, str] = {}
    if words[:1] == ["--timeout"] and len(words) > 1:
        found["timeout"], words = words[1], words[2:]
    elif words[:1] and words[0].startswith("--timeout="):
        found["timeout"], words = words[0].split("=", 1)[1], words[1:]
    if words[:1] != ["af"]:
        return None
    words = words[1:]
    while words:
        word = words.pop(0)
        if word.startswith("--") and "=" in word:
            word, value = word.split("=", 1)
            words.insert(0, value)
        if word in _OPTIONS:
            if not words or _OPTIONS[word] in found:
                return None
            found[_OPTIONS[word]] = words.pop(0)
        elif word.startswith("-") or "path" in found:
            return None
        else:
            found["path"] = word
    if not {"path", "semantics", "task"} <= set(found):
        return None
    found["semantics"], found["task"] = found["semantics"].upper(), found["task"].upper()
    if found["semantics"] not in ICCMA_SEMANTICS or found["task"] not in TASKS:
        return None
    if found.get("fo", "apx") not in FORMATS or (found["task"] in ("DC", "DS")) != ("argument" in found):
        return None
    if "timeout" in found:
        try:
            seconds = float(found["timeout"])
        except ValueError:
            return None
        if not (math.isfinite(seconds) and 0.1 <= seconds <= 86400):
            return None
    return found


def run(argv: Sequence[str]) -> int | None:
    """Answer a plain `af` command line and return the exit code, or None to leave it to click."""
    settings = parse(argv)
    if settings is None:
        return None
    from ..model.errors import InputError
    from .formats import read_framework
    from .limits import Deadline, busy
    from .render import iccma
    from .tasks import solve

    signal.signal(signal.SIGTERM, _terminate)
    seconds = float(settings["timeout"]) if "timeout" in settings else None
    deadline = Deadline(seconds, path=settings["path"])
    try:
        framework = read_framework(settings["path"], settings.get("fo"), deadline)
        answer = solve(framework, settings["semantics"], settings["task"], settings.get("argument"), deadline=deadline)
        sys.stdout.write(iccma(answer, framework))
        return 0
    except InputError as exc:
        message, code = str(exc), 2
    except KeyboardInterrupt:
        message, code = "interrupted", 130
    except _TerminatedError:
        message, code = "terminated", 143
    sys.stdout.flush()
    sys.stderr.write(f"argmap: {message}\n")
    sys.stderr.flush()
    if busy():  # clingo still grounding in a helper thread: finalising the interpreter could crash it
        os._exit(code)
    return code
