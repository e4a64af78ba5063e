"""Float and bit-accurate ProcessModels of NeurokitLIF. The u/v arithmetic is Lava's own
(AbstractPyLifModelFloat / AbstractPyLifModelFixed.subthr_dynamics); only the refractory
clamp, θ and the per-sample reset are added here."""
import numpy as np
from lava.magma.core.decorator import implements, requires, tag
from lava.magma.core.model.py.ports import PyOutPort
from lava.magma.core.model.py.type import LavaPyType
from lava.magma.core.resources import CPU
from lava.magma.core.sync.protocols.loihi_protocol import LoihiProtocol
from lava.proc.lif.models import AbstractPyLifModelFixed, AbstractPyLifModelFloat

from neurokit.backends.lava.processes.neuron import NeurokitLIF


class _Probes:
    """Recording (neurokit.probes): after each step of a kept sample, u, v and θ as this step
    left them go to column j of row `probe_rows[sample]` of .npy files the worker made
    (backends/lava/simulate.py), opened here as memory maps. Reading a Var through Lava instead
    (Var.get(), or lava.proc.monitor's buffer) sends one message per value, ≈ 20 µs each:
    slower than the run itself."""

    def _init_probes(self, proc_params):
        self.probe_files = proc_params["probes"]
        self.probe_rows = proc_params["probe_rows"]
        self.probe_maps = None

    def _record(self):
        if not self.probe_files:
            return
        sample, j = divmod(self.time_step - 1, self.reset_interval)
        row = self.probe_rows[sample]
        if row < 0:
            return
        if self.probe_maps is None:  # opened in the process that runs this model
            self.probe_maps = {var: np.load(path, mmap_mode="r+") for var, path in self.probe_files.items()}
        for var, buf in self.probe_maps.items():
            buf[row, :, j] = getattr(self, var)


class _SampleReset:
    def _init_reset(self, proc_params):
        self.reset_interval = proc_params["reset_interval"]
        self.reset_offset = proc_params["reset_offset"] % self.reset_interval

    def _reset_if_sample_starts(self):
        if self.time_step % self.reset_interval == self.reset_offset:
            self.u[:] = 0
            self.v[:] = 0
            self.refractory[:] = 0


@implements(proc=NeurokitLIF, protocol=LoihiProtocol)
@requires(CPU)
@tag("floating_pt")
class PyNeurokitLIFFloat(_SampleReset, _Probes, AbstractPyLifModelFloat):
    s_out: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, float)
    s_out_bap: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, bool)
    vth: float = LavaPyType(float, float)
    theta: np.ndarray = LavaPyType(np.ndarray, float)
    refractory: np.ndarray = LavaPyType(np.ndarray, np.int32)
    refractory_steps: int = LavaPyType(int, np.int32)
    theta_plus: float = LavaPyType(float, float)
    theta_decay: float = LavaPyType(float, float)

    def __init__(self, proc_params):
        super().__init__(proc_params)
        self._init_reset(proc_params)
        self._init_probes(proc_params)

    def run_spk(self):
        a_in = self.a_in.recv()
        self._reset_if_sample_starts()
        self.subthr_dynamics(activation_in=a_in)
        held = self.refractory > 0
        self.v[held] = 0
        self.refractory[held] -= 1
        self.theta[:] = self.theta * (1 - self.theta_decay)
        spikes = self.v > self.vth + self.theta
        self.v[spikes] = 0
        self.refractory[spikes] = self.refractory_steps
        self.theta[spikes] += self.theta_plus
        self._record()
        self.s_out.send(spikes.astype(float))
        self.s_out_bap.send(spikes)


@implements(proc=NeurokitLIF, protocol=LoihiProtocol)
@requires(CPU)
@tag("bit_accurate_loihi", "fixed_pt")
class PyNeurokitLIFFixed(_SampleReset, _Probes, AbstractPyLifModelFixed):
    s_out: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, np.int32, precision=24)
    s_out_bap: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, bool, precision=1)
    vth: int = LavaPyType(int, np.int32, precision=17)
    theta: np.ndarray = LavaPyType(np.ndarray, np.int32, precision=24)
    refractory: np.ndarray = LavaPyType(np.ndarray, np.int32, precision=8)
    refractory_steps: int = LavaPyType(int, np.int32, precision=8)
    theta_plus: int = LavaPyType(int, np.int32, precision=17)
    theta_decay: int = LavaPyType(int, np.uint16, precision=12)

    def __init__(self, proc_params):
        super().__init__(proc_params)
        self._init_reset(proc_params)
        self._init_probes(proc_params)

    def scale_threshold(self):
        self.effective_vth = np.left_shift(self.vth, self.vth_shift)
        self.isthrscaled = True

    def run_spk(self):
        a_in = self.a_in.recv()
        self._reset_if_sample_starts()
        self.scale_bias()
        if not self.isthrscaled:
            self.scale_threshold()
        self.subthr_dynamics(activation_in=a_in)
        held = self.refractory > 0
        self.v[held] = 0
        self.refractory[held] -= 1
        # θ ≥ 0 decays like u and v: θ · (4096 − δθ) >> 12
        decayed = (self.theta.astype(np.int64) * (self.decay_unity - self.theta_decay)) >> self.decay_shift
        self.theta[:] = decayed.astype(np.int32)
        spikes = self.v > self.effective_vth + self.theta
        self.v[spikes] = 0
        self.refractory[spikes] = self.refractory_steps
        theta = self.theta.astype(np.int64) + (spikes * (int(self.theta_plus) << self.vth_shift))
        self.theta[:] = np.minimum(theta, self.max_uv_val - 1).astype(np.int32)
        self._record()
        self.s_out.send(spikes.astype(np.int32))
        self.s_out_bap.send(spikes)
