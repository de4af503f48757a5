"""Shared helpers: repository paths, text normalisation, and a small clingo runner for rule files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import clingo
import pytest

from argmap import Claim

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
FACTS = ROOT / "facts"
PROPOSALS = ROOT / "proposals"
#: Set (to 1) in CI (.ci/run): a missing source text fails the tests that need it instead of skipping them.
REQUIRE_SOURCES = os.environ.get("ARGMAP_REQUIRE_SOURCES", "") not in ("", "0")


class _SourceText(type(Path())):  # type: ignore[misc]
    """The article's text, which lives outside the repository (../shared/sources/): reading it when it is
    absent skips the test and says why (fails it under ARGMAP_REQUIRE_SOURCES=1), never a FileNotFoundError."""

    def read_text(self, *args: Any, **kwargs: Any) -> str:
        if not self.is_file():
            why = f"the source text {self} is not here (it lives outside the repository, in ../shared/sources/)"
            if REQUIRE_SOURCES:
                pytest.fail(why + "; ARGMAP_REQUIRE_SOURCES is set, so it must be", pytrace=False)
            pytest.skip(why)
        return super().read_text(*args, **kwargs)


SOURCE = _SourceText(ROOT.parent / "shared" / "sources" / "solodkyy-2025-08-22-security-guarantees.txt")

#: argmap's prelude (has/2, accepted/1, current_stance/4, the roadmap inputs), loaded with every rule file.
PRELUDE = [ROOT / "src" / "argmap" / "lp" / name for name in ("prelude.lp", "stances.lp", "roadmap.lp")]

#: The rule files in dependency order: each reads only what the ones before it define.
RULE_ORDER = (
    "proposal",
    "consistency",
    "credibility",
    "models",
    "risk",
    "feasibility",
    "precondition",
    "warnings",
)


def _main_includes() -> list[Path]:
    """The files rules/main.lp includes, in its order (facts first, then rules)."""
    text = (RULES / "main.lp").read_text(encoding="utf-8")
    return [(RULES / name).resolve() for name in re.findall(r'^#include\s+"([^"]+)"\s*\.', text, flags=re.MULTILINE)]


_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def normalise(text: str) -> str:
    """Whitespace collapsed and typographic quotes made plain."""
    return " ".join(text.translate(_TYPOGRAPHIC).split())


def passages(claim: Claim) -> tuple[str, ...]:
    """The verbatim passages of a claim (one or more)."""
    quotes = getattr(claim, "quotes", None)
    return tuple(quotes) if quotes else (claim.quote,)


def proposal_paths() -> list[Path]:
    return sorted(PROPOSALS.glob("*.yaml"))


def rule_files(upto: str = RULE_ORDER[-1]) -> list[Path]:
    """What rules/main.lp includes, up to and including rules/`upto`.lp (so no #show)."""
    files = _main_includes()
    names = [f.relative_to(ROOT).as_posix() for f in files]
    target = f"rules/{upto}.lp"
    assert target in names, f"rules/main.lp does not include {target}"
    return files[: names.index(target) + 1]


def answer_sets(facts: str = "", *, upto: str = RULE_ORDER[-1], externals: Iterable[str] = ()) -> list[frozenset[str]]:
    """Every answer set (as str() of its atoms) of the rule files up to `upto` plus test facts.

    `facts` is ASP text written by the test; `externals` are atoms assigned true
    through clingo's external interface instead.
    """
    ctl = clingo.Control(["--warn=none", "0"])
    for path in [*rule_files(upto), *PRELUDE]:
        ctl.load(str(path))
    ctl.add("base", [], facts)
    ctl.ground([("base", [])])
    for atom in externals:
        ctl.assign_external(clingo.parse_term(atom), True)
    found: list[frozenset[str]] = []
    ctl.solve(on_model=lambda m: found.append(frozenset(str(s) for s in m.symbols(atoms=True))))
    return found


def atoms(facts: str = "", *, upto: str = RULE_ORDER[-1], externals: Iterable[str] = ()) -> frozenset[str]:
    """The atoms of the one answer set of a program with no open aspect."""
    found = answer_sets(facts, upto=upto, externals=externals)
    assert len(found) == 1, f"expected one answer set, got {len(found)}"
    return found[0]


def holds(found: Iterable[str], pattern: str) -> bool:
    """Whether an atom matches `pattern`: exactly, or by prefix when the pattern is cut short
    (ends in ',' or '(' or leaves a parenthesis open, as in 'reason(credible,con,x,"the start')."""
    if pattern.endswith((",", "(")) or pattern.count("(") > pattern.count(")"):
        return any(a.startswith(pattern) for a in found)
    return pattern in found


def check_atoms(found: frozenset[str], must: Iterable[str], must_not: Iterable[str]) -> None:
    missing = [p for p in must if not holds(found, p)]
    present = [p for p in must_not if holds(found, p)]
    assert not missing, f"expected atoms missing: {missing}"
    assert not present, f"unexpected atoms present: {present} in {sorted(a for a in found if _near(a, present))}"


def _near(atom: str, patterns: list[str]) -> bool:
    return any(atom.startswith(re.split(r"[(,]", p)[0]) for p in patterns)


def probe_without_child(kb: Any, **_: Any) -> float:
    """A stand-in for argmap.engine.guard.probe: the probe's reading of the rule files (an unreadable or
    refused file is an input error at once) without its child process; passed, in no time."""
    kb.sources()
    return 0.0


#: Options every test server gets: any free port, and no rate limit a test would notice.
SERVE_DEFAULTS = ("--port", "0", "--max-rate", "1000")


def start_serve(*args: str) -> tuple[subprocess.Popen[str], str, list[str]]:
    """`argmap serve --port 0 --max-rate 1000 ARGS` as a real process: the process, the URL it serves at,
    and the lines it wrote to standard error until then.

    Raises:
        AssertionError: it did not say where it serves within five minutes (the process is killed).
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", "from argmap.cli import entry; entry()", "serve", *SERVE_DEFAULTS, *args],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        found = re.search(r"at (http://\S+/)", line)
        if found:
            return proc, found.group(1), seen
    proc.kill()
    proc.wait()
    raise AssertionError("argmap serve did not start: " + "".join(seen))
