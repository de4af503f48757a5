"""An abstract argumentation framework (Dung 1995): arguments and attacks.

Arguments are named by strings (``a1``, or ``1`` .. ``N`` for the ICCMA 2023
format) and referred to inside argmap by their position in
:attr:`Framework.names`; clingo sees only those positions, as numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: What an argument name may be: ASCII letters, digits and underscores.
NAME = re.compile(r"[A-Za-z0-9_]+")
MAX_NAME = 200

#: An extension: the positions of its arguments in ``Framework.names``.
Extension = frozenset[int]


def name_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order: ``a2`` before ``a10``, and ``2`` before ``10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", name))


@dataclass(frozen=True)
class Framework:
    """Arguments (by name) and attacks (pairs of positions in `names`)."""

    names: tuple[str, ...]
    attacks: frozenset[tuple[int, int]]
    #: Where it was read from, and in which format (apx, tgf, i23, kb).
    path: str | None = None
    fmt: str = "apx"

    @classmethod
    def build(
        cls, names: Iterable[str], attacks: Iterable[tuple[str, str]], *, path: str | None = None, fmt: str = "apx"
    ) -> Framework:
        """A framework from argument names and attacks between names."""
        ordered = tuple(dict.fromkeys(names))
        index = {name: i for i, name in enumerate(ordered)}
        return cls(ordered, frozenset((index[a], index[b]) for a, b in attacks), path, fmt)

    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int | None:
        """The position of the argument called `name`, or None."""
        try:
            return self.names.index(name)
        except ValueError:
            return None

    @functools.cached_property
    def _rank(self) -> Sequence[int]:
        """Each position's place in the natural order of the names (ICCMA 2023's 1..N are in order)."""
        if self.fmt == "i23":
            return range(len(self.names))
        rank = [0] * len(self.names)
        for place, i in enumerate(sorted(range(len(self.names)), key=lambda i: name_key(self.names[i]))):
            rank[i] = place
        return rank

    def sorted_names(self, extension: Iterable[int]) -> list[str]:
        """The names of an extension's arguments, in natural order."""
        return [self.names[i] for i in sorted(extension, key=self._rank.__getitem__)]

    def order(self, extensions: Iterable[Extension]) -> list[Extension]:
        """Extensions in a fixed order: by their sorted member names."""
        return sorted(set(extensions), key=lambda e: [name_key(n) for n in self.sorted_names(e)])
