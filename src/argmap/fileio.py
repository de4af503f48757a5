"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile

from .errors import InputError


def atomic_write(path: str, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename.

    An interrupted write leaves the previous file as it was.
    """
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError("the folder does not exist", path=path, expected="an existing folder for the output")
    if os.path.isdir(path):
        raise InputError("is a directory", path=path, expected="a file path for the output")
    fd, tmp = tempfile.mkstemp(prefix=".argmap-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
