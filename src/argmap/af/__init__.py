"""Abstract argumentation (Dung 1995) on clingo, in the style of ASPARTIX.

Frameworks are read from the ICCMA formats (apx, tgf, i23) or from the
knowledge base (af_arg/2 and af_att/2 facts, as in facts/af.lp); the semantics are
the ASP encodings in ``argmap/lp/af/``; answers follow the ICCMA output
conventions.  Nothing here imports click, nor the rest of argmap beyond its
error type.

The names below are loaded on first use (PEP 562), so that ``argmap.af.codes``
can be read without importing clingo.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Acceptance": "article",
    "ArticleFramework": "article",
    "Position": "article",
    "acceptance": "article",
    "framework_of": "article",
    "FORMATS": "codes",
    "ICCMA_SEMANTICS": "codes",
    "TASKS": "codes",
    "TASK_NAMES": "codes",
    "detect_format": "formats",
    "parse_framework": "formats",
    "read_framework": "formats",
    "Extension": "framework",
    "Framework": "framework",
    "Deadline": "limits",
    "TaskTimeoutError": "limits",
    "FILES": "semantics",
    "NAMES": "semantics",
    "Reasoner": "semantics",
    "reasoner": "semantics",
    "iccma": "render",
    "report_json": "render",
    "report_text": "render",
    "Answer": "tasks",
    "solve": "tasks",
}

__all__ = [
    "FILES",
    "FORMATS",
    "ICCMA_SEMANTICS",
    "NAMES",
    "TASKS",
    "TASK_NAMES",
    "Acceptance",
    "Answer",
    "ArticleFramework",
    "Deadline",
    "Extension",
    "Framework",
    "Position",
    "Reasoner",
    "TaskTimeoutError",
    "acceptance",
    "detect_format",
    "framework_of",
    "iccma",
    "parse_framework",
    "read_framework",
    "reasoner",
    "report_json",
    "report_text",
    "solve",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from .article import Acceptance, ArticleFramework, Position, acceptance, framework_of
    from .codes import FORMATS, ICCMA_SEMANTICS, TASK_NAMES, TASKS
    from .formats import detect_format, parse_framework, read_framework
    from .framework import Extension, Framework
    from .limits import Deadline, TaskTimeoutError
    from .render import iccma, report_json, report_text
    from .semantics import FILES, NAMES, Reasoner, reasoner
    from .tasks import Answer, solve
