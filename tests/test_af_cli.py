"""`argmap af` and `argmap af-kb` through click's CliRunner: ICCMA output, exit codes, clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import argmap.cli.af  # noqa: F401  (registers the commands until cli/main.py imports it)
from argmap.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "af"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["af", *args])


def assert_clean_error(result: Result) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""


# ------------------------------------------------------------------ ICCMA 2019 style (apx, tgf)
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-s", "CO", "-t", "EE"], "[[],[a],[b,d]]\n"),
        (["-s", "PR", "-t", "EE"], "[[a],[b,d]]\n"),
        (["-s", "ST", "-t", "EE"], "[[b,d]]\n"),
        (["-s", "SST", "-t", "EE"], "[[b,d]]\n"),
        (["-s", "STG", "-t", "EE"], "[[b,d]]\n"),
        (["-s", "GR", "-t", "EE"], "[[]]\n"),
        (["-s", "ID", "-t", "EE"], "[[]]\n"),
        (["-s", "GR", "-t", "SE"], "[]\n"),
        (["-s", "ST", "-t", "SE"], "[b,d]\n"),
        (["-s", "PR", "-t", "DC", "-a", "a"], "YES\n"),
        (["-s", "PR", "-t", "DS", "-a", "a"], "NO\n"),
        (["-s", "ST", "-t", "DS", "-a", "b"], "YES\n"),
        (["-s", "CO", "-t", "DC", "-a", "c"], "NO\n"),
        (["-s", "GR", "-t", "DS", "-a", "a"], "NO\n"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
@pytest.mark.parametrize("name", ["sample.apx", "sample.tgf"])
def test_iccma19_answers(name: str, args: list[str], expected: str) -> None:
    result = run(str(DATA / name), *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


def test_no_stable_extension_iccma19() -> None:
    path = str(DATA / "odd_cycle.apx")
    assert run(path, "-s", "ST", "-t", "EE").stdout == "[]\n"
    assert run(path, "-s", "ST", "-t", "SE").stdout == "NO\n"
    assert run(path, "-s", "ST", "-t", "DC", "-a", "a").stdout == "NO\n"
    assert run(path, "-s", "ST", "-t", "DS", "-a", "a").stdout == "YES\n"


# ------------------------------------------------------------------ ICCMA 2023 style (i23)
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-s", "ST", "-t", "SE"], "w 2 4\n"),
        (["-s", "GR", "-t", "SE"], "w\n"),
        (["-s", "PR", "-t", "DC", "-a", "1"], "YES\nw 1\n"),
        (["-s", "PR", "-t", "DC", "-a", "3"], "NO\n"),
        (["-s", "PR", "-t", "DS", "-a", "4"], "NO\nw 1\n"),
        (["-s", "ST", "-t", "DS", "-a", "4"], "YES\n"),
        (["-s", "CO", "-t", "DS", "-a", "2"], "NO\nw\n"),
        (["-s", "PR", "-t", "EE"], "w 1\nw 2 4\n"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
@pytest.mark.parametrize("name", ["sample.i23", "sample.af"])
def test_iccma23_answers(name: str, args: list[str], expected: str) -> None:
    result = run(str(DATA / name), *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


def test_no_stable_extension_iccma23() -> None:
    path = str(DATA / "odd_cycle.i23")
    assert run(path, "-s", "ST", "-t", "SE").stdout == "NO\n"
    assert run(path, "-s", "ST", "-t", "EE").stdout == "NO\n"
    assert run(path, "-s", "ST", "-t", "DS", "-a", "1").stdout == "YES\n"
    assert run(path, "-s", "ST", "-t", "DC", "-a", "1").stdout == "NO\n"


def test_fo_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "framework.txt"
    path.write_text((DATA / "sample.tgf").read_text(encoding="utf-8"), encoding="utf-8")
    result = run(str(path), "--fo", "tgf", "-s", "PR", "-t", "EE")
    assert result.exit_code == 0, result.output
    assert result.stdout == "[[a],[b,d]]\n"


def test_semantics_and_task_are_case_insensitive() -> None:
    assert run(str(DATA / "sample.apx"), "-s", "pr", "-t", "ee").stdout == "[[a],[b,d]]\n"


def test_same_bytes_every_time() -> None:
    outputs = {run(str(DATA / "sample.apx"), "-s", "CO", "-t", "EE").stdout for _ in range(3)}
    assert len(outputs) == 1


# ------------------------------------------------------------------ bad input: exit 2, no traceback
def test_bad_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.apx"
    path.write_text("arg(a).\natt(a,b).\n", encoding="utf-8")
    result = run(str(path), "-s", "GR", "-t", "SE")
    assert_clean_error(result)
    assert result.stderr.startswith(f"argmap: {path}:2: error: ")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["tests/data/af/absent.apx", "-s", "GR", "-t", "SE"], "no such file"),
        (["pyproject.toml", "-s", "GR", "-t", "SE"], "cannot tell the format"),
        (["tests/data/af/sample.apx", "-s", "PR", "-t", "DC", "-a", "z"], "'z' is not an argument"),
        (["tests/data/af/sample.i23", "-s", "PR", "-t", "DC", "-a", "a"], "'a' is not an argument"),
        (["tests/data/af/sample.apx", "-s", "PR", "-t", "DC"], "--arg"),
        (["tests/data/af/sample.apx", "-s", "PR", "-t", "EE", "-a", "a"], "takes no --arg"),
        (["tests/data/af/sample.apx", "-s", "XX", "-t", "EE"], "XX"),
        (["tests/data/af/sample.apx", "-s", "PR"], "--task"),
        (["-s", "PR", "-t", "EE"], "--kb-framework"),
        (["tests/data/af/sample.apx", "--kb-framework", "-s", "PR", "-t", "EE"], "not both"),
        (["--kb-framework", "--fo", "apx", "-s", "PR", "-t", "EE"], "--fo"),
        (["tests/data/af/sample.apx", "--fo", "xml", "-s", "PR", "-t", "EE"], "xml"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_bad_input_exits_2(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert_clean_error(result)
    assert fragment in result.stderr


def test_unknown_argument_gets_a_suggestion() -> None:
    result = run(str(DATA / "sample.apx"), "-s", "PR", "-t", "DC", "-a", "dd")
    assert_clean_error(result)
    assert "did you mean 'd'?" in result.stderr


# ------------------------------------------------------------------ the article's framework
def test_kb_framework_grounded() -> None:
    result = run("--kb-framework", "-s", "GR", "-t", "EE")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("[[") and result.stdout.endswith("]]\n")
    extension = result.stdout[2:-3].split(",")
    assert "guarantees_first" in extension
    assert "us_ceasefire_first" not in extension
    assert run("--kb-framework", "-s", "GR", "-t", "DC", "-a", "guarantees_first").stdout == "YES\n"
    assert run("--kb-framework", "-s", "PR", "-t", "DS", "-a", "guaranteed_guarantees").stdout == "NO\n"


def test_af_kb_text() -> None:
    result = CliRunner().invoke(main, ["af-kb"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line[:1].islower()}
    assert lines["argument"][1:8] == ["GR", "ID", "CO", "PR", "ST", "SST", "STG"]
    assert lines["guarantees_first"][1:9] == ["S"] * 7 + ["guarantees_precondition"]
    assert lines["us_ceasefire_first"][1:9] == ["-"] * 7 + ["oval_office_clash"]
    assert lines["guaranteed_guarantees"][1:3] == ["-", "-"]
    assert lines["guaranteed_guarantees"][3] == "c"


def test_af_kb_json_and_semantics_option() -> None:
    result = CliRunner().invoke(main, ["af-kb", "--format", "json", "-s", "gr", "-s", "PR"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data["semantics"]) == ["GR", "PR"]
    by_id = {p["id"]: p for p in data["positions"]}
    assert by_id["guarantees_first"]["claim"] == "guarantees_precondition"
    assert by_id["guarantees_first"]["accepted"] == {"GR": "sceptical", "PR": "sceptical"}
    assert by_id["us_ceasefire_first"]["accepted"] == {"GR": "none", "PR": "none"}
    assert by_id["guaranteed_guarantees"]["accepted"] == {"GR": "none", "PR": "credulous"}
    assert by_id["us_ceasefire_first"]["by"] == ["us"]
    assert data["framework"]["files"] == ["rules/main.lp"]  # the knowledge base the framework comes from


def test_af_kb_bad_kb_exits_2(tmp_path: Path) -> None:
    """A layer that attacks an argument the framework does not have is refused, naming it."""
    path = tmp_path / "af.lp"
    path.write_text("af_att(guarantees_first, nowhere).\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["af-kb", "--layer", str(path)])
    assert_clean_error(result)
    assert "nowhere is not an argument" in result.stderr


def test_af_kb_of_a_knowledge_base_without_a_framework_says_so(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    made = CliRunner().invoke(main, ["init", str(tmp_path / "kb")])
    assert made.exit_code == 0, made.output
    result = CliRunner().invoke(main, ["af-kb", "--kb", str(tmp_path / "kb" / "rules" / "main.lp")])
    assert_clean_error(result)
    assert "has no argumentation framework" in result.stderr
