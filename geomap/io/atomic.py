"""Atomic writes: a file is replaced whole or not at all.

Every write goes to a temporary file in the target's directory (``.NAME.<pid>.<random>.tmp``)
and is moved into place with ``os.replace``: a process killed mid-write leaves the old file
(or no file), never a truncated one.  ``check_output_path`` fails before any work;
``remove_stale_temps`` clears what killed writers left behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from geomap.errors import InputError


def check_output_path(path: str | os.PathLike) -> Path:
    """Raise ``InputError`` unless ``path`` can be written as a file (checked before work)."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory; give an output file name", path=str(path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output directory does not exist", path=str(path))
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError("output directory is not writable", path=str(path))
    return path


_TMP_MARK = ".tmp"


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_stale_temps(path: str | os.PathLike) -> list[Path]:
    """Delete temporary files that killed writes of ``path`` left behind.

    A temporary file is ``.NAME.<pid>.<random>.tmp<suffix>``; it is stale when process
    ``pid`` no longer runs on this machine.  Names without a pid (older geomap) count as
    stale after a day.  Returns the removed paths.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    prefix = _temp_prefix(path)
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or _TMP_MARK not in name[len(prefix):]:
            continue
        middle = name[len(prefix):].split(".", 1)[0]
        if middle.isdigit():
            stale = not _pid_alive(int(middle))
        else:
            try:
                stale = time.time() - entry.stat().st_mtime > 86400
            except OSError:
                continue
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists under another user (or unknowable): keep its file
    return True


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path next to ``path``; move it over ``path`` only on success.

    The temporary file keeps ``path``'s suffix so drivers that look at it (GDAL) work.
    On any exception the temporary file is removed and ``path`` is left untouched.
    """
    path = check_output_path(path)
    directory = path.parent if str(path.parent) else Path(".")
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=f"{_temp_prefix(path)}{os.getpid()}.",
                               suffix=f"{_TMP_MARK}{path.suffix}", dir=directory)
    os.close(fd)
    os.unlink(tmp)  # writers (GDAL) want to create the file themselves
    try:
        yield tmp
        if not os.path.exists(tmp):
            raise OSError(f"writer did not create {tmp}")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        for leftover in (tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)
        raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8",
                newline: str | None = None):
    """``open()`` for writing that replaces ``path`` atomically when the block succeeds."""
    with atomic_path(path) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with open(tmp, mode, **kwargs) as fh:
            yield fh
