"""What a network remembers between steps and between samples: u, v, refractory counters, θ,
the spikes of the last step (in the Dense buffers) and the input connections' outputs due at
the next step. One row per neuron; `Blocks` holds one state per block of samples run in
parallel (schedule.py)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class EngineState:
    u: np.ndarray       # [N] int64 (fixed) or float64
    v: np.ndarray
    refr: np.ndarray    # [N] int64
    theta: np.ndarray
    prev: np.ndarray    # [N] bool: spikes of the last step, delivered at the next
    carry: np.ndarray   # [slots]: input-connection outputs delivered at the next step

    @classmethod
    def zeros(cls, layout) -> "EngineState":
        dtype = np.int64 if layout.fixed else np.float64
        N = layout.n_neurons
        return cls(np.zeros(N, dtype), np.zeros(N, dtype), np.zeros(N, np.int64), layout.theta0.copy(),
                   np.zeros(N, bool), np.zeros(layout.n_slots, dtype))

    def arrays(self) -> tuple:
        return self.u, self.v, self.refr, self.theta, self.prev, self.carry

    def assign(self, other: "EngineState") -> None:
        for mine, theirs in zip(self.arrays(), other.arrays()):
            mine[...] = theirs

    def split(self, n: int, carries: list[np.ndarray]) -> "Blocks":
        """Row 0 continues this state; rows 1.. start fresh (u = v = 0, no spikes pending, this θ)
        with the given input carries."""
        rows = [np.repeat(a[None], n, axis=0) for a in self.arrays()]
        for k in (0, 1, 2, 4):  # u, v, refractory 0 and no spikes pending (reset before use, unless late)
            rows[k][1:] = 0
        for q, c in enumerate(carries, start=1):
            rows[5][q] = c
        return Blocks(*rows)


@dataclass
class Blocks(EngineState):
    """EngineState with a leading block axis."""

    def row(self, q: int) -> EngineState:
        return EngineState(*(a[q] for a in self.arrays()))

    def copy_row(self, src: int, dst: int) -> None:
        for a in self.arrays():
            a[dst] = a[src]
