"""Neuron models. Voltages are relative to rest (rest = reset = 0), in the units of the weights
that reach them; times carry `_ms`.

Current-based LIF, as on Loihi (forward Euler over one step of `dt_ms`):

    u[t] = u[t-1] · (1 − δu) + Σ w·s          δu = 1 − exp(−dt / τ_syn)
    v[t] = v[t-1] · (1 − δv) + u[t] + bias     δv = 1 − exp(−dt / τ_m)
    spike when v[t] > v_th + θ[t];  then v ← 0 and v is held at 0 for `refractory_ms`.

Each decay may be given as a time constant (`tau_*_ms`, δ = 1 − exp(−dt/τ)) or directly as
the fraction lost per step (`current_decay`, `voltage_decay`), which is how lava-dl's netx files
(iDecay/4096, vDecay/4096) and forward-Euler simulators (δ = dt/τ, as NIR's reference
simulators and Norse do) say it. `if` is the LIF without leak; `li` never spikes (a readout
whose membrane potential is the output).

The adaptive threshold (Diehl & Cook 2015) adds θ ← θ + θ₊ at each spike, with
θ[t] = θ[t-1] · (1 − δθ), δθ = 1 − exp(−dt / τ_θ) (no decay when `tau_theta_ms` is null).
"""
from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, model_validator

from neurokit.ir.base import IRModel


def decay_per_step(tau_ms: float | None, dt_ms: float) -> float:
    """Fraction lost per step, δ = 1 − exp(−dt/τ); τ = 0 loses everything, τ = None nothing."""
    if tau_ms is None:
        return 0.0
    if tau_ms == 0:
        return 1.0
    return 1.0 - math.exp(-dt_ms / tau_ms)


class _Cuba(IRModel):
    """The current-based synapse and membrane shared by every neuron kind."""

    tau_syn_ms: float = Field(
        0.0, ge=0, description="synaptic current time constant, ms (0: input lasts one step)"
    )
    current_decay: float | None = Field(
        None, ge=0, le=1, description="instead of tau_syn_ms: fraction of u lost per step"
    )
    bias: float | list[float] = Field(
        0.0, description="constant input added to v every step: one value, or one per neuron")

    @model_validator(mode="after")
    def _one_current_decay(self):
        if self.current_decay is not None and self.tau_syn_ms != 0:
            raise ValueError("give tau_syn_ms or current_decay, not both")
        return self

    def current_decay_per_step(self, dt_ms: float) -> float:
        return self.current_decay if self.current_decay is not None else decay_per_step(self.tau_syn_ms, dt_ms)

    def voltage_decay_per_step(self, dt_ms: float) -> float:
        return 0.0

    @property
    def spiking(self) -> bool:
        return True


class _Leaky(_Cuba):
    tau_m_ms: float | None = Field(None, gt=0, description="membrane (voltage) time constant, ms")
    voltage_decay: float | None = Field(
        None, ge=0, le=1, description="instead of tau_m_ms: fraction of v lost per step"
    )

    @model_validator(mode="after")
    def _one_voltage_decay(self):
        if (self.tau_m_ms is None) == (self.voltage_decay is None):
            raise ValueError("give exactly one of tau_m_ms or voltage_decay")
        return self

    def voltage_decay_per_step(self, dt_ms: float) -> float:
        return self.voltage_decay if self.voltage_decay is not None else decay_per_step(self.tau_m_ms, dt_ms)


class LIF(_Leaky):
    """Leaky integrate-and-fire neuron with a current-based synapse (Loihi's CUBA LIF)."""

    kind: Literal["lif"] = "lif"
    v_th: float = Field(gt=0, description="firing threshold above rest")
    refractory_ms: float = Field(0.0, ge=0, description="v held at reset after a spike, ms")


class IF(_Cuba):
    """Integrate-and-fire: the LIF without leak (NIR `IF`, `CubaIF`)."""

    kind: Literal["if"] = "if"
    v_th: float = Field(gt=0, description="firing threshold above rest")
    refractory_ms: float = Field(0.0, ge=0, description="v held at reset after a spike, ms")


class LI(_Leaky):
    """Leaky integrator that never spikes (NIR `LI`, `CubaLI`): a readout read by its voltage."""

    kind: Literal["li"] = "li"

    @property
    def spiking(self) -> bool:
        return False


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
    theta_fixed_after_learning: bool = Field(
        False, description="training writes the learned θ with θ₊ = 0 and no decay, so the trained network's "
                           "thresholds stay as learned (Diehl & Cook's test phase)"
    )


NEURON_KINDS = (LIF, AdaptiveLIF, IF, LI)
