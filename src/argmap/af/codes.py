"""The codes of the ICCMA tasks, semantics and input formats (no clingo needed to list them)."""

from __future__ import annotations

#: The semantics of the ICCMA competitions, in the order argmap reports them.
ICCMA_SEMANTICS = ("GR", "ID", "CO", "PR", "ST", "SST", "STG")
#: The reasoning tasks.
TASKS = ("SE", "EE", "DC", "DS")
TASK_NAMES = {
    "SE": "some extension",
    "EE": "every extension",
    "DC": "credulous acceptance",
    "DS": "sceptical acceptance",
}
#: The input formats.
FORMATS = ("apx", "tgf", "i23")
