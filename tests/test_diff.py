"""`argmap diff` and argmap.analysis.diff: verdicts that change between two versions of a knowledge base."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import argmap
from argmap.analysis import diff as kbdiff
from argmap.engine.kbspec import KnowledgeBase, kb_from_folder
from argmap.io.scaffold import scaffold
from helpers import FACTS, PROPOSALS, ROOT, RULES, probe_without_child

#: The rule in rules/credibility.lp that the "new" knowledge base drops.
CONTINGENT_RULE = """reason(credible, con, contingent_needed, "no Western contingent is on the ground") :-
    accepted(contingent_needed), feature(guarantee_offered),
    not feature(contingent), not feature(nato_membership).
"""
#: The rule in rules/credibility.lp that the "new" knowledge base drops as well: Israel-style memoranda
#: have no US guarantee behind them either, so only without both defeaters do they become credible.
US_GUARANTEE_RULE = (
    'reason(credible, con, guaranteed_guarantees, "no US guarantee (a backstop, a treaty alliance or troops) '
    'stands behind the guarantee") :-\n'
    "    accepted(guaranteed_guarantees), feature(guarantee_offered), not feature(us_guarantee).\n"
)
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

#: The rule of `argmap init`'s knowledge base that its "new" version drops.
EXEMPTIONS_RULE = """reason(effective, con, exemptions_undermine, "many users are exempt from the price") :-
    accepted(exemptions_undermine), has(price, true), has(exemptions, many).
"""
#: The scaffold's scenario variation whose verdict that changes.
MANY = "a price with few exemptions is effective::many exemptions undermine it"

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def cli(app: argmap.Argmap) -> Iterator[Run]:
    """`argmap ARGS` in this process.  Each knowledge base is grounded once for the module (its files do not
    change): the shipped one's engines are the session's.  The child process that first grounds a knowledge
    base not argmap's own (argmap.engine.guard, tested in test_guard.py) is not started; its files are read."""
    api = importlib.import_module("argmap.api")
    guard = importlib.import_module("argmap.engine.guard")
    grounded: dict[tuple[object, ...], Any] = {}
    build = api.Argmap._engine
    shipped = {False: app.engine, True: app.traced}  # grounded now, before _engine is replaced

    def engine(self: argmap.Argmap, **kw: Any) -> Any:
        if self.kb.is_shipped and self.timeout is None and set(kw) <= {"trace"}:
            return shipped[bool(kw.get("trace"))]
        key = (self.kb, self.timeout, tuple(sorted(kw.items())))
        if key not in grounded:
            grounded[key] = build(self, **kw)
        return grounded[key]

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(api.Argmap, "_engine", engine)

        monkeypatch.setattr(guard, "probe", probe_without_child)
        yield lambda *args: CliRunner().invoke(importlib.import_module("argmap.cli.root").main, [str(a) for a in args])


def copy_kb(into: Path) -> Path:
    shutil.copytree(RULES, into / "rules")
    shutil.copytree(FACTS, into / "facts")
    return into


@pytest.fixture(scope="module")
def kbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """old: a copy of the knowledge base; new: the same without the contingent and US-guarantee defeaters."""
    root = tmp_path_factory.mktemp("kbs")
    old = copy_kb(root / "old")
    new = copy_kb(root / "new")
    rules = new / "rules" / "credibility.lp"
    text = rules.read_text(encoding="utf-8")
    for rule in (CONTINGENT_RULE, US_GUARANTEE_RULE):
        assert rule in text, "a defeater this test drops has moved; update this test"
        text = text.replace(rule, "")
    rules.write_text(text, encoding="utf-8")
    small = root / "small.yaml"
    small.write_text(textwrap.dedent(SMALL).lstrip("\n"), encoding="utf-8")
    none = root / "no_scenarios_here"  # an empty folder: no scenario to compare
    none.mkdir()
    return {"old": old, "new": new, "small": small, "none": none}


def tiny(into: Path, *, drop: str = EXEMPTIONS_RULE) -> Path:
    """`argmap init`'s knowledge base in `into`, without `drop`."""
    scaffold(str(into))
    rules = into / "rules" / "effectiveness.lp"
    text = rules.read_text(encoding="utf-8")
    assert drop in text, "the scaffold's rules have changed; update this test"
    rules.write_text(text.replace(drop, ""), encoding="utf-8")
    return into


@pytest.fixture(scope="module")
def changed(cli: Run, kbs: dict[str, Path]) -> Result:
    return cli("diff", kbs["old"], kbs["new"], "--proposals", PROPOSALS, "--scenarios", kbs["none"])


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


def summary(stdout: str) -> list[str]:
    """The lines of the summary table at the top."""
    lines = stdout.splitlines()
    assert lines[0] == "Summary:"
    return lines[1 : lines.index("")]


# ---------------------------------------------------------------- two folders
def test_a_changed_rule_lists_the_changed_verdicts_and_exits_1(changed: Result) -> None:
    assert changed.exit_code == 1, changed.output
    found = blocks(changed.stdout)
    israel = f"proposal {ISRAEL}"
    assert israel in found
    assert f"proposal {GG}" not in found  # it has a contingent: nothing changes
    lines = found[israel]
    # verdicts by their labels, values as `check` reads them
    assert "  credible: no -> yes" in lines
    assert "  risk: high -> low" in lines
    assert "  precondition: not met -> met" in lines
    at = lines.index("  credible: no -> yes")
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


def test_the_summary_counts_each_change(changed: Result) -> None:
    table = summary(changed.stdout)
    changes = [line for lines in blocks(changed.stdout).values() for line in lines if re.fullmatch(r"  \S.*->.*", line)]
    for row in table:
        m = re.fullmatch(r"  (.+: .+ -> .+)  \((\d+) subjects?\)", row)
        assert m is not None, row
        assert changes.count(f"  {m.group(1)}") == int(m.group(2))
    assert sum(int(re.findall(r"\((\d+)", row)[0]) for row in table) == len(changes)
    assert "  credible: no -> yes  (1 subject)" in table


def test_every_change_has_a_before_and_an_after(changed: Result) -> None:
    for subject, lines in blocks(changed.stdout).items():
        heads = [line for line in lines if re.fullmatch(r"  \w[\w ]*: \S.* -> \S.*", line)]
        assert heads, subject
        for head in heads:
            at = lines.index(head)
            assert lines[at + 1] == "    before:", (subject, head)
            assert "    after:" in lines[at + 2 :], (subject, head)


def test_identical_knowledge_bases_exit_0(cli: Run, kbs: dict[str, Path]) -> None:
    # The repository's own knowledge base against a copy of it.
    result = cli("diff", ROOT, kbs["old"], "--proposals", PROPOSALS, "--scenarios", kbs["small"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "No verdict changed.\n"
    assert result.stderr == ""


def test_scenario_cases_are_compared_too(cli: Run, kbs: dict[str, Path]) -> None:
    result = cli("diff", kbs["old"], kbs["new"], "--proposals", GG, "--scenarios", kbs["small"])
    assert result.exit_code == 1, result.output
    found = blocks(result.stdout)
    small = kbs["small"]
    assert set(found) == {
        f"scenario {small}::a US treaty without troops",
        f"scenario {small}::a European force backed by the US, without a contingent",
    }
    for lines in found.values():
        assert "  credible: no -> yes" in lines
    assert result.stdout.rstrip().endswith("2 changed, 0 could not be compared.")


def test_json_has_subject_and_changes(cli: Run, kbs: dict[str, Path], changed: Result) -> None:
    result = cli(
        "diff", "--format", "json", kbs["old"], kbs["new"], "--proposals", PROPOSALS, "--scenarios", kbs["small"]
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
    assert (credible["before"], credible["after"]) == ("no", "yes")
    # the claim is cited before; after, it is at most a rule that does not apply
    assert "contingent_needed" in _cited(credible["why_before"])
    assert "contingent_needed" not in _cited(credible["why_after"])
    # The text and JSON list the same proposals.
    assert {s for s in by_subject if s.startswith("proposal ")} == set(blocks(changed.stdout))


def _cited(trees: list[dict[str, Any]]) -> set[str]:
    """The claims cited (as claim nodes) in JSON explanation trees."""
    found: set[str] = set()
    stack = list(trees)
    while stack:
        node = stack.pop()
        if node["kind"] == "claim" and node["holds"]:
            found.add(node["claim"])
        stack.extend(node.get("children", []))
    return found


def test_the_same_input_gives_the_same_bytes(cli: Run, kbs: dict[str, Path], changed: Result) -> None:
    again = cli("diff", kbs["old"], kbs["new"], "--proposals", PROPOSALS, "--scenarios", kbs["none"])
    assert again.stdout_bytes == changed.stdout_bytes


# ---------------------------------------------------------------- includes, layers, another knowledge base
@pytest.mark.parametrize("inside", ["old", "old/rules", "new/rules"])
def test_run_from_inside_a_knowledge_base_folder(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inside: str
) -> None:
    # Each folder's #include lines are read relative to the file that holds them, not the current folder: run
    # from inside one of the two knowledge bases, the diff still compares two different ones.
    old = scaffold(str(tmp_path / "old")) and tmp_path / "old"
    new = tiny(tmp_path / "new")
    monkeypatch.chdir(tmp_path / inside)
    result = cli("diff", old, new, "--proposals", old / "proposals", "--scenarios", old / "scenarios")
    assert result.exit_code == 1, result.output
    assert set(blocks(result.stdout)) == {f"scenario {old / 'scenarios' / 'example.yaml'}::{MANY}"}
    assert "  effective: no -> yes" in result.stdout
    assert "[exemptions_undermine]" in result.stdout  # why it was not effective before


@pytest.fixture(scope="module")
def tiny_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("tiny")
    scaffold(str(root / "old"))
    return root / "old", tiny(root / "new")


def test_a_layer_applies_to_both_sides(cli: Run, tiny_pair: tuple[Path, Path], tmp_path: Path) -> None:
    # With the claim rejected on both sides, the rule the new side drops fires on neither.
    old, new = tiny_pair
    layer = tmp_path / "reject.lp"
    layer.write_text("rejected(exemptions_undermine).\n", encoding="utf-8")
    args = ("--proposals", old / "proposals", "--scenarios", old / "scenarios")
    assert cli("diff", old, new, *args).exit_code == 1
    result = cli("diff", old, new, *args, "--layer", layer)
    assert (result.exit_code, result.stdout) == (0, "No verdict changed.\n"), result.output


def test_another_knowledge_base_is_shown_with_its_own_verdicts(
    cli: Run, tiny_pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run from the repository (whose config names the Ukraine knowledge base): the labels are the new side's.
    old, new = tiny_pair
    monkeypatch.chdir(ROOT)
    result = cli("diff", old, new, "--proposals", old / "proposals", "--scenarios", old / "scenarios")
    assert result.exit_code == 1, result.output
    assert summary(result.stdout) == ["  effective: no -> yes  (1 subject)"]
    for word in ("credible", "risk", "precondition", "Russia"):
        assert word not in result.stdout


def test_a_scenario_invalid_under_the_new_kb_is_reported_not_fatal(
    cli: Run, tiny_pair: tuple[Path, Path], tmp_path: Path
) -> None:
    # The new side no longer has the value that a scenario sets: the file cannot be read under it.
    old, _ = tiny_pair
    new = tiny(tmp_path / "new")
    schema = new / "facts" / "schema.lp"
    text = schema.read_text(encoding="utf-8")
    assert "value(exemptions, (none; few; many))." in text
    schema.write_text(text.replace("(none; few; many)", "(none; few)"), encoding="utf-8")
    result = cli("diff", old, new, "--proposals", old / "proposals", "--scenarios", old / "scenarios")
    assert result.exit_code == 1, result.output
    scenarios = old / "scenarios" / "example.yaml"
    (subject,) = blocks(result.stdout)
    assert subject == f"scenario file {scenarios}"
    assert "invalid under the new knowledge base" in result.stdout
    assert "'many' is not a value of exemptions" in result.stdout
    assert result.stdout.rstrip().endswith("0 changed, 1 could not be compared.")


# ---------------------------------------------------------------- a git revision
def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=argmap", "-c", "user.email=argmap@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git checkout of `argmap init`'s knowledge base; the working tree drops the exemptions rule."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path_factory.mktemp("repo") / "project"
    scaffold(str(root))
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "the knowledge base")
    tiny(root / "scratch")  # the new rule file, written over the committed one
    shutil.copy(root / "scratch" / "rules" / "effectiveness.lp", root / "rules" / "effectiveness.lp")
    shutil.rmtree(root / "scratch")
    return root


@pytest.mark.parametrize("where", [".", "rules", "scenarios"])
def test_base_head_compares_the_working_tree_with_the_commit(
    cli: Run, repo: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    # The project config (argmap.toml) names the knowledge base, the proposals and the scenarios.
    monkeypatch.chdir(repo / where)
    result = cli("diff", "--base", "HEAD")
    assert result.exit_code == 1, result.output
    assert set(blocks(result.stdout)) == {f"scenario {repo / 'scenarios' / 'example.yaml'}::{MANY}"}
    assert summary(result.stdout) == ["  effective: no -> yes  (1 subject)"]


def test_base_head_with_kb_from_outside_the_project(
    cli: Run, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No config here: --kb names the knowledge base, and its files at the revision are the base.
    monkeypatch.chdir(tmp_path)
    scenarios = repo / "scenarios"
    result = cli("diff", "--base", "HEAD", "--kb", repo / "rules" / "main.lp", "--scenarios", scenarios)
    assert result.exit_code == 1, result.output
    assert set(blocks(result.stdout)) == {f"scenario {scenarios / 'example.yaml'}::{MANY}"}


def test_base_head_as_json(cli: Run, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = cli("diff", "--base", "HEAD", "--format", "json")
    assert result.exit_code == 1, result.output
    (item,) = json.loads(result.stdout)
    assert item["subject"] == f"scenario {repo / 'scenarios' / 'example.yaml'}::{MANY}"
    assert [(c["verdict"], c["before"], c["after"]) for c in item["changes"]] == [("effective", "no", "yes")]


def test_base_head_with_a_layer_on_both_sides(cli: Run, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "rejects.lp").write_text("rejected(exemptions_undermine).\n", encoding="utf-8")
    git(repo, "add", "rejects.lp")
    git(repo, "commit", "-q", "-m", "a layer")
    monkeypatch.chdir(repo)
    try:
        result = cli("diff", "--base", "HEAD", "--layer", "rejects.lp")
    finally:
        git(repo, "rm", "-q", "rejects.lp")
        git(repo, "commit", "-q", "-m", "no layer")
    assert (result.exit_code, result.stdout) == (0, "No verdict changed.\n"), result.output


def test_a_bad_revision_exits_2(cli: Run, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = cli("diff", "--base", "no-such-revision-xyz")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("argmap: error: --base: cannot read revision 'no-such-revision-xyz'")
    assert "expected a git revision" in result.stderr
    assert "Traceback" not in result.output


def test_outside_a_checkout_base_exits_2(
    cli: Run, tiny_pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, _ = tiny_pair
    monkeypatch.chdir(old)
    result = cli("diff", "--base", "HEAD")
    assert result.exit_code == 2
    assert "not inside a git checkout" in result.stderr


# ---------------------------------------------------------------- usage and input errors
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("only_one",), "two knowledge-base folders"),
        (("a", "b", "c"), "two knowledge-base folders"),
        ((), "two knowledge-base folders"),
        (("--base", "HEAD", "a", "b"), "not both"),
        (("--kb", "x.lp", "a", "b"), "--kb goes with --base"),
    ],
    ids=["one-folder", "three-folders", "nothing", "base-and-folders", "kb-and-folders"],
)
def test_usage_errors_exit_2(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("diff", *args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.stdout == ""


def test_a_folder_without_a_knowledge_base_exits_2(cli: Run, kbs: dict[str, Path], tmp_path: Path) -> None:
    result = cli("diff", tmp_path, kbs["new"], "--proposals", GG)
    assert result.exit_code == 2
    assert result.stderr == (
        f"argmap: {tmp_path}: error: no knowledge base here; "
        "expected a folder with argmap.toml or rules/main.lp, or a .lp file\n"
    )


def test_a_scenarios_path_that_does_not_exist_is_bad_input(cli: Run, kbs: dict[str, Path]) -> None:
    result = cli("diff", kbs["old"], kbs["new"], "--scenarios", kbs["old"] / "typo")
    assert result.exit_code == 2
    assert "--scenarios: no such file or folder" in result.stderr


# ---------------------------------------------------------------- the API
def test_kb_from_folder(kbs: dict[str, Path], tiny_pair: tuple[Path, Path]) -> None:
    old = kbs["old"]
    assert kb_from_folder(str(old)) == KnowledgeBase((str(old / "rules" / "main.lp"),), (), str(old))
    main_lp = str(old / "rules" / "main.lp")
    assert kb_from_folder(main_lp).files == (main_lp,)
    assert kb_from_folder(str(old), ("layer.lp",)).layers == ("layer.lp",)
    with pytest.raises(argmap.InputError, match="no knowledge base here"):
        kb_from_folder(str(old / "facts"))
    # a folder with argmap.toml: its kb (and layers), the folder its root
    scaffolded, _ = tiny_pair
    assert kb_from_folder(str(scaffolded)) == KnowledgeBase(
        (str(scaffolded / "rules" / "main.lp"),), (), str(scaffolded)
    )


def test_diff_api_names_each_subject(cli: Run, kbs: dict[str, Path]) -> None:
    old = argmap.Argmap(kb_from_folder(str(kbs["old"])))
    new = argmap.Argmap(kb_from_folder(str(kbs["new"])))
    items = kbdiff.subjects(new.vocabulary, [str(ISRAEL), str(GG)], [str(kbs["small"])])
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
    result = kbdiff.diff(old.traced, new.traced, items)
    assert [d.id for d in result] == [items[0].id, items[2].id, items[4].id]
    assert all(d.error is None for d in result)
    credible = next(c for c in result[0].changes if c.verdict == "credible")
    assert (credible.before, credible.after) == ("no", "yes")
    assert "contingent_needed" in set().union(*(n.claims() for n in credible.why_before))
    assert "contingent_needed" not in set().union(*(n.claims() for n in credible.why_after))
    assert kbdiff.diff(old.traced, old.traced, items) == []
    assert new.diff(old, [str(ISRAEL)]) == result[:1]
