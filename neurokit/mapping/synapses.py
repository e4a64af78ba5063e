"""Which synapses exist, which ones fire, and how wide their weights are, per connection.

- fired synapses: the non-zero quantised weights (a pruned synapse, weight 0, costs nothing);
- stored synapses: the fired ones, plus every synapse of a plastic connection (a weight at
  zero may grow again, so the chip keeps it);
- weight width of a connection: plastic -> the full mantissa width (8 bits, the weight may
  reach 255); otherwise the bits of its largest mantissa, ceil(log2(max + 1)), at least 1.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neurokit.quant import fixed as fx


@dataclass(frozen=True)
class Synapses:
    label: str
    source: str
    target: str
    fired: np.ndarray    # bool [target, source]: weight != 0
    stored: np.ndarray   # bool [target, source]
    weight_bits: int
    plastic: bool

    @property
    def fanout(self) -> np.ndarray:
        """Non-zero synapses leaving each source neuron [source]."""
        return self.fired.sum(axis=0)


def synapses_of(params) -> list[Synapses]:
    """One `Synapses` per connection of a `CompiledParams` (any precision)."""
    out = []
    for c in params.connections:
        w = np.asarray(c.weights)
        fired = w != 0
        stored = np.ones_like(fired) if c.plastic else fired
        if c.plastic or params.precision != "fixed":
            bits = fx.WEIGHT_BITS
        else:
            bits = max(1, int(np.max(w, initial=0)).bit_length())
        out.append(Synapses(c.label, c.source, c.target, fired, stored, bits, c.plastic))
    return out
