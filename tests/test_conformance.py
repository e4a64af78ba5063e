"""Conformance: every fast backend must produce the spike trains Lava's CPU simulator produces,
spike for spike, on the same networks with the same seeds and input spikes (as nengo-loihi runs
nengo's suite against its backend). Lava runs once per case (the reference); each backend in
FAST_BACKENDS is compared with it.

Fixed point must be identical: same integer arithmetic. Float must be identical too: the engine
repeats Lava's float operations in the same order, including NumPy's summation order inside
Dense (see neurokit/backends/engine/float_point.py), so no tolerance is needed or allowed.

Cases cover ≥ 1,000 steps each: random small networks (mixed excitatory / inhibitory, dense,
one-to-one, all-to-all-except-self, sparse, refractory periods, adaptive thresholds with and
without decay and starting from learned values, bias, recurrent loops, samples with and without a rest period so that spikes
cross from one sample into the next), the kinds imported networks bring (integrate-and-fire
input, conv2d, pooling, mixed signs, IF and LI neurons, per-neuron bias, late resets), the
digits network and the reference network on MNIST.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from conftest import EXAMPLES, MNIST_ROOT
from neurokit.data import Samples, load_dataset
from neurokit.ir import load_network, network_from_dict
from neurokit.runner import simulate

FAST_BACKENDS = ["engine"]
MIN_STEPS = 1000


def random_network(seed: int, *, adaptive: bool = True, rest_ms: float = 10.0) -> dict:
    """Input -> a (LIF or adaptive) <-> b (inhibitory feedback), a's lateral inhibition, and a
    bias-driven population c that talks to a both ways. Sizes, time constants, thresholds,
    refractory periods, biases and weights are drawn from `seed`."""
    rng = np.random.default_rng(seed)
    u = lambda lo, hi: float(np.round(rng.uniform(lo, hi), 3))  # noqa: E731
    n_in, n_a, n_c = int(rng.integers(6, 12)), int(rng.integers(3, 7)), int(rng.integers(2, 5))

    def neuron(kind, v_th, bias=0.0):
        out = {"kind": kind, "tau_m_ms": u(3, 30), "tau_syn_ms": float(rng.choice([0, 1, 4])), "v_th": v_th,
               "refractory_ms": float(rng.choice([0, 1, 3])), "bias": bias}
        if kind == "adaptive_lif":
            out.update(theta_plus=u(0.1, 0.6), tau_theta_ms=[None, 300.0][int(rng.integers(2))])
        return out

    n_syn = int(rng.integers(4, 10))
    pairs = rng.choice(n_in * n_a, n_syn, replace=False)  # distinct synapses: a repeated one is an error
    return {
        "schema_version": 1, "name": f"random{seed}",
        "populations": [
            {"name": "inp", "size": n_in, "encoder": {"kind": str(rng.choice(["poisson", "bernoulli"])),
                                                      "max_rate_hz": u(100, 300), "presentation_ms": 50.0,
                                                      "rest_ms": rest_ms}},
            {"name": "a", "size": n_a, "neuron": neuron("adaptive_lif" if adaptive else "lif", u(2, 5))},
            {"name": "b", "size": n_a, "neuron": neuron("lif", u(0.5, 2))},
            {"name": "c", "size": n_c, "neuron": neuron("lif", u(1, 3), bias=u(0.1, 0.5))},
        ],
        "connections": [
            {"name": "in_a", "source": "inp", "target": "a", "kind": "dense", "init": {"kind": "uniform", "high": u(1, 2.5)}},
            {"name": "in_b", "source": "inp", "target": "b", "kind": "sparse",
             "pre": (pairs // n_a).tolist(), "post": (pairs % n_a).tolist(),
             "weights": np.round(rng.uniform(0.2, 1.0, n_syn), 3).tolist()},
            {"name": "a_b", "source": "a", "target": "b", "kind": "one_to_one", "weight": u(1, 3)},
            {"name": "b_a", "source": "b", "target": "a", "kind": "all_to_all_except_self", "sign": "inhibitory",
             "weight": u(0.5, 3)},
            {"name": "a_a", "source": "a", "target": "a", "kind": "all_to_all_except_self", "sign": "inhibitory",
             "weight": u(0.2, 1)},
            {"name": "c_a", "source": "c", "target": "a", "kind": "dense", "init": {"kind": "uniform", "high": u(0.5, 2)}},
            {"name": "a_c", "source": "a", "target": "c", "kind": "dense", "sign": "inhibitory",
             "init": {"kind": "uniform", "high": u(0.2, 1)}},
        ],
    }


def imported_kinds_network(seed: int, *, loihi_units: bool, rest_ms: float = 0.0) -> dict:
    """The kinds networks made elsewhere bring: an integrate-and-fire input over [1, 6, 6], a
    mixed-sign conv2d into IF neurons with a bias per channel, sum pooling, a mixed dense layer
    with a recurrent one into LIF neurons, and a non-spiking LI readout; layers reset late
    (lava-dl's pipeline) or at the sample's start. `loihi_units`: integers with fixed_scale 1
    (an imported netx file), else real values that the quantiser scales."""
    rng = np.random.default_rng(seed)
    ints = lambda lo, hi, shape: rng.integers(lo, hi, shape).astype(float).tolist()  # noqa: E731
    real = lambda lo, hi, shape: np.round(rng.uniform(lo, hi, shape), 3).tolist()  # noqa: E731
    w = ints if loihi_units else real
    scale = {"fixed_scale": 1.0} if loihi_units else {}
    k = 1 if loihi_units else 0.05  # weights and thresholds: integers, or 20 times smaller reals
    return {
        "schema_version": 1, "name": f"imported{seed}",
        "populations": [
            {"name": "pix", "kind": "input", "size": 36, "shape": [1, 6, 6],
             "encoder": {"kind": "integrate_fire", "threshold": 1.0, "gain": float(rng.uniform(0.3, 0.9)),
                         "voltage_decay": 0.0625, "presentation_ms": 40.0, "rest_ms": rest_ms}},
            {"name": "conv", "size": 3 * 4 * 4, "shape": [3, 4, 4], "reset_step": 1, **scale,
             "neuron": {"kind": "if", "current_decay": 0.5, "v_th": 30.0 * k,
                        "bias": np.repeat(np.array([2.0, -1.0, 0.0]) * k, 16).tolist()}},
            {"name": "pool", "size": 3 * 2 * 2, "shape": [3, 2, 2], "reset_step": 2, **scale,
             "neuron": {"kind": "lif", "current_decay": 1.0, "voltage_decay": 0.25, "v_th": 20.0 * k}},
            {"name": "hid", "size": 6, **scale,
             "neuron": {"kind": "lif", "tau_syn_ms": 2.0, "tau_m_ms": 8.0, "v_th": 25.0 * k, "bias": 1.0 * k,
                        "refractory_ms": 1.0}},
            {"name": "out", "size": 3, "reset_step": 1, **scale,
             "neuron": {"kind": "li", "current_decay": 0.25, "voltage_decay": 0.125}},
        ],
        "connections": [
            {"kind": "conv2d", "source": "pix", "target": "conv", "sign": "mixed", "weights": w(-20, 60, (3, 1, 3, 3))},
            {"kind": "pool2d", "source": "conv", "target": "pool", "kernel_size": 2, "stride": 2, "weight": 12.0 * k},
            {"kind": "dense", "source": "pool", "target": "hid", "sign": "mixed", "weights": w(-30, 70, (6, 12))},
            {"kind": "dense", "name": "rec", "source": "hid", "target": "hid", "sign": "mixed",
             "weights": w(-40, 20, (6, 6))},
            {"kind": "dense", "source": "hid", "target": "out", "sign": "mixed", "weights": w(-50, 50, (3, 6))},
        ],
        "readout": {"kind": "argmax", "population": "hid"},
    }


def _imported_case(seed, precision, **kw):
    net = network_from_dict(imported_kinds_network(seed, **kw))
    n = -(-MIN_STEPS // net.steps_per_sample) + 2
    return net, random_samples(net, n, seed + 100), precision


def random_samples(net, n: int, seed: int) -> Samples:
    x = np.random.default_rng(seed).uniform(0.2, 1.0, (n, net.input_population.size)).astype(np.float32)
    return Samples(x, np.zeros(n, np.int64), "random")


def _random_case(seed, precision, theta_init=False, radius=False, **kw):
    spec = random_network(seed, **kw)
    if radius:  # lateral inhibition of neighbours only: on the line (b -> a) and on a 1-row grid (a -> a)
        by_name = {c["name"]: c for c in spec["connections"]}
        by_name["b_a"]["radius"] = 1
        by_name["a_a"].update(radius=2, grid=[1, spec["populations"][1]["size"]])
    if theta_init:  # a trained network starts from learned thresholds
        a = spec["populations"][1]
        a["neuron"]["theta_init"] = np.round(np.random.default_rng(seed).uniform(0, 2, a["size"]), 3).tolist()
    net = network_from_dict(spec)
    n = -(-MIN_STEPS // net.steps_per_sample) + 2
    return net, random_samples(net, n, seed + 100), precision


def _example_case(name, data, precision, n):
    net = load_network(EXAMPLES / name)
    if data == "digits":
        samples = load_dataset("digits", "test", samples=n, classes=[0, 1, 2], seed=3)
    else:
        samples = load_dataset(f"mnist:{MNIST_ROOT}", "test", samples=n, classes=[0, 1, 2], seed=3)
    return net, samples, precision


CASES = {
    **{f"random{s}-fixed": (lambda s=s: _random_case(s, "fixed")) for s in range(4)},
    "random4-fixed-no-rest": lambda: _random_case(4, "fixed", rest_ms=0.0),
    "random5-fixed-lif-only": lambda: _random_case(5, "fixed", adaptive=False),
    "random6-fixed-lif-only-no-rest": lambda: _random_case(6, "fixed", adaptive=False, rest_ms=0.0),
    "random7-fixed-theta-init": lambda: _random_case(7, "fixed", theta_init=True),
    "random1-float": lambda: _random_case(1, "float"),
    "random8-fixed-radius": lambda: _random_case(8, "fixed", radius=True),
    "random8-float-radius": lambda: _random_case(8, "float", radius=True),
    "random7-float-theta-init": lambda: _random_case(7, "float", theta_init=True),
    "random6-float-lif-only-no-rest": lambda: _random_case(6, "float", adaptive=False, rest_ms=0.0),
    "imported0-fixed-loihi-units": lambda: _imported_case(0, "fixed", loihi_units=True),
    "imported1-fixed-scaled-rest": lambda: _imported_case(1, "fixed", loihi_units=False, rest_ms=5.0),
    "imported2-float": lambda: _imported_case(2, "float", loihi_units=False),
    "digits-fixed": lambda: _example_case("digits_3class.yaml", "digits", "fixed", 3),
    "digits-float": lambda: _example_case("digits_3class.yaml", "digits", "float", 2),
    "reference-mnist-fixed": lambda: _example_case("diehl_cook_3class.yaml", "mnist", "fixed", 3),
    "reference-mnist-float": lambda: _example_case("diehl_cook_3class.yaml", "mnist", "float", 2),
}


@lru_cache(maxsize=None)
def case(name: str):
    return CASES[name]()


@lru_cache(maxsize=None)
def run(name: str, backend: str):
    net, samples, precision = case(name)
    return simulate(net, samples, backend=backend, precision=precision, seed=7, rasters=True, progress=False)


@pytest.mark.parametrize("backend", FAST_BACKENDS)
@pytest.mark.parametrize("name", list(CASES))
def test_spike_trains_identical_to_lava(name, backend):
    net, samples, _ = case(name)
    assert len(samples) * net.steps_per_sample >= MIN_STEPS
    ref, got = run(name, "lava"), run(name, backend)
    assert np.array_equal(got.input_counts, ref.input_counts)
    assert sum(int(r.sum()) for r in ref.rasters.values()) >= 20, f"{name}: too few spikes to prove much"
    for pop in ref.rasters:
        diff = np.argwhere(got.rasters[pop] != ref.rasters[pop])
        assert len(diff) == 0, (f"{name}: {pop} differs at {len(diff)} (sample, neuron, step) places, "
                                f"first {diff[:3].tolist()}")
    for pop in ref.theta:
        assert np.array_equal(np.asarray(got.theta[pop]), np.asarray(ref.theta[pop])), f"{name}: θ of {pop}"


def test_cases_exercise_what_they_claim():
    """The cases must contain what the suite promises: a spike crossing a sample boundary
    through a Dense buffer, adaptive θ that moved, inhibition and refractory neurons."""
    crossing = False
    for name in ("random4-fixed-no-rest", "random6-fixed-lif-only-no-rest"):
        r = run(name, "lava")
        crossing |= any(ras[:-1, :, -1].any() for ras in r.rasters.values())
    assert crossing, "no spike at a sample's last step: the sample-to-sample carry is untested"
    net, _, _ = case("random0-fixed")
    assert any(getattr(p.neuron, "theta_plus", 0) > 0 for p in net.neuron_populations)
    assert np.asarray(run("random0-fixed", "lava").theta["a"]).max() > 0
    kinds = {c.kind for c in net.connections} | {c.sign for c in net.connections}
    assert {"dense", "sparse", "one_to_one", "all_to_all_except_self", "inhibitory", "excitatory"} <= kinds
    net, _, _ = case("random8-fixed-radius")
    b_a = next(c for c in net.connections if c.label == "b_a")
    n = net.population("a").size
    assert n >= 3 and np.count_nonzero(b_a.matrix(n, n, None)) < n * (n - 1), "the radius leaves no neuron out"


@pytest.mark.parametrize("backend", FAST_BACKENDS)
@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("imported")])
def test_imported_kinds_voltages_identical_to_lava(name, backend):
    """u and v of every population (the LI readout's v is its output) equal Lava's, step for
    step; and every layer spikes or, for LI, moves."""
    from neurokit.probes import Record

    net, samples, precision = case(name)
    record = Record(what=("u", "v"), samples=(0, 1, len(samples) - 1))
    ref, got = (simulate(net, samples, backend=b, precision=precision, seed=7, progress=False, record=record)
                for b in ("lava", backend))
    assert all(int(ref.counts[p].sum()) > 0 for p in ("conv", "pool", "hid")), {p: int(c.sum()) for p, c in ref.counts.items()}
    assert int(ref.counts["out"].sum()) == 0 and np.abs(ref.recorded["out/v"]).max() > 0
    for key in ("conv/v", "pool/v", "hid/u", "hid/v", "out/u", "out/v"):
        assert np.array_equal(got.recorded[key], ref.recorded[key]), key
