"""Which synapses exist, which ones fire, and how wide their weights are, per connection.

- fired synapses: the non-zero quantised weights (a pruned synapse, weight 0, costs nothing);
- stored synapses: the fired ones, plus every synapse of a plastic connection (a weight at
  zero may grow again, so the chip keeps it);
- weight width of a connection: plastic -> the full mantissa width (8 bits, the weight may
  reach 255); otherwise the bits of its largest mantissa, ceil(log2(max + 1)), at least 1;
  a mixed-sign connection stores a sign with every weight: the bits of its largest magnitude
  |mantissa| (negative ones included) plus one (8 bits and a sign at most, as
  `neurokit.quant.fixed.MIXED_WEIGHT_BITS`);
- dense: the connection is an IR `dense` connection (a full weight matrix, which a chip that
  stores dense rows keeps whole, zeros included; see neurokit/mapping/place.py).
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
    dense: bool = False

    @property
    def fanout(self) -> np.ndarray:
        """Non-zero synapses leaving each source neuron [source]."""
        return self.fired.sum(axis=0)


def synapses_of(params) -> list[Synapses]:
    """One `Synapses` per connection of a `CompiledParams` (any precision)."""
    kinds = {c.label: getattr(c, "kind", None) for c in getattr(params.network, "connections", ())}
    out = []
    for c in params.connections:
        w = np.asarray(c.weights)
        fired = w != 0
        stored = np.ones_like(fired) if c.plastic else fired
        mixed = bool(getattr(c, "mixed", False))
        if c.plastic or params.precision != "fixed":
            bits = fx.WEIGHT_BITS + (1 if mixed else 0)
        elif mixed:
            bits = int(np.max(np.abs(w), initial=0)).bit_length() + 1
        else:
            bits = max(1, int(np.max(w, initial=0)).bit_length())
        out.append(Synapses(c.label, c.source, c.target, fired, stored, bits, c.plastic, kinds.get(c.label) == "dense"))
    return out
