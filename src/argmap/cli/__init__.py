"""The command line: a thin click layer over :mod:`argmap.api`."""

from .main import main

__all__ = ["main"]
