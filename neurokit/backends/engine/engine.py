"""The public face of the engine: `Engine(params).run(inputs)`.

An Engine keeps its state between calls, exactly as one long Lava run does: calling `run`
twice on halves of the samples gives what one call on all of them gives. `run_network` is the
one-shot form the runner uses (a fresh Engine, like a fresh Lava runtime).

Samples go through in chunks: per chunk the input spikes are drawn and turned into lists of
the inputs that spike at each step (or, when they are dense, into the input connections'
outputs by one matrix product), then the neurons are stepped (schedule.py decides what may run
in parallel).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import Callable, NamedTuple

import numpy as np

from neurokit.backends.engine import kernels
from neurokit.backends.engine.layout import Layout, build_layout
from neurokit.backends.engine.recording import Kept
from neurokit.backends.engine.schedule import run_chunk
from neurokit.backends.engine.state import EngineState
from neurokit.errors import DataError
from neurokit.memory import DRIVE_CHUNK
from neurokit.quant import CompiledParams

CHUNK_SAMPLES = DRIVE_CHUNK  # samples whose input drive is computed at once (memory.py counts it)
GEMM_DENSITY = 0.05  # input spikes per (input, step) above which one matrix product beats the scatter kernel


class ChunkInput(NamedTuple):
    """A chunk's input as run_samples takes it: spike lists (ptr, idx: kernels.spike_lists) with
    `drive` an empty [n, P, 0], or the input connections' outputs `drive` [n, P, slots] with
    ptr = [0] (no lists)."""

    drive: np.ndarray
    ptr: np.ndarray
    idx: np.ndarray

    @property
    def n(self) -> int:
        return self.drive.shape[0]


class Engine:
    def __init__(self, params: CompiledParams):
        self.params = params
        self.layout: Layout = build_layout(params)
        self.state = EngineState.zeros(self.layout)

    def run(self, inputs: np.ndarray, *, rasters: bool = False, record=None,
            on_progress: Callable[[int], None] | None = None, chunk: int = CHUNK_SAMPLES) -> dict:
        """inputs: bool [n, n_inputs, P]; record: a resolved neurokit.probes.Record or None.
        Returns {"counts": {pop: int64 [n, size]}, "rasters": {pop: bool [n, size, P]} or None,
        "recorded": {"POP/var": [samples, size, P]} or None, "theta": {pop: θ at the end}}."""
        L = self.layout
        inputs = self._check(inputs)
        n, _, P = inputs.shape
        N = L.n_neurons
        counts = np.zeros((n, N), np.int64)
        kept = Kept.plan(L, n, rasters=rasters, record=record)
        starts = list(range(0, n, chunk))
        # While the neurons of one chunk are stepped (one thread when samples must run in
        # order), the next chunk's input spikes are drawn and its input drive computed beside it.
        overlap = L.adaptive and len(starts) > 1
        with ThreadPoolExecutor(max_workers=1) as pool:
            submit = pool.submit if overlap else _now
            pending = submit(self._drive, inputs, starts[0], min(n, starts[0] + chunk))
            for k, a in enumerate(starts):
                b = min(n, a + chunk)
                drive = pending.result()
                if k + 1 < len(starts):
                    pending = submit(self._drive, inputs, b, min(n, b + chunk))
                run_chunk(L, self.state, drive, counts[a:b], kept.args(a, b))
                if on_progress:
                    on_progress(b)
        split = lambda arr: {name: arr[:, L.population(name)] for name in L.names}  # noqa: E731
        theta = {name: self.state.theta[L.population(name)].copy() for name in L.names}
        return {"counts": split(counts), "rasters": kept.rasters(L) if rasters else None,
                "recorded": kept.recorded(L, record) if record else None, "theta": theta}

    def _drive(self, inputs, a: int, b: int) -> ChunkInput:
        """Samples a..b−1's input: spike lists, or for dense spikes the input connections' outputs
        at every step [b − a, P, slots] (one matrix product, _drive_gemm)."""
        L = self.layout
        empty = np.zeros((b - a, L.steps_per_sample, 0), np.int64 if L.fixed else np.float64)
        if hasattr(inputs, "lists"):  # RateInputs: drawn here, straight into lists
            return ChunkInput(empty, *inputs.lists(slice(a, b)))
        block = np.ascontiguousarray(inputs[a:b], dtype=bool)
        if self._gemm is not None and block.mean() >= GEMM_DENSITY:
            return ChunkInput(self._drive_gemm(block), np.zeros(1, np.int64), np.zeros(0, np.int64))
        return ChunkInput(empty, *kernels.spike_lists(kernels.spike_words(block), L.steps_per_sample))

    @cached_property
    def _gemm(self) -> list | None:
        """Fixed point, dense input spikes (an integrate-and-fire encoder fires in ~10 % of the
        steps): each input connection's sums as one float32 matrix product, W^T [inputs, targets].
        Exact: every partial sum is an integer below 2^24, float32's exact range, which is checked
        per connection (else None, and the scatter kernel runs)."""
        L = self.layout
        if not L.fixed:
            return None  # float sums must follow NumPy's order in Lava's Dense (float_point.py)
        out = []
        for c in np.flatnonzero(L.src < 0):
            wt = L.weights[L.w_off[c]:L.w_off[c] + L.n_inputs * L.n_tgt[c]].reshape(L.n_inputs, L.n_tgt[c])
            if np.abs(wt).sum(axis=0).max(initial=0) >= 2**24:
                return None
            out.append((int(L.slot[c]), int(L.n_tgt[c]), int(L.exp[c]), wt.astype(np.float32)))
        return out

    def _drive_gemm(self, block: np.ndarray) -> np.ndarray:
        L = self.layout
        B, n_in, P = block.shape
        x = block.transpose(0, 2, 1).reshape(B * P, n_in).astype(np.float32)
        drive = np.zeros((B, P, L.n_slots), np.int64)
        for slot, nt, exp, wt in self._gemm:
            acc = (x @ wt).astype(np.int64).reshape(B, P, nt)
            acc = acc << exp if exp > 0 else acc >> -exp            # Lava Dense: a_out = acc << exp (or >>)
            drive[:, :, slot:slot + nt] = ((acc + 2**31) & 0xFFFFFFFF) - 2**31  # sent through an int32
        return drive

    def _check(self, inputs):
        """inputs: a bool array [samples, inputs, steps], or neurokit.data.RateInputs (drawn per chunk)."""
        L = self.layout
        if inputs.ndim != 3 or inputs.shape[1] != L.n_inputs or inputs.shape[2] != L.steps_per_sample:
            raise DataError(f"engine inputs must be bool [samples, {L.n_inputs}, {L.steps_per_sample}] "
                            f"(inputs x steps per sample), got shape {inputs.shape}")
        return inputs


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def _now(fn, *args) -> _Done:
    """pool.submit's shape, run here and now."""
    return _Done(fn(*args))


def run_network(params: CompiledParams, inputs: np.ndarray, *, rasters: bool = False, record=None,
                on_progress: Callable[[int], None] | None = None) -> dict:
    """One run from a fresh state: what the Lava backend's run_network returns."""
    return Engine(params).run(inputs, rasters=rasters, record=record, on_progress=on_progress)
