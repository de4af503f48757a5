"""Counterfactuals: change a proposal, a stance or a claim, and compare verdicts.

A change never rebuilds the program: it only changes which input externals are
assumed true for the next solve on the same ground program.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

from .engine import BASELINE, Engine, Vocabulary, World
from .errors import InputError, closest, one_of
from .model import Proposal, Reason, Verdict
from .verdicts import evaluate

#: The verdict fields a what-if compares, with their display names.
FIELDS: tuple[tuple[str, str], ...] = (
    ("consistent", "consistent"),
    ("credible", "credible"),
    ("risk", "risk"),
    ("feasible_now", "feasible now"),
    ("precondition_met", "precondition"),
)
#: Which reasons belong to which verdict field.
_REASON_VERDICT = {
    "credible": "credible",
    "risk": "risk",
    "feasible_now": "feasible_now",
    "precondition_met": "precondition",
}


@dataclass(frozen=True)
class Change:
    """One change: op is set, add, unset, open, reject, as_of, actor_as_of or stance."""

    op: str
    key: str
    value: str = ""

    def __str__(self) -> str:
        return {
            "set": f"set {self.key}={self.value}",
            "add": f"add {self.key}={self.value}",
            "unset": f"unset {self.key}" + (f"={self.value}" if self.value else ""),
            "open": f"leave {self.key} open",
            "reject": f"reject claim {self.key}",
            "as_of": f"stances as of {_day(self.key)}",
            "actor_as_of": f"{self.key}'s stances as of {_day(self.value)}",
            "stance": f"{self.key} takes {self.value}",
        }[self.op]


def _day(date: str) -> str:
    """20250228 as 2025-02-28 (00 for an unknown month or day is kept)."""
    return f"{date[:4]}-{date[4:6]}-{date[6:]}" if len(date) == 8 else date


def _pair(text: str, what: str, sep: str = "=") -> tuple[str, str]:
    if sep not in text:
        raise InputError(f"'{text}' is not {what}", expected=f"{what} such as {_EXAMPLES[what]}")
    left, right = text.split(sep, 1)
    return left.strip(), right.strip()


_EXAMPLES = {
    "KEY=VALUE": "us_role=backstop",
    "ACTOR=DATE": "us=2025-02-28",
    "ACTOR.ISSUE=POSITION": "russia.coalition_guarantees=accept",
}


def parse_date(text: str, voc: Vocabulary) -> int:
    """A date (YYYY-MM-DD, YYYY-MM or YYYYMMDD) as the latest stance snapshot on or before it."""
    digits = re.sub(r"-", "", text.strip())
    if not re.fullmatch(r"\d{6}|\d{8}", digits):
        raise InputError(f"'{text}' is not a date", expected="YYYY-MM-DD, YYYY-MM or YYYYMMDD")
    try:
        datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]) if len(digits) == 8 else 1)
    except ValueError:
        raise InputError(
            f"'{text}' is not a date on the calendar", expected="YYYY-MM-DD, YYYY-MM or YYYYMMDD"
        ) from None
    day = int(digits if len(digits) == 8 else digits + "99")
    earlier = [d for d in voc.snapshots if d <= day]
    if not earlier:
        first = _day(str(voc.snapshots[0])) if voc.snapshots else "?"
        raise InputError(f"no stance is recorded on or before {text}", expected=f"a date from {first} on")
    return earlier[-1]


def _check_component(voc: Vocabulary, key: str, value: str | None) -> None:
    if key not in voc.components:
        raise InputError(
            f"'{key}' is not a component",
            key=key,
            expected=one_of(voc.components, 40),
            suggestion=closest(key, voc.components),
        )
    if value is not None and value not in voc.components[key].values:
        allowed = voc.components[key].values
        raise InputError(
            f"'{value}' is not a value of {key}", key=key, expected=one_of(allowed), suggestion=closest(value, allowed)
        )


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

    With `allow_none`, no change at all is fine (a scenario's `changes: {}`).
    """
    out: list[Change] = []
    for text in sets:
        key, value = _pair(text, "KEY=VALUE")
        _check_component(voc, key, value)
        out.append(Change("set", key, value))
    for text in adds:
        key, value = _pair(text, "KEY=VALUE")
        _check_component(voc, key, value)
        if voc.components[key].arity != "many":
            raise InputError(f"{key} takes one value; use --set", key=key)
        out.append(Change("add", key, value))
    for text in unsets:
        key, value = _pair(text, "KEY=VALUE") if "=" in text else (text.strip(), "")
        _check_component(voc, key, value or None)
        out.append(Change("unset", key, value))
    for key in opens:
        _check_component(voc, key, None)
        out.append(Change("open", key))
    for cid in rejects:
        if cid not in voc.claims:
            raise InputError(
                f"'{cid}' is not a claim",
                key="--reject-claim",
                suggestion=closest(cid, voc.claims),
                expected="a claim id (see argmap claims)",
            )
        out.append(Change("reject", cid))
    if as_of is not None:
        out.append(Change("as_of", str(parse_date(as_of, voc))))
    for text in actor_as_of:
        actor, date = _pair(text, "ACTOR=DATE")
        _check_actor(voc, actor)
        out.append(Change("actor_as_of", actor, str(parse_date(date, voc))))
    for text in stances:
        left, position = _pair(text, "ACTOR.ISSUE=POSITION")
        actor, issue = _pair(left, "ACTOR.ISSUE=POSITION", ".") if "." in left else (left, "")
        _check_actor(voc, actor)
        if issue not in voc.positions:
            raise InputError(
                f"'{issue}' is not an issue",
                key="--stance",
                expected=one_of(voc.positions),
                suggestion=closest(issue, voc.positions),
            )
        if position not in voc.positions[issue]:
            raise InputError(
                f"'{position}' is not a position on {issue}",
                key="--stance",
                expected=one_of(voc.positions[issue]),
                suggestion=closest(position, voc.positions[issue]),
            )
        out.append(Change("stance", f"{actor}.{issue}", position))
    if not out and not allow_none:
        raise InputError(
            "no change given",
            expected="at least one of --set, --add, --unset, --open, --reject-claim, --as-of, --as-of-actor, --stance",
        )
    return out


def _check_actor(voc: Vocabulary, actor: str) -> None:
    if actor not in voc.actors:
        raise InputError(
            f"'{actor}' is not an actor", expected=one_of(voc.actors), suggestion=closest(actor, voc.actors)
        )


def apply_changes(proposal: Proposal, world: World, changes: list[Change], voc: Vocabulary) -> tuple[Proposal, World]:
    """The proposal and world after the changes (inputs only; nothing is derived here)."""
    settings = set(proposal.settings)
    opened = set(proposal.open)
    rejected = set(world.rejected)
    as_of = world.as_of
    actor_as_of = dict(world.actor_as_of)
    stances = {(a, i): p for a, i, p in world.stances}
    for ch in changes:
        if ch.op == "set":
            settings = {(k, v) for k, v in settings if k != ch.key} | {(ch.key, ch.value)}
            opened.discard(ch.key)
        elif ch.op == "add":
            settings.add((ch.key, ch.value))
        elif ch.op == "unset":
            settings = {(k, v) for k, v in settings if k != ch.key or (ch.value and v != ch.value)}
            opened.discard(ch.key)
        elif ch.op == "open":
            if voc.components[ch.key].arity != "many":
                settings = {(k, v) for k, v in settings if k != ch.key}
            opened.add(ch.key)
        elif ch.op == "reject":
            rejected.add(ch.key)
        elif ch.op == "as_of":
            as_of = int(ch.key)
        elif ch.op == "actor_as_of":
            actor_as_of[ch.key] = int(ch.value)
        elif ch.op == "stance":
            actor, issue = ch.key.split(".", 1)
            stances[(actor, issue)] = ch.value
    new_proposal = replace(proposal, settings=tuple(sorted(settings)), open=tuple(sorted(opened)))
    if proposal.phases:
        # A change to the proposal applies to every phase of a roadmap.
        phases = []
        for phase in proposal.phases:
            changed, _ = apply_changes(
                replace(proposal, settings=phase.settings, phases=()),
                world,
                [c for c in changes if c.op in ("set", "add", "unset")],
                voc,
            )
            phases.append(replace(phase, settings=changed.settings))
        new_proposal = replace(new_proposal, phases=tuple(phases))
    new_world = World(
        tuple(sorted(rejected)),
        as_of,
        tuple(sorted(actor_as_of.items())),
        tuple(sorted((a, i, p) for (a, i), p in stances.items())),
    )
    return new_proposal, new_world


@dataclass(frozen=True)
class Flip:
    field: str
    before: str
    after: str
    gone: tuple[Reason, ...]
    new: tuple[Reason, ...]


@dataclass(frozen=True)
class WhatIf:
    changes: tuple[Change, ...]
    before: Verdict
    after: Verdict
    flips: tuple[Flip, ...]


def value_of(v: Verdict, name: str) -> str:
    if name == "risk":
        return " or ".join(v.risk)
    return str(getattr(v, name))


def whatif(engine: Engine, proposal: Proposal, changes: list[Change], world: World = BASELINE) -> WhatIf:
    """Verdicts before and after `changes`, two solves on one ground program."""
    before = evaluate(engine, proposal, world)
    new_proposal, new_world = apply_changes(proposal, world, changes, engine.vocabulary)
    after = evaluate(engine, new_proposal, new_world)
    return WhatIf(tuple(changes), before, after, diff(before, after))


def diff(before: Verdict, after: Verdict) -> tuple[Flip, ...]:
    flips = []
    for name, _ in FIELDS:
        b, a = value_of(before, name), value_of(after, name)
        if b == a:
            continue
        verdict = _REASON_VERDICT.get(name)
        rb = {r for r in before.reasons if r.verdict == verdict}
        ra = {r for r in after.reasons if r.verdict == verdict}
        if name == "consistent":
            rb, ra = _conflict_reasons(before), _conflict_reasons(after)
        flips.append(Flip(name, b, a, tuple(sorted(rb - ra, key=str)), tuple(sorted(ra - rb, key=str))))
    return tuple(flips)


def _conflict_reasons(v: Verdict) -> set[Reason]:
    return {Reason("consistent", "con", c.basis, c.text, None, c.holds) for c in v.conflicts}
