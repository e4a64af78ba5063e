"""lava-dl's netx HDF5 (`.net`) to and from the IR.

A `.net` file (written by SLAYER's `export_hdf5`, read by `lava.lib.dl.netx.hdf5.Network`) is
a chain of layers `layer/0 … layer/N-1`, each with `type`, `shape` ([C, H, W] or [n]) and, for
a neuron layer, `neuron/{type, iDecay, vDecay, vThMant, refDelay, wgtExp}`. It holds Loihi's
integers already, so the IR keeps them in those units (`fixed_scale: 1` on every population,
`weight_exp: 0` on every connection) and the fixed-point run uses exactly them:

    CUBA neuron:  current_decay = iDecay / 4096     (Lava: du = iDecay − 1, plus its offset 1)
                  voltage_decay = vDecay / 4096     (Lava: dv = vDecay)
                  v_th          = vThMant           (Lava compares v with vThMant << 6)
                  bias          = bias              (Lava: bias_mant = bias, bias_exp = 6)
    weights:      w (integers in −256..254, float32 in the file), weight = w in units of
                  the threshold; netx's optimize_weight_bits shifts them by 2^s and sets
                  weight_exp = −s, which computes the same sums, so w is kept as it is.
    input layer with a neuron (CUBA, driven by bias only):
                  integrate_fire encoder: current = weight · x + bias (SLAYER's input
                  transform), threshold vThMant, voltage_decay vDecay / 4096, fixed_scale 1.
    no input neuron: the sample goes through the integrate-and-fire pixel encoder of
                  lava-dl's MNIST tutorial (v += x, spike when v > 1, v ← 0), with
                  fixed_scale 255 so that fixed point counts grey levels exactly.
    conv:         weight [out, in / groups, kH, kW, 1] -> conv2d [out, in / groups, kH, kW]
                  (cross-correlation, as SLAYER trains it), stride / padding / dilation [y, x].
    pool:         pool2d with the file's weight on every tap.
    flatten:      nothing: the IR flattens [C, H, W] in C order, as netx's
                  transpose([2, 1, 0]).flatten() of its [W, H, C] does.
    dense_rec:    a dense connection and a recurrent one (weight_rec) into the same layer.

Time: one netx step is one IR step of `dt_ms`. Each sample is shown for `steps` and followed by
as many silent steps as the network has layers, so that the last layer's response to it (one
step of delay per layer, as in Lava) falls in the sample's window and nothing of it spills into
the next sample; every neuron is reset at the start of a sample.

What netx cannot say but the IR can (names, dt, the encoder, reset steps, the readout, metadata)
travels in the file's root attribute `neurokit` (JSON; lava-dl ignores it), so that
IR → netx → IR gives the same network; a file from elsewhere has none and gets the defaults.

What has no counterpart is refused by name (SpecError): synaptic delays, sigma-delta and
resonate-and-fire neurons, graded spikes, wgtExp ≠ 0, refDelay > 1, the layer types lava-dl's
netx cannot load either (average, concat, convT, unpool, dense_comp). SLAYER's training-only
neuron fields (theta, tauRho, scaleRho) are kept in `metadata.netx` so that an exported file
gets them back.
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np

from neurokit.errors import SpecError
from neurokit.ir import Network

DECAY_UNITY = 4096
NEURON_KEYS = {"type", "iDecay", "vDecay", "vThMant", "refDelay", "wgtExp", "gradedSpike"}
TRAINING_ONLY = ("theta", "tauRho", "scaleRho")   # SLAYER's surrogate-gradient parameters
UNSUPPORTED_LAYERS = ("average", "concat", "convT", "unpool", "dense_comp")
PIXEL_SCALE = 255.0   # fixed-point units of the default pixel encoder: one per grey level of an 8-bit image


def read_netx(path: str | os.PathLike, *, dt_ms: float = 1.0, steps: int = 32, name: str | None = None,
              gain: float | None = None, offset: float | None = None) -> Network:
    """Import a `.net` file as an IR network (see the module docstring for the rules).
    `gain` / `offset` override the input layer's transform (weight · x + bias)."""
    import h5py

    path = Path(path)
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise SpecError([f"{path}: not a netx HDF5 file ({e})"]) from None
    with f:
        if "layer" not in f:
            raise SpecError([f"{path}: no 'layer' group; a netx file has layer/0, layer/1, …"])
        layers = [_read_group(f["layer"][k]) for k in sorted(f["layer"], key=int)]
        saved = f.attrs.get(ATTR)
    net = _network(layers, path, dt_ms, steps, name or path.stem, gain, offset)
    return net if saved is None else _restore(net, saved, path)


ATTR = "neurokit"


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


def _restore(net: Network, saved, path: Path) -> Network:
    try:
        s = json.loads(saved)
        data = net.model_dump(mode="python", exclude_none=True)
        if len(s["populations"]) != len(data["populations"]) or len(s["connections"]) != len(data["connections"]):
            raise ValueError("its layers do not match the file's")
        rename = {p["name"]: q["name"] for p, q in zip(data["populations"], s["populations"])}
        for p, q in zip(data["populations"], s["populations"]):
            p.update(q)
            if q.get("kind") == "input":
                p.pop("reset_step", None)
        for c, q in zip(data["connections"], s["connections"]):
            c["source"], c["target"] = rename[c["source"]], rename[c["target"]]
            c.pop("name", None)
            c.pop("weight_exp", None)
            c.update({k: v for k, v in q.items() if v is not None})
            if c["sign"] != "mixed":  # the file holds signed weights; the IR then keeps magnitudes
                key = "weight" if c["kind"] == "pool2d" else "weights"
                c[key] = np.abs(np.asarray(c[key], float)).tolist() if key == "weights" else abs(c[key])
        data.update(name=s["name"], dt_ms=s["dt_ms"], seed=s["seed"], metadata=s["metadata"], readout=s["readout"])
        return Network.model_validate(data)
    except (ValueError, KeyError, TypeError) as e:
        raise SpecError([f"{path}: attribute {ATTR!r} (written by neurokit) is not usable: {e}"]) from None


def _read_group(g) -> dict:
    out = {}
    for key, item in g.items():
        if hasattr(item, "keys"):
            out[key] = _read_group(item)
        else:
            v = item[()]
            if isinstance(v, bytes):
                v = v.decode()
            elif isinstance(v, np.ndarray) and v.dtype.kind == "S":
                v = v[0].decode() if v.size == 1 else [x.decode() for x in v]
            out[key] = v
    return out


def _scalar(v) -> float:
    return float(np.asarray(v).reshape(-1)[0])


def _neuron(cfg: dict, where: str, extras: dict) -> dict:
    kind = str(cfg.get("type", ""))
    if kind not in ("CUBA", "LOIHI"):
        raise SpecError([f"{where}.neuron.type: {kind!r} has no counterpart in neurokit; "
                         "allowed: CUBA, LOIHI (sigma-delta and resonate-and-fire neurons are not supported)"])
    unknown = set(cfg) - NEURON_KEYS - set(TRAINING_ONLY)
    if unknown:
        raise SpecError([f"{where}.neuron: {sorted(unknown)} have no counterpart in neurokit "
                         f"(known: {sorted(NEURON_KEYS | set(TRAINING_ONLY))})"])
    if bool(cfg.get("gradedSpike", False)):
        raise SpecError([f"{where}.neuron.gradedSpike: graded spikes (integer payloads) are not supported; "
                         "neurokit's spikes are binary"])
    if "gradedSpike" in cfg:
        extras["gradedSpike"] = bool(cfg["gradedSpike"])
    if int(cfg.get("wgtExp", 0)) != 0:
        raise SpecError([f"{where}.neuron.wgtExp: {int(cfg['wgtExp'])} is not supported (lava-dl's netx ignores it; "
                         "only 0 runs the same everywhere)"])
    if int(cfg.get("refDelay", 1)) > 1:
        raise SpecError([f"{where}.neuron.refDelay: {int(cfg['refDelay'])} is not supported (Lava's LIF has no "
                         "refractory period; only 1 runs the same)"])
    for key in TRAINING_ONLY:
        if key in cfg:
            extras[key] = _scalar(cfg[key])
    if kind != "CUBA":  # LOIHI: the same neuron under SLAYER's other name
        extras["type"] = kind
    for key in ("iDecay", "vDecay", "vThMant"):
        if key not in cfg:
            raise SpecError([f"{where}.neuron.{key}: missing"])
    return {"kind": "lif", "current_decay": int(cfg["iDecay"]) / DECAY_UNITY,
            "voltage_decay": int(cfg["vDecay"]) / DECAY_UNITY, "v_th": float(int(cfg["vThMant"]))}


def _int_weights(w, where: str) -> np.ndarray:
    w = np.asarray(w, np.float64)
    if not np.all(np.isfinite(w)) or np.any(w != np.rint(w)) or w.min(initial=0) < -256 or w.max(initial=0) > 255:
        raise SpecError([f"{where}: netx weights must be integers in -256..255 (Loihi's 8-bit mantissa and sign); "
                         f"got {w.min():.6g}..{w.max():.6g}"])
    return w


def _bias(layer: dict, size: int, shape, where: str):
    if "bias" not in layer:
        return 0.0
    b = np.asarray(layer["bias"], np.float64).reshape(-1)
    if b.size == 1:
        return float(b[0])
    if b.size == size:
        return b.tolist()
    if shape is not None and len(shape) == 3 and b.size == shape[0]:  # one per channel
        return np.repeat(b, size // shape[0]).tolist()
    raise SpecError([f"{where}.bias: {b.size} values for a layer of {size} neurons"])


def _network(layers: list[dict], path: Path, dt_ms: float, steps: int, name: str, gain, offset) -> Network:
    pops, conns, extras = [], [], {}
    prev = None          # (name, shape) of the layer feeding the next one
    for i, layer in enumerate(layers):
        where = f"{path}: layer/{i}"
        kind = str(layer.get("type", ""))
        shape = [int(s) for s in np.asarray(layer.get("shape", [])).reshape(-1)]
        size = math.prod(shape) if shape else 0
        if kind in UNSUPPORTED_LAYERS or kind not in ("input", "dense", "dense_rec", "conv", "pool", "flatten"):
            raise SpecError([f"{where}.type: {kind!r} has no counterpart in neurokit; allowed: input, dense, "
                             "dense_rec, conv, pool, flatten"])
        if "delay" in layer:
            raise SpecError([f"{where}.delay: synaptic delays are not supported"])
        if kind == "flatten":
            continue
        if kind == "input":
            if prev is not None:
                raise SpecError([f"{where}: an input layer must come first"])
            pops.append(_input_population(layer, shape, size, where, steps, dt_ms, gain, offset, extras))
            prev = ("input", shape)
            continue
        if prev is None and kind in ("dense", "dense_rec") and "weight" in layer:
            # no input layer (SLAYER's export of a network whose first block is dense): the
            # input is as wide as the first weight matrix, through the default pixel encoder
            n_in = int(np.asarray(layer["weight"]).reshape(size, -1).shape[1])
            pops.append(_input_population({}, [n_in], n_in, where, steps, dt_ms, gain, offset, extras))
            prev = ("input", [n_in])
        if prev is None:
            raise SpecError([f"{where}: the first layer is {kind!r}; the input's shape is unknown without an input "
                             "layer before it (add one with its 'shape')"])
        extra: dict = {}
        pname = f"layer{i}"
        neuron = _neuron(layer["neuron"], where, extra) if "neuron" in layer else {
            # lava-dl's default for a layer without a neuron: u integrates (iDecay 0), v = u
            # (vDecay 4096) and the threshold is out of reach: a non-spiking integrator
            "kind": "li", "current_decay": 0.0, "voltage_decay": 1.0}
        neuron["bias"] = _bias(layer, size, shape, where)
        if extra:
            extras[str(i)] = extra
        # lava-dl's reset: layer k at step k of each sample, when the sample's first spikes reach it
        pop = {"name": pname, "size": size, "neuron": neuron, "fixed_scale": 1.0, "reset_step": len(pops)}
        if len(shape) == 3:
            pop["shape"] = shape
        src_name, src_shape = prev
        if kind in ("dense", "dense_rec"):
            w = _int_weights(layer["weight"], f"{where}.weight")
            n_src = math.prod(src_shape)
            w = w.reshape(size, -1)
            if w.shape[1] != n_src:
                raise SpecError([f"{where}.weight: shape {list(w.shape)}, expected [{size}, {n_src}]"])
            conns.append(_dense(src_name, pname, w))
            if kind == "dense_rec":
                conns.append(_dense(pname, pname, _int_weights(layer["weight_rec"], f"{where}.weight_rec")
                                    .reshape(size, size), name=f"{pname}_rec"))
        elif kind == "conv":
            w = _int_weights(layer["weight"], f"{where}.weight")
            w = w.reshape(w.shape[:4])
            conns.append({"kind": "conv2d", "source": src_name, "target": pname, "sign": "mixed", "weight_exp": 0,
                          "weights": w.tolist(), "stride": _pair(layer, "stride", 1),
                          "padding": _pair(layer, "padding", 0), "dilation": _pair(layer, "dilation", 1),
                          "groups": int(layer.get("groups", 1))})
        else:  # pool: SLAYER stores its kernel [1, 1, kH, kW], one weight on every tap
            w = _int_weights(np.asarray(layer.get("weight", 1.0)).reshape(-1), f"{where}.weight")
            if np.any(w != w[0]):
                raise SpecError([f"{where}.weight: a pooling kernel with unequal taps ({w.min():g}..{w.max():g}) has no "
                                 "counterpart; neurokit's pool2d has one weight on every tap"])
            conns.append({"kind": "pool2d", "source": src_name, "target": pname, "sign": "mixed", "weight_exp": 0,
                          "weight": float(w[0]), "kernel_size": _pair(layer, "kernelSize", 1),
                          "stride": _pair(layer, "stride", 1), "padding": _pair(layer, "padding", 0),
                          "dilation": _pair(layer, "dilation", 1)})
        pops.append(pop)
        prev = (pname, shape)
    if len(pops) < 2:
        raise SpecError([f"{path}: no layer of neurons after the input"])
    depth = len(pops) - 1
    pops[0]["encoder"]["rest_ms"] = depth * dt_ms
    out = pops[-1]["name"]
    return Network.model_validate({
        "schema_version": 1, "name": name, "dt_ms": dt_ms,
        "metadata": {"imported_from": {"format": "netx", "file": path.name}, **({"netx": extras} if extras else {})},
        "populations": pops, "connections": conns,
        "readout": {"kind": "argmax", "population": out},
    })


def _pair(layer: dict, key: str, default: int) -> list[int]:
    v = np.asarray(layer.get(key, default)).reshape(-1).astype(int)
    return [int(v[0]), int(v[0])] if v.size == 1 else [int(v[0]), int(v[1])]


def _dense(src: str, tgt: str, w: np.ndarray, name: str | None = None) -> dict:
    c = {"kind": "dense", "source": src, "target": tgt, "sign": "mixed", "weight_exp": 0, "weights": w.tolist()}
    if name:
        c["name"] = name
    return c


def _input_population(layer, shape, size, where, steps, dt_ms, gain, offset, extras) -> dict:
    if not shape:
        raise SpecError([f"{where}.shape: missing"])
    pop = {"name": "input", "size": size, "kind": "input"}
    if len(shape) == 3:
        pop["shape"] = shape
    # lava-dl's pixel encoder (v += x, spike when v > 1); fixed_scale 255 makes it exact in fixed
    # point for 8-bit images, x = p/255: v counts p, the threshold is 255, as SLAYER's own
    # integer encoder does
    enc = {"kind": "integrate_fire", "presentation_ms": steps * dt_ms, "fixed_scale": PIXEL_SCALE}
    if "neuron" in layer:
        extra: dict = {}
        n = _neuron(layer["neuron"], where, extra)
        if extra:
            extras["0"] = extra
        enc.update(threshold=n["v_th"], voltage_decay=n["voltage_decay"], fixed_scale=1.0,
                   gain=_scalar(layer["weight"]) if "weight" in layer else 1.0,
                   offset=_scalar(layer["bias"]) if "bias" in layer else 0.0)
    if gain is not None:
        enc["gain"] = gain
    if offset is not None:
        enc["offset"] = offset
    pop["encoder"] = enc
    return pop


# -- export ------------------------------------------------------------------------------------

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
