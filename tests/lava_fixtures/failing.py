"""A process whose model raises (or hangs) on its 3rd step: the watchdog must turn it into an error."""
import time

import numpy as np
from lava.magma.core.decorator import implements, requires, tag
from lava.magma.core.model.py.model import PyLoihiProcessModel
from lava.magma.core.model.py.ports import PyOutPort
from lava.magma.core.model.py.type import LavaPyType
from lava.magma.core.process.ports.ports import OutPort
from lava.magma.core.process.process import AbstractProcess
from lava.magma.core.process.variable import Var
from lava.magma.core.resources import CPU
from lava.magma.core.sync.protocols.loihi_protocol import LoihiProtocol


class Faulty(AbstractProcess):
    def __init__(self, *, mode: str):
        super().__init__(mode=mode)
        self.s_out = OutPort(shape=(1,))
        self.x = Var(shape=(1,), init=0)


@implements(proc=Faulty, protocol=LoihiProtocol)
@requires(CPU)
@tag("fixed_pt")
class PyFaultyModel(PyLoihiProcessModel):
    s_out: PyOutPort = LavaPyType(PyOutPort.VEC_DENSE, np.int32)
    x: np.ndarray = LavaPyType(np.ndarray, np.int32)

    def run_spk(self):
        if self.time_step == 3:
            if self.proc_params["mode"] == "raise":
                raise RuntimeError("deliberate failure in a process model")
            time.sleep(3600)
        self.s_out.send(np.zeros(1, np.int32))


def run_faulty(payload, report, monitor):
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg
    from lava.proc.io.sink import RingBuffer

    p = Faulty(mode=payload)
    sink = RingBuffer(shape=(1,), buffer=10)
    p.s_out.connect(sink.a_in)
    p.create_runtime(run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
    monitor.watch(p.runtime)
    try:
        report(0)
        p.run(condition=RunSteps(num_steps=10))
    finally:
        p.stop()
    return "finished"


def run_stock_lif(payload, report, monitor):
    """Lava's own LIF in fixed point, driven by a bias only: returns its spike train."""
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg
    from lava.proc.io.sink import RingBuffer
    from lava.proc.lif.process import LIF

    lif = LIF(shape=(1,), du=4095, dv=0, vth=payload["vth"], bias_mant=payload["bias"], bias_exp=0)
    sink = RingBuffer(shape=(1,), buffer=payload["steps"])
    lif.s_out.connect(sink.a_in)
    lif.create_runtime(run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
    monitor.watch(lif.runtime)
    try:
        lif.run(condition=RunSteps(num_steps=payload["steps"]))
        report(payload["steps"])
        return sink.data.get()[0].copy()
    finally:
        lif.stop()
