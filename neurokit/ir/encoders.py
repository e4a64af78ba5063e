"""Input encoders: how a sample's values x ∈ [0, 1] become spikes of an input population.

Rate coding, one spike train per input neuron, independent per step:
  - `bernoulli`: P(spike in a step) = x · f_max · dt;
  - `poisson`:   P(spike in a step) = 1 − exp(−x · f_max · dt), the chance that a Poisson
    process of rate x · f_max fires at least once in the step.
Each sample is shown for `presentation_ms`, then the input is silent for `rest_ms` (neurons
are reset at the start of each sample, so the rest only matters for learning traces).
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from neurokit.ir.base import IRModel


class RateEncoder(IRModel):
    kind: Literal["poisson", "bernoulli"] = "poisson"
    max_rate_hz: float = Field(gt=0, description="rate of an input of value 1, Hz")
    presentation_ms: float = Field(gt=0, description="time each sample is shown, ms")
    rest_ms: float = Field(0.0, ge=0, description="silent time after each sample, ms")
