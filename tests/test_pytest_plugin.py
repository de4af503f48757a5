"""The pytest plugin (argmap.pytest_plugin): scenario files in a `scenarios` folder become test items.

Each test builds a small project with `pytester` and runs pytest on it in this
process (the inner run loads the plugin through the installed package's
`pytest11` entry point, as a fresh process would); one test runs it in a
subprocess, where loading it that way is the point.
"""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path
from typing import Any

import pytest

import argmap
from helpers import PROPOSALS, RULES, probe_without_child

pytest_plugins = ["pytester"]

GG = (PROPOSALS / "guaranteed_guarantees.yaml").as_posix()
ERF = (PROPOSALS / "european_reassurance_force.yaml").as_posix()

CASES = f"""
# Two cases: one holds, one does not.
scenarios:
  - name: credible guarantees
    tags: [smoke]
    proposal: {GG}
    expect: {{credible: true, risk: low}}
  - name: a European force is credible
    tags: [broken]
    proposal:
      title: A European-only force
      source: Test case.
      lead: european
      guarantors: [uk, france]
      western_contingent: tripwire
    expect: {{credible: true}}
"""


#: Unrelated plugins that are slow to import; the subprocess still loads argmap's through its entry point.
QUIET = ("-p", "no:hypothesispytest", "-p", "no:benchmark")


def runpytest(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(*QUIET, *args)


@pytest.fixture(autouse=True)
def grounded_once(app: argmap.Argmap, monkeypatch: pytest.MonkeyPatch) -> None:
    """An inner run on the shipped knowledge base judges on the session's engines instead of grounding its own;
    another knowledge base is grounded as usual, less the child process that first probes it (tested in
    test_guard.py; here its files are only read).  A subprocess run is left alone."""
    api = importlib.import_module("argmap.api")
    build = api.Argmap._engine
    shipped = {False: app.engine, True: app.traced}  # grounded now, before _engine is replaced

    def engine(self: argmap.Argmap, **kw: Any) -> Any:
        if self.kb.is_shipped and self.timeout is None and set(kw) <= {"trace"}:
            return shipped[bool(kw.get("trace"))]
        return build(self, **kw)

    monkeypatch.setattr(api.Argmap, "_engine", engine)
    monkeypatch.setattr(importlib.import_module("argmap.engine.guard"), "probe", probe_without_child)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def project(pytester: pytest.Pytester) -> Path:
    root = pytester.path
    write(root / "scenarios" / "cases.yaml", CASES)
    return root


def test_cases_are_collected_and_run_in_a_fresh_process(pytester: pytest.Pytester, project: Path) -> None:
    result = pytester.runpytest_subprocess(*QUIET, "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["plugins:*argmap-*"])  # loaded through the pytest11 entry point
    result.stdout.fnmatch_lines(
        [
            "*scenarios/cases.yaml::credible guarantees PASSED*",
            "*scenarios/cases.yaml::a European force is credible FAILED*",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_failure_shows_expected_beside_actual(pytester: pytest.Pytester, project: Path) -> None:
    result = runpytest(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.re_match_lines(
        [
            r".*scenarios/cases\.yaml:15: expectation not met$",
            r"^\s+expected\s+actual$",
            r"^\s+credible\s+true\s+false$",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(["*Why credible is false:*", "*[eu_needs_us]*"])
    text = result.stdout.str()
    assert "Traceback" not in text
    assert "argmap/analysis/testing.py" not in text and "src/argmap/" not in text  # no Python frames from argmap


def test_only_yaml_in_a_scenarios_folder_is_collected(pytester: pytest.Pytester, project: Path) -> None:
    # The same file elsewhere, and a YAML file in the folder without a top-level `scenarios:`.
    write(project / "elsewhere" / "cases.yaml", CASES)
    write(project / "cases.yaml", CASES)
    write(project / "scenarios" / "proposal.yaml", "title: Not a scenario file\nsource: Test.\n")
    write(project / "scenarios" / "notes.txt", CASES)
    write(project / "tests" / "scenarios" / "deep" / "more.yml", CASES)
    result = runpytest(pytester, "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK
    collected = [line for line in result.stdout.lines if "::" in line]
    assert collected == [
        "scenarios/cases.yaml::credible guarantees",
        "scenarios/cases.yaml::a European force is credible",
        "tests/scenarios/deep/more.yml::credible guarantees",
        "tests/scenarios/deep/more.yml::a European force is credible",
    ]


@pytest.mark.parametrize(
    ("expr", "passed", "failed", "deselected"),
    [("smoke", 1, 0, 1), ("not smoke and (broken or nothing)", 0, 1, 1)],
)
def test_k_selects_cases_by_tag(
    pytester: pytest.Pytester, project: Path, expr: str, passed: int, failed: int, deselected: int
) -> None:
    result = runpytest(pytester, "-k", expr)
    result.assert_outcomes(passed=passed, failed=failed, deselected=deselected)


def test_a_skipped_case_is_skipped(pytester: pytest.Pytester) -> None:
    write(
        pytester.path / "scenarios" / "later.yaml",
        f"""
        scenarios:
          - name: later
            skip: waiting for the next article
            proposal: {GG}
            expect: {{credible: false}}
          - name: variations
            proposal: {GG}
            variations:
              - name: one
                expect: {{credible: true}}
              - name: two
                changes: {{set: {{sequencing: ceasefire_first}}}}
                expect: {{risk: medium}}
        """,
    )
    result = runpytest(pytester, "-rs", "-v")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["*waiting for the next article*"])
    result.stdout.fnmatch_lines(["*later.yaml::variations::two PASSED*"])


def test_a_malformed_file_is_a_collection_error_naming_file_and_line(pytester: pytest.Pytester) -> None:
    write(
        pytester.path / "scenarios" / "bad.yaml",
        f"""
        scenarios:
          - name: typo
            proposal: {GG}
            expect:
              credibel: true
        """,
    )
    write(pytester.path / "scenarios" / "good.yaml", CASES)
    result = runpytest(pytester)
    # As for any collection error, pytest stops before running the good file's cases.
    result.assert_outcomes(errors=1)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    text = result.stdout.str()
    assert "ERROR collecting scenarios/bad.yaml" in text
    result.stdout.fnmatch_lines(
        ["*scenarios/bad.yaml:5:7: error: credibel: unknown key in expect;*did you mean 'credible'?"]
    )
    assert "Traceback" not in text
    assert "src/argmap/" not in text and "argmap/io/scenarios.py" not in text
    # The other files still run when collection errors are allowed.
    more = runpytest(pytester, "--continue-on-collection-errors")
    more.assert_outcomes(passed=1, failed=1, errors=1)


#: A layer that rejects the claims by which a European-only force fails: with it, the failing case passes.
LAYER = "rejected(eu_needs_us). rejected(guaranteed_guarantees).\n"


def test_argmap_kb_and_argmap_layer_choose_another_knowledge_base(pytester: pytest.Pytester, tmp_path: Path) -> None:
    layer = write(tmp_path / "layer.lp", LAYER)
    write(pytester.path / "scenarios" / "cases.yaml", CASES)
    result = runpytest(pytester, "--argmap-kb", str(RULES / "main.lp"), "--argmap-layer", str(layer))
    result.assert_outcomes(passed=2)


def test_the_project_config_names_the_knowledge_base(pytester: pytest.Pytester) -> None:
    # The config above the scenario file adds the layer; the case that fails on the shipped knowledge base passes.
    write(pytester.path / "project" / "layer.lp", LAYER)
    write(pytester.path / "project" / "argmap.toml", 'layers = ["layer.lp"]\n')
    write(pytester.path / "project" / "scenarios" / "cases.yaml", CASES)
    # A scenario file outside the project is judged on the shipped knowledge base: its failing case fails.
    write(pytester.path / "scenarios" / "cases.yaml", CASES)
    result = runpytest(pytester, "-v")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "project/scenarios/cases.yaml::a European force is credible PASSED*",
            "scenarios/cases.yaml::a European force is credible FAILED*",
        ],
        consecutive=False,
    )
