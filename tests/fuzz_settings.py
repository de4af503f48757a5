"""Hypothesis settings shared by the fuzz tests: deterministic, no deadline, modest sizes.

`FUZZ` is a settings object, not a loaded profile, so that it applies only to
the tests that use it.  Every run explores the same examples (`derandomize`),
and no example database is written into the repository.

How many examples: each property names its thorough count, `examples(n)`.  The
default run (the README's test command, CI) takes a quarter of it, never fewer
than 10 (nor more than n): the fuzzers were most of the suite's time, and the
regressions they found are checked in and always run.  ARGMAP_FUZZ=thorough
runs the full counts (before a release, or after changing a loader);
ARGMAP_FUZZ_SCALE (e.g. 10) sets the multiplier directly for a longer local
run.  derandomize stays on, so raise the scale, not the luck.
"""

from __future__ import annotations

import os
import tempfile

# Hypothesis keeps caches and failure patches in .hypothesis/; keep them out of the repository.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "argmap-hypothesis"))

from hypothesis import HealthCheck, settings

#: The multiplier of each profile (ARGMAP_FUZZ).
PROFILES = {"default": 0.25, "thorough": 1.0}
#: The fewest examples a property runs in the default profile (unless it names fewer).
FLOOR = 10

_PROFILE = os.environ.get("ARGMAP_FUZZ", "default").strip().lower() or "default"
if _PROFILE not in PROFILES:
    raise RuntimeError(f"ARGMAP_FUZZ={_PROFILE!r}: expected one of {', '.join(PROFILES)}")
SCALE = max(0.01, float(os.environ.get("ARGMAP_FUZZ_SCALE", PROFILES[_PROFILE])))

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def count(n: int) -> int:
    """The number of examples a property that names `n` runs in this profile."""
    scaled = max(1, round(n * SCALE))
    return scaled if SCALE >= 1 else max(scaled, min(n, FLOOR))


def examples(n: int) -> settings:
    """The shared settings with `n` examples, as this profile scales them (see `count`)."""
    return settings(FUZZ, max_examples=count(n))
