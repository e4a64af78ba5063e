"""NeurokitLIF: Loihi's CUBA LIF plus what Diehl & Cook's neurons need and Lava's LIF lacks:
an absolute refractory period, an adaptive threshold offset θ, and a reset of u and v at the
start of every sample (as Lava's LIFReset does).

    u[t] = u[t-1](1 − δu) + a_in           v[t] = v[t-1](1 − δv) + u[t] + bias
    v held at 0 while refractory            θ[t] = θ[t-1](1 − δθ)
    spike when v[t] > vth + θ[t];  then v ← 0, refractory ← R, θ ← θ + θ₊

Spikes leave on `s_out` and, for learning synapses (LearningDense.s_in_bap), on `s_out_bap`.
With `probes` ({var: path of a .npy [kept samples, size, steps]}) and `probe_rows` (the row of
each sample, −1: not kept), the model writes u, v, θ after every step of a kept sample there
(neurokit.probes; neuron_models._Probes).
"""
import numpy as np
from lava.magma.core.process.ports.ports import InPort, OutPort
from lava.magma.core.process.process import AbstractProcess
from lava.magma.core.process.variable import Var


class NeurokitLIF(AbstractProcess):
    def __init__(
        self,
        *,
        shape: tuple,
        du: float,
        dv: float,
        vth: float,
        bias_mant: float = 0,
        bias_exp: int = 0,
        refractory_steps: int = 0,
        theta_plus: float = 0,
        theta_decay: float = 0,
        theta_init=0,
        reset_interval: int = 1 << 30,
        reset_offset: int = 1,
        probes: dict | None = None,
        probe_rows: np.ndarray | None = None,
        name: str | None = None,
    ):
        super().__init__(shape=shape, reset_interval=reset_interval, reset_offset=reset_offset,
                         probes=probes or {}, probe_rows=probe_rows, name=name)
        self.a_in = InPort(shape=shape)
        self.s_out = OutPort(shape=shape)
        self.s_out_bap = OutPort(shape=shape)  # back-propagating spikes for a learning synapse
        self.u = Var(shape=shape, init=0)
        self.v = Var(shape=shape, init=0)
        self.theta = Var(shape=shape, init=theta_init)
        self.refractory = Var(shape=shape, init=0)
        self.du = Var(shape=(1,), init=du)
        self.dv = Var(shape=(1,), init=dv)
        self.vth = Var(shape=(1,), init=vth)
        self.bias_mant = Var(shape=shape, init=np.full(shape, bias_mant))
        self.bias_exp = Var(shape=shape, init=np.full(shape, bias_exp))
        self.refractory_steps = Var(shape=(1,), init=refractory_steps)
        self.theta_plus = Var(shape=(1,), init=theta_plus)
        self.theta_decay = Var(shape=(1,), init=theta_decay)
