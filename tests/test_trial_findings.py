"""Findings from a new user's first knowledge base (a congestion charge): each on a tiny KB of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from argmap.cli.root import main
from argmap.io.scaffold import scaffold

ROOT = Path(__file__).resolve().parents[1]

#: A set verdict and the KB's own words for values (`futile` for a false `effective`, `sealed` for no leak).
_EXTRA_VOCABULARY = """
verdict_word(effective, false, "futile").
verdict(leaks, set, "leaks").
verdict_member(leaks, (few; many)).
verdict_word(leaks, none, "sealed").
verdict_doc(leaks, "which exemptions leak").
"""


def _kb(tmp_path: Path) -> Path:
    """`argmap init`'s knowledge base, with a set verdict and declared value words."""
    folder = tmp_path / "kb"
    scaffold(str(folder))
    with open(folder / "rules" / "vocabulary.lp", "a", encoding="utf-8") as f:
        f.write(_EXTRA_VOCABULARY)
    with open(folder / "rules" / "effectiveness.lp", "a", encoding="utf-8") as f:
        f.write("leaks(E) :- has(exemptions, E), E != none.\n")
    with open(folder / "rules" / "show.lp", "a", encoding="utf-8") as f:
        f.write("#show leaks/1.\n")
    return folder


def _run(folder: Path, *args: str) -> Result:
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)


# ------------------------------------------------------------------ 1. columns never run together
def test_whatif_columns_stay_apart_however_long_the_values(tmp_path: Path) -> None:
    folder = _kb(tmp_path)
    with open(folder / "rules" / "vocabulary.lp", "a", encoding="utf-8") as f:
        f.write('verdict_word(leaks, many, "a great many exempt users").\n')
    r = _run(folder, "whatif", "proposals/example.yaml", "--set", "exemptions=many")
    assert r.exit_code == 1, r.output  # a verdict flipped
    rows = {line.split()[0]: line for line in r.stdout.splitlines()[4:6]}
    assert rows["leaks"].endswith("few     a great many exempt users  <- flipped"), r.stdout
    assert rows["effective"].endswith("yes     futile                     <- flipped"), r.stdout


def test_a_failing_scenario_keeps_expected_and_actual_apart(tmp_path: Path) -> None:
    folder = _kb(tmp_path)
    (folder / "scenarios" / "long.yaml").write_text(
        "scenarios:\n"
        "  - name: wrong\n"
        "    proposal: ../proposals/example.yaml\n"
        "    expect:\n"
        "      reasons: [{claim: exemptions_undermine, verdict: effective, effect: con}]\n",
        encoding="utf-8",
    )
    r = _run(folder, "test", "scenarios/long.yaml")
    assert r.exit_code == 1, r.output
    row = next(line for line in r.stdout.splitlines() if "includes exemptions_undermine (effective, con)" in line)
    assert "(effective, con)  " in row, row


# ------------------------------------------------------------------ 2. the KB's own words everywhere
def test_value_words_read_the_same_in_check_whatif_and_sensitivity(tmp_path: Path) -> None:
    folder = _kb(tmp_path)
    (folder / "proposals" / "none.yaml").write_text(
        "title: No price\nsource: test\nprice: false\nexemptions: none\n", encoding="utf-8"
    )
    check = _run(folder, "check", "proposals/none.yaml")
    assert "futile" in check.stdout and "sealed" in check.stdout, check.output
    whatif = _run(folder, "whatif", "proposals/example.yaml", "--set", "price=false", "--set", "exemptions=none")
    assert "effective: yes -> futile" in whatif.stdout, whatif.output
    assert "leaks: few -> sealed" in whatif.stdout, whatif.output
    sensitivity = _run(folder, "sensitivity", "proposals/none.yaml")
    assert "effective: futile" in sensitivity.stdout and "leaks: sealed" in sensitivity.stdout, sensitivity.output
    repair = _run(folder, "repair", "proposals/none.yaml", "--goal", "effective")
    assert "effective futile" not in repair.stdout and "then: effective yes, leaks" in repair.stdout, repair.output


# ------------------------------------------------------------------ 4. a reader that leaves early
@pytest.mark.parametrize(
    "args",
    [
        ["explore", "spaces/designs.yaml", "--format", "jsonl"],
        ["claims"],
        ["check", "proposals", "--format", "jsonl", "--exit-zero"],
    ],
    ids=["explore", "claims", "check"],
)
def test_a_closed_stdout_ends_quietly(args: list[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from argmap.cli import entry; entry()", *args],
        cwd=ROOT / "examples" / "federalist10",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line (`| head -0`)
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 141  # 128 + SIGPIPE, as a shell reports it; not 1, a finding


# ------------------------------------------------------------------ 3. diff OLD NEW reads their own config
def test_diff_of_two_folders_compares_their_own_proposals(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    scaffold(str(old))
    scaffold(str(new))
    rules = new / "rules" / "effectiveness.lp"
    rules.write_text(rules.read_text(encoding="utf-8").replace("has(exemptions, many)", "has(exemptions, few)"))
    r = _run(tmp_path, "diff", "old", "new")
    assert r.exit_code == 1, r.output
    assert "effective: yes -> no" in r.stdout, r.stdout


def test_diff_with_nothing_to_compare_says_so(tmp_path: Path) -> None:
    for side in ("old", "new"):
        scaffold(str(tmp_path / side))
        (tmp_path / side / "argmap.toml").unlink()
    r = _run(tmp_path, "diff", "old", "new")
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("argmap: error:") and "nothing to compare" in r.stderr, r.stderr


# ------------------------------------------------------------------ 9. every error reads `argmap: error: ...`
_STANCES = """
actor(city).
position(charge, (support; oppose)).
stance(city, charge, support, 20240100, pricing_works).
"""


def test_no_matching_case_is_an_argmap_error(tmp_path: Path) -> None:
    r = _run(_kb(tmp_path), "test", "-k", "nomatch")
    assert r.exit_code == 1
    assert r.stderr.startswith("argmap: error: no scenario case found"), r.stderr


def test_a_usage_error_ends_in_an_argmap_error(tmp_path: Path) -> None:
    r = _run(_kb(tmp_path), "check", "--format", "xml")
    assert r.exit_code == 2
    assert r.stderr.splitlines()[-1].startswith("argmap: error: Invalid value for '--format'"), r.stderr
    assert "Error:" not in r.stderr


@pytest.mark.parametrize(
    ("stance", "message"),
    [("city", "'city' is not ACTOR.ISSUE=POSITION"), ("town.charge=support", "'town' is not an actor")],
    ids=["shape", "actor"],
)
def test_stance_errors_name_the_option(tmp_path: Path, stance: str, message: str) -> None:
    folder = _kb(tmp_path)
    with open(folder / "facts" / "claims.lp", "a", encoding="utf-8") as f:
        f.write(_STANCES)
    r = _run(folder, "whatif", "proposals/example.yaml", "--stance", stance)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith(f"argmap: error: --stance: {message}"), r.stderr


def test_an_impossible_date_names_its_key(tmp_path: Path) -> None:
    folder = _kb(tmp_path)
    (folder / "proposals" / "dated.yaml").write_text(
        "title: Dated\nsource: test\nprice: true\nexemptions: few\nnotes: 2026-02-30\n", encoding="utf-8"
    )
    r = _run(folder, "check", "proposals/dated.yaml")
    assert r.exit_code == 2, r.output
    assert "dated.yaml:5:8: error: notes: cannot read value '2026-02-30'" in r.stderr, r.stderr


# ------------------------------------------------------------------ 11. repair counts what it says
def test_repair_counts_its_changes_in_words_that_agree(tmp_path: Path) -> None:
    folder = _kb(tmp_path)
    (folder / "proposals" / "open.yaml").write_text(
        "title: Open\nsource: test\nprice: false\nopen: [exemptions]\n", encoding="utf-8"
    )
    r = _run(folder, "repair", "proposals/open.yaml", "--goal", "effective", "--max-changes", "1")
    assert r.exit_code == 0, r.output
    assert "; at most 1 change\n" in r.stdout and "each changing 1 component" in r.stdout, r.stdout
    assert "exemptions: (open) -> (unset)  (not counted)" in r.stdout, r.stdout
    assert "price: false -> true\n" in r.stdout, r.stdout
    blocked = _run(folder, "repair", "proposals/open.yaml", "--goal", "effective", "--max-changes", "0")
    assert "at most 0 changes" in blocked.stdout and "changes." in blocked.stdout, blocked.stdout
