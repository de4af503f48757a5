"""The commands explain, whatif, repair and sensitivity through click's CliRunner: exit codes, output, errors."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import Result

from cli_runner import run as cli_run
from helpers import ROOT

ERF = "proposals/european_reassurance_force.yaml"
GG = "proposals/guaranteed_guarantees.yaml"
AIR = "proposals/us_air_intel_backstop.yaml"
TAIWAN = "proposals/taiwan_style_law.yaml"
#: The verdict labels, as the rows of a what-if table show them.
LABELS = ("consistent", "credible", "risk", "feasible now", "precondition", "truncated")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str) -> Result:
    return cli_run(*args)


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
    assert [(e["question"], e["value"]) for e in data["explanations"]] == [
        ("consistent", "yes"),
        ("credible", "yes"),
        ("risk", "high"),
        ("risk", "low"),
        ("feasible now", "no"),
        ("precondition", "met"),
        ("truncated", "taiwan"),
    ]
    assert [e["tree"].get("holds_in") for e in data["explanations"]] == [
        None,
        "some",
        "some",
        "some",
        None,
        "some",
        "some",
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
    assert row(out, "precondition") == ["not", "met", "met", "<-", "flipped"]  # the KB's own words
    assert row(out, "truncated") == ["no", "no"]  # an empty set verdict reads "no" (its none word)


def test_whatif_json() -> None:
    result = run("whatif", ERF, "--set", "us_role=backstop", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["changes"] == ["set us_role=backstop"]
    assert [f["verdict"] for f in data["flips"]] == ["credible", "risk", "feasible_now", "precondition_met"]
    assert data["unchanged"] == ["consistent", "truncated"]
    assert data["before"]["verdicts"]["credible"] is False and data["after"]["verdicts"]["credible"] is True
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
    rows = {label: row(out, label) for label in LABELS}
    assert [label for label, cells in rows.items() if cells[-1] == "flipped"] == flipped
    assert ("No verdict changes." in out) == (not flipped)


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        ("2025-02-28", "stances as of 2025-02-28"),
        ("2025-03", "stances as of 2025-03 (the last record on or before it: 2025-02-28)"),
    ],
    ids=["recorded", "falls-back"],
)
def test_whatif_as_of_echoes_the_date_asked(date: str, shown: str) -> None:
    result = run("whatif", AIR, "--as-of", date)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == f"What if: {shown}"
    assert row(result.stdout, "feasible now") == ["yes", "no", "<-", "flipped"]
    data = json.loads(run("whatif", AIR, "--as-of", date, "--format", "json").stdout)
    assert data["changes"] == [shown]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "us_rol=backstop"], "did you mean 'us_role'?"),
        (["--reject-claim", "russia_no_vet"], "'russia_no_vet' is not a claim"),
        (["--as-of", "yesterday"], "'yesterday' is not a date"),
        (["--as-of", "1990-01-01"], "no stance is recorded on or before 1990-01-01"),
        (["--as-of-actor", "us=someday"], "'someday' is not a date"),
        (["--as-of-actor", "usa=2025-02-28"], "'usa' is not an actor"),
        (["--stance", "russia.coalition_guarantee=accept"], "'coalition_guarantee' is not an issue"),
        (["--stance", "russia.coalition_guarantees=maybe"], "'maybe' is not a position on coalition_guarantees"),
        ([], "no change given"),
    ],
    ids=["key", "claim", "date", "too-early", "actor-date", "actor", "issue", "position", "nothing"],
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
    result = run("repair", ERF, "--keep", "nato_path")
    assert result.exit_code == 0
    assert "Goal: consistent and credible; keeping nato_path" in result.stdout  # the gate verdicts
    assert "  1.  us_role: none -> backstop\n" in result.stdout
    assert "nato_path:" not in result.stdout


def test_repair_keeping_no_us_role_does_not_offer_nato_membership() -> None:
    # NATO membership brings the US in (Article 5), so with us_role pinned to none
    # membership is a conflict, not a repair (issue 12: repair --keep us_role proposed it).
    result = run("repair", ERF, "--keep", "us_role")
    assert result.exit_code == 1
    assert "nato_path: (unset) -> member" not in result.stdout
    assert "  It is impossible because of: keep us_role.\n" in result.stdout


@pytest.mark.parametrize(
    ("args", "because"),
    [
        (["--max-changes", "0"], "at most 0 changes"),
        (["--keep", "us_role", "--keep", "nato_path"], "keep us_role"),
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
    assert data["goals"] == ["credible"]
    assert data["repairs"] and all(r["after"]["verdicts"]["credible"] is True for r in data["repairs"])
    counts = {r["components_changed"] for r in data["repairs"]}
    assert len(counts) == 1  # every repair listed is optimal: the same number of changes


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--keep", "us_rol"], "did you mean 'us_role'?")],
    ids=["keep"],
)
def test_repair_bad_input_exits_2(args: list[str], message: str) -> None:
    assert_input_error(run("repair", ERF, *args), message)


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        ("safe", "'safe' is not a verdict of this knowledge base"),
        ("low-risk", "did you mean 'risk'?"),
        ("risk=lowest", "'lowest' is not a value of risk"),
    ],
    ids=["unknown", "old-name", "unknown-level"],
)
def test_repair_unknown_goal_exits_2(goal: str, message: str) -> None:
    assert_input_error(run("repair", ERF, "--goal", goal), message)
    assert "expected one of: consistent, credible" in run("repair", ERF, "--goal", "safe").stderr


def test_repair_several_goals_must_all_hold() -> None:
    # Credible alone: NATO membership is one of the cheapest repairs, and the US blocks it today.
    args = ["repair", "proposals/nato_promise_alone.yaml", "--format", "json"]
    alone = json.loads(run(*args, "--goal", "credible", "--limit", "100").stdout)
    both = json.loads(run(*args, "--goal", "credible", "--goal", "feasible-now", "--limit", "100").stdout)
    assert both["goals"] == ["credible", "feasible_now"]
    assert both["found"] and both["repairs"]
    for r in both["repairs"]:
        assert r["after"]["verdicts"]["credible"] is True and r["after"]["verdicts"]["feasible_now"] is True
    assert any(r["after"]["verdicts"]["feasible_now"] is False for r in alone["repairs"])


def test_repair_a_level_goal_is_that_level_or_better() -> None:
    result = run("repair", ERF, "--goal", "risk=medium")
    assert result.exit_code == 0, result.output
    assert "Goal: risk<=medium" in result.stdout
    assert "  1.  us_role: none -> backstop\n" in result.stdout


# ---------------------------------------------------------------- sensitivity
def test_sensitivity_text() -> None:
    result = run("sensitivity", AIR)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"^feasible now: yes$", out, flags=re.MULTILINE)
    assert "    * russia_no_veto  (rejected: feasible now becomes no)\n" in out
    assert "consistent: yes\n  rests on no claim\n" in out
    assert "truncated: no\n  rests on no claim\n" in out  # the KB's own word for an empty set


def test_sensitivity_json_is_deterministic() -> None:
    first, second = run("sensitivity", AIR, "--format", "json"), run("sensitivity", AIR, "--format", "json")
    assert first.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    verdicts = {v["verdict"]: v for v in json.loads(first.stdout)["verdicts"]}
    assert list(verdicts) == ["consistent", "credible", "risk", "feasible_now", "precondition_met", "truncated"]
    assert [v["value"] for v in verdicts.values()] == ["yes", "yes", "low", "yes", "met", "no"]
    assert "russia_no_veto" in verdicts["feasible_now"]["pivotal"]
    for v in verdicts.values():
        assert v["pivotal"] == [r["claim"] for r in v["rests_on"] if r["pivotal"]]
        assert all(r["quote"] for r in v["rests_on"])


def test_sensitivity_of_an_open_proposal_reads_each_verdict_over_its_completions() -> None:
    # An open proposal's verdicts are read across its completions (all / some / none), so
    # sensitivity speaks of "some" where a plain proposal would say yes or no.
    result = run("sensitivity", TAIWAN)
    assert result.exit_code == 0, result.output
    assert "\ncredible: some\n" in result.stdout
    assert "pivotal" in result.stdout
