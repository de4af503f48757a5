"""`argmap test` through click's CliRunner: exit codes, -k, formats, coverage, --update."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import argmap
from helpers import PROPOSALS, ROOT

SCENARIOS = ROOT / "tests" / "scenarios"
GG = (PROPOSALS / "guaranteed_guarantees.yaml").as_posix()
ERF = (PROPOSALS / "european_reassurance_force.yaml").as_posix()
NATO = (PROPOSALS / "nato_membership.yaml").as_posix()

MIXED = f"""
scenarios:
  - name: the article's proposal holds
    tags: [smoke, credibility]
    proposal: {GG}
    expect: {{credible: true, risk: low}}
  - name: a European force is credible
    tags: [broken]
    proposal: {ERF}
    expect: {{credible: true, feasible_now: false}}
  - name: NATO waits
    tags: [slow]
    skip: not yet
    proposal: {NATO}
    expect: {{credible: true}}
  - name: table
    tags: [whatif]
    proposal: {ERF}
    variations:
      - name: US backstop
        tags: [credibility]
        changes: {{set: {{us_role: backstop}}}}
        expect: {{credible: true}}
      - name: as proposed
        expect: {{credible: false}}
"""


Run = Callable[..., Result]


def _cli(app: argmap.Argmap, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`argmap ARGS` in this process, as on the command line (project config, --kb, --layer), except that a
    run on the shipped knowledge base reuses the session's grounded engines instead of grounding its own."""
    cli_main = importlib.import_module("argmap.cli.root")

    def open_app(kb: tuple[str, ...] = (), layers: tuple[str, ...] = ()) -> argmap.Argmap:
        opened = cli_main.open_app(kb, layers)
        if opened.kb.is_shipped and opened.timeout is None:
            opened.__dict__.update(engine=app.engine, traced=app.traced)
        return opened

    monkeypatch.setattr(importlib.import_module("argmap.cli.testing"), "open_app", open_app)
    return lambda *args: CliRunner().invoke(cli_main.main, [str(a) for a in args])


@pytest.fixture
def run(app: argmap.Argmap, monkeypatch: pytest.MonkeyPatch) -> Run:
    return _cli(app, monkeypatch)


@pytest.fixture(scope="module")
def module_run(app: argmap.Argmap) -> Iterator[Run]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield _cli(app, monkeypatch)


def write(folder: Path, text: str, name: str = "cases.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def statuses(stdout: str) -> dict[str, str]:
    """Case name (after the file) -> PASS/FAIL/SKIP, from the pretty output."""
    out = {}
    for line in stdout.splitlines():
        m = re.match(r"^(PASS|FAIL|SKIP)  [^:]+::(.+?)(  \(.*\))?$", line)
        if m:
            out[m.group(2)] = m.group(1)
    return out


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("mixed"), MIXED)


@pytest.fixture(scope="module")
def passing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(
        tmp_path_factory.mktemp("passing"),
        f"""
        scenarios:
          - name: holds
            proposal: {GG}
            expect: {{credible: true, feasible_now: true}}
        """,
    )


# ---------------------------------------------------------------- exit codes
def test_all_passing_exits_0(run: Run, passing: Path) -> None:
    result = run("test", str(passing))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"PASS  {passing}::holds\n\n1 passed, 0 failed\n"
    assert result.stderr == ""


def test_a_failure_exits_1_and_shows_expected_beside_actual(run: Run, mixed: Path) -> None:
    result = run("test", str(mixed))
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert statuses(out) == {
        "the article's proposal holds": "PASS",
        "a European force is credible": "FAIL",
        "NATO waits": "SKIP",
        "table::US backstop": "PASS",
        "table::as proposed": "PASS",
    }
    assert f"{mixed}:9: expectation not met" in out
    assert re.search(r"^\s+expected\s+actual$", out, flags=re.MULTILINE)
    assert re.search(r"^\s+credible\s+true\s+false$", out, flags=re.MULTILINE)
    assert not re.search(r"^\s+feasible_now\s+false", out, flags=re.MULTILINE)
    assert "Why credible is false:" in out
    assert "[eu_needs_us]" in out
    assert "SKIP  " in out and "(not yet)" in out
    assert out.endswith("\n3 passed, 1 failed, 1 skipped\n")


def test_the_default_is_the_config_s_scenarios(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cases").mkdir()
    write(
        tmp_path / "cases",
        f"scenarios:\n  - name: from the config\n    proposal: {GG}\n    expect: {{credible: true}}\n",
    )
    (tmp_path / "scenarios").mkdir()  # the fallback folder is not used when the config names one
    write(
        tmp_path / "scenarios", f"scenarios:\n  - name: fallback\n    proposal: {GG}\n    expect: {{credible: true}}\n"
    )
    (tmp_path / "argmap.toml").write_text('scenarios = ["cases"]\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # the config is found from a folder below it
    result = run("test")
    assert result.exit_code == 0, result.output
    assert statuses(result.stdout) == {"from the config": "PASS"}
    assert f"PASS  {tmp_path / 'cases' / 'cases.yaml'}::from the config" in result.stdout


@pytest.mark.parametrize("folder", ["scenarios", "tests/scenarios"])
def test_without_a_config_the_default_is_a_scenarios_folder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    (tmp_path / folder).mkdir(parents=True)
    write(tmp_path / folder, f"scenarios:\n  - name: found\n    proposal: {GG}\n    expect: {{credible: true}}\n")
    monkeypatch.chdir(tmp_path)
    result = run("test")
    assert result.exit_code == 0, result.output
    assert f"PASS  {folder}/cases.yaml::found" in result.stdout


def test_without_a_config_or_a_scenarios_folder_is_a_usage_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("test")
    assert result.exit_code == 2
    assert "give scenario files or folders" in result.stderr
    assert result.stdout == ""


def test_a_bad_scenario_file_exits_2(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, f"scenarios:\n  - name: a\n    proposal: {GG}\n    expect: {{risk: lwo}}\n")
    result = run("test", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"argmap: {path}:4:20: error: expect.risk: 'lwo' is not a level of risk; "
        "expected one of: high, low, medium (or a list of them); did you mean 'low'?\n"
    )


def test_a_missing_path_exits_2(run: Run, tmp_path: Path) -> None:
    result = run("test", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("expr", ["smoke and", "(smoke", "smoke broken", "or"])
def test_a_bad_k_expression_exits_2(run: Run, mixed: Path, expr: str) -> None:
    result = run("test", str(mixed), "-k", expr)
    assert result.exit_code == 2
    assert result.stderr.startswith("argmap: error: -k: ")
    assert result.stdout == ""


def test_an_empty_run_fails_unless_allowed(run: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a scenario\n", encoding="utf-8")
    result = run("test", str(tmp_path))
    assert result.exit_code == 1
    assert "no scenario case found" in result.stderr
    assert "--allow-empty" in result.stderr
    allowed = run("test", "--allow-empty", str(tmp_path))
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stdout.strip() == "0 passed, 0 failed"


def test_a_k_expression_that_selects_nothing_is_an_empty_run(run: Run, mixed: Path) -> None:
    assert run("test", str(mixed), "-k", "nothing_is_called_this").exit_code == 1
    assert run("test", str(mixed), "-k", "nothing_is_called_this", "--allow-empty").exit_code == 0


# ---------------------------------------------------------------- -k
@pytest.mark.parametrize(
    ("expr", "selected", "code"),
    [
        ("smoke", {"the article's proposal holds"}, 0),
        ("credibility", {"the article's proposal holds", "table::US backstop"}, 0),
        ("whatif", {"table::US backstop", "table::as proposed"}, 0),
        ("whatif and not credibility", {"table::as proposed"}, 0),
        ("broken or slow", {"a European force is credible", "NATO waits"}, 1),
        ("not (whatif or broken)", {"the article's proposal holds", "NATO waits"}, 0),
        ("(smoke or broken) and not credibility", {"a European force is credible"}, 1),
        ("European and not table", {"a European force is credible"}, 1),
        ("proposed", {"table::as proposed"}, 0),
    ],
)
def test_k_selects_by_name_and_tag(run: Run, mixed: Path, expr: str, selected: set[str], code: int) -> None:
    result = run("test", str(mixed), "-k", expr)
    assert result.exit_code == code, result.output
    assert set(statuses(result.stdout)) == selected


# ---------------------------------------------------------------- formats
def test_json_has_summary_counts_and_one_object_per_case(run: Run, mixed: Path) -> None:
    result = run("test", "--format", "json", str(mixed))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"] == {"passed": 3, "failed": 1, "skipped": 1}
    assert "coverage" not in data
    cases = data["cases"]
    assert [c["status"] for c in cases] == ["passed", "failed", "skipped", "passed", "passed"]
    failed = cases[1]
    assert failed["id"] == f"{mixed}::a European force is credible"
    assert failed["file"] == str(mixed) and failed["line"] == 6
    assert failed["tags"] == ["broken"]
    assert failed["mismatches"] == [{"field": "credible", "expected": "true", "actual": "false"}]
    # Why the mismatched verdict has its value: a title and the explanation tree, as `explain --format json` gives.
    (why,) = failed["explanation"]
    assert why["title"] == "Why credible is false:"
    assert (why["tree"]["atom"], why["tree"]["holds"]) == ("credible", False)
    assert "eu_needs_us" in json.dumps(why["tree"])
    assert cases[2]["skip"] == "not yet"
    assert "skip" not in cases[0] and "explanation" not in cases[0]
    assert cases[3]["tags"] == ["whatif", "credibility"]


def test_json_with_coverage(run: Run, passing: Path, app: argmap.Argmap) -> None:
    data = json.loads(run("test", "--format", "json", "--coverage", str(passing)).stdout)
    cov = data["coverage"]
    assert 0 < cov["claims_percent"] < 100
    assert "eu_needs_us" in cov["claims_covered"]
    assert cov["record_only"] == sorted(c for c, claim in app.claims.items() if claim.record_only)
    uncovered = {c["claim"]: c["quote"] for c in cov["claims_uncovered"]}
    assert "russia_resumes_war" in uncovered
    assert uncovered["russia_resumes_war"] == app.claims["russia_resumes_war"].quote


def test_junit_counts_and_failure(run: Run, mixed: Path) -> None:
    result = run("test", "--format", "junit", str(mixed))
    assert result.exit_code == 1
    assert result.stdout.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    counts = {k: suite.get(k) for k in ("tests", "failures", "skipped", "errors")}
    assert counts == {"tests": "5", "failures": "1", "skipped": "1", "errors": "0"}
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "the article's proposal holds",
        "a European force is credible",
        "NATO waits",
        "table::US backstop",
        "table::as proposed",
    ]
    assert all(c.get("classname") == str(mixed) for c in cases)
    failures = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failures] == ["a European force is credible"]
    failure = failures[0].find("failure")
    assert failure is not None
    assert failure.get("message") == "credible: expected true, got false"
    assert failure.text is not None and "Why credible is false:" in failure.text
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert [c.get("name") for c in skipped] == ["NATO waits"]
    assert skipped[0].find("skipped").get("message") == "not yet"  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["pretty", "json", "junit"])
def test_the_same_input_gives_the_same_bytes(run: Run, mixed: Path, fmt: str) -> None:
    first = run("test", "--format", fmt, "--coverage", str(mixed))
    second = run("test", "--format", fmt, "--coverage", str(mixed))
    assert first.stdout_bytes == second.stdout_bytes
    assert first.stdout


# ---------------------------------------------------------------- coverage
@pytest.fixture(scope="module")
def project_coverage(module_run: Run) -> Result:
    """`argmap test --threshold 100` in the repository: its config's scenarios, with coverage."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(ROOT)
        return module_run("test", "--threshold", "100")


def test_in_the_repository_the_default_is_its_scenarios(project_coverage: Result) -> None:
    assert project_coverage.exit_code == 0, project_coverage.output
    assert re.search(r"^\d+ passed, 0 failed$", project_coverage.stdout, flags=re.MULTILINE)
    ran = {re.sub(r"::.*", "", line.split()[1]) for line in project_coverage.stdout.splitlines() if line[:4] == "PASS"}
    assert ran == {str(p) for p in SCENARIOS.glob("*.yaml")}


def test_coverage_of_the_project_scenarios_is_100_percent(project_coverage: Result, app: argmap.Argmap) -> None:
    assert project_coverage.exit_code == 0, project_coverage.output
    out = project_coverage.stdout
    record_only = sorted(c for c, claim in app.claims.items() if claim.record_only)
    exercisable = len(app.claims) - len(record_only)
    assert (
        f"Claim coverage: {exercisable}/{exercisable} claims that can be exercised (100.0%); "
        f"{len(record_only)} record-only claims cannot be exercised." in out
    )
    assert "Claims no passing case exercises:" not in out
    assert f"Record-only claims (no rule reasons from them): {', '.join(record_only)}" in out
    assert re.search(r"^Rule coverage: \d+/\d+ rules fired in a passing case \(\d+\.\d%\)\.$", out, flags=re.M)
    assert "below" not in project_coverage.stderr  # --threshold 100 is met


def test_threshold_fails_a_small_file(run: Run, passing: Path) -> None:
    result = run("test", "--threshold", "90", str(passing))
    assert result.exit_code == 1
    assert "1 passed, 0 failed" in result.stdout  # the case passed; the coverage did not
    m = re.fullmatch(r"argmap: claim coverage (\d+\.\d)% is below 90\.0%\n", result.stderr)
    assert m is not None, result.stderr
    assert float(m.group(1)) < 90
    assert "Claims no passing case exercises:" in result.stdout


def test_threshold_out_of_range_is_a_usage_error(run: Run, passing: Path) -> None:
    result = run("test", "--threshold", "101", str(passing))
    assert result.exit_code == 2


# ---------------------------------------------------------------- --update
@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """Some of the project's scenario files, and its proposals, in tmp_path, laid out so that relative paths hold."""
    shutil.copytree(PROPOSALS, tmp_path / "proposals")
    (tmp_path / "tests" / "scenarios").mkdir(parents=True)
    for name in ("counterfactuals.yaml", "models.yaml", "roadmaps.yaml"):
        shutil.copy(SCENARIOS / name, tmp_path / "tests" / "scenarios" / name)
    return tmp_path / "tests" / "scenarios"


def test_update_rewrites_a_failing_expectation(run: Run, project_copy: Path) -> None:
    target = project_copy / "counterfactuals.yaml"
    text = target.read_text(encoding="utf-8")
    row = "      - name: the US backs it\n        changes: {set: {us_role: backstop}}\n        expect:\n"
    wrong = text.replace(row + "          credible: true", row + "          credible: false")
    assert wrong != text
    target.write_text(wrong, encoding="utf-8")
    others = {p.name: p.read_bytes() for p in project_copy.glob("*.yaml") if p != target}
    assert run("test", str(project_copy)).exit_code == 1

    result = run("test", "--update", str(project_copy))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"argmap: updated {target}\n"
    assert {p.name: p.read_bytes() for p in project_copy.glob("*.yaml") if p != target} == others
    updated = target.read_text(encoding="utf-8")
    assert updated != wrong
    assert updated.startswith("# yaml-language-server: $schema=../../schema/scenario.schema.json\n")

    rerun = run("test", str(project_copy))
    assert rerun.exit_code == 0, rerun.output
    assert "0 failed" in rerun.stdout


def test_update_leaves_passing_files_untouched(run: Run, project_copy: Path) -> None:
    before = {p.name: p.read_bytes() for p in project_copy.glob("*.yaml")}
    result = run("test", "--update", str(project_copy))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert {p.name: p.read_bytes() for p in project_copy.glob("*.yaml")} == before
