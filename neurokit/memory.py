"""Memory a network or a run will take, estimated before anything is allocated, and refused
over a limit with the figure: a spec with 10⁹ neurons or a 10⁸ ms presentation is an error
message, not a MemoryError traceback or a machine that starts swapping.

The limit is NEUROKIT_MEMORY_LIMIT_GB if set, else 80 % of the machine's physical memory.
"""
from __future__ import annotations

import os

from neurokit.errors import NeurokitError

_DEFAULT_FRACTION = 0.8
DRIVE_CHUNK = 256  # samples per chunk of the engine's precomputed input drive
STATE_ARRAYS = 8  # per neuron: u, v, θ, refractory, counts and their scratch copies, 8 bytes each


class MemoryLimitError(NeurokitError):
    """The work would need more memory than the limit allows."""


def limit_bytes() -> int:
    text = os.environ.get("NEUROKIT_MEMORY_LIMIT_GB")
    if text is None:
        return int(_DEFAULT_FRACTION * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    try:
        gb = float(text)
    except ValueError:
        gb = float("nan")
    if not gb > 0 or gb == float("inf"):
        raise MemoryLimitError(f"NEUROKIT_MEMORY_LIMIT_GB={text!r}: must be a finite number of GB > 0")
    return int(gb * 2**30)


def check(n_bytes: float, what: str) -> None:
    """Raise MemoryLimitError when `what` would need more than the limit."""
    limit = limit_bytes()
    if n_bytes > limit:
        raise MemoryLimitError(
            f"{what} would need {_size(n_bytes)} of memory, over the limit of {_size(limit)} "
            "(NEUROKIT_MEMORY_LIMIT_GB; default 80 % of this machine's memory)")


def _size(n_bytes: float) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:,.1f} {unit}"
    return f"{n_bytes:.0f} bytes"


def weight_bytes(pairs) -> float:
    """Dense weight matrices [target, source] of float64 for each (n_source, n_target), twice
    over: the IR's matrix and its compiled copy."""
    return sum(2 * 8.0 * n_src * n_tgt for n_src, n_tgt in pairs)


def run_bytes(n_samples: int, n_inputs: int, steps: int, neurons: int, rasters: bool,
              held_samples: int | None = None) -> float:
    """Input spike trains (bool [sample, input, step]) of `held_samples` (default all: drawn at
    once), rasters (bool [sample, neuron, step]) if kept, spike counts (int64 [sample, neuron]),
    neuron state, and the engine's input drive (int64 [chunk, step, neuron]) of the chunk being
    simulated and the next (DRIVE_CHUNK samples each: the engine's chunk)."""
    held = n_samples if held_samples is None else min(n_samples, held_samples)
    return (held * n_inputs * steps + (n_samples * neurons * steps if rasters else 0)
            + 8.0 * n_samples * (neurons + n_inputs) + 8.0 * STATE_ARRAYS * neurons
            + 8.0 * min(n_samples, 2 * DRIVE_CHUNK) * steps * neurons)


def record_bytes(n_samples: int, neurons: int, steps: int, *, spikes: bool, state: int, itemsize: int) -> float:
    """Probes (neurokit.probes): spikes (bool) and `state` variables of `itemsize` bytes each, for
    every kept sample, neuron and step."""
    return float(n_samples) * neurons * steps * ((1 if spikes else 0) + state * itemsize)
