"""Where neurokit writes, and the promise it keeps there: it never deletes or overwrites what it
did not create, and it finds a bad output path before the work starts, not after.

A result directory (`--out DIR`) carries a manifest, `.neurokit-output.json`, naming the command
that wrote it and every file in it. Writing to DIR is allowed when DIR
  - does not exist (missing parents are created, and removed again if the command fails),
  - is an empty directory, or
  - is an earlier neurokit result that holds only the files its manifest lists;
and refused, before any work, when DIR is a file or a link, a directory neurokit did not write
(or one a user added files to), `/`, the home directory, the current directory or one above it,
or a directory that holds one of the command's inputs.

    with ResultDir(args.out, command="train", inputs=[args.net]) as out:   # checked, locked, staged
        ... hours of work ...
        out.commit({"network.yaml": b"..."})                               # swapped in at once

The result is assembled in a staging directory beside DIR and swapped in with one rename:
`renameat2(RENAME_EXCHANGE)` on Linux, so a reader sees the old result or the new one, never
neither (elsewhere two renames, with a moment in between). A lock file beside DIR, held with
flock for the whole command, makes a second writer to the same DIR fail at once; the kernel
releases it if the process dies. Staging directories and lock files are removed on every exit
path; ones left by a killed process are removed by the next writer that holds the lock.

Single output files (`--raster`, `--plot`, `--record-out`) follow the same rule: a PNG is
replaced only if neurokit wrote it (its `Software` text chunk says so, see `neurokit.plots`), an
.npz only if it holds the array `neurokit` with the text "neurokit …" (neurokit.probes).
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from neurokit.errors import NeurokitError
from neurokit.util import umask

MANIFEST = ".neurokit-output.json"
PNG_SOFTWARE_TAG = b"tEXtSoftware\x00neurokit"
NPZ_MARKER = "neurokit.npy"  # the .npz member holding "neurokit <version> …" (neurokit.probes.NPZ_MARKER)


class OutputError(NeurokitError):
    """An output path that neurokit must not or cannot write."""


def _refuse(path, flag: str, why: str) -> OutputError:
    return OutputError(f"{flag} {str(path)!r}: {why}")


def _protected(path: Path, inputs) -> str | None:
    """Why `path` may never be replaced as a whole, or None."""
    real = Path(os.path.realpath(path))
    cwd = Path(os.path.realpath(os.getcwd()))
    if real == Path(real.anchor):
        return "is the root directory"
    if real == Path(os.path.realpath(Path.home())):
        return "is the home directory"
    if real == cwd or real in cwd.parents:
        return "is the current directory or one above it"
    for inp in inputs:
        inp_real = Path(os.path.realpath(inp))
        if real == inp_real or real in inp_real.parents:
            return f"holds the input {inp}"
    return None


def _foreign_entries(path: Path) -> list[str] | None:
    """Entries of directory `path` that neurokit did not write; None if it is not a neurokit
    result at all (no readable manifest)."""
    entries = sorted(os.listdir(path))
    if not entries:
        return []
    try:
        listed = set(json.loads((path / MANIFEST).read_text())["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return [e for e in entries if e != MANIFEST and (e not in listed or not (path / e).is_file()
                                                      or (path / e).is_symlink())]


def _created_parents(parent: Path) -> list[Path]:
    """Create the missing ancestors of an output; return them, deepest first, for removal."""
    missing = []
    p = parent
    while not p.exists() and not p.is_symlink():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir()
    return missing


def _remove_empty(dirs: list[Path]) -> None:
    for d in dirs:
        try:
            d.rmdir()
        except OSError:
            break


def _prepare_parent(path: Path, flag: str) -> list[Path]:
    for above in [path.parent, *path.parent.parents]:
        if above.exists():
            if not above.is_dir():
                raise _refuse(path, flag, f"{above} is a file, not a directory")
            break
    try:
        return _created_parents(path.parent)
    except OSError as exc:
        raise _refuse(path, flag, f"cannot create its directory {exc.filename}: {exc.strerror}") from None


class _Output:
    """Common part of ResultDir and ResultFile: path checks, created parents, cleanup."""

    flag = "--out"

    def __init__(self, path, *, flag: str | None = None, inputs=()):
        self.flag = flag or self.flag
        if path is None or not str(path).strip():
            raise OutputError(f"{self.flag}: the path is empty; give a file or directory name")
        self.path = Path(os.path.abspath(os.path.expanduser(str(path))))
        self.inputs = [str(i) for i in inputs]
        self._parents: list[Path] = []
        self._committed = False

    def __enter__(self):
        self.reserve()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.release()
        return False


class ResultDir(_Output):
    """A result directory written whole or not at all (see the module docstring)."""

    def __init__(self, path, *, command: str, inputs=(), flag: str = "--out"):
        super().__init__(path, flag=flag, inputs=inputs)
        self.command = command
        self._lock_fd: int | None = None
        self.staging: Path | None = None

    @property
    def _lock_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.neurokit-lock")

    def reserve(self) -> None:
        why = _protected(self.path, self.inputs)
        if why:
            raise _refuse(self.path, self.flag, why + "; choose a new directory")
        self._parents = _prepare_parent(self.path, self.flag)
        try:
            self._lock()
            self._check_target()
            self._open()
        except OSError as exc:
            self.release()
            raise _refuse(self.path, self.flag, f"cannot write there: {exc.strerror}") from None
        except BaseException:
            self.release()
            raise

    def _open(self) -> None:
        """Make the place the result is written to: a staging directory beside DIR."""
        self._remove_stale_staging()
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.neurokit-staging-", dir=self.path.parent))
        os.chmod(self.staging, 0o777 & ~umask())  # mkdtemp's 0700 would make the result private

    def _lock(self) -> None:
        lock = self._lock_path
        while True:
            fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                os.close(fd)
                raise _refuse(self.path, self.flag, f"another neurokit command (pid {holder}) is writing "
                                                    "there; wait for it or choose another directory") from None
            try:
                same = os.fstat(fd).st_ino == os.stat(lock).st_ino
            except FileNotFoundError:
                same = False  # its holder removed it as we opened it: take a fresh one
            if same:
                os.ftruncate(fd, 0)
                os.pwrite(fd, str(os.getpid()).encode(), 0)
                self._lock_fd = fd
                return
            os.close(fd)

    def _check_target(self) -> None:
        p = self.path
        if p.is_symlink():
            raise _refuse(p, self.flag, "is a symbolic link; give the directory itself")
        if not p.exists():
            return
        if not p.is_dir():
            raise _refuse(p, self.flag, "is a file, not a directory; neurokit replaces only directories it wrote")
        foreign = _foreign_entries(p)
        if foreign is None:
            raise _refuse(p, self.flag, f"is a directory neurokit did not write (no {MANIFEST}); "
                                        "choose a new or empty directory")
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise _refuse(p, self.flag, f"holds files neurokit did not write ({shown}); "
                                        "move them away or choose another directory")

    def _remove_stale_staging(self) -> None:
        for q in self.path.parent.glob(f".{self.path.name}.neurokit-staging-*"):
            shutil.rmtree(q, ignore_errors=True)

    def commit(self, files: dict[str, bytes]) -> Path:
        """Write `files` (flat names) and the manifest, then swap the result in."""
        assert self.staging is not None, "reserve() first"
        for name in files:
            if not name or "/" in name or name.startswith(".") or name == MANIFEST:
                raise ValueError(f"bad result file name {name!r}")
        try:
            for name, data in files.items():
                (self.staging / name).write_bytes(data)
            _write_manifest(self.staging, self.command, files)
            self._check_target()  # again: someone may have put a file there while we worked
            self._swap_in()
        except OSError as exc:
            raise _refuse(self.path, self.flag, f"writing failed: {exc.strerror}") from None
        self._committed = True
        return self.path

    def _swap_in(self) -> None:
        staging, path = self.staging, self.path
        if not path.exists():
            os.rename(staging, path)
            self.staging = None
            return
        if _exchange(staging, path):  # staging now holds the old result
            old = staging
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.neurokit-staging-", dir=path.parent)) / "old"
            os.rename(path, old)
            os.rename(staging, path)
        self._remove_old_result(old)
        self.staging = None

    def _remove_old_result(self, old: Path) -> None:
        """Delete what the old manifest lists, nothing else; keep the folder if a user's file
        slipped in at the last moment."""
        foreign = _foreign_entries(old) or []
        if foreign:
            sys.stderr.write(f"neurokit: kept {old} with files neurokit did not write: {', '.join(foreign)}\n")
            return
        for e in os.listdir(old):
            (old / e).unlink()
        old.rmdir()
        if old.name == "old":
            old.parent.rmdir()

    def release(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._lock_fd is not None:
            try:
                self._lock_path.unlink()
            except FileNotFoundError:
                pass
            os.close(self._lock_fd)
            self._lock_fd = None
        if not self._committed:
            _remove_empty(self._parents)


class ResultFile(_Output):
    """One output file (a PNG plot, an .npz of probes): checked before the work, written
    atomically at the end, replacing only a file that neurokit wrote."""

    def reserve(self) -> None:
        p = self.path
        if p.is_dir():
            raise _refuse(p, self.flag, "is a directory; give a file name")
        if p.exists() or p.is_symlink():
            if p.is_symlink() or not p.is_file():
                raise _refuse(p, self.flag, "exists and is not a regular file")
            if not _written_by_neurokit(p):
                raise _refuse(p, self.flag, "exists and neurokit did not write it; choose a new file name")
        for inp in self.inputs:
            if os.path.realpath(inp) == os.path.realpath(p):
                raise _refuse(p, self.flag, "is the command's input")
        self._parents = _prepare_parent(p, self.flag)
        try:  # prove that the directory takes files before any work is done
            fd, probe = tempfile.mkstemp(prefix=f".{p.name}.neurokit-", dir=p.parent)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            self.release()
            raise _refuse(p, self.flag, f"cannot write there: {exc.strerror}") from None

    def commit(self, data) -> Path:
        """Write `data`: bytes, or a function that writes to the open file (util.atomic_write_bytes)."""
        from neurokit.util import atomic_write_bytes

        try:
            atomic_write_bytes(self.path, data)
        except OSError as exc:
            raise _refuse(self.path, self.flag, f"writing failed: {exc.strerror}") from None
        self._committed = True
        return self.path

    def release(self) -> None:
        if not self._committed:
            _remove_empty(self._parents)


def _write_manifest(directory: Path, command: str, files) -> None:
    manifest = {"written_by": "neurokit", "command": command, "argv": sys.argv[1:],
                "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "files": sorted(files)}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1))


def _written_by_neurokit(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if head.startswith(b"PK"):  # a zip: an .npz of neurokit's carries its marker array
        return _marked_npz(path)
    if head.startswith(HDF5_SIGNATURE):  # a .net / .nir export carries a root attribute
        return _marked_hdf5(path)
    return head.startswith(YAML_HEADER.encode()) or (head.startswith(b"\x89PNG") and PNG_SOFTWARE_TAG in head)


HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
HDF5_MARK = "neurokit"                       # root attribute of the HDF5 files neurokit writes
YAML_HEADER = "# written by neurokit"        # first line of the network files neurokit import writes


def _marked_hdf5(path: Path) -> bool:
    import h5py

    try:
        with h5py.File(path, "r") as f:
            return HDF5_MARK in f.attrs
    except OSError:
        return False


def _marked_npz(path: Path) -> bool:
    import zipfile

    import numpy as np

    try:
        with zipfile.ZipFile(path) as z, z.open(NPZ_MARKER) as f:
            return str(np.lib.format.read_array(f, allow_pickle=False)).startswith("neurokit ")
    except (KeyError, OSError, ValueError, EOFError, zipfile.BadZipFile):
        return False


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2 RENAME_EXCHANGE); False where the
    system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    fn = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class AppendDir(ResultDir):
    """A result directory that grows as work ends (a sweep's results.jsonl, one row per run),
    so that a stopped command can be resumed. Checked and locked like a ResultDir; it is created
    at once with its manifest and `files` (the sweep file), and may be continued only by the
    same command on the same inputs (the same `files`)."""

    def __init__(self, path, *, command: str, files: dict[str, bytes], grows: str, inputs=(), flag: str = "--out"):
        super().__init__(path, command=command, inputs=inputs, flag=flag)
        self.files, self.grows = files, grows
        self._created = False

    def _open(self) -> None:
        """Continue this command's own work in DIR, or start it."""
        if self.path.is_dir() and os.listdir(self.path):
            self._check_same_work()
            self._drop_partial_line()
        else:
            self._create()

    def _check_same_work(self) -> None:
        manifest = json.loads((self.path / MANIFEST).read_text())
        same = manifest.get("command") == self.command and all(
            (self.path / name).is_file() and (self.path / name).read_bytes() == data for name, data in self.files.items())
        if not same:
            raise _refuse(self.path, self.flag, f"holds another {manifest.get('command')} result; a {self.command} "
                                                "continues only its own work (choose another directory)")

    def _drop_partial_line(self) -> None:
        """A line cut short by a crash (no newline yet) is dropped, so the next one starts clean."""
        path = self.path / self.grows
        data = path.read_bytes()
        if data and not data.endswith(b"\n"):
            with open(path, "r+b") as f:
                f.truncate(data.rfind(b"\n") + 1)

    def _create(self) -> None:
        self._created = not self.path.exists()
        self.path.mkdir(exist_ok=True)
        for name, data in self.files.items():
            (self.path / name).write_bytes(data)
        (self.path / self.grows).touch()
        _write_manifest(self.path, self.command, [*self.files, self.grows])

    def rows(self) -> list[str]:
        """The lines written so far."""
        return [ln for ln in (self.path / self.grows).read_text().split("\n") if ln]

    def append(self, line: str) -> None:
        """One line, flushed and synced: a crash loses at most the line being written."""
        with open(self.path / self.grows, "a") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
        self._committed = True

    def release(self) -> None:
        if self._created and not self._committed:  # nothing done: leave no empty result behind
            shutil.rmtree(self.path, ignore_errors=True)
            self._created = False
        super().release()
