"""Files as they were at a git revision: what ``argmap diff --base REV`` compares against."""

from __future__ import annotations

import os
import subprocess
import tarfile
from collections.abc import Sequence

from ..model.errors import InputError


def toplevel(folder: str) -> str:
    """The top folder of the git checkout that holds `folder`.

    Raises:
        InputError: git is missing, or `folder` is not in a checkout.
    """
    try:
        done = subprocess.run(["git", "-C", folder, "rev-parse", "--show-toplevel"], check=True, capture_output=True)
    except FileNotFoundError:
        raise InputError("git is not installed", key="--base") from None
    except subprocess.CalledProcessError:
        raise InputError("not inside a git checkout", path=folder, key="--base") from None
    return done.stdout.decode("utf-8", "replace").strip()


def extract(top: str, rev: str, folders: Sequence[str], into: str) -> None:
    """Write `folders` (relative to the checkout's top) as they were at `rev` into `into`.

    Raises:
        InputError: `rev` is not a revision, or holds none of the folders.
    """
    try:
        data = subprocess.run(
            ["git", "-C", top, "archive", "--format=tar", rev, "--", *folders], check=True, capture_output=True
        ).stdout
    except FileNotFoundError:
        raise InputError("git is not installed", key="--base") from None
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            f"cannot read revision '{rev}': {message[-1] if message else 'git failed'}",
            key="--base",
            expected="a git revision such as HEAD~1 or main, in which the knowledge base's folders exist",
        ) from None
    path = os.path.join(into, "revision.tar")
    with open(path, "wb") as handle:
        handle.write(data)
    with tarfile.open(path) as tar:
        tar.extractall(into, filter="data")
    os.unlink(path)
