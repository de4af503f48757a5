"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator

from ..model.errors import InputError


def atomic_write(path: str, text: str | Iterable[str]) -> None:
    """Write `text` (a string, or chunks of one) to `path` so that a reader sees the old file or the whole
    new one, never a part.

    On Linux the text goes into an unnamed file in the same folder (O_TMPFILE), which is written and synced, then
    given a random name ``.argmap-*.tmp`` and at once renamed over `path`: a process killed before
    that (even by SIGKILL, where no handler runs) leaves nothing behind.  Where the folder's file system
    or the system cannot make or name an unnamed file, a named temporary file beside `path` is written
    instead (a SIGKILL mid-write leaves it behind).  An interrupted write (an error, SIGINT, or SIGTERM
    under argmap's CLI, which turns it into an exception) removes the temporary file and leaves the
    previous file as it was.  The new file gets the old file's permissions, or the usual ones for a new
    file (0666 less the umask).

    Raises:
        InputError: the folder does not exist, `path` is a folder, or the file cannot be written.
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
    chunks = [text] if isinstance(text, str) else text
    fd = _open_unnamed(folder, path)
    if fd is None:
        _write_named(path, folder, mode, chunks)
        return
    named = None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(fd)  # before the file has a name, so that the name never stands for half a file
            os.fchmod(fd, mode)
            named = _name_unnamed(fd, folder)
            if named is None:  # the system cannot name it: its bytes go through a named temporary file
                _write_named(path, folder, mode, _bytes_of(fd), binary=True)
                return
            os.replace(named, path)
            named = None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None
    finally:
        if named is not None and os.path.lexists(named):
            os.unlink(named)


#: os.open(folder, O_TMPFILE) fails so where the kernel or the file system has no unnamed files.
_NO_UNNAMED = (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL)
#: linkat fails so where an unnamed file cannot be named this way (no /proc, another mount, no privilege).
_NO_NAMING = (errno.ENOENT, errno.EXDEV, errno.EPERM, errno.EACCES, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS)


def _open_unnamed(folder: str, path: str) -> int | None:
    """A file descriptor (read and write) of a new unnamed file in `folder`, or None where there are none
    (not Linux, no /proc, a file system without O_TMPFILE).

    Raises:
        InputError: the folder cannot be written (as for a named temporary file).
    """
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if exc.errno in _NO_UNNAMED:
            return None
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None


def _name_unnamed(fd: int, folder: str) -> str | None:
    """Give the unnamed file open on `fd` a random name ``.argmap-*.tmp`` in `folder` (12 hex digits for the ``*``)
    and return that path, or None where the system cannot name it.  linkat never replaces a file, so a name taken
    meanwhile is skipped for another.

    Raises:
        OSError: linking failed for another reason (a full disk, a read-only file system).
    """
    for _ in range(100):
        name = os.path.join(folder, f".argmap-{os.urandom(6).hex()}.tmp")
        try:
            os.link(f"/proc/self/fd/{fd}", name)  # linkat(AT_SYMLINK_FOLLOW) through the /proc link
            return name
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in _NO_NAMING:
                raise
        try:
            if _link_empty_path(fd, name):  # linkat(AT_EMPTY_PATH): where /proc links cannot be followed
                return name
        except FileExistsError:
            continue
        return None
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), folder)


def _link_empty_path(fd: int, name: str) -> bool:
    """Whether ``linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH)`` (through the C library) named the file.

    Raises:
        FileExistsError: `name` exists.
    """
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        linkat = libc.linkat
    except (OSError, AttributeError):
        return False
    linkat.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    linkat.restype = ctypes.c_int
    at_fdcwd, at_empty_path = -100, 0x1000  # from <fcntl.h> on Linux
    if linkat(fd, b"", at_fdcwd, os.fsencode(name), at_empty_path) == 0:
        return True
    if ctypes.get_errno() == errno.EEXIST:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), name)
    return False


def _bytes_of(fd: int) -> Iterator[bytes]:
    """The bytes of the file open on `fd`, from its start, in chunks of 1 MiB."""
    offset = 0
    while data := os.pread(fd, 1 << 20, offset):
        offset += len(data)
        yield data


def _write_named(
    path: str, folder: str, mode: int, chunks: Iterable[str] | Iterable[bytes], binary: bool = False
) -> None:
    """Write `chunks` (text, or bytes if `binary`) to a temporary file ``.argmap-*.tmp`` (a random name from
    :func:`tempfile.mkstemp`) in `folder`, synced and given `mode`, then rename it over `path`; the temporary file
    is removed whatever happens.

    Raises:
        InputError: the file cannot be written.
    """
    try:
        import tempfile  # only writers need it (argmap af reads through this module)

        fd, tmp = tempfile.mkstemp(prefix=".argmap-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
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


def write_output(path: str | None, text: str | Iterable[str], *, inputs: Iterable[str] = ()) -> None:
    """Write a command's output: to standard output (`path` None or "-"), else to the file `path`.

    A regular file (or a new one) is written atomically, through a symbolic link
    to its target; anything else (a device, a FIFO, /dev/stdout) is written
    directly, never replaced.  Writing over one of the command's own `inputs`
    is refused.

    Raises:
        InputError: `path` is one of the inputs, a folder, or cannot be written.
    """
    import sys

    chunks = [text] if isinstance(text, str) else text
    if path is None or path == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    if not path:
        raise InputError(
            "an empty file name", key="--output", expected="a file path for the output, or - for standard output"
        )
    target = os.path.realpath(path)
    for source in inputs:
        try:
            if not os.path.exists(source) or not os.path.exists(path):
                continue
            # a folder given as input stands for the YAML files in it (as a batch command reads them)
            name = os.path.basename(target)
            same = os.path.samefile(source, path) or (
                os.path.isdir(source)
                and name.endswith((".yaml", ".yml"))
                and not name.startswith(".")
                and os.path.samefile(source, os.path.dirname(target))
            )
        except OSError:
            continue
        if same:
            raise InputError("the output would overwrite an input of this command", path=path, key="--output")
    try:
        # through the links as the kernel follows them: /proc/self/fd/1 (and /dev/stdout) name a pipe or
        # a terminal that has no path of its own, which realpath cannot reach
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory", path=path, expected="a file path for the output")
    if info is not None and (not stat.S_ISREG(info.st_mode) or not os.path.exists(target)):
        # not a regular file (a device, a FIFO, a pipe), or one only a /proc link reaches: written directly
        try:
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                for chunk in chunks:
                    handle.write(chunk)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", path=path) from None
        return
    try:
        atomic_write(target, chunks)  # through a symbolic link: the link stays, its target is replaced
    except InputError as exc:
        if exc.path == target:  # the output file, named as the user gave it (not an error from `text`'s chunks)
            exc.path = path
        raise


def is_utf8_name(path: str) -> bool:
    """Whether `path` came from a UTF-8 name: no byte of it was undecodable (a lone surrogate)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_regular(path: str, max_bytes: int, fail: Callable[[str], InputError], what: str = "file") -> bytes:
    """The bytes of `path` (at most `max_bytes`), read only if it is a regular file.

    A FIFO, a device or a socket could block forever or never end, so each is
    refused before it is opened for reading, and the file is opened without
    blocking and checked again (in case it was swapped meanwhile).  Every
    reader of user files (proposals and other YAML, rule files, frameworks)
    goes through here.

    A file whose name is not UTF-8 (Python holds its bad bytes as lone
    surrogates) is refused too: a proposal's id is its file name, and every
    output (JSON, XML, HTML, a file written with ``-o``) must be valid text.

    Raises:
        InputError: made by `fail(message)`: no such file (``no such {what}``),
            a name that is not UTF-8, a directory, not a regular file, larger
            than `max_bytes`, or unreadable.
    """
    if not is_utf8_name(path):
        raise fail("the file name is not valid UTF-8 (shown with its bad bytes as \\udcXX); rename the file")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise fail(f"no such {what}") from None
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise fail(f"is a directory, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise fail("is not a regular file (a device, FIFO or socket); argmap reads only regular files")
    if info.st_size > max_bytes:
        raise fail(f"the file is {info.st_size} bytes; the limit is {max_bytes}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise fail("is not a regular file; argmap reads only regular files")
            # as much as stat said, and one byte more to see whether it grew since: asking for
            # max_bytes + 1 from the start costs a buffer of that size (2 MiB) for every small file
            data = handle.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise fail(f"the file is larger than the limit of {max_bytes} bytes")
    return data


def read_text(path: str, max_bytes: int) -> str:
    """A regular UTF-8 file of at most `max_bytes` as text (a leading BOM dropped).

    Raises:
        InputError: as :func:`read_regular`, or the file is not UTF-8 (with the line of the first bad byte).
    """
    data = read_regular(path, max_bytes, lambda message: InputError(message, path=path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 (byte {exc.start})", path=path, line=line) from None
    return text.removeprefix("\ufeff")
