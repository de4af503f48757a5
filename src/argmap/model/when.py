"""Texts that speak of the date stances are read as of.

A knowledge base's reason, conflict, warning or note text may hold the
placeholder ``{as_of|WORDS}``: WORDS is what it says when stances are read as
the knowledge base last records them (an undated proposal, no what-if date);
when they are read as of an earlier record (a dated proposal, ``--as-of``,
``--as-of-actor``), argmap puts "as of" and that date in words in its place.
The knowledge base chooses WORDS; argmap adds only the date.
"""

from __future__ import annotations

import re

from .proposal import Proposal, World, in_words

_AS_OF = re.compile(r"\{as_of\|([^{}]*)\}")
#: What every text with an ``{as_of|...}`` placeholder contains (a text without it is never changed).
PLACEHOLDER = "{as_of|"


def as_of_phrase(proposal: Proposal, world: World, latest: int | None = None) -> str | None:
    """The words a dated judgement puts for ``{as_of|...}``: "as of February 2024" (every actor), with
    "for ACTOR as of DATE" for each actor read at its own date; None when nothing is dated.

    Dates are YYYYMMDD (00 for an unknown month or day).  With `latest`, the date of the knowledge
    base's last stance record, a date on or after it reads the records as last recorded, as an
    undated judgement does, and so adds no words.
    """
    common = world.as_of if world.as_of is not None else proposal.date
    if common is None and not world.actor_as_of:
        return None  # an undated judgement (the common case: check reads every file so)

    def earlier(date: int | None) -> bool:
        return date is not None and (latest is None or date < latest)

    parts = [f"as of {in_words(common)}"] if earlier(common) else []
    parts += [
        f"for {actor.replace('_', ' ')} as of {in_words(date)}" for actor, date in world.actor_as_of if earlier(date)
    ]
    return ", ".join(parts) or None


def fill_as_of(text: str, phrase: str | None) -> str:
    """`text` with each ``{as_of|WORDS}`` replaced by `phrase`, or by WORDS when `phrase` is None."""
    if PLACEHOLDER not in text:
        return text
    return _AS_OF.sub(lambda m: m.group(1) if phrase is None else phrase, text)
