"""Fixtures shared by the test modules: one knowledge base per module."""

from __future__ import annotations

import pytest

import argmap
from helpers import PROPOSALS


@pytest.fixture(scope="module")
def app() -> argmap.Argmap:
    """The shipped knowledge base, grounded once for the module."""
    return argmap.Argmap()


@pytest.fixture(scope="module")
def proposals(app: argmap.Argmap) -> dict[str, argmap.Proposal]:
    """Every example proposal, by id."""
    return {p.id: p for p in app.load_all([str(PROPOSALS)])}
