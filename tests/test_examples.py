"""Every command on the second knowledge base (examples/federalist10) and on one `argmap init` makes.

These knowledge bases declare their own verdicts; nothing in argmap's output
may name the Ukraine article's verdicts or vocabulary for them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import Result

from cli_runner import run as cli_run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "federalist10"

#: Words of the first knowledge base that must never appear in another one's output.
FOREIGN = re.compile(
    r"\b(credible|credibility|feasible now|feasible_now|precondition|truncated|ceasefire|Ukraine|Russia|NATO|"
    r"risk of renewed war|guarantors?)\b",
    re.IGNORECASE,
)


def run(*args: str) -> Result:
    return cli_run(*args, catch_exceptions=False)


def clean(result: Result) -> str:
    found = FOREIGN.findall(result.output)
    assert not found, f"the output names the first knowledge base's words {sorted(set(found))}:\n{result.output}"
    return result.output


@pytest.fixture
def federalist(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the example's folder: its argmap.toml names its knowledge base, sources and folders."""
    monkeypatch.chdir(EXAMPLE)
    return EXAMPLE


def test_check_judges_the_examples_with_their_own_verdicts(federalist: Path) -> None:
    result = run("check", "--format", "json")
    assert result.exit_code == 1, result.output  # only the extended republic passes every gate
    data = json.loads(clean(result))
    by_id = {item["proposal"]: item for item in data}
    assert set(by_id) == {p.stem for p in (federalist / "proposals").glob("*.yaml")}
    republic = by_id["extended_federal_republic"]
    assert republic["passed"] is True
    assert republic["verdicts"]["cures_faction"] is True
    assert republic["verdicts"]["majority_faction_risk"] == "low"
    assert by_id["athenian_democracy"]["verdicts"]["cures_faction"] is False
    assert by_id["suppress_factions"]["verdicts"]["liberty_preserved"] is False
    assert set(by_id["too_few_representatives"]["verdicts"]["defects"]) >= {"cabals_of_a_few"}
    assert all(set(item["verdicts"]) == set(republic["verdicts"]) for item in data)
    text = clean(run("check", "proposals/extended_federal_republic.yaml"))
    assert "cures the mischiefs of faction" in text


def test_claims_explain_whatif_repair_sensitivity(federalist: Path) -> None:
    assert "faction_defined" in clean(run("claims"))
    explained = clean(run("explain", "proposals/small_republic.yaml"))
    assert "[effect_inverted]" in explained
    why_not = run("explain", "proposals/small_republic.yaml", "--why-not", "cures_faction")
    assert why_not.exit_code == 0 and "rules/cure.lp" in clean(why_not)
    flipped = run("whatif", "proposals/small_republic.yaml", "--set", "sphere=union")
    assert flipped.exit_code == 0 and "<- flipped" in clean(flipped)
    fixed = run("repair", "proposals/small_republic.yaml", "--format", "json")
    assert fixed.exit_code == 0
    repairs = json.loads(clean(fixed))["repairs"]
    assert {"op": "add", "key": "sphere", "value": "union"} in repairs[0]["changes"]
    assert json.loads(fixed.output)["goals"] == ["coherent", "cures_faction", "liberty_preserved"]
    one_goal = run("repair", "proposals/athenian_democracy.yaml", "--goal", "majority_faction_risk=medium")
    assert one_goal.exit_code == 0 and "Goal: majority_faction_risk<=medium" in clean(one_goal)
    assert "pivotal" in clean(run("sensitivity", "proposals/small_republic.yaml"))


def test_explore_test_lint_schema(federalist: Path) -> None:
    explored = run("explore", "spaces/designs.yaml", "--format", "json")
    assert explored.exit_code == 0
    data = json.loads(clean(explored))
    assert data["goals"] == ["coherent", "cures_faction", "liberty_preserved"]
    assert data["cheapest"] and all("sphere" in p["package"] for p in data["cheapest"])
    tested = run("test", "--coverage", "--threshold", "100")
    assert tested.exit_code == 0, tested.output
    assert "0 failed" in clean(tested)
    linted = run("lint", "--strict")
    assert linted.exit_code == 0, linted.output
    for kind in ("proposal", "scenario"):
        committed = (federalist / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert run("schema", kind).output == committed, f"schema/{kind}.schema.json is stale"
    schema = json.loads(run("schema", "scenario").output)
    expect = schema["$defs"]["expect"]["properties"]
    assert "cures_faction" in expect and "credible" not in expect


def test_lint_checks_quotes_against_the_example_source(federalist: Path, tmp_path: Path) -> None:
    copy = tmp_path / "federalist10"
    shutil.copytree(federalist, copy)
    claims = copy / "facts" / "claims.lp"
    text = claims.read_text(encoding="utf-8")
    assert "extent of territory" in text or "quote(" in text
    first = re.search(r'quote\((\w+), "([^"]+)"\)', text)
    assert first is not None
    claims.write_text(text.replace(first.group(2), first.group(2) + " (not in the text)", 1), encoding="utf-8")
    result = cli_run("lint", "--kb", copy / "rules" / "main.lp", "--source", copy / "sources" / "federalist-10.txt")
    assert result.exit_code == 1
    assert f"AM005 quote of {first.group(1)} is not in the source" in result.output


def test_diff_of_two_versions_of_the_example(federalist: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(federalist, new)
    # A layer that rejects nothing changes nothing; an edit that drops the extended republic's cure does.
    cure = new / "rules" / "cure.lp"
    text = cure.read_text(encoding="utf-8")
    assert "cures_faction :-" in text
    cure.write_text(text.replace("cures_faction :-", "cures_faction :- #false,", 1), encoding="utf-8")
    result = run("diff", str(federalist), str(new), "--proposals", "proposals", "--scenarios", "scenarios")
    assert result.exit_code == 1, result.output
    out = clean(result)
    assert out.startswith("Summary:")
    assert "cures the mischiefs of faction: cured -> not cured" in out


@pytest.mark.parametrize("fmt", ["dot", "mermaid", "argdown", "aif", "graphml"])
def test_map_in_every_format(federalist: Path, fmt: str) -> None:
    result = run("map", "proposals/extended_federal_republic.yaml", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "cures" in clean(result).lower()


def test_report(federalist: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("report", "proposals", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "cures the mischiefs of faction" in page
    assert not FOREIGN.findall(page)


def test_init_makes_a_knowledge_base_that_passes_lint_and_its_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new_kb"
    made = run("init", str(target))
    assert made.exit_code == 0, made.output
    for name in (
        "argmap.toml",
        "rules/main.lp",
        "facts/claims.lp",
        "proposals/example.yaml",
        "scenarios/example.yaml",
        "sources/source.txt",
        "schema/proposal.schema.json",
    ):
        assert (target / name).is_file(), name
    monkeypatch.chdir(target)
    linted = run("lint", "--strict")
    assert linted.exit_code == 0, linted.output
    tested = run("test", "--coverage", "--threshold", "100")
    assert tested.exit_code == 0, tested.output
    checked = run("check")
    assert checked.exit_code == 0 and "effective" in clean(checked)
    again = run("init", str(target))
    assert again.exit_code == 2 and "not empty" in again.output


def test_a_command_that_needs_a_missing_part_says_which(federalist: Path) -> None:
    result = run("whatif", "proposals/small_republic.yaml", "--as-of", "1787-11-22")
    assert result.exit_code == 2
    assert "stances part" in result.output and "stance/5" in result.output
