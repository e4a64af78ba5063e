"""Build Lava processes from compiled parameters (runs inside the worker process).

Input spikes come from a RingBuffer source that holds a chunk of samples; each neuron
population gets a NeurokitLIF and a RingBuffer sink that records its spikes; each connection is
a Dense with its weights (8-bit mantissas, exponent and sign mode in fixed precision).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neurokit.quant import CompiledParams


@dataclass
class LavaNetwork:
    source: object
    neurons: dict
    dense: dict
    sinks: dict


def build(params: CompiledParams, chunk_steps: int, first_chunk: np.ndarray) -> LavaNetwork:
    from lava.proc.dense.process import Dense
    from lava.proc.io.sink import RingBuffer as Sink
    from lava.proc.io.source import RingBuffer as Source
    from lava.utils.weightutils import SignMode

    from neurokit.backends.lava.processes.neuron import NeurokitLIF

    net, fixed = params.network, params.precision == "fixed"
    P = net.steps_per_sample
    source = Source(data=first_chunk.astype(np.int32 if fixed else float))
    neurons, sinks, dense = {}, {}, {}
    for name, p in params.neurons.items():
        neurons[name] = NeurokitLIF(
            shape=(p.size,), du=p.du, dv=p.dv, vth=p.vth, bias_mant=p.bias_mant, bias_exp=p.bias_exp,
            refractory_steps=p.refractory_steps, theta_plus=p.theta_plus, theta_decay=p.theta_decay,
            reset_interval=P, reset_offset=1 % P, name=name,
        )
        sinks[name] = Sink(shape=(p.size,), buffer=chunk_steps)
        neurons[name].s_out.connect(sinks[name].a_in)
    for c in params.connections:
        kwargs = {}
        if fixed:
            kwargs = dict(num_weight_bits=8, weight_exp=c.weight_exp,
                          sign_mode=SignMode.EXCITATORY if c.sign > 0 else SignMode.INHIBITORY)
        weights = c.signed_weights.astype(np.int32 if fixed else float)
        dense[c.label] = d = Dense(weights=weights, name=c.label, **kwargs)
        src = source if c.source == net.input_population.name else neurons[c.source]
        src.s_out.connect(d.s_in)
        d.a_out.connect(neurons[c.target].a_in)
    return LavaNetwork(source, neurons, dense, sinks)
