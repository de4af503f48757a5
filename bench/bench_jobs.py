"""Benchmark: `argmap check --jobs N` on a batch of proposal files.

Writes N random proposals as YAML files to a temporary folder and times the
whole batch (grounding, loading, checking, no rendering) with 1, 2, ... processes.
Run:  python bench/bench_jobs.py --files 4000 --jobs 1 2
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import yaml

sys.path.insert(0, os.path.dirname(__file__))
from bench_check import random_proposals

from argmap.api import Argmap
from argmap.io.config import Config
from argmap.model.errors import InputError


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    app = Argmap(config=Config())  # the shipped knowledge base, whatever folder this runs from
    with tempfile.TemporaryDirectory() as tmp:
        for p in random_proposals(app.engine, args.files, 11):
            data: dict[str, object] = {"title": p.title, "source": p.source}
            for k, v in p.settings:
                comp = app.vocabulary.components[k]
                if comp.arity == "many":
                    data.setdefault(k, []).append(v)  # type: ignore[union-attr]
                else:
                    data[k] = v == "true" if comp.arity == "flag" else v
            with open(os.path.join(tmp, f"{p.id}.yaml"), "w", encoding="utf-8") as handle:
                yaml.safe_dump(data, handle)
        base = None
        for jobs in args.jobs:
            t = time.perf_counter()
            verdicts = list(Argmap(config=Config()).check_paths([tmp], jobs=jobs))
            bad = [v for v in verdicts if isinstance(v, InputError)]
            if bad:
                raise SystemExit(f"argmap refused a generated proposal: {bad[0]}")
            secs = time.perf_counter() - t
            base = base or secs
            print(
                f"jobs={jobs}: {len(verdicts)} files in {secs:.2f} s "
                f"({secs / len(verdicts) * 1e6:.0f} µs a file, speed-up {base / secs:.2f}x)"
            )


if __name__ == "__main__":
    main()
