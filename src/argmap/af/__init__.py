"""Abstract argumentation (Dung 1995) on clingo, in the style of ASPARTIX.

Frameworks are read from the ICCMA formats (apx, tgf, i23) or from the
knowledge base (facts/af.lp, the article's own framework); the semantics are
the ASP encodings in ``argmap/lp/af/``; answers follow the ICCMA output
conventions.  Nothing here imports click.
"""

from __future__ import annotations

from .article import Acceptance, ArticleFramework, Position, acceptance, load_article
from .formats import FORMATS, detect_format, parse_framework, read_framework
from .framework import Extension, Framework
from .reasoner import FILES, ICCMA_SEMANTICS, NAMES, Reasoner, reasoner
from .render import iccma, report_json, report_text
from .tasks import TASKS, Answer, solve

__all__ = [
    "FILES",
    "FORMATS",
    "ICCMA_SEMANTICS",
    "NAMES",
    "TASKS",
    "Acceptance",
    "Answer",
    "ArticleFramework",
    "Extension",
    "Framework",
    "Position",
    "Reasoner",
    "acceptance",
    "detect_format",
    "iccma",
    "load_article",
    "parse_framework",
    "read_framework",
    "reasoner",
    "report_json",
    "report_text",
    "solve",
]
