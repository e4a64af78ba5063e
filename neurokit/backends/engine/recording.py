"""What the engine keeps of a run besides spike counts: spike rasters, and u, v, θ after every
step (neurokit.probes), for chosen samples and neurons.

The kernels (kernels.run_samples) take `Kept.args()`: a row map for samples and one for
neurons (−1: not kept) and four arrays [kept samples, kept neurons, steps], each empty when
that variable is not kept. Row maps rather than index lists keep the kernel's test to two
lookups per neuron and step; every kept step is written (a spike as True or False), so a block
that schedule.py runs again simply overwrites its rows.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neurokit.probes import STATE


@dataclass
class Kept:
    srow: np.ndarray     # int64 [n]: row of sample b in the arrays below, −1: not kept
    nrow: np.ndarray     # int64 [N]: row of neuron n, −1: not kept
    spikes: np.ndarray   # bool [S, Nr, P], or empty
    u: np.ndarray        # int32 (fixed: Lava's registers) or float64 [S, Nr, P], or empty
    v: np.ndarray
    theta: np.ndarray

    @classmethod
    def plan(cls, layout, n: int, *, rasters: bool, record) -> "Kept":
        """Spikes of everything for `rasters`, plus what the resolved neurokit.probes.Record
        asks for (with rasters: of every sample and neuron, and sliced afterwards)."""
        P, N = layout.steps_per_sample, layout.n_neurons
        samples = range(n) if rasters else (record.samples if record else ())
        pops = layout.names if rasters else (record.pops if record else ())
        srow = np.full(n, -1, np.int64)
        srow[list(samples)] = np.arange(len(samples))
        nrow = np.full(N, -1, np.int64)
        kept = np.concatenate([np.arange(N)[layout.population(p)] for p in pops]) if pops else np.zeros(0, np.int64)
        nrow[kept] = np.arange(len(kept))
        shape = (len(samples), len(kept), P)
        what = record.what if record else ()
        dtype = np.int32 if layout.fixed else np.float64
        state = {v: np.zeros(shape if v in what else (0, 0, 0), dtype) for v in STATE}
        return cls(srow, nrow, np.zeros(shape if rasters or "spikes" in what else (0, 0, 0), bool), **state)

    def args(self, a: int, b: int) -> tuple:
        """The kernels' view for samples a..b−1."""
        return self.srow[a:b], self.nrow, self.spikes, self.u, self.v, self.theta

    def rasters(self, layout) -> dict[str, np.ndarray]:
        return {name: self.spikes[:, self._neurons(layout, name)] for name in layout.names}

    def recorded(self, layout, record) -> dict[str, np.ndarray]:
        """{'POP/var': [len(record.samples), size, P]} in the record's sample order."""
        rows = self.srow[list(record.samples)]
        every = np.array_equal(rows, np.arange(self.srow.max() + 1))  # all kept rows, in order: no copy
        out = {}
        for pop in record.pops:
            cols = self._neurons(layout, pop)
            for var in record.what:
                arr = getattr(self, var)
                out[f"{pop}/{var}"] = arr[:, cols] if every else arr[rows][:, cols]
        return out

    def _neurons(self, layout, pop: str) -> slice:
        """A population's rows in the kept arrays (kept populations are whole and in order)."""
        first = int(self.nrow[layout.population(pop).start])
        return slice(first, first + int(layout.sizes[layout.names.index(pop)]))
