"""argmap: an argument-mapping rules engine on clingo.

The public API is :class:`argmap.Argmap` (see ``argmap.api``); the names below
are imported on first use, so that ``import argmap`` (and every command that
does not need them) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS = {
    "Argmap": "argmap.api",
    "InputError": "argmap.model.errors",
    "Claim": "argmap.model.kb",
    "Vocabulary": "argmap.model.kb",
    "Proposal": "argmap.model.proposal",
    "World": "argmap.model.proposal",
    "Change": "argmap.model.proposal",
    "Verdict": "argmap.model.verdicts",
    "Registry": "argmap.model.verdicts",
    "VerdictSpec": "argmap.model.verdicts",
    "KnowledgeBase": "argmap.engine.kbspec",
}

__all__ = [
    "Argmap",
    "Change",
    "Claim",
    "InputError",
    "KnowledgeBase",
    "Proposal",
    "Registry",
    "Verdict",
    "VerdictSpec",
    "Vocabulary",
    "World",
]

if TYPE_CHECKING:  # pragma: no cover
    from .api import Argmap
    from .engine.kbspec import KnowledgeBase
    from .model.errors import InputError
    from .model.kb import Claim, Vocabulary
    from .model.proposal import Change, Proposal, World
    from .model.verdicts import Registry, Verdict, VerdictSpec


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'argmap' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
