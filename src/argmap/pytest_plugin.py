"""pytest plugin: scenario files are collected as test items.

Registered through the ``pytest11`` entry point, so a plain ``pytest`` runs
every YAML file with a top-level ``scenarios:`` key that lies in a folder
named ``scenarios``.  The knowledge base is the one the project config names
(``argmap.toml`` or ``[tool.argmap]``, found from the scenario file's folder),
else the shipped one; ``--argmap-kb`` and ``--argmap-layer`` choose others.
One knowledge base is grounded per session and config; each case is judged
on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .analysis.testing import FAILED, run_case
from .api import Argmap
from .io.scenarios import SCENARIO_SUFFIXES, load_scenarios
from .model.errors import InputError
from .model.testing import Case, CaseResult
from .render.testing import case_failure_text

_APP = pytest.StashKey[dict]()
_TOP = re.compile(r"^scenarios\s*:", re.M)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("argmap")
    group.addoption(
        "--argmap-kb",
        action="append",
        default=[],
        metavar="FILE",
        help="knowledge-base rule file for scenario files (repeatable; default: the project config's, else argmap's)",
    )
    group.addoption(
        "--argmap-layer",
        action="append",
        default=[],
        metavar="FILE",
        help="rule file layered on the knowledge base for scenario files (repeatable)",
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


def _app(config: pytest.Config, path: Path) -> Argmap:
    """The knowledge base for a scenario file: one per project config, built once per session."""
    from .io import config as project

    found = project.find(str(path.parent))
    if _APP not in config.stash:
        config.stash[_APP] = {}
    apps: dict[str | None, Argmap] = config.stash[_APP]
    if found.path not in apps:
        apps[found.path] = Argmap(
            config.getoption("argmap_kb") or None, layers=config.getoption("argmap_layer") or (), config=found
        )
    return apps[found.path]


class ScenarioMismatchError(Exception):
    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.case.id)
        self.result = result


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        app = _app(self.config, self.path)
        try:
            cases = load_scenarios(str(self.path), app.traced.vocabulary).cases  # the engine the cases run on
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
        result = run_case(_app(self.config, self.path).traced, self.case)
        if result.status == FAILED:
            raise ScenarioMismatchError(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioMismatchError):
            r = excinfo.value.result
            return f"{r.case.file}:{r.case.expect.line}: expectation not met\n{case_failure_text(r)}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"scenario: {self.case.name}"
