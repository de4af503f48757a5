"""What-if changes as users type them, validated against the knowledge base's vocabulary.

``--set KEY=VALUE``, ``--add``, ``--unset KEY[=VALUE]``, ``--open KEY``,
``--reject-claim ID``, ``--as-of DATE``, ``--as-of-actor ACTOR=DATE`` and
``--stance ACTOR.ISSUE=POSITION`` become :class:`~argmap.model.proposal.Change`
values; scenario files use the same words under ``changes:``.
"""

from __future__ import annotations

import datetime
import re

from ..model.errors import InputError, closest, one_of
from ..model.kb import PARTS, Vocabulary
from ..model.proposal import Change, day

_EXAMPLES = {
    "KEY=VALUE": "key=value",
    "ACTOR=DATE": "actor=2025-02-28",
    "ACTOR.ISSUE=POSITION": "actor.issue=position",
}


def _pair(text: str, what: str, sep: str = "=", option: str | None = None) -> tuple[str, str]:
    if sep not in text:
        raise InputError(f"'{text}' is not {what}", key=option, expected=f"{what} such as {_EXAMPLES[what]}")
    left, right = text.split(sep, 1)
    return left.strip(), right.strip()


def _need(voc: Vocabulary, part: str, option: str) -> None:
    if part not in voc.parts:
        raise InputError(
            f"{option} needs the knowledge base's {part} part, which this knowledge base does not define",
            key=option,
            expected=f"{PARTS[part]} (see docs/knowledge-base.md, 'Optional parts')",
        )


def parse_date(text: str, voc: Vocabulary, key: str = "--as-of") -> int:
    """A date (YYYY-MM-DD, YYYY-MM or YYYYMMDD) as the latest recorded stance date on or before it.

    Recorded dates are YYYYMMDD numbers where 00 stands for an unknown month
    or day (2024-02 is recorded as 20240200, before any day of February).

    Raises:
        InputError: not a calendar date, or earlier than every record.
    """
    _need(voc, "stances", key)
    digits = re.sub(r"-", "", text.strip())
    if not re.fullmatch(r"\d{6}|\d{8}", digits):
        raise InputError(f"'{text}' is not a date", key=key, expected="YYYY-MM-DD, YYYY-MM or YYYYMMDD")
    try:
        datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]) if len(digits) == 8 else 1)
    except ValueError:
        raise InputError(
            f"'{text}' is not a date on the calendar", key=key, expected="YYYY-MM-DD, YYYY-MM or YYYYMMDD"
        ) from None
    asked = int(digits if len(digits) == 8 else digits + "99")
    earlier = [d for d in voc.snapshots if d <= asked]
    if not earlier:
        first = day(voc.snapshots[0]) if voc.snapshots else "?"
        raise InputError(f"no stance is recorded on or before {text}", key=key, expected=f"a date from {first} on")
    return earlier[-1]


def _asked(text: str, recorded: int) -> str:
    """How a what-if date reads: as asked, with the record it falls back on when that differs."""
    digits = text.strip().replace("-", "")
    shown = day(digits) if len(digits) == 8 else f"{digits[:4]}-{digits[4:6]}"
    if str(recorded) == digits:
        return shown
    return f"{shown} (the last record on or before it: {day(recorded)})"


def parse_changes(
    voc: Vocabulary,
    *,
    sets: tuple[str, ...] = (),
    adds: tuple[str, ...] = (),
    unsets: tuple[str, ...] = (),
    opens: tuple[str, ...] = (),
    rejects: tuple[str, ...] = (),
    as_of: str | None = None,
    actor_as_of: tuple[str, ...] = (),
    stances: tuple[str, ...] = (),
    allow_none: bool = False,
) -> list[Change]:
    """Validate command-line changes against the knowledge base's vocabulary.

    With `allow_none`, no change at all is fine (a scenario's ``changes: {}``).

    Raises:
        InputError: an unknown component, value, claim, actor, issue or
            position (with a "did you mean"), a bad date, or a change that
            needs a part the knowledge base lacks.
    """
    out: list[Change] = []
    for text in sets:
        key, value = _pair(text, "KEY=VALUE", option="--set")
        _check_component(voc, key, value, "--set")
        out.append(Change("set", key, value))
    for text in adds:
        key, value = _pair(text, "KEY=VALUE", option="--add")
        _check_component(voc, key, value, "--add")
        if voc.components[key].arity != "many":
            raise InputError(f"{key} takes one value; use --set", key="--add")
        out.append(Change("add", key, value))
    for text in unsets:
        key, value = _pair(text, "KEY=VALUE", option="--unset") if "=" in text else (text.strip(), "")
        _check_component(voc, key, value or None, "--unset")
        out.append(Change("unset", key, value))
    for text in opens:
        key, values = _pair(text, "KEY=VALUE", option="--open") if "=" in text else (text.strip(), "")
        _check_component(voc, key, None, "--open")
        for value in filter(None, values.split(",")):
            _check_component(voc, key, value, "--open")
        out.append(Change("open", key, ",".join(v for v in values.split(",") if v)))
    for cid in rejects:
        if cid not in voc.claims:
            raise InputError(
                f"'{cid}' is not a claim",
                key="--reject-claim",
                suggestion=_suggest(cid, voc.claims),
                expected="a claim id (see argmap claims)",
            )
        out.append(Change("reject", cid))
    if as_of is not None:
        recorded = parse_date(as_of, voc)
        out.append(Change("as_of", str(recorded), asked=_asked(as_of, recorded)))
    for text in actor_as_of:
        _need(voc, "stances", "--as-of-actor")
        actor, date = _pair(text, "ACTOR=DATE", option="--as-of-actor")
        _check_actor(voc, actor, "--as-of-actor")
        recorded = parse_date(date, voc, "--as-of-actor")
        out.append(Change("actor_as_of", actor, str(recorded), asked=_asked(date, recorded)))
    for text in stances:
        _need(voc, "stances", "--stance")
        left, position = _pair(text, "ACTOR.ISSUE=POSITION", option="--stance")
        actor, issue = _pair(left, "ACTOR.ISSUE=POSITION", ".", "--stance") if "." in left else (left, "")
        _check_actor(voc, actor, "--stance")
        if issue not in voc.positions:
            raise InputError(
                f"'{issue}' is not an issue",
                key="--stance",
                expected=one_of(voc.positions),
                suggestion=_suggest(issue, voc.positions),
            )
        if position not in voc.positions[issue]:
            raise InputError(
                f"'{position}' is not a position on {issue}",
                key="--stance",
                expected=one_of(voc.positions[issue]),
                suggestion=_suggest(position, voc.positions[issue]),
            )
        out.append(Change("stance", f"{actor}.{issue}", position))
    if not out and not allow_none:
        raise InputError(
            "no change given",
            expected="at least one of --set, --add, --unset, --open, --reject-claim, --as-of, --as-of-actor, --stance",
        )
    return out


def _suggest(word: str, choices: object) -> str | None:
    """A "did you mean", also for a near miss in another case (Exemptions, [Taxis])."""
    names = list(choices)  # type: ignore[call-overload]
    lowered = {n.lower(): n for n in names}
    if word.lower() in lowered:
        return lowered[word.lower()]
    return closest(word, names) or closest(word.lower(), names)


def _check_component(voc: Vocabulary, key: str, value: str | None, option: str) -> None:
    if key not in voc.components:
        raise InputError(
            f"'{key}' is not a component",
            key=option,
            expected=one_of(voc.components, 40),
            suggestion=_suggest(key, voc.components),
        )
    comp = voc.components[key]
    if value is not None and value not in comp.values:
        raise InputError(
            f"'{value}' is not a value of {key}",
            key=option,
            expected=one_of(comp.values),
            suggestion=_suggest(value, comp.values),
        )


def _check_actor(voc: Vocabulary, actor: str, option: str) -> None:
    if actor not in voc.actors:
        raise InputError(
            f"'{actor}' is not an actor",
            key=option,
            expected=one_of(voc.actors),
            suggestion=_suggest(actor, voc.actors),
        )
