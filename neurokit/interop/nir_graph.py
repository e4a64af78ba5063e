"""A NIR graph flattened (subgraphs inlined) and the questions the importer asks of it: node
kinds, predecessors, the shape each node gives, linear nodes as matrices and biases, and the
routes of linear nodes between two populations."""
from __future__ import annotations

from typing import Any

import numpy as np

from neurokit.errors import SpecError
from neurokit.interop.nir_common import NEURON_NODES, SUPPORTED, _arr, _nir, _pair


class FlatGraph:
    def __init__(self, graph):
        self.nodes: dict[str, Any] = {}
        self.edges: list[tuple[str, str]] = []
        self.passthrough: set[str] = set()  # Input/Output nodes of inlined subgraphs
        self._inline(graph, "")
        self.preds = {k: [] for k in self.nodes}
        self.succs = {k: [] for k in self.nodes}
        for a, b in self.edges:
            if a not in self.nodes or b not in self.nodes:
                raise SpecError([f"edge ({a!r}, {b!r}): names a node that is not in the graph"])
            self.preds[b].append(a)
            self.succs[a].append(b)
        self._shapes, self._bias = {}, {}

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
