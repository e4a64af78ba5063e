"""Rate encoding of samples into input spike trains (see neurokit.ir.encoders for the maths)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from neurokit import memory
from neurokit.errors import DataError
from neurokit.ir import Network, RePresent


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
        check_run_memory(net, n, rasters, held=2 * memory.DRIVE_CHUNK if blocks else n)
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
        a, b = self._advance(block)
        spikes = np.zeros((b - a, *self.shape[1:]), dtype=bool)
        _kernels()[0](spikes, self.counts[a:b], self.p[a:b], self.rng, self.on)
        return spikes

    def lists(self, block: slice) -> tuple[np.ndarray, np.ndarray]:
        """The same spikes as `self[block]`, as the engine's per-step lists (ptr, idx): the inputs
        spiking at step s = k·P + j of the block are idx[ptr[s]:ptr[s + 1]], in input order. No
        array of inputs × steps is made, which saves most of the drawing time."""
        a, b = self._advance(block)
        return _kernels()[1](self.counts[a:b], self.p[a:b], self.rng, self.on, self.shape[2])

    def _advance(self, block: slice) -> tuple[int, int]:
        a, b, _ = block.indices(self.shape[0])
        if a != self._next:
            raise ValueError(f"input blocks are drawn in order: samples {self._next}.. next, not {a}..")
        self._next = b
        return a, b


@dataclass
class RePresentations:
    """What a learning run needs to show a sample again (readout.re_present, neurokit.re_present):
    presentation k (1, 2, …) of sample s draws its spikes at max_rate_hz + k·rate_step_hz from a
    generator seeded [seed, s, k], so every backend draws the same spikes whatever ran before."""

    readout: str                 # the population whose spikes are counted
    rule: RePresent              # net.readout.re_present
    net: Network
    flat: np.ndarray             # the samples' values [n, inputs]
    seed: int

    def again(self, s: int, k: int) -> np.ndarray:
        """bool [1, inputs, steps_per_sample]: presentation k of sample s."""
        enc = self.net.input_population.encoder
        p = spike_probability(self.flat[s:s + 1], enc.kind, self.rule.rate_hz(enc.max_rate_hz, k), self.net.dt_ms)
        spikes = np.zeros((1, self.net.input_population.size, self.net.steps_per_sample), bool)
        _kernels()[0](spikes, np.zeros(p.shape, np.int64), p, np.random.default_rng([self.seed, s, k]),
                      self.net.presentation_steps)
        return spikes


def _kernels():
    """(draw into an array, draw into lists): neurokit.data.spike_draw, imported on first use."""
    from neurokit.data import spike_draw

    return spike_draw.draw, spike_draw.draw_lists


def integrate_fire_spikes(net: Network, flat_samples: np.ndarray, precision: str) -> np.ndarray:
    """Spike trains [n, inputs, steps_per_sample] of the integrate-and-fire encoder (ir/encoders.py):
    v[t] = v[t-1]·(1 − δv) + gain·x + offset, spike when v > threshold, then v ← 0.

    In `fixed` it is Loihi's integer LIF that lava-dl's netx input layer runs (Lava's
    AbstractPyLifModelFixed with no synaptic input): the current is a bias in v units
    (13-bit mantissa << exponent), v decays as sign(v)·(|v·(4096 − dv)| >> 12), clips to 24 bits,
    and is compared with vth << 6; values in units of 1/fixed_scale."""
    from neurokit.quant import fixed as fx

    enc = net.input_population.encoder
    x = np.asarray(flat_samples, np.float64)
    current = enc.gain * x + enc.offset
    n, size = x.shape
    spikes = np.zeros((n, size, net.steps_per_sample), dtype=bool)
    if precision == "float":
        keep, vth = 1.0 - enc.voltage_decay, float(enc.threshold)
    else:
        scale = enc.fixed_scale or _if_scale(enc)
        where = f"populations[{net.input_population.name}].encoder"
        vth = fx.threshold_to_fixed(enc.threshold * scale, f"{where}.threshold") << fx.VTH_SHIFT
        current = fx.bias_v_units(current * scale * (1 << fx.VTH_SHIFT), f"{where}.gain/offset")
        keep = int(fx.DECAY_UNITY - fx.decay_to_fixed(enc.voltage_decay, fx.DV_OFFSET, f"{where}.voltage_decay"))
        vth = int(vth)
    _if_kernels()[precision](np.ascontiguousarray(current), keep, vth, net.presentation_steps, spikes)
    return spikes


@functools.cache
def _if_kernels() -> dict:
    """The encoder's loop per precision, compiled on first use (Numba), parallel over samples."""
    from numba import njit, prange

    from neurokit.quant import fixed as fx

    shift, top = fx.DECAY_BITS, fx.UV_MAX

    @njit(parallel=True, cache=True)
    def run_float(current, keep, vth, steps, spikes):
        for b in prange(current.shape[0]):
            for i in range(current.shape[1]):
                c, v = current[b, i], 0.0
                if c == 0.0:  # v stays 0, below any threshold (> 0): most pixels of an image
                    continue
                for t in range(steps):
                    v = v * keep + c
                    if v > vth:
                        spikes[b, i, t] = True
                        v = 0.0

    @njit(parallel=True, cache=True)
    def run_fixed(current, keep, vth, steps, spikes):
        for b in prange(current.shape[0]):
            for i in range(current.shape[1]):
                c, v = current[b, i], 0
                if c == 0:
                    continue
                for t in range(steps):
                    p = v * keep  # Lava: decay toward zero, add the bias, clip to 24 bits
                    v = (-((-p) >> shift) if p < 0 else p >> shift) + c
                    v = min(max(v, -top), top)
                    if v > vth:
                        spikes[b, i, t] = True
                        v = 0

    return {"float": run_float, "fixed": run_fixed}


def value_spikes(net: Network, x: np.ndarray, seed: int) -> np.ndarray:
    """The real-value encoders of ir/encoders.py (periodic, ttfs, gaussian) for x ∈ [0, 1]:
    spikes [n, inputs, steps_per_sample]."""
    enc = net.input_population.encoder
    n = len(x)
    P, on = net.steps_per_sample, net.presentation_steps
    if enc.kind == "ttfs":  # one spike at t0 + (1 − x)·Δt, on the nearest step
        spikes = np.zeros((n, x.shape[1], P), dtype=bool)
        step = np.rint((enc.t0_ms + (1.0 - x) * enc.delta_ms) / net.dt_ms).astype(np.int64)
        b, i = np.indices(x.shape)
        spikes[b, i, step] = True
        return spikes
    rate = x
    if enc.kind == "gaussian":  # value-major: value j drives inputs j·M .. j·M + M − 1
        mu = np.linspace(0.0, 1.0, enc.neurons_per_value)
        rate = np.exp(-((x[:, :, None] - mu) ** 2) / (2 * enc.sigma**2)).reshape(n, -1)
    p = rate * enc.max_rate_hz * net.dt_ms / 1000.0  # spikes per step
    spikes = np.zeros((n, p.shape[1], P), dtype=bool)
    if getattr(enc, "rate", "periodic") == "bernoulli":
        spikes[:, :, :on] = np.random.default_rng(seed).random((n, p.shape[1], on)) < p[:, :, None]
    else:  # a phase from ½ gaining p per step: a spike each time it passes a whole number
        phase = 0.5 + p[:, :, None] * np.arange(on + 1)
        spikes[:, :, :on] = np.diff(np.floor(phase), axis=2) > 0
    return spikes


def _if_scale(enc) -> float:
    """The largest power of two that keeps the threshold within 17 bits and the largest
    current (for x ∈ [0, 1]) within the bias range (13-bit mantissa, exponent ≤ 7)."""
    from neurokit.quant import fixed as fx

    peak = abs(enc.gain) + abs(enc.offset)
    top = min(fx.VTH_MAX / enc.threshold, fx.BIAS_MANT_MAX * 2**fx.BIAS_EXP_MAX / (peak * (1 << fx.VTH_SHIFT)) if peak else np.inf)
    return float(2.0 ** np.floor(np.log2(top)))


def check_run_memory(net: Network, n: int, rasters: bool, held: int) -> None:
    """Refuse a run of `n` samples over the memory limit before anything is allocated; `held`
    samples of input spikes exist at once (the engine's two chunks, or all of them)."""
    memory.check(memory.run_bytes(n, net.input_population.size, net.steps_per_sample,
                                  sum(p.size for p in net.neuron_populations), rasters, held),
                 f"{n} samples x {net.steps_per_sample} steps of network {net.name!r}")


def input_spikes(net: Network, flat_samples: np.ndarray, seed: int, precision: str, *, rasters: bool = False):
    """What a backend runs for `net`'s encoder: RateInputs (drawn block by block) for rate coding,
    the deterministic spike array for integrate-and-fire, the samples themselves for given spikes
    (each sample flattened from [inputs, presentation steps])."""
    enc = net.input_population.encoder
    if enc.kind in ("poisson", "bernoulli"):
        return RateInputs(net, flat_samples, seed, rasters=rasters)
    inp = net.input_population
    n = len(flat_samples)
    check_run_memory(net, n, rasters, held=n)
    if enc.kind in ("integrate_fire", "periodic", "ttfs", "gaussian"):
        per_value = enc.neurons_per_value if enc.kind == "gaussian" else 1
        if flat_samples.shape[1] * per_value != inp.size:
            raise DataError(f"samples have {flat_samples.shape[1]} values, input population {inp.name!r} has "
                            f"{inp.size} neurons" + (f" ({per_value} per value)" if per_value > 1 else ""))
        if enc.kind == "integrate_fire":
            return integrate_fire_spikes(net, flat_samples, precision)
        return value_spikes(net, np.clip(np.asarray(flat_samples, np.float64), 0.0, 1.0), seed)
    P = net.presentation_steps
    if flat_samples.shape[1] != inp.size * P:
        raise DataError(f"spike samples have {flat_samples.shape[1]} values, expected {inp.size} inputs x {P} steps "
                        f"(population {inp.name!r}, presentation_ms / dt_ms)")
    spikes = np.zeros((n, inp.size, net.steps_per_sample), dtype=bool)
    spikes[:, :, :P] = flat_samples.reshape(n, inp.size, P) != 0
    return spikes
