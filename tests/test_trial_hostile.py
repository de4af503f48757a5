"""Regressions from an attacker's trial of issue 11's promises (each failed before its fix)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import argmap.engine.control as control
from argmap.engine.control import GroundBudget
from cli_runner import run
from helpers import PROPOSALS, ROOT

GUARANTEED = PROPOSALS / "guaranteed_guarantees.yaml"
MAIN_LP = ROOT / "rules" / "main.lp"


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge base (its rules and facts folders) with a project config."""
    for folder in ("rules", "facts"):
        (tmp_path / folder).mkdir()
        for path in (ROOT / folder).glob("*.lp"):
            (tmp_path / folder / path.name).write_bytes(path.read_bytes())
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")  # the top of its folder tree
    return tmp_path


@pytest.mark.parametrize("victim", ["rules/main.lp", "facts/world.lp", "layer.lp"])
def test_check_output_onto_a_rule_file_it_reads_is_refused(kb_copy: Path, victim: str) -> None:
    layer = kb_copy / "layer.lp"
    layer.write_text("% a layer\n", encoding="utf-8")
    target = kb_copy / victim
    before = target.read_bytes()
    result = run("check", "--kb", kb_copy / "rules" / "main.lp", "--layer", layer, GUARANTEED, "-o", target)
    assert result.exit_code == 2, result.output
    assert "would overwrite an input of this command" in result.stderr
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a.\nc :- a, \u2013 b.\n", 2, 9),  # an en dash where a minus was meant
        ("\u201cq\u201d.\n", 1, 1),  # curly quotes where a string was meant
        ("a.\nb(caf\u00e9).\n", 2, 6),
    ],
)
@pytest.mark.parametrize("option", ["--kb", "--layer"])
def test_a_character_clingo_cannot_lex_is_an_error_at_its_place(
    tmp_path: Path, text: str, line: int, column: int, option: str
) -> None:
    """clingo's own message about such a character crashed the probe (reported as running out of memory)."""
    bad = tmp_path / "g.lp"
    bad.write_text(text, encoding="utf-8")
    args = ["check", "--kb", MAIN_LP, option, bad, GUARANTEED] if option == "--layer" else ["claims", option, bad]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert re.match(rf"argmap: (\S*/)?g\.lp:{line}:{column}: error: .* cannot stand outside a string", result.stderr)
    assert "memory" not in result.stderr


def test_any_character_inside_strings_and_comments_is_fine(tmp_path: Path) -> None:
    layer = tmp_path / "g.lp"
    layer.write_text(
        '% caf\u00e9 \u2013 \u201cq\u201d\nnote_text("caf\u00e9 \u2013 \u201cq\u201d").\n', encoding="utf-8"
    )
    assert run("check", "--layer", layer, GUARANTEED).exit_code in (0, 1)


def test_a_traced_program_past_the_atom_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """explain takes every rule firing apart in Python: its program may not ground to more atoms than
    the limit (set low here; the shipped knowledge base has about 5,000 traced)."""
    monkeypatch.setattr(control, "TRACED_ATOMS_LIMIT", 20_000)
    layer = tmp_path / "many.lp"
    layer.write_text("n(1..200).\npair(X, Y) :- n(X), n(Y).\n", encoding="utf-8")
    result = run("explain", "--layer", layer, GUARANTEED)
    assert result.exit_code == 2, result.output
    assert "more than the 20,000 an explanation may take apart" in result.stderr
    assert run("check", "--layer", layer, GUARANTEED).exit_code in (0, 1)  # untraced, it is not limited


def test_the_grounding_budget_counts_what_the_probe_used() -> None:
    assert GroundBudget(10, 4).remaining() == 6 + control.GROUND_SLACK
    assert GroundBudget(10, 12).remaining() == control.GROUND_SLACK


def test_grounding_past_the_budget_is_abandoned_with_a_message(tmp_path: Path) -> None:
    """The probe passed (its time is given as used), the grounding here runs past what is left: an
    error naming the user's rule file, at once, not when the grounding ends.  In a child process, which
    exits without waiting for the grounding thread, as the command line does."""
    layer = tmp_path / "slow.lp"
    layer.write_text("n(1..3000).\nnothing :- n(X), n(Y), n(Z), X + Y + Z < 0.\n", encoding="utf-8")
    script = (
        "import os, sys\n"
        "import argmap.engine.control as c\n"
        "from argmap.engine.kbspec import KnowledgeBase\n"
        "from argmap.model.errors import InputError\n"
        "c.GROUND_SLACK = 0.0\n"
        "try:\n"
        "    c.Engine(KnowledgeBase.shipped((sys.argv[1],)), ground_budget=c.GroundBudget(3.0, 2.0))\n"
        "except InputError as exc:\n"
        "    sys.stdout.write(str(exc)); sys.stdout.flush(); os._exit(2)\n"
        "os._exit(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(layer)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "slow.lp" in done.stdout and "grounding did not finish within 3 s" in done.stdout, done.stdout
    assert "took 2.0 s of them" in done.stdout
