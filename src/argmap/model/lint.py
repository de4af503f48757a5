"""Lint findings about a knowledge base: a code, a place and a message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ERROR, WARNING = "error", "warning"

#: Every check: code -> (severity, what it finds).
CODES: dict[str, tuple[str, str]] = {
    "AM001": (ERROR, "a claim has no quote (or only empty ones)"),
    "AM002": (ERROR, "a claim has no usable id or kind, or a quote/paraphrase/caveat names no declared claim"),
    "AM003": (ERROR, "a claim id is declared more than once"),
    "AM004": (WARNING, "a claim has no paraphrase"),
    "AM005": (ERROR, "a quote is not verbatim in its source text"),
    "AM006": (ERROR, "a predicate used in a body is defined nowhere (no head, fact, #external or #defined)"),
    "AM007": (WARNING, "a claim that no rule or fact uses and that is not marked as not formalized"),
    "AM008": (WARNING, "a derived predicate that no body uses and no #show shows"),
    "AM009": (WARNING, "a predicate without a `%*! pred(Args)` docstring"),
    "AM010": (ERROR, "the knowledge base does not parse or ground"),
    "AM011": (ERROR, "an example proposal does not load, or the knowledge base has no answer for it"),
    "AM012": (WARNING, "an example proposal lacks the `# yaml-language-server: $schema=` comment"),
    "AM013": (ERROR, "a declared verdict that no rule derives"),
    "AM014": (ERROR, "a reason/4 for a verdict that is not declared, or with an effect the verdict does not have"),
    "AM015": (WARNING, "a #show of a predicate that is neither a verdict nor one argmap reads"),
    "AM016": (ERROR, "a verdict, or a predicate argmap reads, that is derived but not shown"),
    "AM017": (ERROR, "the knowledge base defines a predicate that argmap's prelude provides, or a reserved __ name"),
    "AM018": (ERROR, "a claim names a source that no --source (or [sources] in the config) gives"),
}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, at a file and line.

    For a quote not in its source, ``closest`` is the most similar passage
    and ``diff`` a word diff against it.
    """

    file: str
    line: int
    code: str
    message: str
    closest: str = ""
    diff: str = ""

    @property
    def severity(self) -> str:
        return CODES[self.code][0]


def failing(findings: Sequence[Finding], *, strict: bool) -> bool:
    """Whether `findings` should fail a run: any error, or with `strict` any finding."""
    return any(strict or f.severity == ERROR for f in findings)
