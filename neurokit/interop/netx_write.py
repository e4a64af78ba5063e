"""IR -> netx: `write_netx` / `netx_bytes`, the inverse of neurokit.interop.netx_read."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from neurokit.errors import SpecError
from neurokit.interop.netx_format import ATTR, DECAY_UNITY, PIXEL_SCALE
from neurokit.ir import Network


def _saved(net: Network) -> str:
    """What the IR says and netx cannot, for the root attribute."""
    data = net.model_dump(mode="json", exclude_none=True)
    return json.dumps({
        "name": net.name, "dt_ms": net.dt_ms, "seed": net.seed, "metadata": net.metadata,
        "populations": [{k: v for k, v in p.items() if k in ("name", "reset_step", "encoder", "kind")}
                        for p in data["populations"]],
        "connections": [{k: c.get(k) for k in ("name", "sign", "weight_exp")} for c in data["connections"]],
        "readout": data.get("readout"),
    })



def write_netx(net: Network, path: str | os.PathLike) -> None:
    """Export a chain network to a `.net` file lava-dl's netx loads (written whole, then renamed
    into place). Anything netx cannot say is refused by name: learning rules, pruning, adaptive
    thresholds, LI/IF neurons, rate encoders, a non-chain topology, weights that are not Loihi
    integers."""
    from neurokit.util import atomic_write_bytes

    atomic_write_bytes(Path(path), netx_bytes(net))


def netx_bytes(net: Network) -> bytes:
    """The `.net` file's bytes (checked whole before anything is written)."""
    import io

    import h5py

    layers = _export_layers(net)
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.attrs[ATTR] = _saved(net)
        g = f.create_group("layer")
        for i, layer in enumerate(layers):
            _write_group(g.create_group(str(i)), layer)
    return buf.getvalue()


def _write_group(g, d: dict) -> None:
    for key, v in d.items():
        if isinstance(v, dict):  # the neuron
            _write_group(g.create_group(key), v)
        elif key == "type" and "shape" in d:  # a layer's type (not its neuron's): SLAYER writes (1,) S10
            g.create_dataset("type", (1,), "S10", [v.encode("ascii")])
        else:
            g.create_dataset(key, data=v)


def _export_layers(net: Network) -> list[dict]:
    problems = []
    extras = net.metadata.get("netx", {})
    inp = net.input_population
    chain = _chain(net, problems)
    if problems:
        raise SpecError(problems)
    layers = [_export_input(net, inp, extras.get("0", {}), problems)]
    for i, (pop, conn, rec) in enumerate(chain, start=1):
        where = f"populations[{pop.name}]"
        n = pop.neuron
        if n.kind != "lif":
            problems.append(f"{where}.neuron.kind: {n.kind!r} has no netx counterpart (netx layers are CUBA LIF)")
            continue
        if pop.fixed_scale != 1.0:
            problems.append(f"{where}.fixed_scale: netx holds Loihi integers; export needs fixed_scale: 1 "
                            "(a network imported from netx has it)")
        if n.refractory_ms:
            problems.append(f"{where}.neuron.refractory_ms: netx's CUBA neuron has no refractory period")
        du, dv = n.current_decay_per_step(net.dt_ms), n.voltage_decay_per_step(net.dt_ms)
        neuron = {"type": "CUBA", "iDecay": _register(du, f"{where}.neuron current decay", problems),
                  "vDecay": _register(dv, f"{where}.neuron voltage decay", problems),
                  "vThMant": _integer(n.v_th, f"{where}.neuron.v_th", problems), "refDelay": 1, "wgtExp": 0}
        neuron.update(extras.get(str(i), {}))
        layer: dict = {"shape": np.asarray(pop.shape or [pop.size], np.int64), "neuron": neuron}
        bias = np.asarray(n.bias, np.float64)
        if np.any(bias != 0):
            layer["bias"] = _channel_bias(bias, pop).astype(np.float32)
        w = net.weight_matrices()[conn.label]
        if getattr(conn, "weight_exp", 0) not in (0, None):
            problems.append(f"connections[{conn.label}].weight_exp: netx weights have exponent 0")
        if conn.kind == "conv2d":
            k = np.asarray(conn.weights, np.float64) * conn.signed
            layer.update(type="conv", weight=_check_ints(k, conn, problems)[..., None].astype(np.float32),
                         kernelSize=np.asarray(k.shape[2:], np.int64), stride=_arr(conn.stride),
                         padding=_arr(conn.padding), dilation=_arr(conn.dilation), groups=np.int64(conn.groups),
                         inChannels=np.int64(k.shape[1] * conn.groups), outChannels=np.int64(k.shape[0]))
        elif conn.kind == "pool2d":
            k = _arr(conn.kernel_size)
            layer.update(type="pool", weight=np.full((1, 1, *k), conn.weight * conn.signed, np.float32), kernelSize=k,
                         stride=_arr(conn.stride), padding=_arr(conn.padding), dilation=_arr(conn.dilation))
        else:
            signed = w * conn.signed
            layer.update(type="dense_rec" if rec is not None else "dense",
                         weight=_check_ints(signed, conn, problems).astype(np.float32))
            if rec is not None:
                layer["weight_rec"] = _check_ints(net.weight_matrices()[rec.label] * rec.signed, rec,
                                                  problems).astype(np.float32)
        layers.append(layer)
    if problems:
        raise SpecError(problems)
    return layers


def _chain(net: Network, problems: list) -> list:
    """[(population, its feed-forward connection, its recurrent connection or None)] from the input on."""
    for c in net.connections:
        if getattr(c, "learning", None) is not None:
            problems.append(f"connections[{c.label}].learning: netx files hold no learning rules")
        if getattr(c, "pruning", None) is not None:
            problems.append(f"connections[{c.label}].pruning: netx files hold no pruning timers")
    for p in net.neuron_populations:
        if p.neuron.kind == "adaptive_lif":
            problems.append(f"populations[{p.name}].neuron: adaptive threshold has no netx counterpart")
    chain, src = [], net.input_population.name
    remaining = list(net.connections)
    while True:
        out = [c for c in remaining if c.source == src and c.target != src]
        if not out:
            break
        if len(out) > 1:
            problems.append(f"connections: {src!r} feeds {len(out)} populations; a netx file is a chain of layers")
            return []
        c = out[0]
        ins = [d for d in remaining if d.target == c.target and d is not c]
        rec = [d for d in ins if d.source == d.target]
        if len(ins) > len(rec) or len(rec) > 1:
            problems.append(f"populations[{c.target}]: more than one input connection; a netx layer has one "
                            "(and at most one recurrent one)")
            return []
        if rec and rec[0].kind != "dense":
            problems.append(f"connections[{rec[0].label}]: a recurrent connection must be dense")
        chain.append((net.population(c.target), c, rec[0] if rec else None))
        remaining = [d for d in remaining if d is not c and d not in rec]
        src = c.target
    if remaining:
        problems.append(f"connections[{remaining[0].label}]: not part of the chain from the input; "
                        "a netx file is a chain of layers")
    return chain


def _export_input(net, inp, extra, problems) -> dict:
    enc = inp.encoder
    layer: dict = {"type": "input", "shape": np.asarray(inp.shape or [inp.size], np.int64)}
    if enc.kind != "integrate_fire":
        problems.append(f"populations[{inp.name}].encoder.kind: {enc.kind!r} has no netx counterpart "
                        "(netx inputs are integrate-and-fire)")
        return layer
    if enc.fixed_scale == 1.0:  # a neuron input layer in Loihi's units
        layer["neuron"] = {"type": "CUBA", "iDecay": DECAY_UNITY,
                           "vDecay": _register(enc.voltage_decay, "encoder.voltage_decay", problems),
                           "vThMant": _integer(enc.threshold, "encoder.threshold", problems), "refDelay": 1,
                           "wgtExp": 0, **extra}
        layer["weight"] = np.asarray([enc.gain], np.float32)
        layer["bias"] = np.asarray([enc.offset], np.float32)
    elif (enc.threshold, enc.gain, enc.offset, enc.voltage_decay, enc.fixed_scale) != (1.0, 1.0, 0.0, 0.0, PIXEL_SCALE):
        problems.append(f"populations[{inp.name}].encoder: netx says either an input neuron in Loihi units "
                        "(fixed_scale: 1) or the default pixel encoder (threshold 1, gain 1, offset 0, no decay, "
                        "fixed_scale 255)")
    return layer


def _register(fraction: float, what: str, problems: list) -> int:
    r = fraction * DECAY_UNITY
    if r != round(r):
        problems.append(f"{what}: {fraction!r} per step is not a multiple of 1/4096, which netx needs")
    return int(round(r))


def _integer(x: float, what: str, problems: list) -> int:
    if x != round(x):
        problems.append(f"{what}: {x!r} is not an integer, which netx needs")
    return int(round(x))


def _check_ints(w: np.ndarray, conn, problems: list) -> np.ndarray:
    if np.any(w != np.rint(w)) or w.min(initial=0) < -256 or w.max(initial=0) > 255:
        problems.append(f"connections[{conn.label}].weights: netx needs integers in -256..255")
    return w


def _channel_bias(bias: np.ndarray, pop) -> np.ndarray:
    if bias.ndim == 0:
        return bias.reshape(1)
    if pop.shape is not None and len(pop.shape) == 3:
        per_channel = bias.reshape(pop.shape[0], -1)
        if np.all(per_channel == per_channel[:, :1]):
            return per_channel[:, 0]
    return bias


def _arr(x) -> np.ndarray:
    return np.asarray([x, x] if isinstance(x, int) else x, np.int64)
