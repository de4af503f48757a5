"""argmap af against ASPARTIX and pygarg on random argumentation frameworks, in one run.

    python bench/bench_af.py ASPARTIX_DIR [--runs 3] [--timeout 60] [--instances d200,s1000]
                             [--semantics PR,SST] [--tasks SE,DS] [--in-process]

Three solvers answer the same ICCMA tasks (SE, EE, DC, DS) under CO, GR, PR, ST,
SST, STG and ID on the same frameworks, each as a whole process, start-up included:

- argmap: ``argmap af FILE -s SEM -t TASK`` (the installed console script);
  ``--in-process`` adds a column timing ``argmap.af.solve`` alone, after reading.
- ASPARTIX: the published ASPARTIX encodings on plain ``python -m clingo``, each
  task run as ASPARTIX-V's ICCMA interface runs it (one clingo call, or for SST
  and STG one call for the maximal ranges, then one per range).  They are not part
  of argmap: ASPARTIX_DIR is a folder of the ASPARTIX-V (2021) encodings, as
  published by the DBAI group at TU Wien
  (https://www.dbai.tuwien.ac.at/research/argumentation/aspartix/dung.html), with
  its subfolders co/, gr/, pr/, st/, sst/, stg/ and id/ (ID needs both of
  id/labBased_comp.dl and id/ideal-fixed-point.lp; a missing file stops the
  run, as clingo itself would report it and exit 0).  Its DC and DS under ID
  need clingo 4.4; here they are its SE pipeline followed by a membership test.
  The ICCMA 2019 release of ASPARTIX-V (the competition's solver archive) has
  the same encodings in one folder: encodings/{complete,grounded,preferred,
  sakama-rienstra,stable,heuristic_semi,heuristic_stage,labBased_comp,
  ideal-fixed-point}.lp, and each range's stable.lp under scripts/semi/ and
  scripts/stage/; put them in the subfolders above (its SE under SST and STG
  runs heuristic_semi.lp and heuristic_stage.lp, so those serve as
  sst/semi_some_extension.lp and stg/stage_some_extension.lp).
- pygarg: the SAT-based engine (``pip install -e '.[bench]'``), ``python -m pygarg``;
  it has no stage semantics.

Frameworks are random with a fixed seed: N arguments and about K*N distinct
attacks drawn uniformly (self-attacks possible), written as apx with arguments
a0..a(N-1).  DC and DS ask about a(N/3).  Each measurement is the median of
--runs runs; a run past --timeout counts as unfinished ("-").  Answers are
checked to agree: YES/NO must match, EE must give the same set of extensions,
and an SE extension must be among argmap's EE extensions when those are known
(else only "some" against "none").  The ratio is argmap's median time over the
faster peer's on the same instance and task.  A benchmark, not a test: nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# name: (arguments, attacks per argument)
INSTANCES = {
    "d200": (200, 10),
    "s1000": (1000, 5),
    "d500": (500, 10),
    "x1000": (1000, 50),
    "s2000": (2000, 5),
}
SEMANTICS = ("CO", "GR", "PR", "ST", "SST", "STG", "ID")
TASKS = ("SE", "EE", "DC", "DS")
SEED = 20250822

Answer = str | bool | frozenset[str] | frozenset[frozenset[str]] | None  # "NO", YES/NO, one or every extension


@dataclass
class Result:
    times: list[float] = field(default_factory=list)
    answer: Answer = None
    finished: bool = True
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.finished and self.times else None


# ------------------------------------------------------------------ frameworks
def generate(n: int, per: int, seed: int) -> list[tuple[int, int]]:
    rnd = random.Random(seed)
    attacks: set[tuple[int, int]] = set()
    while len(attacks) < n * per:
        attacks.add((rnd.randrange(n), rnd.randrange(n)))
    return sorted(attacks)


def write_apx(path: Path, n: int, attacks: list[tuple[int, int]]) -> None:
    lines = [f"arg(a{i})." for i in range(n)] + [f"att(a{a},a{b})." for a, b in attacks]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ------------------------------------------------------------------ running
def timed(command: Sequence[str], timeout: float, stdin: str | None = None) -> tuple[float, str] | None:
    """Wall time and standard output of a process, or None past the timeout."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 10, 20, 30):
        raise RuntimeError(f"{' '.join(command[:6])}... exited {done.returncode}: {done.stderr[-500:]}")
    return elapsed, done.stdout


def _set(items: list[str]) -> frozenset[str]:
    return frozenset(item for item in items if item)


# argmap ---------------------------------------------------------------
def argmap_command() -> list[str]:
    found = shutil.which("argmap")
    return [found] if found else [sys.executable, "-c", "from argmap.cli import entry; entry()"]


def parse_iccma19(task: str, out: str) -> Answer:
    text = out.strip()
    if task in ("DC", "DS"):
        return text == "YES"
    if text == "NO":
        return "NO"
    if task == "SE":
        return _set(text[1:-1].split(","))
    inner = text[1:-1]
    return frozenset(_set(part.strip("[]").split(",")) for part in inner.split("],[")) if inner else frozenset()


# ASPARTIX ------------------------------------------------------------------
CLINGO = [sys.executable, "-m", "clingo", "--outf=2", "--warn=none"]
DOMREC = ["--heuristic=Domain", "--enum-mode=domRec"]


def _clingo(files: Sequence[Path], options: Sequence[str], stdin: str, deadline: float) -> tuple[float, dict]:
    missing = [str(f) for f in files if not f.is_file()]
    if missing:  # `python -m clingo` reports a missing file and still exits 0, with no answer sets
        raise SystemExit(f"bench_af: no ASPARTIX encoding {', '.join(missing)} (see the docstring for the layout)")
    left = deadline - time.perf_counter()
    if left <= 0:
        raise TimeoutError
    got = timed([*CLINGO, *options, *map(str, files), "-"], left, stdin)
    if got is None:
        raise TimeoutError
    return got[0], json.loads(got[1])


def _witnesses(data: dict) -> list[list[str]]:
    calls = data.get("Call", [])
    return [w.get("Value", []) for call in calls for w in call.get("Witnesses", [])]


def _members(atoms: list[str], name: str = "in") -> frozenset[str]:
    return frozenset(a[len(name) + 1 : -1] for a in atoms if a.startswith(name + "("))


def aspartix(folder: Path, apx: Path, sem: str, task: str, query: str, timeout: float) -> tuple[float, Answer]:
    """One ICCMA task the way ASPARTIX-V's interface runs it, on `python -m clingo`."""
    facts = apx.read_text(encoding="utf-8")
    deadline = time.perf_counter() + timeout
    total = 0.0

    def run(files: Sequence[str], options: Sequence[str] = (), extra: str = "") -> dict:
        nonlocal total
        spent, data = _clingo([folder / f for f in files], options, extra + "\n" + facts, deadline)
        total += spent
        return data

    def sat(data: dict) -> bool:
        return data["Result"] == "SATISFIABLE"

    def one(files: Sequence[str], options: Sequence[str] = ()) -> Answer:
        found = _witnesses(run(files, [*options, "1"]))
        return _members(found[0]) if found else "NO"

    def every(files: Sequence[str], options: Sequence[str] = (), extra: str = "") -> frozenset[frozenset[str]]:
        return frozenset(_members(w) for w in _witnesses(run(files, [*options, "0"], extra)))

    accept, reject = f":- not in({query}).", f":- in({query})."
    answer: Answer
    if sem in ("GR", "CO") and task == "SE":
        answer = one(["gr/grounded.lp"])
    elif sem == "GR" and task == "EE":
        answer = frozenset([one(["gr/grounded.lp"])])  # type: ignore[list-item]
    elif sem == "GR" and task in ("DC", "DS"):
        answer = sat(run(["gr/grounded.lp"], ["1"], accept))
    elif sem in ("CO", "ST") and task == "EE":
        answer = every(["co/complete.lp" if sem == "CO" else "st/stable.lp"])
    elif sem in ("CO", "PR") and task == "DC":
        answer = sat(run(["co/complete.lp"], ["1"], accept))
    elif sem == "CO" and task == "DS":
        answer = not sat(run(["gr/grounded.lp"], ["1"], reject))
    elif sem == "PR" and task == "SE":
        answer = one(["pr/preferred.lp"], DOMREC)
    elif sem == "PR" and task == "EE":
        answer = every(["pr/preferred.lp"], DOMREC)
    elif sem == "PR" and task == "DS":
        answer = not sat(run(["pr/sakama-rienstra.lp"], ["1"], reject))
    elif sem == "ST" and task == "SE":
        answer = one(["st/stable.lp"])
    elif sem == "ST":
        answer = (
            sat(run(["st/stable.lp"], ["1"], accept)) if task == "DC" else not sat(run(["st/stable.lp"], ["1"], reject))
        )
    elif sem in ("SST", "STG") and task == "SE":
        answer = one(["sst/semi_some_extension.lp" if sem == "SST" else "stg/stage_some_extension.lp"], DOMREC)
    elif sem in ("SST", "STG"):
        sub = "sst" if sem == "SST" else "stg"
        heuristic = f"{sub}/heuristic_{'semi' if sem == 'SST' else 'stage'}.lp"
        ranges = _witnesses(run([heuristic], [*DOMREC, "0"], "#show in/1. #show undec/1."))
        undecided = [_members(w, "undec") for w in ranges]
        found: set[frozenset[str]] = set()
        answer = task == "DS"
        for model in ranges:
            members = _members(model)  # a range-maximal model: itself an extension
            if task == "DC" and query in members:
                return total, True
            if task == "DS" and query not in members:
                return total, False
        for undec in undecided:
            range_facts = "".join(f"undec({x})." for x in sorted(undec))
            if task == "EE":
                found |= every([f"{sub}/stable.lp"], (), range_facts)
            elif task == "DC" and query not in undec and sat(run([f"{sub}/stable.lp"], ["1"], range_facts + accept)):
                return total, True
            elif task == "DS" and sat(run([f"{sub}/stable.lp"], ["1"], range_facts + reject)):
                return total, False
        if task == "EE":
            answer = frozenset(found)
    elif sem == "ID":
        brave = _witnesses(run(["id/labBased_comp.dl"], ["--enum-mode=brave", "0"]))
        cred = "".join(f"credIn({x})." for x in sorted(_members(brave[-1]))) if brave else ""
        ideal = _members(_witnesses(run(["id/ideal-fixed-point.lp"], ["1"], cred))[0])
        answer = {"SE": ideal, "EE": frozenset([ideal]), "DC": query in ideal, "DS": query in ideal}[task]
    else:
        raise ValueError(f"no ASPARTIX pipeline for {task}-{sem}")
    return total, answer


# pygarg -----------------------------------------------------------------
def pygarg_supports(sem: str) -> bool:
    return sem != "STG"


def parse_pygarg(task: str, out: str) -> Answer:
    lines = [line.strip() for line in out.strip().splitlines()]
    if task in ("DC", "DS"):
        return lines[0] == "YES"
    if lines == ["NO"]:
        return "NO" if task == "SE" else frozenset()
    extensions = [_set(line.split()[1:]) for line in lines if line.startswith("w")]
    return extensions[0] if task == "SE" else frozenset(extensions)


# ------------------------------------------------------------------ the run
def measure(run: Callable[[], tuple[float, Answer]], runs: int) -> Result:
    result = Result()
    for _ in range(runs):
        try:
            spent, answer = run()
        except TimeoutError:
            return Result(finished=False)
        result.times.append(spent)
        result.answer = answer
    return result


def process(command: list[str], timeout: float, parse: Callable[[str], Answer]) -> Callable[[], tuple[float, Answer]]:
    def run() -> tuple[float, Answer]:
        got = timed(command, timeout)
        if got is None:
            raise TimeoutError
        return got[0], parse(got[1])

    return run


def agree(task: str, answers: dict[str, Answer], reference: frozenset[frozenset[str]] | None) -> str:
    """'ok', or what disagrees."""
    given = {tool: a for tool, a in answers.items() if a is not None}
    if task == "SE":
        kinds = {tool: a == "NO" for tool, a in given.items()}
        if len(set(kinds.values())) > 1:
            return f"some/none differ: {kinds}"
        if reference is not None:
            wrong = [tool for tool, a in given.items() if a != "NO" and a not in reference]
            if wrong:
                return f"not an extension: {wrong}"
        return "ok"
    values = list(given.values())
    return "ok" if all(v == values[0] for v in values) else "differ: " + ", ".join(given)


def fmt_time(result: Result | None) -> str:
    if result is None:
        return "n/a"
    return "-" if result.median is None else f"{result.median:.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("aspartix", type=Path, help="folder of the ASPARTIX-V encodings (co/, gr/, pr/, ...)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a run may take (default 60)")
    parser.add_argument("--instances", default=",".join(INSTANCES), help=f"of {', '.join(INSTANCES)}")
    parser.add_argument("--semantics", default=",".join(SEMANTICS))
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--in-process", action="store_true", help="also time argmap.af.solve in this process")
    parser.add_argument("--no-pygarg", action="store_true")
    parser.add_argument("--argmap", help="the argmap command to time (default: the installed console script)")
    args = parser.parse_args(argv)
    if not (args.aspartix / "pr" / "preferred.lp").is_file():
        parser.error(f"{args.aspartix}: not a folder of the ASPARTIX-V encodings (no pr/preferred.lp)")
    use_pygarg = not args.no_pygarg
    if use_pygarg:
        try:
            import pygarg  # noqa: F401
        except ImportError:
            print("pygarg is not installed (pip install -e '.[bench]'); running without it", file=sys.stderr)
            use_pygarg = False

    argmap = args.argmap.split() if args.argmap else argmap_command()
    print(
        f"argmap: {' '.join(argmap)}; ASPARTIX: {args.aspartix} on python -m clingo; runs {args.runs}, "
        f"timeout {args.timeout:g} s; seed {SEED}"
    )
    header = (
        f"{'instance':9} {'task':7} {'argmap':>7} {'in-proc':>7} {'ASPARTIX':>8} {'pygarg':>7} {'ratio':>6}  answers"
    )
    print(header)
    worst: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench_af_") as tmp:
        for name in args.instances.split(","):
            n, per = INSTANCES[name]
            attacks = generate(n, per, SEED + n * 100 + per)
            apx = Path(tmp) / f"{name}.apx"
            write_apx(apx, n, attacks)
            query = f"a{n // 3}"
            for sem in args.semantics.split(","):
                reference: frozenset[frozenset[str]] | None = None
                for task in args.tasks.split(","):
                    extra = ["-a", query] if task in ("DC", "DS") else []
                    results: dict[str, Result | None] = {}
                    results["argmap"] = measure(
                        process(
                            [*argmap, "af", str(apx), "-s", sem, "-t", task, *extra],
                            args.timeout,
                            lambda out, t=task: parse_iccma19(t, out),
                        ),
                        args.runs,
                    )
                    inproc: Result | None = None
                    if args.in_process:
                        inproc = measure(lambda s=sem, t=task, f=apx, q=query: _in_process(f, s, t, q), args.runs)
                    results["ASPARTIX"] = measure(
                        lambda s=sem, t=task, f=apx, q=query: aspartix(args.aspartix, f, s, t, q, args.timeout),
                        args.runs,
                    )
                    results["pygarg"] = (
                        measure(
                            process(
                                [
                                    sys.executable,
                                    "-m",
                                    "pygarg",
                                    "-fo",
                                    "apx",
                                    "-f",
                                    str(apx),
                                    "-p",
                                    f"{task}-{sem}",
                                    *extra,
                                ],
                                args.timeout,
                                lambda out, t=task: parse_pygarg(t, out),
                            ),
                            args.runs,
                        )
                        if use_pygarg and pygarg_supports(sem)
                        else None
                    )
                    answers = {tool: r.answer for tool, r in results.items() if r is not None and r.finished}
                    if task == "EE" and results["argmap"] and results["argmap"].finished:
                        reference = results["argmap"].answer  # type: ignore[assignment]
                    verdict = agree(task, answers, reference)
                    mine = results["argmap"].median if results["argmap"] else None
                    peers = [r.median for tool, r in results.items() if tool != "argmap" and r and r.median]
                    ratio = "-"
                    if mine is not None and peers:
                        value = mine / min(peers)
                        ratio = f"{value:.2f}"
                        worst.append((value, f"{name} {task}-{sem}"))
                    elif mine is not None:
                        ratio = "only"
                    print(
                        f"{name:9} {task + '-' + sem:7} {fmt_time(results['argmap']):>7} {fmt_time(inproc):>7} "
                        f"{fmt_time(results['ASPARTIX']):>8} {fmt_time(results['pygarg']):>7} {ratio:>6}  {verdict}",
                        flush=True,
                    )
    if worst:
        value, where = max(worst)
        print(f"worst ratio {value:.2f}x ({where}); {sum(v <= 1.5 for v, _ in worst)}/{len(worst)} within 1.5x")
    return 0


def _in_process(apx: Path, sem: str, task: str, query: str) -> tuple[float, Answer]:
    from argmap.af import read_framework, solve

    framework = read_framework(str(apx))
    start = time.perf_counter()
    answer = solve(framework, sem, task, query if task in ("DC", "DS") else None)
    spent = time.perf_counter() - start
    names = framework.names
    if task in ("DC", "DS"):
        return spent, bool(answer.accepted)
    extensions = [frozenset(names[i] for i in e) for e in answer.extensions]
    if task == "SE":
        return spent, extensions[0] if extensions else "NO"
    return spent, frozenset(extensions)


if __name__ == "__main__":
    sys.exit(main())
