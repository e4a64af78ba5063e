"""Worst-case ranges of the fixed-point registers that can wrap, checked before a run.

Lava's bit-accurate LIF (and the engine, which matches it bit for bit) holds the synaptic
current u in 24 signed bits and wraps it on overflow; v is clipped and θ capped, so only u can
wrap. A source neuron j adds w_j = mant_ij · 2^exp · 2^6 to u_i when it fires, at most once
every P_j steps (P = 1 for an input, 1 + refractory steps for a neuron). u decays by
k = (4096 − du − 1)/4096 per step, so j's share of u never exceeds w_j / (1 − k^P_j), and

    |u_i| ≤ Σ_j w_j / (1 − k^P_j)          (over the sources of one sign)

and, since u is reset at each sample's start, never more than its n_j = ⌈steps per sample / P_j⌉
spikes of one sample add: w_j · (1 − k^(P_j·n_j)) / (1 − k^P_j), or w_j · n_j for a current that
never decays (k = 1).

When that reaches 2^23 the current can wrap (a strong excitatory drive turns into inhibition).
It is a bound, not a prediction: it assumes the sources of one sign fire together as often as
they can.
"""
from __future__ import annotations

import numpy as np

from neurokit.quant import fixed as fx


def wrap_warnings(params) -> list[str]:
    """One line per population and sign whose current register can wrap (fixed point only)."""
    if params.precision != "fixed":
        return []
    lines = []
    steps = params.network.steps_per_sample
    for name, neuron in params.neurons.items():
        keep = (fx.DECAY_UNITY - neuron.du - fx.DU_OFFSET) / fx.DECAY_UNITY
        for sign, word in ((1, "excitatory"), (-1, "inhibitory")):
            bound = np.zeros(neuron.size)
            for c in params.connections:
                if c.target == name and c.sign == sign:
                    src = params.neurons.get(c.source)
                    period = 1 + src.refractory_steps if src is not None else 1
                    w = c.weights.sum(axis=1).astype(np.float64) * 2.0**c.weight_exp * (1 << fx.ACT_SHIFT)
                    n = -(-steps // period)  # the most spikes of one sample
                    bound += w * n if keep >= 1 else w * (1 - keep ** (period * n)) / (1 - keep**period)
            worst = float(bound.max(initial=0))
            if worst > fx.UV_MAX:
                lines.append(
                    f"populations[{name}]: worst-case {word} current {worst:.3g} exceeds the 24-bit register "
                    f"(±{fx.UV_MAX}): it wraps if its {word} inputs fire together as often as they can; "
                    f"scale those weights by at most {fx.UV_MAX / worst:.3g} to rule it out")
    return lines
