"""Hypothesis settings shared by the fuzz tests: deterministic, no deadline, modest sizes.

`FUZZ` is a settings object, not a loaded profile, so that it applies only to
the tests that use it.  Every run explores the same examples (`derandomize`),
and no example database is written into the repository.  Set
ARGMAP_FUZZ_SCALE (e.g. 10) to multiply every property's number of examples
for a longer local run (or 0.25 for a quick one); derandomize stays on, so
raise the scale, not the luck.
"""

from __future__ import annotations

import os
import tempfile

# Hypothesis keeps caches and failure patches in .hypothesis/; keep them out of the repository.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "argmap-hypothesis"))

from hypothesis import HealthCheck, settings

SCALE = max(0.01, float(os.environ.get("ARGMAP_FUZZ_SCALE", "1")))

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def examples(n: int) -> settings:
    """The shared settings with `n` examples (times ARGMAP_FUZZ_SCALE)."""
    return settings(FUZZ, max_examples=max(1, round(n * SCALE)))
