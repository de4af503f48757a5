"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable

from .errors import InputError


def atomic_write(path: str, text: str | Iterable[str]) -> None:
    """Write `text` (a string, or chunks of one) to `path` through a temporary file
    in the same folder, then rename it over `path`.

    An interrupted write (an error, SIGINT, or SIGTERM under argmap's CLI, which
    turns it into an exception) removes the temporary file and leaves the
    previous file as it was.  The new file gets the old file's permissions, or
    the usual ones for a new file (0666 less the umask).
    """
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError("the folder does not exist", path=path, expected="an existing folder for the output")
    if os.path.isdir(path):
        raise InputError("is a directory", path=path, expected="a file path for the output")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".argmap-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in [text] if isinstance(text, str) else text:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
