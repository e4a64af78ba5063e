"""How the engine's Numba functions are compiled, and an on-disk cache that cannot go stale.

Numba's own cache (`cache=True`) checks only the timestamp of the file that defines a kernel,
not of the helpers compiled into it: after an edit to fixed_point.py, kernels.py's cached
machine code would silently keep the old arithmetic. So the cached files in this package's
__pycache__ are deleted whenever any engine source changes (a SHA-256 of the sources is kept
beside them; neurokit/quant/fixed.py, whose bit widths are compiled in, counts too). Caching is off when that directory is not writable, when NUMBA_CACHE_DIR points
elsewhere, or when NEUROKIT_ENGINE_CACHE=0.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from numba import njit as _njit

HERE = Path(__file__).parent
SOURCES = [HERE / name for name in ("jit.py", "fixed_point.py", "float_point.py", "kernels.py")]
SOURCES.append(HERE.parent.parent / "quant" / "fixed.py")  # bit widths compiled in as constants
STAMP = "engine-sources.sha256"


def _prepare_cache() -> bool:
    if os.environ.get("NEUROKIT_ENGINE_CACHE", "1") == "0" or os.environ.get("NUMBA_CACHE_DIR"):
        return False
    cache = HERE / "__pycache__"
    try:
        digest = hashlib.sha256(b"".join(path.read_bytes() for path in SOURCES)).hexdigest()
        cache.mkdir(exist_ok=True)
        stamp = cache / STAMP
        if not stamp.is_file() or stamp.read_text() != digest:
            for old in list(cache.glob("*.nbi")) + list(cache.glob("*.nbc")):
                old.unlink(missing_ok=True)
            stamp.write_text(digest)
        return os.access(cache, os.W_OK)
    except OSError:
        return False


CACHE = _prepare_cache()


def njit(*args, **kwargs):
    """numba.njit with the engine's cache setting."""
    kwargs.setdefault("cache", CACHE)
    return _njit(*args, **kwargs)
