"""Hard limits: grounding of user rule files in a child process, and solve timeouts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import argmap.engine.guard as guard
from argmap.engine.guard import probe
from argmap.engine.kbspec import KnowledgeBase
from argmap.model.errors import InputError
from cli_runner import run
from helpers import PROPOSALS, RULES

#: The real console script.
ENTRY = "import sys; sys.argv[0] = 'argmap'; from argmap.cli import entry; entry()"

PIGEONS = """
% 13 pigeons, 12 holes: tiny to ground, very hard to refute.
pigeon(1..13). hole(1..12).
1 { sits(P, H) : hole(H) } 1 :- pigeon(P).
:- sits(P1, H), sits(P2, H), P1 < P2.
"""


@pytest.fixture(autouse=True)
def fresh_probes() -> Iterator[None]:
    """Each test here starts a probe's child: no probe that passed in an earlier test is remembered."""
    guard.forget_passed()
    yield
    guard.forget_passed()


def test_probe_accepts_the_real_knowledge_base() -> None:
    probe(KnowledgeBase((str(RULES / "main.lp"),)), timeout=60)


@pytest.mark.parametrize(
    ("text", "line"),
    [("q(1).\n% blow-up\np(X) :- X = 1..100000000.\n", 3), ("n(0).\nn(X+1) :- n(X).\n", 2)],
    ids=["huge-interval", "unbounded-recursion"],
)
def test_probe_names_the_rule_that_blows_up(tmp_path: Path, text: str, line: int) -> None:
    bad = tmp_path / "bad.lp"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        probe(KnowledgeBase((str(bad),)), timeout=2)
    assert err.value.line == line
    assert err.value.path is not None and err.value.path.endswith("bad.lp")
    assert "grounding did not finish within 2 s" in err.value.message


@pytest.mark.parametrize("where", ["before", "after"], ids=["argmap --timeout", "check --timeout"])
def test_a_hard_solve_is_cut_by_timeout(tmp_path: Path, where: str) -> None:
    """--timeout given to argmap or, as users also type it, after the command name."""
    hard = tmp_path / "hard.lp"
    hard.write_text(PIGEONS, encoding="utf-8")
    args = ["--kb", RULES / "main.lp", "--kb", hard, PROPOSALS / "guaranteed_guarantees.yaml"]
    if where == "before":
        result = run("--timeout", "1", "check", *args)
    else:
        result = run("--timeout", "600", "check", "--timeout", "1", *args)  # the command's own wins
    assert result.exit_code == 2, result.output
    assert "solving did not finish within 1 s" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- the order of statements does not fool the probe
#: Rule files whose statements, ground one by one in file order, would each look harmless.
ORDERED = {
    "recursion-through-a-later-fact": ("p(X) :- q(X).\nq(1).\nq(X+1) :- p(X).\n", 1),
    "join-before-its-domain": ("blow(X, Y, Z) :- q(X), q(Y), q(Z).\nq(1..300).\n", 1),
}


@pytest.mark.parametrize("name", sorted(ORDERED))
def test_the_probe_grounds_in_dependency_order_not_file_order(tmp_path: Path, name: str) -> None:
    """(The rule file alone: what the shipped knowledge base adds is tested above and in test_hostile.py.)"""
    text, line = ORDERED[name]
    bad = tmp_path / "r.lp"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        probe(KnowledgeBase((str(bad),)), timeout=1)
    assert err.value.path is not None and err.value.path.endswith("r.lp"), err.value
    assert err.value.line == line
    assert "grounding did not finish within 1 s" in err.value.message


def test_the_probe_grounds_what_tracing_adds(tmp_path: Path) -> None:
    """Harmless for `check` (one atom), but `explain` records every one of its 9 million firings."""
    rules = tmp_path / "pairs.lp"
    rules.write_text("n(1..3000).\npp :- n(X), n(Y).\n", encoding="utf-8")
    kb = KnowledgeBase((str(rules),))
    probe(kb, timeout=5)  # untraced, it grounds at once
    with pytest.raises(InputError) as err:
        probe(kb, timeout=1, trace=True)
    assert (err.value.line, err.value.message) == (
        2,
        "grounding did not finish within 1 s (at the rule pp :- n(X); n(Y).)",
    )


def test_the_time_argmap_needs_for_its_own_rules_is_not_the_users(tmp_path: Path) -> None:
    """With the shipped knowledge base under a rule file, --timeout counts only the grounding the rule file
    feeds: half a second is enough for a rule file that grounds at once, on a loaded machine too."""
    extra = tmp_path / "extra.lp"
    extra.write_text("extra_fact(1..10).\n", encoding="utf-8")
    probe(KnowledgeBase((str(RULES / "main.lp"), str(extra))), timeout=0.5, trace=True)


def test_a_probe_under_a_low_inherited_memory_limit_still_runs(tmp_path: Path) -> None:
    """An inherited `ulimit -v` below the probe's own limit is kept, and a sound rule file still passes."""
    extra = tmp_path / "extra.lp"
    extra.write_text("extra_fact(1).\n", encoding="utf-8")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2, resource.RLIM_INFINITY))\n"
        "from argmap.engine.guard import probe\n"
        "from argmap.engine.kbspec import KnowledgeBase\n"
        "probe(KnowledgeBase((sys.argv[1], sys.argv[2])), timeout=60)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(RULES / "main.lp"), str(extra)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr


def test_timeout_reaches_the_workers_of_a_parallel_check(tmp_path: Path) -> None:
    """`check --jobs 2`: each worker bounds its solves by --timeout (the real console script)."""
    hard = tmp_path / "hard.lp"
    hard.write_text(PIGEONS, encoding="utf-8")
    files = [PROPOSALS / "guaranteed_guarantees.yaml", PROPOSALS / "european_reassurance_force.yaml"]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            ENTRY,
            "--timeout",
            "2",
            "check",
            "-j",
            "2",
            "--kb",
            RULES / "main.lp",
            "--kb",
            hard,
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr
    for path, line in zip(files, lines, strict=True):
        assert line.startswith(f"argmap: {path}: error: --timeout: solving did not finish within 2 s"), line


def test_a_blowup_under_a_parallel_check_is_stopped_before_any_worker_grounds_it(tmp_path: Path) -> None:
    slow = tmp_path / "slow.lp"
    slow.write_text("n(1..3000).\nnothing :- n(X), n(Y), n(Z), X + Y + Z < 0.\n", encoding="utf-8")
    files = [PROPOSALS / "guaranteed_guarantees.yaml", PROPOSALS / "european_reassurance_force.yaml"]
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "--timeout", "1", "check", "-j", "2", "--kb", slow, *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "grounding did not finish within 1 s" in done.stderr, done.stderr


def test_timeout_reaches_the_solves_of_lint(tmp_path: Path) -> None:
    """`lint` judges the project's proposals; a layer clasp cannot refute in time ends each solve at
    --timeout, reported as a finding on the proposal (issue 11: lint ignored --timeout)."""
    hard = tmp_path / "hard.lp"
    hard.write_text(PIGEONS, encoding="utf-8")
    (tmp_path / "proposals").mkdir()
    (tmp_path / "proposals" / "one.yaml").write_bytes((PROPOSALS / "guaranteed_guarantees.yaml").read_bytes())
    (tmp_path / "argmap.toml").write_text('proposals = ["proposals"]\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "--timeout", "2", "lint", "--kb", RULES / "main.lp", "--layer", hard],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    assert "one.yaml:1: AM011 --timeout: solving did not finish within 2 s" in done.stdout + done.stderr


# ---------------------------------------------------------------- a process remembers the probes that passed
@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The files of each probe that started a child, in order (the probe itself runs as always)."""
    started: list[tuple[str, ...]] = []
    real = guard._run_probe

    def counting(kb: KnowledgeBase, **kwargs: object) -> bool:
        started.append(kb.files)
        return real(kb, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(guard, "_run_probe", counting)
    return started


def test_a_passed_probe_is_not_run_again_for_the_same_text(tmp_path: Path, children: list[tuple[str, ...]]) -> None:
    """The same text under the same settings is probed once a process, wherever the file lies."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "kb.lp", tmp_path / "b" / "kb.lp"
    for path in (first, second):
        path.write_text("item(1..3).\nkept(X) :- item(X).\n", encoding="utf-8")
    probe(KnowledgeBase((str(first),)), timeout=5)
    probe(KnowledgeBase((str(first),)), timeout=5)
    probe(KnowledgeBase((str(second),)), timeout=5)
    assert len(children) == 1


def test_a_changed_byte_is_probed_again_whatever_its_size_and_time(
    tmp_path: Path, children: list[tuple[str, ...]]
) -> None:
    """A rule file that changed is probed again, even with its old size and modification time;
    so is one whose included file changed."""
    entry, part = tmp_path / "main.lp", tmp_path / "part.lp"
    entry.write_text('#include "part.lp".\nkept(X) :- item(X).\n', encoding="utf-8")
    part.write_text("item(1..3).\n", encoding="utf-8")
    kb = KnowledgeBase((str(entry),))
    probe(kb, timeout=5)
    stat = part.stat()
    part.write_text("item(1..9).\n", encoding="utf-8")  # the same size
    os.utime(part, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time
    probe(kb, timeout=5)
    assert len(children) == 2
    part.write_text("n(0).\nn(X+1) :- n(X).\n", encoding="utf-8")
    with pytest.raises(InputError, match="grounding did not finish within 1 s"):
        probe(kb, timeout=1)
    assert len(children) == 3


def test_a_failed_probe_is_never_remembered(tmp_path: Path, children: list[tuple[str, ...]]) -> None:
    bad = tmp_path / "bad.lp"
    bad.write_text("n(0).\nn(X+1) :- n(X).\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError, match="grounding did not finish within 1 s"):
            probe(KnowledgeBase((str(bad),)), timeout=1)
    assert len(children) == 2


def test_other_settings_are_probed_again(tmp_path: Path, children: list[tuple[str, ...]]) -> None:
    """A passed probe answers only for its own timeout, tracing and mode."""
    path = tmp_path / "kb.lp"
    path.write_text("item(1..3).\n", encoding="utf-8")
    kb = KnowledgeBase((str(path),))
    probe(kb, timeout=5)
    probe(kb, timeout=6)
    probe(kb, timeout=5, trace=True)
    probe(kb, timeout=5, mode="repair")
    probe(kb, timeout=5)
    assert len(children) == 4
