"""Neuron models. Voltages are relative to rest (rest = reset = 0), in the units of the weights
that reach them; times carry `_ms`.

Current-based LIF, as on Loihi (forward Euler over one step of `dt_ms`):

    u[t] = u[t-1] · (1 − δu) + Σ w·s          δu = 1 − exp(−dt / τ_syn)
    v[t] = v[t-1] · (1 − δv) + u[t] + bias     δv = 1 − exp(−dt / τ_m)
    spike when v[t] > v_th + θ[t];  then v ← 0 and v is held at 0 for `refractory_ms`.

The adaptive threshold (Diehl & Cook 2015) adds θ ← θ + θ₊ at each spike, with
θ[t] = θ[t-1] · (1 − δθ), δθ = 1 − exp(−dt / τ_θ) (no decay when `tau_theta_ms` is null).
"""
from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field

from neurokit.ir.base import IRModel


def decay_per_step(tau_ms: float | None, dt_ms: float) -> float:
    """Fraction lost per step, δ = 1 − exp(−dt/τ); τ = 0 loses everything, τ = None nothing."""
    if tau_ms is None:
        return 0.0
    if tau_ms == 0:
        return 1.0
    return 1.0 - math.exp(-dt_ms / tau_ms)


class LIF(IRModel):
    """Leaky integrate-and-fire neuron with a current-based synapse (Loihi's CUBA LIF)."""

    kind: Literal["lif"] = "lif"
    tau_m_ms: float = Field(gt=0, description="membrane (voltage) time constant, ms")
    tau_syn_ms: float = Field(
        0.0, ge=0, description="synaptic current time constant, ms (0: input lasts one step)"
    )
    v_th: float = Field(gt=0, description="firing threshold above rest")
    bias: float = Field(0.0, description="constant input added to v every step")
    refractory_ms: float = Field(0.0, ge=0, description="v held at reset after a spike, ms")


class AdaptiveLIF(LIF):
    """LIF with Diehl & Cook's adaptive threshold: each spike raises the offset θ by `theta_plus`."""

    kind: Literal["adaptive_lif"] = "adaptive_lif"
    theta_plus: float = Field(ge=0, description="threshold increase per spike")
    tau_theta_ms: float | None = Field(
        None, gt=0, description="decay time constant of θ, ms; null: θ does not decay"
    )
    theta_init: list[Annotated[float, Field(ge=0)]] | None = Field(
        None, description="θ ≥ 0 of each neuron at the start of a run (learned by training)"
    )


NEURON_KINDS = (LIF, AdaptiveLIF)
