"""`argmap --timeout` bounds `argmap af`: reading, grounding and solving; and `argmap af` starts light.

The command-line cases run argmap as a real process: a grounding cut short
leaves clingo running in a helper thread, and the process then ends at once
(os._exit), which a test runner in the same process would not survive.  No
test here measures a time: each checks that the run ends (within a bound far
above the timeout, for a loaded two-core machine) and what it says.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from argmap.af import Deadline, Framework, TaskTimeoutError, parse_framework, solve

ENTRY = "import sys; from argmap.cli import entry; sys.argv[0] = 'argmap'; entry()"
#: Far above any timeout used here: the run must end, not run on.
BOUND = 120


def argmap(*args: str, timeout: float = BOUND) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def pairs(n: int) -> str:
    """n pairs of mutually attacking arguments: 2**n preferred extensions."""
    return f"p af {2 * n}\n" + "".join(f"{2 * i + 1} {2 * i + 2}\n{2 * i + 2} {2 * i + 1}\n" for i in range(n))


def test_a_million_arguments_end_at_the_timeout(tmp_path: Path) -> None:
    """Grounding a million arguments with complete.lp takes clingo longer than the timeout: cut."""
    path = tmp_path / "m.i23"
    path.write_text("p af 1000000\n", encoding="utf-8")
    done = argmap("--timeout", "1", "af", str(path), "-s", "CO", "-t", "EE")
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert f"argmap: {path}: error: --timeout: the task did not finish within 1 s" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_grounded_extension_of_a_million_arguments_ends(tmp_path: Path) -> None:
    """Issue 11's case: it used to run on past --timeout 5; it ends, with the answer or the timeout."""
    path = tmp_path / "m.i23"
    path.write_text("p af 1000000\n", encoding="utf-8")
    done = argmap("--timeout", "5", "af", str(path), "-s", "GR", "-t", "SE")
    assert done.returncode in (0, 2), done.stderr
    if done.returncode == 0:
        assert done.stdout.startswith("w 1 2 3 ") and done.stdout.endswith(" 1000000\n")
    else:
        assert "did not finish within 5 s" in done.stderr


def test_every_preferred_extension_of_40_pairs_ends_at_the_timeout_on_either_path(tmp_path: Path) -> None:
    """The quick path (a plain command line) and click (options it does not take: `--fo`, `--`) agree."""
    path = tmp_path / "pairs.i23"
    path.write_text(pairs(40), encoding="utf-8")
    quick = argmap("--timeout", "2", "af", str(path), "-s", "PR", "-t", "EE")
    slow = argmap("--timeout", "2", "af", "--fo", "i23", "--semantics", "PR", "--task", "EE", "--", str(path))
    assert quick.returncode == slow.returncode == 2, (quick.stderr, slow.stderr)
    assert "Traceback" not in quick.stderr + slow.stderr
    assert quick.stdout == slow.stdout == ""
    assert quick.stderr.split(" s (")[0] == slow.stderr.split(" s (")[0]
    assert quick.stderr.startswith(f"argmap: {path}: error: --timeout: the task did not finish within 2 s (")


def test_a_solve_past_the_deadline_raises_in_process() -> None:
    framework = parse_framework(pairs(40), "i23")
    with pytest.raises(TaskTimeoutError, match=r"did not finish within 0.5 s \(solving|reading"):
        solve(framework, "PR", "EE", deadline=Deadline(0.5))


@pytest.mark.parametrize("semantics", ["SST", "STG", "PR"])
def test_the_loops_of_range_and_preferred_reasoning_stop_too(semantics: str) -> None:
    """SST, STG (range-maximality loops) and DS under PR (counterexample loop) check the deadline."""
    framework = parse_framework(pairs(40), "i23")
    with pytest.raises(TaskTimeoutError):
        solve(framework, semantics, "EE", deadline=Deadline(0.5))


def test_reading_checks_the_deadline() -> None:
    text = "p af 2\n" + "1 2\n" * 200_000
    with pytest.raises(TaskTimeoutError, match="reading the framework"):
        parse_framework(text, "i23", deadline=Deadline(0.0))


def test_no_deadline_no_limit() -> None:
    framework = Framework(("a", "b"), frozenset({(0, 1), (1, 0)}), fmt="apx")
    assert len(solve(framework, "PR", "EE", deadline=Deadline(None)).extensions) == 2


# ------------------------------------------------------------------ start-up
HEAVY = ("argmap.engine", "argmap.api", "argmap.render", "argmap.graph", "argmap.report", "xml.sax", "urllib.request")


@pytest.mark.parametrize(
    "args",
    [
        ["af", "tests/data/af/sample.apx", "-s", "PR", "-t", "EE"],
        ["--timeout", "5", "af", "tests/data/af/sample.i23", "--semantics=st", "--task=DS", "--arg=4"],
        ["af", "tests/data/af/sample.apx", "-s", "PR", "-t", "DC"],  # a usage error: click answers
    ],
    ids=["quick", "quick-with-timeout", "click"],
)
def test_af_loads_neither_engine_nor_renderers(args: list[str]) -> None:
    """What `argmap af` imports, seen from inside the process (the console script's entry point)."""
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n'))\n" + ENTRY
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        capture_output=True,
        text=True,
        timeout=BOUND,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode in (0, 2), done.stderr
    modules = done.stderr.rsplit("MODULES ", 1)[1].split()
    loaded = [m for m in modules if m.startswith(HEAVY) or m in ("argmap.render_graph", "argmap.render_explain")]
    assert not loaded, f"argmap af imported {loaded}"
    assert "argmap.af.semantics" in modules or "click" in modules
