"""Proposals and the world a what-if changes: plain data, no clingo.

A proposal never becomes program text: the engine turns each setting into the
assumption ``set(Key, Value)``, each open aspect into ``open(Key)``, and a
world into the stance and claim inputs of ``docs/knowledge-base.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: A component setting: (key, value), both identifiers.
Setting = tuple[str, str]


@dataclass(frozen=True)
class Phase:
    """One stage of a roadmap, with the settings in force during it (cumulative).

    ``timing`` is one of the knowledge base's ``roadmap_timing/2`` names;
    ``offset`` is the number a timing with ``roadmap_offset/3`` carries (else 0).
    """

    name: str
    timing: str
    offset: int
    settings: tuple[Setting, ...]


@dataclass(frozen=True)
class Proposal:
    """A proposal; for a roadmap, ``settings`` are those of its final phase.

    ``open`` lists the components left open; ``open_values`` narrows an open
    component to some of its values (``open: {exemptions: [taxis, vans]}``).
    ``date`` (YYYYMMDD) is the recorded stance date it is judged against (the
    latest on or before the date it gives), unless a what-if says otherwise;
    ``date_asked`` the date as the proposal gives it.
    """

    id: str
    title: str
    source: str
    settings: tuple[Setting, ...]
    open: tuple[str, ...] = ()
    notes: str | None = None
    path: str | None = None
    phases: tuple[Phase, ...] = ()
    open_values: tuple[Setting, ...] = ()
    date: int | None = None
    date_asked: int | None = None

    def values(self, key: str) -> tuple[str, ...]:
        return tuple(v for k, v in self.settings if k == key)


@dataclass(frozen=True)
class World:
    """What a what-if changes outside the proposal.

    ``as_of`` and ``actor_as_of`` are dates (YYYYMMDD) of recorded stances;
    ``stances`` are (actor, issue, position) overrides.
    """

    rejected: tuple[str, ...] = ()
    as_of: int | None = None
    actor_as_of: tuple[tuple[str, int], ...] = ()
    stances: tuple[tuple[str, str, str], ...] = ()


#: The world as the source records it: no claim rejected, no stance changed.
BASELINE = World()


@dataclass(frozen=True)
class Change:
    """One what-if change.

    ``op`` is set, add, unset, open, reject, as_of, actor_as_of or stance;
    ``key`` and ``value`` are its operands (for as_of the date is the key, for
    stance the key is ``actor.issue``).  ``asked`` keeps a date as the user
    wrote it, for messages.
    """

    op: str
    key: str
    value: str = ""
    asked: str = ""

    def __str__(self) -> str:
        return {
            "set": f"set {self.key}={self.value}",
            "add": f"add {self.key}={self.value}",
            "unset": f"unset {self.key}" + (f"={self.value}" if self.value else ""),
            "open": f"leave {self.key} open" + (f" over {self.value}" if self.value else ""),
            "reject": f"reject claim {self.key}",
            "as_of": f"stances as of {self.asked or day(self.key)}",
            "actor_as_of": f"{self.key}'s stances as of {self.asked or day(self.value)}",
            "stance": f"{self.key} takes {self.value}",
        }[self.op]


def day(date: str | int) -> str:
    """A recorded date YYYYMMDD as text: 2025-02-28, 2025-02 (day 00), 2025 (month 00)."""
    text = str(date)
    if len(text) != 8 or not text.isdigit():
        return text
    year, month, dd = text[:4], text[4:6], text[6:]
    if month == "00":
        return year
    if dd == "00":
        return f"{year}-{month}"
    return f"{year}-{month}-{dd}"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def in_words(date: str | int) -> str:
    """A recorded date YYYYMMDD in words: 22 August 2025, February 2024 (day 00), 2024 (month 00).

    Anything that is not such a date is returned as text, unchanged.
    """
    text = str(date)
    if len(text) != 8 or not text.isdigit():
        return text
    year, month, dd = text[:4], int(text[4:6]), int(text[6:])
    if month == 0 or month > 12:
        return year if month == 0 else text
    if dd == 0:
        return f"{_MONTHS[month - 1]} {year}"
    return f"{dd} {_MONTHS[month - 1]} {year}"
