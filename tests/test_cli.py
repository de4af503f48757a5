"""The command line through click's CliRunner: exit codes, output formats, clean errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from argmap.cli import main
from helpers import ROOT, proposal_paths

VERDICT_KEYS = {
    "proposal",
    "consistent",
    "conflicts",
    "credible",
    "reasons",
    "risk",
    "truncated",
    "feasible_now",
    "warnings",
}
NON_CLAIMS = {"definition", "user_assumption"}


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str) -> Result:
    # click >= 8.2 keeps stderr apart from stdout by default.
    return CliRunner().invoke(main, list(args))


def assert_clean_input_error(result: Result) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("argmap: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.fixture(scope="module")
def check_json() -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["check", "--format", "json", str(ROOT / "proposals")])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def claims_json() -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["claims", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------- check
def test_check_a_credible_proposal_exits_0() -> None:
    result = run("check", "proposals/guaranteed_guarantees.yaml")
    assert result.exit_code == 0, result.output
    assert re.search(r"^\s+credible\s+yes$", result.stdout, flags=re.MULTILINE)
    assert re.search(r"^\s+consistent\s+yes$", result.stdout, flags=re.MULTILINE)
    assert "[guaranteed_guarantees]" in result.stdout
    assert result.stdout.rstrip().endswith("1 of 1 proposals consistent and credible.")
    assert result.stderr == ""


def test_check_an_incredible_proposal_exits_1() -> None:
    result = run("check", "proposals/european_reassurance_force.yaml")
    assert result.exit_code == 1
    assert re.search(r"^\s+credible\s+no$", result.stdout, flags=re.MULTILINE)
    assert "eu_needs_us" in result.stdout


def test_check_the_folder_exits_1() -> None:
    result = run("check", "proposals")
    assert result.exit_code == 1
    m = re.search(r"^(\d+) of (\d+) proposals consistent and credible\.$", result.stdout, flags=re.MULTILINE)
    assert m is not None
    ok, total = int(m.group(1)), int(m.group(2))
    assert total == len(proposal_paths())
    assert 0 < ok < total


def test_exit_zero_flag() -> None:
    assert run("check", "--exit-zero", "proposals").exit_code == 0


def test_check_json_has_one_object_per_file(check_json: list[dict[str, object]]) -> None:
    assert isinstance(check_json, list)
    assert [v["proposal"] for v in check_json] == [p.stem for p in proposal_paths()]
    for v in check_json:
        assert VERDICT_KEYS <= set(v), v["proposal"]
        assert isinstance(v["consistent"], bool) and isinstance(v["credible"], bool)
        assert isinstance(v["feasible_now"], bool)
        assert v["risk"] in {"low", "medium", "high"}


def test_check_json_flags_agree_with_holds(check_json: list[dict[str, object]]) -> None:
    for v in check_json:
        holds = v["holds"]
        assert isinstance(holds, dict)
        for key in ("consistent", "credible", "feasible_now", "meets_precondition"):
            assert v[key] == (holds[key] == "all"), (v["proposal"], key)
        assert v["risk"] == holds["risk"][-1]
        assert v["consistent"] == (not v["conflicts"]) or holds["consistent"] == "some"


def test_check_json_every_reason_cites_a_claim(
    check_json: list[dict[str, object]], claims_json: list[dict[str, object]]
) -> None:
    quotes = {c["id"]: c["quote"] for c in claims_json}
    cited = [r for v in check_json for r in v["reasons"]]  # type: ignore[attr-defined]
    cited += [c for v in check_json for c in v["conflicts"]]  # type: ignore[attr-defined]
    cited += [w for v in check_json for w in v["warnings"]]  # type: ignore[attr-defined]
    cited += [m for v in check_json for t in v["truncated"] for m in t["missing"]]  # type: ignore[attr-defined]
    assert len(cited) > 50
    for item in cited:
        assert "claim" in item and "quote" in item
        if item["quote"] is None:
            assert item["claim"] in NON_CLAIMS, item
        else:
            assert item["claim"] in quotes, item
            assert item["quote"] == quotes[item["claim"]]


def test_check_json_inconsistent_example(check_json: list[dict[str, object]]) -> None:
    v = next(v for v in check_json if v["proposal"] == "neutral_yet_nato")
    assert v["consistent"] is False and v["credible"] is False
    (conflict,) = v["conflicts"]  # type: ignore[misc]
    assert conflict["id"] == "neutrality_vs_nato"
    assert {(c["key"], c["value"]) for c in conflict["components"]} == {
        ("neutrality", "permanent"),
        ("nato_path", "irreversible_path"),
    }


def test_check_json_is_deterministic() -> None:
    first = run("check", "--format", "json", "proposals")
    second = run("check", "--format", "json", "proposals")
    assert first.stdout_bytes == second.stdout_bytes
    assert len(first.stdout_bytes) > 1000


def test_check_text_is_deterministic() -> None:
    assert run("check", "proposals").stdout_bytes == run("check", "proposals").stdout_bytes


# ---------------------------------------------------------------- bad input
def test_bad_yaml_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nsource: s\nlead: european\nlead: us\n")
    result = run("check", str(bad))
    assert_clean_input_error(result)
    assert f"{bad}:4:" in result.stderr
    assert "duplicate key" in result.stderr


def test_yaml_syntax_error_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("title: t\nsource: s\nguarantors: [uk\n")
    result = run("check", str(bad))
    assert_clean_input_error(result)
    assert re.search(re.escape(str(bad)) + r":\d+:\d+: error: invalid YAML", result.stderr)


def test_typo_gets_a_suggestion(tmp_path: Path) -> None:
    bad = tmp_path / "typo.yaml"
    bad.write_text("title: t\nsource: s\nus_role: [backstp]\n")
    result = run("check", str(bad))
    assert_clean_input_error(result)
    assert f"{bad}:3:" in result.stderr and "did you mean 'backstop'?" in result.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "absent.yaml"))
    assert_clean_input_error(result)
    assert "absent.yaml" in result.stderr and "no such file" in result.stderr


def test_folder_without_proposals_exits_2(tmp_path: Path) -> None:
    assert_clean_input_error(run("check", str(tmp_path)))


def test_one_bad_file_among_good_ones_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("")
    result = run("check", "proposals/guaranteed_guarantees.yaml", str(bad))
    assert_clean_input_error(result)
    assert "the file is empty" in result.stderr


def test_broken_kb_file_exits_2_naming_file_line_column(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    bad = kb / "bad.lp"
    bad.write_text("a.\nb(X :- a.\n")
    result = run("check", "--kb", str(bad), "proposals/guaranteed_guarantees.yaml")
    assert_clean_input_error(result)
    assert "bad.lp:2:5:" in result.stderr
    assert "syntax error" in result.stderr


def test_unsafe_kb_rule_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "unsafe.lp"
    bad.write_text("p(1).\nr(X, Y) :- p(X).\n")
    result = run("claims", "--kb", str(bad))
    assert_clean_input_error(result)
    assert "unsafe.lp:2:" in result.stderr


def test_missing_kb_file_exits_2(tmp_path: Path) -> None:
    assert_clean_input_error(run("claims", "--kb", str(tmp_path / "none.lp")))


def test_bad_format_is_a_usage_error() -> None:
    result = run("check", "--format", "xml", "proposals")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_check_needs_a_path() -> None:
    assert run("check").exit_code == 2


# ---------------------------------------------------------------- claims
def test_claims_json(claims_json: list[dict[str, object]]) -> None:
    assert len(claims_json) >= 40
    for c in claims_json:
        assert {"id", "kind", "paraphrase", "quote"} <= set(c)
        assert c["kind"] and c["paraphrase"] and c["quote"]
    ids = [c["id"] for c in claims_json]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_claims_text_counts_them(claims_json: list[dict[str, object]]) -> None:
    result = run("claims")
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith(f"{len(claims_json)} claims.")
    assert "eu_needs_us  (causal)" in result.stdout


def test_claims_with_a_layered_kb(tmp_path: Path, claims_json: list[dict[str, object]]) -> None:
    extra = tmp_path / "extra.lp"
    extra.write_text('claim(zz_extra, lesson).\nparaphrase(zz_extra, "p").\nquote(zz_extra, "q").\n')
    result = run("claims", "--format", "json", "--kb", str(ROOT / "rules" / "main.lp"), "--kb", str(extra))
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) == len(claims_json) + 1
    assert items[-1]["id"] == "zz_extra"
