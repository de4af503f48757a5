"""Start-up of argmap's command line against clingo's own, whole processes, in one run.

    python bench/bench_startup.py [--runs 15] [--aspartix ASPARTIX_DIR]

Each pair is measured side by side (the runs interleaved, so a busy machine
slows both alike), as the median wall time of --runs whole processes:

- ``argmap --help`` against ``python -c "import clingo"``: listing the commands
  should cost about what importing clingo costs, not the engine's imports;
- ``argmap af ONE.apx -s S -t SE`` on a one-argument framework against
  ``python -m clingo ENCODING ONE.apx``, an ASPARTIX-style encoding of the same
  semantics on plain clingo: on a framework clingo solves at once, the
  difference is all start-up.  The stable and complete encodings are written
  here in ASPARTIX's guess-and-check style; with ``--aspartix DIR`` (a folder of
  the ASPARTIX-V encodings, see bench/bench_af.py for where they are published)
  its preferred encoding is timed as well, with the options ASPARTIX-V uses.

The console script is run as ``python SCRIPT`` (the one next to this Python),
so a version manager's shell shim does not count against argmap.  Each command
is timed twice over: wall time, and the CPU time (user + system) the process
used, which a busy machine inflates far less.  A ratio is argmap's median over
the baseline's.

argmap's own modules are compiled to bytecode first (``compileall``), as pip
does when it installs a package and as Python does on a first import.  Where
``PYTHONDONTWRITEBYTECODE`` is set (this sandbox sets it) and argmap is
installed editable, nothing else would write them, and every run would compile
argmap from source (about 17 ms a process here) while clingo's installed
modules load from bytecode.  ``--source`` skips that step, to see the cost.
A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

#: ASPARTIX-style encodings (guess in/out, check): stable and complete extensions.
STABLE = """\
in(X) :- arg(X), not out(X).
out(X) :- arg(X), not in(X).
:- in(X), in(Y), att(X,Y).
defeated(X) :- in(Y), att(Y,X).
:- out(X), not defeated(X).
#show in/1.
"""
COMPLETE = """\
in(X) :- arg(X), not out(X).
out(X) :- arg(X), not in(X).
:- in(X), in(Y), att(X,Y).
defeated(X) :- in(Y), att(Y,X).
not_defended(X) :- att(Y,X), not defeated(Y).
:- in(X), not_defended(X).
:- out(X), not not_defended(X), not defeated(X).
#show in/1.
"""
FRAMEWORK = "arg(a).\n"
DOMREC = ["--heuristic=Domain", "--enum-mode=domRec"]


def console_script() -> list[str]:
    """How to start the `argmap` console script without any shell shim in front of it."""
    script = Path(sysconfig.get_path("scripts")) / "argmap"
    if script.is_file():
        return [sys.executable, str(script)]
    found = shutil.which("argmap")
    if found is None:
        sys.exit("argmap is not installed (pip install -e .)")
    return [found]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: Sequence[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one whole process."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    spent = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    allowed = (0, 10, 20, 30) if "clingo" in command else (0,)  # clingo: satisfiable, unsatisfiable, exhausted
    if done.returncode not in allowed:
        sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}")
    return spent, cpu


def side_by_side(ours: Sequence[str], theirs: Sequence[str], runs: int) -> tuple[tuple[float, float], ...]:
    """(wall, CPU) medians of each command, the runs interleaved (one warm-up of each first)."""
    run_once(ours), run_once(theirs)
    mine: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    for _ in range(runs):
        mine.append(run_once(ours))
        base.append(run_once(theirs))
    return tuple((statistics.median(t[0] for t in ts), statistics.median(t[1] for t in ts)) for ts in (mine, base))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="processes per command (median)")
    parser.add_argument("--aspartix", type=Path, help="folder of the ASPARTIX-V encodings (adds preferred)")
    parser.add_argument("--source", action="store_true", help="do not compile argmap's modules to bytecode first")
    args = parser.parse_args(argv)
    if not args.source:
        import compileall

        import argmap as package

        compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)
    argmap = console_script()
    python = [sys.executable, "-c"]
    clingo = [sys.executable, "-m", "clingo", "--warn=none", "1"]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        apx = tmp / "one.apx"
        apx.write_text(FRAMEWORK, encoding="utf-8")
        (tmp / "stable.lp").write_text(STABLE, encoding="utf-8")
        (tmp / "complete.lp").write_text(COMPLETE, encoding="utf-8")
        pairs: list[tuple[str, str, list[str], list[str]]] = [
            ("argmap --help", "python -c 'import clingo'", [*argmap, "--help"], [*python, "import clingo"]),
            (
                "argmap af -s ST -t SE",
                "python -m clingo stable.lp",
                [*argmap, "af", str(apx), "-s", "ST", "-t", "SE"],
                [*clingo[:-1], str(tmp / "stable.lp"), str(apx), "1"],
            ),
            (
                "argmap af -s CO -t SE",
                "python -m clingo complete.lp",
                [*argmap, "af", str(apx), "-s", "CO", "-t", "SE"],
                [*clingo[:-1], str(tmp / "complete.lp"), str(apx), "1"],
            ),
        ]
        if args.aspartix is not None:
            preferred = args.aspartix / "pr" / "preferred.lp"
            if not preferred.is_file():
                parser.error(f"{args.aspartix}: not a folder of the ASPARTIX-V encodings (no pr/preferred.lp)")
            pairs.append(
                (
                    "argmap af -s PR -t SE",
                    "python -m clingo pr/preferred.lp (ASPARTIX-V)",
                    [*argmap, "af", str(apx), "-s", "PR", "-t", "SE"],
                    [*clingo[:-1], *DOMREC, str(preferred), str(apx), "1"],
                )
            )
        compiled = "from source (--source)" if args.source else "compiled to bytecode first"
        head = f"python {sys.version.split()[0]}; argmap: {' '.join(argmap)}, {compiled}"
        print(f"{head}; medians of {args.runs} runs each\n")
        print(f"{'':71} {'wall (median)':^24}   {'CPU (median)':^24}")
        columns = f"{'argmap':>7} {'base':>7} {'ratio':>6}"
        print(f"{'argmap':24} {'baseline':46} {columns}   {columns}")
        for name, base_name, ours, theirs in pairs:
            (wall, cpu), (base_wall, base_cpu) = side_by_side(ours, theirs, args.runs)
            print(
                f"{name:24} {base_name:46} {wall * 1000:5.0f}ms {base_wall * 1000:5.0f}ms {wall / base_wall:5.2f}x"
                f"   {cpu * 1000:5.0f}ms {base_cpu * 1000:5.0f}ms {cpu / base_cpu:5.2f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
