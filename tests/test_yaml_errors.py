"""Every error of a proposal file, compiler-style, YAML's own included.

A value YAML reads but argmap refuses (a YAML 1.1 number such as ``010`` or
``1:30``, a date not on the calendar, a duplicate key) no longer stops the
file: it is reported where it is written, and the vocabulary is checked on
the rest, so one run names every error of the file, in line order.  A file
that cannot be parsed at all (a syntax error, an anchor) is one error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import argmap
from argmap.io.proposals import load_proposal
from argmap.io.yamltree import load_yaml
from argmap.model.errors import InputError
from cli_runner import run
from helpers import PROPOSALS, ROOT

GOOD = PROPOSALS / "guaranteed_guarantees.yaml"

#: Three errors of three kinds: a YAML 1.1 octal (line 5), an unknown key (line 6), a value not in the vocabulary (7).
THREE = """\
title: t
source: s
phases:
  - name: a
    timing: {after_ceasefire: 010}
colour: red
lead: europeen
"""


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def located(stderr: str) -> list[str]:
    """Each error line's `FILE:LINE:COL` with its message's start (key and first words)."""
    return [line.split(" error: ")[0].removeprefix("argmap: ") for line in stderr.splitlines()]


def test_a_yaml_number_an_unknown_key_and_a_bad_value_are_all_reported_and_the_others_judged(tmp_path: Path) -> None:
    bad = tmp_path / "a_bad.yaml"
    bad.write_text(THREE, encoding="utf-8")
    (tmp_path / "b_good.yaml").write_bytes(GOOD.read_bytes())
    result = run("check", "--exit-zero", tmp_path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert located(result.stderr) == [f"{bad}:5:31:", f"{bad}:6:1:", f"{bad}:7:7:"]
    lines = result.stderr.splitlines()
    assert "after_ceasefire: '010' has a leading zero" in lines[0]
    assert "colour: unknown key" in lines[1]
    assert "lead: 'europeen' is not a value of lead" in lines[2] and "did you mean 'european'" in lines[2]
    assert "[b_good]" in result.stdout  # the good file beside it is still judged


def test_every_kind_of_unreadable_value_is_reported_with_the_rest_in_line_order(
    tmp_path: Path, app: argmap.Argmap
) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(
        "title: t\n"
        "source: s\n"
        "lead: us\n"
        "date: 2024-02-30\n"  # not on the calendar
        "lead: nato\n"  # a duplicate
        "us_role: 1:30\n"  # base 60
        "nato_path: membr\n"  # a typo the vocabulary catches
        "legal_form: 0x10\n",  # a base prefix
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_proposal(str(path), app.vocabulary)
    found = [(e.line, e.key) for e in info.value.errors()]
    assert found == [(4, "date"), (5, "lead"), (6, "us_role"), (7, "nato_path"), (8, "legal_form")]
    messages = [e.message for e in info.value.errors()]
    assert "day is out of range for month" in messages[0]
    assert messages[1] == "duplicate key (first given on line 3)"
    assert "base 60" in messages[2] and "base prefix" in messages[4]
    assert info.value.errors()[3].suggestion == "member"


def test_an_unreadable_value_gets_one_error_not_a_second_from_the_vocabulary(
    tmp_path: Path, app: argmap.Argmap
) -> None:
    """`us_role: 010` is YAML's error; the check that us_role is a word from the vocabulary says nothing more there."""
    path = tmp_path / "one.yaml"
    path.write_text("title: t\nsource: s\nus_role: 010\nair_defence: 2025-01-01\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_proposal(str(path), app.vocabulary)
    errors = info.value.errors()
    assert [(e.line, e.column) for e in errors] == [(3, 10), (4, 14)]
    assert "leading zero" in errors[0].message
    assert "is not true or false" in errors[1].message  # a readable date, the wrong kind of value


def test_a_syntax_error_stops_the_file_with_one_error(tmp_path: Path) -> None:
    path = tmp_path / "syntax.yaml"
    path.write_text("title: t\nsource: s\nus_role: 010\ncolour: red\nlead: [unclosed\n", encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "invalid YAML" in result.stderr


def test_an_anchor_stops_the_file_with_one_error(tmp_path: Path) -> None:
    path = tmp_path / "anchor.yaml"
    path.write_text("title: t\nsource: s\nus_role: 010\nlead: &a us\n", encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2
    assert located(result.stderr) == [f"{path}:4:7:"]
    assert "anchors and aliases are not supported" in result.stderr


def test_load_yaml_hands_value_errors_over_or_raises_them_all(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("a: 010\nb: ok\na: 2\n? [x]\n: y\nc: [1, 0b11]\n", encoding="utf-8")
    found: list[InputError] = []
    root = load_yaml(str(path), errors=found)
    assert [(e.line, e.column) for e in found] == [(1, 4), (3, 1), (4, 3), (6, 8)]
    assert found[2].message == "a mapping key must be a plain word"
    # the tree keeps what could be read: the first `a` (empty), b, and c with its unreadable item empty
    assert root.plain() == {"a": None, "b": "ok", "c": [1, None]}
    assert root.value["c"].value[1].line == 6
    with pytest.raises(InputError) as info:
        load_yaml(str(path))
    assert [(e.line, e.column) for e in info.value.errors()] == [(1, 4), (3, 1), (4, 3), (6, 8)]


def test_a_scenario_naming_a_proposal_file_reports_all_of_its_errors(tmp_path: Path) -> None:
    proposal = tmp_path / "p.yaml"
    proposal.write_text(THREE, encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "scenarios:\n  - name: a\n    proposal: p.yaml\n    expect: {consistent: true}\n", encoding="utf-8"
    )
    result = run("test", scenario)
    assert result.exit_code == 2, result.output
    assert located(result.stderr) == [f"{proposal}:5:31:", f"{proposal}:6:1:", f"{proposal}:7:7:"]


def test_each_phase_and_each_of_its_parts_is_checked_on_its_own(tmp_path: Path, app: argmap.Argmap) -> None:
    """A bad timing does not hide a bad value in the same phase, nor a bad phase the next one."""
    path = tmp_path / "phases.yaml"
    path.write_text(
        "title: t\n"
        "source: s\n"
        "phases:\n"
        "  - name: a\n"
        "    timing: {after_ceasefire: 1:30}\n"  # 5: base 60
        "    set: {nato_path: membr}\n"  # 6: not a value
        "  - name: b\n"
        "    timing: at_ceasefire\n"
        "    set: {colour: red, lead: us, lead: nato}\n"  # 9: unknown component, then a duplicate
        "    remove: [neutrality=sometimes]\n",  # 10: not a value
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_proposal(str(path), app.vocabulary)
    found = [(e.line, e.key) for e in info.value.errors()]
    assert found == [
        (5, "after_ceasefire"),
        (6, "nato_path"),
        (9, "phases[2].set.colour"),
        (9, "lead"),
        (10, "phases[2].remove"),
    ]
    assert "duplicate key" in info.value.errors()[3].message
