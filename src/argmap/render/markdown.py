"""Verdicts as a Markdown table: one row a proposal, one column a declared verdict (``check --format markdown``).

Cells read as ``check`` reads them (yes, no, met, in some completions, a
level, the members); ``—`` stands for a set verdict with no member.  Pipes,
line breaks and every character CommonMark reads as markup (``<`` of an HTML
tag, ``&`` of an entity, backticks, ``*``, ``[``, ``]``, ``!``, ``~``, ``#``,
and ``_`` where it could start or end emphasis) are escaped, so any text gives
a valid table that shows the text as it is (CommonMark with GitHub's table
extension).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model.kb import Vocabulary
from ..model.verdicts import Outcome, Verdict
from .text import clean

#: Markup characters, and an underscore that is not between two letters or digits (intraword, it is text).
_MARKUP = re.compile(r"[\\`*\[\]<>&!~#|]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


def _cell(text: str) -> str:
    return _MARKUP.sub(lambda m: "\\" + m.group(), clean(text))


def _value(o: Outcome) -> str:
    if o.spec.kind == "set" and not o.values:
        return "—"
    return o.text().replace(" (depends on open aspects)", "")


def header(voc: Vocabulary) -> str:
    labels = ["proposal", *(spec.label for spec in voc.registry)]
    return "| " + " | ".join(_cell(label) for label in labels) + " |\n" + "|" + "---|" * len(labels) + "\n"


def row(v: Verdict) -> str:
    cells = [v.proposal.id, *(_value(o) for o in v.outcomes)]
    return "| " + " | ".join(_cell(c) for c in cells) + " |\n"


def table(verdicts: Iterable[Verdict], voc: Vocabulary) -> str:
    return header(voc) + "".join(row(v) for v in verdicts)
