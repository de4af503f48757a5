"""Answers as the ICCMA competitions print them, and the article's report.

- ``apx`` and ``tgf`` (ICCMA 2019): SE ``[a,b]`` (``NO`` when there is no
  extension), EE ``[[a,b],[c]]`` (``[]`` when there is none), DC and DS
  ``YES`` or ``NO``.
- ``i23`` (ICCMA 2023, Main Track): SE ``w 1 2`` (``w`` alone for the empty
  extension, ``NO`` when there is none); DC ``YES`` then the certificate
  ``w ...`` (an extension containing the argument), or ``NO``; DS ``YES``, or
  ``NO`` then the certificate ``w ...`` (an extension without it).  ICCMA 2023
  has no EE task; argmap prints one ``w ...`` line per extension, or ``NO``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .framework import Extension, Framework, name_key
from .semantics import NAMES
from .tasks import Answer

if TYPE_CHECKING:  # the article's report only; ICCMA answers need none of it
    from .article import Acceptance, ArticleFramework


def _apx_set(framework: Framework, extension: Extension) -> str:
    return "[" + ",".join(framework.sorted_names(extension)) + "]"


def _w(framework: Framework, extension: Extension) -> str:
    return " ".join(["w", *framework.sorted_names(extension)])


def iccma(answer: Answer, framework: Framework) -> str:
    """The answer in the ICCMA output format that goes with the framework's input format."""
    lines = _iccma23(answer, framework) if framework.fmt == "i23" else _iccma19(answer, framework)
    return "\n".join(lines) + "\n"


def _iccma19(answer: Answer, framework: Framework) -> list[str]:
    if answer.task == "SE":
        return [_apx_set(framework, answer.extensions[0])] if answer.extensions else ["NO"]
    if answer.task == "EE":
        return ["[" + ",".join(_apx_set(framework, e) for e in answer.extensions) + "]"]
    return ["YES" if answer.accepted else "NO"]


def _iccma23(answer: Answer, framework: Framework) -> list[str]:
    if answer.task in ("SE", "EE"):
        return [_w(framework, e) for e in answer.extensions] or ["NO"]
    lines = ["YES" if answer.accepted else "NO"]
    if answer.witness is not None:
        lines.append(_w(framework, answer.witness))
    return lines


# ------------------------------------------------------------------ the article's framework
_MARK = {"sceptical": "S", "credulous": "c", "none": "-"}


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def report_text(article: ArticleFramework, report: Sequence[Acceptance]) -> str:
    """Which of the knowledge base's positions each semantics accepts, as a table."""
    fw = article.framework
    lines = [
        f"The knowledge base's argumentation framework: {len(fw)} arguments, {len(fw.attacks)} attacks",
        f"  ({', '.join(_shown(p) for p in article.files)})",
        "",
        "S accepted sceptically (in every extension), c credulously only (in some,",
        "not all), - not accepted.",
        "",
    ]
    width = max(len(n) for n in fw.names)
    columns = [a.semantics for a in report]
    header = f"{'argument':<{width}}  " + " ".join(f"{c:<3}" for c in columns) + "  claim  (held by)"
    lines.append(header.rstrip())
    for i in sorted(range(len(fw)), key=lambda i: name_key(fw.names[i])):
        position = article.positions[fw.names[i]]
        marks = " ".join(f"{_MARK[a.status(i)]:<3}" for a in report)
        held = f"  ({', '.join(position.holders)})" if position.holders else ""
        lines.append(f"{fw.names[i]:<{width}}  {marks}  {position.claim}{held}")
    lines.append("")
    counts = ", ".join(f"{a.semantics} {len(a.extensions)}" for a in report)
    lines.append(f"Extensions: {counts}  (argmap af --kb-framework -s SEMANTICS -t EE lists them)")
    for a in report:
        if not a.extensions:
            lines.append(
                f"{NAMES[a.semantics]} ({a.semantics}): no extension, so every argument is sceptically"
                " accepted, vacuously (the ICCMA convention)"
            )
    return "\n".join(lines) + "\n"


def report_json(article: ArticleFramework, report: Sequence[Acceptance]) -> dict[str, Any]:
    """The same report as JSON-ready data."""
    fw = article.framework
    return {
        "framework": {
            "files": [_shown(p) for p in article.files],
            "arguments": len(fw),
            "attacks": sorted(
                ([fw.names[a], fw.names[b]] for a, b in fw.attacks), key=lambda p: [name_key(n) for n in p]
            ),
        },
        "semantics": {
            a.semantics: {
                "name": NAMES[a.semantics],
                "extensions": [fw.sorted_names(e) for e in a.extensions],
                "sceptical": fw.sorted_names(a.sceptical),
                "credulous": fw.sorted_names(a.credulous),
            }
            for a in report
        },
        "positions": [
            {
                "id": fw.names[i],
                "claim": article.positions[fw.names[i]].claim,
                "by": list(article.positions[fw.names[i]].holders),
                "paraphrase": article.positions[fw.names[i]].paraphrase,
                "accepted": {a.semantics: a.status(i) for a in report},
            }
            for i in sorted(range(len(fw)), key=lambda i: name_key(fw.names[i]))
        ],
    }
