"""Benchmark: peak memory of `argmap check` on a folder of N proposals (it must stay flat in N).

Generates a folder of N proposal files (copies of the project's example
proposals, ``proposals/*.yaml`` by default, each with a new ``id``), then runs
``argmap check --exit-zero DIR`` as a subprocess in each output format asked
(text and JSON by default), with standard output sent to the null device (or
to a file with ``--output-file``: ``-o FILE``, the atomic writer), and reports
each run's peak resident set size (``ru_maxrss`` of the child, read with
``os.wait4``), its wall time, and the ratio of the largest N's peak to the
smallest's.  A ratio near 1 means memory does not grow with the number of
proposals.

Run:  python bench/bench_memory.py                       (N = 1,000 and 20,000: a few minutes)
      python bench/bench_memory.py --sizes 1000 20000 100000   (100,000 adds about 10 to 15 minutes)
      python bench/bench_memory.py --sizes 200 2000 --formats text json jsonl --jobs 2

Generated folders are kept under --workdir (default: a temporary folder, removed at the end).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def make_folder(folder: str, sources: list[str], n: int) -> None:
    """Write N proposal files into `folder`: the sources in turn, each with its own id (``b0000042_<stem>``)."""
    os.makedirs(folder, exist_ok=True)
    texts = []
    for path in sources:
        with open(path, encoding="utf-8") as handle:
            body = handle.read()
        # drop a top-level id (a new one is added) and the schema comment, whose relative path would break
        body = re.sub(r"(?m)^id:.*\n", "", body)
        body = re.sub(r"(?m)^# yaml-language-server:.*\n", "", body)
        texts.append((os.path.splitext(os.path.basename(path))[0], body))
    width = len(str(n))
    for i in range(n):
        stem, body = texts[i % len(texts)]
        name = f"b{i:0{width}d}_{stem}"
        with open(os.path.join(folder, name + ".yaml"), "w", encoding="utf-8") as handle:
            handle.write(f"id: {name}\n{body}")


def run(cmd: list[str], stdout_path: str) -> tuple[int, float, int]:
    """Run `cmd` with stdout to `stdout_path`; its exit code, wall seconds and peak RSS in KiB (Linux units)."""
    start = time.perf_counter()
    with open(stdout_path, "w") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return proc.returncode, elapsed, int(usage.ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000], help="numbers of proposal files")
    parser.add_argument("--formats", nargs="+", default=["text", "json"], help="check --format values")
    parser.add_argument("--source", default="proposals", help="folder of proposals to copy")
    parser.add_argument("--jobs", type=int, default=1, help="check --jobs")
    parser.add_argument("--output-file", action="store_true", help="write with -o FILE instead of stdout")
    parser.add_argument("--workdir", help="keep generated folders here (default: a temporary folder)")
    args = parser.parse_args()

    sources = sorted(glob.glob(os.path.join(args.source, "*.yaml")))
    if not sources:
        raise SystemExit(f"no proposals in {args.source}")
    work = args.workdir or tempfile.mkdtemp(prefix="argmap-bench-memory-")
    argmap = [sys.executable, "-c", "import sys; from argmap.cli import entry; sys.argv[0] = 'argmap'; entry()"]
    rows: dict[tuple[str, int], tuple[float, int]] = {}
    try:
        for n in sorted(args.sizes):
            folder = os.path.join(work, f"n{n}")
            if not os.path.isdir(folder) or len(os.listdir(folder)) != n:
                shutil.rmtree(folder, ignore_errors=True)
                start = time.perf_counter()
                make_folder(folder, sources, n)
                print(f"generated {n:,} proposals in {time.perf_counter() - start:.1f} s", flush=True)
            for fmt in args.formats:
                out_path = os.path.join(work, f"out-{n}.{fmt}")
                cmd = [*argmap, "check", "--exit-zero", "--format", fmt, "--jobs", str(args.jobs), folder]
                if args.output_file:
                    cmd += ["-o", out_path]
                _, elapsed, rss = run(cmd, os.devnull if not args.output_file else out_path + ".stdout")
                rows[(fmt, n)] = (elapsed, rss)
                print(
                    f"  N={n:>7,}  --format {fmt:<8} peak RSS {rss / 1024:7.1f} MiB   {elapsed:7.1f} s"
                    f"   ({elapsed / n * 1e3:.2f} ms a proposal)",
                    flush=True,
                )
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    small, large = min(args.sizes), max(args.sizes)
    if small != large:
        print(f"\npeak RSS ratio N={large:,} / N={small:,} (1.00 = flat):")
        for fmt in args.formats:
            print(f"  --format {fmt:<8} {rows[(fmt, large)][1] / rows[(fmt, small)][1]:.2f}")


if __name__ == "__main__":
    main()
