"""Benchmark: batch checking with one ground program vs. a new Control per proposal.

Generates N random valid proposals (N = 100, 1,000, 10,000 by default) from the
knowledge base's vocabulary, then in one run times

* argmap: one Engine, grounded once, each proposal one solve under assumptions,
  verdicts read back into model objects (what `argmap check` does);
* bare solve: the same solves on the same ground program with prebuilt
  assumption lists and an on_model that only copies the shown symbols
  (the floor for any approach built on one ground program);
* naive: a new clingo Control per proposal with the same program (the
  knowledge base, argmap's prelude and the verdict bridge), parsed, built,
  grounded and solved with the proposal's externals assigned true
  (measured on a sample of at most --naive-sample proposals per N, since it
  is slow; the per-proposal time is what is compared).

It checks that argmap and naive give identical verdicts on the sample, prints
per-proposal microseconds and the ratios, and the peak memory (tracemalloc)
of argmap's loop when results are discarded, to show it does not grow with N.

Then, end to end (:func:`end_to_end`): the same kind of random proposals
written as YAML files (with a title, a source and notes, about the size of the
example proposals), and `argmap check` run as a real process on a folder of
--files of them and on a tenth as many; the marginal cost of a file is the
difference in the process's CPU time over the difference in files, so start-up
and grounding cancel out.  It is set against the floor: reading each file and
loading it with libyaml (``yaml.load`` with CSafeLoader), then the bare solve
of its proposal (as above), file after file, timed in this process.  The two
are also timed apart, each over every file (``load`` and ``solve``, and their
``sum``): that sum is about a sixth lower than the floor on this machine, as a
loop doing one thing keeps its own code and data in the caches, which no
pipeline reading a file and then solving it can.  CPU time, not wall time, so
that other work on a shared machine counts less.

The end-to-end measurement is repeated --rounds times (5 by default), each
round timing the floor and then each format in turn, so that a burst of other
work on the machine touches one round rather than one side; the median ratio
and the spread are reported.

Run:  python bench/bench_check.py            (a few minutes)
      python bench/bench_check.py --sizes 100 1000 --naive-sample 200 --files 2000
      python bench/bench_check.py --sizes --files 2000     (end to end only)
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from collections.abc import Iterator

import clingo

from argmap.asp import program
from argmap.asp.source import SourceFile
from argmap.engine import bridge
from argmap.engine.control import MODES, PRELUDE, Engine
from argmap.engine.judge import judge
from argmap.engine.kbspec import KnowledgeBase, engine_sources
from argmap.model.proposal import Proposal
from argmap.model.verdicts import ALL, Registry

#: One verdict's value, as both approaches read it: a bool, or the sorted values of a level or set verdict.
Summary = tuple[object, ...]


def random_proposals(engine: Engine, n: int, seed: int) -> Iterator[Proposal]:
    """N valid proposals drawn from the vocabulary (each component present with probability 0.6)."""
    rng = random.Random(seed)
    comps = sorted(engine.vocabulary.components.values(), key=lambda c: c.key)
    for i in range(n):
        settings: list[tuple[str, str]] = []
        for c in comps:
            if rng.random() > 0.6:
                continue
            if c.arity == "many":
                chosen = [v for v in c.values if rng.random() < 0.3] or [rng.choice(c.values)]
                settings += [(c.key, v) for v in chosen]
            else:
                settings.append((c.key, rng.choice(c.values)))
        yield Proposal(f"p{i}", f"random {i}", "bench", tuple(sorted(set(settings))))


def summary(registry: Registry, shown: frozenset[clingo.Symbol]) -> Summary:
    """Every declared verdict read off the shown atoms of one answer set."""
    out: list[object] = []
    for spec in registry:
        if spec.kind == "bool":
            out.append(clingo.Function(spec.name) in shown)
        else:
            out.append(
                tuple(sorted(str(s.arguments[0]) for s in shown if s.name == spec.name and len(s.arguments) == 1))
            )
    return tuple(out)


def naive_verdict(kb: list[SourceFile], support: list[SourceFile], registry: Registry, proposal: Proposal) -> Summary:
    """A new Control for one proposal: the same program parsed, built and ground, then solved."""
    ctl = clingo.Control(["--warn=none"])
    program.build(ctl, kb, support, program.MessageLog(), trace=False, generate=bridge.generate)
    ctl.ground([("base", [])])
    for k, v in proposal.settings:
        ctl.assign_external(clingo.Function("set", [clingo.Function(k), clingo.Function(v)]), True)
    shown: frozenset[clingo.Symbol] = frozenset()

    def on_model(m: clingo.Model) -> None:
        nonlocal shown
        shown = frozenset(m.symbols(shown=True))

    ctl.solve(on_model=on_model)
    return summary(registry, shown)


def argmap_summary(engine: Engine, proposal: Proposal) -> Summary:
    v = judge(engine, proposal).verdict
    return tuple(o.truth == ALL if o.spec.kind == "bool" else tuple(sorted(o.reached)) for o in v.outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--files", type=int, default=2000, help="proposal files for the end-to-end run (0: none)")
    parser.add_argument("--rounds", type=int, default=5, help="end-to-end rounds (the median ratio is reported)")
    args = parser.parse_args()

    kb = KnowledgeBase.shipped()
    t0 = time.perf_counter()
    engine = Engine(kb)
    ground_ms = (time.perf_counter() - t0) * 1000
    print(f"knowledge base grounded once in {ground_ms:.0f} ms ({len(engine._inputs)} input externals)")
    print(
        f"{'N':>7} {'argmap µs':>10} {'bare µs':>9} {'naive µs':>9} {'naive/argmap':>13} "
        f"{'argmap/bare':>12} {'peak KiB':>9}  verdicts"
    )
    for n in args.sizes:
        proposals = list(random_proposals(engine, n, args.seed))
        # argmap, timed; then once more under tracemalloc, results discarded as they
        # come, for the peak memory of the loop itself (tracemalloc slows Python down,
        # so the two are measured apart)
        t = time.perf_counter()
        for p in proposals:
            judge(engine, p)
        argmap_us = (time.perf_counter() - t) / n * 1e6
        tracemalloc.start()
        for p in proposals:
            judge(engine, p)
        peak = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
        # bare solve on the same ground program
        assumptions = [engine.assumptions(p) for p in proposals]
        ctl = engine._ctl
        ctl.configuration.solve.models = "1"  # type: ignore[union-attr]
        ctl.configuration.solve.enum_mode = "auto"  # type: ignore[union-attr]
        engine._config = None
        t = time.perf_counter()
        for a in assumptions:
            ctl.solve(assumptions=a, on_model=lambda m: m.symbols(shown=True))
        bare_us = (time.perf_counter() - t) / n * 1e6
        # naive on a sample, and the verdict comparison
        sample = proposals[: min(n, args.naive_sample)]
        t = time.perf_counter()
        sources, support = kb.sources(), engine_sources((*PRELUDE, MODES["judge"]))
        naive = [naive_verdict(sources, support, engine.vocabulary.registry, p) for p in sample]
        naive_us = (time.perf_counter() - t) / len(sample) * 1e6
        same = all(naive_v == argmap_summary(engine, p) for p, naive_v in zip(sample, naive, strict=True))
        print(
            f"{n:>7} {argmap_us:>10.0f} {bare_us:>9.0f} {naive_us:>9.0f} {naive_us / argmap_us:>12.1f}x "
            f"{argmap_us / bare_us:>11.2f}x {peak:>9.0f}  {'identical' if same else 'DIFFERENT'} on {len(sample)}"
        )
        if not same:
            raise SystemExit("verdicts differ between argmap and the naive approach")
    if args.files:
        end_to_end(kb, args.files, args.seed, args.rounds)


# ---------------------------------------------------------------- end to end: files in, text out
#: The `argmap` console script, as installed.
ENTRY = "import sys; sys.argv[0] = 'argmap'; from argmap.cli import entry; entry()"
#: A paragraph of filler, so that each file is about the size of an example proposal.
PROSE = (
    "A package assembled at random from the vocabulary, to measure reading and judging; its "
    "components say nothing about any real negotiation, and its notes only give the file the "
    "length of a hand-written proposal, with a source line and a few sentences of commentary."
)
#: Words YAML 1.1 reads as something other than text when unquoted.
_YAML_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "none"}


def proposal_yaml(p: Proposal, flags: set[str]) -> str:
    """`p` as a proposal file: flow lists for components with several values, flags as booleans."""
    lines = [f"title: {p.title}", f"source: >-\n  {PROSE}", f"notes: >-\n  {PROSE} {PROSE}"]
    values: dict[str, list[str]] = {}
    for key, value in p.settings:
        values.setdefault(key, []).append(value)
    for key, vs in values.items():
        words = [v if key in flags or v not in _YAML_WORDS else f"'{v}'" for v in vs]
        lines.append(f"{key}: {words[0]}" if len(words) == 1 else f"{key}: [{', '.join(words)}]")
    return "\n".join(lines) + "\n"


def _check_cpu(folder: str, fmt: str) -> float:
    """CPU seconds (user and system) of one `argmap check` process over `folder`, output discarded."""
    import os
    import resource
    import subprocess
    import sys

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "check", "--exit-zero", "--format", fmt, folder],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=os.path.dirname(folder),
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"argmap check failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def end_to_end(kb: KnowledgeBase, n: int, seed: int, rounds: int = 5) -> None:
    """The marginal CPU cost of a file in `argmap check` (a real process) against libyaml load + bare solve."""
    import os
    import shutil
    import tempfile

    import yaml

    engine = Engine(kb)
    flags = {c.key for c in engine.vocabulary.components.values() if c.arity == "flag"}
    proposals = list(random_proposals(engine, n, seed + 1))
    small = max(1, n // 10)
    work = tempfile.mkdtemp(prefix="argmap-bench-")
    try:
        big_dir, small_dir = os.path.join(work, "all"), os.path.join(work, "tenth")
        os.mkdir(big_dir)
        os.mkdir(small_dir)
        paths = []
        for i, p in enumerate(proposals):
            path = os.path.join(big_dir, f"p{i:06d}.yaml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(proposal_yaml(p, flags))
            paths.append(path)
            if i < small:
                shutil.copy(path, small_dir)
        size = sum(os.path.getsize(p) for p in paths) / n
        assumptions = [engine.assumptions(p) for p in proposals]
        ctl = engine._ctl
        ctl.configuration.solve.models = "1"  # type: ignore[union-attr]
        ctl.configuration.solve.enum_mode = "auto"  # type: ignore[union-attr]
        engine._config = None

        def floor_us() -> tuple[float, float, float]:
            """The floor, µs a file: libyaml load (read included), bare solve, and the two per file in turn."""
            t = time.process_time()
            for path in paths:
                with open(path, encoding="utf-8") as handle:
                    yaml.load(handle.read(), Loader=yaml.CSafeLoader)
            load = (time.process_time() - t) / n * 1e6
            t = time.process_time()
            for a in assumptions:
                ctl.solve(assumptions=a, on_model=lambda m: m.symbols(shown=True))
            solve = (time.process_time() - t) / n * 1e6
            t = time.process_time()
            for path, a in zip(paths, assumptions, strict=True):
                with open(path, encoding="utf-8") as handle:
                    yaml.load(handle.read(), Loader=yaml.CSafeLoader)
                ctl.solve(assumptions=a, on_model=lambda m: m.symbols(shown=True))
            return load, solve, (time.process_time() - t) / n * 1e6

        formats = ("text", "jsonl")
        print()
        print(f"end to end: argmap check on {n:,} and {small:,} random proposal files ({size:,.0f} bytes each)")
        print(f"  {rounds} rounds, each measuring the floor and then every format, interleaved; CPU time")
        print(f"  {'round':>5} {'load µs':>8} {'solve µs':>9} {'sum µs':>7} {'floor µs':>9}", end="")
        print("".join(f" {fmt + ' µs':>9} {'ratio':>6}" for fmt in formats))
        ratios: dict[str, list[float]] = {fmt: [] for fmt in formats}
        for r in range(1, rounds + 1):
            load, bare, floor = floor_us()
            print(f"  {r:>5} {load:>8.0f} {bare:>9.0f} {load + bare:>7.0f} {floor:>9.0f}", end="", flush=True)
            for fmt in formats:
                marginal = (_check_cpu(big_dir, fmt) - _check_cpu(small_dir, fmt)) / (n - small) * 1e6
                ratios[fmt].append(marginal / floor)
                print(f" {marginal:>9.0f} {marginal / floor:>5.2f}x", end="", flush=True)
            print()
        for fmt in formats:
            got = sorted(ratios[fmt])
            print(
                f"  {fmt}: check/floor median {statistics.median(got):.2f}x "
                f"(min {got[0]:.2f}x, max {got[-1]:.2f}x over {rounds} rounds)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
