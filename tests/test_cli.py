"""The command line through click's CliRunner: exit codes, output formats, clean errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from cli_runner import run
from helpers import ROOT, proposal_paths

#: The keys of one proposal in `check --format json` (plus "phases" for a roadmap).
VERDICT_KEYS = {
    "proposal",
    "title",
    "file",
    "passed",
    "verdicts",
    "holds",
    "reasons",
    "conflicts",
    "warnings",
    "notes",
    "open",
}
#: The verdicts the shipped knowledge base declares (facts/schema.lp), in its order.
VERDICTS = ["consistent", "credible", "risk", "feasible_now", "precondition_met", "truncated"]
BOOLS = ("consistent", "credible", "feasible_now", "precondition_met")
GATES = ("consistent", "credible")
NON_CLAIMS = {"definition", "user_assumption"}


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def assert_clean_input_error(result: Result) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("argmap: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.fixture(scope="module")
def check_json() -> list[dict[str, Any]]:
    result = run("check", "--format", "json", ROOT / "proposals")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def claims_json() -> list[dict[str, Any]]:
    result = run("claims", "--format", "json")
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
    # the knowledge base's own headings and labels; a quote in typographic marks, its inner quote in single ones
    assert "\n  For credibility:\n" in result.stdout and re.search(r"^\s+precondition\s+met$", result.stdout, re.M)
    words = " ".join(result.stdout.split())
    assert "[guaranteed_guarantees] “‘guaranteed guarantees’ – guarantees guaranteed by the United States”" in words


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


def test_check_json_has_one_object_per_file(check_json: list[dict[str, Any]]) -> None:
    assert isinstance(check_json, list)
    assert [v["proposal"] for v in check_json] == [p.stem for p in proposal_paths()]
    for v in check_json:
        assert VERDICT_KEYS <= set(v) <= VERDICT_KEYS | {"phases", "completions", "completions_beyond"}, v["proposal"]
        assert ("completions" in v) == bool(v["open"]), v["proposal"]  # only an open proposal has completions
        assert list(v["verdicts"]) == VERDICTS == list(v["holds"])
        for name in BOOLS:
            assert isinstance(v["verdicts"][name], bool), (v["proposal"], name)
        assert v["verdicts"]["risk"] in {"low", "medium", "high"}
        assert isinstance(v["verdicts"]["truncated"], list)
        assert v["passed"] == all(v["verdicts"][g] for g in GATES)


def test_check_json_verdicts_agree_with_holds(check_json: list[dict[str, Any]]) -> None:
    for v in check_json:
        verdicts, holds = v["verdicts"], v["holds"]
        for key in BOOLS:
            assert verdicts[key] == (holds[key] == "all"), (v["proposal"], key)
        levels = ["low", "medium", "high"]
        assert verdicts["risk"] == max(holds["risk"], key=levels.index)
        assert verdicts["truncated"] == sorted(holds["truncated"])
        assert verdicts["consistent"] == (not v["conflicts"]) or holds["consistent"] == "some"


def test_check_json_every_reason_cites_a_claim(
    check_json: list[dict[str, Any]], claims_json: list[dict[str, Any]]
) -> None:
    quotes = {c["id"]: c["quote"] for c in claims_json}
    cited = [item for v in check_json for key in ("reasons", "conflicts", "warnings", "notes") for item in v[key]]
    assert len(cited) > 50
    # a truncated model's details are reasons of the verdict `truncated`, each with its claim
    assert any(r["verdict"] == "truncated" for v in check_json for r in v["reasons"])
    for item in cited:
        assert "claim" in item and "quote" in item
        if item["quote"] is None:
            assert item["claim"] in NON_CLAIMS, item
        else:
            assert item["claim"] in quotes, item
            assert item["quote"] == quotes[item["claim"]]


def test_check_json_reasons_name_a_declared_verdict_and_effect(check_json: list[dict[str, Any]]) -> None:
    for v in check_json:
        for r in v["reasons"]:
            assert set(r) >= {"verdict", "effect", "claim", "quote", "text"}
            assert r["verdict"] in VERDICTS, r
            if r["verdict"] in BOOLS:
                assert r["effect"] in ("pro", "con"), r
            elif r["verdict"] == "risk":
                assert r["effect"] in ("low", "medium", "high"), r
            else:
                assert r["effect"] in v["holds"]["truncated"], r


def test_check_json_inconsistent_example(check_json: list[dict[str, Any]]) -> None:
    v = next(v for v in check_json if v["proposal"] == "neutral_yet_nato")
    assert v["verdicts"]["consistent"] is False and v["verdicts"]["credible"] is False
    assert v["passed"] is False
    (conflict,) = v["conflicts"]
    assert conflict["id"] == "neutrality_vs_nato"
    assert {(c["key"], c["value"]) for c in conflict["components"]} == {
        ("neutrality", "permanent"),
        ("nato_path", "irreversible_path"),
    }


def test_check_jsonl_is_one_record_per_line_like_json(check_json: list[dict[str, Any]]) -> None:
    result = run("check", "--format", "jsonl", ROOT / "proposals")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(check_json)
    assert [json.loads(line) for line in lines] == check_json


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


def test_one_bad_file_among_good_ones_is_reported_and_the_good_ones_judged(tmp_path: Path) -> None:
    """Every bad file is reported on stderr (file, line, key, message); the good ones are still judged; exit 2."""
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    typo = tmp_path / "typo.yaml"
    typo.write_text("title: t\nsource: s\nus_role: [backstp]\n")
    result = run("check", "proposals/guaranteed_guarantees.yaml", empty, typo, "proposals/neutral_yet_nato.yaml")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"argmap: {empty}: error: ") and "the file is empty" in errors[0]
    assert errors[1].startswith(f"argmap: {typo}:3:") and "us_role: " in errors[1]
    assert len(errors) == 2
    assert "[guaranteed_guarantees]" in result.stdout and "[neutral_yet_nato]" in result.stdout
    assert result.stdout.rstrip().endswith("1 of 2 proposals consistent and credible.")


def test_dotfiles_in_a_folder_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_bytes((ROOT / "proposals" / "guaranteed_guarantees.yaml").read_bytes())
    (tmp_path / ".hidden.yaml").write_text("not: [a proposal\n")
    result = run("check", "--format", "json", tmp_path)
    assert result.exit_code == 0, result.output
    assert [v["proposal"] for v in json.loads(result.stdout)] == ["good"]


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


def test_check_needs_a_path_outside_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert "give proposal files or folders" in result.stderr


def test_check_without_a_path_judges_the_project_proposals() -> None:
    """The repository's pyproject.toml names proposals/ in [tool.argmap]."""
    assert run("check").stdout == run("check", ROOT / "proposals").stdout


# ---------------------------------------------------------------- claims
def test_claims_json(claims_json: list[dict[str, Any]]) -> None:
    assert len(claims_json) >= 40
    for c in claims_json:
        assert {"id", "kind", "paraphrase", "quote"} <= set(c)
        assert c["kind"] and c["paraphrase"] and c["quote"]
    ids = [c["id"] for c in claims_json]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_claims_text_counts_them(claims_json: list[dict[str, Any]]) -> None:
    result = run("claims")
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith(f"{len(claims_json)} claims.")
    assert "eu_needs_us  (causal)" in result.stdout


def test_claims_with_a_layered_kb(tmp_path: Path, claims_json: list[dict[str, Any]]) -> None:
    extra = tmp_path / "extra.lp"
    extra.write_text('claim(zz_extra, lesson).\nparaphrase(zz_extra, "p").\nquote(zz_extra, "q").\n')
    result = run("claims", "--format", "json", "--kb", str(ROOT / "rules" / "main.lp"), "--kb", str(extra))
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) == len(claims_json) + 1
    assert items[-1]["id"] == "zz_extra"


# ---------------------------------------------------------------- options every command shares
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "1e309", "abc", "86401"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(value: str, where: str) -> None:
    args = ["--timeout", value, "claims"] if where == "before" else ["claims", "--timeout", value]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "is not a number of seconds" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize(
    "command",
    [
        "check",
        "claims",
        "explain",
        "whatif",
        "repair",
        "sensitivity",
        "explore",
        "test",
        "lint",
        "schema",
        "diff",
        "map",
        "report",
    ],
)
def test_every_command_takes_kb_layer_and_timeout(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    for option in ("--kb FILE", "--layer FILE", "--timeout SECONDS"):
        assert option in result.stdout, (command, option)


def test_kb_path_prints_the_shipped_knowledge_base() -> None:
    entry, root = run("kb-path"), run("kb-path", "--root")
    assert entry.exit_code == root.exit_code == 0
    path, folder = Path(entry.stdout.strip()), Path(root.stdout.strip())
    assert path.is_file() and path.name == "main.lp"
    assert path.parent == folder / "rules"
    assert path.samefile(ROOT / "rules" / "main.lp")  # in a source checkout


def test_init_scaffolds_a_knowledge_base_that_lints_tests_and_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "new_kb"
    result = run("init", folder)
    assert result.exit_code == 0, result.output
    created = [line.removeprefix("created ") for line in result.stdout.splitlines() if line.startswith("created ")]
    assert created and all(Path(p).is_file() for p in created)
    assert (folder / "argmap.toml").is_file() and (folder / "rules" / "main.lp").is_file()
    monkeypatch.chdir(folder)  # its argmap.toml names its knowledge base, proposals and scenarios
    for args in (["lint", "--strict"], ["test"], ["check"]):
        done = run(*args)
        assert done.exit_code == 0, (args, done.output)
    assert "1 of 1 proposals" in done.stdout
