"""Turn an IR network into the parameters a backend runs: floats for `float` precision,
Loihi integers for `fixed`.

Both precisions use the same units, so that a float run is the fixed one without rounding and
Lava's weight clipping ([0, 255] for a learning synapse) means w_max in both.

Scaling (per target population, like nengo-loihi's discretisation): one factor `scale` maps
float voltages to integer "weight units" for all connections into that population and its
threshold, so that v (in Lava: weight units << 6) compares with vth << 6. The factor puts the
plastic connection's `w_max` (or else the weakest connection's largest weight) at 255, the top
of the 8-bit mantissa; stronger connections get a weight exponent. If that would push the
threshold past 17 bits, the factor shrinks to fit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from neurokit.errors import QuantizationError
from neurokit.ir import AdaptiveLIF, Network, decay_per_step
from neurokit.quant import fixed as fx

Precision = Literal["fixed", "float"]


@dataclass(frozen=True)
class NeuronParams:
    """Per-population parameters in weight units (IR voltage × scale). In `fixed`, decays are
    12-bit registers, vth and theta_plus integers, bias (mant, exp) and theta_init in v units
    (<< 6); in `float`, decays are fractions per step and the rest floats."""

    name: str
    size: int
    du: float
    dv: float
    vth: float
    bias_mant: float
    bias_exp: int
    refractory_steps: int
    theta_plus: float
    theta_decay: float
    scale: float  # weight units per IR voltage unit
    theta_init: np.ndarray | None = None  # learned threshold offsets of an adaptive population
    reset_step: int = 0  # step of each sample at which u, v and refractory are reset
    teacher_bias_mant: float | np.ndarray | None = None  # bias (in bias_exp) of a taught neuron while learning


@dataclass(frozen=True)
class ConnectionParams:
    label: str
    source: str
    target: str
    sign: int
    weights: np.ndarray  # magnitudes [target, source]: int32 mantissas (fixed) or float64; signed if mixed
    weight_exp: int
    plastic: bool
    mixed: bool = False  # weights of both signs in one synapse group (sign is then +1)

    @property
    def signed_weights(self) -> np.ndarray:
        return self.sign * self.weights


@dataclass(frozen=True)
class CompiledParams:
    network: Network
    precision: Precision
    neurons: dict[str, NeuronParams] = field(default_factory=dict)
    connections: list[ConnectionParams] = field(default_factory=list)


def compile_params(net: Network, precision: Precision) -> CompiledParams:
    if precision not in ("fixed", "float"):
        raise QuantizationError(f"precision must be 'fixed' or 'float', got {precision!r}")
    weights = net.weight_matrices()
    out = CompiledParams(net, precision)
    for pop in net.neuron_populations:
        incoming = [c for c in net.connections if c.target == pop.name]
        scale = _scale(pop, incoming, weights)
        teacher = max((c.learning.teacher for c in incoming if getattr(c, "learning", None) is not None), default=0.0)
        out.neurons[pop.name] = _neuron_params(net, pop, scale, precision, teacher)
        for c in incoming:
            plastic = getattr(c, "learning", None) is not None
            w, mixed = weights[c.label], c.sign == "mixed"
            if precision == "float":
                out.connections.append(ConnectionParams(c.label, c.source, c.target, int(c.signed), w * scale, 0,
                                                        plastic, mixed))
                continue
            what = f"connections[{c.label}]"
            exp = getattr(c, "weight_exp", None)
            if exp is None:
                exp = 0 if plastic else fx.weight_exponent(float(np.max(np.abs(w), initial=0)) * scale, what)
            mant = fx.weight_mantissas(w * scale, exp, what, mixed)
            out.connections.append(ConnectionParams(c.label, c.source, c.target, int(c.signed), mant, exp, plastic,
                                                    mixed))
    return out


def _scale(pop, incoming, weights) -> float:
    if pop.fixed_scale is not None:
        return pop.fixed_scale
    if not pop.neuron.spiking:  # no threshold to keep in range: the strongest weight sets it
        peak = max((float(np.max(np.abs(weights[c.label]), initial=0)) for c in incoming), default=0)
        return fx.WEIGHT_MAX / peak if peak > 0 else 1.0
    plastic = [c.learning.w_max for c in incoming if getattr(c, "learning", None) is not None]
    peaks = [float(np.max(np.abs(weights[c.label]), initial=0)) for c in incoming]
    peaks = [p for p in peaks if p > 0]
    if plastic:
        ref = max(plastic)
    elif peaks:
        ref = min(peaks)
    else:
        return 1024 / pop.neuron.v_th
    return min(fx.WEIGHT_MAX / ref, fx.VTH_MAX / pop.neuron.v_th)


def _neuron_params(net: Network, pop, scale: float, precision: Precision, teacher: float = 0.0) -> NeuronParams:
    n, dt = pop.neuron, net.dt_ms
    du, dv = n.current_decay_per_step(dt), n.voltage_decay_per_step(dt)
    adaptive = isinstance(n, AdaptiveLIF)
    theta_plus = n.theta_plus if adaptive else 0.0
    dtheta = decay_per_step(n.tau_theta_ms, dt) if adaptive else 0.0
    refractory = net.steps(getattr(n, "refractory_ms", 0.0))
    theta_init = np.asarray(n.theta_init, float) * scale if adaptive and n.theta_init is not None else None
    v_th = n.v_th if n.spiking else None  # an LI neuron: a threshold no v reaches
    where = f"populations[{pop.name}].neuron"
    if teacher and not (dv > 0 and n.spiking):
        raise QuantizationError(f"{where}: a learning rule's teacher needs a leaky spiking neuron (tau_m_ms), "
                                f"whose voltage the teacher's bias holds at a fraction of v_th")
    if precision == "float":
        bias = _bias(n) * scale
        taught = bias + teacher * v_th * scale * dv if teacher else None  # v* = b/δv = f·v_th
        return NeuronParams(pop.name, pop.size, du, dv, np.inf if v_th is None else v_th * scale, bias, 0,
                            refractory, theta_plus * scale, dtheta, scale, theta_init, pop.reset_step, taught)
    vth = fx.NO_SPIKE_VTH if v_th is None else fx.threshold_to_fixed(v_th * scale, f"{where}.v_th")
    dv_fixed = fx.decay_to_fixed(dv, fx.DV_OFFSET, f"{where}.tau_m_ms")
    bias_v = _bias(n) * scale * (1 << fx.VTH_SHIFT)
    bias_mant, bias_exp = fx.bias_to_fixed(bias_v, f"{where}.bias")
    taught = None
    if teacher:  # the fixed model keeps (4096 − δv)/4096 of v per step: v* = b·4096/δv = f·v_th
        bias_v = np.broadcast_to(bias_v, (pop.size,))
        taught_v = bias_v + teacher * (vth << fx.VTH_SHIFT) * (dv_fixed + fx.DV_OFFSET) / fx.DECAY_UNITY
        both, bias_exp = fx.bias_to_fixed(np.concatenate([bias_v, taught_v]), f"{where}.bias with the teacher")
        bias_mant, taught = (both[:pop.size] if isinstance(n.bias, list) else int(both[0])), both[pop.size:]
    return NeuronParams(
        name=pop.name,
        size=pop.size,
        du=fx.decay_to_fixed(du, fx.DU_OFFSET, f"{where}.tau_syn_ms"),
        dv=dv_fixed,
        vth=vth,
        bias_mant=bias_mant,
        bias_exp=bias_exp,
        refractory_steps=refractory,
        theta_plus=_nonzero_int(theta_plus * scale, f"{where}.theta_plus"),
        theta_decay=fx.decay_to_fixed(dtheta, 0, f"{where}.tau_theta_ms") if dtheta else 0,
        scale=scale,
        theta_init=None if theta_init is None else fx.theta_to_fixed(n.theta_init, scale, f"{where}.theta_init"),
        reset_step=pop.reset_step,
        teacher_bias_mant=taught,
    )


def _bias(neuron) -> float | np.ndarray:
    return np.asarray(neuron.bias, float) if isinstance(neuron.bias, list) else neuron.bias


def _nonzero_int(value: float, what: str) -> int:
    out = int(round(value))
    if value > 0 and out == 0:
        raise QuantizationError(f"{what}: {value:.6g} (in weight units) rounds to 0; smallest is 0.5")
    return out
