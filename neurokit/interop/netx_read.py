"""netx (`.net`, lava-dl's HDF5) -> IR: `read_netx` (the format is in neurokit.interop.netx)."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np

from neurokit.errors import SpecError
from neurokit.interop.netx_format import ATTR, DECAY_UNITY, NEURON_KEYS, PIXEL_SCALE, TRAINING_ONLY, UNSUPPORTED_LAYERS
from neurokit.ir import Network


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

