"""The pytest plugin (argmap.pytest_plugin): scenario files in a `scenarios` folder become test items.

Each test builds a small project with `pytester` and runs pytest in a subprocess,
where the plugin is loaded through the installed package's `pytest11` entry point.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from helpers import PROPOSALS, RULES

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
    return pytester.runpytest_subprocess(*QUIET, *args)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def project(pytester: pytest.Pytester) -> Path:
    root = pytester.path
    write(root / "scenarios" / "cases.yaml", CASES)
    return root


def test_cases_are_collected_and_run(pytester: pytest.Pytester, project: Path) -> None:
    result = runpytest(pytester, "-v")
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
    assert "argmap/testing.py" not in text  # no Python frames from argmap itself


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
    assert "src/argmap/" not in text and "argmap/scenarios.py" not in text
    # The other files still run when collection errors are allowed.
    more = runpytest(pytester, "--continue-on-collection-errors")
    more.assert_outcomes(passed=1, failed=1, errors=1)


def test_argmap_kb_chooses_another_knowledge_base(pytester: pytest.Pytester, tmp_path: Path) -> None:
    # A layer that rejects the claims by which a European-only force fails: the failing case passes.
    layer = write(tmp_path / "layer.lp", "rejected(eu_needs_us). rejected(guaranteed_guarantees).\n")
    write(pytester.path / "scenarios" / "cases.yaml", CASES)
    result = runpytest(pytester, "--argmap-kb", str(RULES / "main.lp"), "--argmap-kb", str(layer))
    result.assert_outcomes(passed=2)
