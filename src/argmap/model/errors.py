"""The one error type for bad user input.

Everything a user can get wrong (a YAML file, a rule file, a command-line
value) raises :class:`InputError`.  The command line turns it into a message
on stderr and exit code 2; internal bugs are left to raise normally.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NoReturn, TypeVar

_T = TypeVar("_T")


@dataclass
class InputError(Exception):
    """A user error, located as precisely as the input allows."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None
    expected: str | None = None
    suggestion: str | None = None
    #: further errors found in the same input (a file read to the end, as a compiler does)
    more: tuple[InputError, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        """The error on one line; each further error on a line of its own, as the command line
        shows an error (``argmap: FILE:LINE:COL: error: ...``)."""
        return self._line() + "".join(f"\nargmap: {other._line()}" for other in self.errors()[1:])

    def errors(self) -> list[InputError]:
        """This error and the further ones, in order."""
        return [self, *self.more]

    def _line(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = where + "error: "
        if self.key is not None:
            text += f"{self.key}: "
        text += self.message
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.suggestion is not None:
            text += f"; did you mean '{self.suggestion}'?"
        return visible(text)


class ErrorList:
    """The errors of one input file, gathered as a compiler reads on past the first: each part of
    the file is checked on its own (:meth:`attempt`), and :meth:`raise_all` raises them together."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, error: InputError) -> None:
        """Record `error` (with its own further errors)."""
        self.errors.extend(error.errors())

    def suggests(self, key: str) -> bool:
        """Whether a recorded error already says "did you mean `key`" (a misspelt key), so that its
        absence need not be reported as a second error."""
        return any(e.suggestion == key for e in self.errors)

    def attempt(self, check: Callable[[], _T]) -> _T | None:
        """``check()``, or None after recording the :class:`InputError` it raised."""
        try:
            return check()
        except InputError as exc:
            self.add(exc)
            return None

    def raise_all(self, unread: Sequence[InputError] = ()) -> NoReturn:
        """Raise every error, once each, in order of file and line: the first, with the others in ``more``.

        `unread` are the values YAML itself could not read (``load_yaml(path, errors=...)``); an
        error recorded at the same place is left out, as YAML's own error there says why.
        """
        places = {(e.path, e.line, e.column) for e in unread}
        found = [*unread, *(e for e in self.errors if (e.path, e.line, e.column) not in places)]
        # The same error found twice (a proposal file that several scenario cases name) is given once.
        found = list({(e.path, e.line, e.column, e.key, e.message): e for e in found}.values())
        found.sort(key=lambda e: (e.path or "", e.line or 0, e.column or 0))
        for e in found:
            e.more = ()
        first = found[0]
        first.more = tuple(found[1:])
        raise first

    def check(self, unread: Sequence[InputError] = ()) -> None:
        """Raise every error (:meth:`raise_all`) if there is any, YAML's or recorded."""
        if self.errors or unread:
            self.raise_all(unread)


def named(path: str) -> str:
    """A file name as text any output can carry: each byte of it that was not UTF-8 (which Python
    holds as a lone surrogate) shown as ``\\udcXX``, as :func:`visible` shows it in errors."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return path


def visible(text: str) -> str:
    """`text` with control and format characters other than a tab shown as escapes (ESC as
    ``\\x1b``, a line break as ``\\x0a``), so that a hostile file name, key or value quoted in
    an error keeps the error on its one line and cannot drive the terminal (move the cursor,
    set the window title, forge a line).  A lone surrogate (a byte of a file name that is not
    UTF-8) is escaped too (``\\udcff``): it cannot be written as UTF-8."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch != "\t" and (unicodedata.category(ch) in ("Cc", "Cf", "Cs") or ch in "\u2028\u2029"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, for a "did you mean" hint, or None.

    A choice that differs only in case (``Exemptions`` for ``exemptions``) wins; else
    the closest by difflib's ratio (0.6 or more), compared in lower case too.
    """
    options = sorted(set(choices))
    text = str(word)
    lowered = {c.lower(): c for c in options}
    if text.lower() in lowered and lowered[text.lower()] != text:
        return lowered[text.lower()]
    matches = difflib.get_close_matches(text, options, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    matches = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[matches[0]] if matches else None


def one_of(choices: Iterable[str], limit: int = 12) -> str:
    """A readable list of allowed values."""
    items = sorted(set(choices))
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f", ... ({len(items)} in all)"
    return f"one of: {shown}"
