"""Rate encoding of samples into input spike trains (see neurokit.ir.encoders for the maths)."""
from __future__ import annotations

import numpy as np

from neurokit import memory
from neurokit.errors import DataError
from neurokit.ir import Network

ENCODE_BLOCK = 64  # samples per draw of random numbers


def spike_probability(x: np.ndarray, kind: str, max_rate_hz: float, dt_ms: float) -> np.ndarray:
    rate_per_step = np.clip(x, 0.0, 1.0) * max_rate_hz * dt_ms / 1000.0
    if kind == "bernoulli":
        return rate_per_step                    # P = x · f_max · dt
    return -np.expm1(-rate_per_step)            # P = 1 − exp(−x · f_max · dt)


def encode_rate(net: Network, flat_samples: np.ndarray, seed: int, *, rasters: bool = False) -> np.ndarray:
    """Spike trains [n_samples, n_inputs, steps_per_sample] (bool) for `net`'s input population:
    `presentation_steps` of rate-coded spikes, then silence for the rest period. The memory of
    the run (with spike `rasters` kept or not) is checked before anything is allocated."""
    inp = net.input_population
    if flat_samples.shape[1] != inp.size:
        raise DataError(
            f"samples have {flat_samples.shape[1]} values, input population {inp.name!r} has "
            f"{inp.size} neurons"
        )
    enc = inp.encoder
    p = spike_probability(flat_samples, enc.kind, enc.max_rate_hz, net.dt_ms)
    rng = np.random.default_rng(seed)
    n, T, on = len(flat_samples), net.steps_per_sample, net.presentation_steps
    draws = 8.0 * min(n, ENCODE_BLOCK) * inp.size * on  # float64 uniforms of one block, at most
    memory.check(memory.run_bytes(n, inp.size, T, sum(p.size for p in net.neuron_populations), rasters) + draws,
                 f"{n} samples x {T} steps of network {net.name!r}")
    spikes = np.zeros((n, inp.size, T), dtype=bool)
    for a in range(0, n, ENCODE_BLOCK):
        b = min(n, a + ENCODE_BLOCK)
        live = p[a:b] > 0  # only inputs that can fire draw random numbers (most pixels are 0)
        spikes[a:b, :, :on][live] = rng.random((int(live.sum()), on)) < p[a:b][live][:, None]
    return spikes
