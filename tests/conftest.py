"""Fixtures shared by the test modules: one knowledge base per session, and golden files.

Grounding is the slow part of most tests, so a test process keeps every engine
it grounds (argmap keeps the last few; a test process sees many small
knowledge bases written by tests, which would push the shipped one out and
have it grounded again).  Engines are reused only while their files are
unchanged, so keeping more of them changes no result.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest

import argmap
import argmap.engine.cache
from argmap.io.files import atomic_write
from helpers import PROPOSALS

argmap.engine.cache.LIMIT = max(argmap.engine.cache.LIMIT, 64)


@pytest.fixture(scope="session")
def app() -> argmap.Argmap:
    """The shipped knowledge base (no project config), its engines grounded once for the session."""
    from argmap.io.config import Config

    return argmap.Argmap(config=Config())


@pytest.fixture(scope="session")
def proposals(app: argmap.Argmap) -> dict[str, argmap.Proposal]:
    """Every example proposal, by id."""
    return {p.id: p for p in app.load_all([str(PROPOSALS)])}


# ---------------------------------------------------------------- golden files
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files under tests/golden/ with the current output (review the diff)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare a text with tests/golden/<name>; only --update-golden rewrites the file.

    Without the flag, a missing or different golden file fails the test with a
    unified diff (expected: the golden file; actual: the text).
    """
    update = bool(request.config.getoption("--update-golden"))

    def compare(name: str, text: str) -> None:
        path = GOLDEN / name
        shown = path.relative_to(GOLDEN.parent.parent).as_posix()
        if update:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(str(path), text)
            return
        if not path.is_file():
            pytest.fail(f"golden file {shown} is missing; create it with `python -m pytest --update-golden`")
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{shown} (golden)",
                tofile=f"{shown} (actual)",
            )
            pytest.fail(
                f"output differs from {shown} (refresh with --update-golden, then review the diff):\n" + "".join(diff),
                pytrace=False,
            )

    return compare
