"""NIR interop (neurokit.interop.nir): the NIR paper's LIF fixture on the engine and on Lava,
round trips IR -> NIR -> IR and NIR -> IR -> NIR, snnTorch's and Norse's own NIR export and
import, and the refusals. Real packages throughout (nir, snnTorch, Norse, Lava)."""
import copy
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from neurokit.errors import SpecError
from neurokit.interop.nir import from_nir, nir_bytes, read_nir, to_nir, write_nir
from neurokit.ir import network_from_dict, network_to_dict
from neurokit.probes import Record
from neurokit.quant.network import compile_params
from neurokit.runner import execute

nir = pytest.importorskip("nir")

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "nir-paper"
STEPS = 1000


def _fixture_input() -> np.ndarray:
    """The NIR paper's input (paper/01_lif/lif_lava.ipynb, load_data), bool [1, 1, 1000]."""
    isis = [6, 15, 4, 3, 0, 2, 1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 14]
    d1 = list(np.concatenate([isi * [0] + [1] for isi in isis]))[:100]
    d = np.array([[e] + 9 * [0] for e in d1]).reshape(1, -1)
    return d.astype(bool)[None]


def _csv(name: str) -> np.ndarray:
    path = FIXTURES / f"lif_{name}.csv"
    if not path.is_file():
        pytest.fail(f"the NIR paper fixture is expected at {path}")
    return np.loadtxt(path, delimiter=",")


def _run(net, inputs, precision="float", backend="engine", **kw):
    return execute(compile_params(net, precision), inputs, backend=backend, rasters=True, progress=False, **kw)


def _per_sample(net, inputs, pop, precision="float"):
    """Output rasters [n, size, steps], each sample run alone from rest (in one run the spikes of a
    sample's last step still reach the next sample's first step, as in Lava)."""
    return np.stack([_run(net, inputs[i:i + 1], precision).rasters[pop][0] for i in range(len(inputs))])


# --------------------------------------------------------------------------- 1. the NIR paper
@pytest.fixture(scope="module")
def paper():
    net = from_nir(FIXTURES / "lif_norse.nir", dt_ms=0.1, presentation_steps=STEPS)
    pop = net.neuron_populations[0].name
    inputs = _fixture_input()
    runs = {(p, b): _run(net, inputs, p, b) for p in ("fixed", "float") for b in ("engine", "lava")}
    return net, pop, inputs, {k: np.nonzero(r.rasters[pop][0, 0])[0] for k, r in runs.items()}


def test_paper_fixture_translation(paper):
    net, pop, inputs, _ = paper
    assert np.array_equal(inputs[0, 0], _csv("exact")[:, 0].astype(bool))
    n = net.population(pop).neuron
    # LIF(τ = 2.5 ms, r = 1, v_th = 0.1), dt = 0.1 ms: δv = dt/τ, g = r·dt/τ, v_th(IR) = 0.1 / g
    tau = float(np.float32(0.0025))
    assert n.kind == "lif" and n.voltage_decay == 1e-4 / tau and n.current_decay_per_step(0.1) == 1.0
    assert n.v_th == float(np.float32(0.1)) / (1e-4 / tau)
    assert net.connections[0].weights == [[1.0]] and n.bias == 0.0


def test_paper_fixture_spikes(paper):
    _, _, _, steps = paper
    lava_fixed = np.nonzero(_csv("lava_cpu_fixed")[:, 2])[0]
    exact = np.nonzero(_csv("exact")[:, 2])[0]
    assert lava_fixed.tolist() == [461, 511, 711, 761] and exact.tolist() == [460, 510, 710, 760]
    for precision in ("fixed", "float"):
        assert np.array_equal(steps[precision, "engine"], steps[precision, "lava"]), precision
    assert np.array_equal(steps["fixed", "engine"], lava_fixed)            # Lava's own NIR run, bit for bit
    float_steps = steps["float", "engine"]
    assert len(float_steps) == len(exact) and np.max(np.abs(float_steps - exact)) <= 1
    assert np.array_equal(float_steps, exact + 1)                          # the one-step delay, nothing else
    assert np.array_equal(float_steps, np.nonzero(_csv("lava_cpu_float")[:, 2])[0])


def test_paper_fixture_voltage(paper):
    """v recorded in float: Norse's forward Euler to float32 rounding, one step later; the exact
    solution to within the Euler error measured in docs/interop_nir.md."""
    net, pop, inputs, _ = paper
    params = compile_params(net, "float")
    r = execute(params, inputs, backend="engine", progress=False, record=Record(what=("v",), pops=(pop,)))
    g = net.population(pop).neuron.voltage_decay  # NIR volts per IR volt (r = 1: g = dt/τ)
    v = r.recorded[f"{pop}/v"][0, 0] / params.neurons[pop].scale * g
    norse, exact = _csv("norse")[:, 1], _csv("exact")[:, 1]
    assert v[0] == 0 and np.max(np.abs(v[1:] - norse[:-1])) < 1e-7
    err = np.abs(v[1:] - exact[:-1])
    # measured: max 6.23e-3 (the step of each spike: the exact solution keeps the input that
    # arrives with the spike, Euler resets to 0), 1.15e-3 away from spikes, mean 4.7e-4
    assert np.max(err) < 7e-3 and np.mean(err) < 6e-4
    away = np.ones(len(err), bool)
    for s in np.nonzero(_csv("exact")[:-1, 2])[0]:
        away[s:s + 60] = False
    assert np.max(err[away]) < 1.5e-3


# --------------------------------------------------------------------------- 2. round trips
def _chain():
    rng = np.random.default_rng(1)
    return {"schema_version": 1, "name": "chain", "dt_ms": 1.0, "seed": 3, "metadata": {"note": "dense chain"},
            "populations": [
                {"name": "inp", "kind": "input", "size": 6, "encoder": {"kind": "spikes", "presentation_ms": 40}},
                {"name": "h", "size": 5, "neuron": {"kind": "lif", "tau_m_ms": 7.0, "tau_syn_ms": 3.0, "v_th": 1.3}},
                {"name": "o", "size": 3, "fixed_scale": 64,
                 "neuron": {"kind": "lif", "voltage_decay": 0.1, "v_th": 0.7, "bias": 0.05}}],
            "connections": [
                {"source": "inp", "target": "h", "kind": "dense", "sign": "mixed",
                 "weights": rng.normal(0.4, 1, (5, 6)).tolist()},
                {"name": "hidden_out", "source": "h", "target": "o", "kind": "dense", "sign": "excitatory",
                 "weight_exp": 0, "weights": rng.uniform(0, 1, (3, 5)).tolist()}]}


def _conv():
    rng = np.random.default_rng(2)
    lif = {"kind": "lif", "tau_m_ms": 10.0, "v_th": 1.0}
    return {"schema_version": 1, "name": "conv", "dt_ms": 1.0, "populations": [
        {"name": "img", "kind": "input", "size": 64, "shape": [1, 8, 8],
         "encoder": {"kind": "spikes", "presentation_ms": 30}},
        {"name": "c1", "size": 256, "shape": [4, 8, 8], "neuron": dict(lif, bias=0.02)},
        {"name": "p1", "size": 64, "shape": [4, 4, 4], "neuron": dict(lif, v_th=0.5)},
        {"name": "out", "size": 5, "neuron": lif}],
        "connections": [
            {"source": "img", "target": "c1", "kind": "conv2d", "sign": "mixed", "padding": 1,
             "weights": rng.normal(0.3, 0.8, (4, 1, 3, 3)).tolist()},
            {"source": "c1", "target": "p1", "kind": "pool2d", "kernel_size": 2, "stride": 2, "weight": 0.25},
            {"source": "p1", "target": "out", "kind": "dense", "sign": "mixed",
             "weights": rng.normal(0.1, 0.5, (5, 64)).tolist()}]}


def _recurrent():
    rng = np.random.default_rng(3)
    return {"schema_version": 1, "name": "rec", "dt_ms": 0.5, "populations": [
        {"name": "inp", "kind": "input", "size": 8, "encoder": {"kind": "spikes", "presentation_ms": 20, "rest_ms": 2}},
        {"name": "r", "size": 6, "neuron": {"kind": "lif", "tau_m_ms": 4.0, "v_th": 0.8}},
        {"name": "i", "size": 6, "neuron": {"kind": "if", "v_th": 2.0}}],
        "connections": [
            {"source": "inp", "target": "r", "kind": "dense", "sign": "mixed", "weights": rng.normal(0.4, 0.5, (6, 8)).tolist()},
            {"source": "r", "target": "r", "kind": "dense", "sign": "inhibitory", "weights": rng.uniform(0, 0.6, (6, 6)).tolist()},
            {"source": "r", "target": "i", "kind": "one_to_one", "weight": 0.9},
            {"source": "i", "target": "r", "kind": "all_to_all_except_self", "sign": "inhibitory", "weight": 0.2}]}


def _readout():
    rng = np.random.default_rng(4)
    return {"schema_version": 1, "name": "li", "dt_ms": 1.0, "populations": [
        {"name": "inp", "kind": "input", "size": 10, "encoder": {"kind": "spikes", "presentation_ms": 25}},
        {"name": "h", "size": 7, "neuron": {"kind": "lif", "tau_m_ms": 5.0, "v_th": 1.0}},
        {"name": "ro", "size": 3, "neuron": {"kind": "li", "tau_m_ms": 9.0, "tau_syn_ms": 2.0}},
        {"name": "acc", "size": 3, "neuron": {"kind": "li", "voltage_decay": 0.0}}],
        "connections": [
            {"source": "inp", "target": "h", "kind": "dense", "sign": "mixed", "weights": rng.normal(0.5, 0.5, (7, 10)).tolist()},
            {"source": "h", "target": "ro", "kind": "dense", "sign": "mixed", "weights": rng.normal(0, 1, (3, 7)).tolist()},
            {"source": "h", "target": "acc", "kind": "dense", "sign": "mixed", "weights": rng.normal(0, 1, (3, 7)).tolist()}]}


NETS = {"dense_chain": _chain, "conv_pool_dense": _conv, "recurrent": _recurrent, "li_readout": _readout}


def _strip(graph):
    """The graph without neurokit's metadata: what any other tool would write."""
    g = copy.deepcopy(graph)
    g.metadata = {}
    for node in g.nodes.values():
        node.metadata = {}
    return g


def _close_dicts(a, b, path=""):
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), path
        for k in a:
            _close_dicts(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _close_dicts(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert abs(a - b) <= 1e-12 * max(abs(a), abs(b)), (path, a, b)
    else:
        assert a == b, (path, a, b)


@pytest.mark.parametrize("which", NETS)
def test_ir_nir_ir_round_trip(which, tmp_path):
    net = network_from_dict(NETS[which]())
    graph = to_nir(net)
    assert graph.check_types()
    back = from_nir(graph, dt_ms=net.dt_ms)
    assert network_to_dict(back) == network_to_dict(net)
    # through a file, read back by nir itself with its type check
    path = write_nir(net, tmp_path / "net.nir")
    assert nir.read(path, type_check=True).check_types()
    assert network_to_dict(from_nir(path, dt_ms=net.dt_ms)) == network_to_dict(net)
    assert network_to_dict(from_nir(path, dt_ms=None)) == network_to_dict(net)  # the step to_nir stored
    assert (tmp_path / "b.nir").write_bytes(nir_bytes(net)) and \
        network_to_dict(from_nir(tmp_path / "b.nir", dt_ms=net.dt_ms)) == network_to_dict(net)
    # without neurokit's metadata: the same dynamics from the NIR parameters alone
    bare = from_nir(_strip(graph), dt_ms=net.dt_ms, presentation_steps=net.presentation_steps)
    bare.input_population.encoder.rest_ms = net.input_population.encoder.rest_ms  # NIR has no rest period
    rng = np.random.default_rng(5)
    inputs = rng.random((3, net.input_population.size, net.steps_per_sample)) < 0.3
    inputs[:, :, net.presentation_steps:] = False
    for precision in ("float", "fixed") if which != "li_readout" else ("float",):
        ref = _run(net, inputs, precision)
        for other in (back, bare):
            got = _run(other, inputs, precision)
            names = [p.name for p in net.neuron_populations]
            for a, b in zip(names, [p.name for p in other.neuron_populations]):
                assert np.array_equal(ref.rasters[a], got.rasters[b]), (which, precision, a)
    assert sum(ref.rasters[p.name].sum() for p in net.neuron_populations if p.neuron.spiking) > 0
    # the bare import says the same as the original, up to 1e-12 relative (thresholds divided by
    # g = dt/τ may land one ulp away), apart from names, signs and the neurokit-only hints
    for p, q in zip(net.neuron_populations, bare.neuron_populations):
        for dt_field in ("current_decay_per_step", "voltage_decay_per_step"):
            assert abs(getattr(p.neuron, dt_field)(net.dt_ms) - getattr(q.neuron, dt_field)(net.dt_ms)) <= 1e-15
        assert p.neuron.spiking == q.neuron.spiking and p.size == q.size
        if p.neuron.spiking:
            _close_dicts(p.neuron.v_th, q.neuron.v_th)
    for label, w in net.weight_matrices().items():
        c = next(c for c in net.connections if c.label == label)
        q = next(q for q in bare.connections if (q.source, q.target) == (c.source, c.target))
        assert np.array_equal(w * c.signed, bare.weight_matrices()[q.label] * q.signed)


def test_li_readout_voltage_round_trip():
    """An li readout's voltage (its output) is the same after IR -> NIR -> IR, also without metadata."""
    net = network_from_dict(_readout())
    bare = from_nir(_strip(to_nir(net)), dt_ms=1.0, presentation_steps=25)
    inputs = np.random.default_rng(6).random((2, 10, 25)) < 0.4
    rec = Record(what=("v",), pops=("ro", "acc"))
    a = execute(compile_params(net, "float"), inputs, backend="engine", progress=False, record=rec).recorded
    b = execute(compile_params(bare, "float"), inputs, backend="engine", progress=False,
                record=Record(what=("v",), pops=("ro", "acc"))).recorded
    for pop in ("ro", "acc"):
        assert np.abs(a[f"{pop}/v"]).max() > 0
        assert np.allclose(a[f"{pop}/v"], b[f"{pop}/v"], rtol=1e-12, atol=1e-12)


def test_nir_ir_nir_keeps_the_paper_graph(tmp_path):
    original = nir.read(FIXTURES / "lif_norse.nir")
    again = to_nir(from_nir(original, dt_ms=0.1, presentation_steps=STEPS))
    kinds = lambda g: sorted(type(n).__name__ for n in g.nodes.values())  # noqa: E731
    assert kinds(again) == kinds(original) == ["Affine", "Input", "LIF", "Output"]
    by_type = lambda g: {type(n).__name__: n for n in g.nodes.values()}  # noqa: E731
    a, b = by_type(original), by_type(again)
    for field in ("weight", "bias"):
        assert np.array_equal(np.asarray(a["Affine"].__dict__[field], float), b["Affine"].__dict__[field])
    for field in ("tau", "r", "v_leak", "v_threshold", "v_reset"):  # float32 in Norse's file, float64 here
        assert np.array_equal(np.asarray(getattr(a["LIF"], field), float), getattr(b["LIF"], field)), field
    assert len(again.edges) == len(original.edges) == 3
    write_nir(again, tmp_path / "again.nir")
    assert nir.read(tmp_path / "again.nir", type_check=True).check_types()


# --------------------------------------------------------------------------- 3. snnTorch and Norse
torch = pytest.importorskip("torch")


def _snntorch_model(two_layers: bool, synaptic: bool = False):
    import snntorch as snn

    torch.manual_seed(7)
    layers = [torch.nn.Linear(20, 10, bias=False)]
    # per-neuron parameter tensors: snnTorch 1.0's export writes a scalar beta as a 0-d array that
    # nir's type check rejects against the Linear's output
    if synaptic:
        layers.append(snn.Synaptic(alpha=torch.full((10,), 0.6), beta=torch.full((10,), 0.9), reset_mechanism="zero",
                                   threshold=torch.full((10,), 0.5), init_hidden=True, output=not two_layers))
    else:
        layers.append(snn.Leaky(beta=torch.full((10,), 0.9), reset_mechanism="zero", init_hidden=True,
                                threshold=torch.full((10,), 0.5), output=not two_layers))
    if two_layers:
        layers += [torch.nn.Linear(10, 5, bias=False),
                   snn.Leaky(beta=torch.full((5,), 0.8), reset_mechanism="zero", init_hidden=True,
                             threshold=torch.full((5,), 0.3), output=True)]
    return torch.nn.Sequential(*layers)


def _snntorch_run(model, inputs) -> np.ndarray:
    """snnTorch's own forward pass, [n, outputs, steps]."""
    import snntorch.utils

    snntorch.utils.reset(model)
    x = torch.tensor(inputs.transpose(2, 0, 1), dtype=torch.float32)  # [steps, n, inputs]
    out = []
    with torch.no_grad():
        for t in range(x.shape[0]):
            spk = model(x[t])[0]  # (spk, mem) or, for Synaptic, (spk, syn, mem)
            out.append(spk.numpy())
    return np.array(out).transpose(1, 2, 0)


@pytest.mark.parametrize("layers,synaptic", [(1, False), (2, False), (1, True)])
def test_snntorch_export_runs_the_same(layers, synaptic):
    """snnTorch's export_to_nir writes τ = dt/(1 − β) (and τ_syn = dt/(1 − α)) with its fixed
    dt = 1e-4 s, r = τ/dt, w_in = τ_syn/dt; from_nir with dt_ms = 0.1 gives δv = 1 − β (δu = 1 − α)
    and g = 1: the same model, one step later per connection."""
    from snntorch.export_nir import export_to_nir

    model = _snntorch_model(layers == 2, synaptic)
    graph = export_to_nir(model, torch.zeros(1, 20), ignore_dims=[0])
    T = 100
    net = from_nir(graph, dt_ms=0.1, presentation_steps=T)
    first = net.neuron_populations[0].neuron
    assert abs(first.voltage_decay - 0.1) < 1e-6 and abs(first.v_th - 0.5) < 1e-6
    if synaptic:
        assert abs(first.current_decay - 0.4) < 1e-6
    inputs = np.random.default_rng(8).random((4, 20, T)) < 0.3
    ref = _snntorch_run(model, inputs)
    got = _per_sample(net, inputs, net.neuron_populations[-1].name)
    assert ref.sum() > 20
    assert not got[:, :, :layers].any()
    if not synaptic:
        assert np.array_equal(got[:, :, layers:], ref[:, :, :T - layers])  # measured: identical
        return
    # snnTorch's Synaptic with reset "zero" sets mem = 0 in the step after a spike, dropping that
    # step's current (syn.py _base_zero): a one-step refractory period that NIR's CubaLIF does not
    # say (Leaky instead computes mem = β·0 + input). Measured: 683 spikes here, 415 in snnTorch,
    # 346 (sample, neuron, step) differ; with refractory_ms = dt the IR model is snnTorch's exactly.
    differ = int((got[:, :, 1:] != ref[:, :, :T - 1]).sum())
    assert got.sum() > ref.sum() and 0 < differ <= 400
    net.neuron_populations[0].neuron.refractory_ms = net.dt_ms
    got = _per_sample(net, inputs, net.neuron_populations[-1].name)
    assert np.array_equal(got[:, :, 1:], ref[:, :, :T - 1])


def _export_net(dt_ms=0.1):
    rng = np.random.default_rng(9)
    return network_from_dict({"schema_version": 1, "name": "exp", "dt_ms": dt_ms, "populations": [
        {"name": "inp", "kind": "input", "size": 12, "encoder": {"kind": "spikes", "presentation_ms": 80 * dt_ms}},
        {"name": "h", "size": 8, "neuron": {"kind": "lif", "voltage_decay": 0.1, "v_th": 1.0}},
        {"name": "o", "size": 4, "neuron": {"kind": "lif", "voltage_decay": 0.2, "v_th": 0.8}}],
        "connections": [
            {"source": "inp", "target": "h", "kind": "dense", "sign": "mixed", "weights": rng.normal(0.3, 0.6, (8, 12)).tolist()},
            {"source": "h", "target": "o", "kind": "dense", "sign": "mixed", "weights": rng.normal(0.4, 0.6, (4, 8)).tolist()}]})


def _torch_run(module, inputs, reset=None) -> np.ndarray:
    out = []
    for i in range(len(inputs)):
        if reset:
            reset(module)
        state, o = None, []
        with torch.no_grad():
            for t in range(inputs.shape[2]):
                y, state = module(torch.tensor(inputs[i:i + 1, :, t], dtype=torch.float32), state)
                o.append(y[0].numpy())
        out.append(np.array(o).T)
    return np.array(out)


def test_neurokit_export_runs_in_snntorch_and_norse():
    """to_nir's graph in snnTorch's import_from_nir and Norse's from_nir (dt = 1e-4 s): the same
    spikes as neurokit's engine, which has one step of delay per connection."""
    import norse.torch
    import snntorch.utils
    from snntorch.import_nir import import_from_nir

    net = _export_net()
    T = 80
    inputs = np.random.default_rng(10).random((3, 12, T)) < 0.3
    ours = _per_sample(net, inputs, "o")
    assert ours.sum() > 50
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        snn_model = import_from_nir(to_nir(net))
        norse_model = norse.torch.from_nir(to_nir(net), dt=net.dt_ms / 1000)
    for other in (_torch_run(snn_model, inputs, snntorch.utils.reset), _torch_run(norse_model, inputs)):
        assert np.array_equal(ours[:, :, 2:], other[:, :, :T - 2])  # measured: identical


# --------------------------------------------------------------------------- 4. refusals
def _problems(excinfo) -> str:
    return "\n".join(excinfo.value.problems)


def test_adaptive_lif_and_other_features_refused():
    from conftest import tiny_network

    with pytest.raises(SpecError) as e:
        to_nir(network_from_dict(tiny_network()))
    text = _problems(e)
    for what in ("adaptive_lif", "populations[1] (exc)", "refractory_ms", "bernoulli", "populations[0] (inp)"):
        assert what in text, what
    spec = _chain()
    spec["connections"][1].update(sign="excitatory", learning={"kind": "stdp", "a_pre": 0.01, "a_post": -0.01, "tau_pre_ms": 5, "tau_post_ms": 5, "w_max": 1.0})
    with pytest.raises(SpecError) as e:
        to_nir(network_from_dict(spec))
    assert "connections[1] (hidden_out).learning" in _problems(e)


def test_encoder_and_readout_travel_in_neurokit_metadata():
    """NIR has neither (its Input takes spikes, its Output gives them); a deterministic
    integrate-and-fire encoder and an argmax readout come back from neurokit's own metadata."""
    spec = _chain()
    spec["populations"][0]["encoder"] = {"kind": "integrate_fire", "threshold": 1.0, "gain": 0.5,
                                         "presentation_ms": 40.0, "rest_ms": 2.0}
    spec["readout"] = {"kind": "argmax", "population": "o"}
    net = network_from_dict(spec)
    assert network_to_dict(from_nir(to_nir(net), dt_ms=None)) == network_to_dict(net)


def test_unknown_node_type_refused():
    g = nir.NIRGraph.from_list(nir.Input(input_type=np.array([3])), nir.Affine(weight=np.eye(3), bias=np.zeros(3)),
                               nir.Delay(delay=np.ones(3)), nir.LIF(tau=np.full(3, 1e-3), r=np.ones(3),
                                                                    v_leak=np.zeros(3), v_threshold=np.ones(3)))
    with pytest.raises(SpecError) as e:
        from_nir(g, dt_ms=0.1, presentation_steps=10)
    assert "node 'delay'" in _problems(e) and "Delay" in _problems(e) and "supported" in _problems(e)


def _lif_graph(**lif):
    params = dict(tau=np.full(3, 1e-3), r=np.ones(3), v_leak=np.zeros(3), v_threshold=np.ones(3))
    params.update(lif)
    return nir.NIRGraph.from_list(nir.Input(input_type=np.array([3])), nir.Affine(weight=np.eye(3), bias=np.zeros(3)),
                                  nir.LIF(**params))


def test_bad_parameters_refused():
    with pytest.raises(SpecError) as e:
        from_nir(_lif_graph(v_reset=np.full(3, -0.5)), dt_ms=0.1, presentation_steps=10)
    assert "node 'lif' (LIF).v_reset" in _problems(e) and "v_leak" in _problems(e)
    with pytest.raises(SpecError) as e:
        from_nir(_lif_graph(tau=np.array([1e-3, 1e-3, 2e-3])), dt_ms=0.1, presentation_steps=10)
    assert "node 'lif' (LIF).tau" in _problems(e) and "differs between neurons" in _problems(e)
    with pytest.raises(SpecError) as e:
        from_nir(_lif_graph(), dt_ms=0.1)
    assert "presentation_steps" in _problems(e)
    with pytest.raises(SpecError) as e:
        from_nir(_lif_graph(), dt_ms=None, presentation_steps=10)
    assert "dt_ms" in _problems(e)
    with pytest.raises(SpecError) as e:
        from_nir(_lif_graph(tau=np.full(3, 1e-5)), dt_ms=0.1, presentation_steps=10)
    assert "smaller dt_ms" in _problems(e)
    g = nir.NIRGraph.from_list(nir.Input(input_type=np.array([3])),
                               nir.Affine(weight=np.eye(3), bias=np.array([0.1, 0.2, 0.3])),
                               nir.LIF(tau=np.full(3, 1e-3), r=np.ones(3), v_leak=np.zeros(3), v_threshold=np.ones(3)))
    net = from_nir(g, dt_ms=0.1, presentation_steps=10)  # a bias per neuron (any nn.Linear with bias=True)
    assert net.neuron_populations[0].neuron.bias == [0.1, 0.2, 0.3]
    assert network_to_dict(from_nir(to_nir(net), dt_ms=0.1)) == network_to_dict(net)


def test_uniform_affine_bias_is_the_ir_bias():
    """Affine bias b into LIF(τ, r): g·b per step = the IR bias in units of g, i.e. b."""
    g = nir.NIRGraph.from_list(nir.Input(input_type=np.array([2])),
                               nir.Affine(weight=np.array([[1.0, -2.0], [0.5, 0.0]]), bias=np.full(2, 0.3)),
                               nir.LIF(tau=np.full(2, 2e-3), r=np.full(2, 2.0), v_leak=np.full(2, 0.1),
                                       v_threshold=np.full(2, 0.5), v_reset=np.full(2, 0.1)))
    net = from_nir(g, dt_ms=0.5, presentation_steps=4)
    n = net.neuron_populations[0].neuron
    gain = 2.0 * 0.5e-3 / 2e-3
    assert n.voltage_decay == 0.25 and n.bias == 0.3 and n.v_th == (0.5 - 0.1) / gain
    assert net.connections[0].weights == [[1.0, -2.0], [0.5, 0.0]]


def test_import_neurokit_stays_light():
    code = "import sys, neurokit, neurokit.interop.nir; print('nir' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_read_nir_errors(tmp_path):
    with pytest.raises(SpecError):
        read_nir(tmp_path / "missing.nir")
    (tmp_path / "junk.nir").write_text("not hdf5")
    with pytest.raises(SpecError):
        read_nir(tmp_path / "junk.nir")
