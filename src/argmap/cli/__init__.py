"""The command line: a thin click layer over :mod:`argmap.api`.

``entry`` is the console script.  A plain ``argmap af ...`` command line (the
way ICCMA solver interfaces call a solver, once per question) is answered by
:mod:`argmap.af.command` without importing click; anything else goes to click.
"""

from __future__ import annotations

import sys
from typing import Any


def entry() -> None:
    """The `argmap` console script."""
    if "af" in sys.argv[1:4]:
        from ..af.command import run

        code = run(sys.argv[1:])
        if code is not None:
            sys.exit(code)
    from .root import entry as click_entry

    click_entry()


def __getattr__(name: str) -> Any:
    if name == "main":
        from .root import main

        return main
    raise AttributeError(f"module 'argmap.cli' has no attribute {name!r}")


__all__ = ["entry", "main"]
