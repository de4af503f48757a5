"""`argmap diff` and argmap.diff: verdicts that change between two versions of a knowledge base."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import argmap
from argmap import diff as kbdiff
from helpers import FACTS, PROPOSALS, ROOT, RULES

#: The rule in rules/credibility.lp that the "new" knowledge base drops.
CONTINGENT_RULE = """reason(credible, con, contingent_needed, "no Western contingent is on the ground") :-
    accepted(contingent_needed), feature(guarantee_offered),
    not feature(contingent), not feature(nato_membership).
"""
ISRAEL = PROPOSALS / "israel_style_memoranda.yaml"
GG = PROPOSALS / "guaranteed_guarantees.yaml"
ERF = PROPOSALS / "european_reassurance_force.yaml"

SMALL = f"""
scenarios:
  - name: a US treaty without troops
    proposal:
      title: A US treaty without troops on the ground
      source: Test case.
      lead: us
      guarantors: [us]
      us_role: [treaty_ally]
      legal_form: treaty
      military_aid: long_term
    expect: {{credible: false}}
  - name: the article's proposal
    proposal: {GG.as_posix()}
    expect: {{credible: true}}
  - name: a European force backed by the US, without a contingent
    proposal: {ERF.as_posix()}
    changes: {{set: {{us_role: backstop, western_contingent: none}}}}
    expect: {{credible: false}}
"""


def run(*args: str) -> Result:
    from argmap.cli import main

    return CliRunner().invoke(main, list(args))


def copy_kb(into: Path) -> Path:
    shutil.copytree(RULES, into / "rules")
    shutil.copytree(FACTS, into / "facts")
    return into


@pytest.fixture(scope="module")
def kbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """old: a copy of the knowledge base; new: the same without the contingent defeater; same: another copy."""
    root = tmp_path_factory.mktemp("kbs")
    old = copy_kb(root / "old")
    new = copy_kb(root / "new")
    same = copy_kb(root / "same")
    rules = new / "rules" / "credibility.lp"
    text = rules.read_text(encoding="utf-8")
    assert CONTINGENT_RULE in text, "the contingent_needed defeater has moved; update this test"
    rules.write_text(text.replace(CONTINGENT_RULE, ""), encoding="utf-8")
    small = root / "small.yaml"
    small.write_text(textwrap.dedent(SMALL).lstrip("\n"), encoding="utf-8")
    none = root / "no_scenarios_here"  # an empty folder: no scenario to compare
    none.mkdir()
    return {"old": old, "new": new, "same": same, "small": small, "none": none}


@pytest.fixture(scope="module")
def changed(kbs: dict[str, Path]) -> Result:
    return run("diff", str(kbs["old"]), str(kbs["new"]), "--proposals", str(PROPOSALS), "--scenarios", str(kbs["none"]))


def blocks(stdout: str) -> dict[str, list[str]]:
    """Subject line -> its indented lines."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in stdout.splitlines():
        if line.startswith(("proposal ", "scenario ")):
            current = out.setdefault(line, [])
        elif line.startswith("  ") and current is not None:
            current.append(line)
        elif not line:
            current = None
    return out


# ---------------------------------------------------------------- two folders
def test_a_changed_rule_lists_the_changed_verdicts_and_exits_1(changed: Result) -> None:
    assert changed.exit_code == 1, changed.output
    found = blocks(changed.stdout)
    israel = f"proposal {ISRAEL}"
    assert israel in found
    assert f"proposal {GG}" not in found  # it has a contingent: nothing changes
    lines = found[israel]
    assert "  credible: none -> all" in lines
    assert "  risk: high -> low" in lines
    assert "  precondition_met: none -> all" in lines
    at = lines.index("  credible: none -> all")
    assert lines[at + 1] == "    before:"
    before = lines[at + 2 : lines.index("    after:", at)]
    assert any("[contingent_needed]" in line for line in before)
    assert any("no Western contingent is on the ground" in line for line in before)
    after_start = lines.index("    after:", at) + 1
    assert lines[after_start].strip().startswith("The guarantee is credible to Russia")
    m = re.search(r"^(\d+) changed, (\d+) could not be compared\.$", changed.stdout, flags=re.MULTILINE)
    assert m is not None
    assert int(m.group(1)) == len(found) and m.group(2) == "0"
    assert changed.stdout.endswith(f"{m.group(0)}\n")


def test_every_change_has_a_before_and_an_after(changed: Result) -> None:
    for subject, lines in blocks(changed.stdout).items():
        heads = [line for line in lines if re.fullmatch(r"  \w+: \S.* -> \S.*", line)]
        assert heads, subject
        for head in heads:
            at = lines.index(head)
            assert lines[at + 1] == "    before:", (subject, head)
            assert "    after:" in lines[at + 2 :], (subject, head)


def test_identical_folders_exit_0(kbs: dict[str, Path]) -> None:
    result = run(
        "diff", str(kbs["old"]), str(kbs["same"]), "--proposals", str(PROPOSALS), "--scenarios", str(kbs["small"])
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "No verdict changed.\n"
    assert result.stderr == ""


def test_scenario_cases_are_compared_too(kbs: dict[str, Path]) -> None:
    result = run("diff", str(kbs["old"]), str(kbs["new"]), "--proposals", str(GG), "--scenarios", str(kbs["small"]))
    assert result.exit_code == 1, result.output
    found = blocks(result.stdout)
    small = kbs["small"]
    assert set(found) == {
        f"scenario {small}::a US treaty without troops",
        f"scenario {small}::a European force backed by the US, without a contingent",
    }
    for lines in found.values():
        assert "  credible: none -> all" in lines
    assert result.stdout.rstrip().endswith("2 changed, 0 could not be compared.")


def test_json_has_subject_and_changes(kbs: dict[str, Path], changed: Result) -> None:
    result = run(
        "diff",
        "--format",
        "json",
        str(kbs["old"]),
        str(kbs["new"]),
        "--proposals",
        str(PROPOSALS),
        "--scenarios",
        str(kbs["small"]),
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert isinstance(data, list) and data
    for item in data:
        assert set(item) == {"subject", "changes"}
        for change in item["changes"]:
            assert set(change) == {"verdict", "before", "after", "why_before", "why_after"}
            assert change["before"] != change["after"]
    by_subject = {d["subject"]: d["changes"] for d in data}
    israel = by_subject[f"proposal {ISRAEL}"]
    credible = next(c for c in israel if c["verdict"] == "credible")
    assert (credible["before"], credible["after"]) == ("none", "all")
    assert "[contingent_needed]" in credible["why_before"]
    assert "contingent_needed" not in credible["why_after"]
    # The text and JSON list the same proposals.
    assert {s for s in by_subject if s.startswith("proposal ")} == set(blocks(changed.stdout))


def test_the_same_input_gives_the_same_bytes(kbs: dict[str, Path], changed: Result) -> None:
    again = run(
        "diff", str(kbs["old"]), str(kbs["new"]), "--proposals", str(PROPOSALS), "--scenarios", str(kbs["none"])
    )
    assert again.stdout_bytes == changed.stdout_bytes


# ---------------------------------------------------------------- usage and input errors
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("only_one",), "two knowledge-base folders"),
        (("a", "b", "c"), "two knowledge-base folders"),
        ((), "two knowledge-base folders"),
        (("--base", "HEAD", "a", "b"), "not both"),
    ],
    ids=["one-folder", "three-folders", "nothing", "base-and-folders"],
)
def test_usage_errors_exit_2(args: tuple[str, ...], words: str) -> None:
    result = run("diff", *args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.stdout == ""


def test_a_folder_without_a_knowledge_base_exits_2(kbs: dict[str, Path], tmp_path: Path) -> None:
    result = run("diff", str(tmp_path), str(kbs["new"]), "--proposals", str(GG))
    assert result.exit_code == 2
    assert result.stderr == (
        f"argmap: {tmp_path}: error: no knowledge base here; expected a folder with rules/main.lp, or a .lp file\n"
    )


def test_a_bad_revision_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("diff", "--base", "no-such-revision-xyz")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("argmap: error: --base: cannot read revision 'no-such-revision-xyz'")
    assert "expected a git revision" in result.stderr
    assert "Traceback" not in result.output


def test_base_head_in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # The working tree may differ from HEAD: check the form of the report, not its content.
    monkeypatch.chdir(ROOT)
    result = run("diff", "--base", "HEAD")
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 0:
        assert result.stdout == "No verdict changed.\n"
    else:
        assert re.search(r"\n\d+ changed, \d+ could not be compared\.\n$", "\n" + result.stdout)
        assert blocks(result.stdout)
        for subject in blocks(result.stdout):
            assert subject.startswith(("proposal proposals/", "scenario tests/scenarios/"))


def test_base_head_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("diff", "--base", "HEAD", "--format", "json", "--scenarios", "tests/scenarios/models.yaml")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    assert (result.exit_code == 1) == bool(data)
    for item in data:
        assert {"subject", "changes"} <= set(item)


def test_base_head_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "tests")
    result = run("diff", "--base", "HEAD", "--proposals", "../proposals", "--scenarios", "scenarios/models.yaml")
    assert result.exit_code in (0, 1), result.stderr


# ---------------------------------------------------------------- the API
def test_kb_from_folder(kbs: dict[str, Path]) -> None:
    assert kbdiff.kb_from_folder(str(kbs["old"])) == [str(kbs["old"] / "rules" / "main.lp")]
    main_lp = str(kbs["old"] / "rules" / "main.lp")
    assert kbdiff.kb_from_folder(main_lp) == [main_lp]
    with pytest.raises(argmap.InputError, match="no knowledge base here"):
        kbdiff.kb_from_folder(str(kbs["old"] / "facts"))


def test_diff_api_names_each_subject(kbs: dict[str, Path]) -> None:
    old = argmap.Argmap(kbdiff.kb_from_folder(str(kbs["old"])), trace=True)
    new = argmap.Argmap(kbdiff.kb_from_folder(str(kbs["new"])), trace=True)
    items = kbdiff.subjects(new, [str(ISRAEL), str(GG)], [str(kbs["small"])])
    assert [s.id for s in items] == [
        f"proposal {ISRAEL}",
        f"proposal {GG}",
        f"scenario {kbs['small']}::a US treaty without troops",
        f"scenario {kbs['small']}::the article's proposal",
        f"scenario {kbs['small']}::a European force backed by the US, without a contingent",
    ]
    assert items[2].proposal_path is None and items[2].inline is not None
    assert items[3].proposal_path == str(GG)
    assert items[4].changes
    result = kbdiff.diff(old, new, items)
    assert [d.id for d in result] == [items[0].id, items[2].id, items[4].id]
    assert all(d.error is None for d in result)
    assert kbdiff.diff(old, old, items) == []


def test_a_scenario_invalid_under_the_new_kb_is_reported_not_fatal(kbs: dict[str, Path], tmp_path: Path) -> None:
    new = copy_kb(tmp_path / "new")
    schema = new / "facts" / "schema.lp"
    text = schema.read_text(encoding="utf-8")
    assert "trainers; monitors)" in text
    schema.write_text(text.replace("trainers; monitors)", "trainers)"), encoding="utf-8")
    cases = tmp_path / "monitors.yaml"
    cases.write_text(
        "scenarios:\n  - name: monitors\n    proposal:\n      title: T\n      source: S\n"
        "      lead: european\n      guarantors: [uk]\n      western_contingent: monitors\n"
        "    expect: {credible: false}\n",
        encoding="utf-8",
    )
    result = run("diff", str(kbs["old"]), str(new), "--proposals", str(GG), "--scenarios", str(cases))
    assert result.exit_code == 1, result.output
    assert "invalid under the new knowledge base" in result.stdout


def test_a_scenarios_path_that_does_not_exist_is_bad_input(kbs: dict[str, Path]) -> None:
    result = run("diff", str(kbs["old"]), str(kbs["new"]), "--scenarios", str(kbs["old"] / "typo"))
    assert result.exit_code == 2
    assert "--scenarios: no such file or folder" in result.stderr
