"""Rate encoding of samples into input spike trains (see neurokit.ir.encoders for the maths)."""
from __future__ import annotations

import functools

import numpy as np

from neurokit import memory
from neurokit.errors import DataError
from neurokit.ir import Network


def spike_probability(x: np.ndarray, kind: str, max_rate_hz: float, dt_ms: float) -> np.ndarray:
    rate_per_step = np.clip(x, 0.0, 1.0) * max_rate_hz * dt_ms / 1000.0
    if kind == "bernoulli":
        return rate_per_step                    # P = x · f_max · dt
    return -np.expm1(-rate_per_step)            # P = 1 − exp(−x · f_max · dt)


def encode_rate(net: Network, flat_samples: np.ndarray, seed: int, *, rasters: bool = False) -> np.ndarray:
    """Spike trains [n_samples, n_inputs, steps_per_sample] (bool) for `net`'s input population:
    `presentation_steps` of rate-coded spikes, then silence for the rest period. The memory of
    the run (with spike `rasters` kept or not) is checked before anything is allocated."""
    return RateInputs(net, flat_samples, seed, rasters=rasters, blocks=False)[0:len(flat_samples)]


class RateInputs:
    """The same spike trains as `encode_rate`, drawn block by block when a backend asks for
    them, in order (`inputs[a:b]` right after `inputs[…:a]`): a run never holds all of them,
    and the engine draws the next block on one core while it simulates this one on the other.

    Draws: one uniform u per step of each presented input with P > 0 (most pixels are 0 and
    draw nothing), in the order [sample, input, step], spike = u < P; so the stream, and the
    spikes, do not depend on the block sizes."""

    def __init__(self, net: Network, flat_samples: np.ndarray, seed: int, *, rasters: bool = False,
                 blocks: bool = True):
        inp = net.input_population
        if flat_samples.shape[1] != inp.size:
            raise DataError(f"samples have {flat_samples.shape[1]} values, input population {inp.name!r} has "
                            f"{inp.size} neurons")
        enc = inp.encoder
        n, T = len(flat_samples), net.steps_per_sample
        held = 2 * memory.DRIVE_CHUNK if blocks else n  # the engine's chunk being simulated and the next
        memory.check(memory.run_bytes(n, inp.size, T, sum(p.size for p in net.neuron_populations), rasters, held),
                     f"{n} samples x {T} steps of network {net.name!r}")
        self.p = spike_probability(flat_samples, enc.kind, enc.max_rate_hz, net.dt_ms)
        self.rng = np.random.default_rng(seed)
        self.on = net.presentation_steps
        self.shape = (n, inp.size, T)
        self.ndim = 3
        self.counts = np.zeros((n, inp.size), np.int64)  # spikes per sample and input, as drawn
        self._next = 0

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, block: slice) -> np.ndarray:
        a, b, _ = block.indices(self.shape[0])
        if a != self._next:
            raise ValueError(f"input blocks are drawn in order: samples {self._next}.. next, not {a}..")
        spikes = np.zeros((b - a, *self.shape[1:]), dtype=bool)
        _draw_kernel()(spikes, self.counts[a:b], self.p[a:b], self.rng, self.on)
        self._next = b
        return spikes


@functools.cache
def _draw_kernel():
    """Compiled on first use, so that importing neurokit.data does not import Numba."""
    from numba import njit

    @njit(nogil=True, cache=True)
    def draw(spikes, counts, p, rng, on):
        for b in range(p.shape[0]):
            for i in range(p.shape[1]):
                if p[b, i] > 0:
                    n = 0
                    for j in range(on):
                        s = rng.random() < p[b, i]
                        spikes[b, i, j] = s
                        n += s
                    counts[b, i] = n

    return draw
