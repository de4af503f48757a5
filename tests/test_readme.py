"""The README stays true: every command example is run and compared with the output it shows.

In a ```text block, a line ``$ argmap ...`` is a command and the lines after it
(up to the next ``$`` line) its output.  A line ``...`` stands for any number
of lines, so an example may show an excerpt.  Commands in ```sh blocks are run
too (their output is not shown), with any ``-o FILE`` sent to a temporary
folder.  Regions between ``<!-- generated: argmap ARGS -->`` and
``<!-- end generated -->`` are the output of that command.  The Python API
examples (``>>>``) run as doctests.  ``python -m pytest tests/test_readme.py
--update-golden`` rewrites the shown outputs (review the diff).
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
from pathlib import Path

import pytest

from argmap.io.files import atomic_write
from cli_runner import run as cli_run

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
ELLIPSIS = "..."
_BLOCK = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.M | re.S)
_GENERATED = re.compile(r"<!-- generated: (?P<cmd>argmap [^>]*?) -->\n(?P<body>.*?)<!-- end generated -->", re.S)


def run(command: str, tmp: Path | None = None) -> tuple[int, str]:
    args = shlex.split(command)
    assert args[0] == "argmap", command
    args = args[1:]
    for flag in ("-o", "--output"):
        if flag in args and tmp is not None:
            i = args.index(flag)
            args[i + 1] = str(tmp / Path(args[i + 1]).name)
    result = cli_run(*args, catch_exceptions=False)
    return result.exit_code, result.output


def examples() -> list[tuple[str, list[str]]]:
    """(command, shown output lines) for every `$ argmap` line of the README's text blocks."""
    out: list[tuple[str, list[str]]] = []
    for block in _BLOCK.finditer(README.read_text(encoding="utf-8")):
        if block.group("lang") != "text":
            continue
        command: str | None = None
        lines: list[str] = []
        for line in block.group("body").splitlines():
            if line.startswith("$ argmap "):
                if command is not None:
                    out.append((command, lines))
                command, lines = line[2:], []
            elif command is not None:
                lines.append(line)
        if command is not None:
            out.append((command, lines))
    return out


def matches(shown: list[str], actual: list[str]) -> bool:
    """Whether `actual` lines fit `shown`, where a line "..." stands for any number of lines."""
    chunks: list[list[str]] = [[]]
    for line in shown:
        if line == ELLIPSIS:
            chunks.append([])
        else:
            chunks[-1].append(line)
    pos = 0
    for n, chunk in enumerate(chunks):
        if not chunk:
            continue
        if n == 0:
            if actual[: len(chunk)] != chunk:
                return False
            pos = len(chunk)
            continue
        for start in range(pos, len(actual) - len(chunk) + 1):
            if actual[start : start + len(chunk)] == chunk:
                pos = start + len(chunk)
                break
        else:
            return False
    return (len(chunks) > 1 and not chunks[-1]) or pos == len(actual)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")


def test_the_readme_has_examples() -> None:
    found = examples()
    assert len(found) >= 8
    assert any(cmd.startswith("argmap check") for cmd, _ in found)


@pytest.mark.parametrize("command,shown", examples(), ids=[c for c, _ in examples()])
def test_readme_example(command: str, shown: list[str], request: pytest.FixtureRequest) -> None:
    code, output = run(command)
    assert code in (0, 1), f"{command} exited {code}:\n{output}"
    actual = output.rstrip("\n").splitlines()
    if matches(shown, actual):
        return
    if request.config.getoption("--update-golden"):
        _update(command, shown, actual)
        return
    pytest.fail(
        f"README: the output of `{command}` differs from what it shows "
        "(refresh with --update-golden, then review):\n" + "\n".join(actual),
        pytrace=False,
    )


def _update(command: str, shown: list[str], actual: list[str]) -> None:
    text = README.read_text(encoding="utf-8")
    old = "\n".join([f"$ {command}", *shown])
    cut = shown.index(ELLIPSIS) if ELLIPSIS in shown else None
    if cut is not None and cut != len(shown) - 1:
        pytest.fail(f"README: `{command}` shows an excerpt from the middle; update it by hand", pytrace=False)
    new_lines = actual if cut is None else [*actual[: max(cut, 1)], ELLIPSIS]
    new = "\n".join([f"$ {command}", *new_lines])
    assert text.count(old) >= 1, command
    atomic_write(str(README), text.replace(old, new, 1))


def test_generated_regions(request: pytest.FixtureRequest) -> None:
    text = README.read_text(encoding="utf-8")
    regions = list(_GENERATED.finditer(text))
    assert regions, "the README's verdict table is generated by argmap"
    for region in regions:
        _, output = run(region.group("cmd"))
        if output == region.group("body"):
            continue
        if request.config.getoption("--update-golden"):
            atomic_write(
                str(README), text.replace(region.group(0), region.group(0).replace(region.group("body"), output))
            )
            text = README.read_text(encoding="utf-8")
            continue
        pytest.fail(f"README: the region generated by `{region.group('cmd')}` is stale:\n{output}", pytrace=False)


def test_shell_examples_run(tmp_path: Path) -> None:
    """Commands in ```sh blocks run (exit 0 or 1); outputs they would write go to a temporary folder."""
    ran = 0
    for block in _BLOCK.finditer(README.read_text(encoding="utf-8")):
        if block.group("lang") != "sh":
            continue
        for line in block.group("body").splitlines():
            command = line.split("#", 1)[0].strip()
            if not command.startswith("argmap ") or "serve" in command or "&&" in command:
                continue
            code, output = run(command, tmp_path)
            assert code in (0, 1), f"{command} exited {code}:\n{output}"
            ran += 1
    assert ran >= 3


def test_python_api_examples() -> None:
    """The README's `>>>` examples (the Python API section) run as doctests from the project folder."""
    failures, tried = doctest.testfile(
        str(README), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert tried >= 3
    assert failures == 0


def test_api_module_docstring_runs() -> None:
    import argmap.api

    failures, tried = doctest.testmod(argmap.api, optionflags=doctest.ELLIPSIS)
    assert tried >= 1 and failures == 0
    assert os.getcwd() == str(ROOT)
