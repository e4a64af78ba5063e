"""NIR -> IR (`from_nir`): the graph's nodes and edges as populations and connections, exactly or
not at all (the equations are in neurokit.interop.nir)."""
from __future__ import annotations

import math
import os

import numpy as np

from neurokit.errors import SpecError
from neurokit.interop.nir_common import SPIKING_NODES, _NAME, _RESHAPE, _arr, _close, _hint, _nir, _pop_name, read_nir
from neurokit.interop.nir_graph import FlatGraph


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


class _Importer(FlatGraph):
    def __init__(self, graph, dt_ms, steps, name, schema_version, network_from_dict):
        super().__init__(graph)
        self.graph, self.dt_ms, self.dt = graph, dt_ms, dt_ms / 1000.0
        self.steps, self.name, self.schema_version = steps, name, schema_version
        self.network_from_dict = network_from_dict

    # -- neurons ---------------------------------------------------------------------------
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
        self._seen = []
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


