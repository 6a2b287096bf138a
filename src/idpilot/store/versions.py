"""Writing a store while others read it: a new version is built beside it and swapped in.

`new_version(PATH)` copies the store to a hidden sibling (`.NAME.next`), yields it open for
writing, and when the block ends checkpoints it and renames it over PATH in one atomic step.
Readers never wait: a command that opened PATH before the swap keeps reading the version it
opened (the old file stays readable until they close it), one that opens it after reads the new
version, and `Store.refresh()` lets a long session move to the newest. A failed or killed write
leaves PATH as it was, and a store that did not exist is not created.

One writer at a time: a lock file (`.NAME.lock`, removed when the writer ends) says who writes;
a second writer waits up to IDPILOT_STORE_WAIT_SECONDS, then is told who holds it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from idpilot.errors import StoreBusyError, StoreError
from idpilot.store.database import Store, open_connection, store_wait_seconds

POLL_SECONDS = 0.1
CHUNK_BYTES = 8 << 20
WAL_SUFFIX = ".wal"
TEMP_SUFFIX = ".tmp"  # DuckDB's default temp_directory: the database file's name + .tmp


def next_path(path: Path) -> Path:
    """Where the next version of the store at `path` is built."""
    return path.with_name(f".{path.name}.next")


def lock_path(path: Path) -> Path:
    """The lock file that names the one process writing the store at `path`."""
    return path.with_name(f".{path.name}.lock")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + WAL_SUFFIX)


@contextmanager
def new_version(path: Path | str, *, wait: float | None = None) -> Iterator[Store]:
    """A writable copy of the store at `path`, published atomically if the block succeeds."""
    target = Path(path)
    if target.exists() and not target.is_file():
        raise StoreError(f"{target} is a folder, not a store file; name a file with --store")
    created = _make_parents(target.parent)
    try:
        with _writer_lock(target, store_wait_seconds() if wait is None else wait):
            staging = next_path(target)
            _remove(staging)  # a version a killed writer left half-built
            if target.exists():
                _copy_current(target, staging)
            store = Store.open(staging)
            try:
                yield store
                store.con.execute("CHECKPOINT")
            except BaseException:
                store.close()
                _remove(staging)
                raise
            store.close()
            _publish(staging, target)
    except BaseException:
        for folder in created:  # folders made for a store that never came to be
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; return the ones created, deepest first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        try:
            each.mkdir()
        except FileExistsError:
            pass
        except OSError as error:
            raise StoreError(f"cannot create the folder {each}: {error.strerror}") from None
    return missing


def _copy_current(target: Path, staging: Path) -> None:
    """Copy the published store, holding a read lock so no other program writes it meanwhile.

    The copy keeps the store's permission bits (a store made private stays private), and is
    created afresh, never through a link planted where it is written.
    """
    guard = open_connection(target, read_only=True)
    try:
        for source, copy in ((target, staging), (_wal(target), _wal(staging))):
            if source.exists():  # a log holds committed work of a writer that did not finish
                _copy_file(source, copy)
    except OSError as error:
        _remove(staging)
        raise StoreError(f"cannot copy {target} to write its next version: {error}") from None
    finally:
        guard.close()


def _copy_file(source: Path, copy: Path) -> None:
    mode = source.stat().st_mode & 0o777
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(copy, flags, mode)
    with source.open("rb") as reader, os.fdopen(descriptor, "wb") as writer:
        shutil.copyfileobj(reader, writer, CHUNK_BYTES)
    os.chmod(copy, mode)  # the umask may have narrowed it


def _publish(staging: Path, target: Path) -> None:
    """Make the finished version durable, then rename it over the published one."""
    with staging.open("rb") as handle:
        os.fsync(handle.fileno())
    # The old version's log must not be read with the new file (it is empty after a checkpoint).
    _wal(target).unlink(missing_ok=True)
    os.replace(staging, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _remove(staging: Path) -> None:
    for leftover in (staging, _wal(staging)):
        leftover.unlink(missing_ok=True)
    # What DuckDB spilled beside a version whose writer was killed (gigabytes at scale).
    shutil.rmtree(staging.with_name(staging.name + TEMP_SUFFIX), ignore_errors=True)


@contextmanager
def _writer_lock(target: Path, wait: float) -> Iterator[None]:
    """Hold the store's writer lock for the block, waiting at most `wait` seconds for it."""
    path = lock_path(target)
    deadline = time.monotonic() + wait
    while True:
        handle = _open_lock(path)
        try:
            _try_lock(handle)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                handle.close()
                raise
            holder = _read_holder(handle)
            handle.close()
            if time.monotonic() >= deadline:
                raise StoreBusyError(_busy_message(target, holder, wait)) from None
            time.sleep(POLL_SECONDS)
            continue
        if _same_file(handle, path):
            break
        handle.close()  # the previous holder removed the file we opened: take the new one
    try:
        handle.truncate(0)
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        command = " ".join(Path(arg).name if i == 0 else arg for i, arg in enumerate(sys.argv))
        handle.write(f"{os.getpid()}\n{started}\n{command[:200]}\n".encode())
        handle.flush()
        yield
    finally:
        path.unlink(missing_ok=True)
        handle.close()


def _try_lock(handle: BinaryIO) -> None:
    """Take an exclusive lock on the open lock file, or raise OSError(EAGAIN) at once."""
    if sys.platform == "win32":  # pragma: no cover - idpilot is developed on POSIX
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            raise OSError(errno.EAGAIN, "locked") from None
        return
    import fcntl

    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _open_lock(path: Path) -> BinaryIO:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.fdopen(os.open(path, flags, 0o600), "r+b")
    except OSError as error:
        raise StoreError(
            f"cannot create {path} to lock the store: {error.strerror}; "
            "the store's folder must be writable to ingest (and the lock must not be a link)"
        ) from None


def _same_file(handle: BinaryIO, path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False


def _read_holder(handle: BinaryIO) -> list[str]:
    handle.seek(0)
    return handle.read(400).decode("utf-8", "replace").splitlines()


def _busy_message(target: Path, holder: list[str], wait: float) -> str:
    who = "another idpilot process"
    if len(holder) >= 3:
        who = f"another idpilot process (PID {holder[0]}, `{holder[2]}`, since {holder[1]})"
    return (
        f"{target} is being written by {who}; idpilot waited {wait:g} s. "
        "Answers keep coming from the last complete version meanwhile. Wait for that ingest "
        "to finish and run this again, or ingest into another store with --store NEW_PATH "
        "(IDPILOT_STORE_WAIT_SECONDS sets how long to wait)."
    )
