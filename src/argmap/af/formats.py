"""Reading argumentation frameworks in the standard ICCMA formats.

- ``apx`` (ASPARTIX, ICCMA 2015-2021): one fact a line, ``arg(a).`` or
  ``att(a,b).``; blank lines and ``%`` comments are allowed.
- ``tgf`` (Trivial Graph Format, ICCMA 2015-2021): one argument a line, then
  a line ``#``, then one attack ``a b`` a line.
- ``i23`` (ICCMA 2023): a header ``p af N`` (the arguments are 1..N), then one
  attack ``i j`` a line; lines starting with ``#`` are comments.

The text is parsed here, in Python, and never becomes ASP: every argument name
is checked against :data:`~argmap.af.framework.NAME`, and clingo later sees only
numbers.  Every error names the file and line (:class:`~argmap.errors.InputError`).
"""

from __future__ import annotations

import os
import re

from ..errors import InputError, closest, one_of
from ..yamlio import read_text
from .framework import MAX_NAME, NAME, Framework

FORMATS = ("apx", "tgf", "i23")
#: File extensions and the format each stands for.
EXTENSIONS = {".apx": "apx", ".tgf": "tgf", ".af": "i23", ".i23": "i23"}
MAX_BYTES = 64 * 1024 * 1024
MAX_ARGUMENTS = 1_000_000

_NUMBER = re.compile(r"[0-9]{1,9}")
_APX = re.compile(r"(arg|att)\s*\(\s*([^()]*?)\s*\)\s*\.")
_APX_LINE = re.compile(r"^\s*(?:(?P<fact>[a-z]+\s*\([^()]*\)\s*\.)\s*)?(?:%.*)?$")


def detect_format(path: str, fmt: str | None = None) -> str:
    """The format given, or the one the file's extension stands for."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise InputError(f"unknown format '{fmt}'", key="--fo", expected=one_of(FORMATS))
        return fmt
    ext = os.path.splitext(path)[1].lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    raise InputError(
        f"cannot tell the format from the extension '{ext or '(none)'}'",
        path=path,
        expected=f"a file ending in {', '.join(sorted(EXTENSIONS))}, or --fo {'|'.join(FORMATS)}",
    )


def read_framework(path: str, fmt: str | None = None) -> Framework:
    """Read and check a framework file (format from `fmt` or the file's extension)."""
    fmt = detect_format(path, fmt)
    return parse_framework(read_text(path, max_bytes=MAX_BYTES), fmt, path)


def parse_framework(text: str, fmt: str, path: str = "<text>") -> Framework:
    """Parse framework text in the given format."""
    parser = {"apx": _parse_apx, "tgf": _parse_tgf, "i23": _parse_i23}.get(fmt)
    if parser is None:
        raise InputError(f"unknown format '{fmt}'", key="--fo", expected=one_of(FORMATS))
    return parser(text, path)


def _name(token: str, path: str, line: int) -> str:
    if not NAME.fullmatch(token) or len(token) > MAX_NAME:
        shown = token if len(token) <= 40 else token[:40] + "..."
        raise InputError(
            f"'{shown}' is not a valid argument name",
            path=path,
            line=line,
            expected=f"letters, digits and underscores (at most {MAX_NAME})",
        )
    return token


def _check_attacks(
    attacks: list[tuple[str, str, int]], declared: dict[str, int], path: str, what: str
) -> list[tuple[str, str]]:
    for a, b, line in attacks:
        for name in (a, b):
            if name not in declared:
                raise InputError(
                    f"attack {a} -> {b}: argument '{name}' is not declared",
                    path=path,
                    line=line,
                    expected=what,
                    suggestion=closest(name, declared),
                )
    return [(a, b) for a, b, _ in attacks]


# ------------------------------------------------------------------ apx
def _parse_apx(text: str, path: str) -> Framework:
    declared: dict[str, int] = {}
    attacks: list[tuple[str, str, int]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = _APX_LINE.match(raw)
        if line is None:
            raise InputError(
                "not an apx fact", path=path, line=number, expected="arg(NAME). or att(NAME,NAME). (one a line)"
            )
        fact = line.group("fact")
        if fact is None:
            continue
        m = _APX.fullmatch(fact)
        if m is None:
            raise InputError(f"unknown fact '{fact}'", path=path, line=number, expected="arg(NAME). or att(NAME,NAME).")
        pred, inside = m.groups()
        terms = [t.strip() for t in inside.split(",")]
        if pred == "arg":
            if len(terms) != 1:
                raise InputError("arg/1 takes one argument name", path=path, line=number, expected="arg(NAME).")
            declared.setdefault(_name(terms[0], path, number), number)
            if len(declared) > MAX_ARGUMENTS:
                raise InputError(f"more than {MAX_ARGUMENTS} arguments", path=path, line=number)
        else:
            if len(terms) != 2:
                raise InputError("att/2 takes two argument names", path=path, line=number, expected="att(NAME,NAME).")
            attacks.append((_name(terms[0], path, number), _name(terms[1], path, number), number))
    pairs = _check_attacks(attacks, declared, path, "an arg(NAME). fact for each argument an attack names")
    return Framework.build(declared, pairs, path=path, fmt="apx")


# ------------------------------------------------------------------ tgf
def _parse_tgf(text: str, path: str) -> Framework:
    declared: dict[str, int] = {}
    attacks: list[tuple[str, str, int]] = []
    in_edges = False
    for number, raw in enumerate(text.splitlines(), 1):
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
            declared.setdefault(_name(tokens[0], path, number), number)
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
            attacks.append((_name(tokens[0], path, number), _name(tokens[1], path, number), number))
    pairs = _check_attacks(attacks, declared, path, "each argument an attack names on a line before '#'")
    return Framework.build(declared, pairs, path=path, fmt="tgf")


# ------------------------------------------------------------------ ICCMA 2023
def _parse_i23(text: str, path: str) -> Framework:
    size: int | None = None
    attacks: set[tuple[int, int]] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.startswith("#"):
            continue
        tokens = raw.split()
        if not tokens:
            continue
        if tokens[0] == "p":
            if size is not None:
                raise InputError("a second 'p af' header", path=path, line=number, expected="one header 'p af N'")
            if len(tokens) != 3 or tokens[1] != "af" or not _NUMBER.fullmatch(tokens[2]):
                raise InputError(
                    f"bad header '{' '.join(tokens)[:60]}'", path=path, line=number, expected="'p af N', N a number"
                )
            size = int(tokens[2])
            if size > MAX_ARGUMENTS:
                raise InputError(f"{size} arguments; at most {MAX_ARGUMENTS}", path=path, line=number)
            continue
        if size is None:
            raise InputError(
                "an attack before the header", path=path, line=number, expected="first the header 'p af N'"
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
