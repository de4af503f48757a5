"""Hostile input, one property per kind of attack (issue 11), over the kind's whole input space.

`test_hostile.py` holds a regression test for every attack found by hand; the
YAML readers (kind 5) are fuzzed in `test_fuzz.py` and the output formats
(kind 6) in `test_output_formats.py`.  Here hypothesis generates the rest:

1. rule files whose grounding blows up, their statements in any order, among
   harmless ones, checked with and without tracing (``explain``);
2. every value a user can type for ``--timeout`` (before and after the command
   name) and ``--threshold``, and a hard solve under every command that solves;
3. rule files built from the dangerous pieces (``#script``, ``#include`` of any
   path, integers beyond 32 bits, bytes that are not UTF-8) and harmless ones;
4. every kind of target ``-o`` can be pointed at, under every command that writes.

Each property asserts the promise, not a message: exit 2 with an ``argmap:``
message that names the user's file (and line where there is one), never a
traceback; nothing outside the rule file's folder read; nothing replaced that
is not a regular file; nothing half-written.  The examples are few where each
one starts a grounding probe (a child process); ARGMAP_FUZZ=thorough runs more.
"""

from __future__ import annotations

import faulthandler
import math
import os
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import Result
from hypothesis import assume, given
from hypothesis import strategies as st

from argmap.cli.root import Seconds
from cli_runner import run
from fuzz_settings import examples
from helpers import PROPOSALS, ROOT

GUARANTEED = PROPOSALS / "guaranteed_guarantees.yaml"
MAIN_LP = ROOT / "rules" / "main.lp"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module", autouse=True)
def _hang_net() -> Iterator[None]:
    """Abort the run with every thread's traceback if a blow-up is ever ground without the probe."""
    faulthandler.dump_traceback_later(600, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def input_error(result: Result) -> str:
    """Exit 2 with one `argmap: ...` message on stderr and nothing on stdout; the message."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.output}"
    assert "Traceback" not in result.output
    assert result.stderr.startswith("argmap: "), result.stderr
    return result.stderr


# ================================================================ 1. grounding that escapes the guard
#: Programs whose grounding never ends (or takes minutes and gigabytes) whatever the order of their
#: statements: the issue's examples.  Each statement is on a line of its own.
BLOWUPS = {
    "recursion through two rules": ["p(X) :- q(X).", "q(1).", "q(X+1) :- p(X)."],
    "a join of 27 million triples": ["blow(X,Y,Z) :- q(X), q(Y), q(Z).", "q(1..300)."],
}
#: A program that check grounds quickly and explain, with its trace rules, does not (9 million firings).
TRACED_BLOWUP = ["n(1..3000).", "pp :- n(X), n(Y)."]
#: Statements that ground in no time, to mix in anywhere.
HARMLESS = st.sampled_from(
    ["", "% a comment", "%* a block\ncomment *%", "harmless(1).", "harmless(X+1) :- harmless(X), X < 5."]
)


@st.composite
def shuffled(draw: st.DrawFn, statements: list[str]) -> tuple[str, set[int]]:
    """`statements` in any order, harmless lines among them: the text, and the lines of `statements`."""
    order = draw(st.permutations(statements))
    lines: list[str] = []
    mine: set[int] = set()
    for statement in order:
        lines.extend(draw(st.lists(HARMLESS, max_size=2)))
        lines.append(statement)
        mine.add(sum(text.count("\n") + 1 for text in lines))
    lines.extend(draw(st.lists(HARMLESS, max_size=2)))
    return "\n".join(lines) + "\n", mine


def assert_blamed(message: str, path: Path, lines: set[int]) -> None:
    """The message names the user's file at one of the lines of the blow-up, never a shipped rule file."""
    found = re.match(rf"argmap: (\S*/)?{re.escape(path.name)}:(\d+)(:\d+)?: error: (.*)", message)
    assert found, message
    assert int(found.group(2)) in lines, message
    assert "grounding did not finish" in found.group(4) or "ran out of memory" in found.group(4), message
    assert "rules/" not in message.split(" error: ")[0], message


@given(
    case=st.sampled_from(sorted(BLOWUPS)).flatmap(lambda name: shuffled(BLOWUPS[name])),
    command=st.sampled_from(["check", "explain"]),
)
@examples(6)
def test_a_blowup_is_stopped_whatever_the_order_of_its_statements(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, set[int]], command: str
) -> None:
    text, lines = case
    bad = tmp_path_factory.mktemp("kb") / "r.lp"
    bad.write_text(text, encoding="utf-8")
    message = input_error(run("--timeout", "1", command, "--kb", MAIN_LP, "--kb", bad, GUARANTEED))
    assert_blamed(message, bad, lines)


@given(case=shuffled(TRACED_BLOWUP))
@examples(3)
def test_a_blowup_only_tracing_causes_is_stopped_under_explain(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, set[int]]
) -> None:
    text, lines = case
    bad = tmp_path_factory.mktemp("kb") / "r.lp"
    bad.write_text(text, encoding="utf-8")
    message = input_error(run("--timeout", "1", "explain", "--kb", MAIN_LP, "--kb", bad, GUARANTEED))
    assert_blamed(message, bad, lines)


# ================================================================ 2. --timeout and --threshold
#: What people type for a number: numbers in every spelling, and anything else.
NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.floats(min_value=-1, max_value=1e6).map(lambda x: f"{x:g}"),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["nan", "NaN", "inf", "-inf", "1e309", "0x10", "1_000", " 5", "5 ", "", "½", "٣", "1,5"]),
    st.text(max_size=12),
)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@given(text=NUMBER_TEXT)
@examples(400)
def test_seconds_accepts_exactly_the_finite_numbers_from_a_tenth_to_a_day(text: str) -> None:
    number = _number(text)
    valid = number is not None and math.isfinite(number) and 0.1 <= number <= 86400
    if valid:
        assert Seconds().convert(text, None, None) == number
    else:
        with pytest.raises(click.BadParameter):
            Seconds().convert(text, None, None)


@given(text=NUMBER_TEXT, after=st.booleans())
@examples(60)
def test_timeout_before_or_after_the_command_is_taken_or_refused_cleanly(text: str, after: bool) -> None:
    assume("\x00" not in text)  # the operating system cannot pass a NUL in an argument
    args = ["schema", "--timeout", text, "proposal"] if after else ["--timeout", text, "schema", "proposal"]
    result = run(*args)
    number = _number(text)
    if number is not None and math.isfinite(number) and 0.1 <= number <= 86400:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert "--timeout" in result.stderr


@given(text=NUMBER_TEXT)
@examples(60)
def test_a_threshold_is_a_percentage_or_refused_before_any_test_runs(text: str) -> None:
    assume("\x00" not in text)
    number = _number(text)
    assume(not (number is not None and math.isfinite(number) and 0 <= number <= 100))
    result = run("test", "--threshold", text, "tests/scenarios/models.yaml")
    assert result.exit_code == 2, result.output
    assert "--threshold" in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


PIGEONS = (
    "% 13 pigeons, 12 holes: no answer, and clasp takes very long to prove it\n"
    "pigeon(1..13). hole(1..12).\n{ in(P, H) : hole(H) } = 1 :- pigeon(P).\n:- in(P, H), in(Q, H), P < Q.\n"
)
#: Every command that solves the knowledge base for a proposal, with what it needs besides.
SOLVING = {
    "check": [GUARANTEED],
    "check -j 2": ["-j", "2", PROPOSALS / "nato_membership.yaml", GUARANTEED],
    "explain": [GUARANTEED],
    "whatif": [GUARANTEED, "--set", "lead=us"],
    "repair": [PROPOSALS / "european_reassurance_force.yaml"],
    "sensitivity": [GUARANTEED],
    "explore": [ROOT / "spaces" / "coalition_packages.yaml"],
}


@given(command=st.sampled_from(sorted(SOLVING)), seconds=st.sampled_from(["0.5", "1"]), after=st.booleans())
@examples(6)
def test_a_hard_solve_is_cut_by_the_timeout_under_every_command(
    tmp_path_factory: pytest.TempPathFactory, command: str, seconds: str, after: bool
) -> None:
    hard = tmp_path_factory.mktemp("kb") / "pigeons.lp"
    hard.write_text(PIGEONS, encoding="utf-8")
    name, *extra = command.split()
    options = ["--kb", MAIN_LP, "--kb", hard, *extra, *SOLVING[command]]
    args = [name, "--timeout", seconds, *options] if after else ["--timeout", seconds, name, *options]
    result = run(*args)
    # `test` and `lint` report a cut solve as a failed case or finding; these commands as an input error
    message = input_error(result)
    assert f"did not finish within {seconds} s" in message, message


# ================================================================ 3. rule files are untrusted
#: Pieces of a rule file: (bytes, whether argmap must refuse the file for it).
SAFE_PIECES = st.sampled_from(
    [b"a.", b"% a comment", b"b(1..3).", b"c(X) :- b(X).", b"n(2147483647).", b"n(-2147483648).", b"#const m = 2.", b""]
)
OUTSIDE = st.sampled_from(["/etc/passwd", "/dev/urandom", "/dev/zero", "../../../../etc/passwd", "/proc/self/environ"])
DANGEROUS_PIECES = st.one_of(
    st.sampled_from([b"#script (python)\nimport os\n#end.", b"#script (lua)\nfunction f() end\n#end."]),
    OUTSIDE.map(lambda p: b'#include "' + p.encode() + b'".'),
    st.integers(min_value=2**31, max_value=2**40).map(lambda n: b"n(" + str(n).encode() + b")."),
    st.integers(min_value=2**31 + 1, max_value=2**40).map(lambda n: b"n(-" + str(n).encode() + b")."),
    st.sampled_from([b"% caf\xe9", b"a. \xff\xfe", b"\x00"]),
)


@given(
    before=st.lists(SAFE_PIECES, max_size=4),
    danger=DANGEROUS_PIECES,
    after=st.lists(SAFE_PIECES, max_size=4),
    option=st.sampled_from(["--kb", "--layer"]),
)
@examples(40)
def test_a_rule_file_with_a_dangerous_piece_is_refused_at_that_line(
    tmp_path_factory: pytest.TempPathFactory, before: list[bytes], danger: bytes, after: list[bytes], option: str
) -> None:
    folder = tmp_path_factory.mktemp("kb")
    (folder / "argmap.toml").write_text("", encoding="utf-8")  # the top of the rule file's folder tree
    bad = folder / "hostile.lp"
    bad.write_bytes(b"\n".join([*before, danger, *after]) + b"\n")
    line = sum(piece.count(b"\n") + 1 for piece in before) + 1
    args = ["check", option, bad, GUARANTEED] if option == "--layer" else ["claims", option, bad]
    message = input_error(run(*args))
    found = re.match(r"argmap: (\S*/)?hostile\.lp:(\d+)(:\d+)?: error: ", message)
    assert found, message
    assert int(found.group(2)) == line, message
    assert "root:" not in message  # nothing of a file outside the folder is shown


@given(pieces=st.lists(SAFE_PIECES, max_size=6))
@examples(10)
def test_a_rule_file_of_safe_pieces_is_accepted(tmp_path_factory: pytest.TempPathFactory, pieces: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("kb")
    layer = folder / "layer.lp"
    layer.write_bytes(b"\n".join(pieces) + b"\n")
    result = run("check", "--layer", layer, GUARANTEED)
    assert result.exit_code in (0, 1), result.output


# ================================================================ 4. files argmap writes
#: Commands that write a file with -o, given the target.
WRITERS = {
    "schema": lambda target: ["schema", "proposal", "-o", target],
    "check": lambda target: ["check", "--format", "json", "-o", target, GUARANTEED],
    "map": lambda target: ["map", "--format", "dot", "-o", target],
}
TARGETS = ["absent", "regular", "symlink", "dangling symlink", "fifo", "/dev/null", "folder", "missing folder", "input"]
OLD = "old content\n"


def _make(tmp: Path, kind: str) -> Path:
    if kind == "absent":
        return tmp / "out.txt"
    if kind == "regular":
        (tmp / "out.txt").write_text(OLD, encoding="utf-8")
        return tmp / "out.txt"
    if kind == "symlink":
        (tmp / "real.txt").write_text(OLD, encoding="utf-8")
        (tmp / "out.txt").symlink_to(tmp / "real.txt")
        return tmp / "out.txt"
    if kind == "dangling symlink":
        (tmp / "out.txt").symlink_to(tmp / "real.txt")
        return tmp / "out.txt"
    if kind == "fifo":
        os.mkfifo(tmp / "out.fifo")
        return tmp / "out.fifo"
    if kind == "/dev/null":
        return Path("/dev/null")
    if kind == "folder":
        return tmp
    if kind == "missing folder":
        return tmp / "missing" / "out.txt"
    copy = tmp / "input.yaml"  # "input": the command's own input file
    copy.write_bytes(GUARANTEED.read_bytes())
    return copy


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/null"), reason="needs FIFOs and /dev/null")
@given(command=st.sampled_from(sorted(WRITERS)), kind=st.sampled_from(TARGETS))
@examples(40)
def test_output_onto_any_target_writes_through_or_refuses_and_replaces_nothing(
    tmp_path_factory: pytest.TempPathFactory, command: str, kind: str
) -> None:
    tmp = tmp_path_factory.mktemp("out")
    target = _make(tmp, kind)
    before = sorted(p.name for p in tmp.iterdir())
    args = WRITERS[command](target)
    if kind == "input":
        reads_proposal = GUARANTEED in args
        args = [a if a != GUARANTEED else target for a in args]
        if not reads_proposal:  # this command reads no proposal: write over a rule file it reads instead
            args = [*args, "--layer", target]
            target.write_text("% a layer\n", encoding="utf-8")
    original = target.read_bytes() if kind in ("regular", "symlink", "input") else None
    received: list[bytes] = []
    reader = None
    if kind == "fifo":
        reader = threading.Thread(target=lambda: received.append(target.read_bytes()), daemon=True)
        reader.start()
    result = run(*args)
    if reader is not None:
        if result.exit_code != 0:  # release the reader
            with open(target, "wb"):
                pass
        reader.join(60)
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if kind in ("folder", "missing folder", "input"):
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("argmap: ")
        if original is not None:
            assert target.read_bytes() == original
        assert sorted(p.name for p in tmp.iterdir()) == before  # no temporary file left behind
        return
    assert result.exit_code in (0, 1), result.output
    written = received[0] if kind == "fifo" else None
    if kind in ("absent", "regular", "symlink", "dangling symlink"):
        written = target.read_bytes()
        assert written != OLD.encode()
    if kind in ("symlink", "dangling symlink"):
        assert target.is_symlink()  # written through the link, not replaced by a file
        assert (tmp / "real.txt").read_bytes() == written
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)
    if kind == "/dev/null":
        assert stat.S_ISCHR(os.stat(target).st_mode)
    if written is not None:
        assert written.strip(), "nothing written"
    if kind != "/dev/null":
        leftovers = sorted(p.name for p in tmp.iterdir())
        assert leftovers == sorted({*before, target.name} | ({"real.txt"} if "symlink" in kind else set()))


def test_the_smallest_integer_is_accepted_and_one_below_it_refused(tmp_path: Path) -> None:
    """-2147483648 is clingo's smallest integer (a unary minus on 2147483648); 3-2147483648 wraps."""
    layer = tmp_path / "layer.lp"
    layer.write_text("n(-2147483648).\nm(- 2147483648).\n", encoding="utf-8")
    assert run("check", "--layer", layer, GUARANTEED).exit_code in (0, 1)
    layer.write_text("n(-2147483648).\nm(3-2147483648).\n", encoding="utf-8")
    assert re.match(
        r"argmap: (\S*/)?layer\.lp:2:5: error: the integer 2147483648 is outside",
        input_error(run("check", "--layer", layer, GUARANTEED)),
    )
