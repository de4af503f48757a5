"""Reading rule files as untrusted input: the files of a knowledge base, checked before clingo sees them.

A rule file is read by argmap, never by clingo directly:

- only regular files are read (no FIFOs, devices or folders), up to
  :data:`MAX_BYTES`, and only as UTF-8 (no byte-order mark, no NUL);
- ``#include`` directives are resolved here, relative to the including file
  (clingo itself tries the current directory first), and only to files inside
  the knowledge base's folder tree (:func:`find_root`);
- ``#script`` is refused (a knowledge base is data, whatever clingo was built with);
- integers outside clingo's 32-bit range are refused (clingo would wrap them).

:func:`read_program` returns each file's text with its ``#include`` directives
blanked out (same length, so lines and columns stay), in the order clingo would
read them, each file once.  Sources: the clingo 5 input language (Potassco
guide, section 3.1: comments ``%`` and ``%* *%``, strings, ``#include``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..io.files import read_regular
from ..model.errors import InputError, visible

#: The largest rule file argmap reads.
MAX_BYTES = 64 * 1024 * 1024
#: clingo's integers are 32-bit.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
#: Files that mark the top of a knowledge base's folder tree.
ROOT_MARKERS = ("argmap.toml", "pyproject.toml", ".git")


@dataclass(frozen=True)
class SourceFile:
    """One rule file as argmap read it."""

    path: str  # absolute, normalised
    text: str  # the text with #include directives blanked out
    shown: str  # the path as messages show it


def find_root(entry: str) -> str:
    """The top of a knowledge base's folder tree: the nearest folder above `entry`
    holding argmap.toml, pyproject.toml or .git; else `entry`'s own folder."""
    start = os.path.dirname(os.path.realpath(entry))
    folder = start
    while True:
        if any(os.path.exists(os.path.join(folder, m)) for m in ROOT_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return start
        folder = parent


def read_program(entries: list[str], root: str, shown: dict[str, str] | None = None) -> list[SourceFile]:
    """The entry files and everything they include, each read and checked once.

    `root` bounds what an ``#include`` may reach (the entry files themselves
    may lie anywhere: the user named them).  `shown` maps absolute paths to the
    text messages use for them (default: the path relative to `root`).
    """
    out: list[SourceFile] = []
    seen: set[str] = set()
    real_root = os.path.realpath(root)

    def show(path: str) -> str:
        if shown and path in shown:
            return shown[path]
        rel = os.path.relpath(path, root) if _inside(os.path.realpath(path), real_root) else path
        return rel

    def visit(path: str, via: tuple[str, int, int] | None) -> None:
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        raw = _read(path, path if via is None else show(path), via)  # a missing entry file: as the user named it
        text = _decode(raw, show(path))
        scan = _scan(text, show(path))
        body = scan.blanked
        out.append(SourceFile(os.path.normpath(os.path.abspath(path)), body, show(path)))
        for line, column, target in scan.includes:
            where = (show(path), line, column)
            if target.startswith("<"):
                raise InputError(
                    f"#include {target}: library includes are not supported",
                    path=where[0],
                    line=line,
                    column=column,
                    expected='#include "file.lp". with a path relative to this file',
                )
            if os.path.isabs(target):
                raise InputError(
                    f'#include "{target}": absolute paths are not allowed',
                    path=where[0],
                    line=line,
                    column=column,
                    expected="a path relative to this file, inside the knowledge base's folder",
                )
            resolved = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), target))
            if not _inside(os.path.realpath(resolved), real_root):
                raise InputError(
                    f'#include "{target}" leads outside the knowledge base\'s folder {root}',
                    path=where[0],
                    line=line,
                    column=column,
                    expected="a file inside the knowledge base's folder tree",
                )
            visit(resolved, where)

    for entry in entries:
        visit(entry, None)
    return out


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _read(path: str, shown: str, via: tuple[str, int, int] | None) -> bytes:
    def fail(message: str) -> InputError:
        if via is not None:
            return InputError(f"#include: {shown}: {message}", path=via[0], line=via[1], column=via[2])
        return InputError(message, path=shown)

    data = read_regular(path, MAX_BYTES, fail, what="rule file")
    return data


def _decode(data: bytes, shown: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        raise InputError("the file starts with a byte-order mark", path=shown, line=1, expected="UTF-8 without a BOM")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the file is UTF-16", path=shown, line=1, expected="UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=shown, line=line, column=column, expected="UTF-8"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError("the file contains a NUL character", path=shown, line=line, expected="a text file")
    return text


@dataclass
class _Scan:
    blanked: str
    includes: list[tuple[int, int, str]]


#: What the scanner stops at: a block comment, a line comment, a string, a directive, a number.
_TOKEN = re.compile(
    r"%\*.*?(?:\*%|\Z)"  # block comment (to the end of the file if unclosed)
    r"|%[^\n]*"  # line comment
    r'|"(?:[^"\\]|\\.)*(?:"|\Z)'  # string
    r"|#[A-Za-z_][A-Za-z0-9_]*"  # directive
    r"|(?<![A-Za-z0-9_'])(?:0[xX][0-9A-Fa-f]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)"  # integer
    r"|[^\x00-\x7f]",  # a character clingo's lexer does not know (outside strings and comments)
    re.DOTALL,
)
_INCLUDE = re.compile(r'[ \t\r\n]*(?:"((?:[^"\\]|\\.)*)"|(<[^>]*>))[ \t\r\n]*\.?')


def _negated(text: str, at: int) -> bool:
    """Whether the integer literal at `at` is the operand of a unary minus (``f(-2147483648)``, the
    smallest integer clingo has), not of a binary one (``X-2147483648``, which wraps)."""
    before = text[:at].rstrip()
    if not before.endswith("-"):
        return False
    operand = before[:-1].rstrip()
    return not operand or not (operand[-1].isalnum() or operand[-1] in "_)'\"")


def _scan(text: str, shown: str) -> _Scan:
    """Find #include and #script directives and integer literals outside comments and strings."""
    includes: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int]] = []

    def position(at: int) -> tuple[int, int]:
        return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1

    pos = 0
    while True:
        m = _TOKEN.search(text, pos)
        if m is None:
            break
        token = m.group()
        pos = m.end()
        first = token[0]
        if first in '%"':
            continue
        if first > "\x7f":
            # clingo's own message about it can crash the process (its logger decodes a cut UTF-8 sequence)
            line, column = position(m.start())
            raise InputError(
                f"{visible(token)} cannot stand outside a string or a comment",
                path=shown,
                line=line,
                column=column,
                expected='ASCII in names and operators (text with other characters goes in a "string")',
            )
        if first == "#":
            if token == "#script":
                line, column = position(m.start())
                raise InputError(
                    "#script is not allowed: a knowledge base is data, not code",
                    path=shown,
                    line=line,
                    column=column,
                    expected="rules and facts only",
                )
            if token == "#include":
                line, column = position(m.start())
                inc = _INCLUDE.match(text, m.end())
                if inc is None:
                    raise InputError("#include without a file name", path=shown, line=line, column=column)
                target = inc.group(1) if inc.group(1) is not None else inc.group(2)
                includes.append((line, column, target))
                spans.append((m.start(), inc.end()))
                pos = inc.end()
            continue
        try:
            value = int(token, 0) if token[:2].lower() in ("0x", "0o", "0b") else int(token)
        except ValueError:
            continue
        if value > INT_MAX and not (value == INT_MAX + 1 and _negated(text, m.start())):
            line, column = position(m.start())
            raise InputError(
                f"the integer {token} is outside clingo's range",
                path=shown,
                line=line,
                column=column,
                expected=f"a whole number from {INT_MIN} to {INT_MAX}",
            )
    if not spans:
        return _Scan(text, includes)
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append("".join(c if c == "\n" else " " for c in text[start:end]))
        last = end
    out.append(text[last:])
    return _Scan("".join(out), includes)
