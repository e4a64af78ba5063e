"""IR -> NIR (`to_nir`), the inverse of neurokit.interop.nir_import."""
from __future__ import annotations

import numpy as np

from neurokit.errors import SpecError
from neurokit.interop.nir_common import _meta, _nir, _nudge, _pair


def to_nir(net):
    """The IR network as a nir.NIRGraph (type-checked by nir), the inverse of `from_nir`:
    `from_nir(to_nir(net), dt_ms=net.dt_ms)` gives `net` back. Raises SpecError listing every
    feature that NIR cannot say (adaptive thresholds, refractory periods, learning rules,
    pruning, rate or integrate-and-fire encoders, a readout, ...) with its place in the network."""
    from neurokit.ir import network_to_dict

    nir = _nir()
    problems = _export_problems(net)
    if problems:
        raise SpecError(problems, f"network {net.name!r} (to NIR)")
    data = network_to_dict(net)
    pops = {p.name: p for p in net.populations}
    shape = {p.name: tuple(p.shape) if p.shape else (p.size,) for p in net.populations}
    weights = net.weight_matrices()
    nodes: dict = {}
    edges: list = []
    units: dict[str, float] = {}  # per population: the input gain g (= 1 where the weights carry it)

    for i, (p, pd) in enumerate(zip(net.populations, data["populations"])):
        hint = dict(pd, _position=i)
        if p.kind == "input":
            nodes[p.name] = nir.Input(input_type={"input": np.array(shape[p.name])}, metadata=_meta(hint))
            continue
        node, units[p.name] = _neuron_node(nir, p, net.dt_ms, shape[p.name])
        node.metadata = _meta(hint)
        nodes[p.name] = node

    def fresh(base: str) -> str:
        key, i = base, 2
        while key in nodes:
            key, i = f"{base}#{i}", i + 1
        return key

    # biases ride on the first dense/conv2d connection into the population, else on an Affine
    # from the input with zero weights (marked bias_only)
    bias_on: dict[str, int] = {}
    for p in net.neuron_populations:
        if not np.any(np.asarray(p.neuron.bias) != 0):
            continue
        first = next((j for j, c in enumerate(net.connections) if c.target == p.name and c.kind in ("dense", "conv2d")
                      and not (c.kind == "dense" and len(shape[p.name]) > 1)), None)
        bias_on[p.name] = first if first is not None else -1

    def bias_values(p, n):
        return np.broadcast_to(np.asarray(_bias_value(pops[p], units[p]), float), (n,)).copy()

    for j, (c, cd) in enumerate(zip(net.connections, data["connections"])):
        hint = {k: v for k, v in cd.items() if k not in ("source", "target")}
        if c.kind in ("dense", "conv2d") and getattr(c, "init", None) is None:
            hint.pop("weights", None)
        hint["_position"] = j
        src, tgt = c.source, c.target
        carries = bias_on.get(tgt) == j
        chain = []
        if c.kind == "dense":
            if len(shape[src]) > 1:
                chain.append((fresh(f"{c.label}:flatten"), nir.Flatten(input_type={"input": np.array(shape[src])},
                                                                        start_dim=0, end_dim=-1)))
            w = weights[c.label] * c.signed
            b = bias_values(tgt, w.shape[0]) if carries else np.zeros(w.shape[0])
            chain.append((fresh(c.label), nir.Affine(weight=w, bias=b, metadata=_meta(hint))))
        elif c.kind in ("sparse", "all_to_all_except_self"):
            w = weights[c.label] * c.signed
            chain.append((fresh(c.label), nir.Affine(weight=w, bias=np.zeros(w.shape[0]), metadata=_meta(hint))))
        elif c.kind == "one_to_one":
            chain.append((fresh(c.label), nir.Scale(scale=np.full(shape[tgt], c.weight * c.signed),
                                                    metadata=_meta(hint))))
        elif c.kind == "conv2d":
            k = c.kernel * c.signed
            b = _channel_bias(bias_values(tgt, pops[tgt].size), k.shape[0], c.label) if carries else np.zeros(k.shape[0])
            chain.append((fresh(c.label), nir.Conv2d(
                input_shape=tuple(shape[src][1:]), weight=k, stride=_pair(c.stride, "stride"),
                padding=_pair(c.padding, "padding"), dilation=_pair(c.dilation, "dilation"), groups=c.groups,
                bias=b, metadata=_meta(hint))))
        elif c.kind == "pool2d":
            ks = _pair(c.kernel_size, "kernel_size")
            w = c.weight * c.signed
            args = dict(kernel_size=np.array(ks), stride=np.array(_pair(c.stride, "stride")),
                        padding=np.array(_pair(c.padding, "padding")))
            if w == 1.0:
                chain.append((fresh(c.label), nir.SumPool2d(**args, metadata=_meta(hint))))
            elif w == 1.0 / (ks[0] * ks[1]):
                chain.append((fresh(c.label), nir.AvgPool2d(**args, metadata=_meta(hint))))
            else:  # sum pooling, then the weight as a Scale
                chain.append((fresh(c.label), nir.SumPool2d(**args, metadata=_meta(hint))))
                chain.append((fresh(f"{c.label}:scale"), nir.Scale(scale=np.full(shape[tgt], w))))
        prev = src
        for key, node in chain:
            nodes[key] = node
            edges.append((prev, key))
            prev = key
        edges.append((prev, tgt))

    inp = net.input_population.name
    for p, j in bias_on.items():
        if j == -1:
            n = pops[p].size
            key = fresh(f"{p}:bias")
            nodes[key] = nir.Affine(weight=np.zeros((n, pops[inp].size)), bias=bias_values(p, n),
                                    metadata=_meta({"bias_only": True}))
            if len(shape[inp]) > 1:
                fk = fresh(f"{p}:bias:flatten")
                nodes[fk] = nir.Flatten(input_type={"input": np.array(shape[inp])}, start_dim=0, end_dim=-1)
                edges += [(inp, fk), (fk, key)]
            else:
                edges.append((inp, key))
            edges.append((key, p))

    # outputs: the populations nothing else reads (the last layer, a readout LI)
    sources = {c.source for c in net.connections}
    leaves = [p.name for p in net.neuron_populations if p.name not in sources] or [net.neuron_populations[-1].name]
    for p in leaves:
        key = fresh("output" if len(leaves) == 1 else f"output_{p}")
        nodes[key] = nir.Output(output_type={"output": np.array(shape[p])})
        edges.append((p, key))
    meta = _meta({"name": net.name, "dt_ms": net.dt_ms, "seed": net.seed, "metadata": data.get("metadata", {}),
                  "readout": data.get("readout")})
    try:
        return nir.NIRGraph(nodes=nodes, edges=edges, metadata=meta, type_check=True)
    except (ValueError, AssertionError) as e:
        raise SpecError([f"nir rejects the graph: {e}"], f"network {net.name!r} (to NIR)") from None


def _channel_bias(per_neuron: np.ndarray, channels: int, label: str) -> np.ndarray:
    """NIR's Conv2d has one bias per output channel: the neurons' biases, if equal within each."""
    rows = per_neuron.reshape(channels, -1)
    if np.any(rows != rows[:, :1]):
        raise SpecError([f"connections[{label}]: the biases of its target differ within a channel; NIR's Conv2d "
                         "carries one bias per output channel"])
    return rows[:, 0].copy()


def _bias_value(pop, unit: float) -> float:
    """The Affine bias that from_nir turns into the IR bias: b·g/k, with k = g for spiking
    neurons (b = bias) and k = 1 otherwise (b = bias / g, g = 1 by the choice of r)."""
    b = pop.neuron.bias
    if pop.neuron.spiking or unit == 1.0:
        return b
    if isinstance(b, list):  # one per neuron
        return [_nudge(x / unit, lambda y, x=x: y * unit == x) for x in b]
    return _nudge(b / unit, lambda x: x * unit == b)


def _neuron_node(nir, pop, dt_ms: float, shape):
    """The NIR neuron node of an IR population, and its input gain g as from_nir computes it."""
    n, dt = pop.neuron, dt_ms / 1000.0
    dv, du = n.voltage_decay_per_step(dt_ms), n.current_decay_per_step(dt_ms)

    def full(x):
        return np.full(shape, float(x))

    def tau_for(d):  # τ with dt / τ == d exactly
        return _nudge(dt / d, lambda t: dt / t == d)

    spiking = n.spiking
    if du == 1.0 and dv > 0:
        tau = tau_for(dv)
        if spiking:  # LIF, r = 1 (Norse and the NIR paper): g = dt/τ = δv, thresholds times g
            g = 1.0 * dt / tau
            vth = _nudge(n.v_th * g, lambda x: x / g == n.v_th)
            return nir.LIF(tau=full(tau), r=full(1.0), v_leak=full(0.0), v_threshold=full(vth),
                           v_reset=full(0.0)), g
        r = _nudge(tau / dt, lambda x: x * dt / tau == 1.0)
        return nir.LI(tau=full(tau), r=full(r), v_leak=full(0.0)), r * dt / tau
    if du == 1.0 and dv == 0:
        r = _nudge(1.0 / dt, lambda x: x * dt == 1.0)
        g = r * dt
        if spiking:
            vth = _nudge(n.v_th * g, lambda x: x / g == n.v_th)
            return nir.IF(r=full(r), v_threshold=full(vth), v_reset=full(0.0)), g
        return nir.I(r=full(r)), g
    # a synaptic filter: CubaLIF / CubaLI with snnTorch's r = τ_mem/dt, w_in = τ_syn/dt
    ts, tm = tau_for(du), tau_for(dv)
    w_in = ts / dt

    def gain(r):
        return (r * dt / tm) * (w_in * dt / ts)

    r = _nudge(tm / dt, lambda x: gain(x) == 1.0)
    g = gain(r)
    if spiking:
        vth = _nudge(n.v_th * g, lambda x: x / g == n.v_th)
        return nir.CubaLIF(tau_syn=full(ts), tau_mem=full(tm), r=full(r), v_leak=full(0.0), v_threshold=full(vth),
                           v_reset=full(0.0), w_in=full(w_in)), g
    return nir.CubaLI(tau_syn=full(ts), tau_mem=full(tm), r=full(r), v_leak=full(0.0), w_in=full(w_in)), g


def _export_problems(net) -> list[str]:
    out = []
    for i, p in enumerate(net.populations):
        where = f"populations[{i}] ({p.name})"
        if p.kind == "input":
            if p.encoder.kind in ("poisson", "bernoulli"):
                out.append(f"{where}.encoder: the {p.encoder.kind} encoder draws random spikes; NIR's Input takes "
                           "the spikes themselves (use encoder kind 'spikes', or the deterministic integrate_fire, "
                           "which neurokit keeps in the Input node's metadata)")
            continue
        n = p.neuron
        if n.kind == "adaptive_lif":
            out.append(f"{where}.neuron: adaptive_lif (an adaptive threshold, theta_plus) has no NIR counterpart")
        if getattr(n, "refractory_ms", 0):
            out.append(f"{where}.neuron.refractory_ms: {n.refractory_ms} ms; NIR neurons have no refractory period")
        dv, du = n.voltage_decay_per_step(net.dt_ms), n.current_decay_per_step(net.dt_ms)
        if du < 1 and dv == 0:
            out.append(f"{where}.neuron: a synaptic filter (current decay {du:.6g} < 1) on a neuron without "
                       "voltage leak; NIR 1.0 has no CubaIF/CubaI node")
        has_bias = bool(np.any(np.asarray(n.bias) != 0))
        if has_bias and du < 1:
            out.append(f"{where}.neuron.bias: a bias on a neuron with a synaptic filter (current decay {du:.6g} < 1) "
                       "has no NIR counterpart: NIR's only constant input, an Affine bias, would pass through the "
                       "synapse and ramp up instead of adding to v from the first step")
        if du == 0:
            out.append(f"{where}.neuron: a current that never decays (current_decay 0) has no NIR counterpart")
        if p.shape and len(p.shape) > 1:
            for j, c in enumerate(net.connections):
                if c.target == p.name and c.kind in ("dense", "sparse", "all_to_all_except_self"):
                    out.append(f"connections[{j}] ({c.label}): a {c.kind} connection into the shaped population "
                               f"{p.name!r} {p.shape}; NIR's Affine gives a flat vector and NIR has no reshape")
        if has_bias and p.shape and len(p.shape) > 1 and not any(
                c.target == p.name and c.kind == "conv2d" for c in net.connections):
            out.append(f"{where}.neuron.bias: a bias on a shaped population needs an incoming conv2d to carry it in NIR")
    for j, c in enumerate(net.connections):
        where = f"connections[{j}] ({c.label})"
        if getattr(c, "learning", None) is not None:
            out.append(f"{where}.learning: the {c.learning.kind} rule has no NIR counterpart (NIR holds fixed weights)")
        if getattr(c, "pruning", None) is not None:
            out.append(f"{where}.pruning: pruning has no NIR counterpart")
        if c.target == net.input_population.name:
            out.append(f"{where}: targets the input population")
    return out
