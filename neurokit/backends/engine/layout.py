"""CompiledParams -> the flat arrays the kernels run on.

All neuron populations share one index space (population p owns neurons
`offset[p] .. offset[p] + size[p]`), so one loop steps every neuron. Each connection keeps its
own transposed weight matrix `W_c^T [n_src, n_tgt]` (one contiguous row per source neuron, the
row that a source spike adds), its weight exponent and its place in the order of
`params.connections`, the order in which Lava adds the Dense outputs at a neuron's input.

Weights are those Lava's bit-accurate Dense model actually uses (lava/proc/dense/models.py):
the signed mantissas clipped to the sign mode's 8-bit range (`clip_weights`) and truncated to
`num_weight_bits` (`truncate_weights`; 8 bits truncate nothing), see `lava_dense_weights`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neurokit.errors import RunError
from neurokit.quant import CompiledParams
from neurokit.quant import fixed as fx

NUM_WEIGHT_BITS, MIXED_WEIGHT_BITS = fx.NUM_WEIGHT_BITS, fx.MIXED_WEIGHT_BITS
NEURON_PARAMS = ("u_keep", "v_keep", "vth", "bias", "refractory", "theta_plus", "theta_keep")
INPUT = -1           # source index of a connection from the input population


def lava_dense_weights(signed: np.ndarray, excitatory: bool, num_weight_bits: int = NUM_WEIGHT_BITS,
                       mixed: bool = False) -> np.ndarray:
    """Lava's `clip_weights(w, mode, 8)` then `truncate_weights(w, mode, bits)` for a single-sign
    Dense: w ∈ [0, 255] (excitatory) or [−255, 0] (inhibitory), the lowest 8 − bits bits of |w|
    cleared. Mixed signs: w ∈ [−256, 255], built with MIXED_WEIGHT_BITS so nothing is cleared."""
    if mixed:
        return np.clip(signed.astype(np.int64), -256, 255)
    w = signed.astype(np.int64)
    mag = np.clip(w if excitatory else -w, 0, (1 << 8) - 1)
    drop = 8 - num_weight_bits
    mag = (mag >> drop) << drop
    return mag if excitatory else -mag


@dataclass(frozen=True)
class Layout:
    fixed: bool
    steps_per_sample: int
    n_inputs: int
    names: tuple[str, ...]          # neuron populations, in params.neurons order
    offsets: np.ndarray             # int64 [n_pops]
    sizes: np.ndarray               # int64 [n_pops]
    neuron: dict[str, np.ndarray]   # per-neuron parameters, each [N] (int64 or float64)
    theta0: np.ndarray              # [N] θ at the start (theta_init of a trained network, else 0)
    # connections, in params.connections order
    src: np.ndarray                 # int64 [n_conn]: neuron offset of the source, or INPUT
    n_src: np.ndarray
    tgt: np.ndarray                 # neuron offset of the target population
    n_tgt: np.ndarray
    exp: np.ndarray                 # weight exponent (0 in float)
    w_off: np.ndarray               # start of W_c^T in `weights`
    weights: np.ndarray             # all W_c^T, flattened (int64 or float64)
    slot: np.ndarray                # input connections: start of their outputs in a drive row; -1 otherwise
    n_slots: int
    reset_at: np.ndarray            # int64 [N]: step of each sample at which the neuron is reset

    @property
    def n_neurons(self) -> int:
        return int(self.sizes.sum())

    @property
    def prm(self) -> tuple:
        """Per-neuron parameters in the order the neuron steps unpack them."""
        return tuple(self.neuron[k] for k in NEURON_PARAMS)

    @property
    def adaptive(self) -> bool:
        """θ changes (θ₊ > 0, or a θ_init that decays): θ then carries from one sample into the next."""
        unity = (1 << fx.DECAY_BITS) if self.fixed else 1.0
        decays = (self.theta0 != 0) & (self.neuron["theta_keep"] != unity)
        return bool(np.any(self.neuron["theta_plus"] != 0) or np.any(decays))

    def population(self, name: str) -> slice:
        i = self.names.index(name)
        return slice(int(self.offsets[i]), int(self.offsets[i] + self.sizes[i]))


def build_layout(params: CompiledParams) -> Layout:
    net, fixed = params.network, params.precision == "fixed"
    names = tuple(params.neurons)
    sizes = np.array([params.neurons[n].size for n in names], np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    neuron = _neuron_arrays(params, names, fixed)
    theta0 = np.concatenate([np.zeros(params.neurons[n].size) if params.neurons[n].theta_init is None
                             else np.asarray(params.neurons[n].theta_init) for n in names])
    input_name = net.input_population.name
    src, n_src, tgt, n_tgt, exp, w_off, slot, blocks = [], [], [], [], [], [], [], []
    off = n_slots = 0
    for c in params.connections:
        t = names.index(c.target)
        s_size = net.input_population.size if c.source == input_name else params.neurons[c.source].size
        src.append(INPUT if c.source == input_name else int(offsets[names.index(c.source)]))
        n_src.append(s_size)
        tgt.append(int(offsets[t]))
        n_tgt.append(int(sizes[t]))
        exp.append(int(c.weight_exp))
        w = lava_dense_weights(c.signed_weights, c.sign > 0, mixed=c.mixed) if fixed else c.signed_weights.astype(np.float64)
        if w.shape != (sizes[t], s_size):
            raise RunError(f"connections[{c.label}]: weights have shape {w.shape}, expected {(int(sizes[t]), s_size)}")
        blocks.append(np.ascontiguousarray(w.T).ravel())
        w_off.append(off)
        off += w.size
        slot.append(n_slots if c.source == input_name else -1)
        n_slots += int(sizes[t]) if c.source == input_name else 0
    as_i = lambda x: np.asarray(x, np.int64)  # noqa: E731
    dtype = np.int64 if fixed else np.float64
    return Layout(
        fixed=fixed, steps_per_sample=net.steps_per_sample, n_inputs=net.input_population.size,
        names=names, offsets=offsets, sizes=sizes, neuron=neuron, theta0=theta0.astype(dtype),
        src=as_i(src), n_src=as_i(n_src), tgt=as_i(tgt), n_tgt=as_i(n_tgt), exp=as_i(exp), w_off=as_i(w_off),
        weights=np.concatenate(blocks).astype(dtype) if blocks else np.zeros(0, dtype),
        slot=as_i(slot), n_slots=n_slots,
        reset_at=np.concatenate([np.full(params.neurons[n].size, params.neurons[n].reset_step, np.int64)
                                 for n in names]) if names else np.zeros(0, np.int64),
    )


def _neuron_arrays(params: CompiledParams, names, fixed: bool) -> dict[str, np.ndarray]:
    """Per-neuron parameters. Fixed: the values Lava's fixed model computes with, i.e.
    vth << 6, bias_mant << bias_exp, θ₊ << 6, and u/v decay factors 4096 − (du + 1), 4096 − dv."""
    cols: dict[str, list] = {k: [] for k in NEURON_PARAMS}
    for name in names:
        p = params.neurons[name]
        if fixed:
            if p.bias_exp < 0:
                raise RunError(f"populations[{name}]: bias_exp {p.bias_exp} < 0 is not supported by the engine")
            row = (fx.DECAY_UNITY - (int(p.du) + fx.DU_OFFSET), fx.DECAY_UNITY - (int(p.dv) + fx.DV_OFFSET),
                   int(p.vth) << fx.VTH_SHIFT, np.asarray(p.bias_mant, np.int64) << int(p.bias_exp), int(p.refractory_steps),
                   int(p.theta_plus) << fx.VTH_SHIFT, fx.DECAY_UNITY - int(p.theta_decay))
        else:  # the float model multiplies by (1 − δ)
            row = (1 - p.du, 1 - p.dv, p.vth, p.bias_mant, p.refractory_steps, p.theta_plus, 1 - p.theta_decay)
        for key, value in zip(cols, row):
            cols[key].append(np.broadcast_to(value, p.size))  # one value per population, or per neuron (bias)
    dtype = np.int64 if fixed else np.float64
    out = {k: np.concatenate(v).astype(dtype) for k, v in cols.items()}
    out["refractory"] = out["refractory"].astype(np.int64)
    return out
