"""Grounding untrusted rule files under a hard limit, in a child process.

clingo cannot interrupt grounding from inside the process, so a rule such as
``p(X) :- X = 1..100000000.`` or an unbounded recursion would hang argmap or
exhaust memory.  Before argmap grounds rule files a user passes with ``--kb``,
it grounds them once in a child process with a time limit and a memory limit.
The child grounds every statement as its own program part, in order, and
reports each one before grounding it, so when the limit is hit the parent
knows the file and line of the rule that blew up.  (Part-by-part grounding is
only a diagnostic: the parent then grounds the whole program normally.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

from .errors import InputError

#: Defaults for a probe: seconds of grounding, and megabytes of address space.
GROUND_SECONDS = 60.0
MEMORY_MB = 4096


def probe(files: Sequence[str], *, seconds: float = GROUND_SECONDS, memory_mb: int = MEMORY_MB) -> None:
    """Ground `files` in a child process; raise InputError naming the rule if it blows up."""
    command = [sys.executable, "-m", "argmap.guard", str(memory_mb), *map(os.path.abspath, files)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired as exc:
        where = _last_marker(exc.stdout)
        raise InputError(
            f"grounding did not finish within {seconds:g} s" + (f" (at the rule {where[2]})" if where else ""),
            path=where[0] if where else None,
            line=where[1] if where else None,
            expected="a rule whose grounding is finite and small (bound every variable by a finite domain)",
        ) from None
    if done.returncode != 0:
        where = _last_marker(done.stdout)
        reason = "ran out of memory" if "MEMORY" in done.stdout else "failed"
        raise InputError(
            f"grounding {reason} (limit {memory_mb} MB)" + (f" at the rule {where[2]}" if where else ""),
            path=where[0] if where else None,
            line=where[1] if where else None,
        )


def _last_marker(stdout: str | bytes | None) -> tuple[str, int, str] | None:
    if isinstance(stdout, bytes):
        stdout = stdout.decode("utf-8", "replace")
    for line in reversed((stdout or "").splitlines()):
        if line.startswith("GROUNDING\t"):
            _, path, lineno, text = line.split("\t", 3)
            return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else path, int(lineno), text
    return None


def _child(memory_mb: int, files: list[str]) -> int:
    import resource

    import clingo
    from clingo import ast

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    statements: list[ast.AST] = []
    ctl = clingo.Control(["--warn=none"], logger=lambda code, msg: None)
    try:
        ast.parse_files(files, statements.append)
    except RuntimeError:
        return 0  # syntax errors are reported, with their position, by the normal load
    parts: list[tuple[str, ast.AST]] = []
    try:
        with ast.ProgramBuilder(ctl) as builder:
            for i, stm in enumerate(statements):
                if stm.ast_type == ast.ASTType.Program:
                    continue
                loc = stm.location
                name = f"argmap_guard_{i}"
                builder.add(ast.Program(loc, name, []))
                builder.add(stm)
                parts.append((name, stm))
    except RuntimeError:
        return 0
    for name, stm in parts:
        loc = stm.location.begin
        text = " ".join(str(stm).split())[:120]
        print(f"GROUNDING\t{loc.filename}\t{loc.line}\t{text}", flush=True)
        try:
            ctl.ground([(name, [])])
        except MemoryError:
            print("MEMORY", flush=True)
            return 3
        except RuntimeError as exc:
            if "bad_alloc" in str(exc) or "memory" in str(exc).lower():
                print("MEMORY", flush=True)
                return 3
            return 0  # a grounding error is reported, with its position, by the normal load
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(_child(int(sys.argv[1]), sys.argv[2:]))
