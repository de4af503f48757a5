"""The one way tests run argmap's command line in-process: click's CliRunner, engines shared.

Every command opens an :class:`argmap.Argmap`, whose engines are grounded on
first use (a second or two each).  A test suite that runs hundreds of commands
on the shipped knowledge base would spend its time grounding the same program
again and again, so :func:`run` lends each command an Argmap from a cache:
one per project config and ``--timeout``, for the shipped knowledge base only.
A command with ``--kb`` or ``--layer`` (which a test may point at files it
just wrote) always gets a fresh one, probe included.  Sharing is what the
engine is designed for (ground once, solve under assumptions), so outputs are
the same as with a fresh Argmap each time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

import argmap.api
from argmap.cli.root import main
from argmap.engine.kbspec import KnowledgeBase

_REAL = argmap.api.Argmap
_SHARED: dict[tuple[str, float | None], argmap.api.Argmap] = {}


def _lend(kb: Any = None, *, layers: Any = (), timeout: float | None = None, config: Any = None) -> argmap.api.Argmap:
    """Argmap(...) as the commands call it: a shared instance for the shipped knowledge base."""
    if config is not None or isinstance(kb, KnowledgeBase) or kb or layers:
        return _REAL(kb, layers=layers, timeout=timeout, config=config)
    from argmap.io import config as config_module

    found = config_module.find()
    fresh = _REAL(None, timeout=timeout, config=found)
    if not fresh.kb.is_shipped:
        return fresh
    key = (repr(found), timeout)
    if key not in _SHARED:
        _SHARED[key] = fresh
    return _SHARED[key]


@contextlib.contextmanager
def shared_engines() -> Iterator[None]:
    """While active, commands opened on the shipped knowledge base share their grounded engines."""
    saved = argmap.api.Argmap
    argmap.api.Argmap = _lend  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        argmap.api.Argmap = saved  # type: ignore[misc]


def run(*args: str | Path, **kwargs: Any) -> Result:
    """`argmap ARGS` in this process; stdout and stderr apart (click >= 8.2)."""
    with shared_engines():
        return CliRunner().invoke(main, [str(a) for a in args], **kwargs)
