"""pytest plugin: scenario files are collected as test items.

Registered through the ``pytest11`` entry point, so a plain ``pytest`` runs
every YAML file with a top-level ``scenarios:`` key that lies in a folder
named ``scenarios``.  One knowledge base is grounded per session (``--argmap-kb``
chooses another); each case is one solve under assumptions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .api import Argmap
from .errors import InputError
from .render_testing import case_failure_text
from .scenarios import SCENARIO_SUFFIXES, Case, load_scenarios
from .testing import FAILED, CaseResult, run_case

_APP = pytest.StashKey[Argmap]()
_TOP = re.compile(r"^scenarios\s*:", re.M)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("argmap")
    group.addoption(
        "--argmap-kb",
        action="append",
        default=[],
        metavar="FILE",
        help="knowledge-base rule file for scenario files (repeatable; default: argmap's own)",
    )


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix not in SCENARIO_SUFFIXES or "scenarios" not in file_path.parts[:-1]:
        return None
    try:
        head = file_path.read_text(encoding="utf-8", errors="replace")[:65536]
    except OSError:
        return None
    if not _TOP.search(head):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


def _app(config: pytest.Config) -> Argmap:
    if _APP not in config.stash:
        config.stash[_APP] = Argmap(config.getoption("argmap_kb") or None, trace=True)
    return config.stash[_APP]


class ScenarioMismatchError(Exception):
    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.case.id)
        self.result = result


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        app = _app(self.config)
        try:
            cases = load_scenarios(str(self.path), app.engine.vocabulary).cases
        except InputError as exc:
            raise self.CollectError(str(exc)) from None
        for case in cases:
            yield ScenarioItem.from_parent(self, name=case.id.split("::", 1)[1], case=case)


class ScenarioItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.extra_keyword_matches.update(case.tags)

    def runtest(self) -> None:
        if self.case.skip:
            pytest.skip(self.case.skip)
        result = run_case(_app(self.config), self.case)
        if result.status == FAILED:
            raise ScenarioMismatchError(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioMismatchError):
            r = excinfo.value.result
            return f"{r.case.file}:{r.case.expect.line}: expectation not met\n{case_failure_text(r)}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"scenario: {self.case.name}"
