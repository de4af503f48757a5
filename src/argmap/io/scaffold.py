"""``argmap init``: a new knowledge base that follows the contract and passes lint and its tests as created."""

from __future__ import annotations

import os
from pathlib import Path

from ..model.errors import InputError

#: The template, shipped with argmap.
TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "init"


def scaffold(folder: str) -> list[str]:
    """Copy the template into `folder` (created if absent, else it must be empty); the files written.

    Raises:
        InputError: `folder` is a file, or a folder that is not empty.
    """
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise InputError("is a file, not a folder", path=folder, expected="a new or empty folder")
    if os.path.isdir(folder) and os.listdir(folder):
        raise InputError("the folder is not empty", path=folder, expected="a new or empty folder")
    written = []
    for source in sorted(TEMPLATE.rglob("*")):
        if not source.is_file():
            continue
        rel = source.relative_to(TEMPLATE)
        target = Path(folder) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        written.append(str(target))
    return written
