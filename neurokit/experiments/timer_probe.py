"""A probe network for the pruning timer: every input drives one plastic synapse onto a single
neuron that never fires (threshold far above the summed input), so STDP never acts and each
weight changes by the timer alone. Input i spikes at the Lava time steps `spikes[i]`.

    w_i(end) = w0 · Π over silences of the realised decay (neurokit.learning.pruning)

Used by the tests and by `neurokit experiment pruning-curve` (docs/pruning.md).
"""
from __future__ import annotations

import numpy as np

from neurokit.ir import Network, network_from_dict

W_MAX = 1.0          # IR weight units: 255 weight units in both precisions
V_TH = 100.0         # ≫ any summed input: the neuron stays silent


def probe_network(n_inputs: int, w0: list[float], tau_prun_ms: float, k_p: float = 1.0,
                  steps: int = 1000, pruning: bool = True) -> Network:
    """`n_inputs` → 1 silent LIF through one plastic STDP connection (`w0`: initial weights, IR
    units ≤ W_MAX), with the pruning timer when `pruning`; a sample lasts `steps` steps."""
    conn = {"name": "plastic", "source": "inp", "target": "post", "kind": "dense", "weights": [list(w0)],
            "learning": {"kind": "stdp", "a_pre": 0.05, "a_post": -0.05, "tau_pre_ms": 10, "tau_post_ms": 10,
                         "w_max": W_MAX}}
    if pruning:
        conn["pruning"] = {"tau_prun_ms": tau_prun_ms, "k_p": k_p}
    return network_from_dict({"schema_version": 1,
        "name": "timer_probe", "dt_ms": 1.0,
        "populations": [
            {"name": "inp", "kind": "input", "size": n_inputs,
             "encoder": {"kind": "bernoulli", "max_rate_hz": 1, "presentation_ms": steps, "rest_ms": 0}},
            {"name": "post", "size": 1, "neuron": {"kind": "lif", "tau_m_ms": 1, "v_th": V_TH}},
        ],
        "connections": [conn],
    })


def spike_raster(n_inputs: int, steps: int, spikes: dict[int, list[int]]) -> np.ndarray:
    """Input raster [1, n_inputs, steps]: input i fires at Lava time steps `spikes[i]` (1-based:
    raster column s − 1 reaches the synapse at time step s)."""
    x = np.zeros((1, n_inputs, steps), bool)
    for i, times in spikes.items():
        for s in times:
            x[0, i, s - 1] = True
    return x


def run_probe(net: Network, precision: str, raster: np.ndarray, backend: str = "lava", seed: int = 0):
    """Final weights (weight units) and the scale (weight units per IR unit) of the probe."""
    from neurokit.quant import compile_params
    from neurokit.runner import execute

    params = compile_params(net, precision)
    r = execute(params, raster, backend=backend, learn=True, rng_seed=seed, progress=False)
    return np.abs(r.weights["plastic"][0]).astype(float), params.neurons["post"].scale
