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
cross from one sample into the next), the digits network and the reference network on MNIST.
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


def random_samples(net, n: int, seed: int) -> Samples:
    x = np.random.default_rng(seed).uniform(0.2, 1.0, (n, net.input_population.size)).astype(np.float32)
    return Samples(x, np.zeros(n, np.int64), "random")


def _random_case(seed, precision, theta_init=False, **kw):
    spec = random_network(seed, **kw)
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
    "random7-float-theta-init": lambda: _random_case(7, "float", theta_init=True),
    "random6-float-lif-only-no-rest": lambda: _random_case(6, "float", adaptive=False, rest_ms=0.0),
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
