"""Read the IDX files MNIST comes in, with numpy only (no torch), checking every byte count.

An IDX file is, in order:

    2 bytes        0x00 0x00
    1 byte         the data type: 0x08 unsigned byte (MNIST's, the only one read here),
                   0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
    1 byte         the number of dimensions, ndim
    4 x ndim bytes the size of each dimension, big-endian unsigned 32-bit
    the data       prod(sizes) items, row-major, nothing after them

and may be gzip-compressed (recognised by its first two bytes, 0x1f 0x8b). torchvision lays the
MNIST files out as ROOT/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte; it reads only the
uncompressed files (its download unpacks the .gz), and so do we first, then NAME.gz.
Every problem is a DataError of one line: the file, what is wrong, what is allowed.
"""
from __future__ import annotations

import gzip
import math
import os
import stat
import zlib
from pathlib import Path

import numpy as np

from neurokit.errors import DataError

MNIST_FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
               "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
MAX_BYTES = 1 << 30  # data per file: full MNIST is 47 MB, and the float32 copy is 4x this
_TYPES = {0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32",
          0x0E: "float64"}
_CHUNK = 1 << 24


def read_idx(path: str | Path, ndim: int, what: str = "") -> np.ndarray:
    """The uint8 array in the IDX file `path`, shaped as its header says; it must have `ndim` dimensions
    (`what` says what they are, for the message)."""
    path = Path(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # /dev/zero, a FIFO or a directory would never end
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise DataError(f"{path}: {kind}; an IDX file is expected")
        with open(path, "rb") as f:
            packed = f.read(2) == b"\x1f\x8b"
            f.seek(0)
            with (gzip.open(f) if packed else f) as g:
                return _parse(g, path, ndim, what, None if packed else st.st_size)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: broken gzip data ({_one_line(exc)}); a whole, valid .gz file is expected") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise DataError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or _one_line(exc)}") from None


def _parse(f, path: Path, ndim: int, what: str, file_size: int | None) -> np.ndarray:
    head = f.read(4)
    if len(head) < 4:
        raise DataError(f"{path}: {len(head)} bytes, shorter than the 4-byte IDX header")
    if head[:2] != b"\0\0":
        raise DataError(f"{path}: starts with 0x{head[:2].hex()}, not an IDX file (which starts with 0x0000)")
    code, nd = head[2], head[3]
    if code != 0x08:
        raise DataError(f"{path}: data type 0x{code:02x} ({_TYPES.get(code, 'unknown')}); "
                        f"only 0x08 (unsigned byte, as in MNIST) is read")
    if nd != ndim:
        raise DataError(f"{path}: {nd}-D data; {ndim}-D expected{f' ({what})' if what else ''}")
    dims = f.read(4 * nd)
    if len(dims) < 4 * nd:
        raise DataError(f"{path}: header cut short: {4 + len(dims)} bytes, {4 + 4 * nd} expected for {nd}-D data")
    shape = tuple(np.frombuffer(dims, ">u4").tolist())
    size, shown = math.prod(shape), "x".join(map(str, shape))
    if file_size is not None and file_size - 4 - 4 * nd != size:  # before allocating anything
        raise DataError(_length(path, shown, size, file_size - 4 - 4 * nd))
    if size > MAX_BYTES:
        raise DataError(f"{path}: the header declares {shown} = {size:,} bytes of data; at most {MAX_BYTES:,} are read")
    data = bytearray()  # read in chunks: a .gz's header may promise more than the file holds
    while len(data) <= size and (chunk := f.read(min(_CHUNK, size + 1 - len(data)))):
        data += chunk
    if len(data) != size:
        raise DataError(_length(path, shown, size, len(data) if len(data) <= size else None))
    return np.frombuffer(data, np.uint8).reshape(shape)


def _length(path: Path, shown: str, size: int, found: int | None) -> str:
    found_s = "more" if found is None else f"{found:,}"
    why = "cut short" if found is not None and found < size else "trailing bytes"
    return f"{path}: the header declares {shown} = {size:,} bytes of data, the file holds {found_s} ({why})"


def mnist_paths(raw: Path, split: str) -> tuple[Path, Path]:
    """The (images, labels) files of `split` under `raw`: NAME if it exists, else NAME.gz if that does."""
    plain = [raw / name for name in MNIST_FILES[split]]
    return tuple(p.with_name(p.name + ".gz") if not exists(p) and exists(p.with_name(p.name + ".gz")) else p
                 for p in plain)


def exists(path: Path) -> bool:
    return os.path.exists(path)  # unlike Path.exists, False (not an exception) for EACCES, a NUL, too long


def read_mnist(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images [n, rows, cols] and uint8 labels [n] in 0..9, one label per image."""
    images = read_idx(images_path, 3, "images: count x rows x columns")
    labels = read_idx(labels_path, 1, "labels: one per image")
    if len(images) == 0:
        raise DataError(f"{images_path}: holds no images; at least one is needed")
    if len(labels) != len(images):
        raise DataError(f"{labels_path}: {len(labels):,} labels for the {len(images):,} images of "
                        f"{images_path.name}; one label per image is needed")
    bad = np.flatnonzero(labels > 9)
    if bad.size:
        raise DataError(f"{labels_path}: label {labels[bad[0]]} at index {bad[0]}; labels must be 0..9")
    return images, labels


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
