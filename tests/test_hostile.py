"""Hostile input: each attack has a test.

YAML that explodes (alias bombs, deep nesting, huge files, odd bytes, tabs,
duplicate keys, YAML 1.1 numbers), ASP text smuggled through every string
field and identifier, user rule files (--kb, --layer) whose grounding never
ends, that do not compile or that reach outside their folder, paths that are
missing, folders, FIFOs, unreadable or unwritable, and outputs written onto
devices, links and the command's own inputs.

Commands run in process, through click's CliRunner.  Tests that could crash
the interpreter (deep nesting) and those about the real console script run
argmap in a child process, in its own session, under a memory limit and a
time limit, and kill the whole session when the limit is hit.  In-process
commands on rule files that never finish grounding rely on the grounding
probe; `hang_net` turns a regression there into a failed run, not a hang.
"""

from __future__ import annotations

import faulthandler
import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

import argmap
from argmap.cli.root import main
from argmap.io.proposals import load_proposal
from argmap.io.yamltree import MAX_BYTES, MAX_DEPTH, load_yaml
from argmap.model.errors import InputError
from cli_runner import run
from helpers import PROPOSALS, ROOT

GUARANTEED = PROPOSALS / "guaranteed_guarantees.yaml"
EUROPEAN = PROPOSALS / "european_reassurance_force.yaml"
MAIN_LP = ROOT / "rules" / "main.lp"
#: The verdict fields of `check --format json` that depend on the proposal's content, not its name.
NAMING_FIELDS = {"proposal", "title", "file"}
#: The real console script.
ENTRY = "import sys; sys.argv[0] = 'argmap'; from argmap.cli import entry; entry()"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def assert_input_error(result: Result, *, path: str | Path | None = None, line: int | None = None) -> str:
    """Exit 2 with one clean `argmap: ...` message (naming `path`, at `line`); the message."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.output}"
    assert "Traceback" not in result.output
    assert result.stdout == ""
    message = result.stderr
    assert message.startswith("argmap: "), message
    if path is not None:
        prefix = f"argmap: {path}:" + (f"{line}:" if line is not None else "")
        assert message.startswith(prefix), f"expected {prefix!r}: {message!r}"
    return message


def verdict(path: str | Path) -> dict[str, Any]:
    """`check --format json` of one proposal, without the fields that name it."""
    result = run("check", "--exit-zero", "--format", "json", path)
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)
    return {k: v for k, v in item.items() if k not in NAMING_FIELDS}


def edited(tmp_path: Path, original: Path, name: str = "edited.yaml", **changes: Any) -> Path:
    """A copy of a proposal with some keys changed (None deletes)."""
    doc = yaml.safe_load(original.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------- child processes
@dataclass
class Child:
    returncode: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    seconds: float


def _limit_memory() -> None:
    """A soft address-space limit (3 GB) so that a runaway grounding cannot take the machine."""
    soft = 3 * 1024**3
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def argmap_child(*args: str | Path, limit: float, cwd: Path = ROOT) -> Child:
    """Run the real `argmap` in a child process (own session, 3 GB) for at most `limit` seconds."""
    code = "import sys; sys.argv[0] = 'argmap'; from argmap.cli import entry; entry()"  # the console script
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_limit_memory,
    )
    try:
        out, err = proc.communicate(timeout=limit)
        code_ = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the session: argmap and any grounding probe it started
        out, err = proc.communicate()
        code_ = None
    return Child(code_, out, err, time.monotonic() - start)


def assert_child_input_error(child: Child, limit: float) -> str:
    assert child.returncode is not None, f"still running after {child.seconds:.0f} s (limit {limit} s, killed)"
    assert child.returncode == 2, f"exit {child.returncode}; stderr: {child.stderr[-2000:]}"
    assert "Traceback" not in child.stderr, child.stderr
    assert child.stderr.startswith("argmap: "), child.stderr
    return child.stderr


# ================================================================ YAML
BILLION_LAUGHS = """\
title: lol
source: lol
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""
#: The same bomb in each kind of YAML file argmap reads, and the command that reads it.
BOMB_FILES = {
    "proposal": (BILLION_LAUGHS, ["check"]),
    "scenario": ("scenarios:\n  - name: x\n    proposal: &p {title: t, source: s}\n    expect: *p\n", ["test"]),
    "space": (
        "title: t\nchoices:\n  us_role: &c {backstop: 1}\n  x: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
        ["explore"],
    ),
}


@pytest.mark.parametrize("kind", sorted(BOMB_FILES))
def test_an_alias_bomb_is_refused_at_its_first_anchor(tmp_path: Path, kind: str) -> None:
    text, command = BOMB_FILES[kind]
    path = tmp_path / f"bomb_{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "&" in x)
    message = assert_input_error(run(*command, path), path=path, line=line)
    assert "anchors and aliases are not supported" in message


def test_an_anchor_without_an_alias_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "anchor.yaml"
    path.write_text("title: &t a title\nsource: s\n", encoding="utf-8")
    assert "anchors and aliases" in assert_input_error(run("check", path), path=path, line=1)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("[", "]"), ("{", "}"), ("- ", ""), ("{a: ", "}")],
    ids=["flow-list", "flow-map", "block-list", "flow-map-values"],
)
def test_ten_thousand_levels_of_nesting_are_refused(tmp_path: Path, opening: str, closing: str) -> None:
    depth = 10_000
    path = tmp_path / "deep.yaml"
    path.write_text(opening * depth + "x" + closing * depth + "\n", encoding="utf-8")
    message = assert_input_error(run("check", path), path=path, line=1)
    assert f"nested deeper than {MAX_DEPTH} levels" in message or "a mapping key must be a plain word" in message


def test_nesting_just_past_the_limit_is_refused_and_just_within_is_read(tmp_path: Path) -> None:
    """The top value is level 0: MAX_DEPTH levels below it are read, one more is refused."""
    path = tmp_path / "limit.yaml"
    path.write_text("[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2), encoding="utf-8")
    with pytest.raises(InputError, match=f"nested deeper than {MAX_DEPTH}"):
        load_yaml(str(path))
    path.write_text("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), encoding="utf-8")
    assert load_yaml(str(path)).kind == "sequence"


def test_a_hundred_thousand_levels_of_block_nesting_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "deeper.yaml"
    path.write_text("- " * 100_000 + "x\n", encoding="utf-8")
    child = argmap_child("check", path, limit=20)
    assert child.returncode != -signal.SIGSEGV, "argmap crashed with SIGSEGV"
    assert f"nested deeper than {MAX_DEPTH} levels" in assert_child_input_error(child, 20)


def test_deep_flow_nesting_under_the_size_limit_is_refused_in_seconds(tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    depth = 900_000  # 1.8 MB: under MAX_BYTES
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    assert path.stat().st_size < MAX_BYTES
    child = argmap_child("check", path, limit=10)
    assert f"nested deeper than {MAX_DEPTH} levels" in assert_child_input_error(child, 10)


@pytest.fixture(scope="module")
def thirty_megabytes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    line = b"title: a proposal that goes on and on\n"
    with path.open("wb") as handle:
        handle.write(b"source: s\n")
        for _ in range(30 * 1024 * 1024 // len(line)):
            handle.write(line)
    return path


@pytest.mark.parametrize(
    "command",
    [["check"], ["test"], ["explore"], ["explain"], ["whatif", "--set", "lead=us"]],
    ids=["proposal", "scenario", "space", "explain", "whatif"],
)
def test_a_thirty_megabyte_file_is_refused_by_its_size(thirty_megabytes: Path, command: list[str]) -> None:
    """The size is checked before the file is read: the message gives the size and the limit."""
    if command[0] == "whatif":
        args = ["whatif", thirty_megabytes, *command[1:]]
    else:
        args = [*command, thirty_megabytes]
    message = assert_input_error(run(*args), path=thirty_megabytes)
    size = thirty_megabytes.stat().st_size
    assert f"file is {size} bytes; the limit is {MAX_BYTES}" in message
    assert "MemoryError" not in message


def test_an_endless_device_is_refused_before_it_is_read() -> None:
    """/dev/zero reports size 0 and never ends: only regular files are read."""
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    message = assert_input_error(run("check", "/dev/zero"), path="/dev/zero")
    assert "is not a regular file" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", ["check", "test", "explore", "explain"])
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    """A FIFO given as a file (nobody writes to it) would block a reader forever."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    message = assert_input_error(run(command, fifo), path=fifo)
    assert "is not a regular file" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_proposals_folder_is_reported_and_the_others_judged(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a_pipe.yaml")
    (tmp_path / "good.yaml").write_bytes(GUARANTEED.read_bytes())
    result = run("check", tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"argmap: {tmp_path / 'a_pipe.yaml'}: error: is not a regular file")
    assert "[good]" in result.stdout


def test_a_looping_link_in_a_proposals_folder_is_reported_and_the_others_judged(tmp_path: Path) -> None:
    """Asking whether a link that points at itself is a folder fails (ELOOP); that is one bad file, not a bad folder."""
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "good.yaml").write_bytes(GUARANTEED.read_bytes())
    result = run("check", tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"argmap: {tmp_path / 'loop.yaml'}: error: cannot read file"), result.stderr
    assert "cannot read the folder" not in result.stderr
    assert "[good]" in result.stdout


def test_bytes_that_are_not_utf8_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: t\nsource: s\nnotes: café\n".encode("latin-1"))
    message = assert_input_error(run("check", path), path=path, line=3)
    assert "not valid UTF-8" in message


YAML11_NUMBERS = {"leading-zero": ("010", 8), "base-60": ("1:30", 90), "hex": ("0x10", 16), "underscore": ("1_0", 10)}


@pytest.mark.parametrize("kind", sorted(YAML11_NUMBERS))
def test_a_number_that_yaml_reads_differently_than_it_looks_is_refused(tmp_path: Path, kind: str) -> None:
    """YAML 1.1 reads `010` as 8 (octal), `1:30` as 90 (base 60): refused where written, with the reading."""
    text, value = YAML11_NUMBERS[kind]
    path = tmp_path / "phases.yaml"
    path.write_text(
        f"title: t\nsource: s\nphases:\n  - name: a\n    timing: {{after_ceasefire: {text}}}\n", encoding="utf-8"
    )
    message = assert_input_error(run("check", path), path=path, line=5)
    assert f"after_ceasefire: '{text}' " in message and f": {value};" in message
    path.write_text(f"title: t\nsource: s\nnotes: '{text}'\n", encoding="utf-8")  # quoted, it is text
    assert run("check", "--exit-zero", path).exit_code == 0


BOOLEAN_WORDS = ["no", "No", "off", "yes", "on"]


@pytest.mark.parametrize("word", BOOLEAN_WORDS)
def test_a_yaml_boolean_word_for_a_value_gets_a_hint(tmp_path: Path, word: str) -> None:
    """YAML 1.1 reads `us_role: no` as false: the message says so, and what was probably meant."""
    path = tmp_path / "no.yaml"
    path.write_text(f"title: t\nsource: s\nlead: european\nus_role: {word}\n", encoding="utf-8")
    message = assert_input_error(run("check", path), path=path, line=4)
    reading = "false" if word.lower() in ("no", "off") else "true"
    assert f"us_role: YAML reads {word} as {reading}; quote it" in message
    if word == "no":
        assert "YAML reads no as false; quote it, or did you mean none?" in message
    path.write_text(f"title: t\nsource: s\nlead: european\nus_role: [{word}, intelligence]\n", encoding="utf-8")
    assert f"YAML reads {word} as {reading}" in assert_input_error(run("check", path), path=path, line=4)


def test_a_yaml_boolean_word_in_a_scenario_and_a_space_gets_the_hint(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        f"scenarios:\n  - name: a\n    proposal: {GUARANTEED}\n    changes: {{set: {{us_role: no}}}}\n"
        "    expect: {consistent: true}\n",
        encoding="utf-8",
    )
    message = assert_input_error(run("test", scenario), path=scenario, line=4)
    assert "YAML reads no as false; quote it, or did you mean none?" in message
    space = tmp_path / "space.yaml"
    space.write_text(
        "title: t\nsource: s\nfixed: {lead: european, us_role: no}\nchoices:\n  timing: {at_ceasefire: 1}\n",
        encoding="utf-8",
    )
    message = assert_input_error(run("explore", space), path=space, line=3)
    assert "YAML reads no as false; quote it, or did you mean none?" in message


def test_true_and_false_for_a_flag_stay_booleans(tmp_path: Path) -> None:
    path = edited(tmp_path, GUARANTEED, air_defence=False)
    assert run("check", "--exit-zero", path).exit_code == 0


def test_an_unquoted_date_where_text_is_expected_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "dated_title.yaml"
    path.write_text("title: 2025-01-01\nsource: s\n", encoding="utf-8")
    message = assert_input_error(run("check", path), path=path, line=1)
    assert "title: must be text; YAML reads 2025-01-01 as a date; quote it" in message
    path.write_text("title: '2025-01-01'\nsource: s\n", encoding="utf-8")
    assert run("check", "--exit-zero", path).exit_code == 0


def test_a_quoted_date_is_the_same_date(tmp_path: Path) -> None:
    """`date: "2025-02-28"` (a careful user quotes it) reads as `date: 2025-02-28`."""
    text = (PROPOSALS / "us_air_intel_backstop.yaml").read_text(encoding="utf-8")
    plain, quoted = tmp_path / "plain.yaml", tmp_path / "quoted.yaml"
    plain.write_text(text + "date: 2025-02-28\n", encoding="utf-8")
    quoted.write_text(text + 'date: "2025-02-28"\n', encoding="utf-8")
    assert verdict(quoted) == verdict(plain)
    assert verdict(quoted) != verdict(PROPOSALS / "us_air_intel_backstop.yaml")  # the date did something
    quoted.write_text(text + 'date: "2025-02-30"\n', encoding="utf-8")
    assert "is not a date" in assert_input_error(run("check", quoted), path=quoted)


def test_check_on_a_folder_reports_every_bad_file_with_all_its_errors_and_judges_the_rest(tmp_path: Path) -> None:
    """Like a compiler: every error of every bad file, one a line; the good files judged; exit 2.
    A dotfile in the folder is not a proposal and is not read."""
    (tmp_path / "a_many.yaml").write_text(
        "title: t\nsource: s\nlead: europeen\nus_role: no\ncolour: red\n", encoding="utf-8"
    )
    (tmp_path / "b_syntax.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (tmp_path / "c_good.yaml").write_bytes(GUARANTEED.read_bytes())
    (tmp_path / ".d_hidden.yaml").write_text("title: [also broken\n", encoding="utf-8")
    result = run("check", "--exit-zero", tmp_path)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    many, syntax = tmp_path / "a_many.yaml", tmp_path / "b_syntax.yaml"
    assert [line.split(" error: ")[0] for line in lines] == [
        f"argmap: {many}:3:7:",
        f"argmap: {many}:4:10:",
        f"argmap: {many}:5:1:",
        *[line.split(" error: ")[0] for line in lines[3:]],
    ]
    assert "'europeen' is not a value of lead" in lines[0] and "did you mean 'european'" in lines[0]
    assert "YAML reads no as false" in lines[1] and "colour: unknown key" in lines[2]
    assert len(lines) == 4 and lines[3].startswith(f"argmap: {syntax}:")
    assert ".d_hidden" not in result.output
    assert "[c_good]" in result.stdout


def test_one_bad_file_reports_all_its_errors_through_the_api(tmp_path: Path, app: argmap.Argmap) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("title: 3\nlead: europeen\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        app.load(str(path))
    found = [(e.line, e.key) for e in err.value.errors()]
    assert found == [(1, "source"), (1, "title"), (2, "lead")]


@pytest.mark.parametrize("command", ["check", "explain", "sensitivity"])
def test_a_byte_order_mark_is_accepted(tmp_path: Path, command: str) -> None:
    plain = GUARANTEED.read_bytes()
    path = tmp_path / "guaranteed_guarantees.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + plain)
    with_bom, without = run(command, path), run(command, GUARANTEED)
    assert with_bom.exit_code == without.exit_code == 0, with_bom.output
    assert with_bom.stdout.replace(str(path), "P") == without.stdout.replace(str(GUARANTEED), "P")


def test_a_tab_inside_a_value_is_text_and_a_tab_as_indentation_is_refused(tmp_path: Path, app: argmap.Argmap) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("title: a\ttitle\nsource: s\nlead:\teuropean\n", encoding="utf-8")
    proposal = load_proposal(str(path), app.vocabulary)
    assert proposal.title == "a\ttitle" and ("lead", "european") in proposal.settings
    path.write_text("title: t\nsource: s\nphases:\n\t- name: x\n", encoding="utf-8")
    message = assert_input_error(run("check", path), path=path, line=4)
    assert "tab" in message


DUPLICATES = {
    "proposal-top": ("check", "title: t\nsource: s\nlead: european\nlead: us\n", 4, "lead"),
    "proposal-phase": (
        "check",
        "title: t\nsource: s\nphases:\n  - name: a\n    timing: at_ceasefire\n    set: {lead: us, lead: nato}\n",
        6,
        "lead",
    ),
    "scenario-case": (
        "test",
        "scenarios:\n  - name: a\n    proposal: {title: t, source: s}\n    expect: {credible: true}\n"
        "    expect: {credible: false}\n",
        5,
        "expect",
    ),
    "space-choice": ("explore", "title: t\nchoices:\n  us_role: {backstop: 1, backstop: 2}\n", 3, "backstop"),
}


@pytest.mark.parametrize("case", sorted(DUPLICATES))
def test_a_duplicate_key_is_an_error_not_last_one_wins(tmp_path: Path, case: str) -> None:
    command, text, line, key = DUPLICATES[case]
    path = tmp_path / "dup.yaml"
    path.write_text(text, encoding="utf-8")
    message = assert_input_error(run(command, path), path=path, line=line)
    assert f"{key}: duplicate key" in message


# ================================================================ text that would drive a terminal
def test_control_characters_in_a_title_are_shown_not_obeyed(tmp_path: Path) -> None:
    """A title that would erase the line and print a forged verdict on a terminal is shown escaped."""
    forged = "\x1b[2K\r\x1b[32mconsistent    yes\x1b]0;owned\x07"
    path = edited(tmp_path, GUARANTEED, title=forged)
    result = run("check", path)
    assert result.exit_code == 0, result.output
    assert not any(ch in result.stdout for ch in "\x1b\r\x07")
    # escapes spelled out, the carriage return too (a space would hide it), so no line is forged
    assert "\\x1b[2K\\r\\x1b[32mconsistent    yes\\x1b]0;owned\\x07  [edited]" in result.stdout


@pytest.mark.parametrize(
    "command", [["check"], ["explain"], ["whatif", "--set", "lead=european"], ["map", "--format", "mermaid"]]
)
def test_control_characters_in_a_file_name_are_shown_not_obeyed(tmp_path: Path, command: list[str]) -> None:
    """The id defaults to the file name, and every header that shows it escapes it as it does a title."""
    path = tmp_path / "x\x1b[2K\r\u202eforged.yaml"
    path.write_bytes(EUROPEAN.read_bytes())
    result = run(*command, path)
    assert result.exit_code in (0, 1), result.output
    assert not any(ch in result.stdout for ch in "\x1b\r\u202e")
    assert "x\\x1b[2K\\r\\u202eforged" in result.stdout


def test_a_file_name_that_is_not_utf8_is_refused_by_name_and_the_rest_is_judged(tmp_path: Path) -> None:
    """Its id could not be written as JSON or UTF-8 text (check -o crashed, JSON was invalid): it is an
    input error naming the file with its bad byte escaped, and the other files are still judged."""
    folder = tmp_path / "g"
    folder.mkdir()
    bad = os.fsdecode(os.fsencode(folder) + b"/bad\xff.yaml")
    Path(bad).write_bytes(EUROPEAN.read_bytes())
    (folder / "good.yaml").write_bytes(EUROPEAN.read_bytes())
    for fmt in ("json", "jsonl", "text"):
        out = tmp_path / f"out.{fmt}"
        result = run("check", "--format", fmt, "-o", out, folder)
        assert result.exit_code == 2, result.output
        assert "bad\\udcff.yaml: error: the file name is not valid UTF-8" in result.stderr
        written = out.read_text(encoding="utf-8")
        if fmt == "json":
            assert [v["proposal"] for v in json.loads(written)] == ["good"]
        elif fmt == "jsonl":
            assert [json.loads(line)["proposal"] for line in written.splitlines()] == ["good"]
        else:
            assert "[good]" in written and "bad" not in written


def test_lint_names_a_file_name_that_is_not_utf8_once_and_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    Path(os.fsdecode(os.fsencode(folder) + b"/bad\xff.yaml")).write_bytes(EUROPEAN.read_bytes())
    result = run("lint", "--proposals", folder, "--format", "json")
    findings = json.loads(result.stdout_bytes.decode("utf-8"))
    assert [(f["code"], Path(f["file"]).name) for f in findings] == [("AM011", "bad\\udcff.yaml")]


# ================================================================ ASP injection
#: ASP that would change the verdict, or the program, if it were ever pasted into one.
PAYLOADS = [
    '"). credible. #show credible/0. %',
    "x). credible(guaranteed_guarantees). %",
    "european).\nrisk(low). %",
    '#include "/etc/passwd".',
    ":- not credible.",
    "p(X) :- X = 1..100000000.",
    "#const max_phases=1000.",
    '%*! injected(X)\nText: "owned"\n',
]
PAYLOAD_IDS = ["close-string", "close-term", "newline", "include", "constraint", "blowup", "const", "docstring"]


@pytest.fixture(scope="module")
def baseline() -> dict[str, dict[str, Any]]:
    return {p.name: verdict(p) for p in (GUARANTEED, EUROPEAN)}


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("field", ["title", "source", "notes"])
def test_asp_in_free_text_stays_inert(
    tmp_path: Path, baseline: dict[str, dict[str, Any]], field: str, payload: str
) -> None:
    for original in (GUARANTEED, EUROPEAN):
        path = edited(tmp_path, original, **{field: payload + " and some words"})
        assert verdict(path) == baseline[original.name], f"{field} changed the verdict of {original.name}"


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_asp_in_the_file_name_stays_inert(tmp_path: Path, baseline: dict[str, dict[str, Any]], payload: str) -> None:
    """The id defaults to the file name; it never reaches clingo."""
    name = re.sub(r"[/\x00]", "_", payload)[:100] + ".yaml"
    path = tmp_path / name
    path.write_bytes(EUROPEAN.read_bytes())
    assert verdict(path) == baseline[EUROPEAN.name]


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_asp_in_an_id_is_refused(tmp_path: Path, payload: str) -> None:
    path = edited(tmp_path, EUROPEAN, id=payload)
    message = assert_input_error(run("check", path), path=path)
    assert "error: id: " in message and "is not an identifier" in message


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("key", ["lead", "guarantors", "us_role", "air_defence"])
def test_asp_in_a_value_is_refused(tmp_path: Path, key: str, payload: str) -> None:
    value: Any = payload if key in ("lead", "air_defence") else ["uk", payload]
    path = edited(tmp_path, EUROPEAN, **{key: value})
    message = assert_input_error(run("check", path), path=path)
    assert f"error: {key}: " in message


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_asp_in_a_key_is_refused(tmp_path: Path, payload: str) -> None:
    path = edited(tmp_path, EUROPEAN, **{payload: "backstop"})
    assert "unknown key" in assert_input_error(run("check", path), path=path)


def test_asp_in_open_and_phases_is_refused(tmp_path: Path) -> None:
    for changes in (
        {"open": [PAYLOADS[1]]},
        {"phases": [{"name": PAYLOADS[0], "timing": "at_ceasefire", "set": {"lead": PAYLOADS[2]}}]},
        {"phases": [{"name": "a", "timing": PAYLOADS[1]}]},
        {"phases": [{"name": "a", "timing": "at_ceasefire", "remove": [PAYLOADS[1]]}]},
    ):
        path = edited(tmp_path, EUROPEAN, **changes)
        assert_input_error(run("check", path), path=path)


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_asp_in_a_scenario_name_stays_inert(tmp_path: Path, payload: str) -> None:
    def report(name: str, variation: str) -> list[tuple[str, list[Any]]]:
        doc = {
            "scenarios": [
                {
                    "name": name,
                    "proposal": str(GUARANTEED),
                    "expect": {"credible": True, "risk": "low"},
                    "tags": ["x"],
                },
                {
                    "name": name + " 2",
                    "proposal": {"title": name, "source": name, "lead": "european"},
                    "variations": [{"name": variation, "expect": {"credible": False}}],
                },
            ]
        }
        path = tmp_path / "names.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        result = run("test", "--format", "json", path)
        assert result.exit_code == 0, result.output
        return [(c["status"], c["mismatches"]) for c in json.loads(result.stdout)["cases"]]

    assert report(payload, payload) == report("plain", "plain")


@pytest.fixture(scope="module")
def plain_space(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`explore --format json` of SPACE (the design space without any payload)."""
    path = tmp_path_factory.mktemp("space") / "space.yaml"
    path.write_text(yaml.safe_dump(SPACE), encoding="utf-8")
    return _explore_json(path)


def _explore_json(path: Path) -> dict[str, Any]:
    result = run("explore", "--format", "json", "--count-limit", "1000", path)
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    return {k: v for k, v in data.items() if k not in ("space", "title")}


SPACE = {
    "title": "t",
    "fixed": {"lead": "european", "guarantors": ["uk", "france"]},
    "choices": {"us_role": {"intelligence": 2, "backstop": 3}, "air_defence": {True: 4, False: 0}},
    "constraints": [{"forbid": {"us_role": "ground_troops"}, "note": "n"}],
}


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_asp_in_a_design_space_is_refused_or_inert(tmp_path: Path, plain_space: dict[str, Any], payload: str) -> None:
    path = tmp_path / "space.yaml"
    plain = plain_space
    inert = {**SPACE, "title": payload, "notes": payload, "source": payload}
    inert["constraints"] = [{"forbid": {"us_role": "ground_troops"}, "note": payload}]
    path.write_text(yaml.safe_dump(inert), encoding="utf-8")
    assert _explore_json(path) == plain
    for bad in (
        {**SPACE, "fixed": {"lead": payload}},
        {**SPACE, "choices": {"us_role": {payload: 1}}},
        {**SPACE, "choices": {payload: {"backstop": 1}}},
        {**SPACE, "constraints": [{"require": {"us_role": payload}}]},
    ):
        path.write_text(yaml.safe_dump(bad), encoding="utf-8")
        assert_input_error(run("explore", path), path=path)


WHATIF_ATTACKS = [
    ("--set", "us_role={}"),
    ("--set", "{}=backstop"),
    ("--add", "guarantors={}"),
    ("--unset", "{}"),
    ("--unset", "us_role={}"),
    ("--open", "{}"),
    ("--reject-claim", "{}"),
    ("--as-of", "{}"),
    ("--as-of-actor", "us={}"),
    ("--as-of-actor", "{}=2025-02-28"),
    ("--stance", "{}.coalition_guarantees=accept"),
    ("--stance", "russia.{}=accept"),
    ("--stance", "russia.coalition_guarantees={}"),
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize(("option", "template"), WHATIF_ATTACKS, ids=[f"{o}:{t}" for o, t in WHATIF_ATTACKS])
def test_asp_in_a_whatif_change_is_refused(option: str, template: str, payload: str) -> None:
    value = template.format(payload.replace("=", "").replace(".", ""))
    assert_input_error(run("whatif", EUROPEAN, f"{option}={value}"))


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_asp_in_repair_keep_and_explain_atoms_is_refused(payload: str) -> None:
    assert "--keep" in assert_input_error(run("repair", EUROPEAN, "--keep", payload))
    for option in ("--why", "--why-not"):
        result = run("explain", EUROPEAN, option, payload)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("argmap: error: ")


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_asp_in_a_keyword_expression_is_only_words(payload: str) -> None:
    """-k selects cases by substring; ASP in it selects nothing, or is refused as an expression."""
    result = run("test", "-k", payload, "tests/scenarios")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (1, 2), result.output
    assert "no scenario case found" in result.stderr or result.stderr.startswith("argmap: error: -k: ")


def _af_command() -> bool:
    try:
        import argmap.cli.af  # noqa: F401
    except ImportError:
        return False
    return "af" in main.commands


@pytest.mark.skipif(not _af_command(), reason="`argmap af` does not exist in this tree")
@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("fmt", ["apx", "tgf"])
def test_asp_in_a_framework_argument_name_is_refused(tmp_path: Path, payload: str, fmt: str) -> None:
    name = payload.replace("\n", " ")
    text = f"arg(a).\narg({name}).\natt(a,b).\n" if fmt == "apx" else f"a\n{name}\n#\na b\n"
    path = tmp_path / f"framework.{fmt}"
    path.write_text(text, encoding="utf-8")
    message = assert_input_error(run("af", "-s", "GR", "-t", "SE", path), path=path, line=2)
    assert any(
        phrase in message for phrase in ("argument name", "apx fact", "unknown fact", "words on an argument line")
    ), message
    message = assert_input_error(run("af", "-s", "GR", "-t", "DC", "-a", payload, "tests/data/af/sample.apx"))
    assert "--arg" in message


# ================================================================ user rule files (--kb)
BLOWUPS = {
    "range": ("% a range of a hundred million\np(X) :- X = 1..100000000.\n", 2),
    "recursion": ("% an unbounded recursion\nn(0).\nn(X+1) :- n(X).\n", 3),
}
#: Seconds before a child is killed.  With --timeout 3 the probe gives up after 3 s of grounding the
#: user's rules; the rest is starting Python twice and reading the shipped knowledge base (a few seconds
#: on a loaded machine).  The margin is wide: a child that is killed fails the test.
KB_LIMIT = 60.0
#: A grounding that never ends in little memory (a join of 27 billion triples that derives nothing), for
#: the in-process tests: if a command ever grounded it without the probe, the test would hang, not eat
#: the machine's memory; `hang_net` then ends the test run with every thread's traceback.
SLOW_GROUND = "% a join of 27 billion triples\nn(1..3000).\nnothing :- n(X), n(Y), n(Z), X + Y + Z < 0.\n"
SLOW_LINE = 3


@pytest.fixture
def hang_net() -> Iterator[None]:
    """Abort the test run, with tracebacks, if an in-process command grounds a blow-up without the probe."""
    faulthandler.dump_traceback_later(180, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize("kind", sorted(BLOWUPS))
def test_a_rule_file_whose_grounding_blows_up_is_stopped_at_the_timeout(tmp_path: Path, kind: str) -> None:
    """The real console script, in its own process: the probe stops the grounding, argmap exits 2."""
    text, line = BLOWUPS[kind]
    bad = tmp_path / "bad.lp"
    bad.write_text(text, encoding="utf-8")
    child = argmap_child(
        "--timeout", "3", "check", "--kb", MAIN_LP, "--kb", bad, GUARANTEED.relative_to(ROOT), limit=KB_LIMIT
    )
    message = assert_child_input_error(child, KB_LIMIT)
    assert message.startswith(f"argmap: {bad}:{line}: error: grounding did not finish within 3 s"), message


#: Every command that takes --kb, with the arguments it needs besides.
KB_COMMANDS: dict[str, list[str | Path]] = {
    "check": [GUARANTEED],
    "claims": [],
    "explain": [GUARANTEED],
    "whatif": [GUARANTEED, "--set", "lead=us"],
    "repair": [EUROPEAN],
    "sensitivity": [GUARANTEED],
    "explore": [ROOT / "spaces" / "coalition_packages.yaml"],
    "test": [ROOT / "tests" / "scenarios" / "models.yaml"],
    "lint": [],
    "schema": ["proposal"],
    "map": [],
    "report": [GUARANTEED, "-o", "{tmp}/report.html"],
}


@pytest.mark.parametrize("command", sorted(KB_COMMANDS))
def test_every_command_with_kb_stops_a_grounding_blowup(tmp_path: Path, command: str, hang_net: None) -> None:
    """In process: each command probes the rule file before grounding it (--timeout 1: only the grounding
    of the user's own rules counts, so one second is enough on any machine)."""
    bad = tmp_path / "slow.lp"
    bad.write_text(SLOW_GROUND, encoding="utf-8")
    extra = [str(a).replace("{tmp}", str(tmp_path)) for a in KB_COMMANDS[command]]
    message = assert_input_error(run("--timeout", "1", command, "--kb", bad, *extra))
    # a rule file is named as its knowledge base shows it: here, relative to its own folder
    assert re.match(rf"argmap: (\S*/)?slow\.lp:{SLOW_LINE}: error: grounding did not finish within 1 s ", message), (
        message
    )
    assert not (tmp_path / "report.html").exists()


@pytest.mark.skipif(not _af_command(), reason="`argmap af-kb` does not exist in this tree")
def test_af_kb_stops_a_grounding_blowup(tmp_path: Path) -> None:
    """`af-kb --kb` grounds framework files under its own deadline, and leaves a grounding it abandons by
    exiting at once: so it runs as the real console script, in its own process."""
    bad = tmp_path / "slow.lp"
    bad.write_text(SLOW_GROUND, encoding="utf-8")
    child = argmap_child("--timeout", "3", "af-kb", "--kb", bad, limit=KB_LIMIT)
    assert "did not finish within 3 s" in assert_child_input_error(child, KB_LIMIT)


def test_a_layer_is_probed_too(tmp_path: Path, hang_net: None) -> None:
    bad = tmp_path / "slow.lp"
    bad.write_text(SLOW_GROUND, encoding="utf-8")
    message = assert_input_error(run("check", "--timeout", "1", "--layer", bad, GUARANTEED))
    assert re.match(rf"argmap: (\S*/)?slow\.lp:{SLOW_LINE}: error: grounding did not finish within 1 s ", message), (
        message
    )


def test_diff_stops_a_grounding_blowup_in_a_knowledge_base_folder(tmp_path: Path, hang_net: None) -> None:
    """The folder holds a knowledge base of its own (an include may not leave its folder, so it does not
    reuse the shipped rules): diff probes it before grounding it."""
    rules = tmp_path / "new" / "rules"
    rules.mkdir(parents=True)
    (rules / "main.lp").write_text('#include "slow.lp".\n', encoding="utf-8")
    (rules / "slow.lp").write_text(SLOW_GROUND, encoding="utf-8")
    message = assert_input_error(run("--timeout", "2", "diff", ROOT, tmp_path / "new"))
    assert "grounding did not finish within 2 s" in message and f"slow.lp:{SLOW_LINE}" in message, message


def test_a_rule_file_with_a_large_pool_loads(tmp_path: Path) -> None:
    rules = tmp_path / "pool.lp"
    rules.write_text("% one fact, pooled 30,000 ways\nitem(" + ";".join(map(str, range(30_000))) + ").\n")
    result = run("check", "--kb", MAIN_LP, "--kb", rules, GUARANTEED)
    assert result.exit_code == 0, result.output


BROKEN_RULES = {
    "unsafe": ("q(X) :- not r(X).\nr(a).\n", 1, 1, ["unsafe variables in", "'X' is unsafe"]),
    "syntax": ("r(a).\nq(X :- r(X).\n", 2, 5, ["syntax error, unexpected :-"]),
    "unsafe-head": ("r(a).\n\nq(X, Y) :- r(X).\n", 3, 1, ["unsafe variables in", "'Y' is unsafe"]),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_RULES))
@pytest.mark.parametrize("command", ["check", "lint"])
def test_a_broken_rule_file_is_reported_at_file_line_col(tmp_path: Path, kind: str, command: str) -> None:
    text, line, col, phrases = BROKEN_RULES[kind]
    bad = tmp_path / f"{kind}.lp"
    bad.write_text(text, encoding="utf-8")
    if command == "check":
        message = assert_input_error(run("check", "--kb", MAIN_LP, "--kb", bad, GUARANTEED), path=bad)
        assert message.startswith(f"argmap: {bad}:{line}:{col}: error: "), message
    else:
        result = run("lint", "--kb", MAIN_LP, "--kb", bad)
        assert result.exit_code == 1, result.output
        (message,) = [x for x in result.stdout.splitlines() if " AM010 " in x]
        assert message.startswith(f"{bad}:{line}: AM010 "), message
    for phrase in phrases:
        assert phrase in message


def test_an_undefined_predicate_is_linted_and_check_still_runs(tmp_path: Path) -> None:
    rules = tmp_path / "undefined.lp"
    rules.write_text("% uses a predicate no rule defines\nsomething(a) :- nowhere_defined(a).\n", encoding="utf-8")
    result = run("lint", "--kb", MAIN_LP, "--kb", rules)
    assert result.exit_code == 1, result.output
    found = [x for x in result.stdout.splitlines() if " AM006 " in x]
    assert found == [
        f"{rules}:2: AM006 nowhere_defined/1 is used here but defined nowhere "
        "(no rule head, fact, #external or #defined declares it)"
    ]
    checked = run("check", "--kb", MAIN_LP, "--kb", rules, GUARANTEED)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == run("check", GUARANTEED).stdout


# ================================================================ rule files are read by argmap, as untrusted input
#: A rule file's bytes, the line argmap must name, and what it must say.
RULE_FILES = {
    "script-python": (b"a.\n#script (python)\nimport os\n#end.\n", 2, "#script is not allowed"),
    "script-lua": (b"#script (lua)\nfunction f() end\n#end.\n", 1, "#script is not allowed"),
    "include-absolute": (b'a.\n#include "/etc/passwd".\n', 2, "absolute paths are not allowed"),
    "include-device": (b'#include "/dev/urandom".\n', 1, "absolute paths are not allowed"),
    "include-dotdot": (b'#include "../../../../../../../etc/passwd".\n', 1, "leads outside the knowledge base"),
    "include-missing": (b'a.\n\n#include "nowhere.lp".\n', 3, "no such rule file"),
    "bom": (b"\xef\xbb\xbfa.\n", 1, "byte-order mark"),
    "utf-16": ("a.\n".encode("utf-16"), 1, "UTF-16"),
    "latin-1": (b"a.\n% caf\xe9\n", 2, "not valid UTF-8"),
    "nul": (b"a.\nb.\x00\n", 2, "NUL"),
    "int-beyond-32-bits": (
        b"% a cost that would wrap to a negative one\ncost(us_role, backstop, 3000000000).\n",
        2,
        "outside clingo's range",
    ),
    "hex-beyond-32-bits": (b"n(0x100000000).\n", 1, "outside clingo's range"),
}


@pytest.mark.parametrize("kind", sorted(RULE_FILES))
@pytest.mark.parametrize("option", ["--kb", "--layer"])
def test_a_hostile_rule_file_is_refused_at_its_line(tmp_path: Path, kind: str, option: str) -> None:
    data, line, phrase = RULE_FILES[kind]
    (tmp_path / "argmap.toml").write_text("", encoding="utf-8")  # the top of the rule file's folder tree
    bad = tmp_path / "hostile.lp"
    bad.write_bytes(data)
    message = assert_input_error(run("check", option, bad, GUARANTEED))
    # named as its knowledge base shows it: relative to its own folder (the top of its tree) for --kb,
    # as given for a layer outside the shipped knowledge base's folder
    assert re.match(rf"argmap: (\S*/)?hostile\.lp:{line}(:\d+)?: error: ", message), message
    assert phrase in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_an_include_of_a_fifo_or_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "argmap.toml").write_text("", encoding="utf-8")  # the top of this knowledge base's folder tree
    os.mkfifo(kb / "pipe.lp")
    (kb / "outside.lp").symlink_to(ROOT / "rules" / "risk.lp")
    main_lp = kb / "main.lp"
    main_lp.write_text('a.\n#include "pipe.lp".\n', encoding="utf-8")
    message = assert_input_error(run("claims", "--kb", main_lp), path="main.lp", line=2)  # shown from its root
    assert "is not a regular file" in message
    main_lp.write_text('#include "outside.lp".\n', encoding="utf-8")
    message = assert_input_error(run("claims", "--kb", main_lp), path="main.lp", line=1)
    assert "leads outside the knowledge base" in message


def test_an_include_is_read_beside_the_including_file_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stray file in the folder argmap runs from never replaces the knowledge base's own."""
    kb = tmp_path / "kb"
    (kb / "rules").mkdir(parents=True)
    (kb / "argmap.toml").write_text("", encoding="utf-8")
    (kb / "rules" / "main.lp").write_text('#include "extra.lp".\n', encoding="utf-8")
    claim = 'claim({0}, lesson).\nparaphrase({0}, "p").\nquote({0}, "q").\nverdict(sound, bool, "sound").\nsound.\n'
    (kb / "rules" / "extra.lp").write_text(claim.format("right"), encoding="utf-8")
    (tmp_path / "extra.lp").write_text(claim.format("wrong"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("claims", "--format", "json", "--kb", kb / "rules" / "main.lp")
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)] == ["right"]


def test_a_rule_file_name_with_a_tab_is_named_in_the_message(tmp_path: Path, hang_net: None) -> None:
    bad = tmp_path / "a\tb.lp"
    bad.write_text(SLOW_GROUND, encoding="utf-8")
    message = assert_input_error(run("--timeout", "0.5", "check", "--kb", bad, GUARANTEED))
    assert f"a\tb.lp:{SLOW_LINE}: error: grounding did not finish within 0.5 s" in message


# ================================================================ paths
FILE_COMMANDS = {
    "check": ["check", "{}"],
    "explain": ["explain", "{}"],
    "whatif": ["whatif", "{}", "--set", "lead=us"],
    "repair": ["repair", "{}"],
    "sensitivity": ["sensitivity", "{}"],
    "explore": ["explore", "{}"],
    "test": ["test", "{}"],
    "kb": ["check", "--kb", "{}", str(GUARANTEED)],
    "lint-source": ["lint", "--source", "{}"],
}


def _args(command: str, path: Path | str) -> list[str]:
    return [a.replace("{}", str(path)) for a in FILE_COMMANDS[command]]


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_a_path_that_does_not_exist_is_bad_input(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "no" / "such.yaml"
    message = assert_input_error(run(*_args(command, missing)), path=missing)
    assert "no such" in message


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_a_folder_instead_of_a_file_is_bad_input(tmp_path: Path, command: str) -> None:
    (tmp_path / "notes.txt").write_text("not a proposal", encoding="utf-8")
    result = run(*_args(command, tmp_path))
    if command == "test":  # a folder of scenario files is what `test` takes; this one holds none
        assert result.exit_code == 1 and "no scenario case found" in result.stderr, result.output
        return
    assert result.exit_code == 2, result.output
    if command in ("kb", "lint-source"):  # click refuses a folder for these options
        assert "is a directory" in result.stderr
    else:
        message = assert_input_error(result, path=tmp_path)
        assert "directory" in message or "folder has no" in message or "no scenario" in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode, so chmod 000 proves nothing")
@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_an_unreadable_file_is_bad_input(tmp_path: Path, command: str) -> None:
    path = tmp_path / "locked.yaml"
    path.write_bytes(GUARANTEED.read_bytes())
    path.chmod(0)
    try:
        message = assert_input_error(run(*_args(command, path)), path=path)
        assert "cannot read" in message or "Permission denied" in message
    finally:
        path.chmod(0o644)


def test_schema_output_into_a_missing_folder_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.json"
    message = assert_input_error(run("schema", "proposal", "-o", target), path=target)
    assert "the folder does not exist" in message
    assert not target.parent.exists()
    result = run("schema", "proposal", "-o", "/nonexistent/x.json")
    assert "the folder does not exist" in assert_input_error(result, path="/nonexistent/x.json")
    assert not Path("/nonexistent/x.json").exists()


def test_schema_output_onto_a_folder_writes_nothing(tmp_path: Path) -> None:
    result = run("schema", "proposal", "-o", tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert list(tmp_path.iterdir()) == []


# ================================================================ outputs (-o)
@pytest.fixture(scope="module")
def schema_text() -> str:
    result = run("schema", "proposal")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_output_dash_is_standard_output(schema_text: str) -> None:
    result = run("schema", "proposal", "-o", "-")
    assert result.exit_code == 0 and result.stdout == schema_text


def test_output_onto_a_device_writes_to_it_and_leaves_it_a_device() -> None:
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null on this system")
    result = run("schema", "proposal", "-o", "/dev/null")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_output_onto_a_fifo_writes_into_it(tmp_path: Path, schema_text: str) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("schema", "proposal", "-o", fifo)
    reader.join(60)
    assert result.exit_code == 0, result.output
    assert received == [schema_text.encode("utf-8")]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.fifo"]


def test_output_through_a_symbolic_link_writes_its_target(tmp_path: Path, schema_text: str) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = run("schema", "proposal", "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == schema_text


@pytest.mark.parametrize(
    "command",
    [["map", "{p}", "-o", "{p}"], ["report", "{p}", "-o", "{p}"], ["report", "{folder}", "-o", "{p}"]],
    ids=["map", "report", "report-folder"],
)
def test_output_onto_an_input_of_the_command_is_refused(tmp_path: Path, command: list[str]) -> None:
    proposal = tmp_path / "guaranteed_guarantees.yaml"
    proposal.write_bytes(GUARANTEED.read_bytes())
    args = [a.replace("{p}", str(proposal)).replace("{folder}", str(tmp_path)) for a in command]
    message = assert_input_error(run(*args), path=proposal)
    assert "would overwrite an input of this command" in message
    assert proposal.read_bytes() == GUARANTEED.read_bytes()


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A copy of the Federalist No. 10 knowledge base (rules and facts), to be (not) overwritten."""
    import shutil

    for part in ("rules", "facts"):
        shutil.copytree(ROOT / "examples" / "federalist10" / part, tmp_path / "kb" / part)
    (tmp_path / "kb" / "argmap.toml").write_text('kb = "rules/main.lp"\n', encoding="utf-8")  # its folder tree
    return tmp_path / "kb"


@pytest.mark.parametrize(
    "command",
    [["schema"], ["map"], ["map", "{p}"], ["report", "{p}"]],
    ids=["schema", "map", "map-proposal", "report"],
)
@pytest.mark.parametrize("victim", ["rules/main.lp", "rules/cure.lp", "facts/claims.lp"], ids=["entry", "rule", "fact"])
def test_output_onto_a_rule_file_of_the_command_is_refused(kb_copy: Path, command: list[str], victim: str) -> None:
    """The rule files (the --kb entry, and every file it includes) are inputs of every command."""
    proposal = ROOT / "examples" / "federalist10" / "proposals" / "small_republic.yaml"
    before = {p: p.read_bytes() for p in kb_copy.rglob("*.lp")}
    args = [a.replace("{p}", str(proposal)) for a in command]
    result = run(*args, "--kb", kb_copy / "rules" / "main.lp", "-o", kb_copy / victim)
    message = assert_input_error(result, path=kb_copy / victim)
    assert "would overwrite an input of this command" in message
    assert {p: p.read_bytes() for p in kb_copy.rglob("*.lp")} == before


@pytest.mark.parametrize("name", ["/proc/self/fd/1", "/dev/stdout"])
def test_output_onto_standard_output_by_its_name_writes_into_the_pipe(name: str, schema_text: str) -> None:
    """The real console script, its standard output a pipe: the name reaches the pipe, written as is."""
    if not os.path.exists(name):
        pytest.skip(f"no {name} on this system")
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "schema", "proposal", "-o", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == schema_text and done.stderr == ""


def test_output_onto_standard_output_redirected_to_a_file_fills_that_file(tmp_path: Path, schema_text: str) -> None:
    target = tmp_path / "out.json"
    with open(target, "w", encoding="utf-8") as handle:
        done = subprocess.run(
            [sys.executable, "-c", ENTRY, "schema", "proposal", "-o", "/proc/self/fd/1"],
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == schema_text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary file left beside it


def test_output_through_a_dangling_symbolic_link_creates_its_target(tmp_path: Path, schema_text: str) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    result = run("schema", "proposal", "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and (tmp_path / "new.json").read_text(encoding="utf-8") == schema_text


# ================================================================ the tests' own inputs
def test_a_missing_source_text_skips_with_its_reason_or_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The article's text lives outside the repository: a test that reads it skips, saying why, when it is
    absent; under ARGMAP_REQUIRE_SOURCES=1 (.ci/run) it fails instead.  Never a FileNotFoundError."""
    import helpers

    missing = helpers._SourceText(ROOT / "no-such-source.txt")
    monkeypatch.setattr(helpers, "REQUIRE_SOURCES", False)
    with pytest.raises(pytest.skip.Exception, match="is not here"):
        missing.read_text(encoding="utf-8")
    monkeypatch.setattr(helpers, "REQUIRE_SOURCES", True)
    with pytest.raises(pytest.fail.Exception, match="ARGMAP_REQUIRE_SOURCES is set"):
        missing.read_text(encoding="utf-8")
    if helpers.SOURCE.is_file():
        assert "Security guarantees" in helpers.SOURCE.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["nan", "NaN", "-1", "101", "inf"])
def test_a_threshold_that_is_not_a_percentage_is_refused(value: str) -> None:
    """`--threshold nan` once let 77 % coverage pass."""
    result = run("test", "--threshold", value, "tests/scenarios")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "threshold" in result.stderr.lower()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("\x1b[2K\r\x1b[32mconsistent    yes", "\\x1b[2K\\x0d\\x1b[32mconsistent    yes"),
        ("a\nargmap: all passed", "a\\x0aargmap: all passed"),
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("right\u202eleft", "right\\u202eleft"),
        ("Київ ✓ tab\there", "Київ ✓ tab\there"),
    ],
    ids=["erase-line", "forged-line", "window-title", "bidi-override", "printable"],
)
def test_an_error_quoting_hostile_text_keeps_to_one_visible_line(value: str, shown: str) -> None:
    """A key or value quoted in an error cannot drive the terminal or forge a line (issue 11 §6)."""
    from argmap.model.errors import InputError

    text = str(InputError(f"unknown value '{value}'", path="p.yaml", line=3, key=value))
    assert "\n" not in text and "\x1b" not in text and "\r" not in text
    assert text == f"p.yaml:3: error: {shown}: unknown value '{shown}'"
