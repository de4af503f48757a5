"""Grounded engines, kept per process: ground once, even across Argmap objects.

A test suite, a web page or an embedding program may open the same knowledge
base many times; grounding it again each time is the slow part.  An engine is
kept here by what makes it (the knowledge base's files, tracing, mode, extra
facts) and reused while none of the files it read has changed (their size and
modification time are compared).  A knowledge base that is not argmap's own is
probed (:mod:`argmap.engine.guard`) before its first grounding only; a probe
that passed for the same texts and settings is not run again
(:func:`argmap.engine.guard.probe`).

Engines are not thread-safe: callers that share one across threads serialise
their use of it (the web server does).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence

import clingo

from .control import Engine, GroundBudget
from .kbspec import KnowledgeBase

#: How many grounded engines a process keeps (the least recently used go first).
LIMIT = 8

_CACHE: OrderedDict[tuple[object, ...], tuple[Engine, tuple[tuple[str, int, int], ...]]] = OrderedDict()


def _stamps(paths: Sequence[str]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            return ()
        out.append((path, info.st_mtime_ns, info.st_size))
    return tuple(out)


def engine_for(
    kb: KnowledgeBase,
    *,
    trace: bool = False,
    mode: str = "judge",
    facts: Sequence[clingo.Symbol] = (),
    timeout: float | None = None,
) -> Engine:
    """A grounded engine for `kb` with these settings: a kept one if its files are unchanged, else a new one.

    Raises:
        InputError: the knowledge base does not load, or its grounding blows up (the probe).
    """
    # The root is resolved so that the shipped knowledge base named with or
    # without its root (KnowledgeBase.shipped() vs --kb rules/main.lp) is one engine.
    key = (kb.identity(), trace, mode, tuple(facts))
    found = _CACHE.get(key)
    if found is not None:
        engine, stamps = found
        if stamps and _stamps([p for p, _, _ in stamps]) == stamps:
            _CACHE.move_to_end(key)
            engine.timeout = timeout
            return engine
        del _CACHE[key]
    budget = None
    if not kb.is_shipped:
        from .guard import GROUND_SECONDS, probe

        used = probe(kb, timeout=timeout, trace=trace, mode=mode, facts=facts)
        if used is not None:
            # One budget for the grounding of the user's rules: what the probe spent of it, and the rest here.
            budget = GroundBudget(timeout or GROUND_SECONDS, used)
    engine = Engine(kb, trace=trace, mode=mode, facts=facts, timeout=timeout, ground_budget=budget)
    _CACHE[key] = (engine, _stamps(engine.source_paths))
    while len(_CACHE) > LIMIT:
        _CACHE.popitem(last=False)
    return engine


def clear() -> None:
    """Forget every kept engine."""
    _CACHE.clear()
