"""Input encoders: how a sample's values become spikes of an input population.

Rate coding, x ∈ [0, 1], one spike train per input neuron, independent per step:
  - `bernoulli`: P(spike in a step) = x · f_max · dt;
  - `poisson`:   P(spike in a step) = 1 − exp(−x · f_max · dt), the chance that a Poisson
    process of rate x · f_max fires at least once in the step.

Integrate-and-fire (`integrate_fire`, deterministic; lava-dl's image input): each input neuron
integrates its value as a constant current,

    v[t] = v[t-1] · (1 − δv) + gain · x + offset,   spike when v[t] > threshold, then v ← 0,

so with the defaults (δv = 0, gain 1, offset 0, threshold 1) a pixel of 1 fires every second
step and a pixel of 0.2 every sixth. It is the input layer of a netx file: a layer of CUBA
neurons driven by bias only. In fixed point it runs Loihi's integer LIF (neurokit.quant.fixed).

Real values x ∈ [0, 1], deterministic (the regression seed's encoders):
  - `periodic`: rate x · f_max, spikes evenly spaced: a phase starts at ½ and gains
    x · f_max · dt per step, a spike each time it passes a whole number, so a window of T holds
    round(x · f_max · T) spikes (x = 0.7, f_max = 100 Hz, T = 128 ms: 9);
  - `ttfs` (time to first spike): one spike at t = t0 + (1 − x) · Δt (`t0_ms`, `delta_ms`),
    on the nearest step;
  - `gaussian` (population coding): each value drives `neurons_per_value` inputs with tuning
    curves A_i(x) = exp(−(x − μ_i)² / 2σ²), μ_i evenly spaced on [0, 1], each firing at
    A_i(x) · f_max, periodic or Bernoulli (`rate`). The input population has
    values × neurons_per_value neurons, value-major.

Given spikes (`spikes`): the samples are spike arrays [inputs, steps] (e.g. from a `.npy` file)
and are used as they are.

Each sample is shown for `presentation_ms`, then the input is silent for `rest_ms` (neurons
are reset at the start of each sample, so the rest only matters for learning traces and for the
spikes still on their way through the layers).
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from neurokit.ir.base import IRModel


class _Shown(IRModel):
    """Every encoder shows a sample for `presentation_ms`, then keeps silent for `rest_ms`."""

    presentation_ms: float = Field(gt=0, description="time each sample is shown, ms")
    rest_ms: float = Field(0.0, ge=0, description="silent time after each sample, ms")


class RateEncoder(_Shown):
    kind: Literal["poisson", "bernoulli"] = "poisson"
    max_rate_hz: float = Field(gt=0, description="rate of an input of value 1, Hz")


class IntegrateFireEncoder(_Shown):
    kind: Literal["integrate_fire"] = "integrate_fire"
    threshold: float = Field(1.0, gt=0, description="v above which the input neuron spikes")
    gain: float = Field(1.0, description="current per unit of input value")
    offset: float = Field(0.0, description="current added to every input")
    voltage_decay: float = Field(0.0, ge=0, le=1, description="fraction of v lost per step")
    fixed_scale: float | None = Field(
        None, gt=0, description="integer units per unit of v in fixed point (1: the values are "
        "Loihi integers already); null: the largest power of two that keeps threshold and currents in range")


class PeriodicEncoder(_Shown):
    kind: Literal["periodic"] = "periodic"
    max_rate_hz: float = Field(gt=0, description="rate of an input of value 1, Hz")


class TTFSEncoder(_Shown):
    kind: Literal["ttfs"] = "ttfs"
    t0_ms: float = Field(0.0, ge=0, description="spike time of an input of value 1, ms")
    delta_ms: float = Field(gt=0, description="spike time of value 0 minus that of value 1, ms")


class GaussianEncoder(_Shown):
    kind: Literal["gaussian"] = "gaussian"
    neurons_per_value: int = Field(ge=2, description="tuning curves per input value")
    sigma: float = Field(gt=0, description="width of each tuning curve, in units of x")
    max_rate_hz: float = Field(gt=0, description="rate at the centre of a tuning curve, Hz")
    rate: Literal["periodic", "bernoulli"] = "periodic"


class SpikeEncoder(_Shown):
    kind: Literal["spikes"] = "spikes"  # presentation_ms: the length of each sample's spike array


Encoder = Annotated[Union[RateEncoder, IntegrateFireEncoder, PeriodicEncoder, TTFSEncoder, GaussianEncoder, SpikeEncoder],
                   Field(discriminator="kind")]
