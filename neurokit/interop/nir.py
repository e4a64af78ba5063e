"""NIR graphs (the Neuromorphic Intermediate Representation, nir 1.0.x) to and from the IR.

NIR is continuous-time; neurokit steps in discrete time `dt`. The translation is forward Euler
with the given `dt_ms` (what NIR's reference simulators, Norse, snnTorch and Lava's NIR importer
do). NIR times are in seconds: dt = dt_ms / 1000. Below x[t] is what reaches a neuron node in
step t (the sum over its incoming edges: W·s + b from an Affine, the spikes themselves from a
direct edge), and g is the factor by which one unit of x moves v in one step.

    LIF      τ dv/dt = (v_leak − v) + R·x
             v[t] = v[t-1] + dt/τ · (v_leak − v[t-1] + R·x[t])
             →  voltage_decay δv = dt/τ,  g = R·dt/τ,  no synaptic filter (tau_syn_ms 0)
    IF       dv/dt = R·x            →  v[t] = v[t-1] + R·dt·x[t]:  δv = 0,  g = R·dt
    LI       as LIF, never spikes   →  δv = dt/τ,  g = R·dt/τ
    I        as IF, never spikes    →  δv = 0,     g = R·dt
    CubaLIF  τ_syn dI/dt = −I + w_in·x,   τ_mem dv/dt = (v_leak − v) + R·I
             I[t] = I[t-1] + dt/τ_syn · (−I[t-1] + w_in·x[t])
             v[t] = v[t-1] + dt/τ_mem · (v_leak − v[t-1] + R·I[t])     (the new current, as Loihi)
             →  current_decay δu = dt/τ_syn,  δv = dt/τ_mem,
                g = (R·dt/τ_mem)·(w_in·dt/τ_syn)  (the IR's u is dt/τ_mem·R·I in voltage units)
    CubaLI   as CubaLIF, never spikes

Every IR population is CUBA with voltages relative to rest: u[t] = u[t-1](1 − δu) + Σ w·s[t-1],
v[t] = v[t-1](1 − δv) + u[t] + bias, spike when v > v_th, then v ← 0. So the IR voltage is
v_IR = (v − v_leak) / k for a per-population voltage unit k:

  - spiking neurons (LIF, IF, CubaLIF) with one g for the whole node: k = g, so the weights and
    the Affine bias pass unchanged and v_th(IR) = (v_threshold − v_leak) / g (what snnTorch's
    importer does too);
  - non-spiking neurons (LI, I, CubaLI: their voltage is the output), or a g that differs per
    neuron: k = 1, the weights into neuron i are multiplied by g_i, v_th(IR) = v_threshold − v_leak.

The IR bias is g·b/k for the Affine (and Conv2d) bias b reaching the node: a constant added every
step, exact for the neurons without a synaptic filter and for CubaLIF/CubaLI with δu = 1; a
nonzero bias behind a synaptic filter (δu < 1) ramps up and is refused. The IR has one bias,
one threshold and one pair of decays per population, so these must be the same for every neuron
of a node (else SpecError naming the node). v_reset must equal v_leak (neurokit resets to rest),
and the state starts at rest (v = v_leak, I = 0). The one-step delay of every IR connection
(Lava's Dense) is the one difference from Norse and snnTorch, which pass x[t] = W·s[t] within the
step: a spike that those simulators answer in step t arrives here in step t + (connections on
the path).

Linear nodes between two neuron (or Input) nodes become one connection: one Affine/Linear ->
dense, Conv2d -> conv2d, SumPool2d/AvgPool2d -> pool2d (weight 1 or 1/(kh·kw)), with any uniform
Scale folded into the weights; Scale alone -> one_to_one (or a diagonal dense); Flatten and
Identity are free (flattening is implicit, C order); any longer chain of linear nodes becomes
the dense product of its matrices. Several edges into a node are several connections into one
population; an edge back into a node is a recurrent connection. Subgraphs are inlined.

`to_nir` writes the inverse with NIR's conventions: LIF with r = 1 (Norse's, and the NIR paper's
files), IF and I with r = 1/dt, CubaLIF/CubaLI and LI with r = τ_mem/dt and w_in = τ_syn/dt
(snnTorch's), each chosen so that `from_nir` recomputes exactly the IR's numbers (τ and the
thresholds are moved by a few ulps where needed). What NIR cannot say but does not change the
dynamics (names, shapes, excitatory/inhibitory signs, fixed_scale, weight_exp, reset steps, the
encoder, the readout, the network's name, seed and metadata) is kept as JSON in each node's
`metadata["neurokit"]`, used by `from_nir` only where it agrees with the node's parameters. A
deterministic integrate-and-fire encoder and a readout sit outside any NIR graph (NIR's Input
takes spikes, its Output gives spikes): they travel in that metadata, and other tools feed and
read the graph's spikes. What NIR cannot say and would change the dynamics (adaptive thresholds,
refractory periods, learning, pruning, random rate encoders) raises SpecError.
"""
from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from neurokit.errors import SpecError

HINT = "neurokit"  # node metadata key: JSON of the IR object the node was written from
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NEURON_NODES = ("LIF", "CubaLIF", "IF", "LI", "CubaLI", "I")
SPIKING_NODES = ("LIF", "CubaLIF", "IF")
LINEAR_NODES = ("Affine", "Linear", "Scale", "Conv2d", "SumPool2d", "AvgPool2d", "Flatten", "Identity")
_RESHAPE = ("Flatten", "Identity", "Input", "Output")  # inside a path: no effect on the flat index
SUPPORTED = ("Input", "Output", *LINEAR_NODES, *NEURON_NODES, "NIRGraph")
_RTOL = 1e-12  # metadata is trusted where it agrees with the node's parameters this closely


def _nir():
    import nir  # lazily: `import neurokit` stays free of nir (and of h5py)

    return nir


# ----------------------------------------------------------------------------- file helpers
def read_nir(path: str | os.PathLike):
    """`nir.read(path)` with the file's problems as SpecError."""
    nir = _nir()
    path = Path(path)
    if not path.is_file():
        raise SpecError([f"no such NIR file: {path}"])
    try:
        return nir.read(path)
    except (OSError, ValueError, KeyError, AssertionError, TypeError) as e:
        raise SpecError([f"not a readable NIR graph ({type(e).__name__}: {e})"], str(path)) from None


def write_nir(graph_or_net, path: str | os.PathLike) -> Path:
    """Write a NIR graph (or a Network, through `to_nir`) with `nir.write`, atomically: a
    temporary file beside `path`, then `os.replace`. The file's root carries the attribute
    `neurokit` (neurokit.outputs.HDF5_MARK), by which a later neurokit run knows it may replace it."""
    from neurokit.util import umask

    nir = _nir()
    graph = _graph(graph_or_net)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        nir.write(tmp, graph)
        _mark(tmp, graph)
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def nir_bytes(graph_or_net) -> bytes:
    """The `.nir` file's bytes (`nir.write` into memory, marked like `write_nir`'s files); for
    writers that commit the bytes themselves (neurokit export)."""
    import io

    buf = io.BytesIO()
    graph = _graph(graph_or_net)
    _nir().write(buf, graph)
    _mark(buf, graph)
    return buf.getvalue()


def _graph(graph_or_net):
    from neurokit.ir import Network

    return to_nir(graph_or_net) if isinstance(graph_or_net, Network) else graph_or_net


def _mark(file, graph) -> None:
    import h5py

    from neurokit.outputs import HDF5_MARK

    with h5py.File(file, "r+") as f:
        f.attrs[HDF5_MARK] = (getattr(graph, "metadata", None) or {}).get(HINT) or "{}"


# ----------------------------------------------------------------------------- small helpers
def _hint(node) -> dict | None:
    meta = getattr(node, "metadata", None) or {}
    text = meta.get(HINT) if isinstance(meta, dict) else None
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if not isinstance(text, str):
        return None
    try:
        out = json.loads(text)
    except ValueError:
        return None
    return out if isinstance(out, dict) else None


def _meta(obj: dict) -> dict:
    return {HINT: json.dumps(obj, sort_keys=True)}


def _arr(x) -> np.ndarray:
    if hasattr(x, "detach"):  # a torch tensor left in a graph built in memory
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def _pair(x, what: str) -> tuple[int, int]:
    a = np.asarray(x).ravel()
    if a.size == 1:
        return int(a[0]), int(a[0])
    if a.size != 2:
        raise SpecError([f"{what}: expected one or two integers, got {a.tolist()}"])
    return int(a[0]), int(a[1])


def _nudge(x: float, ok, tries: int = 64) -> float:
    """The float nearest `x` (within `tries` ulps) for which ok(value) holds, else `x`: lets
    `to_nir` choose τ, r and thresholds that `from_nir` turns back into the IR's exact numbers."""
    if ok(x):
        return x
    up = down = x
    for _ in range(tries):
        up, down = np.nextafter(up, np.inf), np.nextafter(down, -np.inf)
        for v in (float(up), float(down)):
            if ok(v):
                return v
    return x


def _close(a, b) -> bool:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= _RTOL * np.maximum(np.abs(a), np.abs(b))))


def _pop_name(key: str, node, taken: set) -> str:
    name = key if _NAME.match(key) else re.sub(r"[^A-Za-z0-9_]", "_", f"{type(node).__name__.lower()}_{key}")
    base, i = name, 1
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name)
    return name


# ----------------------------------------------------------------------------- NIR -> IR
def from_nir(graph_or_path, *, dt_ms: float | None, presentation_steps: int | None = None, name: str | None = None):
    """A NIR graph (or a `.nir` file) as an IR Network stepped with `dt_ms` (forward Euler, see
    the module docstring; None: the step stored by `to_nir`, else an error). `presentation_steps`:
    length of each input spike array in steps (None: the length stored by `to_nir`, else an
    error). Raises SpecError for anything that has no exact IR counterpart, naming the node."""
    from neurokit.ir import SCHEMA_VERSION, network_from_dict

    nir = _nir()
    source = None
    if isinstance(graph_or_path, (str, os.PathLike)):
        source = str(graph_or_path)
        graph = read_nir(graph_or_path)
    else:
        graph = graph_or_path
    if not isinstance(graph, nir.NIRGraph):
        raise SpecError([f"expected a nir.NIRGraph or a path to a .nir file, got {type(graph).__name__}"], source)
    if dt_ms is None:
        dt_ms = (_hint(graph) or {}).get("dt_ms")
        if dt_ms is None:
            raise SpecError(["dt_ms: a NIR graph is in continuous time; give the step to simulate it with"], source)
    if isinstance(dt_ms, bool) or not (isinstance(dt_ms, (int, float)) and math.isfinite(dt_ms) and dt_ms > 0):
        raise SpecError([f"dt_ms: must be a positive number of milliseconds, got {dt_ms!r}"], source)
    try:
        return _Importer(graph, float(dt_ms), presentation_steps, name, SCHEMA_VERSION, network_from_dict).run()
    except SpecError as e:
        raise SpecError(e.problems, e.source or source) from None


class _Importer:
    def __init__(self, graph, dt_ms, steps, name, schema_version, network_from_dict):
        self.graph, self.dt_ms, self.dt = graph, dt_ms, dt_ms / 1000.0
        self.steps, self.name, self.schema_version = steps, name, schema_version
        self.network_from_dict = network_from_dict
        self.nodes: dict[str, Any] = {}
        self.edges: list[tuple[str, str]] = []
        self.passthrough: set[str] = set()  # Input/Output nodes of inlined subgraphs
        self._inline(graph, "")

    # -- the graph, flat ----------------------------------------------------------------
    def _inline(self, graph, prefix: str):
        nir = _nir()
        inner_in, inner_out = {}, {}
        for key, node in graph.nodes.items():
            full = prefix + str(key)
            kind = type(node).__name__
            if kind not in SUPPORTED:
                raise SpecError([f"node {full!r}: NIR type {kind} has no neurokit counterpart; supported: "
                                 f"{', '.join(SUPPORTED)}"])
            if isinstance(node, nir.NIRGraph):
                ins, outs = self._inline(node, full + ".")
                inner_in[full], inner_out[full] = ins, outs
                continue
            self.nodes[full] = node
            if prefix and kind in ("Input", "Output"):
                self.passthrough.add(full)
        for a, b in graph.edges:
            a, b = prefix + str(a), prefix + str(b)
            for src in inner_out.get(a, [a]):
                for dst in inner_in.get(b, [b]):
                    self.edges.append((src, dst))
        ins = [k for k, n in self.nodes.items() if k.startswith(prefix) and type(n).__name__ == "Input"
               and k.count(".") == prefix.count(".")]
        outs = [k for k, n in self.nodes.items() if k.startswith(prefix) and type(n).__name__ == "Output"
                and k.count(".") == prefix.count(".")]
        return ins, outs

    def kind(self, key: str) -> str:
        return type(self.nodes[key]).__name__

    def is_population(self, key: str) -> bool:
        return key not in self.passthrough and self.kind(key) in ("Input", *NEURON_NODES)

    # -- shapes ---------------------------------------------------------------------------
    def out_shape(self, key: str, visiting=()) -> tuple[int, ...]:
        if key in self._shapes:
            return self._shapes[key]
        if key in visiting:
            raise SpecError([f"node {key!r}: its shape depends on itself (a loop of linear nodes)"])
        node, kind = self.nodes[key], self.kind(key)
        visiting = (*visiting, key)
        if kind == "Input" and key not in self.passthrough:
            shape = tuple(int(s) for s in np.asarray(node.input_type["input"]).ravel())
        elif kind in NEURON_NODES:
            shape = self._neuron_shape(key, visiting)
        elif kind in ("Affine", "Linear"):
            w = _arr(node.weight)
            if w.ndim != 2:
                raise SpecError([f"node {key!r} ({kind}): weight has shape {list(w.shape)}; only 2-D weights "
                                 "[out, in] are supported"])
            shape = (w.shape[0],)
        elif kind == "Scale":
            s = _arr(node.scale)
            shape = s.shape if s.size > 1 else self.in_shape(key, visiting)
        elif kind == "Conv2d":
            shape = self._conv(key, visiting)["out"]
        elif kind in ("SumPool2d", "AvgPool2d"):
            shape = self._pool(key, visiting)["out"]
        elif kind == "Flatten":
            ins = self.in_shape(key, visiting)
            shape = (int(np.prod(ins)),)
        else:  # Identity, inner Input/Output
            shape = self.in_shape(key, visiting)
        self._shapes[key] = tuple(int(s) for s in shape)
        return self._shapes[key]

    def in_shape(self, key: str, visiting=()) -> tuple[int, ...]:
        preds = self.preds[key]
        if not preds:
            raise SpecError([f"node {key!r} ({self.kind(key)}): nothing feeds it (only the Input node may be a root)"])
        shapes = [self.out_shape(p, visiting) for p in preds if not (p in visiting and self.is_population(p))]
        if not shapes:
            shapes = [self.out_shape(preds[0], ())]
        sizes = {int(np.prod(s)) for s in shapes}
        if len(sizes) != 1:
            raise SpecError([f"node {key!r} ({self.kind(key)}): its inputs have different sizes "
                             f"{sorted(sizes)} (from {', '.join(preds)})"])
        return max(shapes, key=len)

    def _neuron_shape(self, key, visiting) -> tuple[int, ...]:
        node = self.nodes[key]
        field = {"LIF": "tau", "LI": "tau", "IF": "r", "I": "r", "CubaLIF": "tau_mem", "CubaLI": "tau_mem"}[self.kind(key)]
        p = _arr(getattr(node, field))
        if p.size > 1:
            return p.shape
        declared = getattr(node, "input_type", None) or {}
        t = declared.get("input") if isinstance(declared, dict) else None
        if t is not None and np.asarray(t).size and int(np.prod(t)) > 1:
            return tuple(int(s) for s in np.asarray(t).ravel())
        others = [q for q in self.preds[key] if q not in visiting]
        if others:
            try:
                return self.in_shape(key, visiting)
            except SpecError:
                pass
        return (1,) if p.ndim == 0 else p.shape

    def _conv(self, key, visiting=()) -> dict:
        node = self.nodes[key]
        w = _arr(node.weight)
        if w.ndim != 4:
            raise SpecError([f"node {key!r} (Conv2d): weight has shape {list(w.shape)}, expected [out, in/groups, kh, kw]"])
        groups = int(np.asarray(node.groups).ravel()[0])
        if node.input_shape is not None:
            hw = _pair(node.input_shape, f"node {key!r} (Conv2d).input_shape")
        else:
            ins = self.in_shape(key, visiting)
            if len(ins) != 3:
                raise SpecError([f"node {key!r} (Conv2d): needs a [C, H, W] input or input_shape, got {list(ins)}"])
            hw = ins[1:]
        stride = _pair(node.stride, f"node {key!r} (Conv2d).stride")
        dilation = _pair(node.dilation, f"node {key!r} (Conv2d).dilation")
        pad = node.padding
        if isinstance(pad, bytes):
            pad = pad.decode()
        if isinstance(pad, str):
            if pad == "valid":
                padding = (0, 0)
            else:
                total = [dilation[a] * (w.shape[2 + a] - 1) for a in (0, 1)]
                if any(t % 2 for t in total) or stride != (1, 1):
                    raise SpecError([f"node {key!r} (Conv2d): padding 'same' with an even kernel or a stride "
                                     "pads unevenly, which neurokit's conv2d cannot say; give integer padding"])
                padding = (total[0] // 2, total[1] // 2)
        else:
            padding = _pair(pad, f"node {key!r} (Conv2d).padding")
        c_in = w.shape[1] * groups
        oh, ow = ((hw[a] + 2 * padding[a] - dilation[a] * (w.shape[2 + a] - 1) - 1) // stride[a] + 1 for a in (0, 1))
        return {"weights": w, "groups": groups, "stride": list(stride), "padding": list(padding),
                "dilation": list(dilation), "in": (c_in, *hw), "out": (w.shape[0], oh, ow),
                "bias": _arr(node.bias).ravel() if getattr(node, "bias", None) is not None else None}

    def _pool(self, key, visiting=()) -> dict:
        node, kind = self.nodes[key], self.kind(key)
        k = _pair(node.kernel_size, f"node {key!r} ({kind}).kernel_size")
        s = _pair(node.stride, f"node {key!r} ({kind}).stride")
        p = _pair(node.padding, f"node {key!r} ({kind}).padding")
        ins = self.in_shape(key, visiting)
        if len(ins) != 3:
            raise SpecError([f"node {key!r} ({kind}): needs a [C, H, W] input, got {list(ins)}"])
        oh, ow = ((ins[1 + a] + 2 * p[a] - (k[a] - 1) - 1) // s[a] + 1 for a in (0, 1))
        weight = 1.0 if kind == "SumPool2d" else 1.0 / (k[0] * k[1])
        return {"kernel_size": list(k), "stride": list(s), "padding": list(p), "weight": weight,
                "in": tuple(ins), "out": (ins[0], oh, ow)}

    # -- linear maps ----------------------------------------------------------------------
    def op_matrix(self, key: str) -> np.ndarray:
        """The dense matrix [out, in] of linear node `key` (no bias)."""
        from neurokit.ir.connections import Conv2dConnection, Pool2dConnection

        kind, node = self.kind(key), self.nodes[key]
        n_in = int(np.prod(self.in_shape(key)))
        if kind in ("Affine", "Linear"):
            return _arr(node.weight)
        if kind == "Scale":
            s = _arr(node.scale).ravel()
            return np.diag(np.broadcast_to(s, (n_in,)).astype(float))
        if kind == "Conv2d":
            c = self._conv(key)
            conn = Conv2dConnection(source="a", target="b", sign="mixed", weights=c["weights"].tolist(),
                                    groups=c["groups"], stride=c["stride"], padding=c["padding"],
                                    dilation=c["dilation"])
            return conn.matrix(c["in"], c["out"])
        if kind in ("SumPool2d", "AvgPool2d"):
            c = self._pool(key)
            conn = Pool2dConnection(source="a", target="b", sign="mixed", kernel_size=c["kernel_size"],
                                    stride=c["stride"], padding=c["padding"], weight=c["weight"])
            return conn.matrix(c["in"], c["out"])
        return np.eye(n_in)

    def bias_of(self, key: str, visiting=()) -> np.ndarray | None:
        """The constant output of linear node `key` when every population is silent (None: 0)."""
        if key in self._bias:
            return self._bias[key]
        if key in visiting:
            raise SpecError([f"node {key!r}: a loop of linear nodes without a neuron in it"])
        visiting = (*visiting, key)
        kind, node = self.kind(key), self.nodes[key]
        inner = None
        for p in self.preds[key]:
            if not self.is_population(p):
                b = self.bias_of(p, visiting)
                if b is not None:
                    inner = b if inner is None else inner + b
        out = None
        if inner is not None and np.any(inner != 0):
            out = self.op_matrix(key) @ inner
        own = None
        if kind == "Affine":
            own = _arr(node.bias).ravel()
            own = np.broadcast_to(own, (self.out_shape(key)[0],)) if own.size == 1 else own
        elif kind == "Conv2d":
            c = self._conv(key)
            if c["bias"] is not None:
                own = np.repeat(np.broadcast_to(c["bias"], (c["out"][0],)), c["out"][1] * c["out"][2])
        if own is not None and np.any(own != 0):
            out = own.astype(float) if out is None else out + own
        self._bias[key] = out
        return out

    def paths(self, key: str, visiting=()) -> list[tuple[str, list[str]]]:
        """(source population, [linear nodes from the source side]) for every route into `key`."""
        if self.is_population(key):
            return [(key, [])]
        if key in visiting:
            raise SpecError([f"node {key!r}: a loop of linear nodes without a neuron in it"])
        if self.kind(key) == "Output" and key not in self.passthrough:
            raise SpecError([f"node {key!r} (Output): feeds another node; an Output node must be a leaf"])
        out = []
        for p in self.preds[key]:
            for src, ops in self.paths(p, (*visiting, key)):
                out.append((src, ops + [key]))
        if not self.preds[key]:
            raise SpecError([f"node {key!r} ({self.kind(key)}): nothing feeds it (only the Input node may be a root)"])
        return out

    # -- neurons --------------------------------------------------------------------------
    def neuron(self, key: str) -> dict:
        """IR neuron fields and the per-neuron input gain g of node `key`."""
        node, kind, dt = self.nodes[key], self.kind(key), self.dt
        n = int(np.prod(self.out_shape(key)))
        where = f"node {key!r} ({kind})"

        def par(field, default=None):
            v = getattr(node, field, None)
            a = _arr(default if v is None else v).ravel()
            if a.size == 1:
                return np.full(n, a[0])
            if a.size != n:
                raise SpecError([f"{where}.{field}: has {a.size} values, the node {n} neurons"])
            if not np.all(np.isfinite(a)):
                raise SpecError([f"{where}.{field}: must be finite"])
            return a

        def one(values, field, meaning):
            if not np.all(values == values[0]):
                raise SpecError([f"{where}.{field}: differs between neurons ({np.min(values):.6g} .. "
                                 f"{np.max(values):.6g}); neurokit has one {meaning} per population, so every "
                                 f"neuron of a node needs the same value"])
            return float(values[0])

        def decay(tau_field):
            tau = par(tau_field)
            if np.any(tau <= 0):
                raise SpecError([f"{where}.{tau_field}: must be > 0 (seconds)"])
            d = dt / tau
            if np.any(d > 1):
                raise SpecError([f"{where}.{tau_field}: {float(np.min(tau)):.6g} s is shorter than the step "
                                 f"dt = {dt:.6g} s, so forward Euler loses more than all of v per step; "
                                 "use a smaller dt_ms"])
            return one(d, tau_field, "time constant")

        r = par("r")
        out: dict = {}
        if kind in ("LIF", "LI"):
            dv = decay("tau")
            g = r * dt / par("tau")
            out = {"voltage_decay": dv}
        elif kind in ("IF", "I"):
            g = r * dt
            out = {"voltage_decay": 0.0}
        else:  # CubaLIF, CubaLI
            dv, du = decay("tau_mem"), decay("tau_syn")
            g = (r * dt / par("tau_mem")) * (par("w_in", 1.0) * dt / par("tau_syn"))
            out = {"voltage_decay": dv, "current_decay": du}
        if np.any(g == 0) or not np.all(np.isfinite(g)):
            raise SpecError([f"{where}: the input gain r·dt/τ is 0 or not finite, so no input reaches it"])
        leak = par("v_leak", 0.0) if kind not in ("IF", "I") else np.zeros(n)
        spiking = kind in SPIKING_NODES
        if spiking:
            reset = par("v_reset", leak)
            if not np.array_equal(reset, leak):
                raise SpecError([f"{where}.v_reset: {reset.tolist()[:4]} differs from v_leak {leak.tolist()[:4]}; "
                                 "neurokit resets to rest (v_reset = v_leak)"])
            thr = par("v_threshold") - leak
            if np.any(thr <= 0):
                raise SpecError([f"{where}.v_threshold: must be above v_leak"])
        uniform_g = bool(np.all(g == g[0]))
        k = g if (spiking and uniform_g) else np.ones(n)  # the IR's voltage unit per neuron
        if spiking:
            out["v_th"] = one(thr / k, "v_threshold", "threshold (relative to v_leak, in units of the input gain)")
        out["kind"] = {"LIF": "lif", "CubaLIF": "lif", "IF": "if"}.get(kind, "li")
        if out["kind"] == "if":
            del out["voltage_decay"]
        return {"neuron": out, "gain": g / k, "unit": k, "spiking": spiking, "n": n}

    # -- the whole graph ------------------------------------------------------------------
    def run(self):
        nodes = self.nodes
        self.preds = {k: [] for k in nodes}
        self.succs = {k: [] for k in nodes}
        for a, b in self.edges:
            if a not in nodes or b not in nodes:
                raise SpecError([f"edge ({a!r}, {b!r}): names a node that is not in the graph"])
            self.preds[b].append(a)
            self.succs[a].append(b)
        self._shapes, self._bias, self._seen = {}, {}, []
        inputs = [k for k in nodes if self.kind(k) == "Input" and k not in self.passthrough]
        if len(inputs) != 1:
            raise SpecError([f"graph: needs exactly one Input node (neurokit has one input population), found "
                             f"{len(inputs)}: {', '.join(inputs) or 'none'}"])
        for k in nodes:
            if self.kind(k) == "Input" and self.preds[k] and k not in self.passthrough:
                raise SpecError([f"node {k!r} (Input): has incoming edges"])
        # a deterministic order (nir.read gives the nodes sorted by name): breadth first from the
        # input along the edges, or the positions to_nir wrote
        bfs, todo = [], [inputs[0]]
        while todo:
            k = todo.pop(0)
            if k not in bfs:
                bfs.append(k)
                todo += self.succs[k]
        bfs += [k for k in nodes if k not in bfs]
        order = {k: i for i, k in enumerate(bfs)}

        def position(k):
            p = (_hint(nodes[k]) or {}).get("_position")
            return (0, p, 0) if isinstance(p, int) else (1, order[k], 0)

        pops = sorted((k for k in nodes if self.is_population(k)), key=position)

        taken: set = set()
        info = {}
        for k in pops:
            hint = _hint(nodes[k]) or {}
            info[k] = {"name": None, "hint": hint}
            if self.kind(k) != "Input":
                info[k].update(self.neuron(k))
                for s in self.succs[k]:
                    if not info[k]["spiking"] and self.kind(s) != "Output":
                        raise SpecError([f"node {k!r} ({self.kind(k)}): feeds {s!r}, but it does not spike and "
                                         "neurokit passes only spikes between populations (its voltage is a "
                                         "readout: connect it to an Output node only)"])
        # connections, one per path into each neuron node
        conns, shapes_needed = [], {}
        for tgt in pops:
            if self.kind(tgt) == "Input":
                continue
            for pred in self.preds[tgt]:
                for src, ops in self.paths(pred):
                    if self.kind(src) != "Input" and not info[src]["spiking"]:
                        raise SpecError([f"node {src!r} ({self.kind(src)}): feeds {tgt!r} through "
                                         f"{', '.join(ops) or 'a direct edge'}, but it does not spike"])
                    conns.append(self._connection(src, tgt, ops, info, order, shapes_needed))
        # names and shapes of the populations
        names = {}
        for k in pops:
            hint = info[k]["hint"]
            nm = hint.get("name")
            ok = isinstance(nm, str) and bool(_NAME.match(nm)) and nm not in taken
            names[k] = nm if ok else _pop_name(str(k), nodes[k], taken)
            taken.add(names[k])
        populations = [self._population(k, names[k], info[k], shapes_needed.get(k)) for k in pops]
        self._sizes = {p["name"]: p["size"] for p in populations}
        connections = self._name_connections(conns, names, info)
        outputs = []
        for k in nodes:
            if self.kind(k) == "Output" and k not in self.passthrough:
                for p in self.preds[k]:
                    srcs = [s for s, ops in self.paths(p)] if not self.is_population(p) else [p]
                    if not self.is_population(p) and any(self.kind(o) not in _RESHAPE for o in self.paths(p)[0][1]):
                        raise SpecError([f"node {k!r} (Output): fed by {p!r} ({self.kind(p)}); neurokit's outputs are "
                                         "populations, so an Output must follow a neuron node"])
                    outputs += [names[s] for s in srcs if names[s] not in outputs]
        ghint = _hint(self.graph) or {}
        metadata = ghint.get("metadata") if isinstance(ghint.get("metadata"), dict) else {"nir": {"outputs": outputs}}
        data = {"schema_version": self.schema_version,
                "name": self.name or (ghint.get("name") if isinstance(ghint.get("name"), str) else None) or "nir",
                "dt_ms": self.dt_ms, "metadata": metadata, "populations": populations, "connections": connections}
        if isinstance(ghint.get("seed"), int) and ghint["seed"] >= 0:
            data["seed"] = ghint["seed"]
        names = {p["name"] for p in populations}
        if isinstance(ghint.get("readout"), dict) and ghint["readout"].get("population") in names:
            data["readout"] = ghint["readout"]  # what neurokit's export kept; NIR has no readout
        return self._check_inits(None, data)

    def _population(self, key, name, info, needed_shape):
        hint, kind = info["hint"], self.kind(key)
        nir_shape = list(self.out_shape(key))
        n = int(np.prod(nir_shape))
        shape = list(needed_shape) if needed_shape is not None else (nir_shape if len(nir_shape) > 1 else None)
        if kind == "Input":
            enc = hint.get("encoder") if isinstance(hint.get("encoder"), dict) else {}
            enc = enc if isinstance(enc.get("presentation_ms"), (int, float)) else {}
            rest = enc.get("rest_ms", 0.0)
            if self.steps is None:
                if not enc:
                    raise SpecError([f"node {key!r} (Input): NIR does not say how long a sample is; give "
                                     "presentation_steps (the length of each input spike array)"])
                ms = enc["presentation_ms"]
            else:
                if isinstance(self.steps, bool) or not isinstance(self.steps, (int, np.integer)) or self.steps < 1:
                    raise SpecError([f"presentation_steps: must be a positive integer, got {self.steps!r}"])
                ms = int(self.steps) * self.dt_ms
                if enc and _close(enc["presentation_ms"], ms):
                    ms = enc["presentation_ms"]
            # NIR's Input takes spikes; an encoder neurokit's export kept in the metadata comes back
            encoder = dict(enc) if enc.get("kind", "spikes") != "spikes" else {"kind": "spikes"}
            encoder.update(presentation_ms=ms, rest_ms=rest)
            pop = {"name": name, "kind": "input", "size": n, "encoder": encoder}
            if hint.get("kind") == "input" and hint.get("size") == n and \
                    (needed_shape is None or hint.get("shape") == list(needed_shape)):
                shape = hint.get("shape")
            if shape is not None:
                pop["shape"] = shape
            return pop
        neuron = dict(info["neuron"], bias=info.get("bias", 0.0))
        pop = {"name": name, "kind": "neurons", "size": n, "neuron": neuron}
        if shape is not None:
            pop["shape"] = shape
        if hint.get("kind") == "neurons" and hint.get("size") == n and self._same_neuron(hint.get("neuron"), neuron):
            pop = {k: v for k, v in hint.items() if k != "_position"} | {"name": name}
            if needed_shape is not None and pop.get("shape") != list(needed_shape):
                pop["shape"] = list(needed_shape)
        return pop

    def _same_neuron(self, h, d) -> bool:
        from neurokit.ir import NeuronPopulation

        if not isinstance(h, dict) or h.get("refractory_ms", 0) != 0 or h.get("kind") == "adaptive_lif":
            return False
        try:
            a = NeuronPopulation.model_validate({"name": "a", "size": 1, "neuron": h}).neuron
            b = NeuronPopulation.model_validate({"name": "b", "size": 1, "neuron": d}).neuron
        except Exception:
            return False
        dt = self.dt_ms
        if a.spiking != b.spiking or (a.spiking and not _close(a.v_th, b.v_th)):
            return False
        return (_close(a.current_decay_per_step(dt), b.current_decay_per_step(dt))
                and _close(a.voltage_decay_per_step(dt), b.voltage_decay_per_step(dt)) and _close(a.bias, b.bias))

    def _connection(self, src, tgt, ops, info, order, shapes_needed) -> dict:
        """One IR connection for the route src -> ops -> tgt; its bias is added to tgt's."""
        core = [o for o in ops if self.kind(o) not in _RESHAPE]
        tinfo = info[tgt]
        gain = tinfo["gain"]  # multiplies the rows (1 where the threshold took the gain)
        uniform = bool(np.all(gain == gain[0]))
        # the constant input this route's last linear node adds (counted once per node and target)
        if ops and ops[-1] not in tinfo.setdefault("_bias_from", set()):
            tinfo["_bias_from"].add(ops[-1])
            b = self.bias_of(ops[-1])
            if b is not None:
                self._add_bias(tgt, tinfo, b * gain)
        hint = _hint(self.nodes[core[0]]) if len(core) == 1 else None
        if hint and isinstance(hint.get("_position"), int):
            key = (0, hint["_position"], 0)
        else:
            key = (1, order[tgt], len(self._seen))
        self._seen.append(key)
        conn = {"source": src, "target": tgt, "_order": key, "_hint": hint}
        n_src, n_tgt = int(np.prod(self.out_shape(src))), tinfo["n"]
        scales = [o for o in core if self.kind(o) == "Scale"]
        mains = [o for o in core if self.kind(o) != "Scale"]
        factor = 1.0
        ok = len(mains) <= 1
        for s in scales:
            v = _arr(self.nodes[s].scale).ravel()
            if not np.all(v == v[0]):
                ok = False
                break
            factor = factor * float(v[0])
        if ok and uniform:
            f = factor * float(gain[0]) if float(gain[0]) != 1.0 else factor
            main = mains[0] if mains else None
            mk = self.kind(main) if main else None
            if mk in ("Affine", "Linear"):
                w = _arr(self.nodes[main].weight)
                if w.shape != (n_tgt, n_src):
                    raise SpecError([f"node {main!r} ({mk}): weight is {w.shape[0]}x{w.shape[1]}, but it connects "
                                     f"{src!r} ({n_src} neurons) to {tgt!r} ({n_tgt})"])
                conn.update(kind="dense", sign="mixed", weights=(w * f if f != 1.0 else w).tolist())
                return conn
            if mk == "Conv2d":
                c = self._conv(main)
                if int(np.prod(c["in"])) != n_src or int(np.prod(c["out"])) != n_tgt:
                    raise SpecError([f"node {main!r} (Conv2d): maps {list(c['in'])} to {list(c['out'])}, but it "
                                     f"connects {src!r} ({n_src} neurons) to {tgt!r} ({n_tgt})"])
                if self._claim_shape(shapes_needed, src, c["in"]) and self._claim_shape(shapes_needed, tgt, c["out"]):
                    w = c["weights"] * f if f != 1.0 else c["weights"]
                    conn.update(kind="conv2d", sign="mixed", weights=w.tolist(), stride=c["stride"],
                                padding=c["padding"], dilation=c["dilation"], groups=c["groups"])
                    return conn
            elif mk in ("SumPool2d", "AvgPool2d"):
                c = self._pool(main)
                if int(np.prod(c["in"])) != n_src or int(np.prod(c["out"])) != n_tgt:
                    raise SpecError([f"node {main!r} ({mk}): maps {list(c['in'])} to {list(c['out'])}, but it "
                                     f"connects {src!r} ({n_src} neurons) to {tgt!r} ({n_tgt})"])
                if self._claim_shape(shapes_needed, src, c["in"]) and self._claim_shape(shapes_needed, tgt, c["out"]):
                    conn.update(kind="pool2d", sign="mixed", kernel_size=c["kernel_size"], stride=c["stride"],
                                padding=c["padding"], weight=c["weight"] * f if f != 1.0 else c["weight"])
                    return conn
            elif mk is None and n_src == n_tgt:
                if f >= 0:
                    conn.update(kind="one_to_one", sign="excitatory", weight=f)
                else:
                    conn.update(kind="one_to_one", sign="inhibitory", weight=-f)
                return conn
        # general: the dense product of the route's matrices, rows times the gain
        m = np.eye(n_src)
        for o in ops:
            if self.kind(o) not in _RESHAPE:
                m = self.op_matrix(o) @ m
        if m.shape != (n_tgt, n_src):
            raise SpecError([f"route {src!r} -> {' -> '.join(ops)} -> {tgt!r}: maps {n_src} to {m.shape[0]} values, "
                             f"{tgt!r} has {n_tgt} neurons"])
        if not np.all(gain == 1.0):
            m = m * gain[:, None]
        conn.update(kind="dense", sign="mixed", weights=m.tolist())
        return conn

    @staticmethod
    def _claim_shape(needed, pop, shape) -> bool:
        shape = [int(s) for s in shape]
        if needed.get(pop) in (None, shape):
            needed[pop] = shape
            return True
        return False

    def _add_bias(self, tgt, tinfo, b):
        acc = tinfo.get("_bias_vec")
        tinfo["_bias_vec"] = b if acc is None else acc + b
        v = tinfo["_bias_vec"]
        if tinfo["neuron"].get("current_decay", 1.0) != 1.0 and np.any(v != 0):
            raise SpecError([f"node {tgt!r} ({self.kind(tgt)}): a bias behind a synaptic filter (tau_syn > dt) "
                             "ramps up instead of being a constant input; neurokit's bias acts on v directly"])
        tinfo["bias"] = float(v[0]) if np.all(v == v[0]) else v.astype(float).tolist()  # one per neuron

    def _name_connections(self, conns, names, info) -> list[dict]:
        conns.sort(key=lambda c: c["_order"])
        out, labels = [], set()
        for c in conns:
            hint = c.pop("_hint")
            c.pop("_order")
            c["source"], c["target"] = names[c["source"]], names[c["target"]]
            if hint and hint.get("bias_only") and c["kind"] == "dense" and not np.any(np.asarray(c["weights"])):
                continue
            if hint:
                c = self._apply_connection_hint(c, hint)
            label = c.get("name") or f"{c['source']}->{c['target']}"
            if label in labels:
                i = 2
                while f"{label}#{i}" in labels:
                    i += 1
                label = c["name"] = f"{label}#{i}"
            labels.add(label)
            out.append(c)
        return out

    def _apply_connection_hint(self, c: dict, hint: dict) -> dict:
        """The connection as written by to_nir (names, signs, fixed-point hints), where it says
        the same synapses as the node's parameters."""
        kind = hint.get("kind")
        cand = {k: v for k, v in hint.items() if k not in ("bias_only", "_position")}
        cand["source"], cand["target"] = c["source"], c["target"]
        if kind in ("dense", "conv2d") and "init" not in hint and c["kind"] == kind:
            w = np.asarray(c["weights"], float)
            sign = hint.get("sign", "excitatory")
            w = -w if sign == "inhibitory" else w
            if sign != "mixed" and np.any(w < 0):
                return c
            scale = hint.get("weights_scale")
            if kind == "dense" and scale:
                ws = w * scale
                if not np.array_equal(ws / scale, w):
                    return c
                w = ws
            cand["weights"] = (w + 0.0).tolist()
        elif kind == "dense" and "init" in hint:
            if c["kind"] != "dense":
                return c
            cand["_explicit"] = c  # checked once the whole network exists (the draw needs its index)
            return cand
        if not self._same_matrix(cand, c):
            return c
        return cand

    def _same_matrix(self, a: dict, b: dict) -> bool:
        from pydantic import TypeAdapter

        from neurokit.ir.connections import Connection

        try:
            ta = TypeAdapter(Connection)
            x, y = ta.validate_python(a), ta.validate_python(b)
        except Exception:
            return False
        if x.kind in ("conv2d", "pool2d") or y.kind in ("conv2d", "pool2d"):
            if x.kind != y.kind:
                return False
            if x.kind == "conv2d":
                same = (x.stride, x.padding, x.dilation, x.groups) == (y.stride, y.padding, y.dilation, y.groups)
                return same and np.array_equal(x.kernel * x.signed, y.kernel * y.signed)
            same = (x.kernel_size, x.stride, x.padding, x.dilation) == (y.kernel_size, y.stride, y.padding, y.dilation)
            return same and x.weight * x.signed == y.weight * y.signed
        n_tgt, n_src = self._sizes[a["target"]], self._sizes[a["source"]]
        rng = np.random.default_rng(0)
        return np.array_equal(x.matrix(n_src, n_tgt, rng) * x.signed, y.matrix(n_src, n_tgt, rng) * y.signed)

    def _check_inits(self, net, data):
        """A dense connection restored with its initialiser is kept only if the draw (which
        depends on the seed and the connection's index) gives the weights the graph holds."""
        explicit = {i: c.pop("_explicit") for i, c in enumerate(data["connections"]) if "_explicit" in c}
        if not explicit:
            return self.network_from_dict(data)
        try:
            net = self.network_from_dict(data)
            drawn = net.weight_matrices()
        except SpecError:
            net, drawn = None, {}
        changed = False
        for i, fallback in explicit.items():
            c = data["connections"][i]
            label = c.get("name") or f"{c['source']}->{c['target']}"
            sign = -1.0 if c.get("sign") == "inhibitory" else 1.0
            if label not in drawn or not np.array_equal(drawn[label] * sign, np.asarray(fallback["weights"])):
                fallback = dict(fallback)
                if "name" in c:
                    fallback["name"] = c["name"]
                data["connections"][i] = fallback
                changed = True
        return self.network_from_dict(data) if changed or net is None else net


# ----------------------------------------------------------------------------- IR -> NIR
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
