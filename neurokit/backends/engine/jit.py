"""How the engine's Numba functions are compiled, and an on-disk cache that cannot go stale.

Numba's own cache (`cache=True`) checks only the timestamp of the file that defines a kernel,
not of the helpers compiled into it: after an edit to fixed_point.py, kernels.py's cached
machine code would silently keep the old arithmetic. So the cached files in this package's
__pycache__ are deleted whenever any engine source changes (a SHA-256 of the sources is kept
beside them; neurokit/quant/fixed.py, whose bit widths are compiled in, counts too). Learning
rules are generated code (rulegen.py): each becomes a module file in __pycache__/rules named by
the hash of its source and of the engine's sources, so Numba caches it like any other and a
changed engine never meets an old rule. Caching is off when that directory is not writable, when
NUMBA_CACHE_DIR points elsewhere, or when NEUROKIT_ENGINE_CACHE=0.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

from numba import njit as _njit

HERE = Path(__file__).parent
SOURCES = [HERE / name for name in ("jit.py", "fixed_point.py", "float_point.py", "kernels.py", "plastic.py",
                                    "online.py", "rulegen.py")]
SOURCES.append(HERE.parent.parent / "quant" / "fixed.py")  # bit widths compiled in as constants
SOURCES.append(HERE.parent.parent / "data" / "spike_draw.py")  # sorted_by_step is compiled into kernels.spike_lists
STAMP = "engine-sources.sha256"
CACHE_DIR = HERE / "__pycache__"
RULES_DIR = CACHE_DIR / "rules"  # generated learning-rule modules (rulegen.py), cached like the rest
DIGEST = hashlib.sha256(b"".join(path.read_bytes() for path in SOURCES)).hexdigest()


def _prepare_cache() -> bool:
    if os.environ.get("NEUROKIT_ENGINE_CACHE", "1") == "0" or os.environ.get("NUMBA_CACHE_DIR"):
        return False
    try:
        CACHE_DIR.mkdir(exist_ok=True)
        stamp = CACHE_DIR / STAMP
        if not stamp.is_file() or stamp.read_text() != DIGEST:
            for old in list(CACHE_DIR.glob("*.nbi")) + list(CACHE_DIR.glob("*.nbc")):
                old.unlink(missing_ok=True)
            shutil.rmtree(RULES_DIR, ignore_errors=True)
            stamp.write_text(DIGEST)
        return os.access(CACHE_DIR, os.W_OK)
    except OSError:
        return False


CACHE = _prepare_cache()
_told = False


def note_compiling(what: str) -> None:
    """Say once per process that a first run compiles (and that later runs will not)."""
    global _told
    if not _told:
        _told = True
        later = "cached for later runs" if CACHE else "not cached: NEUROKIT_ENGINE_CACHE=0 or no writable cache"
        sys.stderr.write(f"neurokit: compiling {what} (first run after install or update; {later})\n")


def njit(*args, **kwargs):
    """numba.njit with the engine's cache setting."""
    kwargs.setdefault("cache", CACHE)
    return _njit(*args, **kwargs)
