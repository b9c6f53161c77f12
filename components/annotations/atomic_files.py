"""Files that are never seen half-written: a lock per file, atomic replacement, durable appends.

* ``acquire_lock``: a ``filelock`` lock serialising writers across threads and processes.
* ``write_atomically``: temp file, fsync, ``os.replace``, fsync the folder: readers and crashes
  see the old file or the new one, never a mix. A crash can leave the temp file
  ``.<name>.<random>.tmp`` behind; ``remove_stale_temp_files`` deletes those (with the lock held).
* ``append_durably``: one fsynced record appended to a log, starting on a fresh line after a torn one.
"""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path

from filelock import FileLock


def acquire_lock(path: Path, timeout: float) -> FileLock:
    """Return the ``filelock`` lock at ``path``, held (its folder created if needed).

    Raises filelock's ``Timeout`` after ``timeout`` seconds, ``OSError`` if the folder cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # Poll every 10 ms (filelock's default is 50 ms): saves are short, waiting ones should not lag.
    lock = FileLock(path, timeout=timeout, poll_interval=0.01)
    lock.acquire()
    return lock


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` so that readers and crashes see the old or the new file, never a mix."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    # O_EXCL: never write through someone else's file; mode 0o666 lets the umask decide, like open().
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable (best effort: not every OS allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # e.g. Windows or some network filesystems; the rename itself has happened
    finally:
        os.close(fd)


def remove_stale_temp_files(path: Path) -> None:
    """Delete temp files a crashed save of ``path`` left behind (call with the article's lock held)."""
    prefix = f".{path.name}."
    with suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            middle = entry.name[len(prefix) : -len(".tmp")]
            # The random middle has no dot: another article's temp file (".x.csv.y.csv.….tmp") never matches.
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp") and middle and "." not in middle:
                with suppress(OSError):
                    os.unlink(entry.path)


def append_durably(path: Path, line: bytes) -> int:
    """Return the file's size before appending ``line`` (one record ending in a newline) and fsyncing it.

    If a crash tore the previous append, ``line`` starts on a line of its own; if this write fails,
    the file is truncated back to its old size.
    """
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        size = os.fstat(fd).st_size
        if size:
            os.lseek(fd, size - 1, os.SEEK_SET)
            if os.read(fd, 1) != b"\n":
                line = b"\n" + line  # a crash tore the last append: leave that fragment on a line of its own
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError:
            with suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
    if created:
        fsync_directory(path.parent)
    return size
