"""The command line: a thin click layer over :mod:`argmap.api`."""

from .main import entry, main

__all__ = ["entry", "main"]
