"""`argmap serve`: a page for exploring one knowledge base's counterfactuals in the browser.

:mod:`argmap.serve.service` answers the page's questions as JSON data (no web
framework), :mod:`argmap.serve.app` is the Starlette application around it,
:mod:`argmap.serve.server` runs it with uvicorn, and ``static/`` holds the page
(one HTML file, one script, one style sheet, served by argmap itself).
Starlette and uvicorn are optional dependencies (``pip install 'argmap[serve]'``);
nothing else in argmap imports this package.
"""

from __future__ import annotations

MISSING = "argmap serve needs starlette and uvicorn"
INSTALL = "pip install 'argmap[serve]'"


def available() -> str | None:
    """None when Starlette and uvicorn can be imported, else the name of the one that cannot."""
    import importlib.util

    for name in ("starlette", "uvicorn"):
        if importlib.util.find_spec(name) is None:
            return name
    return None
