"""Reading argumentation frameworks in the standard ICCMA formats.

- ``apx`` (ASPARTIX, ICCMA 2015-2021): facts ``arg(a).`` and ``att(a,b).``,
  read as clingo (ASPARTIX's own reader) reads them: any whitespace between
  and inside facts, several facts on a line, ``%`` comments to the end of a
  line and ``%* ... *%`` block comments.
- ``tgf`` (Trivial Graph Format, ICCMA 2015-2021): one argument a line, then
  a line ``#``, then one attack ``a b`` a line.
- ``i23`` (ICCMA 2023): a header ``p af N`` (the arguments are 1..N), then one
  attack ``i j`` a line; ``#`` starts a comment, at the start of a line,
  indented, or after an attack or the header.

The text is parsed here, in Python, and never becomes ASP: every argument name
is checked against :data:`~argmap.af.framework.NAME`, and clingo later sees only
numbers.  Every error names the file and line (:class:`~argmap.model.errors.InputError`).
Only regular files are read (a FIFO or a device is an input error, not a hang).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from ..io.files import read_text
from ..model.errors import InputError, closest, one_of
from .codes import FORMATS
from .framework import MAX_NAME, NAME, Framework
from .limits import Deadline

#: File extensions and the format each stands for.
EXTENSIONS = {".apx": "apx", ".tgf": "tgf", ".af": "i23", ".i23": "i23"}
MAX_BYTES = 64 * 1024 * 1024
MAX_ARGUMENTS = 1_000_000
#: How many lines or facts the parsers read between two looks at the deadline.
_CHECK_EVERY = 1 << 16

_NUMBER = re.compile(r"[0-9]{1,9}")
_DIGITS = re.compile(r"[0-9]+")
_APX_COMMENT = re.compile(r"%\*.*?\*%|%[^\n]*", re.DOTALL)
_APX_FACT = re.compile(r"\s*([a-z][A-Za-z0-9_]*)\s*\(([^()]*)\)\s*\.")
_APX_JUNK = re.compile(r"\s*(\S[^\n]{0,39})")


def detect_format(path: str, fmt: str | None = None) -> str:
    """The format given, or the one the file's extension stands for."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise InputError(f"unknown format '{fmt}'", key="--fo", expected=one_of(FORMATS))
        return fmt
    ext = os.path.splitext(path)[1].lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if os.path.isdir(path):
        raise InputError("is a folder, not a framework file", path=path, expected="one framework file")
    raise InputError(
        f"cannot tell the format from the extension '{ext or '(none)'}'",
        path=path,
        expected=f"a file ending in {', '.join(sorted(EXTENSIONS))}, or --fo {'|'.join(FORMATS)}",
    )


def read_framework(path: str, fmt: str | None = None, deadline: Deadline | None = None) -> Framework:
    """Read and check a framework file (format from `fmt` or the file's extension)."""
    fmt = detect_format(path, fmt)
    return parse_framework(_read_text(path), fmt, path, deadline)


def _read_text(path: str) -> str:
    """A regular UTF-8 file of at most MAX_BYTES, or an InputError naming what is wrong."""
    return read_text(path, MAX_BYTES)


def parse_framework(text: str, fmt: str, path: str = "<text>", deadline: Deadline | None = None) -> Framework:
    """Parse framework text in the given format (checking `deadline` as it goes, when given)."""
    parser = {"apx": _parse_apx, "tgf": _parse_tgf, "i23": _parse_i23}.get(fmt)
    if parser is None:
        raise InputError(f"unknown format '{fmt}'", key="--fo", expected=one_of(FORMATS))
    return parser(text, path, deadline or Deadline(path=path))


def _name(token: str, path: str, line: Callable[[int], int], at: int) -> str:
    """`token` if it is a valid argument name; `line(at)` is where it stands."""
    if len(token) > MAX_NAME or not NAME.fullmatch(token):
        shown = token if len(token) <= 40 else token[:40] + "..."
        raise InputError(
            f"'{shown}' is not a valid argument name",
            path=path,
            line=line(at),
            expected=f"ASCII letters, digits and underscores (at most {MAX_NAME})",
        )
    return token


def _check_attacks(
    attacks: list[tuple[str, str, int]], declared: dict[str, int], path: str, line: Callable[[int], int], what: str
) -> list[tuple[str, str]]:
    for a, b, at in attacks:
        for name in (a, b):
            if name not in declared:
                raise InputError(
                    f"attack {a} -> {b}: argument '{name}' is not declared",
                    path=path,
                    line=line(at),
                    expected=what,
                    suggestion=closest(name, declared),
                )
    return [(a, b) for a, b, _ in attacks]


# ------------------------------------------------------------------ apx
def _blank(comment: re.Match[str]) -> str:
    """A comment as spaces, its line breaks kept (so that offsets keep their line numbers)."""
    return re.sub(r"[^\n]", " ", comment.group())


def _parse_apx(text: str, path: str, deadline: Deadline) -> Framework:
    text = _APX_COMMENT.sub(_blank, text)

    def line(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    declared: dict[str, int] = {}
    attacks: list[tuple[str, str, int]] = []
    position, end, count = 0, len(text.rstrip()), 0
    while position < end:
        fact = _APX_FACT.match(text, position)
        if fact is None:
            junk = _APX_JUNK.match(text, position)
            at = junk.start(1) if junk else position
            raise InputError(
                "not an apx fact" + (f": '{junk.group(1)}'" if junk else ""),
                path=path,
                line=line(at),
                expected="facts arg(NAME). and att(NAME,NAME).",
            )
        count += 1
        if not count & (_CHECK_EVERY - 1):
            deadline.check("reading the framework")
        pred, inside = fact.groups()
        start, position = fact.start(1), fact.end()
        terms = [t.strip() for t in inside.split(",")]
        if pred == "arg" and len(terms) == 1:
            declared.setdefault(_name(terms[0], path, line, start), start)
            if len(declared) > MAX_ARGUMENTS:
                raise InputError(f"more than {MAX_ARGUMENTS} arguments", path=path, line=line(start))
        elif pred == "att" and len(terms) == 2:
            attacks.append((_name(terms[0], path, line, start), _name(terms[1], path, line, start), start))
        elif pred in ("arg", "att"):
            raise InputError(
                "arg/1 takes one argument name" if pred == "arg" else "att/2 takes two argument names",
                path=path,
                line=line(start),
                expected="arg(NAME)." if pred == "arg" else "att(NAME,NAME).",
            )
        else:
            raise InputError(
                f"unknown fact '{pred}/{len(terms)}'",
                path=path,
                line=line(start),
                expected="arg(NAME). or att(NAME,NAME).",
            )
    pairs = _check_attacks(attacks, declared, path, line, "an arg(NAME). fact for each argument an attack names")
    return Framework.build(declared, pairs, path=path, fmt="apx")


# ------------------------------------------------------------------ tgf
def _same(number: int) -> int:
    return number


def _parse_tgf(text: str, path: str, deadline: Deadline) -> Framework:
    declared: dict[str, int] = {}
    attacks: list[tuple[str, str, int]] = []
    in_edges = False
    for number, raw in enumerate(text.splitlines(), 1):
        if not number & (_CHECK_EVERY - 1):
            deadline.check("reading the framework")
        tokens = raw.split()
        if not tokens:
            continue
        if tokens == ["#"]:
            if in_edges:
                raise InputError(
                    "a second '#' line", path=path, line=number, expected="one '#' between arguments and attacks"
                )
            in_edges = True
            continue
        if not in_edges:
            if len(tokens) != 1:
                raise InputError(
                    f"{len(tokens)} words on an argument line",
                    path=path,
                    line=number,
                    expected="one argument name a line, then '#', then attacks 'a b'",
                )
            declared.setdefault(_name(tokens[0], path, _same, number), number)
            if len(declared) > MAX_ARGUMENTS:
                raise InputError(f"more than {MAX_ARGUMENTS} arguments", path=path, line=number)
        else:
            if len(tokens) != 2:
                raise InputError(
                    f"{len(tokens)} words on an attack line",
                    path=path,
                    line=number,
                    expected="two argument names 'a b'",
                )
            attacks.append((_name(tokens[0], path, _same, number), _name(tokens[1], path, _same, number), number))
    pairs = _check_attacks(attacks, declared, path, _same, "each argument an attack names on a line before '#'")
    return Framework.build(declared, pairs, path=path, fmt="tgf")


# ------------------------------------------------------------------ ICCMA 2023
def _parse_i23(text: str, path: str, deadline: Deadline) -> Framework:
    size: int | None = None
    attacks: set[tuple[int, int]] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        if not number & (_CHECK_EVERY - 1):
            deadline.check("reading the framework")
        tokens = raw.split("#", 1)[0].split()
        if not tokens:
            continue
        if tokens[0] == "p":
            if size is not None:
                raise InputError("a second 'p af' header", path=path, line=number, expected="one header 'p af N'")
            if len(tokens) != 3 or tokens[1] != "af" or not _DIGITS.fullmatch(tokens[2]):
                raise InputError(
                    f"bad header '{' '.join(tokens)[:60]}'", path=path, line=number, expected="'p af N', N a number"
                )
            digits = tokens[2].lstrip("0") or "0"
            if len(digits) > 9:  # far too many, and not worth converting (Python refuses over 4,300 digits)
                shown = digits if len(digits) <= 20 else digits[:20] + "..."
                raise InputError(f"{shown} arguments; at most {MAX_ARGUMENTS}", path=path, line=number)
            size = int(digits)
            if size > MAX_ARGUMENTS:
                raise InputError(f"{size} arguments; at most {MAX_ARGUMENTS}", path=path, line=number)
            continue
        if size is None:
            if _APX_FACT.match(raw):  # apx in an .i23 file: say so rather than call it an attack
                raise InputError(
                    f"'{raw.strip()[:40]}' is an apx fact, not ICCMA 2023",
                    path=path,
                    line=number,
                    expected="the header 'p af N' first; for an apx file, --fo apx or the extension .apx",
                )
            raise InputError(
                f"'{' '.join(tokens)[:40]}' before the header",
                path=path,
                line=number,
                expected="first the header 'p af N'",
            )
        if len(tokens) != 2:
            raise InputError(
                f"{len(tokens)} words on an attack line", path=path, line=number, expected="two argument numbers 'i j'"
            )
        pair = []
        for token in tokens:
            if not _NUMBER.fullmatch(token) or not 1 <= int(token) <= size:
                raise InputError(
                    f"'{token[:40]}' is not an argument", path=path, line=number, expected=f"a number from 1 to {size}"
                )
            pair.append(int(token) - 1)
        attacks.add((pair[0], pair[1]))
    if size is None:
        raise InputError("no 'p af N' header", path=path, line=1, expected="the header 'p af N' before any attack")
    return Framework(tuple(str(i) for i in range(1, size + 1)), frozenset(attacks), path, "i23")
