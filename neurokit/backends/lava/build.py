"""Build Lava processes from compiled parameters (runs inside the worker process).

Input spikes come from a RingBuffer source that holds a chunk of samples; each neuron
population gets a NeurokitLIF and a RingBuffer sink that records its spikes; each connection is
a Dense with its weights (8-bit mantissas, exponent and sign mode in fixed precision). When
learning, a plastic connection is a LearningDense running its rule's microcode, fed with the
post population's back-propagating spikes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from neurokit.quant import CompiledParams
from neurokit.quant.fixed import MIXED_WEIGHT_BITS, NUM_WEIGHT_BITS


@dataclass
class LavaNetwork:
    source: object
    neurons: dict
    dense: dict
    sinks: dict
    learning: dict = field(default_factory=dict)  # label -> (LearningDense, Microcode)
    taught: dict = field(default_factory=dict)    # label -> the NeurokitLIF its rule's teacher biases


def build(params: CompiledParams, chunk_steps: int, first_chunk: np.ndarray, *, learn: bool = False,
          rng_seed: int = 0, first_gate: dict | None = None, first_bias: dict | None = None,
          bounds: dict | None = None, probes: dict | None = None,
          probe_rows: np.ndarray | None = None) -> LavaNetwork:
    """`probes`: population -> {var: .npy path} that its NeurokitLIF writes u, v, θ to, for the
    samples with a `probe_rows` entry ≥ 0 (see processes/neuron.py)."""
    from lava.proc.dense.process import Dense, LearningDense
    from lava.proc.io.sink import RingBuffer as Sink
    from lava.proc.io.source import RingBuffer as Source
    from lava.utils.weightutils import SignMode

    from neurokit.backends.lava.processes.neuron import NeurokitLIF
    from neurokit.learning import microcode

    net, fixed = params.network, params.precision == "fixed"
    P = net.steps_per_sample
    source = Source(data=first_chunk.astype(np.int32 if fixed else float))
    lava_net = LavaNetwork(source, {}, {}, {})
    taught = {c.target: c.label for c in params.connections if c.label in (first_bias or {})}
    for name, p in params.neurons.items():
        theta = 0 if p.theta_init is None else p.theta_init
        bias = first_bias[taught[name]] if name in taught else p.bias_mant  # the teacher's, for the first sample
        lava_net.neurons[name] = NeurokitLIF(
            shape=(p.size,), du=p.du, dv=p.dv, vth=p.vth, bias_mant=bias, bias_exp=p.bias_exp,
            refractory_steps=p.refractory_steps, theta_plus=p.theta_plus, theta_decay=p.theta_decay,
            theta_init=theta, reset_interval=P, reset_offset=(1 + p.reset_step) % P, name=name,
            probes=(probes or {}).get(name), probe_rows=probe_rows,
        )
        lava_net.sinks[name] = Sink(shape=(p.size,), buffer=chunk_steps)
        lava_net.neurons[name].s_out.connect(lava_net.sinks[name].a_in)
        if name in taught:
            lava_net.taught[taught[name]] = lava_net.neurons[name]
    ir_conns = {c.label: c for c in net.connections}
    for c in params.connections:
        kwargs = {}
        if fixed:
            mode = SignMode.MIXED if c.mixed else SignMode.EXCITATORY if c.sign > 0 else SignMode.INHIBITORY
            kwargs = dict(num_weight_bits=MIXED_WEIGHT_BITS if c.mixed else NUM_WEIGHT_BITS, weight_exp=c.weight_exp,
                          sign_mode=mode)
        weights = c.signed_weights.astype(np.int32 if fixed else float)
        if learn and c.label in (bounds or {}):  # each weight in its range (continual learning's host)
            weights = np.clip(weights, *bounds[c.label]).astype(weights.dtype)
        post = lava_net.neurons[c.target]
        if learn and c.plastic:
            code = microcode(ir_conns[c.label].learning, params.precision, params.neurons[c.target].scale,
                             net.dt_ms, f"connections[{c.label}].learning", pruning=ir_conns[c.label].pruning)
            if not fixed:
                kwargs = dict(sign_mode=SignMode.EXCITATORY)
            d = LearningDense(weights=weights, learning_rule=code.lava_rule(rng_seed), name=c.label, **kwargs)
            if code.gated and first_gate is not None:
                d.y2.init = first_gate[c.label]
            post.s_out_bap.connect(d.s_in_bap)
            lava_net.learning[c.label] = (d, code)
        else:
            d = Dense(weights=weights, name=c.label, **kwargs)
        lava_net.dense[c.label] = d
        src = source if c.source == net.input_population.name else lava_net.neurons[c.source]
        src.s_out.connect(d.s_in)
        d.a_out.connect(post.a_in)
    return lava_net
