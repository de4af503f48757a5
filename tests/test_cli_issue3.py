"""The commands explain, whatif, repair and sensitivity through click's CliRunner: exit codes, output, errors."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner, Result

from argmap.cli import main
from helpers import ROOT

ERF = "proposals/european_reassurance_force.yaml"
GG = "proposals/guaranteed_guarantees.yaml"
AIR = "proposals/us_air_intel_backstop.yaml"
TAIWAN = "proposals/taiwan_style_law.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_input_error(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("argmap: ")
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def row(stdout: str, label: str) -> list[str]:
    """The before/after row of a what-if table: [before, after] plus '<- flipped' when flipped."""
    match = re.search(rf"^  {re.escape(label)}\s+(.*)$", stdout, flags=re.MULTILINE)
    assert match, f"no row {label!r}"
    return match.group(1).split()


# ---------------------------------------------------------------- explain
def test_explain_refuses_why_and_why_not_together() -> None:
    result = run("explain", GG, "--why", "credible", "--why-not", "risk(high)")
    assert result.exit_code == 2
    assert "give --why or --why-not, not both" in result.stderr
    assert result.stdout == ""


def test_explain_json_is_deterministic() -> None:
    first = run("explain", "proposals/taiwan_style_law.yaml", "--format", "json")
    second = run("explain", "proposals/taiwan_style_law.yaml", "--format", "json")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    data = json.loads(first.stdout)
    assert data["proposal"] == "taiwan_style_law"
    assert data["conflicting_sets"] == []
    assert [e["question"] for e in data["explanations"]] == [
        "consistent",
        "credible",
        "feasible now",
        "precondition",
        "risk",
        "risk",
    ]


def test_explain_json_of_an_inconsistent_proposal_lists_its_conflicting_set() -> None:
    result = run("explain", "proposals/neutral_yet_nato.yaml", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["conflicting_sets"] == [
        [{"key": "nato_path", "value": "irreversible_path"}, {"key": "neutrality", "value": "permanent"}]
    ]


def test_explain_a_missing_file_is_an_input_error() -> None:
    assert_input_error(run("explain", "proposals/nowhere.yaml"), "nowhere.yaml")


# ---------------------------------------------------------------- whatif
def test_whatif_a_us_backstop() -> None:
    result = run("whatif", ERF, "--set", "us_role=backstop")
    assert result.exit_code == 0, result.output  # credible after the change
    out = result.stdout
    assert out.splitlines()[1] == "What if: set us_role=backstop"
    assert row(out, "consistent") == ["yes", "yes"]
    assert row(out, "credible") == ["no", "yes", "<-", "flipped"]
    assert row(out, "risk") == ["high", "low", "<-", "flipped"]
    assert row(out, "feasible now") == ["no", "yes", "<-", "flipped"]
    assert row(out, "precondition") == ["no", "yes", "<-", "flipped"]


def test_whatif_json() -> None:
    result = run("whatif", ERF, "--set", "us_role=backstop", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["changes"] == ["set us_role=backstop"]
    assert [f["verdict"] for f in data["flips"]] == ["credible", "risk", "feasible_now", "precondition_met"]
    assert data["unchanged"] == ["consistent"]
    credible = data["flips"][0]
    assert (credible["before"], credible["after"]) == ("no", "yes")
    assert {(r["claim"], r["effect"]) for r in credible["gone"]} == {
        ("eu_needs_us", "con"),
        ("guaranteed_guarantees", "con"),
    }
    assert "guaranteed_guarantees" in {r["claim"] for r in credible["new"]}
    assert all(r["quote"] for r in credible["gone"] + credible["new"])
    again = run("whatif", ERF, "--set", "us_role=backstop", "--format", "json")
    assert again.stdout_bytes == result.stdout_bytes


def test_whatif_exits_1_when_the_changed_proposal_is_not_credible() -> None:
    result = run("whatif", ERF, "--set", "western_contingent=none")
    assert result.exit_code == 1, result.output
    assert row(result.stdout, "credible") == ["no", "no"]


@pytest.mark.parametrize(
    ("args", "flipped"),
    [
        ([GG, "--reject-claim", "russia_no_veto"], ["feasible now"]),
        ([AIR, "--as-of-actor", "us=2025-02-28"], ["feasible now"]),
        ([AIR, "--stance", "russia.coalition_guarantees=accept"], []),
        ([GG, "--stance", "russia.coalition_guarantees=accept"], []),
    ],
    ids=["reject-veto", "us-in-february", "russia-accepts-air", "russia-accepts-gg"],
)
def test_whatif_flips_only(args: list[str], flipped: list[str]) -> None:
    result = run("whatif", *args)
    assert result.exit_code == 0, result.output  # still credible
    out = result.stdout
    rows = {label: row(out, label) for label in ("consistent", "credible", "risk", "feasible now", "precondition")}
    assert [label for label, cells in rows.items() if cells[-1] == "flipped"] == flipped
    assert ("No verdict changes." in out) == (not flipped)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "us_rol=backstop"], "did you mean 'us_role'?"),
        (["--reject-claim", "russia_no_vet"], "'russia_no_vet' is not a claim"),
        (["--as-of", "yesterday"], "'yesterday' is not a date"),
        (["--as-of-actor", "us=someday"], "'someday' is not a date"),
        (["--as-of-actor", "usa=2025-02-28"], "'usa' is not an actor"),
        (["--stance", "russia.coalition_guarantee=accept"], "'coalition_guarantee' is not an issue"),
        (["--stance", "russia.coalition_guarantees=maybe"], "'maybe' is not a position on coalition_guarantees"),
        ([], "no change given"),
    ],
    ids=["key", "claim", "date", "actor-date", "actor", "issue", "position", "nothing"],
)
def test_whatif_bad_changes_exit_2(args: list[str], message: str) -> None:
    assert_input_error(run("whatif", ERF, *args), message)


# ---------------------------------------------------------------- repair
def test_repair_found_exits_0() -> None:
    result = run("repair", ERF)
    assert result.exit_code == 0, result.output
    assert "1 optimal repair, each changing 1 component (cost 3):" in result.stdout
    assert "  1.  us_role: none -> backstop\n" in result.stdout


def test_repair_keep() -> None:
    result = run("repair", ERF, "--keep", "us_role")
    assert result.exit_code == 0
    assert "Goal: credible; keeping us_role" in result.stdout
    assert "  1.  nato_path: (unset) -> member\n" in result.stdout
    assert "us_role:" not in result.stdout


@pytest.mark.parametrize(
    ("args", "because"),
    [
        (["--max-changes", "0"], "at most 0 changes"),
        (["--keep", "us_role", "--keep", "nato_path"], "keep nato_path, keep us_role"),
    ],
    ids=["limit", "pins"],
)
def test_repair_none_exits_1_and_names_the_cause(args: list[str], because: str) -> None:
    result = run("repair", ERF, *args)
    assert result.exit_code == 1, result.output
    assert "  No repair reaches the goal.\n" in result.stdout
    assert f"  It is impossible because of: {because}.\n" in result.stdout
    data = json.loads(run("repair", ERF, *args, "--format", "json").stdout)
    assert data["found"] is False and data["repairs"] == []
    assert ", ".join(data["blocked_by"]) == because


def test_repair_json_is_deterministic() -> None:
    args = ["repair", "proposals/nato_promise_alone.yaml", "--goal", "credible", "--format", "json"]
    first, second = run(*args), run(*args)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    data = json.loads(first.stdout)
    assert data["found"] is True
    assert data["repairs"] and all(r["after"]["credible"] is True for r in data["repairs"])
    counts = {r["components_changed"] for r in data["repairs"]}
    assert len(counts) == 1  # every repair listed is optimal: the same number of changes


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--keep", "us_rol"], "did you mean 'us_role'?")],
    ids=["keep"],
)
def test_repair_bad_input_exits_2(args: list[str], message: str) -> None:
    assert_input_error(run("repair", ERF, *args), message)


def test_repair_unknown_goal_is_a_usage_error() -> None:
    result = run("repair", ERF, "--goal", "safe")
    assert result.exit_code == 2
    assert "'safe' is not one of" in result.stderr


# ---------------------------------------------------------------- sensitivity
def test_sensitivity_text() -> None:
    result = run("sensitivity", AIR)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"^feasible now: yes$", out, flags=re.MULTILINE)
    assert "    * russia_no_veto  (rejected: feasible now becomes no)\n" in out
    assert "consistent: yes\n  rests on no claim of the article\n" in out


def test_sensitivity_json_is_deterministic() -> None:
    first, second = run("sensitivity", AIR, "--format", "json"), run("sensitivity", AIR, "--format", "json")
    assert first.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    verdicts = {v["verdict"]: v for v in json.loads(first.stdout)["verdicts"]}
    assert set(verdicts) == {"consistent", "credible", "feasible_now", "precondition_met", "risk"}
    assert "russia_no_veto" in verdicts["feasible_now"]["pivotal"]
    for v in verdicts.values():
        assert v["pivotal"] == [r["claim"] for r in v["rests_on"] if r["pivotal"]]
        assert all(r["quote"] for r in v["rests_on"])


def test_sensitivity_of_an_open_proposal_exits_2() -> None:
    assert_input_error(run("sensitivity", TAIWAN), "sensitivity needs a proposal with no open aspect")
